package trace

import (
	"slices"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/internal/pulid"
)

// HoldingFilter narrows a list of holdings to those a question is about.
type HoldingFilter struct {
	// Purpose, when set, keeps the holdings whose data reached the holder
	// through a transfer made for this purpose (its ID or key): the last
	// step of the holding's chain. A collector's own holding has no such
	// step.
	Purpose *pulid.ID
	// Adequate, when set, keeps the holdings whose holder is (true) or is
	// not (false) adequately protected where it processes the data.
	Adequate *bool
}

// Select returns the holdings that pass f, in their order.
func Select(hs []*Holding, f HoldingFilter) []*Holding {
	if f.Purpose == nil && f.Adequate == nil {
		return hs
	}
	out := make([]*Holding, 0, len(hs))
	for _, h := range hs {
		if f.Purpose != nil {
			if len(h.Chain) == 0 {
				continue
			}
			last := h.Chain[len(h.Chain)-1]
			if !slices.ContainsFunc(last.Purposes, func(p *ent.Purpose) bool { return p.ID == *f.Purpose || p.Key == string(*f.Purpose) }) {
				continue
			}
		}
		if f.Adequate != nil && h.Adequate() != *f.Adequate {
			continue
		}
		out = append(out, h)
	}
	return out
}
