package requests

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/datarecord"
	"github.com/privhub/privhub/ent/request"
	"github.com/privhub/privhub/ent/requesttask"
	"github.com/privhub/privhub/ent/user"
	"github.com/privhub/privhub/internal/apperr"
	"github.com/privhub/privhub/internal/audit"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/store"
	"github.com/privhub/privhub/internal/vocab"
)

// deleteChunk bounds the IDs of one DELETE statement.
const deleteChunk = 500

// Erase carries out an erasure request (Art. 17) as of now, in one
// transaction: it deletes every live data record of the user except those a
// retention rule keeps despite erasure (Art. 17(3)(b), e.g. invoices under
// tax law), which it records on the request with the rule's legal basis and
// until when; it removes the user's name and e-mail address; it creates one
// task per downstream holder from the user's trace, naming the categories
// that holder must erase (Art. 19); and it marks the user ERASED, or
// ANONYMIZED when something had to be kept. Erasing a request that was
// already carried out changes nothing.
func (d *Desk) Erase(ctx context.Context, c *ent.Client, id pulid.ID, now time.Time) (*ent.Request, error) {
	r, err := c.Request.Get(ctx, id)
	if err != nil {
		return nil, notFound(err, "request", id)
	}
	switch {
	case r.Kind != request.KindErasure:
		return nil, apperr.Invalid("id", "%s is a %s request; only an erasure request erases data", name(r), strings.ToLower(string(r.Kind)))
	case r.ErasedAt != nil:
		return r, nil
	case r.Status == request.StatusCompleted || r.Status == request.StatusRejected:
		return nil, apperr.Conflictf("%s was already %s", name(r), strings.ToLower(string(r.Status)))
	}
	// The holders are those of the data as it is before the erasure.
	tr, err := d.Tracer.Trace(ctx, r.UserID, now)
	if err != nil {
		return nil, fmt.Errorf("tracing the holders of %s: %w", r.UserID, err)
	}
	err = store.RunTx(ctx, c, func(ctx context.Context, c *ent.Client) error {
		ctx = audit.WithReason(ctx, "erasure, "+name(r))
		u, err := c.User.Get(ctx, r.UserID)
		if err != nil {
			return fmt.Errorf("reading the subject of %s: %w", name(r), err)
		}
		plan, err := planErasure(ctx, c, u, tr, now)
		if err != nil {
			return err
		}
		for part := range slices.Chunk(plan.records, deleteChunk) {
			if _, err := c.DataRecord.Delete().Where(datarecord.IDIn(part...)).Exec(ctx); err != nil {
				return fmt.Errorf("deleting the records of %s: %w", r.UserID, err)
			}
		}
		status := user.StatusErased
		if plan.kept > 0 {
			status = user.StatusAnonymized
		}
		if err := c.User.UpdateOneID(r.UserID).
			ClearEmail().ClearName().
			SetExternalRef("erased-" + string(r.UserID)).
			SetStatus(status).Exec(ctx); err != nil {
			return fmt.Errorf("erasing the profile of %s: %w", r.UserID, err)
		}
		tasks, err := createTasks(ctx, c, r.ID, plan)
		if err != nil {
			return err
		}
		retained := plan.Retained
		doomed, kept := plan.records, plan.kept
		next := r.Status
		if next == request.StatusReceived {
			next = request.StatusInProgress
		}
		note := fmt.Sprintf("erased: %d record(s) deleted, %d kept under a legal obligation; %d downstream holder(s) to instruct or notify",
			len(doomed), kept, tasks)
		r, err = c.Request.UpdateOne(r).
			SetErasedAt(now).
			SetRetained(retained).
			SetStatus(next).
			SetHistory(append(r.History, vocab.StatusChange{Status: string(next), At: now, Note: note})).
			Save(ctx)
		if err != nil {
			return fmt.Errorf("recording the erasure on %s: %w", name(r), err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return detached(ctx, r), nil
}

// createTasks creates one task per recipient of the plan: processors to
// instruct (Art. 28(3), 29) and controllers to notify (Art. 19). A
// recipient holding nothing but retained categories gets a task that is not
// required. It returns how many tasks need doing.
func createTasks(ctx context.Context, c *ent.Client, requestID pulid.ID, plan *ErasurePlan) (int, error) {
	all := slices.Concat(plan.Instruct, plan.Notify)
	builders := make([]*ent.RequestTaskCreate, 0, len(all))
	pending := 0
	for _, rc := range all {
		b := c.RequestTask.Create().SetRequestID(requestID).SetCategories(rc.Erase)
		switch h := rc.Holder.(type) {
		case *ent.Organization:
			b.SetOrganizationID(h.ID)
		case *ent.Vendor:
			b.SetVendorID(h.ID)
		}
		verb := "notify (Art. 19), as controller, of the erasure of "
		if rc.Role == vocab.RoleProcessor || rc.Role == vocab.RoleSubprocessor {
			verb = "instruct (Art. 28(3)(g), 29), as processor, to erase "
		}
		if !rc.Required() {
			b.SetStatus(requesttask.StatusNotRequired).
				SetNote("holds only data kept under a legal obligation: " + strings.Join(rc.Kept, ", "))
		} else {
			pending++
			b.SetNote(verb + strings.Join(rc.Erase, ", "))
		}
		builders = append(builders, b)
	}
	if len(builders) == 0 {
		return 0, nil
	}
	if err := c.RequestTask.CreateBulk(builders...).Exec(ctx); err != nil {
		return 0, fmt.Errorf("creating the erasure tasks of request %s: %w", requestID, err)
	}
	return pending, nil
}
