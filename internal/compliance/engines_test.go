package compliance_test

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/adequacydecision"
	"github.com/privhub/privhub/ent/consent"
	"github.com/privhub/privhub/internal/compliance"
	"github.com/privhub/privhub/internal/law"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/store"
	"github.com/privhub/privhub/internal/store/storetest"
	"github.com/privhub/privhub/internal/trace"
	"github.com/privhub/privhub/internal/vocab"
)

// The legal decisions are law's; these tests put the same cases to every
// engine that takes them (law itself, the trace, the findings) and expect
// one answer.

// holdingOf returns the trace's holding of a holder for user u, or nil.
func holdingOf(t *testing.T, w *world, u *ent.User, holder pulid.ID, at time.Time) *trace.Holding {
	tr, err := trace.New(w.c).Trace(w.ctx, u.ID, at)
	require.NoError(t, err)
	for _, h := range tr.Holdings {
		if h.Holder.HolderID() == holder {
			return h
		}
	}
	return nil
}

// faulted reports whether a finding of the rules names the transfer.
func faulted(fs []*compliance.Finding, transfer pulid.ID, rules ...string) bool {
	return slices.ContainsFunc(fs, func(f *compliance.Finding) bool {
		return f.TargetID == transfer && slices.Contains(rules, f.RuleID)
	})
}

func TestEnginesAgreeOnAdequacy(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		certified := func(name string, frameworks []vocab.DPFFramework, from time.Time, until *time.Time) *ent.Vendor {
			v := w.vendor(name, "US")
			u := v.Update().SetDpfActiveFrom(from).SetDpfFrameworks(frameworks)
			if until != nil {
				u.SetDpfActiveUntil(*until)
			}
			return u.SaveX(w.ctx)
		}
		eu := []vocab.DPFFramework{vocab.DPFEU}
		lapsed, onTheDay := day(2026, 1, 31), now
		usOrg := w.org("Acme Inc.", "US")
		usOrg = usOrg.Update().SetDpfActiveFrom(day(2024, 1, 1)).SetDpfFrameworks(eu).SaveX(w.ctx)
		cases := []struct {
			name     string
			importer ent.Holder
			regime   vocab.Regime
			adequate bool
		}{
			{"certified under the EU-US DPF", certified("Certified Corp", eu, day(2024, 1, 1), nil), vocab.RegimeEU, true},
			{"never certified", w.vendor("Uncertified Corp", "US"), vocab.RegimeEU, false},
			{"certification lapsed", certified("Lapsed Corp", eu, day(2024, 1, 1), &lapsed), vocab.RegimeEU, false},
			{"certification ends on the day asked about", certified("Last Day Corp", eu, day(2024, 1, 1), &onTheDay), vocab.RegimeEU, true},
			{"certification not yet active", certified("Future Corp", eu, day(2026, 9, 1), nil), vocab.RegimeEU, false},
			{"UK data, EU programme only", certified("EU Only Corp", eu, day(2024, 1, 1), nil), vocab.RegimeUK, false},
			{"UK data, UK Extension", certified("UK Corp", []vocab.DPFFramework{vocab.DPFEU, vocab.DPFUK}, day(2024, 1, 1), nil), vocab.RegimeUK, true},
			{"Swiss data, Swiss-US DPF", certified("Swiss Corp", []vocab.DPFFramework{vocab.DPFCH}, day(2025, 1, 1), nil), vocab.RegimeCH, true},
			{"own subsidiary, certified", usOrg, vocab.RegimeEU, true},
		}
		u := w.user()
		w.record(u, "contact.email", w.us, since)
		transfers := map[string]*ent.Transfer{}
		for _, c := range cases {
			tr := w.transfer(w.us, c.importer, flow{mechanism: vocab.MechanismAdequacy})
			transfers[c.name] = tr.Update().SetRegime(c.regime).SaveX(w.ctx)
		}
		decisions, err := w.c.AdequacyDecision.Query().Where(adequacydecision.CountryID(pulid.Country("US"))).All(w.ctx)
		require.NoError(t, err)
		findings := w.check(now)
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				cov, _ := law.Cover(decisions, c.regime, law.CertificationOf(c.importer), now)
				assert.Equal(t, c.adequate, cov.Adequate(), "law")
				h := holdingOf(t, w, u, c.importer.HolderID(), now)
				require.NotNil(t, h, "the trace reaches the importer")
				assert.Equal(t, c.adequate, h.Adequate(), "trace")
				assert.Equal(t, !c.adequate, faulted(findings, transfers[c.name].ID, compliance.RuleDPFInactive, compliance.RuleNoMechanism), "findings")
			})
		}
	})
}

func TestEnginesAgreeOnConsentRefusals(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		partner := w.vendor("Partner", "FR")
		other := w.vendor("Other", "FR")
		honouring := w.transfer(w.us, partner, flow{role: vocab.RoleController, purposes: []string{"partners"}})
		strict := w.transfer(w.us, other, flow{role: vocab.RoleController, purposes: []string{"partners"}, noOptOuts: true})
		before, after := day(2026, 3, 1), day(2026, 4, 1)
		cases := []struct {
			name    string
			choices func(u *ent.User)
			// stopped per transfer: the honouring one, then the strict one
			stopped [2]bool
		}{
			{"never chose", func(*ent.User) {}, [2]bool{false, false}},
			{"opted out of the purpose", func(u *ent.User) {
				w.choose(u, "partners", nil, consent.DecisionOptedOut, false, before)
			}, [2]bool{true, false}},
			{"opted out, then agreed to the partner", func(u *ent.User) {
				w.choose(u, "partners", nil, consent.DecisionOptedOut, false, before)
				w.choose(u, "partners", partner, consent.DecisionGranted, false, after)
			}, [2]bool{false, false}},
			{"agreed to the partner, then opted out of the purpose", func(u *ent.User) {
				w.choose(u, "partners", partner, consent.DecisionGranted, false, before)
				w.choose(u, "partners", nil, consent.DecisionOptedOut, false, after)
			}, [2]bool{true, false}},
			{"withdrew for the recipients, by name", func(u *ent.User) {
				w.choose(u, "partners", partner, consent.DecisionWithdrawn, false, before)
				w.choose(u, "partners", other, consent.DecisionWithdrawn, false, before)
			}, [2]bool{true, true}},
			{"withdrew for the recipients, for another purpose", func(u *ent.User) {
				w.choose(u, "marketing", partner, consent.DecisionWithdrawn, false, before)
				w.choose(u, "marketing", other, consent.DecisionWithdrawn, false, before)
			}, [2]bool{false, false}},
			{"withdrew, then consented again", func(u *ent.User) {
				w.choose(u, "partners", nil, consent.DecisionWithdrawn, false, before)
				w.choose(u, "partners", nil, consent.DecisionGranted, false, after)
			}, [2]bool{false, false}},
		}
		users := make([]*ent.User, len(cases))
		for i, c := range cases {
			users[i] = w.user()
			w.record(users[i], "contact.email", w.us, since)
			c.choices(users[i])
		}
		disclosed := day(2026, 5, 1)
		w.disclose(honouring, disclosed, users, "contact.email")
		w.disclose(strict, disclosed, users, "contact.email")
		findings := w.of(compliance.RuleDisclosureOptOut, now)
		flagged := func(transfer pulid.ID, u pulid.ID) bool {
			return slices.ContainsFunc(findings, func(f *compliance.Finding) bool {
				return slices.Contains(f.Related, transfer) && slices.ContainsFunc(f.Evidence, func(e *compliance.Evidence) bool { return e.ID == u })
			})
		}
		for i, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				for k, tr := range []*ent.Transfer{honouring, strict} {
					to := *tr.ImporterVendorID
					assert.Equal(t, c.stopped[k], holdingOf(t, w, users[i], to, now) == nil, "trace, transfer %d", k)
					assert.Equal(t, c.stopped[k], flagged(tr.ID, users[i].ID), "findings, transfer %d", k)
				}
			})
		}
	})
}

func TestEnginesAgreeOnRequestDeadlines(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		cases := []struct {
			ref  string
			spec requestSpec
			due  time.Time
		}{
			{"R-PLAIN", requestSpec{received: day(2026, 5, 15)}, day(2026, 6, 15)},
			{"R-MONTH-END", requestSpec{received: day(2026, 1, 31)}, day(2026, 2, 28)},
			{"R-EXTENDED", requestSpec{received: day(2026, 4, 10), notified: day(2026, 5, 1), months: 2}, day(2026, 7, 10)},
			{"R-ONE-MONTH", requestSpec{received: day(2026, 4, 20), notified: day(2026, 5, 10), months: 1}, day(2026, 6, 20)},
			{"R-NOT-YET", requestSpec{received: day(2026, 6, 10)}, day(2026, 7, 10)},
		}
		findings := w.of(compliance.RuleRequestOverdue, now)
		for _, c := range cases {
			t.Run(c.ref, func(t *testing.T) {
				r := w.request(c.ref, c.spec)
				findings = w.of(compliance.RuleRequestOverdue, now)
				var months *int
				var notified *time.Time
				if !c.spec.notified.IsZero() {
					months, notified = &c.spec.months, &c.spec.notified
				}
				dl := law.DeadlineOf(c.spec.received, months, notified, now)
				assert.Equal(t, c.due, dl.Due, "law")
				assert.True(t, r.DueAt.Equal(c.due), "the request's due date on record: %s", r.DueAt)
				overdue := slices.ContainsFunc(findings, func(f *compliance.Finding) bool { return f.TargetID == r.ID })
				assert.Equal(t, c.due.Before(now), overdue, "findings")
				assert.Equal(t, c.due.Before(now), dl.Overdue(now), "law")
			})
		}
	})
}
