package trace

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"entgo.io/ent/dialect"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/datacategory"
	"github.com/privhub/privhub/ent/organization"
	"github.com/privhub/privhub/ent/vendor"
	"github.com/privhub/privhub/internal/apperr"
	"github.com/privhub/privhub/internal/pulid"
)

// Holders returns every holder that may hold category categoryID at
// instant at (and, with includeDescendants, any of its descendants): the
// holders reachable in the transfer graph from the collectors of the
// category, each with its shortest chain and Users, the number of distinct
// users whose data of the holding's categories reaches it, respecting
// consent. A holder appears once per distinct chain. An unknown category
// is an apperr.NotFound error.
func (e *Engine) Holders(ctx context.Context, categoryID pulid.ID, includeDescendants bool, at time.Time) ([]*Holding, error) {
	if err := e.catchUp(ctx); err != nil {
		return nil, err
	}
	s, err := e.current(ctx)
	if err != nil {
		return nil, err
	}
	for attempt := 0; ; attempt++ {
		var c int32
		if s, c, err = e.category(ctx, s, categoryID); err != nil {
			return nil, err
		}
		holdings, stale, err := e.holders(ctx, s, c, includeDescendants, at)
		if err != nil || !stale || attempt > 0 {
			return holdings, err
		}
		if s, err = e.reload(ctx, s); err != nil {
			return nil, err
		}
	}
}

// holders answers Holders on s; stale reports records s cannot place.
func (e *Engine) holders(ctx context.Context, s *snapshot, c int32, includeDescendants bool, at time.Time) ([]*Holding, bool, error) {
	cats := []int32{c}
	if includeDescendants {
		cats = cats[:0]
		s.desc[c].each(func(i int32) { cats = append(cats, i) })
	}
	groups, cs, release, stale, err := e.collectorGroups(ctx, s, at, cats, nil)
	if err != nil || stale {
		return nil, stale, err
	}
	defer release()
	nanos := at.UnixNano()
	t := newTally(s, at, groups, 0)

	// Chains: one walk per category from all its collectors; reach: the
	// closure of the category's subgraph, shared by its collectors.
	hs := s.newHoldingSet(at)
	defer hs.release()
	sources := map[int32][]int32{}
	for _, g := range groups {
		sources[g.cat] = append(sources[g.cat], g.holder)
	}
	closures := map[int32][]bitset{}
	for _, c := range cats {
		if len(sources[c]) == 0 {
			continue
		}
		hs.addWalk(hs.walk(sources[c], c, nanos, nil), c, nil)
		closures[c] = s.closure(sources[c], c, nanos, t.admit(nil, c))
	}
	holdings := hs.build()

	// Users: what each group reaches; for users with refusals, searches of
	// their own, shared by users with the same relevant refusals.
	t.targets = len(holdings)
	toTargets := func(c int32, reached bitset) bitset {
		r := newBitset(t.targets)
		reached.each(func(h int32) {
			if i, ok := hs.index(h, c); ok {
				r.set(int32(i))
			}
		})
		return r
	}
	t.base = func(g int) bitset {
		gr := t.groups[g]
		return toTargets(gr.cat, closures[gr.cat][gr.holder])
	}
	t.blocked = func(c int32, gs []int, bs []*blocks) []bitset {
		searches := make([]search, len(gs))
		for i, g := range gs {
			searches[i] = search{sources: []int32{t.groups[g].holder}, refusals: bs[i]}
		}
		out := s.reachMany(c, nanos, searches, false)
		for i, reached := range out {
			out[i] = toTargets(c, reached)
		}
		return out
	}
	counts, err := t.count(ctx, e.client, cs)
	if err != nil {
		return nil, false, err
	}
	for i, h := range holdings {
		h.Users = counts[i]
	}
	return holdings, false, nil
}

// collectorGroups returns the (collector, category) pairs of the records
// collected at or before at, restricted to categories cats and collectors
// holders when these are not nil, sorted; and the record index to count
// with (nil without one), read-locked until release. stale reports a record
// naming a holder or category s lacks.
func (e *Engine) collectorGroups(ctx context.Context, s *snapshot, at time.Time, cats, holders []int32) (groups []group, cs *census, release func(), stale bool, err error) {
	if e.noCensus {
		groups, stale, err = e.groups(ctx, s, at, cats, holders)
		return groups, nil, func() {}, stale, err
	}
	cs, release, err = e.recordIndex(ctx, s)
	if err != nil {
		return nil, nil, nil, false, err
	}
	groups, stale = cs.groups(s, at.UnixNano(), cats, holders)
	if stale {
		release()
		return nil, nil, nil, true, nil
	}
	return groups, cs, release, false, nil
}

// groups returns the (collector, category) pairs of the records collected
// at or before at, restricted to categories cats and collectors holders
// when these are not nil, sorted. stale reports a record naming a holder
// or category s lacks.
func (e *Engine) groups(ctx context.Context, s *snapshot, at time.Time, cats, holders []int32) (groups []group, stale bool, err error) {
	q := &query{c: e.client, pg: s.dialect == dialect.Postgres}
	q.sql("SELECT DISTINCT d.collector_organization_id, d.collector_vendor_id, d.category_id FROM data_records d WHERE d.collected_at <= ").arg(at.UTC())
	if cats != nil {
		if len(cats) == 0 {
			return nil, false, nil
		}
		ids := make([]string, len(cats))
		for i, c := range cats {
			ids[i] = string(s.cats[c].ID)
		}
		q.sql(" AND d.category_id IN ").list(ids)
	}
	if holders != nil {
		var orgs, vendors []string
		for _, h := range holders {
			id := s.holders[h].HolderID()
			if _, ok := s.holders[h].(*ent.Organization); ok {
				orgs = append(orgs, string(id))
			} else {
				vendors = append(vendors, string(id))
			}
		}
		switch {
		case len(orgs) > 0 && len(vendors) > 0:
			q.sql(" AND (d.collector_organization_id IN ").list(orgs).sql(" OR d.collector_vendor_id IN ").list(vendors).sql(")")
		case len(orgs) > 0:
			q.sql(" AND d.collector_organization_id IN ").list(orgs)
		case len(vendors) > 0:
			q.sql(" AND d.collector_vendor_id IN ").list(vendors)
		default:
			return nil, false, nil
		}
	}
	rows, err := q.run(ctx)
	if err != nil {
		return nil, false, err
	}
	type raw struct{ holder, cat pulid.ID }
	var found []raw
	for rows.Next() {
		var org, vnd *pulid.ID
		var cat pulid.ID
		if err := rows.Scan(&org, &vnd, &cat); err != nil {
			rows.Close()
			return nil, false, fmt.Errorf("trace: reading collectors: %w", err)
		}
		found = append(found, raw{deref(org, vnd), cat})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, false, fmt.Errorf("trace: reading collectors: %w", err)
	}
	for _, r := range found {
		h, okH := s.holderIdx[r.holder]
		c, okC := s.catIdx[r.cat]
		if !okH || !okC {
			stale = true
			continue
		}
		groups = append(groups, group{holder: h, cat: c})
	}
	slices.SortFunc(groups, compareGroups)
	return groups, stale, nil
}

// compareGroups orders groups by category, then collector.
func compareGroups(a, b group) int {
	return cmp.Or(cmp.Compare(a.cat, b.cat), cmp.Compare(a.holder, b.holder))
}

// category finds a category in s, reloading s when the database has it but
// s does not.
func (e *Engine) category(ctx context.Context, s *snapshot, id pulid.ID) (*snapshot, int32, error) {
	if c, ok := s.catIdx[id]; ok {
		return s, c, nil
	}
	exists, err := e.client.DataCategory.Query().Where(datacategory.ID(id)).Exist(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("trace: looking up category %s: %w", id, err)
	}
	if exists {
		if s, err = e.reload(ctx, s); err != nil {
			return nil, 0, err
		}
		if c, ok := s.catIdx[id]; ok {
			return s, c, nil
		}
	}
	return nil, 0, apperr.NotFoundf("no data category has this ID")
}

// holder finds an organization or vendor in s, reloading s when the
// database has it but s does not.
func (e *Engine) holder(ctx context.Context, s *snapshot, id pulid.ID) (*snapshot, int32, error) {
	if h, ok := s.holderIdx[id]; ok {
		return s, h, nil
	}
	var exists bool
	var err error
	switch table, _ := ent.TableOf(id); table {
	case organization.Table:
		exists, err = e.client.Organization.Query().Where(organization.ID(id)).Exist(ctx)
	case vendor.Table:
		exists, err = e.client.Vendor.Query().Where(vendor.ID(id)).Exist(ctx)
	}
	if err != nil {
		return nil, 0, fmt.Errorf("trace: looking up holder %s: %w", id, err)
	}
	if exists {
		if s, err = e.reload(ctx, s); err != nil {
			return nil, 0, err
		}
		if h, ok := s.holderIdx[id]; ok {
			return s, h, nil
		}
	}
	return nil, 0, apperr.NotFoundf("no organization or vendor has this ID")
}
