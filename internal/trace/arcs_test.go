package trace

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/privhub/privhub/ent"
)

// TestArcsMatchEdges checks that, at any instant, the active arcs of a
// category leaving a holder are the edges leaving it that are active then
// and carry the category, in edge order.
func TestArcsMatchEdges(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const holders, cats = 6, 70 // categories over two words
	s := &snapshot{holders: make([]ent.Holder, holders), cats: make([]*ent.DataCategory, cats)}
	s.out = make([][]int32, holders)
	times := []int64{math.MinInt64 + 1, -5, 0, 3, 3, 7, 10, math.MaxInt64}
	for i := range 200 {
		e := edge{
			from: int32(rng.IntN(holders)), to: int32(rng.IntN(holders)),
			start: times[rng.IntN(len(times)-1)], end: math.MaxInt64,
			carries: newBitset(cats),
		}
		if rng.IntN(2) == 0 {
			e.end = times[rng.IntN(len(times))] // possibly before start
		}
		for range rng.IntN(4) {
			e.carries.set(int32(rng.IntN(cats)))
		}
		s.edges = append(s.edges, e)
		s.out[e.from] = append(s.out[e.from], int32(i))
	}
	a := newArcs(s)
	for _, at := range []int64{math.MinInt64, -6, -5, 0, 2, 3, 5, 7, 9, 10, 11, math.MaxInt64 - 1, math.MaxInt64} {
		epoch := a.epoch(at)
		for c := range int32(cats) {
			for h := range int32(holders) {
				var want, got []int32
				for _, ei := range s.out[h] {
					if e := &s.edges[ei]; e.activeAt(at) && e.carries.has(c) {
						want = append(want, ei)
					}
				}
				for _, r := range a.of(c, h) {
					if r.activeIn(epoch) {
						got = append(got, r.edge)
						if r.to != s.edges[r.edge].to {
							t.Fatalf("arc of edge %d leads to %d", r.edge, r.to)
						}
					}
				}
				if !slices.Equal(got, want) {
					t.Fatalf("at %d, category %d, holder %d: arcs %v, want %v", at, c, h, got, want)
				}
			}
		}
	}
}
