// Package apperr defines the kinds of failure privhub reports to its callers.
// Domain code returns these kinds wrapped with what it was doing; the API maps
// each kind to a GraphQL extensions.code in one place (graph/errors.go).
package apperr

import (
	"errors"
	"fmt"
)

// Code is a kind of failure, as the API names it in extensions.code.
type Code string

// The codes privhub answers with.
const (
	BadUserInput    Code = "BAD_USER_INPUT"
	Unauthenticated Code = "UNAUTHENTICATED"
	Forbidden       Code = "FORBIDDEN"
	NotFound        Code = "NOT_FOUND"
	Conflict        Code = "CONFLICT"
	Internal        Code = "INTERNAL"
	// PersistedQueryNotFound: a document asked for by hash is not known
	// (not in the trusted documents, or not yet in the APQ cache).
	PersistedQueryNotFound Code = "PERSISTED_QUERY_NOT_FOUND"
	// OperationNotTrusted: a document outside the trusted documents, on a
	// server that runs only those.
	OperationNotTrusted Code = "OPERATION_NOT_TRUSTED"
)

// Error is a failure of a known kind, with a message meant for the caller and,
// for bad input, the input field at fault.
type Error struct {
	Code    Code
	Field   string // GraphQL input field name, e.g. "countryID"; may be empty
	Message string
}

// Error implements error.
func (e *Error) Error() string {
	if e.Field != "" {
		return e.Field + ": " + e.Message
	}
	return e.Message
}

// Invalid reports bad input in the named field.
func Invalid(field, format string, args ...any) error {
	return &Error{Code: BadUserInput, Field: field, Message: fmt.Sprintf(format, args...)}
}

// Unauthenticatedf reports a caller whose credentials are missing, malformed
// or no longer valid.
func Unauthenticatedf(format string, args ...any) error {
	return &Error{Code: Unauthenticated, Message: fmt.Sprintf(format, args...)}
}

// NotFoundf reports that something asked for does not exist.
func NotFoundf(format string, args ...any) error {
	return &Error{Code: NotFound, Message: fmt.Sprintf(format, args...)}
}

// Conflictf reports a write that the current state of the data refuses.
func Conflictf(format string, args ...any) error {
	return &Error{Code: Conflict, Message: fmt.Sprintf(format, args...)}
}

// As returns the *Error in err's chain, if any.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}
