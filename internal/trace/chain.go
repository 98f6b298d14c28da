package trace

// chainTrie interns chains of edges: a chain is a node, made of the node of
// its prefix and its last edge, so that equal chains are one node and a
// chain costs one node whatever its length. Node 0 is the empty chain.
type chainTrie struct {
	nodes []chainNode
	// last holds, per edge, the latest node ending with it (-1 when none);
	// the nodes ending with one edge are linked through chainNode.next.
	last []int32
}

// chainNode is one chain of a chainTrie.
type chainNode struct {
	prefix int32 // the node of the chain without its last edge
	edge   int32 // the last edge, -1 for the empty chain
	depth  int32 // the number of edges
	next   int32 // the previous node ending with edge, -1 when none
	hop          // the last edge's
}

// hop is what a chain keeps of one of its edges. It holds no pointer, so
// that the garbage collector has nothing to scan or to watch in chains.
type hop struct {
	// names holds the ranks of the exporter and the importer (in the high
	// and low halves): chains are ordered by the names along them.
	names uint64
	// place is step.Country and step.Regime: where the importer holds
	// what the edge carries.
	place int32
}

// newChainTrie returns a trie of chains over edges edges, holding only the
// empty chain.
func newChainTrie(edges int) chainTrie {
	t := chainTrie{nodes: []chainNode{{prefix: -1, edge: -1, next: -1}}, last: make([]int32, edges)}
	for i := range t.last {
		t.last[i] = -1
	}
	return t
}

// child returns the node of the chain of node prefix followed by edge
// number edge, whose hop is h, adding it when new.
func (t *chainTrie) child(prefix, edge int32, h *hop) int32 {
	for n := t.last[edge]; n >= 0; n = t.nodes[n].next {
		if t.nodes[n].prefix == prefix {
			return n
		}
	}
	n := int32(len(t.nodes))
	t.nodes = append(t.nodes, chainNode{
		prefix: prefix, edge: edge, depth: t.nodes[prefix].depth + 1, next: t.last[edge], hop: *h,
	})
	t.last[edge] = n
	return n
}

// depth returns the number of edges of node n's chain.
func (t *chainTrie) depth(n int32) int { return int(t.nodes[n].depth) }

// appendPath appends the nodes of node n's chain and its prefixes but the
// empty one (one per edge, from the first edge's), to buf.
func (t *chainTrie) appendPath(buf []int32, n int32) []int32 {
	d := t.depth(n)
	buf = append(buf, make([]int32, d)...)
	for i := len(buf) - 1; n > 0; i, n = i-1, t.nodes[n].prefix {
		buf[i] = n
	}
	return buf
}

// fillSteps writes the steps of node n's chain, from the first, into
// steps, which has room for exactly them; stepOf gives each edge's.
func (t *chainTrie) fillSteps(steps []*Step, n int32, stepOf []*Step) {
	for i := len(steps) - 1; i >= 0; i, n = i-1, t.nodes[n].prefix {
		steps[i] = stepOf[t.nodes[n].edge]
	}
}

// reset empties the trie back to the empty chain, keeping its memory.
func (t *chainTrie) reset() {
	for _, nd := range t.nodes[1:] {
		t.last[nd.edge] = -1
	}
	t.nodes = t.nodes[:1]
}
