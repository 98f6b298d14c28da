package announce

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/informedparty"
	"github.com/privhub/privhub/ent/subprocessorobjection"
	"github.com/privhub/privhub/internal/apperr"
	"github.com/privhub/privhub/internal/pulid"
)

// ObjectionInput is a controller's objection to an announcement.
type ObjectionInput struct {
	// Announcement is the announcement objected to.
	Announcement pulid.ID
	// Party is the controller: its contract party that was informed.
	Party pulid.ID
	// ReceivedAt is when the objection reached us; nil means now.
	ReceivedAt *time.Time
	// Text is the objection as received.
	Text string
	// Outcome is what came of it, when already decided; nil means PENDING.
	Outcome *subprocessorobjection.Outcome
	// DecidedAt is when it was decided; nil means now, for a decided one.
	DecidedAt *time.Time
}

// Object records a controller's objection to an announcement, received in
// its window: from when that controller was informed to when the change
// takes effect. The controller must be one informed of the announcement.
func Object(ctx context.Context, c *ent.Client, in ObjectionInput, now time.Time) (*ent.SubprocessorObjection, error) {
	var o *ent.SubprocessorObjection
	own, err := inTx(ctx, c, func(ctx context.Context, tx *ent.Tx) (err error) {
		o, err = object(ctx, tx, in, now)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("recording an objection: %w", err)
	}
	if own {
		o = o.Unwrap()
	}
	return o, nil
}

func object(ctx context.Context, tx *ent.Tx, in ObjectionInput, now time.Time) (*ent.SubprocessorObjection, error) {
	a, err := tx.SubprocessorAnnouncement.Get(ctx, in.Announcement)
	if ent.IsNotFound(err) {
		return nil, apperr.Invalid("announcement", "no subprocessor announcement has this ID")
	}
	if err != nil {
		return nil, fmt.Errorf("reading the announcement: %w", err)
	}
	inf, err := tx.InformedParty.Query().
		Where(informedparty.AnnouncementID(a.ID), informedparty.ContractPartyID(in.Party)).First(ctx)
	if ent.IsNotFound(err) {
		return nil, apperr.Invalid("party", "this party was not informed of the announcement: objections come from the controllers informed of it")
	}
	if err != nil {
		return nil, fmt.Errorf("reading who was informed: %w", err)
	}
	received := now
	if in.ReceivedAt != nil {
		received = *in.ReceivedAt
	}
	if received.Before(inf.InformedAt) || received.After(a.EffectiveAt) {
		return nil, apperr.Invalid("receivedAt", "%s is outside the objection window, from the notice (%s) to the date the change takes effect (%s)",
			received.UTC().Format(time.RFC3339), inf.InformedAt.UTC().Format(time.RFC3339), a.EffectiveAt.UTC().Format(time.RFC3339))
	}
	text := strings.TrimSpace(in.Text)
	if text == "" {
		return nil, apperr.Invalid("text", "must not be empty")
	}
	create := tx.SubprocessorObjection.Create().
		SetAnnouncementID(a.ID).SetContractPartyID(in.Party).SetReceivedAt(received).SetText(text)
	outcome := subprocessorobjection.OutcomePending
	if in.Outcome != nil {
		outcome = *in.Outcome
	}
	decided, err := decision(outcome, in.DecidedAt, received, now)
	if err != nil {
		return nil, err
	}
	o, err := create.SetOutcome(outcome).SetNillableDecidedAt(decided).Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("saving the objection: %w", err)
	}
	return o, nil
}

// Decide records what came of an objection: its outcome and when it was
// decided (nil: now). PENDING reopens it.
func Decide(ctx context.Context, c *ent.Client, id pulid.ID, outcome subprocessorobjection.Outcome, decidedAt *time.Time, now time.Time) (*ent.SubprocessorObjection, error) {
	var o *ent.SubprocessorObjection
	own, err := inTx(ctx, c, func(ctx context.Context, tx *ent.Tx) error {
		cur, err := tx.SubprocessorObjection.Get(ctx, id)
		if ent.IsNotFound(err) {
			return apperr.Invalid("id", "no objection has this ID")
		}
		if err != nil {
			return fmt.Errorf("reading the objection: %w", err)
		}
		decided, err := decision(outcome, decidedAt, cur.ReceivedAt, now)
		if err != nil {
			return err
		}
		up := cur.Update().SetOutcome(outcome)
		if decided == nil {
			up.ClearDecidedAt()
		} else {
			up.SetDecidedAt(*decided)
		}
		o, err = up.Save(ctx)
		if err != nil {
			return fmt.Errorf("saving the objection: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("deciding an objection: %w", err)
	}
	if own {
		o = o.Unwrap()
	}
	return o, nil
}

// decision checks an outcome and its date against the objection's receipt
// and returns the date to record: none for a pending objection.
func decision(outcome subprocessorobjection.Outcome, at *time.Time, received, now time.Time) (*time.Time, error) {
	if err := subprocessorobjection.OutcomeValidator(outcome); err != nil {
		return nil, apperr.Invalid("outcome", "%q is not an outcome", outcome)
	}
	if outcome == subprocessorobjection.OutcomePending {
		if at != nil {
			return nil, apperr.Invalid("decidedAt", "only a decided objection has a decision date")
		}
		return nil, nil
	}
	when := now
	if at != nil {
		when = *at
	}
	if when.Before(received) {
		return nil, apperr.Invalid("decidedAt", "an objection is decided after it is received (%s)", received.UTC().Format(time.RFC3339))
	}
	return &when, nil
}
