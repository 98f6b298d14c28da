package retention

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	entsql "entgo.io/ent/dialect/sql"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/consent"
	"github.com/privhub/privhub/ent/datarecord"
	"github.com/privhub/privhub/ent/retentionrule"
	"github.com/privhub/privhub/internal/audit"
	"github.com/privhub/privhub/internal/law"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/store"
)

// Options tells Sweep what to do.
type Options struct {
	// At is the instant retention is evaluated as of; zero means now.
	At time.Time
	// Apply makes changes; without it the sweep only counts (a dry run).
	Apply bool
	// BatchSize is how many records one transaction changes; 0 means 1,000.
	BatchSize int
	// Progress, when set, is called after each batch with the running totals.
	Progress func(*Report)
}

// Page is one page of the retention preview.
type Page struct {
	// Items are the records of the page, ordered by record ID.
	Items []*Item
	// Total counts the items of every page.
	Total int
	// More is true when items follow the page.
	More bool
}

const (
	// pageSize is how many records one read brings into memory.
	pageSize = 2000
	// defaultBatch is the batch size when Options leaves it out.
	defaultBatch = 1000
)

// Preview returns the records past their retention as of at and not under
// legal hold, ordered by record ID, starting after the record ID after (""
// for the first page), at most limit of them.
//
// Every call evaluates the whole table, as a dry-run sweep does (two or
// three queries per 2,000 records, in constant memory), in order to count
// Total: a few milliseconds on the demo, about 6 s for a million records on
// either database (BenchmarkSweep). It is a DPO's screen, not a hot path.
func Preview(ctx context.Context, c *ent.Client, at time.Time, after pulid.ID, limit int) (*Page, error) {
	if at.IsZero() {
		at = time.Now().UTC()
	}
	policy, err := LoadPolicy(ctx, c)
	if err != nil {
		return nil, err
	}
	type hit struct {
		id     pulid.ID
		rule   *ent.RetentionRule
		expiry time.Time
	}
	page := &Page{}
	var hits []hit
	err = scan(ctx, c, policy, at, func(r *ent.DataRecord, rule *ent.RetentionRule, expiry time.Time) error {
		if rule == nil || r.LegalHold {
			return nil
		}
		page.Total++
		switch {
		case after != "" && r.ID <= after:
		case len(hits) < limit:
			hits = append(hits, hit{r.ID, rule, expiry})
		default:
			page.More = true
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(hits) == 0 {
		return page, nil
	}
	ids := make([]pulid.ID, len(hits))
	for i, h := range hits {
		ids[i] = h.id
	}
	records, err := c.DataRecord.Query().Where(datarecord.IDIn(ids...)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("retention: reading the records of the preview: %w", err)
	}
	byID := make(map[pulid.ID]*ent.DataRecord, len(records))
	for _, r := range records {
		byID[r.ID] = r
	}
	for _, h := range hits {
		// A record deleted since the scan is left out of the page.
		if r := byID[h.id]; r != nil {
			page.Items = append(page.Items, &Item{Record: r, Rule: h.rule, Action: h.rule.Action, ExpiredAt: h.expiry})
		}
	}
	return page, nil
}

// Sweep applies every retention rule as of opt.At: it deletes, or
// anonymises (clears the value and sets anonymized_at), every record past
// its retention, as the binding rule says, except those under legal hold,
// which it only counts. Without opt.Apply it changes nothing and reports
// what it would do, batches included.
//
// It reads the records in ID order, a page at a time, so that memory stays
// flat whatever the size of the table, and changes them in batches of
// opt.BatchSize, each batch one transaction with the reason for each rule's
// changes on the audit trail. Restarting a sweep that stopped half-way (at
// the same instant) finishes the job: what a committed batch deleted is
// gone, what it anonymised is skipped, and an interrupted batch changed
// nothing. On error it returns the report of the batches committed so far
// along with the error.
func Sweep(ctx context.Context, c *ent.Client, opt Options) (*Report, error) {
	at := opt.At
	if at.IsZero() {
		at = time.Now().UTC()
	}
	size := opt.BatchSize
	if size <= 0 {
		size = defaultBatch
	}
	rep := &Report{At: at, DryRun: !opt.Apply}
	policy, err := LoadPolicy(ctx, c)
	if err != nil {
		return rep, err
	}
	counts := map[pulid.ID]*RuleCount{}
	batch := make([]change, 0, size)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		done, err := commit(ctx, c, at, batch, opt.Apply)
		if err != nil {
			return err
		}
		for _, ch := range batch {
			rc := counts[ch.rule.ID]
			if rc == nil {
				rc = &RuleCount{Rule: ch.rule, Action: ch.rule.Action, FirstExpiry: ch.expiry}
				counts[ch.rule.ID] = rc
			}
			if ch.expiry.Before(rc.FirstExpiry) {
				rc.FirstExpiry = ch.expiry
			}
		}
		for rule, n := range done {
			rc := counts[rule.ID]
			rc.Records += n
			if rule.Action == retentionrule.ActionAnonymize {
				rep.Anonymized += n
			} else {
				rep.Deleted += n
			}
		}
		rep.Batches++
		batch = batch[:0]
		if opt.Progress != nil {
			opt.Progress(rep)
		}
		return nil
	}
	err = scan(ctx, c, policy, at, func(r *ent.DataRecord, rule *ent.RetentionRule, expiry time.Time) error {
		rep.Scanned++
		if rule == nil {
			return nil
		}
		rep.Expired++
		if r.LegalHold {
			rep.Held++
			return nil
		}
		if batch = append(batch, change{r.ID, rule, expiry}); len(batch) == size {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	rep.Rules = sortCounts(counts)
	return rep, err
}

// change is one record a batch deletes or anonymises, under its rule.
type change struct {
	id     pulid.ID
	rule   *ent.RetentionRule
	expiry time.Time
}

// commit makes a batch's changes in one transaction (or, without apply,
// only counts them) and returns how many records each rule changed. A
// record placed under legal hold or anonymised since it was read is left
// alone.
func commit(ctx context.Context, c *ent.Client, at time.Time, batch []change, apply bool) (map[*ent.RetentionRule]int, error) {
	var rules []*ent.RetentionRule
	ids := map[*ent.RetentionRule][]pulid.ID{}
	for _, ch := range batch {
		if ids[ch.rule] == nil {
			rules = append(rules, ch.rule)
		}
		ids[ch.rule] = append(ids[ch.rule], ch.id)
	}
	done := make(map[*ent.RetentionRule]int, len(rules))
	if !apply {
		for _, r := range rules {
			done[r] = len(ids[r])
		}
		return done, nil
	}
	err := store.RunTx(ctx, c, func(ctx context.Context, c *ent.Client) error {
		for _, r := range rules {
			rctx := audit.WithReason(ctx, Reason(r))
			var n int
			var err error
			if r.Action == retentionrule.ActionAnonymize {
				n, err = c.DataRecord.Update().
					Where(datarecord.IDIn(ids[r]...), datarecord.LegalHold(false), datarecord.AnonymizedAtIsNil()).
					ClearValue().SetAnonymizedAt(at).Save(rctx)
			} else {
				n, err = c.DataRecord.Delete().
					Where(datarecord.IDIn(ids[r]...), datarecord.LegalHold(false), datarecord.AnonymizedAtIsNil()).
					Exec(rctx)
			}
			if err != nil {
				return fmt.Errorf("applying retention rule %s: %w", r.ID, err)
			}
			done[r] = n
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("retention: %w", err)
	}
	return done, nil
}

// Reason is what the audit trail records as the reason for a rule's
// changes, e.g. "retention rule ret_…: logs.edge P2M from collection,
// delete".
func Reason(r *ent.RetentionRule) string {
	cat := string(r.CategoryID)
	if r.Edges.Category != nil {
		cat = r.Edges.Category.Key
	}
	action := "delete"
	if r.Action == retentionrule.ActionAnonymize {
		action = "anonymise"
	}
	return fmt.Sprintf("retention rule %s: %s %s from %s, %s", r.ID, cat, r.Period, TriggerText(r.Trigger), action)
}

// sortCounts orders the per-rule counts by category key, then purpose key
// (any purpose first), then rule ID.
func sortCounts(counts map[pulid.ID]*RuleCount) []*RuleCount {
	out := make([]*RuleCount, 0, len(counts))
	for _, rc := range counts {
		out = append(out, rc)
	}
	key := func(r *ent.RetentionRule) (string, string) {
		cat, p := string(r.CategoryID), ""
		if r.Edges.Category != nil {
			cat = r.Edges.Category.Key
		}
		if r.Edges.Purpose != nil {
			p = r.Edges.Purpose.Key
		}
		return cat, p
	}
	slices.SortFunc(out, func(a, b *RuleCount) int {
		ac, ap := key(a.Rule)
		bc, bp := key(b.Rule)
		return cmp.Or(strings.Compare(ac, bc), strings.Compare(ap, bp), cmp.Compare(a.Rule.ID, b.Rule.ID))
	})
	return out
}

// scan evaluates every record that is not anonymised and was collected by
// at, in ID order, and calls fn for each with the binding rule and the
// expiry, or a nil rule when the record is not past its retention. It
// reads pageSize records at a time, with their purposes (one query) and,
// when a rule runs from an opt-out, the consent entries of their users
// (one query); fn may write between reads.
//
// The queries are shaped to need no planner statistics (a table just
// loaded has none): the page is the next pageSize IDs, whatever their
// state, filtered here, and its purposes are the join table's rows in the
// page's ID range; both walk a primary key.
func scan(ctx context.Context, c *ent.Client, policy *Policy, at time.Time, fn func(*ent.DataRecord, *ent.RetentionRule, time.Time) error) error {
	var after pulid.ID
	var purposes []pulid.ID
	var dia string
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		page, err := c.DataRecord.Query().
			Where(datarecord.IDGT(after), func(s *entsql.Selector) { dia = s.Dialect() }).
			Order(datarecord.ByID()).Limit(pageSize).
			Select(datarecord.FieldUserID, datarecord.FieldCategoryID, datarecord.FieldCollectedAt,
				datarecord.FieldLastUsedAt, datarecord.FieldLegalHold, datarecord.FieldAnonymizedAt).
			All(ctx)
		if err != nil {
			return fmt.Errorf("retention: reading data records: %w", err)
		}
		if len(page) == 0 {
			return nil
		}
		last := page[len(page)-1].ID
		links, err := readPurposes(ctx, c, dia, after, last)
		if err != nil {
			return err
		}
		optOuts, err := readOptOuts(ctx, c, policy, at, page)
		if err != nil {
			return err
		}
		for _, r := range page {
			if r.AnonymizedAt != nil || r.CollectedAt.After(at) {
				continue
			}
			purposes = append(purposes[:0], links[r.ID]...)
			slices.Sort(purposes)
			rule, expiry, ok := policy.Expired(Record{User: r.UserID, Category: r.CategoryID, Purposes: purposes,
				CollectedAt: r.CollectedAt, LastUsedAt: r.LastUsedAt}, at, optOuts)
			if !ok {
				rule = nil
			}
			if err := fn(r, rule, expiry); err != nil {
				return err
			}
		}
		if len(page) < pageSize {
			return nil
		}
		after = last
	}
}

// readPurposes reads the purposes of the records with an ID in (after,
// last], by record.
func readPurposes(ctx context.Context, c *ent.Client, dia string, after, last pulid.ID) (map[pulid.ID][]pulid.ID, error) {
	rec, pur := datarecord.PurposesPrimaryKey[0], datarecord.PurposesPrimaryKey[1]
	query, args := entsql.Dialect(dia).Select(rec, pur).From(entsql.Table(datarecord.PurposesTable)).
		Where(entsql.And(entsql.GT(rec, string(after)), entsql.LTE(rec, string(last)))).Query()
	rows, err := c.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("retention: reading the purposes of data records: %w", err)
	}
	defer rows.Close()
	links := map[pulid.ID][]pulid.ID{}
	for rows.Next() {
		var r, p pulid.ID
		if err := rows.Scan(&r, &p); err != nil {
			return nil, fmt.Errorf("retention: reading the purposes of data records: %w", err)
		}
		links[r] = append(links[r], p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("retention: reading the purposes of data records: %w", err)
	}
	return links, nil
}

// readOptOuts reads the effective choices of the users of a page for the
// purposes whose rules run from an opt-out: the latest entry for the purpose
// as a whole recorded by at (ties broken by ID). It returns nil when no
// rule runs from an opt-out.
func readOptOuts(ctx context.Context, c *ent.Client, policy *Policy, at time.Time, page []*ent.DataRecord) (OptOuts, error) {
	purposes := policy.OptOutPurposes()
	if len(purposes) == 0 {
		return nil, nil
	}
	seen := map[pulid.ID]bool{}
	var users []pulid.ID
	for _, r := range page {
		if !seen[r.UserID] {
			seen[r.UserID] = true
			users = append(users, r.UserID)
		}
	}
	entries, err := c.Consent.Query().
		Where(consent.UserIDIn(users...), consent.PurposeIDIn(purposes...), consent.RecipientIDIsNil(), consent.RecordedAtLTE(at)).
		Order(consent.ByRecordedAt(), consent.ByID()).
		Select(consent.FieldUserID, consent.FieldPurposeID, consent.FieldDecision, consent.FieldRecordedAt).
		All(ctx)
	if err != nil {
		return nil, fmt.Errorf("retention: reading consents: %w", err)
	}
	latest := make(map[[2]pulid.ID]*ent.Consent, len(entries))
	for _, e := range entries {
		latest[[2]pulid.ID{e.UserID, e.PurposeID}] = e
	}
	return func(user, purpose pulid.ID) (time.Time, bool) {
		e := latest[[2]pulid.ID{user, purpose}]
		if e == nil || !law.Refuses(e.Decision) {
			return time.Time{}, false
		}
		return e.RecordedAt, true
	}, nil
}
