package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
)

// marshalSlice marshals the elements of a list one after the other, each
// with its index in the field context and a panic turned into a null
// element and an error, as graphql.MarshalSliceConcurrently does without
// its goroutine per element. internal/gqlcodegen points the generated
// executor at it; see there for why.
func marshalSlice(ctx context.Context, length int, _ int64, _ bool, marshalElement func(ctx context.Context, i int) graphql.Marshaler) graphql.Array {
	ret := make(graphql.Array, length)
	for i := range length {
		idx := i
		childCtx := graphql.WithFieldContext(ctx, &graphql.FieldContext{Index: &idx})
		ret[i] = marshalElementSafely(childCtx, i, marshalElement)
	}
	return ret
}

// marshalElementSafely marshals one element, recovering a panic into an
// error on that element's path.
func marshalElementSafely(ctx context.Context, i int, marshalElement func(ctx context.Context, i int) graphql.Marshaler) (m graphql.Marshaler) {
	defer func() {
		if r := recover(); r != nil {
			graphql.AddError(ctx, graphql.Recover(ctx, r))
			m = graphql.Null
		}
	}()
	return marshalElement(ctx, i)
}
