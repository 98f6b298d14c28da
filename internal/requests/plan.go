package requests

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/datacategory"
	"github.com/privhub/privhub/ent/datarecord"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/trace"
	"github.com/privhub/privhub/internal/vocab"
)

// ErasurePlan is what erasing a user's data would do, worked out without
// writing anything: the records deleted and those kept under a legal hold,
// and who must be told, processors apart from controllers.
type ErasurePlan struct {
	// User is whose data it is.
	User *ent.User
	// At is the instant the plan is made as of.
	At time.Time
	// Deleted counts, per category, the records that would be deleted.
	Deleted []CategoryCount
	// Retained is what would be kept despite erasure (Art. 17(3)(b)), per
	// category, until when and why.
	Retained []vocab.Retained
	// Instruct are the processors (and subprocessors) that hold the data on
	// our behalf: we instruct them to erase (Art. 28(3)(e) and (g), 29).
	Instruct []*Recipient
	// Notify are the independent controllers the data was disclosed to: we
	// communicate the erasure to each (Art. 19).
	Notify []*Recipient

	// records are the IDs of the records to delete; kept those held back.
	records []pulid.ID
	kept    int
}

// CategoryCount is a number of records of one category.
type CategoryCount struct {
	// CategoryKey is the category's key, e.g. contact.email.
	CategoryKey string
	// Records is how many.
	Records int
}

// Recipient is one downstream holder of a user's data and what an erasure
// asks of it.
type Recipient struct {
	// Holder is the vendor or organisation.
	Holder ent.Holder
	// Role is its role in the flow that brings it the data: a processor is
	// instructed, a controller notified.
	Role vocab.ProcessingRole
	// Erase are the keys of the categories it must erase.
	Erase []string
	// Kept are the keys of the categories it holds that are kept under a
	// legal obligation, which it need not erase.
	Kept []string
	// Chain is the shortest chain of transfers that brought it the data.
	Chain []*trace.Step
}

// Required reports whether the recipient has anything to erase.
func (r *Recipient) Required() bool { return len(r.Erase) > 0 }

// PreviewErasure answers what erasing a user's data as of instant at would
// do, without writing anything.
func (d *Desk) PreviewErasure(ctx context.Context, c *ent.Client, userID pulid.ID, at time.Time) (*ErasurePlan, error) {
	u, err := c.User.Get(ctx, userID)
	if err != nil {
		return nil, notFound(err, "user", userID)
	}
	tr, err := d.Tracer.Trace(ctx, userID, at)
	if err != nil {
		return nil, fmt.Errorf("tracing the holders of %s: %w", userID, err)
	}
	return planErasure(ctx, c, u, tr, at)
}

// planErasure works out the plan from a user's trace, reading the records
// through c (inside the erasure's transaction when it carries one out).
func planErasure(ctx context.Context, c *ent.Client, u *ent.User, tr *trace.Trace, at time.Time) (*ErasurePlan, error) {
	records, err := c.DataRecord.Query().
		Where(datarecord.UserID(u.ID), datarecord.AnonymizedAtIsNil()).
		WithPurposes(func(q *ent.PurposeQuery) { q.Select("id") }).
		WithCategory(func(q *ent.DataCategoryQuery) { q.Select(datacategory.FieldID, datacategory.FieldKey) }).
		Order(datarecord.ByID()).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading the records of %s: %w", u.ID, err)
	}
	kept, retained, err := keptBack(ctx, c, records)
	if err != nil {
		return nil, err
	}
	p := &ErasurePlan{User: u, At: at, Retained: retained, kept: len(kept)}
	deleted := map[string]int{}
	for _, rec := range records {
		if kept[rec.ID] {
			continue
		}
		p.records = append(p.records, rec.ID)
		deleted[rec.Edges.Category.Key]++
	}
	for _, k := range slices.Sorted(maps.Keys(deleted)) {
		p.Deleted = append(p.Deleted, CategoryCount{CategoryKey: k, Records: deleted[k]})
	}
	for _, r := range recipients(tr, retained) {
		if r.Role == vocab.RoleProcessor || r.Role == vocab.RoleSubprocessor {
			p.Instruct = append(p.Instruct, r)
		} else {
			p.Notify = append(p.Notify, r)
		}
	}
	return p, nil
}

// recipients returns, by holder name, every downstream holder of the
// trace, every holder but our own organisations where they collected the
// data themselves (their records are the ones the erasure deletes).
func recipients(tr *trace.Trace, retained []vocab.Retained) []*Recipient {
	keep := map[string]bool{}
	for _, k := range retained {
		keep[k.CategoryKey] = true
	}
	type acc struct {
		r           *Recipient
		erase, kept map[string]bool
	}
	byHolder := map[pulid.ID]*acc{}
	var order []*acc
	for _, h := range tr.Holdings {
		if h.Depth() == 0 {
			if _, ours := h.Holder.(*ent.Organization); ours {
				continue
			}
		}
		a := byHolder[h.Holder.HolderID()]
		if a == nil {
			role := vocab.RoleController // a vendor collecting for itself
			if h.Depth() > 0 {
				role = h.Chain[h.Depth()-1].ImporterRole
			}
			a = &acc{r: &Recipient{Holder: h.Holder, Role: role, Chain: h.Chain}, erase: map[string]bool{}, kept: map[string]bool{}}
			byHolder[h.Holder.HolderID()] = a
			order = append(order, a)
		}
		for _, cat := range h.Categories {
			if keep[cat.Key] {
				a.kept[cat.Key] = true
			} else {
				a.erase[cat.Key] = true
			}
		}
	}
	out := make([]*Recipient, len(order))
	for i, a := range order {
		a.r.Erase, a.r.Kept = slices.Sorted(maps.Keys(a.erase)), slices.Sorted(maps.Keys(a.kept))
		out[i] = a.r
	}
	slices.SortStableFunc(out, func(a, b *Recipient) int {
		return cmp.Or(cmp.Compare(a.Holder.HolderName(), b.Holder.HolderName()), cmp.Compare(a.Holder.HolderID(), b.Holder.HolderID()))
	})
	return out
}
