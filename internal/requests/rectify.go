package requests

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/request"
	"github.com/privhub/privhub/ent/user"
	"github.com/privhub/privhub/internal/apperr"
	"github.com/privhub/privhub/internal/audit"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/store"
	"github.com/privhub/privhub/internal/vocab"
)

// RectifyUser corrects a user's details (Art. 16); the audit trail keeps
// the values before and after. When requestID is given, the correction is
// made for that rectification request of the same user, which moves to
// IN_PROGRESS with a note of what changed.
func RectifyUser(ctx context.Context, c *ent.Client, id pulid.ID, in RectifyUserInput, requestID *pulid.ID, now time.Time) (*ent.User, error) {
	var fields []string
	if in.Email != nil {
		if !strings.Contains(*in.Email, "@") {
			return nil, apperr.Invalid("email", "%q is not an e-mail address", *in.Email)
		}
		fields = append(fields, "email")
	}
	if in.Name != nil {
		fields = append(fields, "name")
	}
	if in.Country != nil {
		fields = append(fields, "country")
	}
	if len(fields) == 0 {
		return nil, apperr.Invalid("input", "give at least one detail to correct")
	}
	var u *ent.User
	err := store.RunTx(ctx, c, func(ctx context.Context, c *ent.Client) error {
		old, err := c.User.Get(ctx, id)
		if err != nil {
			return notFound(err, "user", id)
		}
		if old.Status != user.StatusActive {
			return apperr.Conflictf("user %s was %s; there is nothing left to rectify", id, strings.ToLower(string(old.Status)))
		}
		ctx, err = forRequest(ctx, c, requestID, id, "corrected "+strings.Join(fields, ", "), now)
		if err != nil {
			return err
		}
		upd := c.User.UpdateOne(old).SetNillableEmail(in.Email).SetNillableName(in.Name)
		if in.Country != nil {
			upd.SetCountryID(*in.Country)
		}
		if u, err = upd.Save(ctx); err != nil {
			return fmt.Errorf("rectifying user %s: %w", id, err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return detached(ctx, u), nil
}

// RectifyRecord corrects the value of a data record (Art. 16); the audit
// trail keeps the values before and after. requestID works as for
// RectifyUser.
func RectifyRecord(ctx context.Context, c *ent.Client, id pulid.ID, value string, requestID *pulid.ID, now time.Time) (*ent.DataRecord, error) {
	var rec *ent.DataRecord
	err := store.RunTx(ctx, c, func(ctx context.Context, c *ent.Client) error {
		old, err := c.DataRecord.Get(ctx, id)
		if err != nil {
			return notFound(err, "data record", id)
		}
		if old.AnonymizedAt != nil {
			return apperr.Conflictf("data record %s was anonymised on %s and holds no value to correct", id, stamp(*old.AnonymizedAt))
		}
		ctx, err = forRequest(ctx, c, requestID, old.UserID, "corrected the value of data record "+string(id), now)
		if err != nil {
			return err
		}
		if rec, err = c.DataRecord.UpdateOne(old).SetValue(value).Save(audit.KeepValues(ctx)); err != nil {
			return fmt.Errorf("rectifying data record %s: %w", id, err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return detached(ctx, rec), nil
}

// forRequest checks that requestID, when given, is an open rectification
// request of userID, notes what was done in its history, and returns ctx
// with the reason the audit trail records.
func forRequest(ctx context.Context, c *ent.Client, requestID *pulid.ID, userID pulid.ID, did string, now time.Time) (context.Context, error) {
	if requestID == nil {
		return audit.WithReason(ctx, "rectification"), nil
	}
	r, err := c.Request.Get(ctx, *requestID)
	if ent.IsNotFound(err) {
		return nil, apperr.Invalid("request", "no request has this ID")
	}
	if err != nil {
		return nil, fmt.Errorf("reading request %s: %w", *requestID, err)
	}
	switch {
	case r.Kind != request.KindRectification:
		return nil, apperr.Invalid("request", "%s is a %s request, not a rectification", name(r), strings.ToLower(string(r.Kind)))
	case r.UserID != userID:
		return nil, apperr.Invalid("request", "%s is another user's request", name(r))
	case r.Status == request.StatusCompleted || r.Status == request.StatusRejected:
		return nil, apperr.Conflictf("%s was already %s", name(r), strings.ToLower(string(r.Status)))
	}
	if err := c.Request.UpdateOne(r).
		SetStatus(request.StatusInProgress).
		SetHistory(append(r.History, vocab.StatusChange{Status: string(request.StatusInProgress), At: now, Note: did})).
		Exec(ctx); err != nil {
		return nil, fmt.Errorf("noting the rectification on %s: %w", name(r), err)
	}
	return audit.WithReason(ctx, "rectification, "+name(r)), nil
}
