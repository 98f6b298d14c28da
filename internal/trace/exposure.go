package trace

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/internal/pulid"
)

// Exposure returns what reaches holder holderID (an organization or a
// vendor) at instant at: the categories, the shortest chain through which
// each arrives, the holders it passes them on to (to any depth), the
// countries involved and the number of users affected, respecting consent.
// An unknown holder is an apperr.NotFound error.
func (e *Engine) Exposure(ctx context.Context, holderID pulid.ID, at time.Time) (*Exposure, error) {
	if err := e.catchUp(ctx); err != nil {
		return nil, err
	}
	s, err := e.current(ctx)
	if err != nil {
		return nil, err
	}
	for attempt := 0; ; attempt++ {
		var h int32
		if s, h, err = e.holder(ctx, s, holderID); err != nil {
			return nil, err
		}
		x, stale, err := e.exposure(ctx, s, h, at)
		if err != nil || !stale || attempt > 0 {
			return x, err
		}
		if s, err = e.reload(ctx, s); err != nil {
			return nil, err
		}
	}
}

func (e *Engine) exposure(ctx context.Context, s *snapshot, h int32, at time.Time) (*Exposure, bool, error) {
	nanos := at.UnixNano()
	x := &Exposure{
		Holder: s.holders[h], At: at,
		Categories: []*ent.DataCategory{}, Upstream: []*Holding{}, Downstream: []*Holding{}, Countries: []*ent.Country{},
	}

	// need[y]: the categories that can flow from y to h at the instant,
	// found by walking the active edges backwards to a fixed point.
	need := make([]bitset, len(s.holders))
	need[h] = newBitset(len(s.cats))
	for i := range s.cats {
		need[h].set(int32(i))
	}
	queue := []int32{h}
	for len(queue) > 0 {
		y := queue[0]
		queue = queue[1:]
		for _, ei := range s.in[y] {
			ed := &s.edges[ei]
			if !ed.activeAt(nanos) {
				continue
			}
			if need[ed.from] == nil {
				need[ed.from] = newBitset(len(s.cats))
			}
			grew := false
			for w, bits := range ed.carries {
				if add := bits & need[y][w] &^ need[ed.from][w]; add != 0 {
					need[ed.from][w] |= add
					grew = true
				}
			}
			if grew {
				queue = append(queue, ed.from)
			}
		}
	}
	var upstreamHolders []int32
	for y, n := range need {
		if n != nil && !n.empty() {
			upstreamHolders = append(upstreamHolders, int32(y))
		}
	}
	filter := upstreamHolders
	if len(filter) == len(s.holders) {
		filter = nil // every holder: no need to say so
	}
	all, cs, release, stale, err := e.collectorGroups(ctx, s, at, nil, filter)
	if err != nil || stale {
		return nil, stale, err
	}
	defer release()
	var groups []group
	for _, g := range all {
		if need[g.holder] != nil && need[g.holder].has(g.cat) {
			groups = append(groups, g)
		}
	}
	t := newTally(s, at, groups, 0)

	// Upstream: per category, the shortest chain from its collectors to h.
	up := s.newHoldingSet(at)
	defer up.release()
	var reaching []int32
	for i := 0; i < len(groups); {
		c := groups[i].cat
		var sources []int32
		for ; i < len(groups) && groups[i].cat == c; i++ {
			sources = append(sources, groups[i].holder)
		}
		w := up.walk(sources, c, nanos, nil)
		if w.has(h) {
			up.addWalk(w, c, func(y int32) bool { return y != h })
			reaching = append(reaching, c)
		}
	}
	x.Upstream = up.build()

	// Downstream: per category reaching h, where h passes it on.
	down := s.newHoldingSet(at)
	defer down.release()
	fromHWalks := map[int32]*walk{}
	for _, c := range reaching {
		w := s.walk([]int32{h}, c, nanos, t.admit(nil, c), down.prefer)
		fromHWalks[c] = w
		down.addWalk(w, c, func(y int32) bool { return y == h })
	}
	x.Downstream = down.build()

	// Users: target 0 is h, then the upstream holdings, then the downstream.
	// Without refusals, a group reaches h when its collector is among the
	// holders h is reachable from for its category (one backward walk per
	// category), and then whatever h passes that category on to.
	nUp := len(x.Upstream)
	t.targets = 1 + nUp + len(x.Downstream)
	back := map[int32]bitset{}
	fromH := func(c int32, downstream bitset) bitset {
		r := newBitset(t.targets)
		r.set(0)
		if i, ok := up.index(h, c); ok {
			r.set(int32(1 + i))
		}
		downstream.each(func(d int32) {
			if i, ok := down.index(d, c); ok {
				r.set(int32(1 + nUp + i))
			}
		})
		return r
	}
	t.base = func(g int) bitset {
		gr := t.groups[g]
		bk, ok := back[gr.cat]
		if !ok {
			bk = s.backward(h, gr.cat, nanos, t.admit(nil, gr.cat))
			back[gr.cat] = bk
		}
		if !bk.has(gr.holder) {
			return newBitset(t.targets)
		}
		// gr reaches h, so its category is among those reaching h.
		reached := newBitset(len(s.holders))
		for _, d := range fromHWalks[gr.cat].reached {
			reached.set(d)
		}
		return fromH(gr.cat, reached)
	}
	t.blocked = func(c int32, gs []int, bs []*blocks) []bitset {
		// Per distinct refusals: who reaches h, and whom h reaches.
		idx := map[string]int{}
		var searches []search
		for _, b := range bs {
			if _, ok := idx[b.key]; !ok {
				idx[b.key] = len(searches)
				searches = append(searches, search{sources: []int32{h}, refusals: b})
			}
		}
		backs := s.reachMany(c, nanos, searches, true)
		fwds := s.reachMany(c, nanos, searches, false)
		out := make([]bitset, len(gs))
		for i, g := range gs {
			k := idx[bs[i].key]
			if backs[k].has(t.groups[g].holder) {
				out[i] = fromH(c, fwds[k])
			} else {
				out[i] = newBitset(t.targets)
			}
		}
		return out
	}
	counts, err := t.count(ctx, e.client, cs)
	if err != nil {
		return nil, false, err
	}
	x.Users = counts[0]
	for i, hd := range x.Upstream {
		hd.Users = counts[1+i]
	}
	for i, hd := range x.Downstream {
		hd.Users = counts[1+nUp+i]
	}

	cats := newBitset(len(s.cats))
	countries := map[pulid.ID]*ent.Country{}
	addCountry := func(c *ent.Country) {
		if c != nil {
			countries[c.ID] = c
		}
	}
	addCountry(s.countryOf(h))
	for _, hd := range x.Upstream {
		for _, c := range hd.Categories {
			cats.set(s.catIdx[c.ID])
		}
		if len(hd.Chain) > 0 {
			addCountry(s.countries[hd.Chain[0].Exporter.HolderCountry()])
		}
	}
	for _, list := range [][]*Holding{x.Upstream, x.Downstream} {
		for _, hd := range list {
			for _, st := range hd.Chain {
				addCountry(st.Country)
			}
		}
	}
	x.Categories = s.categoryList(cats)
	for _, c := range countries {
		x.Countries = append(x.Countries, c)
	}
	slices.SortFunc(x.Countries, func(a, b *ent.Country) int { return cmp.Compare(a.ID, b.ID) })
	return x, false, nil
}
