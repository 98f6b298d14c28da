package graph

import (
	"context"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/internal/apperr"
	"github.com/privhub/privhub/internal/pulid"
)

// maxNodes is the most IDs nodes(ids:) resolves at once.
const maxNodes = 500

// nodeType finds the table of a global ID from its prefix, so that node(id:)
// costs one query whatever the type.
func nodeType(_ context.Context, id pulid.ID) (string, error) {
	if t, ok := ent.TableOf(id); ok {
		return t, nil
	}
	return "", apperr.NotFoundf("could not resolve to a node with the global id of %q", id)
}
