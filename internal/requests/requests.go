// Package requests carries out data subject requests (GDPR Arts. 15-21):
// it receives them with their one-month deadline, extends, completes and
// rejects them keeping the status history, erases a user's data except what
// a law obliges us to keep, rectifies values, and exports everything held
// about a user and by whom.
package requests

import (
	"context"
	"time"

	"github.com/privhub/privhub/ent"

	"github.com/privhub/privhub/ent/request"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/trace"
)

// SubmitInput is a new data subject request.
type SubmitInput struct {
	// User is the data subject.
	User pulid.ID
	// Kind is what the subject asks for.
	Kind request.Kind
	// Note is free text, e.g. how the request arrived.
	Note *string
	// Reference is our case number, e.g. DSR-007.
	Reference *string
	// ReceivedAt is when the request reached us; nil means now.
	ReceivedAt *time.Time
}

// RectifyUserInput holds corrected details of a user; nil fields keep their value.
type RectifyUserInput struct {
	// Email is the corrected e-mail address.
	Email *string
	// Name is the corrected name.
	Name *string
	// Country is the corrected country of residence.
	Country *pulid.ID
}

// Desk carries out the requests that need to know who holds a user's data:
// erasure (one task per downstream holder), completion of an erasure, and
// the access export.
type Desk struct {
	// Tracer answers who holds a user's data, through which chains.
	Tracer *trace.Engine
}

// detached returns an entity written in a transaction that a function of
// this package opened itself (ctx carries none) unbound from it, so that
// the caller can still load its edges after the commit. Inside the
// caller's transaction it stays bound, to see what is not committed yet.
func detached[T interface{ Unwrap() T }](ctx context.Context, v T) T {
	if ent.TxFromContext(ctx) == nil {
		return v.Unwrap()
	}
	return v
}
