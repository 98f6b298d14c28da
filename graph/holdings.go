package graph

import (
	"context"
	"time"

	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/trace"
)

// holdings answers the holders of a category, narrowed by purpose and
// adequacy, for Query.holders and DataCategory.holders alike.
func (r *Resolver) holdings(ctx context.Context, category pulid.ID, includeDescendants *bool, purpose *pulid.ID, adequate *bool, at *time.Time) ([]*trace.Holding, error) {
	hs, err := r.Tracer.Holders(ctx, category, includeDescendants == nil || *includeDescendants, instant(at))
	if err != nil {
		return nil, err
	}
	return trace.Select(hs, trace.HoldingFilter{Purpose: purpose, Adequate: adequate}), nil
}
