package trace

import (
	"slices"
	"sort"
)

// arcs is the out-adjacency of the transfer graph split by category and
// laid out for walks: for each category c and holder h, the edges h exports
// on that carry c, contiguous and in edge order, so that a walk of c reads
// only the edges it may follow, in sequence. An edge appears once per
// category it carries.
type arcs struct {
	list []arc
	// start holds, for category c and holder h at c*(holders+1)+h, the
	// index in list of the first arc of c leaving h; they end where those
	// of h+1 start.
	start   []int32
	holders int
	// bounds are the distinct instants at which edges start or end (Unix
	// nanoseconds), sorted: arcs name theirs by index.
	bounds []int64
}

// arc is one edge as a walk of one of its categories sees it.
type arc struct {
	to, edge int32
	// from and until index in bounds the start and the (exclusive) end of
	// the edge's activity.
	from, until int32
}

// newArcs lays out the out-adjacency of s.
func newArcs(s *snapshot) arcs {
	n, h := len(s.cats), len(s.holders)
	a := arcs{start: make([]int32, n*(h+1)+1), holders: h}
	for i := range s.edges {
		e := &s.edges[i]
		a.bounds = append(a.bounds, e.start, e.end)
	}
	slices.Sort(a.bounds)
	a.bounds = slices.Compact(a.bounds)
	// Count the arcs of each (category, holder), then place them.
	for i := range s.edges {
		e := &s.edges[i]
		e.carries.each(func(c int32) { a.start[int(c)*(h+1)+int(e.from)+1]++ })
	}
	for i := 1; i < len(a.start); i++ {
		a.start[i] += a.start[i-1]
	}
	a.list = make([]arc, a.start[len(a.start)-1])
	next := slices.Clone(a.start)
	for i := range s.edges {
		e := &s.edges[i]
		r := arc{to: e.to, edge: int32(i), from: a.bound(e.start), until: a.bound(e.end)}
		e.carries.each(func(c int32) {
			k := int(c)*(h+1) + int(e.from)
			a.list[next[k]] = r
			next[k]++
		})
	}
	return a
}

// bound returns the index of instant t in bounds.
func (a *arcs) bound(t int64) int32 {
	i, _ := slices.BinarySearch(a.bounds, t)
	return int32(i)
}

// epoch returns the number of bounds at or before instant at: an arc is
// active at at when from < epoch <= until.
func (a *arcs) epoch(at int64) int32 {
	return int32(sort.Search(len(a.bounds), func(i int) bool { return a.bounds[i] > at }))
}

// of returns the arcs of category c leaving holder h.
func (a *arcs) of(c, h int32) []arc {
	k := int(c)*(a.holders+1) + int(h)
	return a.list[a.start[k]:a.start[k+1]]
}

// activeIn reports whether the arc's edge is active at the instants of
// epoch k.
func (r *arc) activeIn(k int32) bool { return r.from < k && k <= r.until }
