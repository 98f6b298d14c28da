package compliance

import (
	"context"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/internal/changes"
)

// writes counts the committed writes that make each part of a cached
// snapshot stale.
type writes struct {
	registry               changes.Counter
	records, users, ledger partWrites
}

// partWrites counts the writes to a part that follows inserts: inserts,
// which it reads by themselves, and every other write, after which it
// reads its table again.
type partWrites struct{ added, changed changes.Counter }

// versions is the write counts a snapshot was read at.
type versions struct {
	registry               uint64
	records, users, ledger partVersion
}

// partVersion is the write counts a part was read at.
type partVersion struct{ added, changed uint64 }

func (p *partWrites) load() partVersion {
	return partVersion{added: p.added.Load(), changed: p.changed.Load()}
}

// load returns the current counts.
func (w *writes) load() versions {
	return versions{registry: w.registry.Load(), records: w.records.load(), users: w.users.load(), ledger: w.ledger.load()}
}

// hook returns an ent hook that counts every successful write, and counts
// it again when its transaction commits. Audit events, operators, API
// tokens and webhooks are no compliance data and count nowhere. A delete counts as a
// change to every part: foreign keys cascade across them.
func (w *writes) hook() ent.Hook {
	return func(next ent.Mutator) ent.Mutator {
		return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
			bump := w.counter(m)
			if bump == nil {
				return next.Mutate(ctx, m)
			}
			return changes.After(ctx, m, next, bump)
		})
	}
}

// counter returns what to count for a mutation, nil for nothing.
func (w *writes) counter(m ent.Mutation) func() { return w.counterFor(m.Type(), m.Op()) }

// counterFor returns what to count for a write of op to an entity type,
// nil for nothing.
func (w *writes) counterFor(typ string, op ent.Op) func() {
	switch typ {
	case ent.TypeAuditEvent, ent.TypeOperator, ent.TypeAPIToken,
		ent.TypeWebhookSubscriber, ent.TypeWebhookEvent, ent.TypeWebhookDelivery:
		return nil
	}
	if op.Is(ent.OpDelete | ent.OpDeleteOne) {
		return w.all
	}
	var p *partWrites
	switch typ {
	case ent.TypeDataRecord:
		p = &w.records
	case ent.TypeUser:
		p = &w.users
	case ent.TypeConsent:
		p = &w.ledger
	default:
		return w.registry.Bump
	}
	if op.Is(ent.OpCreate) {
		return p.added.Bump
	}
	return p.changed.Bump
}

// all counts a change to every part.
func (w *writes) all() {
	w.registry.Bump()
	w.records.changed.Bump()
	w.users.changed.Bump()
	w.ledger.changed.Bump()
}
