package compliance_test

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/assessment"
	"github.com/privhub/privhub/ent/consent"
	"github.com/privhub/privhub/ent/contract"
	"github.com/privhub/privhub/ent/subprocessorannouncement"
	"github.com/privhub/privhub/ent/vendor"
	"github.com/privhub/privhub/internal/compliance"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/store"
	"github.com/privhub/privhub/internal/store/storetest"
	"github.com/privhub/privhub/internal/vocab"
)

// outcome is what a rule case expects as of `at`: the targets its rule
// flags (hit) and the near misses it must not flag (miss); users lists the
// users a case expects in the evidence of its first hit, when it says.
type outcome struct {
	at               time.Time
	hit, miss, users []pulid.ID
}

// ruleCase builds, in one fresh database, objects that breach a rule and
// near misses that do not; more runs further assertions on the same world.
type ruleCase struct {
	rule, name string
	build      func(w *world) outcome
	more       func(t *testing.T, w *world, o outcome)
}

var (
	controller   = vocab.RoleController
	processor    = vocab.RoleProcessor
	subprocessor = vocab.RoleSubprocessor
	scc          = vocab.MechanismSCC
	adequacy     = vocab.MechanismAdequacy
	none         = vocab.MechanismNone
)

func id(n ent.Noder) pulid.ID {
	switch x := n.(type) {
	case *ent.Transfer:
		return x.ID
	case *ent.Vendor:
		return x.ID
	case *ent.Organization:
		return x.ID
	case *ent.Contract:
		return x.ID
	case *ent.Disclosure:
		return x.ID
	case *ent.Request:
		return x.ID
	case *ent.SubprocessorAnnouncement:
		return x.ID
	}
	panic("id of unexpected node")
}

func of(ns ...ent.Noder) []pulid.ID {
	out := make([]pulid.ID, len(ns))
	for i, n := range ns {
		out[i] = id(n)
	}
	return out
}

// evidenceIDs returns the IDs of a finding's evidence of one kind.
func evidenceIDs(f *compliance.Finding, kind string) []pulid.ID {
	var out []pulid.ID
	for _, e := range f.Evidence {
		if e.Kind == kind {
			out = append(out, e.ID)
		}
	}
	slices.Sort(out)
	return out
}

func sorted(xs []pulid.ID) []pulid.ID {
	out := slices.Clone(xs)
	slices.Sort(out)
	return out
}

var ruleCases = []ruleCase{
	{rule: compliance.RuleNoMechanism, name: "no adequacy, no SCC, not intra-EEA",
		build: func(w *world) outcome {
			none1 := w.transfer(w.us, w.vendor("Indus", "IN"), flow{mechanism: none})
			notEEA := w.transfer(w.us, w.vendor("Yankee", "US"), flow{mechanism: vocab.MechanismIntraEEA})
			noSCC := w.transfer(w.us, w.vendor("Deccan", "IN"), flow{mechanism: scc})
			adequate := w.transfer(w.us, w.vendor("Kiwi", "NZ"), flow{mechanism: adequacy})
			implicit := w.transfer(w.us, w.vendor("Sakura", "JP"), flow{mechanism: none})
			home := w.transfer(w.us, w.vendor("Rhein", "DE"), flow{mechanism: none})
			ended := w.transfer(w.us, w.vendor("Ganges", "IN"), flow{mechanism: none, until: day(2025, 1, 1)})
			derogation := w.transfer(w.us, w.vendor("Kerala", "IN"), flow{mechanism: vocab.MechanismDerogation})
			mislabelled := w.transfer(w.us, w.vendor("Thames", "GB"), flow{mechanism: vocab.MechanismIntraEEA})
			return outcome{at: now, hit: of(none1, notEEA, noSCC), miss: of(adequate, implicit, home, ended, derogation, mislabelled)}
		}},
	{rule: compliance.RuleOnwardNoGrounds, name: "importer passes data on to another third country",
		build: func(w *world) outcome {
			gulf := w.vendor("Gulf Events", "AE")
			w.transfer(w.us, gulf, flow{role: controller, mechanism: scc, contract: w.scc(contract.SccModuleC2c, w.us, gulf)})
			onward := w.transfer(gulf, w.vendor("Doha Venue", "QA"), flow{role: controller, mechanism: none})
			adequate := w.transfer(gulf, w.vendor("Thames", "GB"), flow{role: controller, mechanism: none})
			back := w.transfer(gulf, w.vendor("Rhein", "DE"), flow{role: controller, mechanism: none})
			return outcome{at: now, hit: of(onward), miss: of(adequate, back)}
		},
		more: func(t *testing.T, w *world, o outcome) {
			f := w.of(compliance.RuleOnwardNoGrounds, o.at)[0]
			require.Len(t, f.Evidence, 2, "the chain: Acme SA → Gulf Events → Doha Venue")
			assert.Contains(t, f.Evidence[0].Label, "Acme SA → Gulf Events")
			assert.Equal(t, o.hit[0], f.Evidence[1].ID)
			assert.Empty(t, w.of(compliance.RuleNoMechanism, o.at), "reported once, as an onward transfer")
			assert.Equal(t, o.hit, compliance.InvalidTransfers(w.check(o.at)))
		}},
	{rule: compliance.RuleDPFInactive, name: "US importer whose certification lapsed",
		build: func(w *world) outcome {
			lapsed := w.transfer(w.us, w.vendor("Slot", "US", vendorOpts{dpfFrom: day(2023, 10, 2), dpfUntil: day(2025, 11, 30)}),
				flow{mechanism: adequacy})
			never := w.transfer(w.us, w.vendor("Never", "US"), flow{mechanism: adequacy})
			active := w.transfer(w.us, w.vendor("Pay", "US", vendorOpts{dpfFrom: day(2023, 8, 1)}), flow{mechanism: adequacy})
			covered := w.vendor("Covered", "US", vendorOpts{dpfFrom: day(2023, 8, 1), dpfUntil: day(2025, 1, 1)})
			fallback := w.transfer(w.us, covered, flow{mechanism: adequacy, fallback: scc,
				contract: w.scc(contract.SccModuleC2p, w.us, covered)})
			return outcome{at: now, hit: of(lapsed, never), miss: of(active, fallback)}
		},
		more: func(t *testing.T, w *world, o outcome) {
			// Before the lapse only the never-certified importer is flagged.
			assert.Equal(t, o.hit[1:], w.targets(compliance.RuleDPFInactive, day(2025, 6, 1)))
			assert.Empty(t, w.of(compliance.RuleNoMechanism, o.at), "reported once, by the DPF rule")
		}},
	{rule: compliance.RuleTIAMissing, name: "SCC transfer without an assessment",
		build: func(w *world) outcome {
			indus := w.vendor("Indus", "IN")
			missing := w.transfer(w.us, indus, flow{mechanism: scc, contract: w.scc(contract.SccModuleC2p, w.us, indus)})
			deccan := w.vendor("Deccan", "IN")
			assessed := w.transfer(w.us, deccan, flow{mechanism: scc, contract: w.scc(contract.SccModuleC2p, w.us, deccan)})
			w.tia(assessed, day(2025, 1, 1), day(2027, 1, 1))
			late := w.vendor("Late", "IN")
			later := w.transfer(w.us, late, flow{mechanism: scc, contract: w.scc(contract.SccModuleC2p, w.us, late)})
			w.tia(later, day(2026, 9, 1), day(2028, 9, 1)) // after the instant checked
			home := w.transfer(w.us, w.vendor("Rhein", "DE"), flow{mechanism: scc})
			kiwi := w.vendor("Kiwi", "NZ")
			adequate := w.transfer(w.us, kiwi, flow{mechanism: scc, contract: w.scc(contract.SccModuleC2p, w.us, kiwi)})
			return outcome{at: now, hit: of(missing, later), miss: of(assessed, home, adequate)}
		}},
	{rule: compliance.RuleTIAOverdue, name: "assessment past its re-evaluation date",
		build: func(w *world) outcome {
			old := w.vendor("Old", "IN")
			overdue := w.transfer(w.us, old, flow{mechanism: scc, contract: w.scc(contract.SccModuleC2p, w.us, old)})
			w.tia(overdue, day(2023, 1, 1), day(2025, 1, 1))
			fresh := w.vendor("Fresh", "IN")
			current := w.transfer(w.us, fresh, flow{mechanism: scc, contract: w.scc(contract.SccModuleC2p, w.us, fresh)})
			w.tia(current, day(2023, 1, 1), day(2025, 1, 1))
			w.tia(current, day(2025, 6, 1), day(2027, 6, 1))
			return outcome{at: now, hit: of(overdue), miss: of(current)}
		},
		more: func(t *testing.T, w *world, o outcome) {
			assert.Empty(t, w.of(compliance.RuleTIAMissing, o.at))
		}},
	{rule: compliance.RuleSCCRepealed, name: "clauses under Decision 2010/87/EU",
		build: func(w *world) outcome {
			relay := w.vendor("Relay", "US")
			old := w.contract(deal{kind: contract.KindScc, decision: contract.SccDecisionDecision2010_87, module: contract.SccModuleC2p,
				signed: day(2019, 11, 4), parties: []party{exporter(w.us, controller), importer(relay, processor)}})
			repealed := w.transfer(w.us, relay, flow{mechanism: scc, contract: old, from: day(2020, 1, 6)})
			late := w.vendor("Late Signer", "US")
			lateSCC := w.contract(deal{kind: contract.KindScc, decision: contract.SccDecisionDecision2010_87, module: contract.SccModuleC2p,
				signed: day(2022, 1, 10), parties: []party{exporter(w.us, controller), importer(late, processor)}})
			signedLate := w.transfer(w.us, late, flow{mechanism: scc, contract: lateSCC, from: day(2022, 2, 1)})
			modern := w.vendor("Modern", "US")
			current := w.transfer(w.us, modern, flow{mechanism: scc, contract: w.scc(contract.SccModuleC2p, w.us, modern), from: day(2020, 1, 6)})
			// Old clauses do not matter where an adequacy decision covers the importer.
			kiwi := w.vendor("Kiwi", "NZ")
			kiwiSCC := w.contract(deal{kind: contract.KindScc, decision: contract.SccDecisionDecision2010_87, module: contract.SccModuleC2p,
				signed: day(2019, 11, 4), parties: []party{exporter(w.us, controller), importer(kiwi, processor)}})
			adequate := w.transfer(w.us, kiwi, flow{mechanism: scc, contract: kiwiSCC, from: day(2020, 1, 6)})
			return outcome{at: now, hit: of(repealed, signedLate), miss: of(current, adequate)}
		},
		more: func(t *testing.T, w *world, o outcome) {
			// In the transition period only the clauses signed after the repeal fail.
			assert.Equal(t, o.hit[1:], w.targets(compliance.RuleSCCRepealed, day(2022, 6, 1)))
			assert.Empty(t, w.of(compliance.RuleNoMechanism, o.at), "reported once, by the SCC rule")
		}},
	{rule: compliance.RuleSCCModuleMismatch, name: "module 2 for a controller",
		build: func(w *world) outcome {
			ctl := w.vendor("Controller Inc", "IN")
			wrong := w.transfer(w.us, ctl, flow{role: controller, mechanism: scc, contract: w.scc(contract.SccModuleC2p, w.us, ctl)})
			right := w.vendor("Right Inc", "IN")
			ok := w.transfer(w.us, right, flow{role: controller, mechanism: scc, contract: w.scc(contract.SccModuleC2c, w.us, right)})
			return outcome{at: now, hit: of(wrong), miss: of(ok)}
		}},
	{rule: compliance.RuleSCCClause17, name: "law of India in module 1; module 4 may choose",
		build: func(w *world) outcome {
			konkan := w.vendor("Konkan", "IN")
			c := w.contract(deal{kind: contract.KindScc, module: contract.SccModuleC2c, law: "IN",
				parties: []party{exporter(w.us, controller), importer(konkan, controller)}})
			india := w.transfer(w.us, konkan, flow{role: controller, mechanism: scc, contract: c})
			stream, maple := w.vendor("Stream", "EE"), w.vendor("Maple", "CA")
			m4 := w.contract(deal{kind: contract.KindScc, module: contract.SccModuleP2c, law: "CA", forum: "CA",
				parties: []party{exporter(stream, processor), importer(maple, controller)}})
			module4 := w.transfer(stream, maple, flow{role: controller, mechanism: scc, contract: m4})
			belgian := w.vendor("Belgian Law", "IN")
			eu := w.transfer(w.us, belgian, flow{role: controller, mechanism: scc, contract: w.scc(contract.SccModuleC2c, w.us, belgian)})
			return outcome{at: now, hit: of(india), miss: of(module4, eu)}
		},
		more: func(t *testing.T, w *world, o outcome) {
			assert.Empty(t, w.of(compliance.RuleSCCClause18, o.at))
			assert.Empty(t, w.of(compliance.RuleNoMechanism, o.at), "reported once, by the clause rule")
		}},
	{rule: compliance.RuleSCCClause18, name: "US courts in module 2",
		build: func(w *world) outcome {
			yankee := w.vendor("Yankee", "IN")
			c := w.contract(deal{kind: contract.KindScc, module: contract.SccModuleC2p, forum: "US",
				parties: []party{exporter(w.us, controller), importer(yankee, processor)}})
			us := w.transfer(w.us, yankee, flow{mechanism: scc, contract: c})
			french := w.vendor("French Courts", "IN")
			fc := w.contract(deal{kind: contract.KindScc, module: contract.SccModuleC2p, forum: "FR",
				parties: []party{exporter(w.us, controller), importer(french, processor)}})
			fr := w.transfer(w.us, french, flow{mechanism: scc, contract: fc})
			return outcome{at: now, hit: of(us), miss: of(fr)}
		}},
	{rule: compliance.RuleSCCBeforeAccession, name: "access before the Clause 7 accession",
		build: func(w *world) outcome {
			asia, gulf := w.org("Acme Asia", "HK"), w.org("Acme Gulf", "AE")
			c := w.contract(deal{kind: contract.KindScc, module: contract.SccModuleC2p, parties: []party{
				exporter(w.us, controller),
				{holder: asia, side: "IMPORTER", capacity: processor, accession: day(2025, 9, 1)},
				{holder: gulf, side: "IMPORTER", capacity: processor, accession: day(2023, 2, 1)},
			}})
			early := w.transfer(w.us, asia, flow{mechanism: scc, contract: c, from: day(2025, 7, 14)})
			ok := w.transfer(w.us, gulf, flow{mechanism: scc, contract: c, from: day(2023, 2, 6)})
			return outcome{at: now, hit: of(early), miss: of(ok)}
		},
		more: func(t *testing.T, w *world, o outcome) {
			f := w.of(compliance.RuleSCCBeforeAccession, o.at)[0]
			assert.True(t, f.Historic, "acceded since: a historic finding")
			assert.Empty(t, compliance.InvalidTransfers(w.check(o.at)))
			// Between the start and the accession the transfer is invalid now.
			during := w.of(compliance.RuleSCCBeforeAccession, day(2025, 8, 1))
			require.Len(t, during, 1)
			assert.False(t, during[0].Historic)
			assert.Equal(t, f.ID, during[0].ID, "the same finding, tracked over time")
			assert.Equal(t, o.hit, compliance.InvalidTransfers(w.check(day(2025, 8, 1))))
			assert.Empty(t, w.of(compliance.RuleNoMechanism, day(2025, 8, 1)))
			// Before the start nothing is wrong.
			assert.Empty(t, w.of(compliance.RuleSCCBeforeAccession, day(2025, 6, 1)))
		}},
	{rule: compliance.RuleDPAMissing, name: "processor without an agreement in force",
		build: func(w *world) outcome {
			heat := w.vendor("Heat", "IL")
			w.transfer(w.us, heat, flow{mechanism: adequacy, noDPA: true})
			old := w.vendor("Old", "FR")
			w.contract(deal{kind: "DPA", expires: day(2025, 1, 1), parties: []party{signatory(w.us, controller), signatory(old, processor)}})
			w.transfer(w.us, old, flow{noDPA: true})
			ok := w.vendor("Fine", "FR")
			w.transfer(w.us, ok, flow{})
			sccOnly := w.vendor("Clauses", "IN")
			w.transfer(w.us, sccOnly, flow{mechanism: scc, contract: w.scc(contract.SccModuleC2p, w.us, sccOnly), noDPA: true})
			ctl := w.vendor("Independent", "FR")
			w.transfer(w.us, ctl, flow{role: controller, noDPA: true})
			return outcome{at: now, hit: of(heat, old), miss: of(ok, sccOnly, ctl)}
		}},
	{rule: compliance.RuleDPAIncomplete, name: "agreement without audits",
		build: func(w *world) outcome {
			half := w.vendor("Half", "FR")
			partial := w.contract(deal{kind: "DPA", stipulations: allStipulations[:7],
				parties: []party{signatory(w.us, controller), signatory(half, processor)}})
			w.transfer(w.us, half, flow{noDPA: true})
			full := w.vendor("Full", "FR")
			complete := w.dpa(w.us, full)
			w.transfer(w.us, full, flow{noDPA: true})
			unused := w.contract(deal{kind: "DPA", stipulations: allStipulations[:3],
				parties: []party{signatory(w.us, controller), signatory(w.vendor("Idle", "FR"), processor)}})
			return outcome{at: now, hit: of(partial), miss: of(complete, unused)}
		}},
	{rule: compliance.RuleContractExpired, name: "governing contract expired",
		build: func(w *world) outcome {
			fair, past := w.vendor("Fair", "ES"), w.vendor("Past", "ES")
			expired := w.contract(deal{kind: "MSA", expires: day(2026, 1, 1),
				parties: []party{signatory(w.us, controller), signatory(fair, controller)}})
			w.transfer(w.us, fair, flow{role: controller, contract: expired})
			ended := w.contract(deal{kind: "MSA", expires: day(2026, 1, 1),
				parties: []party{signatory(w.us, controller), signatory(past, controller)}})
			w.transfer(w.us, past, flow{role: controller, contract: ended, until: day(2025, 12, 1)})
			return outcome{at: now, hit: of(expired), miss: of(ended)}
		}},
	{rule: compliance.RuleContractExpiring, name: "governing contract expires within 90 days",
		build: func(w *world) outcome {
			soon, later := w.vendor("Soon", "ES"), w.vendor("Later", "ES")
			expiring := w.contract(deal{kind: "MSA", expires: now.AddDate(0, 0, 30),
				parties: []party{signatory(w.us, controller), signatory(soon, controller)}})
			w.transfer(w.us, soon, flow{role: controller, contract: expiring})
			far := w.contract(deal{kind: "MSA", expires: now.AddDate(0, 0, 200),
				parties: []party{signatory(w.us, controller), signatory(later, controller)}})
			w.transfer(w.us, later, flow{role: controller, contract: far})
			return outcome{at: now, hit: of(expiring), miss: of(far)}
		}},
	{rule: compliance.RuleSubUnauthorised, name: "subprocessor without notice",
		build: func(w *world) outcome {
			proc := w.vendor("Processor", "FR")
			w.transfer(w.us, proc, flow{})
			silent, notified := w.vendor("Silent Sub", "FR"), w.vendor("Notified Sub", "FR")
			w.transfer(proc, silent, flow{role: subprocessor})
			w.transfer(proc, notified, flow{role: subprocessor})
			w.change(proc, notified, day(2023, 10, 1), since)
			return outcome{at: now, hit: of(silent), miss: of(notified)}
		}},
	{rule: compliance.RuleSubNoticeTooShort, name: "engaged five days into a 30-day notice",
		build: func(w *world) outcome {
			proc := w.vendor("Edge", "FR")
			w.contract(deal{kind: "DPA", noticeDays: 30, parties: []party{signatory(w.us, controller), signatory(proc, processor)}})
			w.transfer(w.us, proc, flow{noDPA: true})
			hasty, patient := w.vendor("Kestrel", "FR"), w.vendor("Patient", "FR")
			w.transfer(proc, hasty, flow{role: subprocessor, from: day(2026, 5, 20)})
			w.change(proc, hasty, day(2026, 5, 15).Add(9*time.Hour), day(2026, 5, 20))
			w.transfer(proc, patient, flow{role: subprocessor, from: day(2026, 6, 20)})
			w.change(proc, patient, day(2026, 5, 15).Add(9*time.Hour), day(2026, 6, 20))
			return outcome{at: now, hit: of(hasty), miss: of(patient)}
		},
		more: func(t *testing.T, w *world, o outcome) {
			f := w.of(compliance.RuleSubNoticeTooShort, o.at)[0]
			assert.Contains(t, f.Message, "2026-06-14")
			require.GreaterOrEqual(t, len(f.Evidence), 2)
			assert.Contains(t, f.Evidence[0].Label, "Acme SA → Edge", "the chain starts at our organization")
			assert.Contains(t, f.Evidence[1].Label, "Edge → Kestrel")
			assert.Empty(t, w.of(compliance.RuleSubUnauthorised, o.at))
			assert.Empty(t, w.of(compliance.RuleSubNoticeTooShort, day(2026, 5, 19)), "not engaged yet")
		}},
	{rule: compliance.RuleSubUnauthorised, name: "own organisation's subprocessor never announced, or removed",
		build: func(w *world) outcome {
			inc := w.org("Acme Inc.", "US")
			w.contract(deal{kind: "DPA", noticeDays: 30, parties: []party{signatory(w.us, controller), signatory(inc, processor)}})
			silent, told, gone, going := w.vendor("Silent", "US"), w.vendor("Told", "US"), w.vendor("Gone", "US"), w.vendor("Going", "US")
			for _, v := range []*ent.Vendor{silent, told, gone, going} {
				w.transfer(inc, v, flow{role: subprocessor})
			}
			for _, v := range []*ent.Vendor{told, gone, going} {
				w.announce(inc, v, day(2023, 10, 2), day(2023, 11, 6), "")
			}
			w.announceKind(inc, subprocessorannouncement.KindRemoved, gone, day(2026, 3, 2), day(2026, 4, 6), "")
			w.announceKind(inc, subprocessorannouncement.KindRemoved, going, day(2026, 6, 22), day(2026, 8, 1), "")
			return outcome{at: now, hit: of(silent, gone), miss: of(told, going)}
		},
		more: func(t *testing.T, w *world, o outcome) {
			for _, f := range w.of(compliance.RuleSubUnauthorised, o.at) {
				assert.Contains(t, f.Message, "Acme Inc. passes personal data")
			}
		}},
	{rule: compliance.RuleAnnouncedEarly, name: "own change forced through before the controller's 30 days",
		build: func(w *world) outcome {
			inc := w.org("Acme Inc.", "US")
			w.contract(deal{kind: "DPA", noticeDays: 30, parties: []party{signatory(w.us, controller), signatory(inc, processor)}})
			forced := w.announce(inc, w.vendor("Hoster", "US"), day(2026, 6, 1), day(2026, 6, 10), "the old host shuts down on 2026-06-09")
			patient := w.announce(inc, w.vendor("Mailer", "US"), day(2026, 5, 1), day(2026, 5, 31), "")
			return outcome{at: now, hit: of(forced), miss: of(patient)}
		},
		more: func(t *testing.T, w *world, o outcome) {
			f := w.of(compliance.RuleAnnouncedEarly, o.at)[0]
			assert.Equal(t, compliance.TargetAnnouncement, f.TargetType)
			assert.Contains(t, f.Message, "30 days' notice to Acme SA under DPA #1, informed 2026-06-01, ran until 2026-07-01")
			assert.Contains(t, f.Message, "the old host shuts down")
			assert.False(t, f.Historic, "the notice period still runs")
			require.Len(t, f.Evidence, 1)
			assert.Equal(t, compliance.TargetContract, f.Evidence[0].Kind)
			later := w.of(compliance.RuleAnnouncedEarly, day(2026, 7, 1))
			require.Len(t, later, 1)
			assert.True(t, later[0].Historic, "every notice period has run out")
			assert.Empty(t, w.of(compliance.RuleAnnouncedEarly, day(2026, 5, 31)), "not announced yet")
		}},
	{rule: compliance.RuleReviewOverdue, name: "high-risk vendor last reviewed two years ago",
		build: func(w *world) outcome {
			exam := w.vendor("Exam", "FR", vendorOpts{tier: vendor.RiskTierHigh, noReview: true})
			w.review(exam, day(2024, 5, 10), assessment.OutcomeConditional, day(2025, 5, 10))
			w.transfer(w.us, exam, flow{})
			never := w.vendor("Never Reviewed", "FR", vendorOpts{noReview: true})
			w.transfer(w.us, never, flow{})
			idle := w.vendor("Idle", "FR", vendorOpts{noReview: true})
			low := w.vendor("Low", "FR", vendorOpts{tier: vendor.RiskTierLow, noReview: true})
			w.review(low, day(2024, 1, 1), assessment.OutcomePass, time.Time{}) // 36 months
			w.transfer(w.us, low, flow{})
			return outcome{at: now, hit: of(exam, never), miss: of(idle, low)}
		}},
	{rule: compliance.RuleReviewFailed, name: "latest review failed",
		build: func(w *world) outcome {
			failed, mended := w.vendor("Failed", "FR"), w.vendor("Mended", "FR")
			w.review(failed, day(2026, 1, 1), assessment.OutcomeFail, day(2027, 1, 1))
			w.review(mended, day(2025, 1, 1), assessment.OutcomeFail, day(2026, 1, 1))
			w.review(mended, day(2026, 1, 1), assessment.OutcomePass, day(2027, 1, 1))
			w.transfer(w.us, failed, flow{})
			w.transfer(w.us, mended, flow{})
			return outcome{at: now, hit: of(failed), miss: of(mended)}
		}},
	{rule: compliance.RuleNoSecurityMeasure, name: "vendor in use without measures",
		build: func(w *world) outcome {
			bare := w.vendor("Bare", "FR", vendorOpts{noMeasure: true})
			w.transfer(w.us, bare, flow{})
			idle := w.vendor("Idle", "FR", vendorOpts{noMeasure: true})
			secured := w.vendor("Secured", "FR")
			w.transfer(w.us, secured, flow{})
			collector := w.vendor("Collector", "FR", vendorOpts{noMeasure: true})
			w.record(w.user(), "cookies.id", collector, day(2026, 5, 1), "service")
			return outcome{at: now, hit: of(bare, collector), miss: of(idle, secured)}
		}},
	{rule: compliance.RuleDisclosureOptOut, name: "users who opted out before the hand-over",
		build: func(w *world) outcome {
			sponsor := w.vendor("Sponsor", "FR")
			t := w.transfer(w.us, sponsor, flow{role: controller, purposes: []string{"events"}})
			out, in, later, regranted, wide := w.user(), w.user(), w.user(), w.user(), w.user()
			for _, u := range []*ent.User{out, in, later, regranted, wide} {
				w.choose(u, "events", sponsor, consent.DecisionGranted, false, day(2026, 2, 1))
			}
			w.choose(out, "events", sponsor, consent.DecisionOptedOut, false, day(2026, 3, 1))
			w.choose(later, "events", sponsor, consent.DecisionWithdrawn, false, day(2026, 4, 20))
			w.choose(regranted, "events", nil, consent.DecisionOptedOut, false, day(2026, 3, 1))
			w.choose(regranted, "events", sponsor, consent.DecisionGranted, false, day(2026, 3, 5))
			w.choose(wide, "events", nil, consent.DecisionOptedOut, false, day(2026, 3, 1))
			d := w.disclose(t, day(2026, 4, 10), []*ent.User{out, in, later, regranted, wide}, "contact.email")
			// A flow that does not honour opt-outs ignores a purpose-wide one.
			organiser := w.vendor("Organiser", "FR")
			t2 := w.transfer(w.us, organiser, flow{role: controller, purposes: []string{"events"}, noOptOuts: true})
			d2 := w.disclose(t2, day(2026, 4, 10), []*ent.User{wide}, "contact.email")
			return outcome{at: now, hit: of(d), miss: of(d2), users: []pulid.ID{out.ID, wide.ID}}
		},
		more: func(t *testing.T, w *world, o outcome) {
			f := w.of(compliance.RuleDisclosureOptOut, o.at)[0]
			users := evidenceIDs(f, compliance.TargetUser)
			assert.Equal(t, sorted(o.users), users, "the opted-out and the purpose-wide opt-out, not the others")
			assert.Contains(t, f.Message, "2 users")
			assert.Empty(t, w.of(compliance.RuleDisclosureOptOut, day(2026, 4, 1)), "not disclosed yet")
		}},
	{rule: compliance.RuleSpecialNoExplicit, name: "health data shared without explicit consent",
		build: func(w *world) outcome {
			organiser := w.vendor("Organiser", "FR")
			t := w.transfer(w.us, organiser, flow{role: controller, purposes: []string{"events"},
				cats: []string{"contact.email", "health.access"}})
			implicit, explicit, healthy, revoked := w.user(), w.user(), w.user(), w.user()
			for _, u := range []*ent.User{implicit, explicit, revoked} {
				w.record(u, "health.access", w.us, day(2026, 2, 1), "events")
			}
			w.choose(implicit, "events", nil, consent.DecisionGranted, false, day(2026, 2, 1))
			w.choose(explicit, "events", nil, consent.DecisionGranted, true, day(2026, 2, 1))
			w.choose(revoked, "events", nil, consent.DecisionGranted, true, day(2026, 2, 1))
			w.choose(revoked, "events", nil, consent.DecisionWithdrawn, false, day(2026, 3, 1))
			d := w.disclose(t, day(2026, 4, 8), []*ent.User{implicit, explicit, healthy, revoked}, "contact.email", "health.access")
			// A flow carrying the whole health group, with no disclosure on record.
			clinic := w.vendor("Clinic", "FR")
			flowing := w.transfer(w.us, clinic, flow{role: controller, purposes: []string{"events"}, cats: []string{"health"}})
			// A flow carrying no special category.
			plain := w.transfer(w.us, w.vendor("Plain", "FR"), flow{role: controller, purposes: []string{"events"}})
			return outcome{at: now, hit: of(d, flowing), miss: of(plain), users: []pulid.ID{implicit.ID, revoked.ID}}
		},
		more: func(t *testing.T, w *world, o outcome) {
			for _, f := range w.of(compliance.RuleSpecialNoExplicit, o.at) {
				if f.TargetID == o.hit[0] {
					assert.Equal(t, sorted(o.users), evidenceIDs(f, compliance.TargetUser))
				} else {
					assert.Len(t, evidenceIDs(f, compliance.TargetUser), 2, "the implicit and the revoked")
				}
			}
		}},
	{rule: compliance.RuleConsentMissing, name: "analytics cookies without consent",
		build: func(w *world) outcome {
			metric := w.vendor("Metric", "FR")
			w.transfer(w.us, metric, flow{purposes: []string{"analytics"}})
			never, ok, withdrawn, own, ownNever := w.user(), w.user(), w.user(), w.user(), w.user()
			w.record(never, "cookies.analytics", metric, day(2026, 5, 10), "analytics")
			w.choose(ok, "analytics", nil, consent.DecisionGranted, false, day(2026, 5, 1))
			w.record(ok, "cookies.analytics", metric, day(2026, 5, 10), "analytics")
			w.choose(withdrawn, "analytics", nil, consent.DecisionGranted, false, day(2026, 5, 1))
			w.record(withdrawn, "cookies.analytics", metric, day(2026, 5, 10), "analytics")
			w.choose(withdrawn, "analytics", nil, consent.DecisionWithdrawn, false, day(2026, 6, 1))
			w.choose(own, "analytics", nil, consent.DecisionGranted, false, day(2026, 5, 1))
			w.record(own, "cookies.analytics", w.us, day(2026, 5, 10), "analytics")
			w.record(ownNever, "cookies.analytics", w.us, day(2026, 5, 10), "analytics")
			w.record(ownNever, "contact.email", w.us, day(2026, 5, 10), "service") // not consent-based
			return outcome{at: now, hit: of(metric, w.us), miss: of(w.vendor("Unused", "FR")), users: []pulid.ID{never.ID, withdrawn.ID}}
		},
		more: func(t *testing.T, w *world, o outcome) {
			for _, f := range w.of(compliance.RuleConsentMissing, o.at) {
				if f.TargetID == o.hit[0] {
					assert.Equal(t, sorted(o.users), evidenceIDs(f, compliance.TargetUser), "never consented, and withdrew since")
				} else {
					assert.Len(t, evidenceIDs(f, compliance.TargetUser), 1)
				}
			}
			// Before the withdrawal only the user who never consented counts.
			fs := w.of(compliance.RuleConsentMissing, day(2026, 5, 20))
			for _, f := range fs {
				assert.Len(t, f.Evidence, 1)
			}
		}},
	{rule: compliance.RuleRetentionExpired, name: "logs kept past two months",
		build: func(w *world) outcome {
			w.retain("logs.edge", "security", "P2M")
			cdn := w.vendor("CDN", "FR")
			w.record(w.user(), "logs.edge", cdn, now.AddDate(0, 0, -180), "security")
			w.record(w.user(), "logs.edge", cdn, now.AddDate(0, 0, -170), "security")
			w.record(w.user(), "logs.edge", w.us, now.AddDate(0, 0, -180), "security")
			held := w.vendor("Held", "FR")
			r := w.record(w.user(), "logs.edge", held, now.AddDate(0, 0, -180), "security")
			require.NoError(w.t, r.Update().SetLegalHold(true).Exec(w.ctx))
			fresh := w.vendor("Fresh", "FR")
			w.record(w.user(), "logs.edge", fresh, now.AddDate(0, 0, -10), "security")
			mixed := w.vendor("Mixed", "FR")
			w.record(w.user(), "logs.edge", mixed, now.AddDate(0, 0, -180), "security", "audit") // no rule for audit
			return outcome{at: now, hit: of(cdn, w.us), miss: of(held, fresh, mixed)}
		},
		more: func(t *testing.T, w *world, o outcome) {
			for _, f := range w.of(compliance.RuleRetentionExpired, o.at) {
				if f.TargetID == o.hit[0] {
					assert.Len(t, evidenceIDs(f, compliance.TargetDataRecord), 2)
					assert.Contains(t, f.Message, "2 records")
				}
			}
		}},
	{rule: compliance.RuleRequestOverdue, name: "open past the month",
		build: func(w *world) outcome {
			open := w.request("R-1", requestSpec{received: day(2026, 5, 2)})
			done := w.request("R-2", requestSpec{received: day(2026, 5, 2), completed: day(2026, 5, 20)})
			young := w.request("R-3", requestSpec{received: day(2026, 6, 10)})
			extended := w.request("R-4", requestSpec{received: day(2026, 3, 1), notified: day(2026, 3, 20), months: 2})
			lateExt := w.request("R-5", requestSpec{received: day(2026, 3, 3), notified: day(2026, 4, 20), months: 2})
			inTime := w.request("R-6", requestSpec{received: day(2026, 4, 20), notified: day(2026, 5, 10), months: 2})
			return outcome{at: now, hit: of(open, extended, lateExt), miss: of(done, young, inTime)}
		}},
	{rule: compliance.RuleExtensionLate, name: "extension notified after the first month",
		build: func(w *world) outcome {
			late := w.request("R-1", requestSpec{received: day(2026, 3, 3), notified: day(2026, 4, 20), months: 2, completed: day(2026, 5, 26)})
			ok := w.request("R-2", requestSpec{received: day(2026, 4, 20), notified: day(2026, 5, 10), months: 2})
			return outcome{at: now, hit: of(late), miss: of(ok)}
		},
		more: func(t *testing.T, w *world, o outcome) {
			assert.Empty(t, w.of(compliance.RuleRequestOverdue, o.at), "completed")
			assert.Empty(t, w.of(compliance.RuleExtensionLate, day(2026, 4, 10)), "not notified yet")
		}},
	{rule: compliance.RuleExtensionTooLong, name: "due date beyond three months",
		build: func(w *world) outcome {
			long := w.request("R-1", requestSpec{received: day(2026, 1, 10), notified: day(2026, 1, 20), months: 2,
				due: day(2026, 5, 10), completed: day(2026, 5, 1)})
			ok := w.request("R-2", requestSpec{received: day(2026, 1, 10), notified: day(2026, 1, 20), months: 2, completed: day(2026, 4, 1)})
			return outcome{at: now, hit: of(long), miss: of(ok)}
		}},
}

// TestRules runs every rule case on both databases.
func TestRules(t *testing.T) {
	for _, rc := range ruleCases {
		t.Run(rc.rule+"/"+rc.name, func(t *testing.T) {
			t.Parallel()
			storetest.Run(t, func(t *testing.T, db *store.DB) {
				w := newWorld(t, db)
				o := rc.build(w)
				require.NotEmpty(t, o.hit)
				require.NotEmpty(t, o.miss)
				got := w.targets(rc.rule, o.at)
				assert.Equal(t, sorted(o.hit), got, "targets flagged by %s", rc.rule)
				for _, f := range w.of(rc.rule, o.at) {
					for _, m := range o.miss {
						assert.NotEqual(t, m, f.TargetID, "near miss %s flagged", m)
					}
					assert.NotEmpty(t, f.Message)
					assert.Equal(t, rc.rule, f.Rule.ID)
					assert.Equal(t, f.Rule.Severity, f.Severity)
				}
				if rc.more != nil {
					rc.more(t, w, o)
				}
			})
		})
	}
}

// TestEveryRuleHasACase keeps the catalogue and the cases in step.
func TestEveryRuleHasACase(t *testing.T) {
	covered := map[string]bool{}
	for _, rc := range ruleCases {
		covered[rc.rule] = true
	}
	// ropa.gap is reported by internal/ropa through Checker.Also and
	// tested there (TestGapsAreFindings).
	covered[compliance.RuleRecordGap] = true
	for _, r := range compliance.Rules() {
		assert.True(t, covered[r.ID], "no case for %s", r.ID)
	}
}

// TestCleanWorld checks that a compliant set-up raises nothing.
func TestCleanWorld(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		eu := w.vendor("Host", "FR")
		w.transfer(w.us, eu, flow{})
		indus := w.vendor("Indus", "IN")
		tr := w.transfer(w.us, indus, flow{mechanism: scc, contract: w.scc(contract.SccModuleC2p, w.us, indus)})
		w.tia(tr, day(2025, 1, 1), day(2027, 1, 1))
		sub := w.vendor("Sub", "FR")
		w.transfer(eu, sub, flow{role: subprocessor})
		w.change(eu, sub, day(2023, 10, 1), since)
		u := w.user()
		w.choose(u, "marketing", nil, consent.DecisionGranted, false, day(2025, 1, 1))
		w.record(u, "contact.email", w.us, day(2025, 1, 2), "marketing", "service")
		w.request("R-1", requestSpec{received: day(2026, 6, 1)})
		assert.Empty(t, w.check(now))
	})
}
