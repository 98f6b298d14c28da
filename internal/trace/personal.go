package trace

import (
	"slices"

	"github.com/privhub/privhub/ent"
)

// personalFlows is what decides, for one person, which flows carried their
// data: the purposes their records were collected for, and the disclosure
// batches that named them.
type personalFlows struct {
	// purposes holds, per category and collector of the person's records,
	// the purposes of those records (sorted); none recorded means any.
	purposes map[originKey][]int32
	// disclosed holds, per batched edge that named the person, the
	// categories the batches shared (nil: every category the edge carries).
	disclosed map[int32]bitset
}

// originKey is a category and a collector, by index.
type originKey struct{ category, holder int32 }

// personal gathers a person's flows from their records (with purposes) and
// the disclosure batches that named them (with categories).
func (s *snapshot) personal(records []*ent.DataRecord, batches []*ent.Disclosure) *personalFlows {
	pf := &personalFlows{purposes: map[originKey][]int32{}, disclosed: map[int32]bitset{}}
	for _, r := range records {
		c, okC := s.catIdx[r.CategoryID]
		h, okH := s.holderIdx[deref(r.CollectorOrganizationID, r.CollectorVendorID)]
		if !okC || !okH {
			continue
		}
		k := originKey{c, h}
		ps, seen := pf.purposes[k]
		if seen && ps == nil {
			continue // another record of the category there has no purpose: any
		}
		if len(r.Edges.Purposes) == 0 {
			pf.purposes[k] = nil
			continue
		}
		for _, p := range r.Edges.Purposes {
			if pi, ok := s.purposeIdx[p.ID]; ok && !slices.Contains(ps, pi) {
				ps = append(ps, pi)
			}
		}
		slices.Sort(ps)
		pf.purposes[k] = ps
	}
	for _, d := range batches {
		ei, ok := s.edgeOf[d.TransferID]
		if !ok {
			continue
		}
		cats, named := pf.disclosed[ei]
		if named && cats == nil {
			continue // an earlier batch shared every category
		}
		if len(d.Edges.Categories) == 0 {
			pf.disclosed[ei] = nil
			continue
		}
		if cats == nil {
			cats = newBitset(len(s.cats))
		}
		for _, dc := range d.Edges.Categories {
			if ci, ok := s.catIdx[dc.ID]; ok {
				cats.or(s.desc[ci])
			}
		}
		pf.disclosed[ei] = cats
	}
	return pf
}

// carries reports whether edge ei carried the person's data of category c:
// a batched edge when a batch named them and shared c (the batch is the
// record of what went), any other edge leaving the collector of their
// record of c only when it is made for one of the record's purposes.
func (pf *personalFlows) carries(s *snapshot, ei, c int32) bool {
	if s.batched.has(ei) {
		cats, named := pf.disclosed[ei]
		return named && (cats == nil || cats.has(c))
	}
	e := &s.edges[ei]
	ps := pf.purposes[originKey{c, e.from}]
	return len(ps) == 0 || len(e.purposes) == 0 || intersectsSorted(ps, e.purposes)
}

// intersectsSorted reports whether two sorted lists share an element.
func intersectsSorted(a, b []int32) bool {
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] == b[j]:
			return true
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return false
}
