package graph

import (
	"context"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/internal/compliance"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/retention"
)

// maxNodes is the most IDs nodes(ids:) resolves at once.
const maxNodes = 500

// lookupNodes resolves global IDs in the order given: stored objects by the
// prefix of their ID (one query per table), findings and retention items by
// evaluating them as of now. An ID that resolves to nothing gives nil and
// no error, whatever the reason (see Query.node).
func (r *Resolver) lookupNodes(ctx context.Context, ids []pulid.ID) ([]ent.Noder, error) {
	out := make([]ent.Noder, len(ids))
	var stored []pulid.ID
	var storedAt []int
	var findings []*compliance.Finding
	now := instant(nil)
	for i, id := range ids {
		switch id.Prefix() {
		case compliance.IDPrefix:
			if findings == nil {
				all, err := r.check(ctx, now)
				if err != nil {
					return nil, err
				}
				findings = all
			}
			for _, f := range findings {
				if f.ID == id {
					out[i] = f
					break
				}
			}
		case retention.IDPrefix:
			it, err := retention.Find(ctx, r.Client, now, id)
			if err != nil {
				return nil, err
			}
			if it != nil {
				out[i] = it
			}
		default:
			stored = append(stored, id)
			storedAt = append(storedAt, i)
		}
	}
	if len(stored) > 0 {
		nodes, err := r.Client.FindNodes(ctx, stored)
		if err != nil {
			return nil, err
		}
		for k, n := range nodes {
			if n != nil {
				out[storedAt[k]] = n
			}
		}
	}
	return out, nil
}
