// Package announce records the subprocessor changes our own organisations
// announce as processors to their customers, the controllers (GDPR Art.
// 28(2), SCC Clause 9(a)): the announcement, every controller informed
// under each controller-facing contract with the notice period that
// contract gives, and the objections received in the window. A change that
// would take effect before a controller's notice period runs out is refused
// unless it is forced with a reason, which is recorded (and the compliance
// checker reports it). The package also derives the public subprocessor
// list and its change log from the announcements (see Lists).
package announce

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/informedparty"
	"github.com/privhub/privhub/ent/subprocessorannouncement"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/vocab"
)

// Input is a subprocessor change to announce.
type Input struct {
	// Organization is the own organisation that announces, as processor.
	Organization pulid.ID
	// Kind says whether the subprocessor is added, replaces another or is
	// removed.
	Kind subprocessorannouncement.Kind
	// Vendor is the subprocessor added or removed; for a replacement, the
	// one that comes in.
	Vendor pulid.ID
	// Replaces is, for a replacement, the subprocessor that goes.
	Replaces *pulid.ID
	// Service is what the subprocessor does.
	Service vocab.Service
	// Country is where it processes or accesses the data; nil means the
	// vendor's country.
	Country *pulid.ID
	// Mechanism is the transfer mechanism its processing relies on.
	Mechanism vocab.Mechanism
	// Purposes and Categories say what it processes, for what.
	Purposes, Categories []pulid.ID
	// AnnouncedAt is when the change is announced; nil means now.
	AnnouncedAt *time.Time
	// EffectiveAt is when the change takes effect.
	EffectiveAt time.Time
	// InformedAt is when the controllers were informed; nil means
	// AnnouncedAt. Informed overrides it for single controllers.
	InformedAt *time.Time
	// Channel is how they were informed; nil means e-mail.
	Channel *informedparty.Channel
	// Informed overrides when and how single controllers were informed.
	Informed []Recipient
	// Force records the change even though it takes effect before a
	// controller's notice period runs out; Reason must say why.
	Force  bool
	Reason *string
}

// Recipient is when and how one controller was informed: its party to a
// controller-facing contract of the announcing organisation.
type Recipient struct {
	// Party is the controller's contract party.
	Party pulid.ID
	// InformedAt is when it was informed; nil means the input's.
	InformedAt *time.Time
	// Channel is how; nil means the input's.
	Channel *informedparty.Channel
}

// EventKind is the kind of the event an announcement publishes.
const EventKind = "subprocessor.change"

// Event is what an announcement publishes, inside its transaction, for
// subscribers: the announcement's ID and the public facts of the change,
// nothing more.
type Event struct {
	// Kind is EventKind.
	Kind string `json:"kind"`
	// AnnouncementID is the ID of the announcement.
	AnnouncementID pulid.ID `json:"announcementId"`
	// Organization is the name of the organisation that announces.
	Organization string `json:"organization"`
	// Change is what the public change log says of it.
	Change Change `json:"change"`
}

// Publisher is the hook point for the webhook outbox: Announce calls it
// inside the announcement's transaction, after the announcement and its
// informed rows are written, so that the event is committed with them or
// not at all. A nil Publisher publishes nothing.
type Publisher interface {
	Publish(ctx context.Context, tx *ent.Tx, ev Event) error
}

// PublisherFunc adapts a function to Publisher.
type PublisherFunc func(ctx context.Context, tx *ent.Tx, ev Event) error

// Publish implements Publisher.
func (f PublisherFunc) Publish(ctx context.Context, tx *ent.Tx, ev Event) error {
	return f(ctx, tx, ev)
}

// inTx runs fn in the transaction ctx carries (a GraphQL mutation's), or in
// one of its own on c, committed when fn succeeds.
func inTx(ctx context.Context, c *ent.Client, fn func(ctx context.Context, tx *ent.Tx) error) (own bool, err error) {
	if tx := ent.TxFromContext(ctx); tx != nil {
		return false, fn(ctx, tx)
	}
	tx, err := c.Tx(ctx)
	if err != nil {
		return true, fmt.Errorf("starting a transaction: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			_ = tx.Rollback()
			panic(p)
		}
	}()
	if err := fn(ent.NewTxContext(ctx, tx), tx); err != nil {
		if rerr := tx.Rollback(); rerr != nil {
			return true, errors.Join(err, fmt.Errorf("rolling back: %w", rerr))
		}
		return true, err
	}
	if err := tx.Commit(); err != nil {
		return true, fmt.Errorf("committing: %w", err)
	}
	return true, nil
}
