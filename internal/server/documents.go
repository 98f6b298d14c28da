package server

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/lexer"
)

// MaxInputDepth is how deeply an argument's value, written in the document
// or given as a variable, may nest input objects and lists: enough for any
// filter a person writes (a where with not, and, or and has…With a few
// levels down), too little for one built to exhaust the database.
const MaxInputDepth = 16

// documentLimits refuses, before the document is parsed or validated, one
// that has more tokens or selects more fields than the limits, or whose
// arguments or variables nest deeper than MaxInputDepth. It reads the
// document once with the lexer and stops at the first limit passed, so
// that a refusal costs about as much as reading the tokens up to it: the
// validation a huge document would cost (quadratic in its repeated fields)
// never starts.
type documentLimits struct {
	maxTokens, maxFields int
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
} = documentLimits{}

// ExtensionName implements graphql.HandlerExtension.
func (documentLimits) ExtensionName() string { return "DocumentLimits" }

// Validate implements graphql.HandlerExtension.
func (documentLimits) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationParameters implements graphql.OperationParameterMutator.
func (d documentLimits) MutateOperationParameters(_ context.Context, p *graphql.RawParams) *gqlerror.Error {
	if err := d.scan(p.Query); err != nil {
		return err
	}
	for name, v := range p.Variables {
		if valueDepth(v, 0) > MaxInputDepth {
			return limitError(nil, "variables", "the variable $%s nests objects or lists more than %d deep", name, MaxInputDepth)
		}
	}
	return nil
}

// scan reads the document's tokens, counting them, the fields it selects
// (a name inside a selection set that is not an alias's target, a fragment's
// name, a type condition or a directive) and the nesting of values inside
// arguments. A document that does not lex is left to the parser, which
// reports where.
func (d documentLimits) scan(query string) *gqlerror.Error {
	lx := lexer.New(&ast.Source{Input: query})
	var (
		tokens, fields int
		braces, parens int // open selection sets or objects; open argument lists
		values         int // objects and lists open inside argument lists
		prev, prev2    lexer.Token
	)
	for {
		tok, err := lx.ReadToken()
		if err != nil || tok.Kind == lexer.EOF {
			return nil
		}
		tokens++
		if tokens > d.maxTokens {
			return limitError(&tok.Pos, "", "the document has more than %d tokens", d.maxTokens)
		}
		switch tok.Kind {
		case lexer.ParenL:
			parens++
		case lexer.ParenR:
			parens = max(parens-1, 0)
		case lexer.BraceL, lexer.BracketL:
			if parens > 0 {
				values++
				if values > MaxInputDepth {
					return limitError(&tok.Pos, "", "an argument nests objects or lists more than %d deep", MaxInputDepth)
				}
			} else if tok.Kind == lexer.BraceL {
				braces++
			}
		case lexer.BraceR, lexer.BracketR:
			if parens > 0 {
				values = max(values-1, 0)
			} else if tok.Kind == lexer.BraceR {
				braces = max(braces-1, 0)
			}
		case lexer.Name:
			if braces > 0 && parens == 0 && selectsField(prev, prev2) {
				fields++
				if fields > d.maxFields {
					return limitError(&tok.Pos, "", "the document selects more than %d fields", d.maxFields)
				}
			}
		}
		prev2, prev = prev, tok
	}
}

// selectsField reports whether a name inside a selection set, after the
// tokens prev and prev2, names a field (or an alias, counted once with its
// field) rather than a fragment, a type condition or a directive.
func selectsField(prev, prev2 lexer.Token) bool {
	switch prev.Kind {
	case lexer.Spread, lexer.At, lexer.Colon:
		return false
	case lexer.Name:
		return !(prev.Value == "on" && prev2.Kind == lexer.Spread)
	}
	return true
}

// valueDepth returns how deeply v nests maps and lists below depth, stopping
// once it passes MaxInputDepth.
func valueDepth(v any, depth int) int {
	if depth > MaxInputDepth {
		return depth
	}
	deepest := depth
	switch x := v.(type) {
	case map[string]any:
		for _, e := range x {
			deepest = max(deepest, valueDepth(e, depth+1))
		}
	case []any:
		for _, e := range x {
			deepest = max(deepest, valueDepth(e, depth+1))
		}
	}
	return deepest
}

func limitError(pos *ast.Position, field, format string, args ...any) *gqlerror.Error {
	var err *gqlerror.Error
	if pos != nil {
		err = gqlerror.ErrorPosf(pos, format, args...)
	} else {
		err = gqlerror.Errorf(format, args...)
	}
	err.Extensions = map[string]any{"code": "BAD_USER_INPUT"}
	if field != "" {
		err.Extensions["field"] = field
	}
	return err
}
