package requests

import (
	"context"
	"fmt"
	"maps"
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
	"github.com/privhub/privhub/internal/trace"
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
		records, err := c.DataRecord.Query().
			Where(datarecord.UserID(r.UserID), datarecord.AnonymizedAtIsNil()).
			WithPurposes(func(q *ent.PurposeQuery) { q.Select("id") }).
			Order(datarecord.ByID()).All(ctx)
		if err != nil {
			return fmt.Errorf("reading the records of %s: %w", r.UserID, err)
		}
		kept, retained, err := keptBack(ctx, c, records)
		if err != nil {
			return err
		}
		var doomed []pulid.ID
		for _, rec := range records {
			if !kept[rec.ID] {
				doomed = append(doomed, rec.ID)
			}
		}
		for part := range slices.Chunk(doomed, deleteChunk) {
			if _, err := c.DataRecord.Delete().Where(datarecord.IDIn(part...)).Exec(ctx); err != nil {
				return fmt.Errorf("deleting the records of %s: %w", r.UserID, err)
			}
		}
		status := user.StatusErased
		if len(kept) > 0 {
			status = user.StatusAnonymized
		}
		if err := c.User.UpdateOneID(r.UserID).
			ClearEmail().ClearName().
			SetExternalRef("erased-" + string(r.UserID)).
			SetStatus(status).Exec(ctx); err != nil {
			return fmt.Errorf("erasing the profile of %s: %w", r.UserID, err)
		}
		tasks, err := createTasks(ctx, c, r.ID, tr, retained)
		if err != nil {
			return err
		}
		next := r.Status
		if next == request.StatusReceived {
			next = request.StatusInProgress
		}
		note := fmt.Sprintf("erased: %d record(s) deleted, %d kept under a legal obligation; %d downstream holder(s) to notify",
			len(doomed), len(kept), tasks)
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

// createTasks creates one task per holder of the trace that must erase,
// every holder but our own organizations where they collected the data
// (their records are the ones just deleted). A holder holding nothing but
// retained categories gets a task that is not required. It returns how
// many tasks need doing.
func createTasks(ctx context.Context, c *ent.Client, requestID pulid.ID, tr *trace.Trace, retained []vocab.Retained) (int, error) {
	keep := map[string]bool{}
	for _, k := range retained {
		keep[k.CategoryKey] = true
	}
	type task struct {
		holder     ent.Holder
		categories map[string]bool
		kept       map[string]bool
	}
	var order []pulid.ID
	byHolder := map[pulid.ID]*task{}
	for _, h := range tr.Holdings {
		id := h.Holder.HolderID()
		if _, ours := h.Holder.(*ent.Organization); ours && h.Depth() == 0 {
			continue
		}
		t := byHolder[id]
		if t == nil {
			t = &task{holder: h.Holder, categories: map[string]bool{}, kept: map[string]bool{}}
			byHolder[id] = t
			order = append(order, id)
		}
		for _, cat := range h.Categories {
			if keep[cat.Key] {
				t.kept[cat.Key] = true
			} else {
				t.categories[cat.Key] = true
			}
		}
	}
	builders := make([]*ent.RequestTaskCreate, 0, len(order))
	pending := 0
	for _, id := range order {
		t := byHolder[id]
		b := c.RequestTask.Create().SetRequestID(requestID).SetCategories(slices.Sorted(maps.Keys(t.categories)))
		switch h := t.holder.(type) {
		case *ent.Organization:
			b.SetOrganizationID(h.ID)
		case *ent.Vendor:
			b.SetVendorID(h.ID)
		}
		if len(t.categories) == 0 {
			b.SetStatus(requesttask.StatusNotRequired).
				SetNote("holds only data kept under a legal obligation: " + strings.Join(slices.Sorted(maps.Keys(t.kept)), ", "))
		} else {
			pending++
			b.SetNote("erase " + strings.Join(slices.Sorted(maps.Keys(t.categories)), ", "))
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
