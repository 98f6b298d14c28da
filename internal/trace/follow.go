package trace

import (
	"context"
	"fmt"

	"github.com/privhub/privhub/ent"
)

// catchUp applies to a watching engine the writes other processes appended
// to the audit trail since the last call (see Watch); it does nothing for
// an engine that does not watch.
func (e *Engine) catchUp(ctx context.Context) error {
	if !e.watching.Load() {
		return nil
	}
	e.trailMu.Lock()
	defer e.trailMu.Unlock()
	if err := e.trail.CatchUp(ctx, e.client, e.noteWrite, e.invalidateAll); err != nil {
		return fmt.Errorf("trace: %w", err)
	}
	return nil
}

// noteWrite applies a write of op to an entity of type typ, whether Watch's
// hook saw it or the audit trail reported it: inserts of records and ledger
// entries are counted, their other writes and every delete (deletes
// cascade) rebuild the index, and writes to what the snapshot is built from
// reload it.
func (e *Engine) noteWrite(typ string, op ent.Op) {
	switch {
	case outside(typ): // nothing a trace reads
	case typ == ent.TypeDataRecord || typ == ent.TypeConsent:
		if op.Is(ent.OpCreate) {
			e.inserts.Bump()
		} else {
			e.InvalidateIndex()
		}
	case op.Is(ent.OpDelete | ent.OpDeleteOne):
		e.InvalidateIndex()
		if inGraph(typ) {
			e.Invalidate()
		}
	case inGraph(typ):
		e.Invalidate()
	}
}

// affects reports whether noteWrite does anything for a write of op to an
// entity of type typ.
func affects(typ string, op ent.Op) bool {
	if outside(typ) {
		return false
	}
	return typ == ent.TypeDataRecord || typ == ent.TypeConsent || inGraph(typ) ||
		op.Is(ent.OpDelete|ent.OpDeleteOne)
}

// invalidateAll makes the next question reload the snapshot and rebuild
// the index.
func (e *Engine) invalidateAll() {
	e.Invalidate()
	e.InvalidateIndex()
}

// outside reports whether entities of type typ are no part of what a trace
// reads, nor cascade into it when deleted: webhooks.
func outside(typ string) bool {
	switch typ {
	case ent.TypeWebhookSubscriber, ent.TypeWebhookEvent, ent.TypeWebhookDelivery:
		return true
	}
	return false
}

// inGraph reports whether the snapshot is built from entities of type typ.
func inGraph(typ string) bool {
	switch typ {
	case ent.TypeTransfer, ent.TypeClause, ent.TypeContract, ent.TypeDataCategory, ent.TypePurpose,
		ent.TypeOrganization, ent.TypeVendor, ent.TypeCountry, ent.TypeAdequacyDecision, ent.TypeDisclosure:
		return true
	}
	return false
}
