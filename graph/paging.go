package graph

import (
	"context"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/internal/apperr"
	"github.com/privhub/privhub/internal/pulid"
)

const (
	// defaultPageSize is the page size of a top-level list asked for
	// without first or last.
	defaultPageSize = 50
	// maxPageSize is the largest page a client may ask for.
	maxPageSize = 500
)

// pageSize applies the default and the maximum page size to a top-level
// connection's arguments.
func pageSize(first, last *int) (*int, *int, error) {
	switch {
	case first != nil && *first > maxPageSize:
		return nil, nil, apperr.Invalid("first", "must be at most %d", maxPageSize)
	case last != nil && *last > maxPageSize:
		return nil, nil, apperr.Invalid("last", "must be at most %d", maxPageSize)
	case first == nil && last == nil:
		n := defaultPageSize
		return &n, nil, nil
	}
	return first, last, nil
}

// nodeType finds the table of a global ID from its prefix, so that node(id:)
// costs one query whatever the type.
func nodeType(_ context.Context, id pulid.ID) (string, error) {
	if t, ok := ent.TableOf(id); ok {
		return t, nil
	}
	return "", apperr.NotFoundf("could not resolve to a node with the global id of %q", id)
}
