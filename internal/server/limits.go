package server

import (
	"context"
	"strings"

	"entgo.io/contrib/entgql"
	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/privhub/privhub/ent"
)

// pagedComplexity makes a connection field cost its page size times its
// children, so that nested lists cannot multiply unnoticed (gqlgen's default
// counts each field once, whatever the page size).
type pagedComplexity struct {
	graphql.ExecutableSchema
}

// Complexity implements graphql.ExecutableSchema.
func (s pagedComplexity) Complexity(ctx context.Context, typeName, fieldName string, child int, args map[string]any) (int, bool) {
	def := s.Schema().Types[typeName]
	if def == nil {
		return s.ExecutableSchema.Complexity(ctx, typeName, fieldName, child, args)
	}
	f := def.Fields.ForName(fieldName)
	if f == nil || !strings.HasSuffix(f.Type.Name(), "Connection") {
		return s.ExecutableSchema.Complexity(ctx, typeName, fieldName, child, args)
	}
	n := DefaultPageSize
	for _, k := range []string{"first", "last"} {
		switch v := args[k].(type) {
		case *int:
			if v != nil {
				n = *v
			}
		case int:
			n = v
		case int64:
			n = int(v)
		}
	}
	if n < 1 {
		n = 1
	}
	return 1 + n*child, true
}

// depthLimit refuses operations that nest fields deeper than max.
type depthLimit struct {
	max int
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = depthLimit{}

// ExtensionName implements graphql.HandlerExtension.
func (depthLimit) ExtensionName() string { return "DepthLimit" }

// Validate implements graphql.HandlerExtension.
func (depthLimit) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext implements graphql.OperationContextMutator.
func (d depthLimit) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil {
		return nil
	}
	if depth := selectionDepth(oc.Doc, oc.Operation.SelectionSet, 0, d.max); depth > d.max {
		err := gqlerror.Errorf("operation is nested %d levels deep, more than the limit of %d", depth, d.max)
		err.Extensions = map[string]any{"code": "BAD_USER_INPUT"}
		return err
	}
	return nil
}

// selectionDepth returns the depth of a selection set, stopping as soon as
// it passes max (so cyclic fragments cannot loop).
func selectionDepth(doc *ast.QueryDocument, set ast.SelectionSet, depth, max int) int {
	if depth > max {
		return depth
	}
	deepest := depth
	for _, sel := range set {
		var d int
		switch s := sel.(type) {
		case *ast.Field:
			if strings.HasPrefix(s.Name, "__") {
				continue // introspection, as GraphiQL sends it
			}
			d = depth
			if len(s.SelectionSet) > 0 {
				d = selectionDepth(doc, s.SelectionSet, depth+1, max)
			}
		case *ast.InlineFragment:
			d = selectionDepth(doc, s.SelectionSet, depth, max)
		case *ast.FragmentSpread:
			if f := doc.Fragments.ForName(s.Name); f != nil {
				d = selectionDepth(doc, f.SelectionSet, depth, max)
			}
		}
		if d > deepest {
			deepest = d
		}
	}
	return deepest
}

// transactioner runs each mutation in one database transaction (entgql's
// Transactioner), and lets requests that never became an operation (a body
// that does not decode) through to their decode error. Mutations that commit
// in batches of their own (selfCommitting) run outside it.
type transactioner struct {
	client *ent.Client
}

// selfCommitting names the mutations that open their own transactions: a
// retention sweep commits batch by batch, so that a long sweep stopped
// half-way keeps what it did.
func selfCommitting(field string) bool { return field == "runRetentionSweep" }

// ownsTx reports whether every field of the mutation op commits by itself.
func ownsTx(op *ast.OperationDefinition) bool {
	if len(op.SelectionSet) == 0 {
		return false
	}
	for _, s := range op.SelectionSet {
		f, ok := s.(*ast.Field)
		if !ok || !selfCommitting(f.Name) {
			return false
		}
	}
	return true
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
	graphql.ResponseInterceptor
} = transactioner{}

func (t transactioner) tx() entgql.Transactioner {
	return entgql.Transactioner{TxOpener: t.client, SkipTxFunc: ownsTx}
}

// ExtensionName implements graphql.HandlerExtension.
func (transactioner) ExtensionName() string { return "Transactioner" }

// Validate implements graphql.HandlerExtension.
func (t transactioner) Validate(s graphql.ExecutableSchema) error { return t.tx().Validate(s) }

// MutateOperationContext implements graphql.OperationContextMutator.
func (t transactioner) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	return t.tx().MutateOperationContext(ctx, oc)
}

// InterceptResponse implements graphql.ResponseInterceptor.
func (t transactioner) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	if !graphql.HasOperationContext(ctx) {
		return next(ctx)
	}
	return t.tx().InterceptResponse(ctx, next)
}
