package audit

import (
	"context"
	"errors"
	"fmt"
	"maps"

	"github.com/privhub/privhub/ent"
)

// Event is an event the write hook cannot see: a read of personal values,
// or a summary of work done under Suppress. The actor, role, request ID and
// time come from the context and the clock when it is appended.
type Event struct {
	// Action says what happened, e.g. "read" or "generate".
	Action string
	// TargetType is the kind of object acted on, e.g. "DataRecord".
	TargetType string
	// TargetID identifies the object acted on.
	TargetID string
	// Changes holds the details; it must encode as JSON. The reason ctx
	// carries (WithReason), if any, is added under "reason".
	Changes map[string]any
}

// Append appends events to the audit trail, at once: in the transaction c
// is bound to when it is bound to one (they are then kept or dropped with
// it, and on PostgreSQL the chain stays locked until it ends; the hook's
// events of that transaction follow them at commit), or else in a
// transaction of their own.
func Append(ctx context.Context, c *ent.Client, events ...Event) error {
	if len(events) == 0 {
		return nil
	}
	actor, reason := ActorFrom(ctx), ReasonFrom(ctx)
	entries := make([]entry, len(events))
	for i, ev := range events {
		changes := ev.Changes
		if reason != "" {
			changes = make(map[string]any, len(ev.Changes)+1)
			maps.Copy(changes, ev.Changes)
			changes["reason"] = reason
		}
		e, err := newEntry(actor, ev.Action, ev.TargetType, ev.TargetID, changes)
		if err != nil {
			return fmt.Errorf("appending audit events: %w", err)
		}
		entries[i] = e
	}
	tx, err := c.Tx(ctx)
	switch {
	case errors.Is(err, ent.ErrTxStarted):
		if err := appendTo(ctx, c, "", entries); err != nil {
			return fmt.Errorf("appending audit events: %w", err)
		}
		return nil
	case err != nil:
		return fmt.Errorf("appending audit events: starting a transaction: %w", err)
	}
	if err := appendInTx(ctx, tx, "", entries); err != nil {
		return fmt.Errorf("appending audit events: %w", err)
	}
	return nil
}
