package compliance_test

import (
	"context"
	"slices"
	"testing"
	"time"

	entsql "entgo.io/ent/dialect/sql"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/consent"
	"github.com/privhub/privhub/ent/datarecord"
	"github.com/privhub/privhub/internal/audit"
	"github.com/privhub/privhub/internal/compliance"
	"github.com/privhub/privhub/internal/demo"
	"github.com/privhub/privhub/internal/store"
	"github.com/privhub/privhub/internal/store/storetest"
)

// TestWatchFollowsWrites checks that a watching checker answers after every
// kind of write as a fresh one does, and that after inserts it reads only
// the new rows of the table written to.
func TestWatchFollowsWrites(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		loadDemo(t, db)
		c, counted := storetest.CountingClient(db)
		checker := compliance.New(c)
		checker.Watch(c)

		// check returns the watching checker's findings as of the demo's
		// date, with the statements it sent, after checking that a fresh
		// checker finds the same.
		check := func() ([]*compliance.Finding, int64) {
			t.Helper()
			counted.Take()
			got, err := checker.Check(ctx, demo.RefDate)
			require.NoError(t, err)
			n := counted.Take()
			want, err := compliance.New(c).Check(ctx, demo.RefDate)
			require.NoError(t, err)
			require.Equal(t, messages(want), messages(got), "a watching checker and a fresh one disagree")
			return got, n
		}
		// find returns the first finding of a rule about a target ("" for any).
		find := func(fs []*compliance.Finding, rule string, target string) *compliance.Finding {
			t.Helper()
			for _, f := range fs {
				if f.RuleID == rule && (target == "" || f.TargetLabel == target) {
					return f
				}
			}
			t.Fatalf("no %s finding about %q", rule, target)
			return nil
		}
		records := func(f *compliance.Finding) int { return len(evidenceIDs(f, compliance.TargetDataRecord)) }
		users := func(f *compliance.Finding) int { return len(evidenceIDs(f, compliance.TargetUser)) }

		fs, first := check()
		assert.Equal(t, int64(queriesPerCheck+1), first, "the first check reads everything and the audit trail's position")
		logs := find(fs, compliance.RuleRetentionExpired, "Aegis Shield Networks Inc.")
		require.Equal(t, 30, records(logs))

		// Another expired edge log, like the first of the finding's.
		old, err := c.DataRecord.Query().Where(datarecord.ID(evidenceIDs(logs, compliance.TargetDataRecord)[0])).
			WithPurposes().Only(ctx)
		require.NoError(t, err)
		rec, err := c.DataRecord.Create().SetUserID(old.UserID).SetCategoryID(old.CategoryID).
			SetNillableCollectorOrganizationID(old.CollectorOrganizationID).SetNillableCollectorVendorID(old.CollectorVendorID).
			SetSource(old.Source).SetCollectedAt(old.CollectedAt).AddPurposes(old.Edges.Purposes...).Save(ctx)
		require.NoError(t, err)
		fs, n := check()
		assert.Equal(t, int64(4), n, "an insert reads the trail's position, the table's fingerprint and the new rows")
		assert.Equal(t, 31, records(find(fs, compliance.RuleRetentionExpired, "Aegis Shield Networks Inc.")))

		// An update reads the table again: the record under legal hold is
		// no longer reported.
		require.NoError(t, c.DataRecord.UpdateOne(rec).SetLegalHold(true).Exec(ctx))
		fs, n = check()
		assert.Equal(t, int64(4), n, "an update reads the table whole: fingerprint and rows")
		assert.Equal(t, 30, records(find(fs, compliance.RuleRetentionExpired, "Aegis Shield Networks Inc.")))

		// A new opt-out, before the disclosure to Orbis POS, of a user it
		// included: one more user reported.
		optOut := find(fs, compliance.RuleDisclosureOptOut, "")
		require.Equal(t, 3, users(optOut))
		d, err := c.Disclosure.Get(ctx, optOut.TargetID)
		require.NoError(t, err)
		tr := d.QueryTransfer().OnlyX(ctx)
		reported := evidenceIDs(optOut, compliance.TargetUser)
		var fourth *ent.User
		for _, u := range d.QueryUsers().AllX(ctx) {
			if !slices.Contains(reported, u.ID) {
				fourth = u
				break
			}
		}
		require.NotNil(t, fourth)
		require.NoError(t, c.Consent.Create().SetUserID(fourth.ID).SetPurposeID(tr.QueryPurposes().FirstIDX(ctx)).
			SetNillableRecipientID(tr.ImporterVendorID).SetDecision(consent.DecisionOptedOut).
			SetRecordedAt(d.DisclosedAt.Add(-24*time.Hour)).Exec(ctx))
		fs, n = check()
		assert.Equal(t, int64(4), n, "a new ledger entry reads the ledger's fingerprint and the new entry")
		assert.Equal(t, 4, users(find(fs, compliance.RuleDisclosureOptOut, optOut.TargetLabel)))

		// A vendor change reads the registry again, not the people.
		v := c.Vendor.Query().FirstX(ctx)
		require.NoError(t, c.Vendor.UpdateOne(v).SetLegalName(v.LegalName+" (renamed)").Exec(ctx))
		_, n = check()
		assert.Less(t, n, first-4, "a vendor change reads the registry only")

		// Another process's insert, known from the audit trail alone.
		other := ent.NewClient(ent.Driver(entsql.OpenDB(db.Dialect, db.SQL)))
		audit.Register(other)
		_, err = other.DataRecord.Create().SetUserID(old.UserID).SetCategoryID(old.CategoryID).
			SetNillableCollectorOrganizationID(old.CollectorOrganizationID).SetNillableCollectorVendorID(old.CollectorVendorID).
			SetSource(old.Source).SetCollectedAt(old.CollectedAt).AddPurposes(old.Edges.Purposes...).Save(ctx)
		require.NoError(t, err)
		fs, n = check()
		assert.Equal(t, int64(5), n, "the trail's position and its kinds of writes, the fingerprint and the new rows")
		assert.Equal(t, 31, records(find(fs, compliance.RuleRetentionExpired, "Aegis Shield Networks Inc.")))

		// A delete reads everything again.
		require.NoError(t, c.DataRecord.DeleteOne(rec).Exec(ctx))
		_, n = check()
		assert.Equal(t, first-1, n, "a delete reads everything (the dialect is known)")
		_, n = check()
		assert.Equal(t, int64(1), n, "with no write since, the trail's position alone")
	})
}

// messages lists the findings as rule, target and message.
func messages(fs []*compliance.Finding) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.RuleID + " " + string(f.TargetID) + " " + f.Message
	}
	return out
}
