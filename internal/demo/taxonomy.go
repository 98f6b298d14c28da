package demo

import (
	"context"
	"fmt"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/datacategory"
	"github.com/privhub/privhub/ent/purpose"
	"github.com/privhub/privhub/ent/retentionrule"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/vocab"
)

// categorySpec is a node of the taxonomy. A group node has a one-segment key
// ("contact" is the parent of "contact.email"): a transfer that carries
// contact carries every contact detail.
type categorySpec struct {
	key, name, parent string
	special           bool
	description       string
}

// categories lists the taxonomy, parents before their children.
var categories = []categorySpec{
	{key: "identity", name: "Identity", description: "Who the person is."},
	{key: "contact", name: "Contact details", description: "How to reach the person."},
	{key: "credentials", name: "Credentials", description: "Secrets that authenticate the person."},
	{key: "billing", name: "Billing", description: "Invoices, tax identifiers and payment instruments."},
	{key: "device", name: "Device and browser", description: "Technical data about the person's devices."},
	{key: "cookies", name: "Cookies", description: "Identifiers stored in the person's browser."},
	{key: "logs", name: "Logs", description: "Records of requests made to our services."},
	{key: "diagnostics", name: "Diagnostics", description: "Data sent when the software misbehaves."},
	{key: "support", name: "Support", description: "Conversations with our support teams."},
	{key: "event", name: "Events", description: "Registration to Lumora events and what the organiser needs to know."},
	{key: "training", name: "Training", description: "Courses and certification."},
	{key: "recruitment", name: "Recruitment", description: "Job applications."},
	{key: "consent", name: "Consent", description: "Proof of the person's choices."},
	{key: "backup", name: "Backups", description: "Copies kept to restore the service."},

	{key: "identity.name", name: "Name", parent: "identity"},
	{key: "contact.email", name: "E-mail address", parent: "contact"},
	{key: "contact.phone", name: "Phone number", parent: "contact"},
	{key: "contact.company", name: "Company and job title", parent: "contact"},
	{key: "contact.address", name: "Postal address", parent: "contact"},
	{key: "credentials.password_hash", name: "Password hash", parent: "credentials",
		description: "Argon2id hash of the account password; the password itself is never stored."},
	{key: "billing.invoice", name: "Invoice", parent: "billing"},
	{key: "billing.vat_id", name: "VAT identification number", parent: "billing"},
	{key: "billing.payment_token", name: "Payment token", parent: "billing",
		description: "The payment provider's token for a card or mandate; card numbers never reach Lumora."},
	{key: "device.metadata", name: "Device metadata", parent: "device", description: "IP address, operating system, device type."},
	{key: "device.browser", name: "Browser metadata", parent: "device", description: "User agent, language, screen size, push subscription."},
	{key: "cookies.analytics", name: "Analytics cookie identifiers", parent: "cookies"},
	{key: "cookies.functional", name: "Functional cookies", parent: "cookies"},
	{key: "logs.access", name: "Application access logs", parent: "logs"},
	{key: "logs.edge", name: "CDN edge logs", parent: "logs", description: "Requests seen by the CDN: IP address, URL, user agent."},
	{key: "diagnostics.crash", name: "Crash reports", parent: "diagnostics"},
	{key: "support.ticket", name: "Support tickets", parent: "support"},
	{key: "event.registration", name: "Event registration", parent: "event"},
	{key: "event.accessibility", name: "Accessibility needs", parent: "event", special: true,
		description: "Health data (Art. 9 GDPR): mobility, hearing or sight needs declared for an event."},
	{key: "event.dietary", name: "Dietary requirements", parent: "event", special: true,
		description: "Health data (Art. 9 GDPR) when it reveals allergies or conditions."},
	{key: "training.exam_result", name: "Exam results", parent: "training"},
	{key: "recruitment.cv", name: "CV and cover letter", parent: "recruitment"},
	{key: "consent.record", name: "Consent records", parent: "consent"},
	{key: "backup.snapshot", name: "Backup snapshots", parent: "backup",
		description: "Encrypted nightly snapshots of the service database."},
}

// purposeSpec is a processing activity of Lumora SA.
type purposeSpec struct {
	key, name   string
	basis       purpose.LegalBasis
	basisNote   string
	kinds       []vocab.SubjectKind
	optOut      bool
	marketing   bool
	retention   string
	description string
	categories  []string
}

var (
	everyone = []vocab.SubjectKind{vocab.SubjectCustomer, vocab.SubjectProspect, vocab.SubjectEventRegistrant,
		vocab.SubjectTrainee, vocab.SubjectJobApplicant, vocab.SubjectWebsiteVisitor, vocab.SubjectPartnerContact}
	accountHolders = []vocab.SubjectKind{vocab.SubjectCustomer, vocab.SubjectTrainee, vocab.SubjectPartnerContact}
)

// purposes lists the ten processing activities of DEMO.md.
var purposes = []purposeSpec{
	{key: "service", name: "Registration and service delivery", basis: purpose.LegalBasisContract,
		kinds: accountHolders, retention: "For the contract, then 3 weeks after cancellation.",
		categories: []string{"identity.name", "contact", "credentials", "device", "cookies.functional", "diagnostics"}},
	{key: "billing", name: "Billing and tax", basis: purpose.LegalBasisLegalObligation,
		basisNote:  "Belgian accounting and VAT law.",
		kinds:      []vocab.SubjectKind{vocab.SubjectCustomer},
		retention:  "Invoices 7 years after the end of the fiscal year, also after an erasure request (Art. 17(3)(b)).",
		categories: []string{"identity.name", "contact.email", "contact.company", "contact.address", "billing"}},
	{key: "support", name: "Support and service communications", basis: purpose.LegalBasisContract,
		basisNote: "Contract for customers; legitimate interests for service notices to other users.",
		kinds:     accountHolders, retention: "3 years.",
		categories: []string{"identity.name", "contact.email", "contact.phone", "support", "diagnostics"}},
	{key: "marketing", name: "Marketing e-mail", basis: purpose.LegalBasisConsent,
		basisNote: "Consent; every message carries an opt-out link.",
		kinds:     []vocab.SubjectKind{vocab.SubjectCustomer, vocab.SubjectProspect, vocab.SubjectEventRegistrant, vocab.SubjectTrainee},
		optOut:    true, marketing: true, retention: "Until opt-out, then 30 days.",
		categories: []string{"identity.name", "contact.email", "contact.company"}},
	{key: "analytics", name: "Aggregated, anonymised analytics", basis: purpose.LegalBasisConsent,
		basisNote: "Consent collected by the cookie banner.",
		kinds:     everyone, optOut: true, retention: "Raw data 2 months; aggregates are anonymous.",
		categories: []string{"cookies.analytics", "device.browser"}},
	{key: "security", name: "Security and abuse prevention", basis: purpose.LegalBasisLegitimateInterests,
		kinds: everyone, retention: "Logs 2 months, backups 12 months.",
		categories: []string{"logs", "device.metadata", "backup", "credentials"}},
	{key: "events", name: "Event coordination, sharing with the organiser and sponsors", basis: purpose.LegalBasisContract,
		basisNote: "Contract for the organiser; consent, recorded per sponsor, for sharing with sponsors; explicit consent for accessibility and dietary needs; an opt-out is honoured.",
		kinds:     []vocab.SubjectKind{vocab.SubjectEventRegistrant, vocab.SubjectCustomer, vocab.SubjectProspect},
		optOut:    true, retention: "Until 12 months after the event.",
		categories: []string{"identity.name", "contact.email", "contact.company", "event"}},
	{key: "partners", name: "Referral to certified partners", basis: purpose.LegalBasisLegitimateInterests,
		basisNote: "Legitimate interests; an objection is honoured.",
		kinds:     []vocab.SubjectKind{vocab.SubjectCustomer, vocab.SubjectProspect, vocab.SubjectPartnerContact},
		optOut:    true, retention: "12 months after the last referral.",
		categories: []string{"identity.name", "contact.email", "contact.company"}},
	{key: "training", name: "Training and certification", basis: purpose.LegalBasisContract,
		kinds: []vocab.SubjectKind{vocab.SubjectTrainee, vocab.SubjectCustomer}, retention: "5 years.",
		categories: []string{"identity.name", "contact.email", "training"}},
	{key: "recruitment", name: "Recruitment", basis: purpose.LegalBasisContract,
		basisNote: "Steps prior to an employment contract; legitimate interests for keeping an application on file.",
		kinds:     []vocab.SubjectKind{vocab.SubjectJobApplicant}, retention: "24 months after the application if not hired.",
		categories: []string{"identity.name", "contact.email", "contact.phone", "recruitment"}},
}

// ruleSpec is a retention rule; purpose may be empty.
type ruleSpec struct {
	category, purpose string
	period            string
	trigger           retentionrule.Trigger
	action            retentionrule.Action
	basis             string
	overridesErasure  bool
}

// retentionRules implements the purposes' retention summaries.
var retentionRules = []ruleSpec{
	{category: "identity.name", purpose: "service", period: "P3W", trigger: retentionrule.TriggerAccountClosure, basis: "Contract plus 3 weeks to handle reactivation and final invoicing."},
	{category: "contact.email", purpose: "service", period: "P3W", trigger: retentionrule.TriggerAccountClosure},
	{category: "contact.phone", purpose: "service", period: "P3W", trigger: retentionrule.TriggerAccountClosure},
	{category: "contact.company", purpose: "service", period: "P3W", trigger: retentionrule.TriggerAccountClosure},
	{category: "contact.address", purpose: "service", period: "P3W", trigger: retentionrule.TriggerAccountClosure},
	{category: "credentials.password_hash", purpose: "service", period: "P3W", trigger: retentionrule.TriggerAccountClosure},
	{category: "billing.invoice", purpose: "billing", period: "P7Y", trigger: retentionrule.TriggerFiscalYearEnd,
		basis: "Belgian Code of Economic Law (Book III) and VAT Code: invoices and accounting records are kept 7 years after the close of the fiscal year.", overridesErasure: true},
	{category: "billing.vat_id", purpose: "billing", period: "P3W", trigger: retentionrule.TriggerAccountClosure,
		basis: "Master data; the number stays on the invoices, which are kept under their own rule."},
	{category: "billing.payment_token", purpose: "billing", period: "P3W", trigger: retentionrule.TriggerAccountClosure},
	{category: "support.ticket", purpose: "support", period: "P3Y", trigger: retentionrule.TriggerCollection},
	{category: "diagnostics.crash", purpose: "support", period: "P6M", trigger: retentionrule.TriggerCollection},
	{category: "contact.email", purpose: "marketing", period: "P30D", trigger: retentionrule.TriggerOptOut,
		basis: "Suppression list kept 30 days after an opt-out, then the address is removed from marketing."},
	{category: "cookies.analytics", purpose: "analytics", period: "P2M", trigger: retentionrule.TriggerCollection, action: retentionrule.ActionAnonymize,
		basis: "Raw identifiers for 2 months, then only anonymous aggregates."},
	{category: "device.browser", purpose: "service", period: "P12M", trigger: retentionrule.TriggerCollection},
	{category: "device.metadata", purpose: "security", period: "P12M", trigger: retentionrule.TriggerCollection},
	{category: "cookies.functional", purpose: "service", period: "P12M", trigger: retentionrule.TriggerCollection},
	{category: "logs.access", purpose: "security", period: "P2M", trigger: retentionrule.TriggerCollection},
	{category: "logs.edge", purpose: "security", period: "P2M", trigger: retentionrule.TriggerCollection,
		basis: "Edge logs are needed for 60 days of abuse investigation at most."},
	{category: "backup.snapshot", purpose: "security", period: "P12M", trigger: retentionrule.TriggerCollection},
	{category: "event.registration", purpose: "events", period: "P12M", trigger: retentionrule.TriggerEventEnd},
	{category: "event.accessibility", purpose: "events", period: "P12M", trigger: retentionrule.TriggerEventEnd},
	{category: "event.dietary", purpose: "events", period: "P12M", trigger: retentionrule.TriggerEventEnd},
	{category: "contact.company", purpose: "partners", period: "P12M", trigger: retentionrule.TriggerLastUse},
	{category: "training.exam_result", purpose: "training", period: "P5Y", trigger: retentionrule.TriggerCollection,
		basis: "Certificates can be verified for 5 years."},
	{category: "recruitment.cv", purpose: "recruitment", period: "P24M", trigger: retentionrule.TriggerCollection,
		basis: "Applicants who were not hired: 24 months, as announced in the recruitment privacy notice."},
	{category: "consent.record", period: "P3Y", trigger: retentionrule.TriggerAccountClosure,
		basis: "Proof of consent (Art. 7(1) GDPR) for the limitation period."},
}

// loadTaxonomy writes the categories, purposes and retention rules, reusing any
// category or purpose a seed already created under the same key.
func (b *builder) loadTaxonomy(ctx context.Context) error {
	if err := b.writeCategories(ctx); err != nil {
		return err
	}
	if err := b.writePurposes(ctx); err != nil {
		return err
	}
	return b.writeRetentionRules(ctx)
}

func (b *builder) writeCategories(ctx context.Context) error {
	keys := make([]string, len(categories))
	for i, c := range categories {
		keys[i] = c.key
	}
	existing, err := b.tx.DataCategory.Query().Where(datacategory.KeyIn(keys...)).All(ctx)
	if err != nil {
		return fmt.Errorf("reading existing data categories: %w", err)
	}
	for _, c := range existing {
		b.categories[c.Key] = c.ID
	}
	for _, c := range categories {
		if _, ok := b.categories[c.key]; ok {
			continue
		}
		cr := b.tx.DataCategory.Create().SetKey(c.key).SetName(c.name)
		if c.parent != "" {
			parent, err := b.category(c.parent)
			if err != nil {
				return fmt.Errorf("creating data category %s: %w", c.key, err)
			}
			cr.SetParentID(parent)
		}
		if c.special {
			cr.SetSensitivity(datacategory.SensitivitySpecial)
		}
		if c.description != "" {
			cr.SetDescription(c.description)
		}
		created, err := cr.Save(ctx)
		if err != nil {
			return fmt.Errorf("creating data category %s: %w", c.key, err)
		}
		b.categories[c.key] = created.ID
	}
	return nil
}

func (b *builder) writePurposes(ctx context.Context) error {
	keys := make([]string, len(purposes))
	for i, p := range purposes {
		keys[i] = p.key
	}
	existing, err := b.tx.Purpose.Query().Where(purpose.KeyIn(keys...)).All(ctx)
	if err != nil {
		return fmt.Errorf("reading existing purposes: %w", err)
	}
	for _, p := range existing {
		b.purposes[p.Key] = p.ID
	}
	for _, p := range purposes {
		if _, ok := b.purposes[p.key]; ok {
			continue
		}
		cats, err := b.categoryIDs(p.categories)
		if err != nil {
			return fmt.Errorf("creating purpose %s: %w", p.key, err)
		}
		created, err := b.tx.Purpose.Create().
			SetKey(p.key).
			SetName(p.name).
			SetLegalBasis(p.basis).
			SetLegalBasisNote(p.basisNote).
			SetSubjectKinds(p.kinds).
			SetOptOutAllowed(p.optOut).
			SetMarketing(p.marketing).
			SetRetentionSummary(p.retention).
			SetDescription(p.description).
			AddCategoryIDs(cats...).
			Save(ctx)
		if err != nil {
			return fmt.Errorf("creating purpose %s: %w", p.key, err)
		}
		b.purposes[p.key] = created.ID
	}
	return nil
}

func (b *builder) writeRetentionRules(ctx context.Context) error {
	existing, err := b.tx.RetentionRule.Query().All(ctx)
	if err != nil {
		return fmt.Errorf("reading existing retention rules: %w", err)
	}
	type pair struct{ category, purpose pulid.ID }
	have := map[pair]bool{}
	for _, r := range existing {
		p := pair{category: r.CategoryID}
		if r.PurposeID != nil {
			p.purpose = *r.PurposeID
		}
		have[p] = true
	}
	var creates []*ent.RetentionRuleCreate
	for _, r := range retentionRules {
		cat, err := b.category(r.category)
		if err != nil {
			return fmt.Errorf("creating retention rule for %s: %w", r.category, err)
		}
		c := b.tx.RetentionRule.Create().
			SetCategoryID(cat).
			SetPeriod(r.period).
			SetTrigger(r.trigger).
			SetOverridesErasure(r.overridesErasure)
		p := pair{category: cat}
		if r.purpose != "" {
			ids, err := b.purposeIDs([]string{r.purpose})
			if err != nil {
				return fmt.Errorf("creating retention rule for %s: %w", r.category, err)
			}
			c.SetPurposeID(ids[0])
			p.purpose = ids[0]
		}
		if have[p] {
			continue
		}
		if r.action != "" {
			c.SetAction(r.action)
		}
		if r.basis != "" {
			c.SetLegalBasis(r.basis)
		}
		creates = append(creates, c)
	}
	if _, err := b.tx.RetentionRule.CreateBulk(creates...).Save(ctx); err != nil {
		return fmt.Errorf("creating retention rules: %w", err)
	}
	return nil
}
