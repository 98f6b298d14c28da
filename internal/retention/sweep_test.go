package retention_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/auditevent"
	"github.com/privhub/privhub/ent/consent"
	"github.com/privhub/privhub/ent/datarecord"
	"github.com/privhub/privhub/ent/purpose"
	"github.com/privhub/privhub/ent/retentionrule"
	"github.com/privhub/privhub/internal/demo"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/retention"
	"github.com/privhub/privhub/internal/store"
	"github.com/privhub/privhub/internal/store/storetest"
	"github.com/privhub/privhub/internal/vocab"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// asOf is the instant the small dataset is swept as of.
var asOf = day(2026, 6, 30)

// dataset is a small hand-built world: every record named after what a
// sweep as of asOf must do with it.
type dataset struct {
	rules   map[string]*ent.RetentionRule
	records map[string]pulid.ID
}

func (d *dataset) ids(names ...string) []pulid.ID {
	out := make([]pulid.ID, 0, len(names))
	for _, n := range names {
		out = append(out, d.records[n])
	}
	slices.Sort(out)
	return out
}

// seed builds the dataset: logs deleted 2 months after collection (for
// security), analytics cookies anonymised 2 months after collection,
// contact data kept 3 years for any purpose and 30 days after an opt-out of
// marketing.
func seed(t *testing.T, c *ent.Client) *dataset {
	t.Helper()
	ctx := context.Background()
	org := c.Organization.Create().SetName("Lumora SA").SetCountryID("cty_BE").SaveX(ctx)
	cat := func(key string) *ent.DataCategory {
		return c.DataCategory.Create().SetKey(key).SetName(key).SaveX(ctx)
	}
	logs, cookies, contact := cat("logs"), cat("cookies"), cat("contact")
	email := c.DataCategory.Create().SetKey("contact.email").SetName("email").SetParentID(contact.ID).SaveX(ctx)
	purpose := func(key string) *ent.Purpose {
		return c.Purpose.Create().SetKey(key).SetName(key).SetLegalBasis(purpose.LegalBasisConsent).SaveX(ctx)
	}
	security, analytics, marketing, support := purpose("security"), purpose("analytics"), purpose("marketing"), purpose("support")
	rule := func(cat *ent.DataCategory, p *ent.Purpose, period string, trig retentionrule.Trigger, act retentionrule.Action) *ent.RetentionRule {
		q := c.RetentionRule.Create().SetCategoryID(cat.ID).SetPeriod(period).SetTrigger(trig).SetAction(act)
		if p != nil {
			q.SetPurposeID(p.ID)
		}
		return q.SaveX(ctx)
	}
	d := &dataset{records: map[string]pulid.ID{}, rules: map[string]*ent.RetentionRule{
		"logs":      rule(logs, security, "P2M", retentionrule.TriggerCollection, retentionrule.ActionDelete),
		"cookies":   rule(cookies, analytics, "P2M", retentionrule.TriggerCollection, retentionrule.ActionAnonymize),
		"contact":   rule(contact, nil, "P3Y", retentionrule.TriggerCollection, retentionrule.ActionDelete),
		"marketing": rule(contact, marketing, "P30D", retentionrule.TriggerOptOut, retentionrule.ActionDelete),
	}}
	user := func(ref string) *ent.User {
		return c.User.Create().SetExternalRef(ref).SetSubjectKind(vocab.SubjectCustomer).SaveX(ctx)
	}
	ann, ben := user("ann"), user("ben")
	choose := func(u *ent.User, dec consent.Decision, at time.Time) {
		c.Consent.Create().SetUserID(u.ID).SetPurposeID(marketing.ID).SetDecision(dec).SetRecordedAt(at).ExecX(ctx)
	}
	choose(ann, consent.DecisionGranted, day(2024, 1, 1))
	choose(ann, consent.DecisionOptedOut, day(2026, 3, 1)) // ann's marketing data ran out on 2026-03-31
	choose(ben, consent.DecisionOptedOut, day(2026, 2, 1))
	choose(ben, consent.DecisionGranted, day(2026, 2, 20)) // ben came back
	choose(ben, consent.DecisionOptedOut, day(2026, 6, 29))
	c.Consent.Create().SetUserID(ben.ID).SetPurposeID(marketing.ID).SetDecision(consent.DecisionGranted).
		SetRecordedAt(day(2026, 6, 29)).SetRecipientID(c.Vendor.Create().SetName("Orbis").SetCountryID("cty_US").SaveX(ctx).ID).ExecX(ctx)

	type spec struct {
		name      string
		u         *ent.User
		cat       *ent.DataCategory
		purposes  []*ent.Purpose
		collected time.Time
		hold      bool
		anonymous bool
	}
	for _, s := range []spec{
		{name: "log expired", u: ann, cat: logs, purposes: []*ent.Purpose{security}, collected: day(2026, 1, 1)},
		{name: "log expired on hold", u: ann, cat: logs, purposes: []*ent.Purpose{security}, collected: day(2026, 1, 2), hold: true},
		{name: "log recent", u: ben, cat: logs, purposes: []*ent.Purpose{security}, collected: day(2026, 6, 1)},
		{name: "log already anonymised", u: ben, cat: logs, purposes: []*ent.Purpose{security}, collected: day(2026, 1, 1), anonymous: true},
		{name: "log collected later", u: ben, cat: logs, purposes: []*ent.Purpose{security}, collected: day(2026, 7, 15)},
		{name: "cookie expired", u: ann, cat: cookies, purposes: []*ent.Purpose{analytics}, collected: day(2026, 1, 1)},
		{name: "cookie expired in May", u: ben, cat: cookies, purposes: []*ent.Purpose{analytics}, collected: day(2026, 3, 1)},
		{name: "cookie recent", u: ben, cat: cookies, purposes: []*ent.Purpose{analytics}, collected: day(2026, 5, 15)},
		{name: "email after opt-out", u: ann, cat: email, purposes: []*ent.Purpose{marketing}, collected: day(2024, 2, 1)},
		{name: "email opted out yesterday", u: ben, cat: email, purposes: []*ent.Purpose{marketing}, collected: day(2024, 2, 1)},
		{name: "email still for support", u: ann, cat: email, purposes: []*ent.Purpose{marketing, support}, collected: day(2025, 1, 1)},
		{name: "contact old, no purpose", u: ben, cat: contact, collected: day(2022, 1, 1)},
	} {
		q := c.DataRecord.Create().SetUserID(s.u.ID).SetCategoryID(s.cat.ID).SetCollectorOrganizationID(org.ID).
			SetSource(datarecord.SourceProvided).SetCollectedAt(s.collected).SetLegalHold(s.hold)
		for _, p := range s.purposes {
			q.AddPurposeIDs(p.ID)
		}
		if s.anonymous {
			q.SetAnonymizedAt(day(2026, 3, 1))
		} else {
			q.SetValue("value of " + s.name)
		}
		d.records[s.name] = q.SaveX(ctx).ID
	}
	return d
}

// state is what the database holds, read straight from it.
type state struct {
	live       []pulid.ID             // every record, sorted
	anonymised []pulid.ID             // records with anonymized_at, sorted
	values     map[pulid.ID]*string   // record -> value
	anonAt     map[pulid.ID]time.Time // record -> anonymized_at
	links      int                    // rows of the record-purpose join table
}

func read(t *testing.T, db *store.DB) state {
	t.Helper()
	ctx := context.Background()
	s := state{values: map[pulid.ID]*string{}, anonAt: map[pulid.ID]time.Time{}}
	rows, err := db.SQL.QueryContext(ctx, "SELECT id, value, anonymized_at FROM data_records ORDER BY id")
	require.NoError(t, err)
	defer rows.Close()
	for rows.Next() {
		var id pulid.ID
		var value *string
		var anon *time.Time
		require.NoError(t, rows.Scan(&id, &value, &anon))
		s.live = append(s.live, id)
		s.values[id] = value
		if anon != nil {
			s.anonymised = append(s.anonymised, id)
			s.anonAt[id] = anon.UTC()
		}
	}
	require.NoError(t, rows.Err())
	require.NoError(t, db.SQL.QueryRowContext(ctx, "SELECT COUNT(*) FROM data_record_purposes").Scan(&s.links))
	slices.Sort(s.live)
	slices.Sort(s.anonymised)
	return s
}

// changes counts the audit events of updates and deletes of each data record.
func changes(t *testing.T, c *ent.Client) map[pulid.ID]int {
	t.Helper()
	evs, err := c.AuditEvent.Query().Where(auditevent.TargetType(ent.TypeDataRecord),
		auditevent.ActionIn("update", "delete")).All(context.Background())
	require.NoError(t, err)
	out := map[pulid.ID]int{}
	for _, e := range evs {
		out[pulid.ID(e.TargetID)]++
	}
	return out
}

func ruleCounts(t *testing.T, r *retention.Report) map[pulid.ID]int {
	t.Helper()
	out := map[pulid.ID]int{}
	for _, rc := range r.Rules {
		require.NotNil(t, rc.Rule.Edges.Category, "rule %s loaded with its category", rc.Rule.ID)
		out[rc.Rule.ID] = rc.Records
	}
	return out
}

func TestSweep(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		d := seed(t, db.Client)
		before := read(t, db)
		deleted := d.ids("log expired", "email after opt-out", "contact old, no purpose")
		anonymised := d.ids("cookie expired", "cookie expired in May")
		wantRules := map[pulid.ID]int{d.rules["logs"].ID: 1, d.rules["cookies"].ID: 2, d.rules["contact"].ID: 1, d.rules["marketing"].ID: 1}

		// A dry run changes nothing and counts what apply will do.
		dry, err := retention.Sweep(ctx, db.Client, retention.Options{At: asOf})
		require.NoError(t, err)
		assert.True(t, dry.DryRun)
		assert.Equal(t, asOf, dry.At)
		assert.Equal(t, 6, dry.Expired)
		assert.Equal(t, 1, dry.Held)
		assert.Equal(t, 3, dry.Deleted)
		assert.Equal(t, 2, dry.Anonymized)
		assert.Equal(t, 1, dry.Batches)
		assert.Equal(t, 10, dry.Scanned) // not the anonymised record nor the one collected later
		assert.Equal(t, wantRules, ruleCounts(t, dry))
		assert.Equal(t, before, read(t, db))
		assert.Empty(t, changes(t, db.Client))

		// The preview lists the same records, held ones left out.
		page, err := retention.Preview(ctx, db.Client, asOf, "", 100)
		require.NoError(t, err)
		assert.Equal(t, 5, page.Total)
		assert.False(t, page.More)
		var listed []pulid.ID
		for _, it := range page.Items {
			listed = append(listed, it.Record.ID)
			assert.Equal(t, it.Rule.Action, it.Action)
			assert.False(t, it.ExpiredAt.After(asOf))
			assert.NotEmpty(t, it.Record.CollectorOrganizationID, "the record is loaded whole")
		}
		assert.Equal(t, slices.Sorted(slices.Values(append(slices.Clone(deleted), anonymised...))), listed)

		// Batches of 2: five changes make three batches, each reported.
		var progress []int
		rep, err := retention.Sweep(ctx, db.Client, retention.Options{At: asOf, Apply: true, BatchSize: 2,
			Progress: func(r *retention.Report) { progress = append(progress, r.Deleted+r.Anonymized) }})
		require.NoError(t, err)
		assert.False(t, rep.DryRun)
		assert.Equal(t, 3, rep.Batches)
		assert.Equal(t, []int{2, 4, 5}, progress)
		assert.Equal(t, 3, rep.Deleted)
		assert.Equal(t, 2, rep.Anonymized)
		assert.Equal(t, 1, rep.Held)
		assert.Equal(t, wantRules, ruleCounts(t, rep))

		after := read(t, db)
		var wantLive []pulid.ID
		for _, id := range before.live {
			if !slices.Contains(deleted, id) {
				wantLive = append(wantLive, id)
			}
		}
		assert.Equal(t, wantLive, after.live, "exactly the expired records to delete are gone")
		assert.Equal(t, d.ids("log already anonymised", "cookie expired", "cookie expired in May"), after.anonymised)
		for _, id := range anonymised {
			assert.Nil(t, after.values[id], "an anonymised record keeps no value")
			assert.Equal(t, asOf, after.anonAt[id])
		}
		for _, id := range after.live {
			if !slices.Contains(anonymised, id) {
				assert.Equal(t, before.values[id], after.values[id], "untouched: %s", id)
			}
		}
		assert.Equal(t, before.links-2, after.links, "the deleted records' purpose links went with them") // the no-purpose record had none
		held, err := db.Client.DataRecord.Get(ctx, d.records["log expired on hold"])
		require.NoError(t, err)
		assert.Nil(t, held.AnonymizedAt)
		assert.NotNil(t, held.Value)

		// One audit event per change, with the rule as the reason.
		audited := changes(t, db.Client)
		assert.Len(t, audited, 5)
		for _, id := range append(slices.Clone(deleted), anonymised...) {
			assert.Equal(t, 1, audited[id], id)
		}

		// Sweeping again finds nothing left to do.
		again, err := retention.Sweep(ctx, db.Client, retention.Options{At: asOf, Apply: true, BatchSize: 2})
		require.NoError(t, err)
		assert.Equal(t, 1, again.Expired)
		assert.Equal(t, 1, again.Held)
		assert.Zero(t, again.Deleted+again.Anonymized+again.Batches)
		assert.Empty(t, again.Rules)
		assert.Equal(t, after, read(t, db))
		assert.Equal(t, audited, changes(t, db.Client))

		page, err = retention.Preview(ctx, db.Client, asOf, "", 100)
		require.NoError(t, err)
		assert.Zero(t, page.Total)
		assert.Empty(t, page.Items)
	})
}

// TestSweepReasons: the audit trail says which rule made each change.
func TestSweepReasons(t *testing.T) {
	db := storetest.Open(t, "sqlite3")
	ctx := context.Background()
	d := seed(t, db.Client)
	_, err := retention.Sweep(ctx, db.Client, retention.Options{At: asOf, Apply: true})
	require.NoError(t, err)
	evs, err := db.Client.AuditEvent.Query().Where(auditevent.TargetID(string(d.records["cookie expired"])), auditevent.Action("update")).All(ctx)
	require.NoError(t, err)
	require.Len(t, evs, 1)
	want := "retention rule " + string(d.rules["cookies"].ID) + ": cookies P2M from collection, anonymise"
	assert.Contains(t, evs[0].Changes, "reason")
	assert.Equal(t, want, evs[0].Changes["reason"])
}

// TestPreviewPages: pages follow each other by record ID with no overlap.
func TestPreviewPages(t *testing.T) {
	db := storetest.Open(t, "sqlite3")
	ctx := context.Background()
	d := seed(t, db.Client)
	var got []pulid.ID
	var after pulid.ID
	for i := 0; ; i++ {
		require.Less(t, i, 10)
		page, err := retention.Preview(ctx, db.Client, asOf, after, 2)
		require.NoError(t, err)
		assert.Equal(t, 5, page.Total)
		for _, it := range page.Items {
			got = append(got, it.Record.ID)
		}
		if !page.More {
			break
		}
		require.Len(t, page.Items, 2)
		after = page.Items[len(page.Items)-1].Record.ID
	}
	assert.Equal(t, d.ids("log expired", "cookie expired", "cookie expired in May", "email after opt-out", "contact old, no purpose"), got)
}

// TestDemo: as of 2026-06-30 the demo has DEMO.md's two retention
// breaches: five job applicants' CVs and V03's edge logs.
func TestDemo(t *testing.T) {
	db := storetest.Open(t, "sqlite3")
	ctx := context.Background()
	_, err := demo.Load(ctx, db.Client)
	require.NoError(t, err)
	page, err := retention.Preview(ctx, db.Client, asOf, "", 50)
	require.NoError(t, err)
	assert.Equal(t, 35, page.Total)
	keys := map[string]int{}
	for _, it := range page.Items {
		keys[it.Rule.Edges.Category.Key]++
	}
	assert.Equal(t, map[string]int{"recruitment.cv": 5, "logs.edge": 30}, keys)
}
