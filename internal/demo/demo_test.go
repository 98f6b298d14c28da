package demo_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/assessment"
	"github.com/privhub/privhub/ent/consent"
	"github.com/privhub/privhub/ent/contract"
	"github.com/privhub/privhub/ent/contractparty"
	"github.com/privhub/privhub/ent/country"
	"github.com/privhub/privhub/ent/datacategory"
	"github.com/privhub/privhub/ent/datarecord"
	"github.com/privhub/privhub/ent/disclosure"
	"github.com/privhub/privhub/ent/migrate"
	"github.com/privhub/privhub/ent/organization"
	"github.com/privhub/privhub/ent/purpose"
	"github.com/privhub/privhub/ent/request"
	"github.com/privhub/privhub/ent/transfer"
	"github.com/privhub/privhub/ent/user"
	"github.com/privhub/privhub/ent/vendor"
	"github.com/privhub/privhub/internal/demo"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/store"
	"github.com/privhub/privhub/internal/store/storetest"
	"github.com/privhub/privhub/internal/vocab"
)

var ref = demo.RefDate

func day(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }

// load loads the dataset and fails the test on error.
func load(t *testing.T, db *store.DB) {
	t.Helper()
	start := time.Now()
	loaded, err := demo.Load(context.Background(), db.Client)
	require.NoError(t, err)
	require.True(t, loaded)
	t.Logf("%s: Load took %s", db.Dialect, time.Since(start).Round(time.Millisecond))
}

// counts returns the number of rows of every table, join tables included.
func counts(t *testing.T, db *store.DB) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, tbl := range migrate.Tables {
		var n int
		require.NoError(t, db.SQL.QueryRow("SELECT COUNT(*) FROM "+tbl.Name).Scan(&n), tbl.Name)
		out[tbl.Name] = n
	}
	return out
}

func TestLoadTwice(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		load(t, db)
		first := counts(t, db)

		loaded, err := demo.Load(ctx, db.Client)
		require.NoError(t, err)
		assert.False(t, loaded, "a second load writes nothing")
		assert.Equal(t, first, counts(t, db))

		assert.Equal(t, 8, first["organizations"])
		assert.Equal(t, 25+11+1, first["vendors"])
		assert.Equal(t, demo.Users, first["users"])
		assert.Equal(t, 240, demo.Users)
		assert.Equal(t, 6, first["requests"])
		assert.Equal(t, 10, db.Client.Purpose.Query().CountX(ctx))
		kinds, err := db.Client.User.Query().Unique(true).Select(user.FieldSubjectKind).Strings(ctx)
		require.NoError(t, err)
		assert.ElementsMatch(t, vocab.SubjectKind("").Values(), kinds, "every subject kind is represented")
		for _, tbl := range []string{"data_categories", "retention_rules", "contracts", "contract_parties", "clauses",
			"transfers", "subprocessor_changes", "assessments", "security_measures", "data_records", "consents", "disclosures"} {
			assert.Positive(t, first[tbl], tbl)
		}
		t.Logf("row counts: %v", first)
	})
}

func TestLoadIntoSeededDatabase(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		// A taxonomy node and a purpose someone created before the demo.
		db.Client.DataCategory.Create().SetKey("contact.email").SetName("Email").SaveX(ctx)
		db.Client.Purpose.Create().SetKey("marketing").SetName("Marketing").SetLegalBasis(purpose.LegalBasisConsent).SaveX(ctx)
		load(t, db)
		assert.Equal(t, 1, db.Client.DataCategory.Query().Where(datacategory.Key("contact.email")).CountX(ctx))
		assert.Equal(t, 10, db.Client.Purpose.Query().CountX(ctx))
		assert.Equal(t, demo.Users, db.Client.User.Query().CountX(ctx))
	})
}

func TestDeterministic(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		other := storetest.Open(t, db.Dialect)
		load(t, db)
		load(t, other)
		assert.Equal(t, counts(t, db), counts(t, other))
		assert.Equal(t, fingerprint(t, db.Client), fingerprint(t, other.Client))
	})
}

// fingerprint describes the users, records and consents without their IDs.
func fingerprint(t *testing.T, client *ent.Client) []string {
	t.Helper()
	ctx := context.Background()
	var out []string
	users := client.User.Query().Order(user.ByExternalRef()).AllX(ctx)
	refs := map[string]string{}
	for _, u := range users {
		refs[string(u.ID)] = u.ExternalRef
		out = append(out, fmt.Sprintf("user %s %s %q %v %s", u.ExternalRef, u.Email, u.Name, u.CountryID, u.SubjectKind))
	}
	var lines []string
	for _, r := range client.DataRecord.Query().WithCategory().WithPurposes().AllX(ctx) {
		var ps []string
		for _, p := range r.Edges.Purposes {
			ps = append(ps, p.Key)
		}
		slices.Sort(ps)
		lines = append(lines, fmt.Sprintf("record %s %s %s %v", refs[string(r.UserID)], r.Edges.Category.Key,
			r.CollectedAt.UTC().Format(time.RFC3339), ps))
	}
	for _, c := range client.Consent.Query().WithPurpose().AllX(ctx) {
		lines = append(lines, fmt.Sprintf("consent %s %s %s %t %s", refs[string(c.UserID)], c.Edges.Purpose.Key,
			c.Decision, c.Explicit, c.RecordedAt.UTC().Format(time.RFC3339)))
	}
	slices.Sort(lines)
	return append(out, lines...)
}

func TestRequests(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		load(t, db)
		reqs := db.Client.Request.Query().Order(request.ByReference()).AllX(ctx)
		require.Len(t, reqs, 6)
		type want struct {
			kind               request.Kind
			received, due      time.Time
			extensionNotified  time.Time
			extensionMonths    int
			completed, overdue bool
		}
		wants := map[string]want{
			"DSR-001": {kind: request.KindAccess, received: day(2026, 5, 2), due: day(2026, 6, 2), overdue: true},
			"DSR-002": {kind: request.KindErasure, received: day(2026, 4, 20), due: day(2026, 7, 20),
				extensionNotified: day(2026, 5, 10), extensionMonths: 2},
			"DSR-003": {kind: request.KindErasure, received: day(2026, 6, 22), due: day(2026, 7, 22)},
			"DSR-004": {kind: request.KindObjection, received: day(2026, 3, 1), due: day(2026, 4, 1), completed: true},
			"DSR-005": {kind: request.KindPortability, received: day(2026, 6, 18), due: day(2026, 7, 18)},
			"DSR-006": {kind: request.KindAccess, received: day(2026, 3, 3), due: day(2026, 6, 3),
				extensionNotified: day(2026, 4, 20), extensionMonths: 2, completed: true},
		}
		for _, r := range reqs {
			w, ok := wants[r.Reference]
			require.True(t, ok, r.Reference)
			assert.Equal(t, w.kind, r.Kind, r.Reference)
			assert.Equal(t, w.received, r.ReceivedAt.UTC().Truncate(24*time.Hour), r.Reference)
			assert.Equal(t, w.due, r.DueAt.UTC().Truncate(24*time.Hour), r.Reference)
			assert.Equal(t, r.ReceivedAt.AddDate(0, 1+w.extensionMonths, 0).UTC(), r.DueAt.UTC(), r.Reference)
			if w.extensionMonths > 0 {
				require.NotNil(t, r.ExtensionNotifiedAt, r.Reference)
				assert.Equal(t, w.extensionNotified, r.ExtensionNotifiedAt.UTC().Truncate(24*time.Hour), r.Reference)
				assert.Equal(t, w.extensionMonths, *r.ExtensionMonths, r.Reference)
				assert.NotEmpty(t, r.ExtensionReason, r.Reference)
			} else {
				assert.Nil(t, r.ExtensionNotifiedAt, r.Reference)
			}
			assert.Equal(t, w.completed, r.CompletedAt != nil, r.Reference)
			assert.Equal(t, w.overdue, r.CompletedAt == nil && r.DueAt.Before(ref), r.Reference)
		}

		// DSR-006's extension came after its first month had run out.
		dsr6 := reqs[5]
		assert.True(t, dsr6.ExtensionNotifiedAt.After(dsr6.ReceivedAt.AddDate(0, 1, 0)))
		// DSR-002's came inside it.
		dsr2 := reqs[1]
		assert.True(t, dsr2.ExtensionNotifiedAt.Before(dsr2.ReceivedAt.AddDate(0, 1, 0)))

		// DSR-003 is a customer with invoices up to 2026, whose data reached
		// Postlane (marketing), Orbis POS and Baltic ERP Partners.
		u3 := reqs[2].QueryUser().OnlyX(ctx)
		assert.Equal(t, vocab.SubjectCustomer, u3.SubjectKind)
		invoices := u3.QueryDataRecords().Where(datarecord.HasCategoryWith(datacategory.Key("billing.invoice"))).
			Order(datarecord.ByCollectedAt()).AllX(ctx)
		require.NotEmpty(t, invoices)
		assert.Equal(t, 2026, invoices[len(invoices)-1].CollectedAt.Year())
		assert.Equal(t, 2019, invoices[0].CollectedAt.Year())
		recipients := map[string]bool{}
		for _, d := range u3.QueryDisclosures().WithTransfer(func(q *ent.TransferQuery) { q.WithImporterVendor() }).AllX(ctx) {
			recipients[d.Edges.Transfer.Edges.ImporterVendor.Name] = true
		}
		assert.Equal(t, map[string]bool{"Orbis POS Inc.": true, "Baltic ERP Partners UAB": true}, recipients)
		assert.Equal(t, consent.DecisionGranted, latestConsent(t, db.Client, u3.ID, "marketing", "", ref))

		// DSR-004's user objected on 2026-03-01 and is one of the three
		// users Orbis POS received after they had opted out.
		u4 := reqs[3].QueryUser().OnlyX(ctx)
		assert.Contains(t, v22OptedOut(t, db.Client), u4.ExternalRef)
		assert.Equal(t, consent.DecisionOptedOut, latestConsent(t, db.Client, u4.ID, "marketing", "", ref))
	})
}

// latestConsent returns the effective decision of a user for a purpose, as
// a whole (recipient "") or for one recipient vendor, just before an instant;
// "" when the user never chose.
func latestConsent(t *testing.T, client *ent.Client, userID pulid.ID, purposeKey, recipient string, before time.Time) consent.Decision {
	t.Helper()
	q := client.Consent.Query().Where(
		consent.UserID(userID),
		consent.HasPurposeWith(purpose.Key(purposeKey)),
		consent.RecordedAtLT(before),
	)
	if recipient == "" {
		q.Where(consent.RecipientIDIsNil())
	} else {
		q.Where(consent.HasRecipientWith(vendor.Name(recipient)))
	}
	c, err := q.Order(ent.Desc(consent.FieldRecordedAt)).First(context.Background())
	if ent.IsNotFound(err) {
		return ""
	}
	require.NoError(t, err)
	return c.Decision
}

// disclosureTo returns the one disclosure made to the named vendor.
func disclosureTo(t *testing.T, client *ent.Client, vendorName string) *ent.Disclosure {
	t.Helper()
	d, err := client.Disclosure.Query().
		Where(disclosure.HasTransferWith(transfer.HasImporterVendorWith(vendor.Name(vendorName)))).
		WithUsers().Only(context.Background())
	require.NoError(t, err, vendorName)
	return d
}

// v22OptedOut returns the external references of the users Orbis POS
// received on 2026-04-10 whose latest sponsor choice for Orbis POS, before
// then, was an opt-out or a withdrawal.
func v22OptedOut(t *testing.T, client *ent.Client) []string {
	t.Helper()
	d := disclosureTo(t, client, "Orbis POS Inc.")
	var out []string
	for _, u := range d.Edges.Users {
		switch latestConsent(t, client, u.ID, "events", "Orbis POS Inc.", d.DisclosedAt) {
		case consent.DecisionOptedOut, consent.DecisionWithdrawn:
			out = append(out, u.ExternalRef)
		}
	}
	return out
}

func TestPlantedProblems(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		client := db.Client
		load(t, db)

		vendorNamed := func(name string) *ent.Vendor {
			v, err := client.Vendor.Query().Where(vendor.Name(name)).Only(ctx)
			require.NoError(t, err, name)
			return v
		}
		contractsOf := func(name string, kind contract.Kind) []*ent.Contract {
			return client.Contract.Query().Where(contract.KindEQ(kind),
				contract.HasPartiesWith(contractparty.HasVendorWith(vendor.Name(name)))).AllX(ctx)
		}

		t.Run("V09 has no DPA, V12's lacks two stipulations, every other processor has a complete one", func(t *testing.T) {
			assert.Empty(t, contractsOf("Heatmapr Ltd", contract.KindDpa))
			processors := client.Vendor.Query().Where(vendor.HasImportedTransfersWith(
				transfer.ImporterRoleIn(vocab.RoleProcessor, vocab.RoleSubprocessor))).AllX(ctx)
			assert.Len(t, processors, 15+1+11) // V01-V15, V17 and S01-S11
			for _, v := range processors {
				if v.Name == "Heatmapr Ltd" {
					continue
				}
				dpas := contractsOf(v.Name, contract.KindDpa)
				require.NotEmpty(t, dpas, v.Name)
				for _, c := range dpas {
					if v.Name == "Pushwave Inc." {
						assert.NotContains(t, c.DpaStipulations, vocab.StipulationAudits)
						assert.NotContains(t, c.DpaStipulations, vocab.StipulationDeletionOrReturn)
						assert.Len(t, c.DpaStipulations, 6, v.Name)
						continue
					}
					assert.Len(t, c.DpaStipulations, 8, v.Name)
				}
			}
		})

		t.Run("S09 relies on the repealed 2010/87/EU clauses", func(t *testing.T) {
			sccs := contractsOf("Relaybox Inc.", contract.KindScc)
			require.Len(t, sccs, 1)
			require.NotNil(t, sccs[0].SccDecision)
			assert.Equal(t, contract.SccDecisionDecision2010_87, *sccs[0].SccDecision)
			assert.Equal(t, day(2019, 11, 4), sccs[0].SignedAt.UTC())
			n := client.Contract.Query().Where(contract.SccDecisionEQ(contract.SccDecisionDecision2010_87)).CountX(ctx)
			assert.Equal(t, 1, n, "no other repealed SCC")
		})

		t.Run("V20's Clause 17 names the law of India", func(t *testing.T) {
			sccs := contractsOf("Konkan Meetups Pvt Ltd", contract.KindScc)
			require.Len(t, sccs, 1)
			require.NotNil(t, sccs[0].Clause17LawCountryID)
			assert.EqualValues(t, "cty_IN", *sccs[0].Clause17LawCountryID)
			assert.Equal(t, contract.SccModuleC2c, *sccs[0].SccModule)
			// Outside the EEA only there, and in the module 4 contract.
			outside := client.Contract.Query().Where(contract.KindEQ(contract.KindScc),
				contract.HasClause17LawCountryWith(country.Eea(false))).AllX(ctx)
			require.Len(t, outside, 2)
			for _, c := range outside {
				if *c.Clause17LawCountryID != "cty_IN" {
					assert.Equal(t, contract.SccModuleP2c, *c.SccModule)
				}
			}
		})

		t.Run("V13's Data Privacy Framework certification ended on 2025-11-30", func(t *testing.T) {
			v := vendorNamed("Slotbook Scheduling Inc.")
			require.NotNil(t, v.DpfActiveUntil)
			assert.Equal(t, day(2025, 11, 30), v.DpfActiveUntil.UTC())
			assert.Empty(t, contractsOf(v.Name, contract.KindScc))
			// Every other US vendor that relies on adequacy is certified.
			us := client.Vendor.Query().Where(vendor.CountryID("cty_US"), vendor.HasImportedTransfersWith(
				transfer.MechanismEQ(vocab.MechanismAdequacy))).AllX(ctx)
			for _, u := range us {
				if u.ID == v.ID {
					continue
				}
				assert.NotNil(t, u.DpfActiveFrom, u.Name)
				assert.Nil(t, u.DpfActiveUntil, u.Name)
			}
		})

		t.Run("Orbis POS received three users who had opted out", func(t *testing.T) {
			d := disclosureTo(t, client, "Orbis POS Inc.")
			assert.Equal(t, day(2026, 4, 10), d.DisclosedAt.UTC().Truncate(24*time.Hour))
			assert.Len(t, d.Edges.Users, 20)
			assert.Len(t, v22OptedOut(t, client), 3)
			// CloudNine's list left its two opt-outs out.
			d21 := disclosureTo(t, client, "CloudNine Hardware BV")
			for _, u := range d21.Edges.Users {
				assert.Equal(t, consent.DecisionGranted, latestConsent(t, client, u.ID, "events", "CloudNine Hardware BV", d21.DisclosedAt), u.ExternalRef)
			}
			assert.Len(t, d21.Edges.Users, 16)
		})

		t.Run("twelve Madrid registrants' accessibility needs went to EventWorks without explicit consent", func(t *testing.T) {
			d := disclosureTo(t, client, "EventWorks Iberia SL")
			var withNeeds, withoutExplicit int
			for _, u := range d.Edges.Users {
				special := u.QueryDataRecords().Where(datarecord.HasCategoryWith(
					datacategory.SensitivityEQ(datacategory.SensitivitySpecial))).CountX(ctx)
				access := u.QueryDataRecords().Where(datarecord.HasCategoryWith(datacategory.Key("event.accessibility"))).ExistX(ctx)
				if special == 0 {
					continue
				}
				withNeeds++
				explicit := u.QueryConsents().Where(consent.Explicit(true), consent.DecisionEQ(consent.DecisionGranted),
					consent.RecordedAtLT(d.DisclosedAt), consent.HasPurposeWith(purpose.Key("events"))).ExistX(ctx)
				if !explicit {
					withoutExplicit++
					assert.True(t, access, u.ExternalRef)
				}
			}
			assert.Equal(t, 12, withoutExplicit)
			assert.Equal(t, 12+8, withNeeds)
			// Special categories reach no other holder.
			n := client.Transfer.Query().Where(transfer.HasCategoriesWith(datacategory.Or(
				datacategory.SensitivityEQ(datacategory.SensitivitySpecial), datacategory.Key("event")))).CountX(ctx)
			assert.Equal(t, 1, n)
		})

		t.Run("five job applicants' CVs are older than 24 months", func(t *testing.T) {
			limit := ref.AddDate(0, -24, 0)
			old := client.DataRecord.Query().Where(datarecord.HasCategoryWith(datacategory.Key("recruitment.cv")),
				datarecord.CollectedAtLT(limit), datarecord.LegalHold(false)).AllX(ctx)
			assert.Len(t, old, 5)
			assert.Equal(t, 15, client.User.Query().Where(user.SubjectKindEQ(vocab.SubjectJobApplicant)).CountX(ctx))
		})

		t.Run("Aegis Shield keeps edge logs 180 days against a 2-month rule", func(t *testing.T) {
			logs := client.DataRecord.Query().Where(datarecord.HasCategoryWith(datacategory.Key("logs.edge"))).AllX(ctx)
			require.NotEmpty(t, logs)
			for _, r := range logs {
				assert.Equal(t, ref.AddDate(0, 0, -180), r.CollectedAt.UTC().Truncate(24*time.Hour))
				require.NotNil(t, r.CollectorVendorID)
			}
			n := client.DataRecord.Query().Where(datarecord.HasCategoryWith(datacategory.Key("logs.edge")),
				datarecord.HasCollectorVendorWith(vendor.Name("Aegis Shield Networks Inc."))).CountX(ctx)
			assert.Equal(t, len(logs), n)
		})

		t.Run("Metricly sets analytics cookies without consent", func(t *testing.T) {
			recs := client.DataRecord.Query().Where(datarecord.HasCollectorVendorWith(vendor.Name("Metricly Analytics Inc."))).AllX(ctx)
			require.NotEmpty(t, recs)
			for _, r := range recs {
				assert.NotEqual(t, consent.DecisionGranted, latestConsent(t, client, r.UserID, "analytics", "", r.CollectedAt))
			}
			// Lumora's own analytics cookies all have a granted consent.
			own := client.DataRecord.Query().Where(datarecord.HasCategoryWith(datacategory.Key("cookies.analytics")),
				datarecord.CollectorOrganizationIDNotNil()).AllX(ctx)
			require.NotEmpty(t, own)
			for _, r := range own {
				assert.Equal(t, consent.DecisionGranted, latestConsent(t, client, r.UserID, "analytics", "", r.CollectedAt))
				assert.Equal(t, consent.DecisionGranted, latestConsent(t, client, r.UserID, "analytics", "", ref))
			}
		})

		t.Run("transfer impact assessments", func(t *testing.T) {
			sccTransfers := client.Transfer.Query().Where(
				transfer.Or(transfer.MechanismEQ(vocab.MechanismSCC), transfer.FallbackMechanismEQ(vocab.MechanismSCC)),
				transfer.Or(transfer.ActiveUntilIsNil(), transfer.ActiveUntilGT(ref)),
			).WithImporterVendor().WithImporterOrganization().WithAssessments().AllX(ctx)
			var missing []string
			for _, tr := range sccTransfers {
				var fresh bool
				for _, a := range tr.Edges.Assessments {
					fresh = fresh || (a.Kind == assessment.KindTia && a.NextDue != nil && a.NextDue.After(ref))
				}
				if !fresh {
					missing = append(missing, tr.Edges.ImporterVendor.Name)
				}
			}
			slices.Sort(missing)
			assert.Equal(t, []string{"Aegis Shield Networks Inc.", "Kestrel Ops Sdn Bhd"}, missing)
		})

		t.Run("vendor reviews are within their cadence except ExamPoint's", func(t *testing.T) {
			var overdue []string
			for _, v := range client.Vendor.Query().WithAssessments().AllX(ctx) {
				var ok bool
				for _, a := range v.Edges.Assessments {
					ok = ok || (a.Kind == assessment.KindVendorReview && a.NextDue.After(ref) && a.Outcome != assessment.OutcomeFail)
				}
				if !ok {
					overdue = append(overdue, v.Name)
				}
			}
			assert.Equal(t, []string{"ExamPoint Software Pvt Ltd"}, overdue)
		})

		t.Run("every holder has a security measure", func(t *testing.T) {
			assert.Zero(t, client.Vendor.Query().Where(vendor.Not(vendor.HasSecurityMeasures())).CountX(ctx))
			assert.Zero(t, client.Organization.Query().Where(organization.Not(organization.HasSecurityMeasures())).CountX(ctx))
		})

		t.Run("subprocessor notice", func(t *testing.T) {
			changes := client.SubprocessorChange.Query().WithSubprocessor().AllX(ctx)
			var short []string
			for _, c := range changes {
				if c.EngagedAt.Before(c.NotifiedAt.AddDate(0, 0, 30)) {
					short = append(short, c.Edges.Subprocessor.Name)
				}
			}
			assert.Equal(t, []string{"Kestrel Ops Sdn Bhd"}, short)
		})

		t.Run("group accessions", func(t *testing.T) {
			parties := client.ContractParty.Query().Where(contractparty.AccessionDateNotNil()).WithOrganization().AllX(ctx)
			got := map[string]time.Time{}
			for _, p := range parties {
				got[p.Edges.Organization.Name] = p.AccessionDate.UTC()
			}
			assert.Equal(t, map[string]time.Time{
				"Lumora Inc.": day(2021, 10, 1), "Lumora Software India Pvt Ltd": day(2022, 3, 1),
				"Lumora Middle East FZ-LLC": day(2023, 2, 1), "Lumora Asia Ltd": day(2025, 9, 1),
			}, got)
		})

		t.Run("no contract has expired or expires within a year", func(t *testing.T) {
			n := client.Contract.Query().Where(contract.ExpiresAtLT(ref.AddDate(1, 0, 0))).CountX(ctx)
			assert.Zero(t, n)
		})

		t.Run("transfers with no mechanism", func(t *testing.T) {
			none := client.Transfer.Query().Where(transfer.MechanismEQ(vocab.MechanismNone)).WithImporterVendor().AllX(ctx)
			var names []string
			for _, tr := range none {
				names = append(names, tr.Edges.ImporterVendor.Name)
			}
			slices.Sort(names)
			assert.Equal(t, []string{"Paulista Sistemas Ltda", "Pearl Venue Hospitality WLL"}, names)
		})
	})
}

func TestTaxonomyKeys(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		load(t, db)
		for _, c := range db.Client.DataCategory.Query().WithParent().AllX(ctx) {
			group, _, _ := strings.Cut(c.Key, ".")
			if c.Edges.Parent == nil {
				assert.Equal(t, group, c.Key)
			} else {
				assert.Equal(t, group, c.Edges.Parent.Key, c.Key)
			}
		}
	})
}

func BenchmarkLoad(b *testing.B) {
	for _, dia := range storetest.Dialects() {
		b.Run(dia, func(b *testing.B) {
			for range b.N {
				b.StopTimer()
				db := storetest.Open(b, dia)
				b.StartTimer()
				if _, err := demo.Load(context.Background(), db.Client); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
