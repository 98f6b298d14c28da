// Package audit keeps the append-only, hash-chained trail of every write and
// of reads of personal values: who did what to which object, when, within
// which request, and why. Each event's hash covers the previous event's
// hash, so that a row changed, removed or inserted by hand breaks the chain
// and Verify names the first bad event.
package audit

import "context"

// Actor is who acts: an operator or token name, its role, and the API
// request or CLI run the action belongs to.
type Actor struct {
	// Name identifies the actor, e.g. a token's name or "cli".
	Name string
	// Role is the actor's role, e.g. ADMIN.
	Role string
	// RequestID ties the events of one API request or CLI run together.
	RequestID string
}

type actorKey struct{}

type reasonKey struct{}

// WithActor returns ctx carrying the actor the events written under it name.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor ctx carries, or "system" when it carries none.
func ActorFrom(ctx context.Context) Actor {
	if a, ok := ctx.Value(actorKey{}).(Actor); ok {
		return a
	}
	return Actor{Name: "system"}
}

// WithReason returns ctx carrying why the writes made under it happen, e.g.
// "retention rule ret_… (P2Y from collection)" or "erasure request req_…";
// every event written under it records the reason.
func WithReason(ctx context.Context, reason string) context.Context {
	return context.WithValue(ctx, reasonKey{}, reason)
}

// ReasonFrom returns the reason ctx carries, or "".
func ReasonFrom(ctx context.Context) string {
	r, _ := ctx.Value(reasonKey{}).(string)
	return r
}

type keepValuesKey struct{}

// KeepValues returns ctx under which the events of updates record the
// values before and after of sensitive personal fields (a data record's
// value), which the trail otherwise redacts. It is for rectification
// (GDPR Art. 16), whose trail must show what was corrected; secrets are
// redacted even then.
func KeepValues(ctx context.Context) context.Context {
	return context.WithValue(ctx, keepValuesKey{}, true)
}

// keepsValues reports whether ctx came from KeepValues.
func keepsValues(ctx context.Context) bool {
	k, _ := ctx.Value(keepValuesKey{}).(bool)
	return k
}
