package trace

import (
	"slices"

	"github.com/privhub/privhub/ent"
)

// refusals gathers, during one trace, the edges the user's refusals stopped
// and, per edge, the categories it would have carried. A user who opted out
// of a purpose many transfers are made for stops hundreds of edges, so the
// set lives in flat slices recycled with the holdingSet rather than in a
// map of small allocations.
type refusals struct {
	words int     // words of a category bitset
	pos   []int32 // per edge: 1 + its position in edges, 0 when not stopped
	edges []int32 // the stopped edges, as met
	cats  []uint64
	keys  []uint64 // scratch of flows
}

func newRefusals(edges, cats int) refusals {
	return refusals{words: (cats + 63) / 64, pos: make([]int32, edges)}
}

// add notes that edge ei stopped category c.
func (r *refusals) add(ei, c int32) {
	k := r.pos[ei] - 1
	if k < 0 {
		k = int32(len(r.edges))
		r.edges = append(r.edges, ei)
		r.pos[ei] = k + 1
		r.cats = append(r.cats, make([]uint64, r.words)...)
	}
	r.cats[int(k)*r.words+int(c>>6)] |= 1 << (uint(c) & 63)
}

// reset empties the set for the next trace.
func (r *refusals) reset() {
	for _, ei := range r.edges {
		r.pos[ei] = 0
	}
	r.edges, r.cats = r.edges[:0], r.cats[:0]
}

// flows returns the stopped flows, one per edge, ordered by importer name
// (the holders' rank) and then transfer ID (the edges' order), with the
// entry of b that stops each and why in words. Category lists come from
// lists, shared with the holdings.
func (r *refusals) flows(s *snapshot, b *blocks, lists *categoryLists) []*BlockedFlow {
	// Integer keys: comparing names through the holders would chase a
	// pointer per comparison.
	keys := r.keys[:0]
	for _, ei := range r.edges {
		keys = append(keys, uint64(s.rank[s.edges[ei].to])<<32|uint64(ei))
	}
	slices.Sort(keys)
	r.keys = keys

	out := make([]*BlockedFlow, len(keys))
	flows := make([]BlockedFlow, len(keys))
	// A refusal stops many flows: word it once.
	reasons := map[*ent.Consent]aroundName{}
	for i, key := range keys {
		ei := int32(uint32(key))
		k := int(r.pos[ei] - 1)
		step := s.edges[ei].step
		entry := b.stop(&s.edges[ei]).entry
		why, ok := reasons[entry]
		if !ok {
			why = s.reasonAround(entry)
			reasons[entry] = why
		}
		f := &flows[i]
		f.Transfer = step.Transfer
		f.Step = step
		f.Exporter = step.Exporter
		f.Importer = step.Importer
		f.Categories = lists.of(bitset(r.cats[k*r.words : (k+1)*r.words]))
		f.Consent = entry
		f.Reason = why.before + step.Importer.HolderName() + why.after
		out[i] = f
	}
	return out
}
