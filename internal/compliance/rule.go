package compliance

import (
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Severity says how urgently a finding needs action. It marshals to and from
// GraphQL as an enum with the same values.
type Severity string

// The severities, most urgent first.
const (
	Critical Severity = "CRITICAL"
	High     Severity = "HIGH"
	Medium   Severity = "MEDIUM"
	Low      Severity = "LOW"
)

// Values lists every Severity, most urgent first.
func (Severity) Values() []string {
	return []string{string(Critical), string(High), string(Medium), string(Low)}
}

// Rank orders severities: 0 for CRITICAL up to 3 for LOW, and 4 for a value
// that is not a severity.
func (s Severity) Rank() int {
	switch s {
	case Critical:
		return 0
	case High:
		return 1
	case Medium:
		return 2
	case Low:
		return 3
	}
	return 4
}

// AtLeast reports whether s is as urgent as min or more, e.g. for a CLI
// option that fails on HIGH findings and above.
func (s Severity) AtLeast(min Severity) bool { return s.Rank() <= min.Rank() }

// ParseSeverity returns the severity named by s (CRITICAL, HIGH, MEDIUM or
// LOW, in any case).
func ParseSeverity(s string) (Severity, error) {
	for _, v := range Severity("").Values() {
		if strings.EqualFold(s, v) {
			return Severity(v), nil
		}
	}
	return "", fmt.Errorf("%q is not a severity: use CRITICAL, HIGH, MEDIUM or LOW", s)
}

// UnmarshalGQL implements graphql.Unmarshaler.
func (s *Severity) UnmarshalGQL(v any) error {
	str, ok := v.(string)
	if !ok {
		return fmt.Errorf("a Severity must be a string, not %T", v)
	}
	parsed, err := ParseSeverity(str)
	if err != nil {
		return err
	}
	*s = parsed
	return nil
}

// MarshalGQL implements graphql.Marshaler.
func (s Severity) MarshalGQL(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(string(s))) }

// Rule is one compliance check of the catalogue: what it looks for, how
// serious a breach is, which provision it enforces and how to put it right.
type Rule struct {
	// ID is the rule's stable identifier, e.g. "transfer.no-mechanism".
	ID string `json:"id"`
	// Severity is the severity of every finding of the rule.
	Severity Severity `json:"severity"`
	// Title says in a few words what the rule finds.
	Title string `json:"title"`
	// LegalReference names the provisions the rule enforces, e.g.
	// "GDPR Art. 28(2); SCC Clause 9".
	LegalReference string `json:"legalReference"`
	// Remedy says what to do about a finding.
	Remedy string `json:"remedy"`
	// InvalidatesTransfer is true for the rules whose findings mean that a
	// transfer has no valid mechanism at the instant checked: no mechanism
	// at all, or an instrument that does not hold (see InvalidTransfers).
	InvalidatesTransfer bool `json:"invalidatesTransfer"`
}

// The rule IDs of the catalogue.
const (
	RuleNoMechanism        = "transfer.no-mechanism"
	RuleOnwardNoGrounds    = "transfer.onward-no-grounds"
	RuleDPFInactive        = "transfer.dpf-inactive"
	RuleTIAMissing         = "transfer.tia-missing"
	RuleTIAOverdue         = "transfer.tia-overdue"
	RuleSCCRepealed        = "scc.repealed-decision"
	RuleSCCModuleMismatch  = "scc.module-mismatch"
	RuleSCCClause17        = "scc.clause17-law"
	RuleSCCClause18        = "scc.clause18-forum"
	RuleSCCBeforeAccession = "scc.before-accession"
	RuleDPAMissing         = "dpa.missing"
	RuleDPAIncomplete      = "dpa.incomplete"
	RuleContractExpired    = "contract.expired"
	RuleContractExpiring   = "contract.expiring"
	RuleSubUnauthorised    = "subprocessor.unauthorised"
	RuleSubNoticeTooShort  = "subprocessor.notice-too-short"
	RuleAnnouncedEarly     = "subprocessor.announced-before-notice"
	RuleReviewOverdue      = "vendor.review-overdue"
	RuleReviewFailed       = "vendor.review-failed"
	RuleNoSecurityMeasure  = "vendor.no-security-measure"
	RuleDisclosureOptOut   = "disclosure.after-opt-out"
	RuleSpecialNoExplicit  = "consent.special-category-without-explicit"
	RuleConsentMissing     = "consent.missing-for-consent-purpose"
	RuleRetentionExpired   = "retention.expired"
	RuleRequestOverdue     = "request.overdue"
	RuleExtensionLate      = "request.extension-late"
	RuleExtensionTooLong   = "request.extension-too-long"
	RuleRecordGap          = "ropa.gap"
)

// catalogue lists every rule, grouped by topic.
var catalogue = []*Rule{
	// Transfers (GDPR Chapter V).
	{ID: RuleNoMechanism, Severity: Critical, InvalidatesTransfer: true,
		Title:          "Transfer with no valid transfer mechanism",
		LegalReference: "GDPR Art. 44, 45, 46 and 49",
		Remedy:         "Put a transfer tool in place before data flows: an adequacy decision in force for the importer, Standard Contractual Clauses signed by both parties, BCRs or a documented Art. 49 derogation; otherwise stop the transfer."},
	{ID: RuleOnwardNoGrounds, Severity: Critical, InvalidatesTransfer: true,
		Title:          "Onward transfer to another third country without grounds",
		LegalReference: "GDPR Art. 44; SCC Clause 8.7 (Module 1), Clause 8.8 (Modules 2 and 3)",
		Remedy:         "Have the importer bind the onward recipient by SCCs (or rely on an adequacy decision or an Art. 49 derogation) before it passes data on; stop the onward flow and have the recipient delete what it received."},
	{ID: RuleDPFInactive, Severity: Critical, InvalidatesTransfer: true,
		Title:          "US importer's Data Privacy Framework certification not active",
		LegalReference: "GDPR Art. 45; Commission Implementing Decision (EU) 2023/1795",
		Remedy:         "Sign Standard Contractual Clauses with the importer and assess the transfer (TIA), or suspend the transfer until the importer's certification is active again."},
	{ID: RuleTIAMissing, Severity: High,
		Title:          "SCC transfer without a transfer impact assessment",
		LegalReference: "SCC Clause 14(b) and (d); GDPR Art. 46(1) (CJEU C-311/18 Schrems II)",
		Remedy:         "Assess the law and practice of the importer's country, document the supplementary measures and record the assessment with its re-evaluation date."},
	{ID: RuleTIAOverdue, Severity: Medium,
		Title:          "Transfer impact assessment past its re-evaluation date",
		LegalReference: "SCC Clause 14(b), (d) and (e); EDPB Recommendations 01/2020",
		Remedy:         "Re-evaluate the transfer impact assessment against current law and practice in the importer's country and record the new assessment."},

	// Standard Contractual Clauses.
	{ID: RuleSCCRepealed, Severity: Critical, InvalidatesTransfer: true,
		Title:          "SCCs based on a repealed Commission decision",
		LegalReference: "Commission Implementing Decision (EU) 2021/914, Art. 4(2) and 4(4)",
		Remedy:         "Replace the clauses with those of Decision 2021/914, in the module that matches the parties' roles, and assess the transfer (TIA)."},
	{ID: RuleSCCModuleMismatch, Severity: High, InvalidatesTransfer: true,
		Title:          "SCC module inconsistent with the parties' roles",
		LegalReference: "Commission Implementing Decision (EU) 2021/914, Annex, Section I; GDPR Art. 46(2)(c)",
		Remedy:         "Sign the module that matches the roles in the flow (1 controller to controller, 2 controller to processor, 3 processor to processor, 4 processor to controller), or correct the roles on record."},
	{ID: RuleSCCClause17, Severity: Critical, InvalidatesTransfer: true,
		Title:          "SCC Clause 17 governing law outside the EU/EEA",
		LegalReference: "SCC Clause 17 (Modules 1 to 3)",
		Remedy:         "Amend Clause 17 to the law of an EU Member State that allows third-party beneficiary rights (e.g. the exporter's); modified clauses are not standard clauses."},
	{ID: RuleSCCClause18, Severity: Critical, InvalidatesTransfer: true,
		Title:          "SCC Clause 18 forum outside the EU/EEA",
		LegalReference: "SCC Clause 18(b) (Modules 1 to 3)",
		Remedy:         "Amend Clause 18(b) to the courts of an EU Member State; modified clauses are not standard clauses."},
	{ID: RuleSCCBeforeAccession, Severity: High, InvalidatesTransfer: true,
		Title:          "Party acting before its Clause 7 accession",
		LegalReference: "SCC Clause 7; GDPR Art. 44",
		Remedy:         "Have the entity accede (sign Annex I) before it receives data; for a past gap, document it, assess what was transferred before accession and record the remediation."},

	// Contracts.
	{ID: RuleDPAMissing, Severity: High,
		Title:          "Processor without a data processing agreement in force",
		LegalReference: "GDPR Art. 28(3) and 28(4)",
		Remedy:         "Sign a data processing agreement with the processor containing every Art. 28(3) stipulation, or stop sharing data with it."},
	{ID: RuleDPAIncomplete, Severity: Medium,
		Title:          "Data processing agreement missing Art. 28(3) stipulations",
		LegalReference: "GDPR Art. 28(3)(a) to (h)",
		Remedy:         "Amend the agreement to add the missing stipulations."},
	{ID: RuleContractExpired, Severity: High,
		Title:          "Contract relied on has expired",
		LegalReference: "GDPR Art. 28(3) and 46(2)",
		Remedy:         "Renew or replace the contract, or stop the flows that rely on it."},
	{ID: RuleContractExpiring, Severity: Low,
		Title:          "Contract relied on expires soon",
		LegalReference: "GDPR Art. 28(3) and 46(2)",
		Remedy:         "Renew or replace the contract before it expires, or plan the end of the flows that rely on it."},

	// Vendors and subprocessors.
	{ID: RuleSubUnauthorised, Severity: High,
		Title:          "Subprocessor engaged without authorisation",
		LegalReference: "GDPR Art. 28(2) and 28(4); SCC Clause 9(a)",
		Remedy:         "Obtain the notice or specific authorisation the contract requires (or have the processor stop using the subprocessor), and record it as a subprocessor change."},
	{ID: RuleSubNoticeTooShort, Severity: Medium,
		Title:          "Subprocessor engaged before its notice period ran out",
		LegalReference: "GDPR Art. 28(2); SCC Clause 9(a) Option 2",
		Remedy:         "Raise the breach with the processor, decide whether to object now, and require the full notice period for future changes."},
	{ID: RuleAnnouncedEarly, Severity: Medium,
		Title:          "Own subprocessor change takes effect before the controllers' notice period ran out",
		LegalReference: "GDPR Art. 28(2); SCC Clause 9(a) Option 2; Commission Art. 28(7) clauses, Clause 7.7(a)",
		Remedy:         "Tell the controllers concerned why the change could not wait, give them the chance to object (and to terminate where the contract allows), and announce future changes the full notice period ahead."},
	{ID: RuleReviewOverdue, Severity: Medium,
		Title:          "Vendor review overdue for its risk tier",
		LegalReference: "GDPR Art. 28(1), 24(1) and 32(1)(d)",
		Remedy:         "Review the vendor (questionnaire, certifications, security measures, audit reports) and record the review with its next due date."},
	{ID: RuleReviewFailed, Severity: High,
		Title:          "Vendor failed its latest review",
		LegalReference: "GDPR Art. 28(1) and 32",
		Remedy:         "Agree a remediation plan with the vendor and re-review it, or suspend the flows to it and offboard it."},
	{ID: RuleNoSecurityMeasure, Severity: Medium,
		Title:          "Vendor holding data with no security measure on record",
		LegalReference: "GDPR Art. 28(1) and 32; SCC Annex II",
		Remedy:         "Obtain and record the vendor's technical and organisational measures (encryption, access control, ...)."},

	// Consent and disclosures.
	{ID: RuleDisclosureOptOut, Severity: High,
		Title:          "Disclosure of users who had opted out",
		LegalReference: "GDPR Art. 7(3), 17(1)(b) and 21(3)",
		Remedy:         "Ask the recipient to delete the data of the users listed, confirm it in writing, and filter opt-outs before the next hand-over."},
	{ID: RuleSpecialNoExplicit, Severity: Critical,
		Title:          "Special-category data shared without explicit consent",
		LegalReference: "GDPR Art. 9(1) and 9(2)(a)",
		Remedy:         "Have the recipient delete the special-category data of the users listed, and collect a separate explicit consent before sharing such data again."},
	{ID: RuleConsentMissing, Severity: High,
		Title:          "Consent-based purpose used without granted consent",
		LegalReference: "GDPR Art. 6(1)(a) and 7(1); ePrivacy Directive Art. 5(3)",
		Remedy:         "Stop the processing for the users listed (gate tags and forms by the consent manager), delete what was collected without consent, and only collect after a consent is recorded."},

	// Retention.
	{ID: RuleRetentionExpired, Severity: Medium,
		Title:          "Data kept past its retention period",
		LegalReference: "GDPR Art. 5(1)(e)",
		Remedy:         "Delete or anonymise the records as the retention rule says (run the retention sweep), or place them under legal hold with a reason."},

	// Records of processing (reported by internal/ropa, see Checker.Also).
	{ID: RuleRecordGap, Severity: Low,
		Title:          "Record of processing activities has a field the registry cannot fill",
		LegalReference: "GDPR Art. 30(1) and 30(2)",
		Remedy:         "Record what the field needs (a DPO contact, the kinds of data subjects or categories of a purpose, a retention rule, a security measure) so that the record derived from the registry is complete."},

	// Data subject requests.
	{ID: RuleRequestOverdue, Severity: High,
		Title:          "Data subject request past its due date",
		LegalReference: "GDPR Art. 12(3)",
		Remedy:         "Answer the request now and tell the data subject why it is late; record the completion."},
	{ID: RuleExtensionLate, Severity: Medium,
		Title:          "Request extension notified after the first month",
		LegalReference: "GDPR Art. 12(3)",
		Remedy:         "An extension must be notified, with its reasons, within one month of receipt; answer late requests without delay and fix the intake process."},
	{ID: RuleExtensionTooLong, Severity: Medium,
		Title:          "Request extended beyond the maximum",
		LegalReference: "GDPR Art. 12(3)",
		Remedy:         "A request may be extended by two further months at most; answer it within three months of receipt."},
}

// byID indexes the catalogue.
var byID = func() map[string]*Rule {
	m := make(map[string]*Rule, len(catalogue))
	for _, r := range catalogue {
		m[r.ID] = r
	}
	return m
}()

// Rules returns the catalogue: every rule the checker evaluates, grouped by
// topic. The rules are shared; callers must not modify them.
func Rules() []*Rule { return append([]*Rule(nil), catalogue...) }

// RuleByID returns the rule with the given ID.
func RuleByID(id string) (*Rule, bool) {
	r, ok := byID[id]
	return r, ok
}

// rule returns the rule with the given ID; it panics on an unknown ID, which
// is a programming error caught by the tests.
func rule(id string) *Rule {
	r, ok := byID[id]
	if !ok {
		panic("compliance: unknown rule " + id)
	}
	return r
}
