package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/assessment"
	"github.com/privhub/privhub/ent/securitymeasure"
	"github.com/privhub/privhub/ent/subprocessorchange"
	"github.com/privhub/privhub/internal/pulid"
)

// changeSpec is a processor's notice that it added a subprocessor.
type changeSpec struct {
	processor, sub    string
	notified, engaged time.Time
}

// subprocessorChangeTable lists a notice for every subprocessor: all engaged at
// least 30 days after notice, except Kestrel Ops (S05), engaged five days
// after its notice of 2026-05-15 under a 30-day Clause 9 notice period.
var subprocessorChangeTable = []changeSpec{
	{processor: "V10", sub: "S09", notified: date(2019, 10, 1), engaged: date(2019, 11, 18)},
	{processor: "V01", sub: "S01", notified: date(2020, 2, 10), engaged: date(2020, 3, 13)},
	{processor: "S01", sub: "S02", notified: date(2021, 4, 15), engaged: date(2021, 6, 1)},
	{processor: "S09", sub: "S10", notified: date(2021, 7, 19), engaged: date(2021, 9, 1)},
	{processor: "V04", sub: "S06", notified: date(2021, 11, 22), engaged: date(2022, 1, 10)},
	{processor: "V05", sub: "S07", notified: date(2023, 7, 27), engaged: date(2023, 9, 1)},
	{processor: "V02", sub: "S04", notified: date(2023, 8, 30), engaged: date(2023, 10, 2)},
	{processor: "S07", sub: "S08", notified: date(2023, 12, 18), engaged: date(2024, 2, 1)},
	{processor: "S02", sub: "S03", notified: date(2024, 2, 1), engaged: date(2024, 3, 15)},
	{processor: "V14", sub: "S11", notified: date(2025, 1, 27), engaged: date(2025, 3, 3)},
	{processor: "S04", sub: "S05", notified: date(2026, 5, 15), engaged: date(2026, 5, 20)},
}

// loadSubprocessorChanges writes the subprocessor notices.
func (b *builder) loadSubprocessorChanges(ctx context.Context) error {
	creates := make([]*ent.SubprocessorChangeCreate, 0, len(subprocessorChangeTable))
	for _, c := range subprocessorChangeTable {
		creates = append(creates, b.tx.SubprocessorChange.Create().
			SetProcessorID(b.vendors[c.processor]).
			SetSubprocessorID(b.vendors[c.sub]).
			SetKind(subprocessorchange.KindAdded).
			SetNotifiedAt(c.notified.Add(9*time.Hour)).
			SetEngagedAt(c.engaged).
			SetObjectionDeadline(c.notified.AddDate(0, 0, 30)).
			SetOutcome(subprocessorchange.OutcomeAccepted))
	}
	if _, err := b.tx.SubprocessorChange.CreateBulk(creates...).Save(ctx); err != nil {
		return fmt.Errorf("creating subprocessor changes: %w", err)
	}
	return nil
}

// reviewSpec is a vendor review.
type reviewSpec struct {
	vendor   string
	at       time.Time
	outcome  assessment.Outcome
	findings string
}

// vendorReviews keeps every vendor within its cadence (HIGH 12 months,
// MEDIUM 24, LOW 36) as of 2025-06-01, 2026-01-15 and 2026-06-30, except
// ExamPoint (V15), high risk and last reviewed on 2024-05-10.
var vendorReviews = []reviewSpec{
	{vendor: "V01", at: date(2024, 11, 20)}, {vendor: "V01", at: date(2025, 11, 12)},
	{vendor: "V02", at: date(2025, 2, 10)}, {vendor: "V02", at: date(2026, 2, 3)},
	{vendor: "V03", at: date(2024, 10, 28)}, {vendor: "V03", at: date(2025, 10, 20)},
	{vendor: "V05", at: date(2025, 1, 22)}, {vendor: "V05", at: date(2026, 1, 19)},
	{vendor: "V15", at: date(2023, 5, 2)},
	{vendor: "V15", at: date(2024, 5, 10), outcome: assessment.OutcomeConditional,
		findings: "Proctoring recordings kept longer than agreed; ExamPoint committed to a 90-day limit."},
	{vendor: "V04", at: date(2025, 3, 18)}, {vendor: "V06", at: date(2024, 11, 5)}, {vendor: "V07", at: date(2025, 2, 26)},
	{vendor: "V08", at: date(2024, 12, 9)}, {vendor: "V09", at: date(2025, 4, 14)}, {vendor: "V10", at: date(2024, 10, 15)},
	{vendor: "V11", at: date(2025, 5, 6)}, {vendor: "V14", at: date(2025, 1, 13)}, {vendor: "V16", at: date(2024, 9, 23)},
	{vendor: "V18", at: date(2025, 10, 14)}, {vendor: "V19", at: date(2025, 9, 29)}, {vendor: "V20", at: date(2024, 11, 18)},
	{vendor: "V22", at: date(2025, 11, 10)},
	{vendor: "V12", at: date(2024, 3, 4)}, {vendor: "V13", at: date(2024, 6, 17)}, {vendor: "V17", at: date(2023, 11, 27)},
	{vendor: "V21", at: date(2025, 11, 3)}, {vendor: "V23", at: date(2024, 8, 26)}, {vendor: "V24", at: date(2024, 9, 9)},
	{vendor: "V25", at: date(2024, 2, 19)},
	{vendor: "S01", at: date(2024, 9, 9)}, {vendor: "S04", at: date(2025, 4, 14)}, {vendor: "S05", at: date(2026, 5, 18)},
	{vendor: "S07", at: date(2024, 7, 15)}, {vendor: "S08", at: date(2025, 1, 13)}, {vendor: "S09", at: date(2024, 12, 2)},
	{vendor: "S02", at: date(2023, 9, 18)}, {vendor: "S03", at: date(2024, 3, 4)}, {vendor: "S06", at: date(2023, 11, 13)},
	{vendor: "S10", at: date(2024, 6, 24)}, {vendor: "S11", at: date(2025, 1, 20)},
	{vendor: venue, at: date(2026, 3, 20), outcome: assessment.OutcomeConditional,
		findings: "Reviewed after the Doha side event: adequate guest-data handling; how Summit Loop sent the guest list is still open."},
}

// tiaSpec is a transfer impact assessment (SCC Clause 14).
type tiaSpec struct {
	transfer string
	at       time.Time
	outcome  assessment.Outcome
	findings string
}

// tias covers every transfer that relies on SCCs, as main or fallback
// mechanism, except Aegis Shield's (V03) and Kestrel Ops' (S05). Each is
// re-evaluated every two years and none is due before 2026-06-30.
var tias = []tiaSpec{
	{transfer: "E1-E3", at: date(2024, 9, 16), findings: "Support data only; FISA 702 exposure mitigated by encryption and access reviews."},
	{transfer: "E1-E4", at: date(2024, 10, 7), findings: "Tickets pseudonymised before agents see them."},
	{transfer: "E1-E5", at: date(2025, 7, 7), findings: "CRM access only; no government access requests received by the group."},
	{transfer: "E1-E6", at: date(2025, 1, 20), findings: "CRM access only."},
	{transfer: "E1-E8-SCC", at: date(2024, 11, 4), findings: "LGPD offers essentially equivalent protection; adequacy expected."},
	{transfer: "E1-V02", at: date(2025, 2, 24), findings: "Fallback analysis should the Data Privacy Framework fall; keys held by Lumora."},
	{transfer: "E1-V11", at: date(2025, 3, 10), findings: "Phone numbers only; Australian Privacy Act applies."},
	{transfer: "E1-V15", at: date(2024, 8, 12), outcome: assessment.OutcomeConditional,
		findings: "Exam results and proctoring data; supplementary measures agreed (encryption at rest, EU-held keys)."},
	{transfer: "E1-V19", at: date(2025, 10, 1), findings: "Attendee lists only, deleted 12 months after the event."},
	{transfer: "E1-V20", at: date(2024, 11, 25), findings: "Attendee lists only; DPDP Act 2023 rules not yet in force."},
	{transfer: "V02-S04", at: date(2025, 4, 14), findings: "Singapore PDPA; encrypted storage only."},
	{transfer: "S07-S08", at: date(2025, 1, 13), findings: "Tokenised card data; no direct identifiers."},
	{transfer: "V10-S09", at: date(2025, 2, 3), findings: "E-mail addresses in transit only."},
	{transfer: "S11-V25", at: date(2025, 2, 24), findings: "Recordings of partner webinars returned to their controller."},
}

// loadAssessments writes the vendor reviews and the transfer impact assessments.
func (b *builder) loadAssessments(ctx context.Context) error {
	tiers := map[string]int{}
	for _, v := range vendorTable {
		tiers[v.key] = cadenceMonths(v.tier)
	}
	var creates []*ent.AssessmentCreate
	for _, r := range vendorReviews {
		outcome := r.outcome
		if outcome == "" {
			outcome = assessment.OutcomePass
		}
		findings := r.findings
		if findings == "" {
			findings = "Questionnaire, certifications and security measures reviewed; no open issue."
		}
		creates = append(creates, b.tx.Assessment.Create().
			SetKind(assessment.KindVendorReview).
			SetVendorID(b.vendors[r.vendor]).
			SetPerformedAt(r.at.Add(10*time.Hour)).
			SetOutcome(outcome).
			SetFindings(findings).
			SetNextDue(r.at.AddDate(0, tiers[r.vendor], 0)).
			SetPerformedBy("Lumora privacy office"))
	}
	for _, t := range tias {
		id, ok := b.transfers[t.transfer]
		if !ok {
			return fmt.Errorf("TIA of unknown transfer %s", t.transfer)
		}
		outcome := t.outcome
		if outcome == "" {
			outcome = assessment.OutcomePass
		}
		creates = append(creates, b.tx.Assessment.Create().
			SetKind(assessment.KindTia).
			SetTransferID(id).
			SetPerformedAt(t.at.Add(10*time.Hour)).
			SetOutcome(outcome).
			SetFindings(t.findings).
			SetNextDue(t.at.AddDate(2, 0, 0)).
			SetPerformedBy("Lumora privacy office with outside counsel"))
	}
	if _, err := b.tx.Assessment.CreateBulk(creates...).Save(ctx); err != nil {
		return fmt.Errorf("creating assessments: %w", err)
	}
	return nil
}

// measureSpec is a security measure and who it is on record for; "*" stands
// for every organization or every vendor.
type measureSpec struct {
	name        string
	kind        securitymeasure.Kind
	topic       securitymeasure.Topic
	description string
	verified    time.Time
	orgs        []string
	vendors     []string
	transfers   []string
}

var every = []string{"*"}

// measures gives every organization and every vendor at least the baseline
// of encryption in transit and access control.
var measures = []measureSpec{
	{name: "TLS 1.2 or later for data in transit", kind: securitymeasure.KindTechnical, topic: securitymeasure.TopicEncryption,
		verified: date(2026, 3, 2), orgs: every, vendors: every},
	{name: "Role-based access control with multi-factor authentication", kind: securitymeasure.KindTechnical,
		topic: securitymeasure.TopicAccessControl, verified: date(2026, 3, 2), orgs: every, vendors: every},
	{name: "Security and privacy awareness training", kind: securitymeasure.KindOrganisational, topic: securitymeasure.TopicTraining,
		description: "Yearly training with a test for every employee with access to personal data.",
		verified:    date(2026, 1, 30), orgs: every},
	{name: "Incident response plan with 24-hour breach notice", kind: securitymeasure.KindOrganisational,
		topic: securitymeasure.TopicIncidentResponse, verified: date(2025, 12, 1), orgs: every,
		vendors: strs("V01", "V02", "V03", "V04", "V05", "V06", "V07", "V08", "V10", "V11", "V12", "V13", "V14", "V15", "V17",
			"S01", "S04", "S05", "S07", "S08", "S09", "S11")},
	{name: "AES-256 encryption at rest", kind: securitymeasure.KindTechnical, topic: securitymeasure.TopicEncryption,
		verified: date(2026, 1, 12), orgs: strs("E1", "E2"),
		vendors: strs("V01", "V02", "V04", "V05", "V06", "V10", "V14", "V15", "S01", "S04", "S06", "S07", "S11")},
	{name: "Customer-managed encryption keys", kind: securitymeasure.KindTechnical, topic: securitymeasure.TopicEncryption,
		description: "Keys held in Lumora's HSM in Belgium; the provider cannot decrypt.",
		verified:    date(2026, 2, 3), vendors: strs("V02", "V04"), transfers: strs("E1-V02", "V02-S04", "E1-V04")},
	{name: "Certified information security management system (ISO/IEC 27001)", kind: securitymeasure.KindOrganisational,
		topic: securitymeasure.TopicAudit, verified: date(2025, 11, 12), orgs: strs("E1"),
		vendors: strs("V01", "V02", "V04", "V05", "V10", "S01", "S04", "S06", "S08")},
	{name: "Yearly external penetration test", kind: securitymeasure.KindTechnical, topic: securitymeasure.TopicPentest,
		verified: date(2026, 4, 14), orgs: strs("E1"), vendors: strs("V01", "V02", "V03", "V05", "V08")},
	{name: "24/7 security operations centre", kind: securitymeasure.KindTechnical, topic: securitymeasure.TopicMonitoring,
		verified: date(2026, 2, 20), orgs: strs("E1", "E3", "E4"), vendors: strs("V01", "V02", "V03")},
	{name: "Nightly encrypted backups kept 12 months", kind: securitymeasure.KindTechnical, topic: securitymeasure.TopicBackup,
		verified: date(2026, 5, 4), orgs: strs("E1"), vendors: strs("V04", "S06")},
	{name: "Pseudonymous analytics identifiers, IP addresses truncated", kind: securitymeasure.KindTechnical,
		topic: securitymeasure.TopicPseudonymisation, verified: date(2025, 10, 6), vendors: strs("V08", "V09"),
		transfers: strs("E1-V08", "E1-V09")},
	{name: "Physical access control to data centres", kind: securitymeasure.KindOrganisational,
		topic: securitymeasure.TopicPhysicalSecurity, verified: date(2025, 9, 15),
		vendors: strs("V01", "V02", "V04", "S01", "S02", "S03", "S04", "S06")},
	{name: "Web application firewall and DDoS mitigation", kind: securitymeasure.KindTechnical, topic: securitymeasure.TopicFirewall,
		verified: date(2026, 3, 2), orgs: strs("E1"), vendors: strs("V03")},
	{name: "Access logging with 60-day retention", kind: securitymeasure.KindTechnical, topic: securitymeasure.TopicLogging,
		verified: date(2026, 3, 2), orgs: strs("E1")},
}

// loadSecurityMeasures writes the measures and attaches them.
func (b *builder) loadSecurityMeasures(ctx context.Context) error {
	var orgKeys, vendorKeys []string
	for _, o := range group {
		orgKeys = append(orgKeys, o.key)
	}
	for _, v := range vendorTable {
		vendorKeys = append(vendorKeys, v.key)
	}
	resolve := func(keys, every []string, ids map[string]pulid.ID) ([]pulid.ID, error) {
		if len(keys) == 1 && keys[0] == "*" {
			keys = every
		}
		out := make([]pulid.ID, 0, len(keys))
		for _, k := range keys {
			id, ok := ids[k]
			if !ok {
				return nil, fmt.Errorf("unknown key %s", k)
			}
			out = append(out, id)
		}
		return out, nil
	}
	for _, m := range measures {
		orgs, err := resolve(m.orgs, orgKeys, b.orgs)
		if err != nil {
			return fmt.Errorf("creating security measure %q: %w", m.name, err)
		}
		vendors, err := resolve(m.vendors, vendorKeys, b.vendors)
		if err != nil {
			return fmt.Errorf("creating security measure %q: %w", m.name, err)
		}
		transfers, err := resolve(m.transfers, nil, b.transfers)
		if err != nil {
			return fmt.Errorf("creating security measure %q: %w", m.name, err)
		}
		c := b.tx.SecurityMeasure.Create().
			SetName(m.name).
			SetKind(m.kind).
			SetTopic(m.topic).
			SetVerifiedAt(m.verified).
			AddOrganizationIDs(orgs...).
			AddVendorIDs(vendors...).
			AddTransferIDs(transfers...)
		if m.description != "" {
			c.SetDescription(m.description)
		}
		if _, err := c.Save(ctx); err != nil {
			return fmt.Errorf("creating security measure %q: %w", m.name, err)
		}
	}
	return nil
}
