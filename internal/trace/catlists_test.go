package trace

import (
	"slices"
	"testing"

	"github.com/privhub/privhub/ent"
)

// TestCategoryListsShareEqualSets checks that equal sets, of one word or
// more, get one list and different sets their own, by key.
func TestCategoryListsShareEqualSets(t *testing.T) {
	for _, n := range []int{3, 130} {
		s := &snapshot{}
		for i := range n {
			s.cats = append(s.cats, &ent.DataCategory{Key: string(rune('A' + i%26))})
		}
		cl := &categoryLists{s: s}
		set := func(members ...int32) bitset {
			b := newBitset(n)
			for _, m := range members {
				b.set(m)
			}
			return b
		}
		last := int32(n - 1)
		x, y, z := cl.of(set(0, last)), cl.of(set(0, last)), cl.of(set(last))
		if &x[0] != &y[0] || len(x) != 2 || x[1] != s.cats[last] {
			t.Fatalf("%d categories: equal sets got %v and %v", n, x, y)
		}
		if len(z) != 1 || &z[0] == &x[1] {
			t.Fatalf("%d categories: a different set got %v", n, z)
		}
		if e := cl.of(set()); e == nil || len(e) != 0 {
			t.Fatalf("%d categories: the empty set got %#v", n, e)
		}
		if cap(x) != len(x) {
			t.Fatalf("%d categories: a shared list has spare capacity", n)
		}
		cl.reset()
		if w := cl.of(set(0, last)); &w[0] == &x[0] || !slices.Equal(w, x) {
			t.Fatalf("%d categories: after reset got %v", n, w)
		}
	}
}
