package trace

import (
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/consent"
	"github.com/privhub/privhub/ent/datacategory"
	"github.com/privhub/privhub/ent/datarecord"
	"github.com/privhub/privhub/ent/disclosure"
	"github.com/privhub/privhub/ent/purpose"
	"github.com/privhub/privhub/ent/user"
	"github.com/privhub/privhub/internal/apperr"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/stmtcache"
)

// Trace returns who holds the data of user userID at instant at, each
// holding with its shortest chain, and the flows the user's consent stops.
// It follows what happened to the person, not what could have: a record
// leaves its collector only on transfers made for one of the record's
// purposes, and a transfer with disclosure batches on record carries only
// the data of the people a batch disclosed by the instant named (of the
// batch's categories). It reads the user, the user's records with their
// purposes, the batches that named the user and the user's consent ledger
// (indexed queries). An unknown user is an apperr.NotFound error; a user
// with no records has an empty trace.
func (e *Engine) Trace(ctx context.Context, userID pulid.ID, at time.Time) (*Trace, error) {
	s, err := e.current(ctx)
	if err != nil {
		return nil, err
	}
	// The three reads below are asked once per trace with the same texts:
	// prepared once, each then costs one round trip.
	rctx := stmtcache.Use(ctx)
	u, err := e.client.User.Get(rctx, userID)
	if ent.IsNotFound(err) {
		return nil, apperr.NotFoundf("no user has this ID")
	}
	if err != nil {
		return nil, fmt.Errorf("trace: reading user %s: %w", userID, err)
	}
	qat := at.UTC()
	records, err := e.client.DataRecord.Query().
		Where(datarecord.UserID(userID), datarecord.CollectedAtLTE(qat)).
		Select(datarecord.FieldCategoryID, datarecord.FieldCollectorOrganizationID, datarecord.FieldCollectorVendorID).
		WithPurposes(func(q *ent.PurposeQuery) { q.Select(purpose.FieldID) }).
		All(rctx)
	if err != nil {
		return nil, fmt.Errorf("trace: reading records of user %s: %w", userID, err)
	}
	batches, err := e.client.Disclosure.Query().
		Where(disclosure.HasUsersWith(user.ID(userID)), disclosure.DisclosedAtLTE(qat)).
		Select(disclosure.FieldTransferID).
		WithCategories(func(q *ent.DataCategoryQuery) { q.Select(datacategory.FieldID) }).
		All(rctx)
	if err != nil {
		return nil, fmt.Errorf("trace: reading the disclosures of user %s: %w", userID, err)
	}
	entries, err := e.client.Consent.Query().
		Where(consent.UserID(userID), consent.RecordedAtLTE(qat)).
		Order(consent.ByRecordedAt(), consent.ByCreatedAt(), consent.ByID()).
		All(rctx)
	if err != nil {
		return nil, fmt.Errorf("trace: reading consents of user %s: %w", userID, err)
	}

	// A record naming a holder or category the snapshot lacks means the
	// snapshot is stale: reload it once.
	sources, ok := s.sources(records)
	if !ok {
		if s, err = e.reload(ctx, s); err != nil {
			return nil, err
		}
		sources, _ = s.sources(records)
	}
	return s.trace(u, at, sources, s.personal(records, batches), s.effective(choicesOf(entries), math.MaxInt64)), nil
}

// sources groups records by category: for each category, its collectors.
// ok is false when a record names something the snapshot lacks.
func (s *snapshot) sources(records []*ent.DataRecord) (map[int32][]int32, bool) {
	ok := true
	m := map[int32][]int32{}
	for _, r := range records {
		c, okC := s.catIdx[r.CategoryID]
		h, okH := s.holderIdx[deref(r.CollectorOrganizationID, r.CollectorVendorID)]
		if !okC || !okH {
			ok = false
			continue
		}
		if !slices.Contains(m[c], h) {
			m[c] = append(m[c], h)
		}
	}
	return m, ok
}

func (s *snapshot) trace(u *ent.User, at time.Time, sources map[int32][]int32, pf *personalFlows, b *blocks) *Trace {
	nanos := at.UnixNano()
	cats := make([]int32, 0, len(sources))
	for c := range sources {
		cats = append(cats, c)
	}
	slices.Sort(cats)

	hs := s.newHoldingSet(at)
	defer hs.release()
	refused := &hs.refused
	var stops bitset // the edges the user's refusals stop
	if b != nil {
		stops = s.stopped(b)
	}
	for _, c := range cats {
		admit := func(ei int32) bool {
			if !pf.carries(s, ei, c) {
				return false
			}
			if b == nil || !stops.has(ei) {
				return true
			}
			refused.add(ei, c)
			return false
		}
		src := sources[c]
		slices.Sort(src)
		hs.addWalk(hs.walk(src, c, nanos, admit), c, nil)
	}
	t := &Trace{User: u, At: at, Holdings: hs.build(), Blocked: refused.flows(s, b, &hs.catLists)}
	for _, h := range t.Holdings {
		h.Users = 1
	}
	return t
}
