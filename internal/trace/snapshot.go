package trace

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"sync"
	"time"

	entsql "entgo.io/ent/dialect/sql"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/disclosure"
	"github.com/privhub/privhub/ent/transfer"
	"github.com/privhub/privhub/internal/law"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/vocab"
)

// snapshot is an immutable in-memory copy of the transfer graph. Holders,
// categories and purposes are numbered (int32) so that sets of them are
// bitsets and walks use slices, not maps. Validity is kept on the edges:
// one snapshot answers for every instant.
type snapshot struct {
	gen     uint64
	dialect string

	holders   []ent.Holder // by ID
	holderIdx map[pulid.ID]int32
	rank      []int32 // per holder: its position by name (then ID)
	byRank    []int32 // the holders by rank

	cats   []*ent.DataCategory // by key, so that bitset order is key order
	catIdx map[pulid.ID]int32
	// desc[c] holds c and its descendants: what a transfer declaring c carries.
	desc []bitset

	purposes   []*ent.Purpose // by key
	purposeIdx map[pulid.ID]int32

	countries map[pulid.ID]*ent.Country
	// timelines hold the adequacy decisions per country and regime; an
	// index of -1 stands for none. noAdequacy is the shared empty list.
	timelines  []*adequacyTimeline
	timelineOf map[adequacyKey]int32
	noAdequacy []*ent.AdequacyDecision
	// places are the distinct places of the edges and holders.
	places []place
	// holderPlace holds, per holder, its own country under EU_GDPR: where a
	// collector holds data.
	holderPlace []int32

	edges []edge    // by transfer ID
	hops  []hop     // per edge: what chains keep of it, densely
	steps []*Step   // per edge: its step, densely
	out   [][]int32 // per holder: edges it exports on, in edge order
	in    [][]int32 // per holder: edges it imports on, in edge order
	arcs  arcs      // out again, laid out for walks
	// honouring holds, per purpose, the edges made for it that honour
	// opt-outs: those a refusal of the purpose stops.
	honouring [][]int32
	// edgeOf numbers the edges by transfer ID.
	edgeOf map[pulid.ID]int32
	// batched holds the edges with disclosure batches on record: they carry
	// the data of the people a batch names, not everyone's.
	batched bitset

	// holdingSets recycles the scratch memory of holding sets.
	holdingSets sync.Pool
}

// edge is a transfer as the walks see it.
type edge struct {
	from, to int32
	// start and end bound the activity in Unix nanoseconds, end exclusive
	// (math.MaxInt64 when open-ended).
	start, end int64
	honours    bool
	purposes   []int32 // sorted
	carries    bitset  // declared categories and their descendants
	step       *Step
}

func (e *edge) activeAt(at int64) bool { return e.start <= at && at < e.end }

// load reads the whole transfer graph with one query per table: countries,
// adequacy decisions, organizations, vendors, categories, purposes,
// contracts, clauses, transfers and the three join tables of transfers.
func load(ctx context.Context, c *ent.Client) (*snapshot, error) {
	s := &snapshot{}
	countries, err := c.Country.Query().
		Where(func(sel *entsql.Selector) { s.dialect = sel.Dialect() }).
		All(ctx)
	if err != nil {
		return nil, fmt.Errorf("trace: loading countries: %w", err)
	}
	s.countries = make(map[pulid.ID]*ent.Country, len(countries))
	for _, co := range countries {
		s.countries[co.ID] = co
	}
	decisions, err := c.AdequacyDecision.Query().All(ctx)
	if err != nil {
		return nil, fmt.Errorf("trace: loading adequacy decisions: %w", err)
	}
	adequacy := make(map[pulid.ID][]*ent.AdequacyDecision)
	for _, d := range decisions {
		adequacy[d.CountryID] = append(adequacy[d.CountryID], d)
	}
	for _, ds := range adequacy {
		slices.SortFunc(ds, func(a, b *ent.AdequacyDecision) int {
			return cmp.Or(cmp.Compare(a.Regime, b.Regime), a.ValidFrom.Compare(b.ValidFrom))
		})
	}
	s.noAdequacy = []*ent.AdequacyDecision{}
	s.timelines, s.timelineOf = adequacyTimelines(adequacy, s.noAdequacy)

	orgs, err := c.Organization.Query().All(ctx)
	if err != nil {
		return nil, fmt.Errorf("trace: loading organizations: %w", err)
	}
	vendors, err := c.Vendor.Query().All(ctx)
	if err != nil {
		return nil, fmt.Errorf("trace: loading vendors: %w", err)
	}
	s.holders = make([]ent.Holder, 0, len(orgs)+len(vendors))
	for _, o := range orgs {
		s.holders = append(s.holders, o)
	}
	for _, v := range vendors {
		s.holders = append(s.holders, v)
	}
	slices.SortFunc(s.holders, func(a, b ent.Holder) int { return cmp.Compare(a.HolderID(), b.HolderID()) })
	s.holderIdx = make(map[pulid.ID]int32, len(s.holders))
	byName := make([]int32, len(s.holders))
	for i, h := range s.holders {
		s.holderIdx[h.HolderID()] = int32(i)
		byName[i] = int32(i)
	}
	slices.SortStableFunc(byName, func(a, b int32) int {
		return cmp.Compare(s.holders[a].HolderName(), s.holders[b].HolderName())
	})
	s.rank, s.byRank = make([]int32, len(s.holders)), byName
	for r, h := range byName {
		s.rank[h] = int32(r)
	}
	places := map[placeKey]int32{}
	s.holderPlace = make([]int32, len(s.holders))
	for i, h := range s.holders {
		s.holderPlace[i] = s.placeOf(places, s.countries[h.HolderCountry()], vocab.RegimeEU)
	}

	if s.cats, err = c.DataCategory.Query().All(ctx); err != nil {
		return nil, fmt.Errorf("trace: loading data categories: %w", err)
	}
	slices.SortFunc(s.cats, func(a, b *ent.DataCategory) int { return cmp.Compare(a.Key, b.Key) })
	s.catIdx = make(map[pulid.ID]int32, len(s.cats))
	for i, cat := range s.cats {
		s.catIdx[cat.ID] = int32(i)
	}
	s.desc = make([]bitset, len(s.cats))
	for i := range s.cats {
		s.desc[i] = newBitset(len(s.cats))
	}
	for i := range s.cats {
		// Walk up from i, marking i as a descendant of each ancestor; the
		// bound stops a (forbidden, but possible) cycle.
		for a, n := int32(i), 0; a >= 0 && n <= len(s.cats); a, n = s.parent(a), n+1 {
			s.desc[a].set(int32(i))
		}
	}

	if s.purposes, err = c.Purpose.Query().All(ctx); err != nil {
		return nil, fmt.Errorf("trace: loading purposes: %w", err)
	}
	slices.SortFunc(s.purposes, func(a, b *ent.Purpose) int { return cmp.Compare(a.Key, b.Key) })
	s.purposeIdx = make(map[pulid.ID]int32, len(s.purposes))
	for i, p := range s.purposes {
		s.purposeIdx[p.ID] = int32(i)
	}

	contractList, err := c.Contract.Query().All(ctx)
	if err != nil {
		return nil, fmt.Errorf("trace: loading contracts: %w", err)
	}
	contracts := make(map[pulid.ID]*ent.Contract, len(contractList))
	for _, ct := range contractList {
		contracts[ct.ID] = ct
	}
	clauseList, err := c.Clause.Query().All(ctx)
	if err != nil {
		return nil, fmt.Errorf("trace: loading clauses: %w", err)
	}
	clauses := make(map[pulid.ID]*ent.Clause, len(clauseList))
	for _, cl := range clauseList {
		clauses[cl.ID] = cl
	}

	transfers, err := c.Transfer.Query().Order(transfer.ByID()).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("trace: loading transfers: %w", err)
	}
	tcats, err := pairs(ctx, c, transfer.CategoriesTable, transfer.CategoriesPrimaryKey)
	if err != nil {
		return nil, err
	}
	tpurposes, err := pairs(ctx, c, transfer.PurposesTable, transfer.PurposesPrimaryKey)
	if err != nil {
		return nil, err
	}
	tclauses, err := pairs(ctx, c, transfer.ClausesTable, transfer.ClausesPrimaryKey)
	if err != nil {
		return nil, err
	}

	s.honouring = make([][]int32, len(s.purposes))
	s.out = make([][]int32, len(s.holders))
	s.in = make([][]int32, len(s.holders))
	s.edges = make([]edge, 0, len(transfers))
	for _, t := range transfers {
		from, okFrom := s.holderIdx[deref(t.ExporterOrganizationID, t.ExporterVendorID)]
		to, okTo := s.holderIdx[deref(t.ImporterOrganizationID, t.ImporterVendorID)]
		if !okFrom || !okTo {
			continue // the write rules make this impossible
		}
		e := edge{
			from: from, to: to,
			start: t.ActiveFrom.UnixNano(), end: math.MaxInt64,
			honours: t.HonoursOptOuts,
			carries: newBitset(len(s.cats)),
		}
		if t.ActiveUntil != nil {
			e.end = law.EndOf(*t.ActiveUntil).UnixNano() // its last instant included
		}
		step := &Step{
			Transfer:          t,
			Exporter:          s.holders[from],
			Importer:          s.holders[to],
			ImporterRole:      t.ImporterRole,
			Country:           s.countries[t.CountryID],
			Regime:            t.Regime,
			Mechanism:         t.Mechanism,
			FallbackMechanism: t.FallbackMechanism,
			Safeguards:        t.Safeguards,
			HonoursOptOuts:    t.HonoursOptOuts,
			ActiveFrom:        t.ActiveFrom,
			ActiveUntil:       t.ActiveUntil,
			Clauses:           []*ent.Clause{},
			Categories:        []*ent.DataCategory{},
			Purposes:          []*ent.Purpose{},
		}
		if step.Safeguards == nil {
			step.Safeguards = []vocab.Safeguard{}
		}
		if t.ContractID != nil {
			step.Contract = contracts[*t.ContractID]
		}
		var declared []int32
		for _, id := range tcats[t.ID] {
			if ci, ok := s.catIdx[id]; ok {
				declared = append(declared, ci)
				e.carries.or(s.desc[ci])
			}
		}
		slices.Sort(declared)
		for _, ci := range declared {
			step.Categories = append(step.Categories, s.cats[ci])
		}
		for _, id := range tpurposes[t.ID] {
			if pi, ok := s.purposeIdx[id]; ok {
				e.purposes = append(e.purposes, pi)
			}
		}
		slices.Sort(e.purposes)
		for _, pi := range e.purposes {
			step.Purposes = append(step.Purposes, s.purposes[pi])
		}
		for _, id := range tclauses[t.ID] {
			if cl, ok := clauses[id]; ok {
				step.Clauses = append(step.Clauses, cl)
			}
		}
		slices.SortFunc(step.Clauses, func(a, b *ent.Clause) int {
			return cmp.Or(cmp.Compare(a.Reference, b.Reference), cmp.Compare(a.ID, b.ID))
		})
		e.step = step
		ei := int32(len(s.edges))
		s.edges = append(s.edges, e)
		s.steps = append(s.steps, step)
		s.hops = append(s.hops, hop{
			place: s.placeOf(places, step.Country, step.Regime),
			names: uint64(s.rank[from])<<32 | uint64(s.rank[to]),
		})
		s.out[from] = append(s.out[from], ei)
		s.in[to] = append(s.in[to], ei)
		if e.honours {
			for _, pi := range e.purposes {
				s.honouring[pi] = append(s.honouring[pi], ei)
			}
		}
	}
	s.arcs = newArcs(s)
	if err := s.loadBatched(ctx, c); err != nil {
		return nil, err
	}
	return s, nil
}

// loadBatched numbers the edges by transfer and marks those with
// disclosure batches on record.
func (s *snapshot) loadBatched(ctx context.Context, c *ent.Client) error {
	s.edgeOf = make(map[pulid.ID]int32, len(s.edges))
	for i := range s.edges {
		s.edgeOf[s.edges[i].step.Transfer.ID] = int32(i)
	}
	ids, err := c.Disclosure.Query().Unique(true).Select(disclosure.FieldTransferID).Strings(ctx)
	if err != nil {
		return fmt.Errorf("trace: loading the transfers with disclosures: %w", err)
	}
	s.batched = newBitset(len(s.edges))
	for _, id := range ids {
		if ei, ok := s.edgeOf[pulid.ID(id)]; ok {
			s.batched.set(ei)
		}
	}
	return nil
}

// pairs reads a join table whole: for each ID of its first column, the IDs
// of its second.
func pairs(ctx context.Context, c *ent.Client, table string, cols []string) (map[pulid.ID][]pulid.ID, error) {
	rows, err := c.QueryContext(ctx, "SELECT "+cols[0]+", "+cols[1]+" FROM "+table)
	if err != nil {
		return nil, fmt.Errorf("trace: loading %s: %w", table, err)
	}
	defer rows.Close()
	m := make(map[pulid.ID][]pulid.ID)
	for rows.Next() {
		var a, b pulid.ID
		if err := rows.Scan(&a, &b); err != nil {
			return nil, fmt.Errorf("trace: loading %s: %w", table, err)
		}
		m[a] = append(m[a], b)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("trace: loading %s: %w", table, err)
	}
	return m, nil
}

// deref returns the one of two alternative references that is set.
func deref(a, b *pulid.ID) pulid.ID {
	switch {
	case a != nil:
		return *a
	case b != nil:
		return *b
	}
	return ""
}

// parent returns the index of category c's parent, or -1.
func (s *snapshot) parent(c int32) int32 {
	if p := s.cats[c].ParentID; p != nil {
		if i, ok := s.catIdx[*p]; ok {
			return i
		}
	}
	return -1
}

// categoryList returns the categories of b, by key.
func (s *snapshot) categoryList(b bitset) []*ent.DataCategory {
	list := []*ent.DataCategory{}
	b.each(func(i int32) { list = append(list, s.cats[i]) })
	return list
}

// countryOf returns the holder's own country.
func (s *snapshot) countryOf(h int32) *ent.Country { return s.places[s.holderPlace[h]].country }

// timeline returns the index of the timeline of regime's adequacy
// decisions for country, or -1 when there are none.
func (s *snapshot) timeline(country *ent.Country, regime vocab.Regime) int32 {
	if country == nil {
		return -1
	}
	if i, ok := s.timelineOf[adequacyKey{country.ID, regime}]; ok {
		return i
	}
	return -1
}

// adequacyAt returns the decisions of timeline i (-1 for none) in force at
// instant at. The list is shared, and empty but not nil when none is.
func (s *snapshot) adequacyAt(i int32, at time.Time) []*ent.AdequacyDecision {
	if i < 0 {
		return s.noAdequacy
	}
	return s.timelines[i].at(at)
}

// walk is the result of a breadth-first search of the transfer graph for
// one category at one instant.
type walk struct {
	// parent holds, per holder, the edge that first reached it, -1 for a
	// source and -2 when unreached.
	parent []int32
	// reached lists the holders reached, sources first, in BFS order.
	reached []int32
	// from holds, per holder reached through an edge, that edge's
	// exporter.
	from []int32
	// depth holds, per reached holder, its distance from the sources (kept
	// only for walks with a prefer list).
	depth []int32
}

func (w *walk) has(h int32) bool { return w.parent[h] != -2 }

// walk searches from sources along the edges active at at that carry
// category c. admit, when not nil, is asked about every such edge leaving a
// reached holder, and an edge it refuses is not followed. Edges are tried in
// transfer-ID order, so that chains are deterministic; prefer, when not
// nil, names per holder an edge (or -1) to reach it through rather than the
// first found, when that edge is as short a way: walks of several
// categories then share chains.
func (s *snapshot) walk(sources []int32, c int32, at int64, admit func(ei int32) bool, prefer []int32) *walk {
	w := &walk{}
	s.walkInto(w, sources, c, at, admit, prefer)
	return w
}

// walkInto is walk writing into w, whose buffers it reuses and whose
// previous result it overwrites.
func (s *snapshot) walkInto(w *walk, sources []int32, c int32, at int64, admit func(ei int32) bool, prefer []int32) {
	if w.parent == nil {
		w.parent = make([]int32, len(s.holders))
		w.from = make([]int32, len(s.holders))
		for i := range w.parent {
			w.parent[i] = -2
		}
	} else {
		for _, h := range w.reached {
			w.parent[h] = -2
		}
	}
	w.reached = w.reached[:0]
	var depth []int32
	if prefer != nil {
		if w.depth == nil {
			w.depth = make([]int32, len(s.holders))
		}
		depth = w.depth
	}
	for _, h := range sources {
		if w.parent[h] == -2 {
			w.parent[h] = -1
			w.reached = append(w.reached, h)
			if depth != nil {
				depth[h] = 0
			}
		}
	}
	epoch := s.arcs.epoch(at)
	for i := 0; i < len(w.reached); i++ {
		x := w.reached[i]
		arcs := s.arcs.of(c, x)
		for a := range arcs {
			ar := &arcs[a]
			if !ar.activeIn(epoch) {
				continue
			}
			ei := ar.edge
			if admit != nil && !admit(ei) {
				continue
			}
			switch y := ar.to; {
			case w.parent[y] == -2:
				w.parent[y], w.from[y] = ei, x
				w.reached = append(w.reached, y)
				if depth != nil {
					depth[y] = depth[x] + 1
				}
			case depth != nil && prefer[y] == ei && w.parent[y] >= 0 && depth[y] == depth[x]+1:
				// y is not expanded yet (it is one level down): its
				// children will follow the preferred chain.
				w.parent[y], w.from[y] = ei, x
			}
		}
	}
}

// closure finds, for every holder reachable from sources along the edges
// active at at that carry category c (and that admit, when not nil,
// admits), the set of holders it reaches (itself included), as a bitset
// over holders. It condenses the subgraph into strongly connected
// components (Tarjan), whose reach is the union of their successors'
// reach. Holders not reachable from sources have a nil set.
func (s *snapshot) closure(sources []int32, c int32, at int64, admit func(ei int32) bool) []bitset {
	n := len(s.holders)
	tj := &tarjan{
		s: s, c: c, at: at, admit: admit,
		index: make([]int32, n), low: make([]int32, n), comp: make([]int32, n),
		onStack: make([]bool, n),
	}
	for i := range tj.comp {
		tj.comp[i] = -1
	}
	for _, h := range sources {
		if tj.index[h] == 0 {
			tj.visit(h)
		}
	}
	// Components come out sinks first, so successors are done before.
	reach := make([]bitset, len(tj.comps))
	for k, members := range tj.comps {
		r := newBitset(n)
		for _, h := range members {
			r.set(h)
		}
		for _, h := range members {
			for _, ei := range s.out[h] {
				e := &s.edges[ei]
				if e.activeAt(at) && e.carries.has(c) {
					// Admitted edges lead to visited holders; an edge the
					// filter refused may lead to an unvisited one (-1).
					if k2 := tj.comp[e.to]; k2 != int32(k) && k2 >= 0 && (admit == nil || admit(ei)) {
						r.or(reach[k2])
					}
				}
			}
		}
		reach[k] = r
	}
	out := make([]bitset, n)
	for h, k := range tj.comp {
		if k >= 0 {
			out[h] = reach[k]
		}
	}
	return out
}

// tarjan is the state of Tarjan's strongly connected components search.
type tarjan struct {
	s       *snapshot
	c       int32
	at      int64
	admit   func(ei int32) bool
	counter int32
	index   []int32 // 1-based discovery order; 0 when unvisited
	low     []int32
	onStack []bool
	stack   []int32
	comp    []int32 // component per holder, -1 when unreached
	comps   [][]int32
}

func (tj *tarjan) visit(v int32) {
	tj.counter++
	tj.index[v], tj.low[v] = tj.counter, tj.counter
	tj.stack = append(tj.stack, v)
	tj.onStack[v] = true
	for _, ei := range tj.s.out[v] {
		e := &tj.s.edges[ei]
		if !e.activeAt(tj.at) || !e.carries.has(tj.c) {
			continue
		}
		if tj.admit != nil && !tj.admit(ei) {
			continue
		}
		w := e.to
		switch {
		case tj.index[w] == 0:
			tj.visit(w)
			tj.low[v] = min(tj.low[v], tj.low[w])
		case tj.onStack[w]:
			tj.low[v] = min(tj.low[v], tj.index[w])
		}
	}
	if tj.low[v] == tj.index[v] {
		k := int32(len(tj.comps))
		var members []int32
		for {
			w := tj.stack[len(tj.stack)-1]
			tj.stack = tj.stack[:len(tj.stack)-1]
			tj.onStack[w] = false
			tj.comp[w] = k
			members = append(members, w)
			if w == v {
				break
			}
		}
		tj.comps = append(tj.comps, members)
	}
}

// backward returns the holders from which category c can reach h along the
// edges active at at (h included) that admit, when not nil, admits.
func (s *snapshot) backward(h, c int32, at int64, admit func(ei int32) bool) bitset {
	seen := newBitset(len(s.holders))
	seen.set(h)
	queue := []int32{h}
	for len(queue) > 0 {
		y := queue[0]
		queue = queue[1:]
		for _, ei := range s.in[y] {
			e := &s.edges[ei]
			if !e.activeAt(at) || !e.carries.has(c) {
				continue
			}
			if admit != nil && !admit(ei) {
				continue
			}
			if !seen.has(e.from) {
				seen.set(e.from)
				queue = append(queue, e.from)
			}
		}
	}
	return seen
}

// search is one search of reachMany: from sources, not following the edges
// that refusals stop.
type search struct {
	sources  []int32
	refusals *blocks
}

// reachMany answers searches of category c's subgraph at instant at, 64 at
// a time in one pass over bit masks: search k starts from its sources and
// follows the edges active at at that carry c, except those its refusals
// stop. With backward, it follows edges against their direction (and
// finds who reaches the sources). It returns, per search, the holders
// reached, sources included.
func (s *snapshot) reachMany(c int32, at int64, searches []search, backward bool) []bitset {
	out := make([]bitset, len(searches))
	n := len(s.holders)
	mask := make([]uint64, n)
	queued := make([]bool, n)
	for start := 0; start < len(searches); start += 64 {
		batch := searches[start:min(start+64, len(searches))]
		clear(mask)
		// An edge may stop search k when its importer is named in one of
		// k's refusals, or it honours opt-outs and one of its purposes is
		// among k's refusals of a whole purpose.
		byPurpose, byRecipient := map[int32]uint64{}, map[int32]uint64{}
		var queue []int32
		for k, sr := range batch {
			bit := uint64(1) << k
			if sr.refusals != nil {
				for p := range sr.refusals.byPurpose {
					byPurpose[p] |= bit
				}
				for h := range sr.refusals.byRecipient {
					byRecipient[h] |= bit
				}
			}
			for _, h := range sr.sources {
				mask[h] |= bit
				if !queued[h] {
					queued[h] = true
					queue = append(queue, h)
				}
			}
		}
		for len(queue) > 0 {
			x := queue[0]
			queue = queue[1:]
			queued[x] = false
			adj := s.out[x]
			if backward {
				adj = s.in[x]
			}
			for _, ei := range adj {
				e := &s.edges[ei]
				if !e.activeAt(at) || !e.carries.has(c) {
					continue
				}
				m := mask[x]
				// Searches whose refusals may stop e ask law's rule.
				may := byRecipient[e.to]
				if e.honours {
					for _, p := range e.purposes {
						may |= byPurpose[p]
					}
				}
				for may &= m; may != 0; may &= may - 1 {
					k := bits.TrailingZeros64(may)
					if batch[k].refusals.stop(e) != nil {
						m &^= uint64(1) << k
					}
				}
				y := e.to
				if backward {
					y = e.from
				}
				if m &^= mask[y]; m != 0 {
					mask[y] |= m
					if !queued[y] {
						queued[y] = true
						queue = append(queue, y)
					}
				}
			}
		}
		for k := range batch {
			out[start+k] = newBitset(n)
		}
		for h, m := range mask {
			for m != 0 {
				k := bits.TrailingZeros64(m)
				out[start+k].set(int32(h))
				m &= m - 1
			}
		}
	}
	return out
}
