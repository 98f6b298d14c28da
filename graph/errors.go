package graph

import (
	"context"
	"errors"
	"log/slog"
	"regexp"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/internal/apperr"
	"github.com/privhub/privhub/internal/store"
)

// PresentError is the one place where failures become GraphQL errors: each
// gets an extensions.code, bad input names its field, and nothing internal
// (SQL, stack traces, ent's wording) reaches the caller. Unknown failures are
// logged and answered as INTERNAL.
func PresentError(ctx context.Context, err error) *gqlerror.Error {
	gqlErr := graphql.DefaultErrorPresenter(ctx, err)
	code, field, msg := classify(ctx, err)
	if msg != "" {
		gqlErr.Message = msg
	}
	// Suggestions name schema members a caller did not ask about.
	if i := strings.Index(gqlErr.Message, " Did you mean "); i >= 0 {
		gqlErr.Message = gqlErr.Message[:i]
	}
	if gqlErr.Extensions == nil {
		gqlErr.Extensions = map[string]any{}
	}
	if c, _ := gqlErr.Extensions["code"].(string); c == "INVALID_PAGINATION" || c == "GRAPHQL_VALIDATION_FAILED" && badValue(gqlErr) {
		code = apperr.BadUserInput
	}
	if _, set := gqlErr.Extensions["code"]; !set || code != "" {
		if code == "" {
			code = apperr.BadUserInput
		}
		gqlErr.Extensions["code"] = string(code)
	}
	if field != "" {
		gqlErr.Extensions["field"] = field
	}
	if fromExecution(err) && storageText.MatchString(gqlErr.Message) {
		// The last guard: whatever classify missed, no storage wording
		// leaves the server.
		slog.ErrorContext(ctx, "storage error", "err", err, "path", graphql.GetPath(ctx).String())
		gqlErr.Message = "internal error"
		gqlErr.Extensions = map[string]any{"code": string(apperr.Internal)}
	}
	return gqlErr
}

// storageText matches the wording of databases, their drivers and ent.
var storageText = regexp.MustCompile(`(?i)\bsql\b|sqlite|sqlstate|\bpq: |(^|[^a-z])ent: |syntax error at or near|constraint failed|no such (table|column)|expression tree`)

// badValue reports whether a validation error is about a value rather than
// the document's shape: a variable that does not coerce to its type, or a
// literal its type cannot represent (an Int past 32 bits, a string for a
// number).
func badValue(e *gqlerror.Error) bool {
	if len(e.Path) > 0 && e.Path[0] == ast.PathName("variable") {
		return true
	}
	return strings.Contains(e.Message, " cannot represent ") || strings.HasPrefix(e.Message, "Expected value of type ")
}

// fromExecution reports whether err arose while resolving, not while
// parsing or validating the document (whose messages quote the document
// and may contain any word).
func fromExecution(err error) bool {
	var gqlErr *gqlerror.Error
	return !errors.As(err, &gqlErr) || gqlErr.Err != nil
}

// emptyFilter reports whether err is ent's refusal of a filter object with
// no condition in it: {} (or only nulls and empty lists) under not, and, or
// or a has…With of a where argument. A where of {} itself matches
// everything and is no error.
func emptyFilter(err error) bool {
	for ; err != nil; err = errors.Unwrap(err) {
		if strings.HasPrefix(err.Error(), "ent: empty predicate ") {
			return true
		}
	}
	return false
}

// classify returns the code, field and message for err; an empty message
// keeps the one the error has, an empty code keeps a code already set.
func classify(ctx context.Context, err error) (code apperr.Code, field, msg string) {
	if code, field, msg, ok := known(err); ok {
		return code, field, msg
	}
	if store.IsDriverError(err) {
		slog.ErrorContext(ctx, "database error", "err", err, "path", graphql.GetPath(ctx).String())
		return apperr.Internal, "", "internal error"
	}
	var gqlErr *gqlerror.Error
	if errors.As(err, &gqlErr) {
		// Errors gqlgen and entgql raise themselves are about the request: a
		// malformed argument, a bad cursor, first together with last.
		if gqlErr.Err != nil {
			if code, field, msg, ok := known(gqlErr.Err); ok {
				return code, field, msg
			}
			return apperr.BadUserInput, "", ""
		}
		return "", "", ""
	}
	slog.ErrorContext(ctx, "internal error", "err", err, "path", graphql.GetPath(ctx).String())
	return apperr.Internal, "", "internal error"
}

// known classifies the failures privhub and ent define.
func known(err error) (code apperr.Code, field, msg string, ok bool) {
	if e, ok := apperr.As(err); ok {
		return e.Code, e.Field, e.Error(), true
	}
	var verr *ent.ValidationError
	if errors.As(err, &verr) {
		f := inputName(verr.Name)
		return apperr.BadUserInput, f, f + ": " + validationMessage(verr), true
	}
	switch {
	case emptyFilter(err):
		return apperr.BadUserInput, "where", "a filter inside where has no condition: each not, and, or and has…With needs at least one", true
	case ent.IsNotFound(err):
		return apperr.NotFound, "", "not found", true
	case ent.IsConstraintError(err) && store.IsUniqueViolation(err):
		return apperr.Conflict, "", "an object with the same unique value already exists", true
	case ent.IsConstraintError(err) && store.IsForeignKeyViolation(err):
		return apperr.BadUserInput, "", "the input refers to an object that does not exist", true
	case ent.IsConstraintError(err):
		return apperr.Conflict, "", "the write conflicts with existing data", true
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return apperr.Internal, "", "the request took too long and was stopped", true
	}
	return "", "", "", false
}

// validationMessage tells what a field validator found, without ent's
// wording around it.
func validationMessage(verr *ent.ValidationError) string {
	err := verr.Unwrap()
	for errors.Unwrap(err) != nil {
		err = errors.Unwrap(err)
	}
	msg := err.Error()
	switch {
	case strings.HasPrefix(msg, "ent: missing required"):
		return "is required"
	case strings.HasPrefix(msg, "value does not match validation"):
		return "is not in the expected format"
	case strings.HasPrefix(msg, "value is less than the required length"):
		return "must not be empty"
	case strings.HasPrefix(msg, "value is greater than the required length"):
		return "is too long"
	}
	return strings.TrimPrefix(msg, "ent: ")
}

// inputName turns an ent field name into the GraphQL input field name:
// country_id becomes countryID, expires_at becomes expiresAt.
func inputName(name string) string {
	parts := strings.Split(name, "_")
	var b strings.Builder
	for i, p := range parts {
		switch {
		case i == 0:
			b.WriteString(p)
		case p == "id":
			b.WriteString("ID")
		case p != "":
			b.WriteString(strings.ToUpper(p[:1]) + p[1:])
		}
	}
	return b.String()
}
