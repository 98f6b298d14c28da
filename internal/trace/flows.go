package trace

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/internal/apperr"
	"github.com/privhub/privhub/internal/law"
	"github.com/privhub/privhub/internal/vocab"
)

// DataFlows returns the map of data flows at instant at: the transfers
// active then that match f, and the holders at their ends. It reads no
// records. An unknown category, purpose or country in f is an
// apperr.BadUserInput error naming the filter field.
func (e *Engine) DataFlows(ctx context.Context, f FlowFilter, at time.Time) (*FlowGraph, error) {
	if err := e.catchUp(ctx); err != nil {
		return nil, err
	}
	s, err := e.current(ctx)
	if err != nil {
		return nil, err
	}
	var cats bitset
	if len(f.CategoryIDs) > 0 {
		cats = newBitset(len(s.cats))
		for _, id := range f.CategoryIDs {
			c, ok := s.catIdx[id]
			if !ok {
				// Unknown, or created since the snapshot was taken: category
				// reloads the snapshot in the second case.
				if _, _, err := e.category(ctx, s, id); err != nil {
					if ae, ok := apperr.As(err); ok && ae.Code == apperr.NotFound {
						return nil, apperr.Invalid("categoryIDs", "no data category with ID %s", id)
					}
					return nil, err
				}
				return e.DataFlows(ctx, f, at)
			}
			// The category itself, its descendants and its ancestors: a
			// transfer carrying an ancestor carries the category.
			cats.or(s.desc[c])
			for a, n := s.parent(c), 0; a >= 0 && n <= len(s.cats); a, n = s.parent(a), n+1 {
				cats.set(a)
			}
		}
	}
	var purposes []int32
	for _, id := range f.PurposeIDs {
		p, ok := s.purposeIdx[id]
		if !ok {
			return nil, apperr.Invalid("purposeIDs", "an ID names no purpose")
		}
		purposes = append(purposes, p)
	}
	for _, id := range f.CountryIDs {
		if s.countries[id] == nil {
			return nil, apperr.Invalid("countryIDs", "an ID names no country")
		}
	}
	for _, m := range f.Mechanisms {
		if !vocab.Valid(m) {
			return nil, apperr.Invalid("mechanisms", "%q is not a transfer mechanism", m)
		}
	}

	nanos := at.UnixNano()
	g := &FlowGraph{At: at, Nodes: []*FlowNode{}, Edges: []*Step{}}
	nodes := map[int32]*FlowNode{}
	node := func(h int32) *FlowNode {
		n := nodes[h]
		if n == nil {
			n = &FlowNode{Holder: s.holders[h], Country: s.countryOf(h)}
			nodes[h] = n
			g.Nodes = append(g.Nodes, n)
		}
		return n
	}
	for i := range s.edges {
		ed := &s.edges[i]
		if !ed.activeAt(nanos) ||
			(cats != nil && !ed.carries.intersects(cats)) ||
			(len(purposes) > 0 && !slices.ContainsFunc(ed.purposes, func(p int32) bool { return slices.Contains(purposes, p) })) ||
			(len(f.CountryIDs) > 0 && (ed.step.Country == nil || !slices.Contains(f.CountryIDs, ed.step.Country.ID))) ||
			(len(f.Mechanisms) > 0 && !slices.Contains(f.Mechanisms, ed.step.Mechanism)) ||
			(f.Adequate != nil && s.adequate(ed, at) != *f.Adequate) {
			continue
		}
		g.Edges = append(g.Edges, ed.step)
		node(ed.from).Exports++
		node(ed.to).Imports++
	}
	byName := func(a, b ent.Holder) int {
		return cmp.Or(cmp.Compare(a.HolderName(), b.HolderName()), cmp.Compare(a.HolderID(), b.HolderID()))
	}
	slices.SortFunc(g.Nodes, func(a, b *FlowNode) int { return byName(a.Holder, b.Holder) })
	slices.SortFunc(g.Edges, func(a, b *Step) int {
		return cmp.Or(byName(a.Exporter, b.Exporter), byName(a.Importer, b.Importer), cmp.Compare(a.Transfer.ID, b.Transfer.ID))
	})
	return g, nil
}

// adequate reports whether edge ed's importer is adequately protected where
// it processes the data at instant at (law.Adequate decides).
func (s *snapshot) adequate(ed *edge, at time.Time) bool {
	st := ed.step
	return law.Adequate(st.Country, s.adequacyAt(s.timeline(st.Country, st.Regime), at), st.Regime, law.CertificationOf(st.Importer), at)
}
