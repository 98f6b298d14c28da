package compliance_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/vendor"
	"github.com/privhub/privhub/internal/compliance"
	"github.com/privhub/privhub/internal/demo"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/store"
	"github.com/privhub/privhub/internal/store/storetest"
)

// loadDemo loads the Lumora dataset.
func loadDemo(t testing.TB, db *store.DB) {
	t.Helper()
	loaded, err := demo.Load(context.Background(), db.Client)
	require.NoError(t, err)
	require.True(t, loaded)
}

// names maps the IDs of the demo's nodes to the names DEMO.md uses for
// findings: a vendor or organization by its name, a transfer by its
// importer's, a disclosure by its recipient's, a request by its reference.
func names(t *testing.T, c *ent.Client) map[pulid.ID]string {
	t.Helper()
	ctx := context.Background()
	out := map[pulid.ID]string{}
	holders := map[pulid.ID]string{}
	for _, v := range c.Vendor.Query().AllX(ctx) {
		holders[v.ID] = v.Name
	}
	for _, o := range c.Organization.Query().AllX(ctx) {
		holders[o.ID] = o.Name
	}
	for id, n := range holders {
		out[id] = n
	}
	importers := map[pulid.ID]string{}
	for _, tr := range c.Transfer.Query().AllX(ctx) {
		if tr.ImporterVendorID != nil {
			importers[tr.ID] = holders[*tr.ImporterVendorID]
		} else {
			importers[tr.ID] = holders[*tr.ImporterOrganizationID]
		}
		out[tr.ID] = importers[tr.ID]
	}
	for _, d := range c.Disclosure.Query().AllX(ctx) {
		out[d.ID] = importers[d.TransferID]
	}
	for _, r := range c.Request.Query().AllX(ctx) {
		out[r.ID] = r.Reference
	}
	for _, k := range c.Contract.Query().AllX(ctx) {
		out[k.ID] = k.Title
	}
	return out
}

// pairs returns the findings as "rule target-name" strings.
func pairsOf(fs []*compliance.Finding, names map[pulid.ID]string) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.RuleID+" "+names[f.TargetID])
	}
	return out
}

// TestDemoFindings checks that the demo, as of 2026-06-30, raises exactly
// the findings DEMO.md lists, no more and no fewer.
func TestDemoFindings(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		loadDemo(t, db)
		ctx := context.Background()
		fs, err := compliance.New(db.Client).Check(ctx, demo.RefDate)
		require.NoError(t, err)
		n := names(t, db.Client)

		assert.ElementsMatch(t, []string{
			"dpa.missing Heatmapr Ltd", // no DPA (V09)
			"dpa.incomplete Data processing agreement: Lumora SA / Pushwave Inc.", // lacks (g), (h) (V12)
			"scc.repealed-decision Relaybox Inc.",                                 // repealed SCC (S09)
			"scc.clause17-law Konkan Meetups Pvt Ltd",                             // Clause 17 outside the EU (V20)
			"subprocessor.notice-too-short Kestrel Ops Sdn Bhd",                   // notice too short (S05)
			"vendor.review-overdue ExamPoint Software Pvt Ltd",                    // review overdue (V15)
			"transfer.dpf-inactive Slotbook Scheduling Inc.",                      // DPF inactive (V13)
			"transfer.onward-no-grounds Pearl Venue Hospitality WLL",              // V19 -> QA
			"scc.before-accession Lumora Asia Ltd",                                // E5, historic
			"request.overdue DSR-001",                                             // overdue request
			"request.extension-late DSR-006",                                      // late extension
			"transfer.tia-missing Aegis Shield Networks Inc.",                     // TIA missing (V03)
			"transfer.tia-missing Kestrel Ops Sdn Bhd",                            // TIA missing (S05)
			"disclosure.after-opt-out Orbis POS Inc.",                             // three users to V22
			"consent.special-category-without-explicit EventWorks Iberia SL",      // twelve users to V18
			"retention.expired Aegis Shield Networks Inc.",                        // V03's edge logs
			"retention.expired Lumora SA",                                         // the applicants' CVs
			"consent.missing-for-consent-purpose Metricly Analytics Inc.",         // V08's un-gated cookies
		}, pairsOf(fs, n))

		byRule := map[string][]*compliance.Finding{}
		for _, f := range fs {
			byRule[f.RuleID] = append(byRule[f.RuleID], f)
		}
		users := func(f *compliance.Finding) int { return len(evidenceIDs(f, compliance.TargetUser)) }
		records := func(f *compliance.Finding) int { return len(evidenceIDs(f, compliance.TargetDataRecord)) }

		assert.Equal(t, 3, users(byRule[compliance.RuleDisclosureOptOut][0]), "three users disclosed to Orbis POS after opting out")
		assert.Equal(t, 12, users(byRule[compliance.RuleSpecialNoExplicit][0]), "twelve users' accessibility needs")
		assert.Contains(t, byRule[compliance.RuleSpecialNoExplicit][0].Message, "12 users")
		assert.Equal(t, 12, users(byRule[compliance.RuleConsentMissing][0]), "Metricly's cookies")
		for _, f := range byRule[compliance.RuleRetentionExpired] {
			switch n[f.TargetID] {
			case "Aegis Shield Networks Inc.":
				assert.Equal(t, 30, records(f), "edge logs of ten customers and twenty visitors")
				assert.Contains(t, f.Message, "logs.edge")
			case "Lumora SA":
				assert.Equal(t, 5, records(f), "five applicants")
				assert.Contains(t, f.Message, "recruitment.cv")
			}
		}
		accession := byRule[compliance.RuleSCCBeforeAccession][0]
		assert.True(t, accession.Historic)
		assert.Contains(t, accession.Message, "2025-07-14")
		assert.Contains(t, accession.Message, "2025-09-01")

		onward := byRule[compliance.RuleOnwardNoGrounds][0]
		require.Len(t, onward.Evidence, 2, "Lumora SA → Summit Loop → Pearl Venue")
		assert.Contains(t, onward.Evidence[0].Label, "Lumora SA → Summit Loop Events LLC")
		assert.Contains(t, onward.Message, "Qatar (QA)")

		notice := byRule[compliance.RuleSubNoticeTooShort][0]
		var chain []string
		for _, e := range notice.Evidence {
			if e.Kind == compliance.TargetTransfer {
				chain = append(chain, n[e.ID])
			}
		}
		assert.Equal(t, []string{"Stratus Grid LLC", "Pacifica Edge Pte Ltd", "Kestrel Ops Sdn Bhd"}, chain,
			"the chain through which Kestrel Ops receives the data")

		for _, f := range fs {
			assert.Equal(t, demo.RefDate, f.At)
			assert.NotEmpty(t, f.Message, f.RuleID)
			assert.NotEmpty(t, f.Evidence, f.RuleID)
			assert.NotEmpty(t, f.TargetLabel, f.RuleID)
			assert.NotNil(t, f.Since, f.RuleID)
		}
	})
}

// TestDemoInvalidTransfers reproduces DEMO.md's table of the transfers with
// no valid mechanism at three instants.
func TestDemoInvalidTransfers(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		loadDemo(t, db)
		n := names(t, db.Client)
		c := compliance.New(db.Client)
		for _, tc := range []struct {
			at   time.Time
			want []string
		}{
			{day(2025, 6, 1), []string{"Paulista Sistemas Ltda", "Relaybox Inc.", "Konkan Meetups Pvt Ltd"}},
			{day(2026, 1, 15), []string{"Paulista Sistemas Ltda", "Slotbook Scheduling Inc.", "Relaybox Inc.", "Konkan Meetups Pvt Ltd"}},
			{day(2026, 6, 30), []string{"Slotbook Scheduling Inc.", "Relaybox Inc.", "Konkan Meetups Pvt Ltd", "Pearl Venue Hospitality WLL"}},
		} {
			fs, err := c.Check(context.Background(), tc.at)
			require.NoError(t, err)
			var got []string
			for _, id := range compliance.InvalidTransfers(fs) {
				got = append(got, n[id])
			}
			assert.ElementsMatch(t, tc.want, got, "as of %s", tc.at.Format(time.DateOnly))
			assert.Equal(t, len(tc.want), compliance.Summarize(tc.at, fs).InvalidTransfers)
		}
	})
}

// TestDemoStableAndSorted checks that finding IDs do not change between
// checks or instants, and that findings come sorted.
func TestDemoStableAndSorted(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		loadDemo(t, db)
		ctx := context.Background()
		c := compliance.New(db.Client)
		first, err := c.Check(ctx, demo.RefDate)
		require.NoError(t, err)
		again, err := c.Check(ctx, demo.RefDate)
		require.NoError(t, err)
		require.Equal(t, len(first), len(again))
		for i := range first {
			assert.Equal(t, first[i].ID, again[i].ID)
			assert.Equal(t, first[i].Message, again[i].Message)
		}
		seen := map[pulid.ID]bool{}
		for i, f := range first {
			assert.False(t, seen[f.ID], "duplicate finding ID %s", f.ID)
			seen[f.ID] = true
			if i > 0 {
				prev := first[i-1]
				assert.LessOrEqual(t, prev.Severity.Rank(), f.Severity.Rank())
				if prev.Severity == f.Severity {
					assert.LessOrEqual(t, prev.RuleID, f.RuleID)
				}
			}
		}
		// The repealed SCC of Relaybox is the same finding in 2025 and 2026.
		earlier, err := c.Check(ctx, day(2025, 6, 1))
		require.NoError(t, err)
		find := func(fs []*compliance.Finding, rule string) *compliance.Finding {
			for _, f := range fs {
				if f.RuleID == rule {
					return f
				}
			}
			return nil
		}
		require.NotNil(t, find(earlier, compliance.RuleSCCRepealed))
		assert.Equal(t, find(first, compliance.RuleSCCRepealed).ID, find(earlier, compliance.RuleSCCRepealed).ID)

		s := compliance.Summarize(demo.RefDate, first)
		assert.Equal(t, 18, s.Total)
		counts := map[compliance.Severity]int{}
		for _, sc := range s.BySeverity {
			counts[sc.Severity] = sc.Count
		}
		assert.Equal(t, map[compliance.Severity]int{compliance.Critical: 5, compliance.High: 7, compliance.Medium: 6, compliance.Low: 0}, counts)
		assert.Len(t, s.ByRule, len(compliance.Rules()))
	})
}

// TestCheckTarget checks that a vendor's findings include those about its
// flows, disclosures and records.
func TestCheckTarget(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		loadDemo(t, db)
		ctx := context.Background()
		c := compliance.New(db.Client)
		vendorID := func(name string) pulid.ID {
			return db.Client.Vendor.Query().Where(vendor.Name(name)).OnlyIDX(ctx)
		}
		rules := func(id pulid.ID) []string {
			fs, err := c.CheckTarget(ctx, demo.RefDate, id)
			require.NoError(t, err)
			var out []string
			for _, f := range fs {
				out = append(out, f.RuleID)
			}
			slices.Sort(out)
			return out
		}
		assert.Equal(t, []string{compliance.RuleRetentionExpired, compliance.RuleTIAMissing}, rules(vendorID("Aegis Shield Networks Inc.")))
		assert.Equal(t, []string{compliance.RuleDisclosureOptOut}, rules(vendorID("Orbis POS Inc.")))
		assert.Equal(t, []string{compliance.RuleOnwardNoGrounds}, rules(vendorID("Summit Loop Events LLC")))
		assert.Equal(t, []string{compliance.RuleSubNoticeTooShort, compliance.RuleTIAMissing}, rules(vendorID("Kestrel Ops Sdn Bhd")))
		assert.Empty(t, rules(vendorID("Nimbra Cloud SAS")))
	})
}

// TestQueriesPerCheck checks that a check reads with a fixed number of
// queries, whatever the volume of data.
func TestQueriesPerCheck(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		client, counted := storetest.CountingClient(db)
		count := func() int64 {
			counted.Take()
			_, err := compliance.New(client).Check(context.Background(), demo.RefDate)
			require.NoError(t, err)
			return counted.Take()
		}
		empty := count()
		loadDemo(t, db)
		full := count()
		assert.Equal(t, empty, full, "the same queries on an empty and a full database")
		assert.Equal(t, int64(queriesPerCheck), full)
		t.Logf("%s: %d queries per check", db.Dialect, full)
	})
}

// queriesPerCheck is the number of statements one Check sends: one per
// table it reads (data records with their purposes in one), join tables
// included, the fingerprint (count, then greatest ID) of each of the three
// tables it follows, and one that tells the SQL dialect.
const queriesPerCheck = 33
