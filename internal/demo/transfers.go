package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/vocab"
)

// transferSpec is one flow of DEMO.md. The transfer relies on the clauses of
// its governing contract that are marked relied.
type transferSpec struct {
	key, name         string
	from, to          string // holder keys
	role              vocab.ProcessingRole
	country           string
	mechanism         vocab.Mechanism
	fallback          vocab.Mechanism
	contract          string
	categories        []string
	purposes          []string
	safeguards        []vocab.Safeguard
	honoursOptOuts    bool
	activeFrom, until time.Time // until is active_until; zero when open-ended
	description       string
}

// Mechanisms, shortened for the table.
const (
	intraEEA = vocab.MechanismIntraEEA
	adequacy = vocab.MechanismAdequacy
	sccMech  = vocab.MechanismSCC
	noMech   = vocab.MechanismNone
)

var (
	// platform is what the hosting chain stores. Special-category answers
	// (accessibility, dietary needs) are kept in Lumora's event tool and
	// only reach the Madrid organiser.
	platform = []string{"identity.name", "contact", "credentials", "billing", "device", "cookies.functional",
		"logs.access", "diagnostics", "support", "event.registration", "training", "consent"}
	platformPurposes = []string{"service", "billing", "support", "marketing", "security", "events", "training"}
	contactCard      = []string{"identity.name", "contact.email", "contact.company"}
	salesCRM         = []string{"identity.name", "contact.email", "contact.phone", "contact.company"}
	supportDesk      = []string{"identity.name", "contact.email", "contact.phone", "contact.company", "support.ticket"}
	attendees        = []string{"identity.name", "contact.email", "contact.company", "event.registration"}

	standard  = []vocab.Safeguard{vocab.SafeguardEncryptionInTransit, vocab.SafeguardEncryptionAtRest, vocab.SafeguardAccessControls}
	abroad    = append(standard[:3:3], vocab.SafeguardTransparencyReports, vocab.SafeguardGovernmentAccessPolicy)
	minimised = []vocab.Safeguard{vocab.SafeguardEncryptionInTransit, vocab.SafeguardPseudonymisation, vocab.SafeguardDataMinimisation}
)

func strs(s ...string) []string { return s }

// transferTable lists every flow: Lumora SA to each group entity and each
// vendor, every subprocessor chain to its full depth, the module 4 return
// flow and the onward hop to the Doha venue.
var transferTable = []transferSpec{
	// Within the group.
	{key: "E1-E2", from: "E1", to: "E2", role: processor, country: "LU", mechanism: intraEEA, contract: "IG-DPA",
		categories: strs("identity.name", "contact.email", "contact.company", "contact.address", "billing"), purposes: strs("billing"),
		safeguards: standard, activeFrom: date(2021, 10, 1), name: "Billing operations in Luxembourg"},
	{key: "E1-E3", from: "E1", to: "E3", role: processor, country: "US", mechanism: sccMech, contract: "IG-SCC",
		categories: supportDesk, purposes: strs("service", "support"), safeguards: abroad, activeFrom: date(2021, 10, 4),
		name: "Sales and support by Lumora Inc."},
	{key: "E1-E4", from: "E1", to: "E4", role: processor, country: "IN", mechanism: sccMech, contract: "IG-SCC",
		categories: strs("identity.name", "contact.email", "support.ticket", "diagnostics.crash"), purposes: strs("support"),
		safeguards: append(abroad[:5:5], vocab.SafeguardPseudonymisation), activeFrom: date(2022, 3, 7), name: "24/7 support from India"},
	{key: "E1-E5", from: "E1", to: "E5", role: processor, country: "HK", mechanism: sccMech, contract: "IG-SCC",
		categories: salesCRM, purposes: strs("service"), safeguards: abroad, activeFrom: date(2025, 7, 14),
		name:        "APAC sales by Lumora Asia",
		description: "CRM access for the APAC sales team, opened on 2025-07-14; Lumora Asia acceded to the group SCC on 2025-09-01."},
	{key: "E1-E6", from: "E1", to: "E6", role: processor, country: "AE", mechanism: sccMech, contract: "IG-SCC",
		categories: salesCRM, purposes: strs("service"), safeguards: abroad, activeFrom: date(2023, 2, 6),
		name: "MEA sales by Lumora Middle East"},
	{key: "E1-E7", from: "E1", to: "E7", role: processor, country: "GB", mechanism: adequacy, contract: "IG-DPA",
		categories: supportDesk, purposes: strs("service", "support"), safeguards: standard, activeFrom: date(2021, 11, 2),
		name: "UK sales and support"},
	{key: "E1-E8-SCC", from: "E1", to: "E8", role: processor, country: "BR", mechanism: sccMech, contract: "E8-SCC",
		categories: supportDesk, purposes: strs("service", "support"), safeguards: abroad,
		activeFrom: date(2023, 4, 3), until: date(2026, 1, 25), name: "Brazilian sales and support (SCC period)",
		description: "Relied on the SCCs until Brazil's adequacy decision took effect on 2026-01-26."},
	{key: "E1-E8", from: "E1", to: "E8", role: processor, country: "BR", mechanism: adequacy, contract: "IG-DPA",
		categories: supportDesk, purposes: strs("service", "support"), safeguards: standard,
		activeFrom: date(2026, 1, 26), name: "Brazilian sales and support"},

	// Lumora SA and its processors.
	{key: "E1-V01", from: "E1", to: "V01", role: processor, country: "FR", mechanism: intraEEA, contract: "DPA-V01",
		categories: platform, purposes: platformPurposes, safeguards: standard, activeFrom: date(2020, 3, 16), name: "EU hosting"},
	{key: "E1-V02", from: "E1", to: "V02", role: processor, country: "US", mechanism: adequacy, fallback: sccMech, contract: "SCC-V02",
		categories: platform, purposes: strs("service", "billing", "support", "security"),
		safeguards: append(abroad[:5:5], vocab.SafeguardKeysHeldByExporter), activeFrom: date(2023, 9, 4),
		name:        "Hosting for the Americas and APAC",
		description: "Relies on Stratus Grid's Data Privacy Framework certification; the module 2 SCCs apply should it lapse."},
	{key: "E1-V03", from: "E1", to: "V03", role: processor, country: "US", mechanism: sccMech, contract: "SCC-V03",
		categories: strs("device.metadata", "logs.edge"), purposes: strs("security"),
		safeguards: []vocab.Safeguard{vocab.SafeguardEncryptionInTransit, vocab.SafeguardDataMinimisation}, activeFrom: date(2022, 6, 1),
		name: "CDN and DDoS protection"},
	{key: "E1-V04", from: "E1", to: "V04", role: processor, country: "DE", mechanism: intraEEA, contract: "DPA-V04",
		categories: strs("backup"), purposes: strs("security"),
		safeguards: append(standard[:3:3], vocab.SafeguardKeysHeldByExporter), activeFrom: date(2020, 6, 1), name: "Encrypted backups"},
	{key: "E1-V05", from: "E1", to: "V05", role: processor, country: "IE", mechanism: intraEEA, contract: "DPA-V05",
		categories: strs("identity.name", "contact.email", "contact.address", "billing.payment_token"), purposes: strs("billing"),
		safeguards: standard, activeFrom: date(2020, 1, 6), name: "Card payments (Paywise as processor)"},
	{key: "E1-V05-fraud", from: "E1", to: "V05", role: controller, country: "IE", mechanism: intraEEA, contract: "MSA-V05",
		categories: strs("contact.email", "device.metadata", "billing.payment_token"), purposes: strs("security"),
		safeguards: standard, activeFrom: date(2020, 1, 6), name: "Fraud screening (Paywise as controller)"},
	{key: "E1-V06", from: "E1", to: "V06", role: processor, country: "LU", mechanism: intraEEA, contract: "DPA-V06",
		categories: strs("identity.name", "contact.email", "contact.address", "billing"), purposes: strs("billing"),
		safeguards: standard, activeFrom: date(2020, 1, 6), name: "Recurring billing"},
	{key: "E1-V07", from: "E1", to: "V07", role: processor, country: "NZ", mechanism: adequacy, contract: "DPA-V07",
		categories: strs("identity.name", "contact.email", "billing.payment_token"), purposes: strs("billing"),
		safeguards: standard, activeFrom: date(2022, 8, 1), name: "APAC payments"},
	{key: "E1-V08", from: "E1", to: "V08", role: processor, country: "US", mechanism: adequacy, contract: "DPA-V08",
		categories: strs("cookies.analytics", "device.browser"), purposes: strs("analytics"), safeguards: minimised,
		honoursOptOuts: true, activeFrom: date(2023, 10, 2), name: "Web analytics",
		description: "Tags on lumora.example load only after consent; the tag on community.lumora.example was deployed without the consent manager."},
	{key: "E1-V09", from: "E1", to: "V09", role: processor, country: "IL", mechanism: adequacy,
		categories: strs("cookies.analytics", "device.browser"), purposes: strs("analytics"), safeguards: minimised,
		honoursOptOuts: true, activeFrom: date(2024, 5, 13), name: "Session replay"},
	{key: "E1-V10", from: "E1", to: "V10", role: processor, country: "RO", mechanism: intraEEA, contract: "DPA-V10",
		categories: strs("identity.name", "contact.email"), purposes: strs("service", "support"),
		safeguards: standard, activeFrom: date(2019, 9, 2), name: "Service e-mail"},
	{key: "E1-V10-marketing", from: "E1", to: "V10", role: processor, country: "RO", mechanism: intraEEA, contract: "DPA-V10",
		categories: strs("identity.name", "contact.email"), purposes: strs("marketing"),
		safeguards: standard, honoursOptOuts: true, activeFrom: date(2019, 9, 2), name: "Newsletters"},
	{key: "E1-V11", from: "E1", to: "V11", role: processor, country: "AU", mechanism: sccMech, contract: "SCC-V11",
		categories: strs("identity.name", "contact.phone"), purposes: strs("service", "security"),
		safeguards: abroad, activeFrom: date(2023, 3, 13), name: "SMS and two-factor codes"},
	{key: "E1-V12", from: "E1", to: "V12", role: processor, country: "US", mechanism: adequacy, contract: "DPA-V12",
		categories: strs("device.browser"), purposes: strs("service"), safeguards: standard, activeFrom: date(2024, 2, 5),
		name: "Browser push notifications"},
	{key: "E1-V13", from: "E1", to: "V13", role: processor, country: "US", mechanism: adequacy, contract: "DPA-V13",
		categories: salesCRM, purposes: strs("service"), safeguards: standard, activeFrom: date(2023, 11, 6),
		name:        "Demo scheduling",
		description: "Relies on Slotbook's Data Privacy Framework certification; no SCCs were signed."},
	{key: "E1-V14", from: "E1", to: "V14", role: processor, country: "CA", mechanism: adequacy, contract: "DPA-V14",
		categories: strs("identity.name", "contact.email", "training.exam_result"), purposes: strs("training"),
		safeguards: standard, activeFrom: date(2022, 9, 5), name: "E-learning"},
	{key: "E1-V15", from: "E1", to: "V15", role: processor, country: "IN", mechanism: sccMech, contract: "SCC-V15",
		categories: strs("identity.name", "contact.email", "training.exam_result"), purposes: strs("training"),
		safeguards: abroad, activeFrom: date(2023, 4, 17), name: "Certification exams"},
	{key: "E1-V17", from: "E1", to: "V17", role: processor, country: "CH", mechanism: adequacy, contract: "DPA-V17",
		categories: strs("identity.name", "contact.address", "billing.invoice"), purposes: strs("billing"),
		safeguards: standard, activeFrom: date(2021, 1, 11), name: "Postal invoices"},

	// Independent controllers.
	{key: "E1-V16", from: "E1", to: "V16", role: controller, country: "US", mechanism: adequacy, contract: "MSA-V16",
		categories: strs("contact.email", "contact.company"), purposes: strs("marketing"), safeguards: standard,
		honoursOptOuts: true, activeFrom: date(2024, 1, 8), name: "Company enrichment of leads"},
	{key: "E1-V18", from: "E1", to: "V18", role: controller, country: "ES", mechanism: intraEEA, contract: "MSA-V18",
		categories: append(attendees[:4:4], "event.accessibility", "event.dietary"), purposes: strs("events"),
		safeguards: standard, honoursOptOuts: true, activeFrom: date(2025, 11, 3), name: "Madrid summit organiser"},
	{key: "E1-V19", from: "E1", to: "V19", role: controller, country: "AE", mechanism: sccMech, contract: "SCC-V19",
		categories: attendees, purposes: strs("events"), safeguards: abroad, honoursOptOuts: true, activeFrom: date(2025, 10, 13),
		name: "Dubai summit organiser"},
	{key: "V19-" + venue, from: "V19", to: venue, role: controller, country: "QA", mechanism: noMech,
		categories: strs("identity.name", "event.registration"), purposes: strs("events"), honoursOptOuts: true,
		activeFrom: date(2026, 2, 10), name: "Doha side-event guest list",
		description: "Summit Loop passed the guest list of the Doha side event to the venue; no transfer tool covers this onward transfer."},
	{key: "E1-V20", from: "E1", to: "V20", role: controller, country: "IN", mechanism: sccMech, contract: "SCC-V20",
		categories: attendees, purposes: strs("events"), safeguards: abroad, honoursOptOuts: true, activeFrom: date(2025, 1, 6),
		name: "Mumbai meetup organiser"},
	{key: "E1-V21", from: "E1", to: "V21", role: controller, country: "NL", mechanism: intraEEA, contract: "MSA-V21",
		categories: contactCard, purposes: strs("events"), safeguards: standard, honoursOptOuts: true, activeFrom: date(2026, 1, 12),
		name: "Sponsor leads: CloudNine Hardware"},
	{key: "E1-V22", from: "E1", to: "V22", role: controller, country: "US", mechanism: adequacy, contract: "MSA-V22",
		categories: contactCard, purposes: strs("events"), safeguards: standard, honoursOptOuts: true, activeFrom: date(2026, 1, 12),
		name: "Sponsor leads: Orbis POS"},
	{key: "E1-V23", from: "E1", to: "V23", role: controller, country: "LT", mechanism: intraEEA, contract: "MSA-V23",
		categories: contactCard, purposes: strs("partners"), safeguards: standard, honoursOptOuts: true, activeFrom: date(2024, 3, 4),
		name: "Partner referrals: Baltic ERP Partners"},
	{key: "E1-V24-none", from: "E1", to: "V24", role: controller, country: "BR", mechanism: noMech, contract: "MSA-V24",
		categories: contactCard, purposes: strs("partners"), safeguards: standard, honoursOptOuts: true,
		activeFrom: date(2024, 10, 1), until: date(2026, 1, 25), name: "Partner referrals: Paulista Sistemas (before adequacy)",
		description: "No transfer tool was in place before Brazil's adequacy decision."},
	{key: "E1-V24", from: "E1", to: "V24", role: controller, country: "BR", mechanism: adequacy, contract: "MSA-V24",
		categories: contactCard, purposes: strs("partners"), safeguards: standard, honoursOptOuts: true,
		activeFrom: date(2026, 1, 26), name: "Partner referrals: Paulista Sistemas"},
	{key: "E1-V25", from: "E1", to: "V25", role: controller, country: "CA", mechanism: adequacy, contract: "MSA-V25",
		categories: contactCard, purposes: strs("partners"), safeguards: standard, honoursOptOuts: true, activeFrom: date(2023, 5, 8),
		name: "Partner referrals: Maple Implementers"},

	// Subprocessor chains.
	{key: "V01-S01", from: "V01", to: "S01", role: subprocessor, country: "FR", mechanism: intraEEA, contract: "DPA-S01",
		categories: platform, purposes: platformPurposes, safeguards: standard, activeFrom: date(2020, 3, 13), name: "Data centre colocation"},
	{key: "S01-S02", from: "S01", to: "S02", role: subprocessor, country: "CA", mechanism: adequacy, contract: "DPA-S02",
		categories: platform, purposes: platformPurposes, safeguards: standard, activeFrom: date(2021, 6, 1), name: "Remote hands"},
	{key: "S02-S03", from: "S02", to: "S03", role: subprocessor, country: "CA", mechanism: adequacy, contract: "DPA-S03",
		categories: platform, purposes: platformPurposes, safeguards: standard, activeFrom: date(2024, 3, 15), name: "Field technicians"},
	{key: "V02-S04", from: "V02", to: "S04", role: subprocessor, country: "SG", mechanism: sccMech, contract: "SCC-S04",
		categories: platform, purposes: strs("service", "billing", "support", "security"), safeguards: abroad,
		activeFrom: date(2023, 10, 2), name: "APAC edge hosting"},
	{key: "S04-S05", from: "S04", to: "S05", role: subprocessor, country: "MY", mechanism: sccMech, contract: "SCC-S05",
		categories: platform, purposes: strs("service", "billing", "support", "security"), safeguards: abroad,
		activeFrom: date(2026, 5, 20), name: "Operations staff in Malaysia"},
	{key: "V04-S06", from: "V04", to: "S06", role: subprocessor, country: "NO", mechanism: intraEEA, contract: "DPA-S06",
		categories: strs("backup"), purposes: strs("security"), safeguards: standard, activeFrom: date(2022, 1, 10),
		name: "Off-site backup copy"},
	{key: "V05-S07", from: "V05", to: "S07", role: subprocessor, country: "US", mechanism: adequacy, contract: "DPA-S07",
		categories: strs("contact.email", "billing.payment_token"), purposes: strs("billing"), safeguards: standard,
		activeFrom: date(2023, 9, 1), name: "Payment processing by the parent company"},
	{key: "S07-S08", from: "S07", to: "S08", role: subprocessor, country: "IN", mechanism: sccMech, contract: "SCC-S08",
		categories: strs("billing.payment_token", "device.metadata"), purposes: strs("billing", "security"), safeguards: abroad,
		activeFrom: date(2024, 2, 1), name: "Fraud scoring"},
	{key: "V10-S09", from: "V10", to: "S09", role: subprocessor, country: "US", mechanism: sccMech, contract: "SCC-S09",
		categories: strs("contact.email"), purposes: strs("service", "support", "marketing"), safeguards: standard,
		activeFrom: date(2019, 11, 18), name: "Outbound mail relay"},
	{key: "S09-S10", from: "S09", to: "S10", role: subprocessor, country: "GB", mechanism: adequacy, contract: "DPA-S10",
		categories: strs("contact.email"), purposes: strs("service", "support", "marketing"), safeguards: standard,
		activeFrom: date(2021, 9, 1), name: "Bounce handling"},
	{key: "V14-S11", from: "V14", to: "S11", role: subprocessor, country: "EE", mechanism: intraEEA, contract: "DPA-S11",
		categories: strs("identity.name", "contact.email"), purposes: strs("training"), safeguards: standard,
		activeFrom: date(2025, 3, 3), name: "Webinar streaming"},
	{key: "S11-V25", from: "S11", to: "V25", role: controller, country: "CA", mechanism: sccMech, contract: "SCC-S11",
		categories: strs("identity.name", "contact.email"), purposes: strs("training", "partners"), safeguards: standard,
		activeFrom: date(2025, 3, 17), name: "Webinar recordings returned to Maple Implementers",
		description: "Module 4: Streamhall, as processor, returns the recordings of partner webinars to Maple Implementers."},
}

// loadTransfers writes every flow with its categories, purposes and clauses.
func (b *builder) loadTransfers(ctx context.Context) error {
	for _, t := range transferTable {
		if err := b.writeTransfer(ctx, t); err != nil {
			return fmt.Errorf("creating transfer %s (%s): %w", t.key, t.name, err)
		}
	}
	return nil
}

func (b *builder) writeTransfer(ctx context.Context, t transferSpec) error {
	exOrg, exVendor, err := b.holder(t.from)
	if err != nil {
		return err
	}
	imOrg, imVendor, err := b.holder(t.to)
	if err != nil {
		return err
	}
	cats, err := b.categoryIDs(t.categories)
	if err != nil {
		return err
	}
	purposes, err := b.purposeIDs(t.purposes)
	if err != nil {
		return err
	}
	c := b.tx.Transfer.Create().
		SetName(t.name).
		SetImporterRole(t.role).
		SetCountryID(pulid.Country(t.country)).
		SetRegime(vocab.RegimeEU).
		SetMechanism(t.mechanism).
		SetHonoursOptOuts(t.honoursOptOuts).
		SetActiveFrom(t.activeFrom).
		AddCategoryIDs(cats...).
		AddPurposeIDs(purposes...)
	if exOrg != "" {
		c.SetExporterOrganizationID(exOrg)
	} else {
		c.SetExporterVendorID(exVendor)
	}
	if imOrg != "" {
		c.SetImporterOrganizationID(imOrg)
	} else {
		c.SetImporterVendorID(imVendor)
	}
	if t.fallback != "" {
		c.SetFallbackMechanism(t.fallback)
	}
	if t.contract != "" {
		id, ok := b.contracts[t.contract]
		if !ok {
			return fmt.Errorf("unknown contract %s", t.contract)
		}
		c.SetContractID(id).AddClauseIDs(b.relied[t.contract]...)
	}
	if len(t.safeguards) > 0 {
		c.SetSafeguards(t.safeguards)
	}
	if !t.until.IsZero() {
		c.SetActiveUntil(t.until)
	}
	if t.description != "" {
		c.SetDescription(t.description)
	}
	created, err := c.Save(ctx)
	if err != nil {
		return err
	}
	b.transfers[t.key] = created.ID
	return nil
}
