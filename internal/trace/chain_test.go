package trace

import (
	"slices"
	"testing"
)

// TestChainTrieInternsChains checks that equal chains are one node, that
// nodes give back their edges and steps, and that reset forgets them.
func TestChainTrieInternsChains(t *testing.T) {
	edges, stepOf := make([]hop, 4), make([]*Step, 4)
	for i := range edges {
		edges[i], stepOf[i] = hop{place: int32(10 + i)}, &Step{}
	}
	tr := newChainTrie(len(edges))
	a := tr.child(0, 2, &edges[2])  // 2
	ab := tr.child(a, 3, &edges[3]) // 2 3
	b := tr.child(0, 3, &edges[3])  // 3: same last edge, other prefix
	if tr.child(0, 2, &edges[2]) != a || tr.child(a, 3, &edges[3]) != ab || tr.child(0, 3, &edges[3]) != b {
		t.Fatal("equal chains got different nodes")
	}
	if len(tr.nodes) != 4 || a == ab || ab == b {
		t.Fatalf("nodes %v", tr.nodes)
	}
	if got := tr.appendPath([]int32{7}, ab); !slices.Equal(got, []int32{7, a, ab}) {
		t.Fatalf("path of 2 3: %v", got)
	}
	if got := tr.appendPath(nil, 0); len(got) != 0 {
		t.Fatalf("path of the empty chain: %v", got)
	}
	steps := make([]*Step, tr.depth(ab))
	tr.fillSteps(steps, ab, stepOf)
	if !slices.Equal(steps, []*Step{stepOf[2], stepOf[3]}) || tr.nodes[ab].place != 13 {
		t.Fatalf("steps %v, place %d", steps, tr.nodes[ab].place)
	}
	tr.reset()
	if len(tr.nodes) != 1 || slices.ContainsFunc(tr.last, func(n int32) bool { return n != -1 }) {
		t.Fatalf("after reset: nodes %v, last %v", tr.nodes, tr.last)
	}
	if n := tr.child(0, 3, &edges[3]); n != 1 || tr.depth(n) != 1 {
		t.Fatalf("after reset: node %d", n)
	}
}
