package compliance_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/assessment"
	"github.com/privhub/privhub/ent/consent"
	"github.com/privhub/privhub/ent/contract"
	"github.com/privhub/privhub/ent/contractparty"
	"github.com/privhub/privhub/ent/datacategory"
	"github.com/privhub/privhub/ent/datarecord"
	"github.com/privhub/privhub/ent/purpose"
	"github.com/privhub/privhub/ent/request"
	"github.com/privhub/privhub/ent/retentionrule"
	"github.com/privhub/privhub/ent/securitymeasure"
	"github.com/privhub/privhub/ent/subprocessorannouncement"
	"github.com/privhub/privhub/ent/subprocessorchange"
	"github.com/privhub/privhub/ent/vendor"
	"github.com/privhub/privhub/internal/announce"
	"github.com/privhub/privhub/internal/compliance"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/store"
	"github.com/privhub/privhub/internal/vocab"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// now is the instant the hand-built cases are checked as of, and since the
// day their flows start unless they say otherwise.
var (
	now   = day(2026, 6, 30)
	since = day(2024, 1, 8)
)

// world builds small, otherwise compliant cases by hand: every vendor it
// makes has a security measure and a recent passing review, every
// processor flow it makes has a complete processing agreement, unless the
// case says otherwise.
type world struct {
	t        *testing.T
	ctx      context.Context
	c        *ent.Client
	us       *ent.Organization
	cats     map[string]*ent.DataCategory
	purposes map[string]*ent.Purpose
	measure  *ent.SecurityMeasure
	n        int
}

func newWorld(t *testing.T, db *store.DB) *world {
	w := &world{t: t, ctx: context.Background(), c: db.Client,
		cats: map[string]*ent.DataCategory{}, purposes: map[string]*ent.Purpose{}}
	w.us = w.org("Acme SA", "BE")
	m, err := w.c.SecurityMeasure.Create().SetName("TLS").SetKind(securitymeasure.KindTechnical).
		SetTopic(securitymeasure.TopicEncryption).Save(w.ctx)
	require.NoError(t, err)
	w.measure = m
	return w
}

// check returns every finding as of at.
func (w *world) check(at time.Time) []*compliance.Finding {
	fs, err := compliance.New(w.c).Check(w.ctx, at)
	require.NoError(w.t, err)
	return fs
}

// of returns the findings of one rule as of at.
func (w *world) of(ruleID string, at time.Time) []*compliance.Finding {
	var out []*compliance.Finding
	for _, f := range w.check(at) {
		if f.RuleID == ruleID {
			out = append(out, f)
		}
	}
	return out
}

// targets returns the sorted target IDs of the findings of one rule as of at.
func (w *world) targets(ruleID string, at time.Time) []pulid.ID {
	var ids []pulid.ID
	for _, f := range w.of(ruleID, at) {
		ids = append(ids, f.TargetID)
	}
	slices.Sort(ids)
	return ids
}

func (w *world) org(name, country string) *ent.Organization {
	o, err := w.c.Organization.Create().SetName(name).SetCountryID(pulid.Country(country)).Save(w.ctx)
	require.NoError(w.t, err)
	return o
}

// vendorOpts changes a vendor before it is saved.
type vendorOpts struct {
	tier      vendor.RiskTier
	noMeasure bool
	noReview  bool
	dpfFrom   time.Time
	dpfUntil  time.Time
}

// vendor makes a vendor with a security measure and a passing review of
// 2024-01-02 due again in 2030, unless opts say otherwise.
func (w *world) vendor(name, country string, opts ...vendorOpts) *ent.Vendor {
	var o vendorOpts
	if len(opts) > 0 {
		o = opts[0]
	}
	c := w.c.Vendor.Create().SetName(name).SetCountryID(pulid.Country(country))
	if o.tier != "" {
		c.SetRiskTier(o.tier)
	}
	if !o.dpfFrom.IsZero() {
		c.SetDpfActiveFrom(o.dpfFrom).SetDpfFrameworks([]vocab.DPFFramework{vocab.DPFEU})
		if !o.dpfUntil.IsZero() {
			c.SetDpfActiveUntil(o.dpfUntil)
		}
	}
	v, err := c.Save(w.ctx)
	require.NoError(w.t, err)
	if !o.noMeasure {
		require.NoError(w.t, w.measure.Update().AddVendors(v).Exec(w.ctx))
	}
	if !o.noReview {
		w.review(v, day(2024, 1, 2), assessment.OutcomePass, day(2030, 1, 2))
	}
	return v
}

// cat returns the category with key, made on first use under its group
// ("contact" for "contact.email"); keys starting with "health." are special.
func (w *world) cat(key string) *ent.DataCategory {
	if c, ok := w.cats[key]; ok {
		return c
	}
	create := w.c.DataCategory.Create().SetKey(key).SetName(key)
	if group, _, ok := cutDot(key); ok {
		create.SetParentID(w.cat(group).ID)
	}
	if len(key) > 7 && key[:7] == "health." {
		create.SetSensitivity(datacategory.SensitivitySpecial)
	}
	c, err := create.Save(w.ctx)
	require.NoError(w.t, err)
	w.cats[key] = c
	return c
}

func cutDot(key string) (string, string, bool) {
	for i := len(key) - 1; i >= 0; i-- {
		if key[i] == '.' {
			return key[:i], key[i+1:], true
		}
	}
	return "", "", false
}

// purpose returns the purpose with key, made on first use; "marketing" and
// "analytics" rest on consent, the others on a contract.
func (w *world) purpose(key string) *ent.Purpose {
	if p, ok := w.purposes[key]; ok {
		return p
	}
	basis := purpose.LegalBasisContract
	if key == "marketing" || key == "analytics" {
		basis = purpose.LegalBasisConsent
	}
	p, err := w.c.Purpose.Create().SetKey(key).SetName(key).SetLegalBasis(basis).SetOptOutAllowed(true).Save(w.ctx)
	require.NoError(w.t, err)
	w.purposes[key] = p
	return p
}

// party is a contract party: a holder, its side and its capacity.
type party struct {
	holder    ent.Holder
	side      contractparty.Side
	capacity  vocab.ProcessingRole
	accession time.Time
}

func exporter(h ent.Holder, role vocab.ProcessingRole) party {
	return party{holder: h, side: contractparty.SideExporter, capacity: role}
}

func importer(h ent.Holder, role vocab.ProcessingRole) party {
	return party{holder: h, side: contractparty.SideImporter, capacity: role}
}

func signatory(h ent.Holder, role vocab.ProcessingRole) party {
	return party{holder: h, side: contractparty.SideParty, capacity: role}
}

// deal describes a contract; the zero value of each field is the usual one.
type deal struct {
	kind         contract.Kind
	decision     contract.SccDecision
	module       contract.SccModule
	law, forum   string
	stipulations []vocab.Stipulation // nil: all eight for a DPA
	signed       time.Time           // default: 2023-06-01
	expires      time.Time
	noticeDays   int
	specific     bool // SCC Clause 9(a) Option 1
	parties      []party
}

var allStipulations = func() []vocab.Stipulation {
	var out []vocab.Stipulation
	for _, v := range vocab.Stipulation("").Values() {
		out = append(out, vocab.Stipulation(v))
	}
	return out
}()

func (w *world) contract(d deal) *ent.Contract {
	w.n++
	if d.signed.IsZero() {
		d.signed = day(2023, 6, 1)
	}
	c := w.c.Contract.Create().SetTitle(fmt.Sprintf("%s #%d", d.kind, w.n)).SetKind(d.kind).
		SetSignedAt(d.signed).SetEffectiveAt(d.signed)
	if !d.expires.IsZero() {
		c.SetExpiresAt(d.expires)
	}
	switch d.kind {
	case contract.KindScc:
		if d.decision == "" {
			d.decision = contract.SccDecisionDecision2021_914
		}
		if d.law == "" {
			d.law = "BE"
		}
		if d.forum == "" {
			d.forum = "BE"
		}
		c.SetSccDecision(d.decision).SetSccModule(d.module).
			SetClause17LawCountryID(pulid.Country(d.law)).SetClause18ForumCountryID(pulid.Country(d.forum))
		if d.specific {
			c.SetClause9Option(contract.Clause9OptionSpecificAuthorisation)
		} else if d.noticeDays > 0 {
			c.SetClause9Option(contract.Clause9OptionGeneralAuthorisation).SetClause9NoticeDays(d.noticeDays)
		}
	case contract.KindDpa:
		if d.stipulations == nil {
			d.stipulations = allStipulations
		}
		c.SetDpaStipulations(d.stipulations)
	}
	saved, err := c.Save(w.ctx)
	require.NoError(w.t, err)
	for _, p := range d.parties {
		pc := w.c.ContractParty.Create().SetContractID(saved.ID).SetSide(p.side).SetCapacity(p.capacity)
		if o, ok := p.holder.(*ent.Organization); ok {
			pc.SetOrganizationID(o.ID)
		} else {
			pc.SetVendorID(p.holder.HolderID())
		}
		if !p.accession.IsZero() {
			pc.SetAccessionDate(p.accession)
		}
		require.NoError(w.t, pc.Exec(w.ctx))
	}
	if d.kind == contract.KindDpa && d.noticeDays > 0 {
		require.NoError(w.t, w.c.Clause.Create().SetContractID(saved.ID).SetReference("Clause 7.7(a) Option 2").
			SetParameters(map[string]any{"noticeDays": fmt.Sprint(d.noticeDays)}).Exec(w.ctx))
	}
	return saved
}

// dpa makes a complete processing agreement between a principal and its
// processor, signed on 2023-06-01.
func (w *world) dpa(principal, processor ent.Holder) *ent.Contract {
	return w.contract(deal{kind: contract.KindDpa,
		parties: []party{signatory(principal, vocab.RoleController), signatory(processor, vocab.RoleProcessor)}})
}

// scc makes 2021 SCCs of a module between an exporter and an importer, with
// Belgian law and courts.
func (w *world) scc(module contract.SccModule, from, to ent.Holder) *ent.Contract {
	fromRole, toRole := vocab.RoleController, vocab.RoleProcessor
	switch module {
	case contract.SccModuleC2c:
		toRole = vocab.RoleController
	case contract.SccModuleP2p:
		fromRole = vocab.RoleProcessor
	case contract.SccModuleP2c:
		fromRole, toRole = vocab.RoleProcessor, vocab.RoleController
	}
	return w.contract(deal{kind: contract.KindScc, module: module,
		parties: []party{exporter(from, fromRole), importer(to, toRole)}})
}

// flow describes a transfer. The zero value is a processor flow under the
// importer's country, intra-EEA, of contact.email for purpose "service",
// active since `since`, honouring opt-outs.
type flow struct {
	role      vocab.ProcessingRole
	country   string
	mechanism vocab.Mechanism
	fallback  vocab.Mechanism
	contract  *ent.Contract
	cats      []string
	purposes  []string
	from      time.Time
	until     time.Time
	noOptOuts bool
	// noDPA leaves a processor flow without the complete processing
	// agreement the builder otherwise signs for it.
	noDPA bool
}

func (w *world) transfer(from, to ent.Holder, f flow) *ent.Transfer {
	if f.role == "" {
		f.role = vocab.RoleProcessor
	}
	if f.country == "" {
		f.country = to.HolderCountry().CountryCode()
	}
	if f.mechanism == "" {
		f.mechanism = vocab.MechanismIntraEEA
	}
	if f.cats == nil {
		f.cats = []string{"contact.email"}
	}
	if f.purposes == nil {
		f.purposes = []string{"service"}
	}
	if f.from.IsZero() {
		f.from = since
	}
	c := w.c.Transfer.Create().SetName(from.HolderName() + " to " + to.HolderName()).
		SetImporterRole(f.role).SetCountryID(pulid.Country(f.country)).SetMechanism(f.mechanism).
		SetHonoursOptOuts(!f.noOptOuts).SetActiveFrom(f.from)
	if f.fallback != "" {
		c.SetFallbackMechanism(f.fallback)
	}
	if f.mechanism == vocab.MechanismDerogation {
		c.SetDerogation("EXPLICIT_CONSENT")
	}
	if !f.until.IsZero() {
		c.SetActiveUntil(f.until)
	}
	if o, ok := from.(*ent.Organization); ok {
		c.SetExporterOrganizationID(o.ID)
	} else {
		c.SetExporterVendorID(from.HolderID())
	}
	if o, ok := to.(*ent.Organization); ok {
		c.SetImporterOrganizationID(o.ID)
	} else {
		c.SetImporterVendorID(to.HolderID())
	}
	for _, k := range f.cats {
		c.AddCategories(w.cat(k))
	}
	for _, k := range f.purposes {
		c.AddPurposes(w.purpose(k))
	}
	if f.contract != nil {
		c.SetContractID(f.contract.ID)
	}
	t, err := c.Save(w.ctx)
	require.NoError(w.t, err)
	if !f.noDPA && (f.role == vocab.RoleProcessor || f.role == vocab.RoleSubprocessor) {
		w.dpa(from, to)
	}
	return t
}

func (w *world) tia(t *ent.Transfer, at, due time.Time) {
	require.NoError(w.t, w.c.Assessment.Create().SetKind(assessment.KindTia).SetTransferID(t.ID).
		SetPerformedAt(at).SetOutcome(assessment.OutcomePass).SetNextDue(due).Exec(w.ctx))
}

func (w *world) review(v *ent.Vendor, at time.Time, outcome assessment.Outcome, due time.Time) {
	c := w.c.Assessment.Create().SetKind(assessment.KindVendorReview).SetVendorID(v.ID).
		SetPerformedAt(at).SetOutcome(outcome)
	if !due.IsZero() {
		c.SetNextDue(due)
	}
	require.NoError(w.t, c.Exec(w.ctx))
}

// change records a processor's notice of a new subprocessor, accepted.
func (w *world) change(processor, sub *ent.Vendor, notified, engaged time.Time) {
	require.NoError(w.t, w.c.SubprocessorChange.Create().SetProcessorID(processor.ID).SetSubprocessorID(sub.ID).
		SetKind(subprocessorchange.KindAdded).SetNotifiedAt(notified).SetEngagedAt(engaged).
		SetOutcome(subprocessorchange.OutcomeAccepted).Exec(w.ctx))
}

// announce has one of our organisations announce, through internal/announce,
// that it adds a hosting subprocessor with effect from effective; a reason
// forces it.
func (w *world) announce(org *ent.Organization, sub *ent.Vendor, announced, effective time.Time, reason string) *ent.SubprocessorAnnouncement {
	return w.announceKind(org, subprocessorannouncement.KindAdded, sub, announced, effective, reason)
}

// announceKind is announce for any kind of change but a replacement.
func (w *world) announceKind(org *ent.Organization, kind subprocessorannouncement.Kind, sub *ent.Vendor, announced, effective time.Time, reason string) *ent.SubprocessorAnnouncement {
	in := announce.Input{Organization: org.ID, Kind: kind, Vendor: sub.ID,
		Service: vocab.ServiceHosting, Mechanism: vocab.MechanismAdequacy, AnnouncedAt: &announced, EffectiveAt: effective}
	if reason != "" {
		in.Force, in.Reason = true, &reason
	}
	a, err := announce.Announce(w.ctx, w.c, nil, in, announced)
	require.NoError(w.t, err)
	return a
}

func (w *world) user() *ent.User {
	w.n++
	u, err := w.c.User.Create().SetExternalRef(fmt.Sprintf("ACCT-%03d", w.n)).
		SetSubjectKind(vocab.SubjectCustomer).Save(w.ctx)
	require.NoError(w.t, err)
	return u
}

// record notes that collector collected category key of u at `at` for the
// purposes.
func (w *world) record(u *ent.User, key string, collector ent.Holder, at time.Time, purposes ...string) *ent.DataRecord {
	c := w.c.DataRecord.Create().SetUserID(u.ID).SetCategoryID(w.cat(key).ID).
		SetSource(datarecord.SourceProvided).SetCollectedAt(at)
	if o, ok := collector.(*ent.Organization); ok {
		c.SetCollectorOrganizationID(o.ID)
	} else {
		c.SetCollectorVendorID(collector.HolderID())
	}
	for _, p := range purposes {
		c.AddPurposes(w.purpose(p))
	}
	r, err := c.Save(w.ctx)
	require.NoError(w.t, err)
	return r
}

// choose records a consent ledger entry; recipient may be nil.
func (w *world) choose(u *ent.User, purposeKey string, recipient *ent.Vendor, d consent.Decision, explicit bool, at time.Time) {
	c := w.c.Consent.Create().SetUserID(u.ID).SetPurposeID(w.purpose(purposeKey).ID).SetDecision(d).
		SetExplicit(explicit).SetRecordedAt(at)
	if recipient != nil {
		c.SetRecipientID(recipient.ID)
	}
	require.NoError(w.t, c.Exec(w.ctx))
}

// disclose records a batch of users handed over on a transfer.
func (w *world) disclose(t *ent.Transfer, at time.Time, users []*ent.User, cats ...string) *ent.Disclosure {
	c := w.c.Disclosure.Create().SetTransferID(t.ID).SetDisclosedAt(at).SetReference("batch").AddUsers(users...)
	for _, k := range cats {
		c.AddCategories(w.cat(k))
	}
	d, err := c.Save(w.ctx)
	require.NoError(w.t, err)
	return d
}

// retain adds a retention rule of a category for a purpose, from collection.
func (w *world) retain(key, purposeKey, period string) {
	require.NoError(w.t, w.c.RetentionRule.Create().SetCategoryID(w.cat(key).ID).SetPurposeID(w.purpose(purposeKey).ID).
		SetPeriod(period).SetTrigger(retentionrule.TriggerCollection).Exec(w.ctx))
}

// request records a data subject request; extension may be zero.
type requestSpec struct {
	received, notified, completed, due time.Time
	months                             int
}

func (w *world) request(ref string, s requestSpec) *ent.Request {
	c := w.c.Request.Create().SetReference(ref).SetUserID(w.user().ID).SetKind(request.KindAccess).SetReceivedAt(s.received)
	if !s.notified.IsZero() {
		c.SetExtensionNotifiedAt(s.notified).SetExtensionMonths(s.months)
	}
	if !s.completed.IsZero() {
		c.SetCompletedAt(s.completed).SetStatus(request.StatusCompleted)
	}
	if !s.due.IsZero() {
		c.SetDueAt(s.due)
	}
	r, err := c.Save(w.ctx)
	require.NoError(w.t, err)
	return r
}
