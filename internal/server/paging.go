package server

import (
	"context"
	"fmt"
	"strings"

	"entgo.io/contrib/entgql"
	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/privhub/privhub/internal/pulid"
)

// pageLimits gives every connection of an operation a page size: a field
// without first or last gets first: def, so that nested lists are bounded
// in SQL (entgql limits each parent's rows) and not only at the top; and a
// first or last above max is refused before anything runs. It must run
// before the complexity limit, which then sees the real page sizes.
type pageLimits struct {
	def, max int
	schema   *ast.Schema // for the types of input objects' fields
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = pageLimits{}

// ExtensionName implements graphql.HandlerExtension.
func (pageLimits) ExtensionName() string { return "PageLimits" }

// Validate implements graphql.HandlerExtension.
func (pageLimits) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext implements graphql.OperationContextMutator.
func (p pageLimits) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil {
		return nil
	}
	seen := map[*ast.Field]bool{}
	return p.walk(oc, oc.Operation.SelectionSet, seen, map[string]bool{})
}

func (p pageLimits) walk(oc *graphql.OperationContext, set ast.SelectionSet, seen map[*ast.Field]bool, inFragment map[string]bool) *gqlerror.Error {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if seen[s] {
				continue
			}
			seen[s] = true
			if err := p.limit(oc, s); err != nil {
				return err
			}
			if err := p.walk(oc, s.SelectionSet, seen, inFragment); err != nil {
				return err
			}
		case *ast.InlineFragment:
			if err := p.walk(oc, s.SelectionSet, seen, inFragment); err != nil {
				return err
			}
		case *ast.FragmentSpread:
			f := oc.Doc.Fragments.ForName(s.Name)
			if f == nil || inFragment[s.Name] {
				continue
			}
			inFragment[s.Name] = true
			err := p.walk(oc, f.SelectionSet, seen, inFragment)
			delete(inFragment, s.Name)
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// limit checks or sets the page size of one connection field; on any field
// it first refuses an argument whose value does not resolve (a number out
// of range, such as an Int literal past 64 bits where a Cursor or ID is
// expected), which would otherwise fail only when the field runs, and a
// value the databases cannot store (see badInput).
func (p pageLimits) limit(oc *graphql.OperationContext, f *ast.Field) *gqlerror.Error {
	for _, arg := range f.Arguments {
		v, err := arg.Value.Value(oc.Variables)
		if err != nil {
			return pageError(f, fmt.Sprintf("the value of %s on %s is out of range", arg.Name, f.Alias), arg.Name)
		}
		if f.Definition == nil || p.schema == nil {
			continue
		}
		if def := f.Definition.Arguments.ForName(arg.Name); def != nil {
			if at, problem, bad := badInput(p.schema, def.Type, v, arg.Name); bad {
				return pageError(f, fmt.Sprintf("%s on %s %s", at, f.Alias, problem), arg.Name)
			}
		}
	}
	if f.Definition == nil || f.Definition.Arguments.ForName("first") == nil ||
		!strings.HasSuffix(f.Definition.Type.Name(), "Connection") {
		return nil
	}
	given := false
	for _, name := range []string{"first", "last"} {
		v := argValue(oc, f, name)
		if v == nil {
			continue
		}
		given = true
		n, ok := v.(int64)
		switch {
		case !ok:
			return pageError(f, fmt.Sprintf("%s on %s must be an integer", name, f.Alias), name)
		case n < 0:
			return pageError(f, fmt.Sprintf("%s on %s cannot be negative", name, f.Alias), name)
		case n > int64(p.max):
			return pageError(f, fmt.Sprintf("%s on %s must be at most %d", name, f.Alias, p.max), name)
		}
	}
	// Cursors are checked here, before anything runs: a nested connection
	// loaded with its parent would otherwise meet a bad cursor too late.
	for _, name := range []string{"after", "before"} {
		v := argValue(oc, f, name)
		if v == nil {
			continue
		}
		var c entgql.Cursor[pulid.ID]
		if err := c.UnmarshalGQL(v); err != nil {
			return pageError(f, fmt.Sprintf("%s on %s is not a cursor this API returned", name, f.Alias), name)
		}
	}
	if !given {
		f.Arguments = append(f.Arguments, &ast.Argument{
			Name:     "first",
			Value:    &ast.Value{Kind: ast.IntValue, Raw: fmt.Sprint(p.def), Position: f.Position},
			Position: f.Position,
		})
	}
	return nil
}

// argValue returns the value of a field's argument, variables resolved, or
// nil when it is not given.
func argValue(oc *graphql.OperationContext, f *ast.Field, name string) any {
	arg := f.Arguments.ForName(name)
	if arg == nil {
		return nil
	}
	v, err := arg.Value.Value(oc.Variables)
	if err != nil {
		return nil
	}
	return v
}

func pageError(f *ast.Field, msg, field string) *gqlerror.Error {
	err := gqlerror.ErrorPosf(f.Position, "%s", msg)
	err.Extensions = map[string]any{"code": "BAD_USER_INPUT", "field": field}
	return err
}
