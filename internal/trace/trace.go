package trace

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/consent"
	"github.com/privhub/privhub/ent/datarecord"
	"github.com/privhub/privhub/internal/apperr"
	"github.com/privhub/privhub/internal/pulid"
)

// Trace returns who holds the data of user userID at instant at, each
// holding with its shortest chain, and the flows the user's consent stops.
// It reads the user, the user's records and the user's consent ledger (three
// indexed queries). An unknown user is an apperr.NotFound error; a user with
// no records has an empty trace.
func (e *Engine) Trace(ctx context.Context, userID pulid.ID, at time.Time) (*Trace, error) {
	s, err := e.current(ctx)
	if err != nil {
		return nil, err
	}
	u, err := e.client.User.Get(ctx, userID)
	if ent.IsNotFound(err) {
		return nil, apperr.NotFoundf("no user with ID %s", userID)
	}
	if err != nil {
		return nil, fmt.Errorf("trace: reading user %s: %w", userID, err)
	}
	qat := at.UTC()
	records, err := e.client.DataRecord.Query().
		Where(datarecord.UserID(userID), datarecord.CollectedAtLTE(qat)).
		Select(datarecord.FieldCategoryID, datarecord.FieldCollectorOrganizationID, datarecord.FieldCollectorVendorID).
		All(ctx)
	if err != nil {
		return nil, fmt.Errorf("trace: reading records of user %s: %w", userID, err)
	}
	entries, err := e.client.Consent.Query().
		Where(consent.UserID(userID), consent.RecordedAtLTE(qat)).
		Order(consent.ByRecordedAt(), consent.ByCreatedAt(), consent.ByID()).
		All(ctx)
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
	return s.trace(u, at, sources, s.effective(choicesOf(entries), math.MaxInt64)), nil
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

func (s *snapshot) trace(u *ent.User, at time.Time, sources map[int32][]int32, b *blocks) *Trace {
	nanos := at.UnixNano()
	cats := make([]int32, 0, len(sources))
	for c := range sources {
		cats = append(cats, c)
	}
	slices.Sort(cats)

	type stopped struct {
		cats  bitset
		entry *ent.Consent
	}
	blocked := map[int32]*stopped{}
	hs := s.newHoldingSet(at)
	defer hs.release()
	var stops bitset // the edges the user's refusals stop
	if b != nil {
		stops = s.stopped(b)
	}
	for _, c := range cats {
		var admit func(ei int32) bool // nil when the user refuses nothing
		if b != nil {
			admit = func(ei int32) bool {
				if !stops.has(ei) {
					return true
				}
				st := blocked[ei]
				if st == nil {
					st = &stopped{cats: newBitset(len(s.cats)), entry: b.stop(&s.edges[ei]).entry}
					blocked[ei] = st
				}
				st.cats.set(c)
				return false
			}
		}
		src := sources[c]
		slices.Sort(src)
		hs.addWalk(hs.walk(src, c, nanos, admit), c, nil)
	}
	t := &Trace{User: u, At: at, Holdings: hs.build(), Blocked: make([]*BlockedFlow, 0, len(blocked))}
	for _, h := range t.Holdings {
		h.Users = 1
	}
	// A refusal stops many flows: word it once, and share category lists.
	reasons := map[*ent.Consent]aroundName{}
	flows := make([]BlockedFlow, 0, len(blocked))
	for ei, st := range blocked {
		e := &s.edges[ei]
		r, ok := reasons[st.entry]
		if !ok {
			r = s.reasonAround(st.entry)
			reasons[st.entry] = r
		}
		flows = append(flows, BlockedFlow{
			Transfer:   e.step.Transfer,
			Step:       e.step,
			Exporter:   e.step.Exporter,
			Importer:   e.step.Importer,
			Categories: hs.catLists.of(st.cats),
			Consent:    st.entry,
			Reason:     r.before + e.step.Importer.HolderName() + r.after,
		})
		t.Blocked = append(t.Blocked, &flows[len(flows)-1])
	}
	slices.SortFunc(t.Blocked, func(x, y *BlockedFlow) int {
		return cmp.Or(
			cmp.Compare(x.Importer.HolderName(), y.Importer.HolderName()),
			cmp.Compare(x.Transfer.ID, y.Transfer.ID),
		)
	})
	return t
}
