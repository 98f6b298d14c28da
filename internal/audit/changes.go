package audit

import (
	"context"
	"fmt"
	"reflect"
	"slices"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/internal/pulid"
)

// mutation is what the hook needs of a generated mutation beyond
// ent.Mutation: the row it is about, the rows its predicates select, and the
// client it runs with (bound to its transaction, if any).
type mutation interface {
	ent.Mutation
	ID() (pulid.ID, bool)
	IDs(ctx context.Context) ([]pulid.ID, error)
	Client() *ent.Client
}

// The actions the hook records.
const (
	actionCreate = "create"
	actionUpdate = "update"
	actionDelete = "delete"
)

// Actions appended for what changes nothing.
const (
	// ActionRead records a read of personal values.
	ActionRead = "read"
	// ActionExport records an export of a person's data.
	ActionExport = "export"
)

// WriteOp returns the ent operation that an event's action records of one
// row: create, update or delete. It reports false for any other action: a
// read, an export, or a summary of writes such as privhub gen's.
func WriteOp(action string) (ent.Op, bool) {
	switch action {
	case actionCreate:
		return ent.OpCreate, true
	case actionUpdate:
		return ent.OpUpdateOne, true
	case actionDelete:
		return ent.OpDeleteOne, true
	}
	return 0, false
}

// Harmless reports whether an action records no write.
func Harmless(action string) bool { return action == ActionRead || action == ActionExport }

// redacted stands in the trail for the value of a sensitive field.
const redacted = "[redacted]"

// plan is what must be learned about a mutation before it runs: the rows an
// update or delete will touch and, for an update of one row, the values it
// will replace.
type plan struct {
	action string
	ids    []pulid.ID
	fields []string       // fields set, cleared or incremented
	before map[string]any // update of one row only; nil if the row is gone
	keep   bool           // record the values of sensitive personal fields (KeepValues)
}

// prepare reads what the events of m need before m runs.
func prepare(ctx context.Context, m mutation) (*plan, error) {
	p := &plan{fields: changedFields(m), keep: keepsValues(ctx)}
	switch op := m.Op(); {
	case op.Is(ent.OpCreate):
		p.action = actionCreate
	case op.Is(ent.OpUpdateOne):
		p.action = actionUpdate
		id, ok := m.ID()
		if !ok {
			return nil, fmt.Errorf("update of one %s without an ID", m.Type())
		}
		p.ids = []pulid.ID{id}
		before, err := oldValues(ctx, m, p.fields, p.keep)
		if err != nil {
			return nil, err
		}
		p.before = before
	case op.Is(ent.OpUpdate), op.Is(ent.OpDelete), op.Is(ent.OpDeleteOne):
		p.action = actionUpdate
		if !op.Is(ent.OpUpdate) {
			p.action = actionDelete
		}
		ids, err := m.IDs(ctx)
		if err != nil {
			return nil, fmt.Errorf("listing the %s rows to %s: %w", m.Type(), p.action, err)
		}
		p.ids = ids
	default:
		return nil, fmt.Errorf("unknown operation %s", op)
	}
	return p, nil
}

// entries returns the events of m, which has run: one per row written.
func (p *plan) entries(ctx context.Context, m mutation) ([]entry, error) {
	ids := p.ids
	if p.action == actionCreate {
		id, ok := m.ID()
		if !ok {
			return nil, fmt.Errorf("created %s has no ID", m.Type())
		}
		ids = []pulid.ID{id}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	changes := p.changes(m)
	if reason := ReasonFrom(ctx); reason != "" {
		changes["reason"] = reason
	}
	norm, canon, err := prepareChanges(changes)
	if err != nil {
		return nil, fmt.Errorf("encoding the changes of %s %s: %w", p.action, m.Type(), err)
	}
	actor := ActorFrom(ctx)
	out := make([]entry, len(ids))
	for i, id := range ids {
		// The rows of one mutation share one changes map and its
		// encoding, which nothing modifies.
		out[i] = makeEntry(actor, p.action, m.Type(), string(id), norm, canon)
	}
	return out, nil
}

// changes describes what m did to each row: {} for a delete; for a create
// the fields set; for an update the fields changed with their new values
// ("after", null when cleared) and, for one row, their old ones ("before");
// the edges added, removed or cleared ("edges") with the IDs linked and
// unlinked.
func (p *plan) changes(m mutation) map[string]any {
	changes := map[string]any{}
	if p.action == actionDelete {
		return changes
	}
	changes["fields"] = p.fields
	if p.action == actionUpdate && len(p.fields) > 0 {
		changes["after"] = newValues(m, p.fields, p.keep)
		if len(p.ids) == 1 && p.before != nil {
			changes["before"] = p.before
		}
	}
	edges := slices.Concat(m.AddedEdges(), m.RemovedEdges(), m.ClearedEdges())
	if len(edges) > 0 {
		slices.Sort(edges)
		changes["edges"] = slices.Compact(edges)
		if linked := edgeIDs(m.AddedEdges(), m.AddedIDs); len(linked) > 0 {
			changes["linked"] = linked
		}
		if unlinked := edgeIDs(m.RemovedEdges(), m.RemovedIDs); len(unlinked) > 0 {
			changes["unlinked"] = unlinked
		}
	}
	return changes
}

// changedFields returns the sorted names of the fields m sets, clears or
// increments.
func changedFields(m ent.Mutation) []string {
	fields := slices.Concat(m.Fields(), m.ClearedFields(), m.AddedFields())
	if fields == nil {
		return []string{} // recorded as [], not null
	}
	slices.Sort(fields)
	return slices.Compact(fields)
}

// oldValues returns the values fields hold before m, an update of one row,
// runs; nil when the row does not exist (m then fails by itself).
func oldValues(ctx context.Context, m mutation, fields []string, keep bool) (map[string]any, error) {
	before := make(map[string]any, len(fields))
	for _, f := range fields {
		v, err := m.OldField(ctx, f)
		if ent.IsNotFound(err) {
			return nil, nil
		}
		if err != nil {
			return nil, fmt.Errorf("reading the old %s of %s: %w", f, m.Type(), err)
		}
		before[f] = value(m.Type(), f, v, keep)
	}
	return before, nil
}

// newValues returns the values m gives fields: the value set, null for a
// cleared field, {"add": n} for an increment.
func newValues(m ent.Mutation, fields []string, keep bool) map[string]any {
	after := make(map[string]any, len(fields))
	for _, f := range fields {
		if v, ok := m.Field(f); ok {
			after[f] = value(m.Type(), f, v, keep)
		} else if d, ok := m.AddedField(f); ok {
			after[f] = map[string]any{"add": d}
		} else {
			after[f] = nil // cleared
		}
	}
	return after
}

// edgeIDs maps each edge to the IDs ids returns for it.
func edgeIDs(edges []string, ids func(string) []ent.Value) map[string]any {
	out := map[string]any{}
	for _, e := range edges {
		if v := ids(e); len(v) > 0 {
			out[e] = v
		}
	}
	return out
}

// value returns v as the trail records it: redacted for a sensitive field
// that holds a value, unless keep asks for personal values and the field is
// not a secret; v itself otherwise.
func value(typ, field string, v any, keep bool) any {
	if sensitive(typ, field) && !isNil(v) && (!keep || secret(typ, field)) {
		return redacted
	}
	return v
}

// isNil reports whether v is nil or a nil pointer, slice or map.
func isNil(v any) bool {
	if v == nil {
		return true
	}
	switch r := reflect.ValueOf(v); r.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Interface:
		return r.IsNil()
	}
	return false
}
