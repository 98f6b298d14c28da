package trace

import (
	"cmp"
	"context"
	stdsql "database/sql"
	"fmt"
	"slices"
	"time"

	"entgo.io/ent/dialect"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/consent"
	"github.com/privhub/privhub/internal/changes"
	"github.com/privhub/privhub/internal/pulid"
)

// census is an in-memory index of the data records and the consent
// ledger: for each (collector, category) group, which users' records fall
// in it and when each was collected; for each user, their ledger. With it,
// Holders and Exposure count distinct users without reading either table.
// About 12 bytes per record and 45 per ledger entry, and for the most part
// nothing the garbage collector must scan: users and ledger entries are
// kept by value, with the IDs entries name numbered.
//
// A census follows each table by its fingerprint (row count and greatest
// ID), read before every use, save by a watching engine that learned of no
// write to either table since the last reading (see Engine.Watch). IDs are
// ULIDs, which grow with time: when the count grew by exactly the number of
// rows above the previous greatest ID, only inserts happened, and those rows are appended. Anything else (a
// delete, an insert below the greatest ID) rebuilds the census, and so does
// InvalidateIndex, which Watch calls after updates of records and consents
// and after deletes (an update changes no fingerprint).
type census struct {
	gen      uint64 // index generation it was built for
	records  changes.Fingerprint
	consents changes.Fingerprint
	// inserts is the engine's count of inserts when the fingerprints were
	// last read (see Engine.Watch).
	inserts uint64

	// users counts the users met, numbered in order; userIdx numbers
	// those whose ID fits a shortID (all of privhub's), longUsers the
	// others.
	users     int32
	userIdx   map[shortID]int32
	longUsers map[string]int32
	cohorts   map[[2]pulid.ID]*cohort
	// ledgers holds each user's ledger entries, by recorded_at; refusers
	// lists the users with at least one withdrawal or opt-out.
	ledgers  [][]ledgerEntry
	refusers []int32
	// ids interns the collector and category IDs read; refs numbers the
	// purpose and recipient IDs of ledger entries (refIdx is its index).
	ids    pulid.Interner
	refs   []pulid.ID
	refIdx map[string]int32
}

// shortID is an ID of up to 31 bytes as a value: its length, then its
// bytes. As a map key it holds no pointer.
type shortID [32]byte

// ledgerEntry is a consent ledger entry as a census keeps it: a choice
// whose IDs are numbers in census.refs, holding no pointer.
type ledgerEntry struct {
	purpose   int32 // in census.refs
	recipient int32 // in census.refs, -1 when the entry names none
	refusal   bool  // a withdrawal or an opt-out
	at        int64 // recorded_at, Unix nanoseconds
	seq       int64 // created_at, Unix nanoseconds: orders equal at
}

// cohort lists the records of one (collector, category) group: one entry
// per record, not sorted (a user may appear more than once).
type cohort struct {
	users []int32
	since []int64 // collected_at, Unix nanoseconds
	first int64   // the earliest since
}

func newCensus(gen uint64) *census {
	return &census{gen: gen, userIdx: map[shortID]int32{}, longUsers: map[string]int32{},
		cohorts: map[[2]pulid.ID]*cohort{}, refIdx: map[string]int32{}}
}

// user returns the index of a user, adding it when new.
func (cs *census) user(id []byte) int32 {
	var u int32
	var ok bool
	if len(id) < len(shortID{}) {
		var k shortID
		k[0] = byte(len(id))
		copy(k[1:], id)
		if u, ok = cs.userIdx[k]; !ok {
			u = cs.users
			cs.userIdx[k] = u
		}
	} else if u, ok = cs.longUsers[string(id)]; !ok {
		u = cs.users
		cs.longUsers[string(id)] = u
	}
	if !ok {
		cs.users++
		cs.ledgers = append(cs.ledgers, nil)
	}
	return u
}

// ref returns the number of a purpose or recipient ID in cs.refs, adding
// it when new.
func (cs *census) ref(b []byte) int32 {
	if i, ok := cs.refIdx[string(b)]; ok {
		return i
	}
	i := int32(len(cs.refs))
	cs.refs = append(cs.refs, pulid.ID(b))
	cs.refIdx[string(cs.refs[i])] = i
	return i
}

// ledger returns user u's ledger entries as choices.
func (cs *census) ledger(u int32) []choice {
	entries := cs.ledgers[u]
	out := make([]choice, len(entries))
	for i, e := range entries {
		out[i] = choice{purpose: cs.refs[e.purpose], refusal: e.refusal, at: e.at, seq: e.seq}
		if e.recipient >= 0 {
			out[i].recipient = cs.refs[e.recipient]
		}
	}
	return out
}

// readRecords appends the records with an ID greater than after ("" for
// all), anonymised ones left out, and returns how many it read.
func (cs *census) readRecords(ctx context.Context, c *ent.Client, pg bool, after pulid.ID) (int64, error) {
	q := &query{c: c, pg: pg}
	// An anonymised record is no longer personal data: nobody holds it.
	q.sql("SELECT d.user_id, d.collector_organization_id, d.collector_vendor_id, d.category_id, d.collected_at FROM data_records d WHERE d.anonymized_at IS NULL")
	if after != "" {
		q.sql(" AND d.id > ").arg(string(after))
	}
	rows, err := q.run(ctx)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var (
		n                 int64
		user, org, vnd, k stdsql.RawBytes
		at                time.Time
	)
	for rows.Next() {
		if err := rows.Scan(&user, &org, &vnd, &k, &at); err != nil {
			return 0, fmt.Errorf("trace: reading records: %w", err)
		}
		n++
		u := cs.user(user)
		collector := org
		if len(collector) == 0 {
			collector = vnd
		}
		key := [2]pulid.ID{cs.ids.Intern(collector), cs.ids.Intern(k)}
		co := cs.cohorts[key]
		since := at.UnixNano()
		if co == nil {
			co = &cohort{first: since}
			cs.cohorts[key] = co
		}
		co.users = append(co.users, u)
		co.since = append(co.since, since)
		co.first = min(co.first, since)
	}
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("trace: reading records: %w", err)
	}
	return n, nil
}

// readConsents appends the ledger entries with an ID greater than after
// ("" for all) and returns how many it read.
func (cs *census) readConsents(ctx context.Context, c *ent.Client, pg bool, after pulid.ID) (int64, error) {
	q := &query{c: c, pg: pg}
	q.sql("SELECT c.user_id, c.purpose_id, c.recipient_id, c.decision, c.recorded_at, c.created_at FROM consents c")
	if after != "" {
		q.sql(" WHERE c.id > ").arg(string(after))
	}
	rows, err := q.run(ctx)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var (
		n                                int64
		user, purpose, recipient, choose stdsql.RawBytes
		at, created                      time.Time
		touched                          = map[int32]bool{}
	)
	for rows.Next() {
		if err := rows.Scan(&user, &purpose, &recipient, &choose, &at, &created); err != nil {
			return 0, fmt.Errorf("trace: reading consents: %w", err)
		}
		n++
		u := cs.user(user)
		e := ledgerEntry{purpose: cs.ref(purpose), recipient: -1, at: at.UnixNano(), seq: created.UnixNano(),
			refusal: string(choose) != string(consent.DecisionGranted)}
		if len(recipient) > 0 {
			e.recipient = cs.ref(recipient)
		}
		l := cs.ledgers[u]
		if e.refusal && !slices.ContainsFunc(l, func(e ledgerEntry) bool { return e.refusal }) {
			cs.refusers = append(cs.refusers, u)
		}
		if len(l) > 0 && compareEntries(e, l[len(l)-1]) < 0 {
			touched[u] = true
		}
		cs.ledgers[u] = append(l, e)
	}
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("trace: reading consents: %w", err)
	}
	// Rows come in no particular order: put each touched ledger back in
	// recording order (recorded_at, then created_at).
	for u := range touched {
		slices.SortStableFunc(cs.ledgers[u], compareEntries)
	}
	return n, nil
}

// compareEntries orders ledger entries as they were recorded.
func compareEntries(a, b ledgerEntry) int {
	return cmp.Or(cmp.Compare(a.at, b.at), cmp.Compare(a.seq, b.seq))
}

// recordIndex returns a census that reflects the records and consents
// tables now, with its read lock held: call release when done with it. It
// builds, extends or rebuilds the census as the fingerprints require.
func (e *Engine) recordIndex(ctx context.Context, s *snapshot) (cs *census, release func(), err error) {
	select {
	case e.censusLoading <- struct{}{}:
	case <-ctx.Done():
		return nil, nil, ctx.Err()
	}
	defer func() { <-e.censusLoading }()
	gen, inserts := e.indexGen.Load(), e.inserts.Load()
	if cur := e.census; cur != nil && cur.gen == gen && cur.inserts == inserts && e.watching.Load() {
		// No write since the fingerprints were read.
		e.censusMu.RLock()
		return cur, e.censusMu.RUnlock, nil
	}
	records, err := changes.ReadFingerprint(ctx, e.client, "data_records")
	if err != nil {
		return nil, nil, err
	}
	consents, err := changes.ReadFingerprint(ctx, e.client, "consents")
	if err != nil {
		return nil, nil, err
	}
	pg := s.dialect == dialect.Postgres
	if cur := e.census; cur == nil || cur.gen != gen || !e.extend(ctx, cur, pg, records, consents) {
		e.census = nil
		next := newCensus(gen)
		if _, err := next.readRecords(ctx, e.client, pg, ""); err != nil {
			return nil, nil, err
		}
		if _, err := next.readConsents(ctx, e.client, pg, ""); err != nil {
			return nil, nil, err
		}
		// The rows read may be newer than the fingerprints: keep the
		// fingerprints, so that the next check reads such rows again
		// (harmless: counting is by set, and a repeated ledger entry changes
		// no latest choice) rather than missing any.
		next.records, next.consents = records, consents
		e.census = next
	}
	e.census.inserts = inserts
	e.censusMu.RLock()
	return e.census, e.censusMu.RUnlock, nil
}

// extend brings cur up to the fingerprints read when only inserts happened
// since, and reports whether it could.
func (e *Engine) extend(ctx context.Context, cur *census, pg bool, records, consents changes.Fingerprint) bool {
	grew := func(old, now changes.Fingerprint) bool { return now.Count > old.Count && now.MaxID > old.MaxID }
	same := func(old, now changes.Fingerprint) bool { return now == old }
	if !(same(cur.records, records) || grew(cur.records, records)) ||
		!(same(cur.consents, consents) || grew(cur.consents, consents)) {
		return false
	}
	if same(cur.records, records) && same(cur.consents, consents) {
		return true
	}
	e.censusMu.Lock()
	defer e.censusMu.Unlock()
	if !same(cur.records, records) {
		n, err := cur.readRecords(ctx, e.client, pg, cur.records.MaxID)
		if err != nil || n != records.Count-cur.records.Count {
			return false
		}
		cur.records = records
	}
	if !same(cur.consents, consents) {
		n, err := cur.readConsents(ctx, e.client, pg, cur.consents.MaxID)
		if err != nil || n != consents.Count-cur.consents.Count {
			return false
		}
		cur.consents = consents
	}
	return true
}

// groups returns the census's (collector, category) groups with a record
// collected at or before at, restricted to categories cats and collectors
// holders when these are not nil, sorted; stale reports a group s cannot
// place.
func (cs *census) groups(s *snapshot, at int64, cats, holders []int32) (groups []group, stale bool) {
	var wantCat, wantHolder map[int32]bool
	if cats != nil {
		wantCat = map[int32]bool{}
		for _, c := range cats {
			wantCat[c] = true
		}
	}
	if holders != nil {
		wantHolder = map[int32]bool{}
		for _, h := range holders {
			wantHolder[h] = true
		}
	}
	for key, co := range cs.cohorts {
		if co.first > at {
			continue
		}
		h, okH := s.holderIdx[key[0]]
		c, okC := s.catIdx[key[1]]
		if !okH || !okC {
			stale = true
			continue
		}
		if (wantCat == nil || wantCat[c]) && (wantHolder == nil || wantHolder[h]) {
			groups = append(groups, group{holder: h, cat: c})
		}
	}
	slices.SortFunc(groups, compareGroups)
	return groups, stale
}
