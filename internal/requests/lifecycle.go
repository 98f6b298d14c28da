package requests

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/request"
	"github.com/privhub/privhub/ent/requesttask"
	"github.com/privhub/privhub/ent/user"
	"github.com/privhub/privhub/internal/apperr"
	"github.com/privhub/privhub/internal/law"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/vocab"
)

// clockSkew is how far in the future a reported time may lie.
const clockSkew = time.Minute

// Submit receives a data subject request: it is due one calendar month
// after receipt (a request received on 31 January is due on the last day of
// February), and its history starts with its receipt.
func Submit(ctx context.Context, c *ent.Client, in SubmitInput, now time.Time) (*ent.Request, error) {
	ok, err := c.User.Query().Where(user.ID(in.User)).Exist(ctx)
	if err != nil {
		return nil, fmt.Errorf("looking up user %s: %w", in.User, err)
	}
	if !ok {
		return nil, apperr.Invalid("user", "no user has this ID")
	}
	received := now
	if in.ReceivedAt != nil {
		if in.ReceivedAt.After(now.Add(clockSkew)) {
			return nil, apperr.Invalid("receivedAt", "a request cannot be received in the future (%s)", stamp(*in.ReceivedAt))
		}
		received = *in.ReceivedAt
	}
	create := c.Request.Create().
		SetUserID(in.User).
		SetKind(in.Kind).
		SetReceivedAt(received).
		SetNillableReference(in.Reference).
		SetNillableNote(in.Note).
		SetHistory([]vocab.StatusChange{{Status: string(request.StatusReceived), At: received, Note: deref(in.Note)}})
	r, err := create.Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("receiving a %s request for %s: %w", strings.ToLower(string(in.Kind)), in.User, err)
	}
	return r, nil
}

// Extend extends an open request by months, with the reason, as notified to
// the subject at notified: the extensions of one request add up to two
// months at most, and each must be notified inside the first month.
func Extend(ctx context.Context, c *ent.Client, id pulid.ID, months int, reason string, notified time.Time) (*ent.Request, error) {
	r, err := open(ctx, c, id)
	if err != nil {
		return nil, err
	}
	reason = strings.TrimSpace(reason)
	switch {
	case months < 1:
		return nil, apperr.Invalid("months", "an extension is of one or two months, not %d", months)
	case reason == "":
		return nil, apperr.Invalid("reason", "an extension needs its reason (the complexity or number of requests)")
	}
	already := 0
	if r.ExtensionMonths != nil {
		already = *r.ExtensionMonths
	}
	if already+months > law.MaxExtensionMonths {
		return nil, apperr.Invalid("months", "%s is already extended by %d month(s); %d more would exceed the %d months Art. 12(3) allows",
			name(r), already, months, law.MaxExtensionMonths)
	}
	firstMonth := law.DueDate(r.ReceivedAt, 0)
	switch {
	case notified.Before(r.ReceivedAt):
		return nil, apperr.Invalid("notifiedAt", "the subject cannot be told of an extension (%s) before the request was received (%s)",
			stamp(notified), stamp(r.ReceivedAt))
	case notified.After(firstMonth):
		return nil, apperr.Invalid("notifiedAt", "an extension must be notified within the first month, which ended on %s; it was notified on %s",
			stamp(firstMonth), stamp(notified))
	}
	total := already + months
	u := c.Request.UpdateOne(r).
		SetExtensionMonths(total).
		SetExtensionReason(joinReason(r.ExtensionReason, reason)).
		SetHistory(append(r.History, vocab.StatusChange{Status: "EXTENDED", At: notified,
			Note: fmt.Sprintf("extended by %d month(s), to %s: %s", months, stamp(law.DueDate(r.ReceivedAt, total)), reason)}))
	if r.ExtensionNotifiedAt == nil {
		u.SetExtensionNotifiedAt(notified)
	}
	r, err = u.Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("extending request %s: %w", id, err)
	}
	return r, nil
}

// Complete closes an open request as answered. An erasure request is
// carried out first (see Erase) when it has not been.
func (d *Desk) Complete(ctx context.Context, c *ent.Client, id pulid.ID, note string, now time.Time) (*ent.Request, error) {
	r, err := open(ctx, c, id)
	if err != nil {
		return nil, err
	}
	if r.Kind == request.KindErasure && r.ErasedAt == nil {
		if r, err = d.Erase(ctx, c, id, now); err != nil {
			return nil, err
		}
	}
	return closeRequest(ctx, c, r, request.StatusCompleted, note, now)
}

// Reject closes an open request as refused (e.g. manifestly unfounded or
// the requester's identity unproven), keeping the reason.
func Reject(ctx context.Context, c *ent.Client, id pulid.ID, reason string, now time.Time) (*ent.Request, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return nil, apperr.Invalid("reason", "a rejection needs its reason, which the subject must be told (Art. 12(4))")
	}
	r, err := open(ctx, c, id)
	if err != nil {
		return nil, err
	}
	return closeRequest(ctx, c, r, request.StatusRejected, reason, now)
}

// ConfirmTask records that a downstream holder confirmed it did what a
// request's task asked.
func ConfirmTask(ctx context.Context, c *ent.Client, id pulid.ID, note string, now time.Time) (*ent.RequestTask, error) {
	t, err := c.RequestTask.Get(ctx, id)
	if err != nil {
		return nil, notFound(err, "request task", id)
	}
	if t.Status == requesttask.StatusConfirmed {
		return t, nil
	}
	u := c.RequestTask.UpdateOne(t).SetStatus(requesttask.StatusConfirmed).SetConfirmedAt(now)
	if note = strings.TrimSpace(note); note != "" {
		u.SetNote(joinReason(t.Note, note))
	}
	t, err = u.Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("confirming task %s: %w", id, err)
	}
	return t, nil
}

// closeRequest moves r to a final status at now.
func closeRequest(ctx context.Context, c *ent.Client, r *ent.Request, status request.Status, note string, now time.Time) (*ent.Request, error) {
	r, err := c.Request.UpdateOne(r).
		SetStatus(status).
		SetCompletedAt(now).
		SetHistory(append(r.History, vocab.StatusChange{Status: string(status), At: now, Note: strings.TrimSpace(note)})).
		Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("closing request %s: %w", r.ID, err)
	}
	return r, nil
}

// open returns the request id when it is still open, NOT_FOUND when there
// is none and CONFLICT when it was completed or rejected.
func open(ctx context.Context, c *ent.Client, id pulid.ID) (*ent.Request, error) {
	r, err := c.Request.Get(ctx, id)
	if err != nil {
		return nil, notFound(err, "request", id)
	}
	if r.Status == request.StatusCompleted || r.Status == request.StatusRejected {
		return nil, apperr.Conflictf("%s was already %s", name(r), strings.ToLower(string(r.Status)))
	}
	return r, nil
}

// notFound turns ent's not-found into NOT_FOUND naming what was looked for.
func notFound(err error, kind string, id pulid.ID) error {
	if ent.IsNotFound(err) {
		return apperr.NotFoundf("no %s has this ID", kind)
	}
	return fmt.Errorf("reading %s %s: %w", kind, id, err)
}

// name is how messages refer to a request: its case number, else its ID.
func name(r *ent.Request) string {
	if r.Reference != "" {
		return "request " + r.Reference
	}
	return "request " + string(r.ID)
}

// joinReason appends a reason to earlier ones.
func joinReason(earlier, more string) string {
	if earlier == "" {
		return more
	}
	return earlier + "; " + more
}

// stamp formats an instant for messages.
func stamp(t time.Time) string { return t.UTC().Format("2006-01-02") }

// deref returns *s, or "" for nil.
func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
