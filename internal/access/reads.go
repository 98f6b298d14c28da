package access

import (
	"context"
	"log/slog"
	"slices"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/internal/audit"
)

// reads collects the personal values one operation read: per object, the
// fields.
type reads struct {
	mu     sync.Mutex
	order  []readKey
	fields map[readKey][]string
}

type readKey struct{ typ, id string }

type readsKey struct{}

// noteRead records that the field of fc, a personal value, was read on the
// object fc's parent resolved to.
func noteRead(ctx context.Context, fc *graphql.FieldContext) {
	r, _ := ctx.Value(readsKey{}).(*reads)
	if r == nil || fc.Parent == nil {
		return
	}
	n, ok := fc.Parent.Result.(ent.Noder)
	if !ok || n == nil {
		return
	}
	k := readKey{typ: typeName(n), id: idOf(n)}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, seen := r.fields[k]; !seen {
		r.order = append(r.order, k)
	}
	if !slices.Contains(r.fields[k], fc.Field.Name) {
		r.fields[k] = append(r.fields[k], fc.Field.Name)
	}
}

// ReadLog writes one audit event per object whose personal values an
// operation read, after the operation ran; when the trail cannot be
// written, the answer is withheld. It is a gqlgen handler extension.
type ReadLog struct {
	// Client writes the events.
	Client *ent.Client
}

var _ interface {
	graphql.HandlerExtension
	graphql.ResponseInterceptor
} = ReadLog{}

// ExtensionName implements graphql.HandlerExtension.
func (ReadLog) ExtensionName() string { return "ReadLog" }

// Validate implements graphql.HandlerExtension.
func (ReadLog) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptResponse implements graphql.ResponseInterceptor.
func (l ReadLog) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	r := &reads{fields: map[readKey][]string{}}
	resp := next(context.WithValue(ctx, readsKey{}, r))
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.order) == 0 {
		return resp
	}
	events := make([]audit.Event, 0, len(r.order))
	for _, k := range r.order {
		fields := r.fields[k]
		slices.Sort(fields)
		events = append(events, audit.Event{Action: audit.ActionRead, TargetType: k.typ, TargetID: k.id, Changes: map[string]any{"fields": fields}})
	}
	if err := audit.Append(ctx, l.Client, events...); err != nil {
		slog.ErrorContext(ctx, "recording personal-value reads in the audit trail", "err", err, "events", len(events))
		return &graphql.Response{Errors: gqlerror.List{{Message: "internal error", Extensions: map[string]any{"code": "INTERNAL"}}}}
	}
	return resp
}
