package audit

import (
	"context"
	"fmt"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/auditevent"
)

// verifyPage is how many events Verify reads at a time.
const verifyPage = 5000

// Report is the outcome of Verify.
type Report struct {
	// Events is how many events the trail holds.
	Events int
	// OK is true when the chain is intact.
	OK bool
	// FirstBad is the first event at which the chain breaks, nil if OK.
	FirstBad *Problem
}

// Problem is where and why the chain breaks.
type Problem struct {
	// Seq is the position of the event at which the break shows: the event
	// changed or inserted, or the one after a removed event.
	Seq int64
	// ID is that event's ID.
	ID string
	// Reason says what is wrong.
	Reason string
}

// Verify walks the audit trail in seq order and checks that seq runs from 1
// without gap or repeat, that each event's prev_hash is the previous event's
// hash, and that each event's hash matches its contents. It reports the
// first event at which one of these fails. The chain cannot show events
// removed from its end: compare Events with a count recorded elsewhere.
func Verify(ctx context.Context, c *ent.Client) (*Report, error) {
	rep := &Report{OK: true}
	var prev tip
	for {
		// Pages follow the unique index on seq, which also keeps a seq from
		// repeating; check still reports a repeat should the index be gone.
		q := c.AuditEvent.Query().Order(auditevent.BySeq(), auditevent.ByID()).Limit(verifyPage)
		if rep.Events > 0 { // the first page starts below 1 if a row does
			q.Where(auditevent.SeqGT(prev.seq))
		}
		page, err := q.All(ctx)
		if err != nil {
			return nil, fmt.Errorf("reading audit events after #%d: %w", prev.seq, err)
		}
		for _, ev := range page {
			if rep.OK {
				reason, err := check(ev, prev)
				if err != nil {
					return nil, err
				}
				if reason != "" {
					rep.OK = false
					rep.FirstBad = &Problem{Seq: ev.Seq, ID: string(ev.ID), Reason: reason}
				}
			}
			rep.Events++
			prev = tip{seq: ev.Seq, hash: ev.Hash}
		}
		if len(page) < verifyPage {
			return rep, nil
		}
	}
}

// check returns why ev cannot follow prev in the chain, or "".
func check(ev *ent.AuditEvent, prev tip) (string, error) {
	switch want := prev.seq + 1; {
	case ev.Seq == prev.seq && prev.seq > 0:
		return fmt.Sprintf("seq %d repeats: an event was inserted", ev.Seq), nil
	case ev.Seq < want:
		return fmt.Sprintf("seq %d where #%d was expected: an event was inserted", ev.Seq, want), nil
	case ev.Seq == want+1:
		return fmt.Sprintf("event #%d is missing", prev.seq+1), nil
	case ev.Seq > want+1:
		return fmt.Sprintf("events #%d to #%d are missing", prev.seq+1, ev.Seq-1), nil
	case ev.PrevHash != prev.hash:
		return fmt.Sprintf("prev_hash is not the hash of event #%d: an event was removed, inserted or replaced before it", prev.seq), nil
	}
	e := entry{
		at: ev.At, actor: ev.Actor, role: ev.Role, requestID: ev.RequestID,
		action: ev.Action, targetType: ev.TargetType, targetID: ev.TargetID, changes: ev.Changes,
	}
	h, err := hashOf(ev.Seq, e, ev.PrevHash)
	if err != nil {
		return "", fmt.Errorf("recomputing the hash of event #%d: %w", ev.Seq, err)
	}
	if h != ev.Hash {
		return "hash does not match the event's contents: the event was changed or forged", nil
	}
	return "", nil
}
