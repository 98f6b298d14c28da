// Package reqinfo keeps what the layers of one API request learn about it
// (the operation it ran, the caller's role, the error codes it answered
// with), so that the access log and the metrics, which wrap the request,
// can report it once it is done. It records names and codes only, never a
// variable's value or a credential.
package reqinfo

import (
	"context"
	"slices"
	"sync"
)

// Outcomes of a request, as the metrics and the access log name them.
const (
	// OK is an operation that ran and answered without errors.
	OK = "ok"
	// Failed is an operation that ran and answered with errors.
	Failed = "error"
	// Rejected is a request refused before any operation ran: no valid
	// token, over its rate, a document that does not parse, validate or
	// pass the limits, or one not in the trusted documents.
	Rejected = "rejected"
)

// Info is what is known about one request. Its methods are safe for
// concurrent use and do nothing on a nil *Info, so that code called outside
// a tracked request need not check.
type Info struct {
	mu        sync.Mutex
	operation string
	opType    string
	named     bool // the operation was parsed, so operation is its name
	role      string
	executed  bool
	codes     []string
}

type key struct{}

// Start returns a context carrying the request's Info: the one ctx already
// carries, or a new one.
func Start(ctx context.Context) (context.Context, *Info) {
	if i := From(ctx); i != nil {
		return ctx, i
	}
	i := &Info{}
	return context.WithValue(ctx, key{}, i), i
}

// From returns the Info ctx carries, or nil.
func From(ctx context.Context) *Info {
	i, _ := ctx.Value(key{}).(*Info)
	return i
}

// SetOperation records the operation the request ran: its name ("" for an
// anonymous one) and type (query, mutation, subscription).
func (i *Info) SetOperation(name, opType string) {
	if i == nil {
		return
	}
	i.mu.Lock()
	i.operation, i.opType, i.named = name, opType, true
	i.mu.Unlock()
}

// SetRole records the role of the caller's token.
func (i *Info) SetRole(role string) {
	if i == nil {
		return
	}
	i.mu.Lock()
	i.role = role
	i.mu.Unlock()
}

// SetExecuted records that the operation ran (it was not refused before).
func (i *Info) SetExecuted() {
	if i == nil {
		return
	}
	i.mu.Lock()
	i.executed = true
	i.mu.Unlock()
}

// AddCode records the extensions.code of one error the request answered
// with.
func (i *Info) AddCode(code string) {
	if i == nil || code == "" {
		return
	}
	i.mu.Lock()
	i.codes = append(i.codes, code)
	i.mu.Unlock()
}

// Snapshot is a copy of an Info at one instant.
type Snapshot struct {
	// Operation is the operation's name; "" when anonymous or unknown.
	Operation string
	// Named is true when the request's document was parsed, so that
	// Operation is the name of a real operation ("" when anonymous).
	Named bool
	// Type is the operation's type, "" when unknown.
	Type string
	// Role is the caller's role, "" when not authenticated.
	Role string
	// Executed is true when the operation ran.
	Executed bool
	// Codes are the extensions.code of the errors answered, in order.
	Codes []string
}

// Snapshot returns a copy of what is known; the zero Snapshot for nil.
func (i *Info) Snapshot() Snapshot {
	if i == nil {
		return Snapshot{}
	}
	i.mu.Lock()
	defer i.mu.Unlock()
	return Snapshot{
		Operation: i.operation, Named: i.named, Type: i.opType, Role: i.role,
		Executed: i.executed, Codes: slices.Clone(i.codes),
	}
}

// Outcome is OK, Failed or Rejected.
func (s Snapshot) Outcome() string {
	switch {
	case !s.Executed:
		return Rejected
	case len(s.Codes) > 0:
		return Failed
	}
	return OK
}
