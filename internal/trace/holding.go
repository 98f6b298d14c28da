package trace

import (
	"cmp"
	"slices"
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/internal/vocab"
)

// holdingSet gathers what walks reach into holdings: one per holder and
// chain. Chains are interned in a trie (a chain is its prefix plus one
// edge), so that gathering allocates per holding, not per category reached.
type holdingSet struct {
	s  *snapshot
	at time.Time
	// The chain trie: node 0 is the empty chain.
	trie       map[[2]int32]int32 // (prefix node, edge) -> node
	nodeEdge   []int32
	nodeParent []int32
	scratch    []int32 // per holder: its chain node in the current walk
	// prefer holds, per holder, the edge an earlier walk reached it through
	// (-1 when none): pass it to walk so that categories share chains.
	prefer []int32

	// perHolder lists each holder's holdings (indexes in list).
	perHolder [][]int32
	list      []*holdingDraft
	// of holds, per (holder, category) pair at holder*len(cats)+category,
	// 1 + the index of its holding in list (in the sorted order once build
	// has run), 0 when the holder does not hold the category.
	of []int32
}

type holdingDraft struct {
	holder int32
	node   int32
	chain  []int32
	cats   bitset
}

func newHoldingSet(s *snapshot, at time.Time) *holdingSet {
	prefer := make([]int32, len(s.holders))
	for i := range prefer {
		prefer[i] = -1
	}
	return &holdingSet{
		s: s, at: at, prefer: prefer,
		trie: map[[2]int32]int32{}, nodeEdge: []int32{-1}, nodeParent: []int32{-1},
		perHolder: make([][]int32, len(s.holders)),
		of:        make([]int32, len(s.holders)*len(s.cats)),
	}
}

// index returns the index of the holding of category c by holder h.
func (hs *holdingSet) index(h, c int32) (int, bool) {
	i := hs.of[int(h)*len(hs.s.cats)+int(c)]
	return int(i) - 1, i > 0
}

// addWalk records that category c reaches every holder w reached (except
// those skip refuses) through its chain in w. A holder that already has c
// keeps its first chain: callers add walks shortest first.
func (hs *holdingSet) addWalk(w *walk, c int32, skip func(h int32) bool) {
	if hs.scratch == nil {
		hs.scratch = make([]int32, len(hs.s.holders))
	}
	for _, h := range w.reached { // parents come before their children
		node := int32(0)
		if p := w.parent[h]; p >= 0 {
			k := [2]int32{hs.scratch[hs.s.edges[p].from], p}
			n, ok := hs.trie[k]
			if !ok {
				n = int32(len(hs.nodeEdge))
				hs.trie[k] = n
				hs.nodeEdge = append(hs.nodeEdge, p)
				hs.nodeParent = append(hs.nodeParent, k[0])
			}
			node = n
		}
		hs.scratch[h] = node
		if p := w.parent[h]; p >= 0 && hs.prefer[h] < 0 {
			hs.prefer[h] = p
		}
		if skip != nil && skip(h) {
			continue
		}
		hc := int(h)*len(hs.s.cats) + int(c)
		if hs.of[hc] > 0 {
			continue
		}
		i := int32(-1)
		for _, j := range hs.perHolder[h] {
			if hs.list[j].node == node {
				i = j
				break
			}
		}
		if i < 0 {
			i = int32(len(hs.list))
			hs.perHolder[h] = append(hs.perHolder[h], i)
			hs.list = append(hs.list, &holdingDraft{holder: h, node: node, cats: newBitset(len(hs.s.cats))})
		}
		hs.list[i].cats.set(c)
		hs.of[hc] = i + 1
	}
}

// chainOf returns the edges of a trie node, from the collector.
func (hs *holdingSet) chainOf(node int32) []int32 {
	var es []int32
	for n := node; n > 0; n = hs.nodeParent[n] {
		es = append(es, hs.nodeEdge[n])
	}
	slices.Reverse(es)
	return es
}

// compareChains orders chains of equal length by the names of the holders
// along them, then by transfer ID.
func (hs *holdingSet) compareChains(a, b []int32) int {
	rank := hs.s.rank
	for i := range min(len(a), len(b)) {
		x, y := &hs.s.edges[a[i]], &hs.s.edges[b[i]]
		if c := cmp.Or(cmp.Compare(rank[x.from], rank[y.from]), cmp.Compare(rank[x.to], rank[y.to])); c != 0 {
			return c
		}
	}
	return slices.Compare(a, b)
}

// build sorts the holdings (by depth, holder name, holder ID, chain) and
// returns them; of is renumbered to the sorted order.
func (hs *holdingSet) build() []*Holding {
	s := hs.s
	for _, d := range hs.list {
		d.chain = hs.chainOf(d.node)
	}
	// Sort by a packed (depth, holder rank, index) key; only holdings of
	// one holder at one depth need their chains compared.
	keys := make([]uint64, len(hs.list))
	for i, d := range hs.list {
		keys[i] = uint64(len(d.chain))<<48 | uint64(s.rank[d.holder])<<24 | uint64(i)
	}
	slices.Sort(keys)
	order := make([]int, len(keys))
	for i, k := range keys {
		order[i] = int(k & (1<<24 - 1))
	}
	for i := 0; i < len(keys); {
		j := i + 1
		for j < len(keys) && keys[j]>>24 == keys[i]>>24 {
			j++
		}
		if j-i > 1 {
			slices.SortFunc(order[i:j], func(a, b int) int { return hs.compareChains(hs.list[a].chain, hs.list[b].chain) })
		}
		i = j
	}
	pos := make([]int, len(order))
	out := make([]*Holding, len(order))
	// One allocation for all holdings, steps and category lists.
	structs := make([]Holding, len(order))
	total := 0
	for _, d := range hs.list {
		total += len(d.chain)
	}
	steps := make([]*Step, 0, total)
	// Adequacy depends on the country and regime of the last step (or of a
	// collector): key it by that step's edge, or by the collector, which
	// hashes much faster than the country and regime themselves.
	adequacy := map[int64][]*ent.AdequacyDecision{}
	for p, i := range order {
		pos[i] = p
		d := hs.list[i]
		h := &structs[p]
		*h = Holding{
			Holder:     s.holders[d.holder],
			Categories: s.categoryList(d.cats),
			Regime:     vocab.RegimeEU,
			Depth:      len(d.chain),
		}
		start := len(steps)
		for _, ei := range d.chain {
			steps = append(steps, s.edges[ei].step)
		}
		h.Chain = steps[start:len(steps):len(steps)]
		var k int64
		if n := len(d.chain); n > 0 {
			last := h.Chain[n-1]
			h.Country, h.Regime = last.Country, last.Regime
			k = int64(d.chain[n-1])
		} else {
			h.Country = s.countryOf(d.holder)
			k = -1 - int64(d.holder)
		}
		ds, ok := adequacy[k]
		if !ok {
			ds = s.adequacyAt(h.Country, h.Regime, hs.at)
			adequacy[k] = ds
		}
		h.Adequacy = ds
		out[p] = h
	}
	for k, i := range hs.of {
		if i > 0 {
			hs.of[k] = int32(pos[i-1]) + 1
		}
	}
	return out
}

// Adequate reports whether the holder's country protects the data without
// further safeguards: it is in the EEA, or an adequacy decision of the
// holding's regime is in force for it at the instant asked about.
func (h *Holding) Adequate() bool {
	return h.Country != nil && h.Country.Eea || len(h.Adequacy) > 0
}
