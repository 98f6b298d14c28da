package trace

import (
	"cmp"
	"slices"
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/internal/law"
)

// holdingSet gathers what walks reach into holdings: one per holder and
// chain. Chains are interned in a trie (a chain is its prefix plus one
// edge), so that a chain is one node however long it is and however many
// categories take it. Sets are recycled through the snapshot
// (newHoldingSet, release): their memory serves question after question,
// and building holdings allocates only the answer. A set is not safe for
// concurrent use.
type holdingSet struct {
	s  *snapshot
	at time.Time

	chains chainTrie
	nodeOf []int32 // per holder: its chain node in the current walk
	// prefer holds, per holder, the edge an earlier walk reached it through
	// (-1 when none): walks are passed it so that categories share chains.
	prefer []int32
	// w is the walk that walk reuses.
	w walk

	// words is the number of words of a category bitset.
	words int
	// held holds, per holder, the categories it holds so far (words words
	// each).
	held []uint64
	// lastOf holds, per holder, its latest draft (-1 when none); the drafts
	// of a holder are linked through holdingDraft.next.
	lastOf []int32
	drafts []holdingDraft
	// cats holds the categories of each draft, words words per draft.
	cats []uint64

	// of holds, once index has built it, per (holder, category) pair at
	// holder*len(cats)+category, 1 + the position of its holding in the
	// sorted holdings, 0 when the holder does not hold the category.
	of []int32

	// Scratch of build.
	byHolder []int32
	perDepth []int32
	order    []int32
	ties     []tie
	pathBuf  []int32
	adequacy [][]*ent.AdequacyDecision // per timeline, at at; nil until needed
	wheres   []*Where                  // per place, at at; nil until needed
	catLists categoryLists
	// refused gathers what the user's refusals stopped (see trace).
	refused refusals
}

// holdingDraft is a holding being gathered.
type holdingDraft struct {
	holder int32
	node   int32 // chain
	depth  int32 // the chain's
	next   int32 // the holder's previous draft, -1 when none
	pos    int32 // position in the sorted holdings, once built
}

// tie is a draft whose chain build compares with others of the same holder
// and length.
type tie struct {
	draft int32
	path  []int32 // see chainTrie.appendPath
}

// newHoldingSet returns an empty holding set for instant at, recycled
// when possible; release it when done with it and with what index answers.
func (s *snapshot) newHoldingSet(at time.Time) *holdingSet {
	hs, _ := s.holdingSets.Get().(*holdingSet)
	if hs == nil {
		n := len(s.holders)
		hs = &holdingSet{
			s:        s,
			chains:   newChainTrie(len(s.edges)),
			nodeOf:   make([]int32, n),
			prefer:   make([]int32, n),
			words:    (len(s.cats) + 63) / 64,
			lastOf:   make([]int32, n),
			adequacy: make([][]*ent.AdequacyDecision, len(s.timelines)),
			wheres:   make([]*Where, len(s.places)),
			catLists: categoryLists{s: s},
			refused:  newRefusals(len(s.edges), len(s.cats)),
		}
		hs.held = make([]uint64, n*hs.words)
		for i := range n {
			hs.prefer[i] = -1
			hs.lastOf[i] = -1
		}
	}
	hs.at = at
	return hs
}

// release empties the set and hands it back to the snapshot for reuse.
// The holdings built from it stay valid: they share none of its memory.
func (hs *holdingSet) release() {
	hs.chains.reset()
	for i := range hs.prefer {
		hs.prefer[i] = -1
	}
	clear(hs.held)
	for _, d := range hs.drafts {
		hs.lastOf[d.holder] = -1
	}
	hs.drafts = hs.drafts[:0]
	hs.cats = hs.cats[:0]
	hs.of = nil
	clear(hs.adequacy)
	clear(hs.wheres)
	hs.catLists.reset()
	hs.refused.reset()
	hs.s.holdingSets.Put(hs)
}

// walk is s.walk with the set's prefer list, into a walk the set reuses:
// the result is valid until the next call.
func (hs *holdingSet) walk(sources []int32, c int32, at int64, admit func(ei int32) bool) *walk {
	hs.s.walkInto(&hs.w, sources, c, at, admit, hs.prefer)
	return &hs.w
}

// index returns the position of the holding of category c by holder h in
// the holdings build returned. Call it only after build.
func (hs *holdingSet) index(h, c int32) (int, bool) {
	n := len(hs.s.cats)
	if hs.of == nil {
		hs.of = make([]int32, len(hs.s.holders)*n)
		for i := range hs.drafts {
			d := &hs.drafts[i]
			hs.draftCats(int32(i)).each(func(c int32) { hs.of[int(d.holder)*n+int(c)] = d.pos + 1 })
		}
	}
	i := hs.of[int(h)*n+int(c)]
	return int(i) - 1, i > 0
}

// draftCats returns the categories of draft i.
func (hs *holdingSet) draftCats(i int32) bitset {
	return bitset(hs.cats[int(i)*hs.words : int(i+1)*hs.words])
}

// addWalk records that category c reaches every holder w reached (except
// those skip refuses) through its chain in w. A holder that already has c
// keeps its first chain: callers add walks shortest first.
func (hs *holdingSet) addWalk(w *walk, c int32, skip func(h int32) bool) {
	s := hs.s
	word, bit := int(c>>6), uint64(1)<<(uint(c)&63)
	for _, h := range w.reached { // parents come before their children
		node := int32(0)
		if p := w.parent[h]; p >= 0 {
			node = hs.chains.child(hs.nodeOf[w.from[h]], p, &s.hops[p])
			if hs.prefer[h] < 0 {
				hs.prefer[h] = p
			}
		}
		hs.nodeOf[h] = node
		if skip != nil && skip(h) {
			continue
		}
		hw := int(h)*hs.words + word
		if hs.held[hw]&bit != 0 {
			continue
		}
		hs.held[hw] |= bit
		i := hs.lastOf[h]
		for i >= 0 && hs.drafts[i].node != node {
			i = hs.drafts[i].next
		}
		if i < 0 {
			i = int32(len(hs.drafts))
			hs.drafts = append(hs.drafts, holdingDraft{holder: h, node: node, depth: int32(hs.chains.depth(node)), next: hs.lastOf[h]})
			hs.lastOf[h] = i
			hs.cats = append(hs.cats, make([]uint64, hs.words)...)
		}
		hs.cats[int(i)*hs.words+word] |= bit
	}
}

// compareChains orders chains of equal length, given as paths (see
// chainTrie.appendPath), by the names of the holders along them, then by
// transfer ID.
func (hs *holdingSet) compareChains(a, b []int32) int {
	nodes := hs.chains.nodes
	for i := range min(len(a), len(b)) {
		if c := cmp.Compare(nodes[a[i]].names, nodes[b[i]].names); c != 0 {
			return c
		}
	}
	for i := range min(len(a), len(b)) {
		if c := cmp.Compare(nodes[a[i]].edge, nodes[b[i]].edge); c != 0 {
			return c
		}
	}
	return cmp.Compare(len(a), len(b))
}

// sortTies sorts drafts of one holder and one chain length by chain.
func (hs *holdingSet) sortTies(drafts []int32) {
	ties, buf := hs.ties[:0], hs.pathBuf[:0]
	for _, i := range drafts {
		buf = hs.chains.appendPath(buf, hs.drafts[i].node)
		ties = append(ties, tie{draft: i})
	}
	d := len(buf) / len(drafts)
	for k := range ties {
		ties[k].path = buf[k*d : (k+1)*d]
	}
	slices.SortFunc(ties, func(a, b tie) int { return hs.compareChains(a.path, b.path) })
	for k, t := range ties {
		drafts[k] = t.draft
	}
	hs.ties, hs.pathBuf = ties, buf
}

// adequacyAt returns the decisions of timeline i (-1 for none) in force at
// the set's instant, looking each timeline up once.
func (hs *holdingSet) adequacyAt(i int32) []*ent.AdequacyDecision {
	if i < 0 {
		return hs.s.noAdequacy
	}
	ds := hs.adequacy[i]
	if ds == nil {
		ds = hs.s.adequacyAt(i, hs.at)
		hs.adequacy[i] = ds
	}
	return ds
}

// where returns the Where of place pl at the set's instant, shared by the
// holdings of one answer.
func (hs *holdingSet) where(pl int32) *Where {
	w := hs.wheres[pl]
	if w == nil {
		p := &hs.s.places[pl]
		w = &Where{Country: p.country, Regime: p.regime, Adequacy: hs.adequacyAt(p.timeline), At: hs.at}
		hs.wheres[pl] = w
	}
	return w
}

// sorted returns the drafts by depth, then holder rank, then chain.
func (hs *holdingSet) sorted() []int32 {
	// Gather the drafts holder by holder in rank order, then sort them
	// stably by depth (counting sort): only drafts of one holder at one
	// depth remain to be ordered, by chain.
	byHolder, perDepth := hs.byHolder[:0], hs.perDepth[:0]
	for _, h := range hs.s.byRank {
		for i := hs.lastOf[h]; i >= 0; i = hs.drafts[i].next {
			byHolder = append(byHolder, i)
			d := int(hs.drafts[i].depth)
			for len(perDepth) <= d+1 {
				perDepth = append(perDepth, 0)
			}
			perDepth[d+1]++
		}
	}
	for d := 1; d < len(perDepth); d++ {
		perDepth[d] += perDepth[d-1] // perDepth[d]: where depth d starts
	}
	order := slices.Grow(hs.order[:0], len(byHolder))[:len(byHolder)]
	for _, i := range byHolder {
		d := hs.drafts[i].depth
		order[perDepth[d]] = i
		perDepth[d]++
	}
	hs.byHolder, hs.perDepth, hs.order = byHolder, perDepth, order
	for i := 0; i < len(order); {
		d := &hs.drafts[order[i]]
		j := i + 1
		for j < len(order) && hs.drafts[order[j]].holder == d.holder && hs.drafts[order[j]].depth == d.depth {
			j++
		}
		if j-i > 1 {
			hs.sortTies(order[i:j])
		}
		i = j
	}
	return order
}

// build sorts the holdings (by depth, holder name, holder ID, chain) and
// returns them; index answers with positions in that order. Holdings of
// equal categories share their category list, and those of equal country,
// regime and instant their adequacy decisions.
func (hs *holdingSet) build() []*Holding {
	s := hs.s
	order := hs.sorted()
	total := 0
	for _, d := range hs.drafts {
		total += int(d.depth)
	}
	// One allocation for all holdings, one for all steps.
	out := make([]*Holding, len(order))
	structs := make([]Holding, len(order))
	steps := make([]*Step, total)
	for p, i := range order {
		d := &hs.drafts[i]
		d.pos = int32(p)
		node := &hs.chains.nodes[d.node]
		depth := int(node.depth)
		chain := steps[:depth:depth]
		steps = steps[depth:]
		hs.chains.fillSteps(chain, d.node, s.steps)
		pl := node.place
		if depth == 0 {
			pl = s.holderPlace[d.holder]
		}
		// Field by field: structs is zeroed, and a composite literal
		// would be built aside and copied.
		h := &structs[p]
		h.Holder = s.holders[d.holder]
		h.Categories = hs.catLists.of(hs.draftCats(i))
		h.Chain = chain
		h.Where = hs.where(pl)
		out[p] = h
	}
	return out
}

// Adequate reports whether the holder's country protects the data without
// further safeguards at the instant asked about: it is in the EEA, or an
// adequacy decision of the holding's regime covers the holder there (for a
// partial decision, through the holder's certification; law.Cover decides).
func (h *Holding) Adequate() bool {
	return law.Adequate(h.Country, h.Adequacy, h.Regime, law.CertificationOf(h.Holder), h.At)
}
