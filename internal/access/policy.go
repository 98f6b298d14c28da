package access

import (
	"strings"

	gqlmodel "github.com/privhub/privhub/graph/model"
	"github.com/privhub/privhub/internal/auth"
	"github.com/privhub/privhub/internal/pulid"
)

// Rule says who may read a field, or call a root field.
type Rule struct {
	// allow holds the roles that get the value.
	allow roles
	// redact holds the roles that get null and a FORBIDDEN error on the
	// field's path instead of a personal value (ANALYST), rather than a
	// refusal of the whole field.
	redact roles
	// personal marks a personal value: reading it leaves an event in the
	// audit trail.
	personal bool
	// own, for a root field a SUBJECT may call, returns the user its
	// arguments are about, which must be the subject itself.
	own func(args map[string]any) (pulid.ID, bool)
}

// Policy is the table of rules of every field of the schema.
type Policy struct {
	rules map[string]map[string]Rule
}

// NewPolicy returns privhub's policy.
func NewPolicy() *Policy {
	p := &Policy{rules: map[string]map[string]Rule{}}
	p.entities()
	p.answers()
	p.roots()
	return p
}

// Lookup returns the rule of a field of a type, and false when there is
// none: the caller must then treat the field as admin-only. The fields of
// connections, edges and page info are structural: whoever may read the
// list may read them; so are those of mutation payloads (clientMutationId
// and the changed object, whose own fields have their rules): whoever may
// call the mutation may read its answer.
func (p *Policy) Lookup(typ, field string) (Rule, bool) {
	if strings.HasSuffix(typ, "Connection") || strings.HasSuffix(typ, "Edge") || typ == "PageInfo" || strings.HasSuffix(typ, "Payload") {
		return Rule{allow: registry}, true
	}
	r, ok := p.rules[typ][field]
	return r, ok
}

// Allows reports whether a role may use a field at all, ownership aside;
// a field without a rule is admin-only.
func (p *Policy) Allows(r auth.Role, typ, field string) bool {
	return p.ruleOf(typ, field).allow.has(r)
}

// ruleOf returns the rule of a field, or the admin-only rule of a field
// without one.
func (p *Policy) ruleOf(typ, field string) Rule {
	if r, ok := p.Lookup(typ, field); ok {
		return r
	}
	return Rule{allow: onlyAdmin}
}

// Fields calls fn for every field the policy has a rule for.
func (p *Policy) Fields(fn func(typ, field string)) {
	for typ, fields := range p.rules {
		for f := range fields {
			fn(typ, f)
		}
	}
}

// grant gives the fields of a type, named in one space-separated list, one
// rule.
func (p *Policy) grant(typ string, r Rule, fields string) {
	m := p.rules[typ]
	if m == nil {
		m = map[string]Rule{}
		p.rules[typ] = m
	}
	for _, f := range strings.Fields(fields) {
		m[f] = r
	}
}

// entities are the rules of the ent types.
func (p *Policy) entities() {
	reg, mod, ppl, stw, adm := Rule{allow: registry}, Rule{allow: model}, Rule{allow: people}, Rule{allow: stewards}, Rule{allow: onlyAdmin}
	personal := Rule{allow: stewards | subject, redact: analyst, personal: true}

	p.grant("APIToken", adm, "id createdAt updatedAt operatorID name hint expiresAt revokedAt lastUsedAt operator")
	p.grant("Operator", adm, "id createdAt updatedAt name email role userID disabled user tokens")
	p.grant("AuditEvent", stw, "id seq at actor role requestID action targetType targetID changes prevHash hash")

	// The registry: what every role may read.
	p.grant("AdequacyDecision", reg, "id createdAt updatedAt regime countryID scope reference validFrom validUntil note country")
	p.grant("Country", reg, "id name eu eea code adequacyDecisions organizations vendors")
	p.grant("Country", mod, "users transfers")
	p.grant("Organization", reg, "id createdAt updatedAt name legalName countryID parentID dpoContact representativeContact leadSupervisoryAuthority dpfFrameworks dpfActiveFrom dpfActiveUntil country parent subsidiaries")
	p.grant("Organization", mod, "exportedTransfers importedTransfers contractParties dataRecords requestTasks securityMeasures")
	p.grant("Vendor", reg, "id createdAt updatedAt name legalName countryID parentID services status riskTier reviewCadenceMonths certifications website "+
		"dpfFrameworks dpfActiveFrom dpfActiveUntil dpfLastVerified country parent subsidiaries subprocessorChanges subprocessorNotices")
	p.grant("Vendor", mod, "exportedTransfers importedTransfers contractParties dataRecords requestTasks assessments consents securityMeasures findings exposure")
	p.grant("SubprocessorChange", reg, "id createdAt updatedAt processorID subprocessorID kind notifiedAt engagedAt objectionDeadline objection objectedAt outcome processor subprocessor")
	// Our own announcements: their public facts are on /subprocessors
	// anyway; who was informed under which contract, and the objections,
	// are the model's.
	p.grant("SubprocessorAnnouncement", reg, "id createdAt updatedAt organizationID kind vendorID replacesID service countryID mechanism "+
		"announcedAt effectiveAt organization vendor replaces country purposes categories")
	p.grant("SubprocessorAnnouncement", mod, "forced forceReason informed objections findings")
	p.grant("InformedParty", mod, "id createdAt updatedAt announcementID contractID contractPartyID informedAt channel noticeDays inTime noticeRunsOut announcement contract party")
	p.grant("SubprocessorObjection", mod, "id createdAt updatedAt announcementID contractPartyID receivedAt text outcome decidedAt announcement party")
	p.grant("DataCategory", reg, "id createdAt updatedAt key name parentID sensitivity description parent children purposes")
	p.grant("DataCategory", mod, "transfers dataRecords retentionRules disclosures holders")
	p.grant("Purpose", reg, "id createdAt updatedAt key name legalBasis legalBasisNote subjectKinds optOutAllowed marketing retentionSummary description categories retentionRules")
	p.grant("Purpose", mod, "transfers dataRecords consents")
	p.grant("RetentionRule", reg, "id createdAt updatedAt categoryID purposeID period trigger action legalBasis overridesErasure category purpose")

	// The model: contracts, transfers and assurance. A subject's trace
	// names the contract, clauses and transfer of each step.
	p.grant("Contract", ppl, "id title kind regime sccDecision sccModule signedAt effectiveAt expiresAt")
	p.grant("Contract", mod, "createdAt updatedAt clause9Option clause9NoticeDays clause13Authority clause17LawCountryID clause18ForumCountryID "+
		"dpaStipulations documentRef documentSha256 parties clauses transfers clause17LawCountry clause18ForumCountry")
	p.grant("ContractParty", mod, "id createdAt updatedAt contractID organizationID vendorID side capacity accessionDate contract holder")
	p.grant("Clause", ppl, "id reference topic")
	p.grant("Clause", mod, "createdAt updatedAt contractID parameters contract transfers")
	p.grant("Transfer", ppl, "id name")
	p.grant("Transfer", mod, "createdAt updatedAt exporterOrganizationID exporterVendorID importerOrganizationID importerVendorID importerRole countryID "+
		"regime mechanism derogation fallbackMechanism contractID safeguards honoursOptOuts activeFrom activeUntil description country contract "+
		"categories purposes clauses disclosures assessments securityMeasures findings exporter importer")
	p.grant("Assessment", mod, "id createdAt updatedAt kind vendorID transferID performedAt outcome findings nextDue performedBy vendor transfer")
	p.grant("SecurityMeasure", mod, "id createdAt updatedAt name kind topic description verifiedAt organizations vendors transfers")
	p.grant("Disclosure", mod, "id createdAt updatedAt transferID disclosedAt reference transfer users categories")
	p.grant("RequestTask", mod, "id createdAt updatedAt requestID organizationID vendorID status notifiedAt confirmedAt categories note request holder")

	// People: a subject sees its own; an analyst sees everything but the
	// personal values.
	p.grant("User", ppl, "id createdAt updatedAt countryID subjectKind status country dataRecords consents requests consentHistory effectiveConsents trace")
	p.grant("User", personal, "externalRef email name")
	p.grant("User", mod, "disclosures")
	p.grant("DataRecord", ppl, "id createdAt updatedAt userID categoryID collectorOrganizationID collectorVendorID source collectedAt lastUsedAt "+
		"legalHold anonymizedAt user category purposes collector")
	p.grant("Consent", ppl, "id createdAt updatedAt userID purposeID recipientID decision explicit recordedAt source evidence user purpose recipient")
	p.grant("Request", ppl, "id createdAt updatedAt reference userID kind status receivedAt dueAt extensionNotifiedAt extensionMonths "+
		"extensionReason completedAt history retained note erasedAt user")
	p.grant("Request", mod, "tasks")
	// Webhooks: who writes the registry manages its subscribers and reads
	// their delivery log; a subscriber's secret is in no type at all.
	p.grant("WebhookSubscriber", stw, "id createdAt updatedAt url events active description deliveries")
	p.grant("WebhookEvent", stw, "id kind createdAt payload deliveries")
	p.grant("WebhookDelivery", stw, "id createdAt updatedAt subscriberID eventID status attempts nextAttemptAt lastStatusCode lastError deliveredAt subscriber event")
	// The export records its own read in the audit trail (requests.Desk.Export).
	p.grant("Request", Rule{allow: stewards | subject, redact: analyst}, "export")
}

// answers are the rules of the types the domain packages answer with.
func (p *Policy) answers() {
	mod, ppl, stw, adm := Rule{allow: model}, Rule{allow: people}, Rule{allow: stewards}, Rule{allow: onlyAdmin}
	p.grant("Trace", ppl, "user at holdings blocked")
	p.grant("Holding", ppl, "holder categories country regime adequacy adequate depth chain users")
	p.grant("TraceStep", ppl, "transfer exporter importer importerRole country regime mechanism fallbackMechanism contract clauses safeguards "+
		"categories purposes honoursOptOuts activeFrom activeUntil")
	p.grant("BlockedFlow", ppl, "transfer exporter importer categories consent reason")
	p.grant("RequestStatusChange", ppl, "status at note")
	p.grant("RetainedData", ppl, "categoryKey until reason")
	p.grant("ErasurePreview", ppl, "user at deleted retained instruct notify")
	p.grant("CategoryCount", ppl, "categoryKey records")
	p.grant("ErasureRecipient", ppl, "holder role erase kept required chain")
	p.grant("Exposure", mod, "holder at categories upstream downstream countries users")
	p.grant("DataFlowGraph", mod, "at nodes edges")
	p.grant("DataFlowNode", mod, "holder country exports imports")
	p.grant("Finding", mod, "id rule severity targetID targetType targetLabel message remedy evidence related since historic at")
	p.grant("Evidence", mod, "kind id label")
	p.grant("Rule", mod, "id severity title legalReference remedy invalidatesTransfer")
	p.grant("ComplianceSummary", mod, "at total bySeverity byRule invalidTransfers")
	p.grant("RecordSource", mod, "type id")
	p.grant("RecordLine", mod, "text sources")
	p.grant("RecordGap", mod, "field reason sources")
	p.grant("RecordParty", mod, "name contact dpo representative sources")
	p.grant("ProcessingActivity", mod, "purpose legalBasis subjects data recipients transfers erasure")
	p.grant("ControllerRecord", mod, "controller jointControllers activities measures gaps")
	p.grant("ProcessingOnBehalf", mod, "controller processing transfers")
	p.grant("ProcessorRecord", mod, "processor controllers measures gaps")
	p.grant("ProcessingRecords", mod, "at controllers processors gapCount")
	p.grant("WhatIf", mod, "at appeared disappeared flowsLosingGround flowsOnFallback")
	p.grant("LostFlow", mod, "transfer exporter importer reasons categories subjects fallbackMechanism fallbackContract fallbackHolds")
	p.grant("SeverityCount", mod, "severity count")
	p.grant("RuleCount", mod, "rule count")
	p.grant("RetentionItem", stw, "id record rule action expiredAt")
	p.grant("SweepReport", adm, "at dryRun expired deleted anonymized held batches rules")
	p.grant("SweepRuleCount", adm, "rule action records")
	p.grant("Viewer", Rule{allow: registry}, "name role user")
}

// roots are the rules of the queries and mutations.
func (p *Policy) roots() {
	reg, mod, stw, adm := Rule{allow: registry}, Rule{allow: model}, Rule{allow: stewards}, Rule{allow: onlyAdmin}
	p.grant("Query", Rule{allow: registry}, "node nodes viewer") // each object node finds is checked (see Guard)
	p.grant("Query", adm, "apiTokens operators")
	p.grant("Query", stw, "auditEvents retentionPreview webhookSubscribers webhookDeliveries")
	p.grant("Query", reg, "adequacyDecisions countries organizations vendors subprocessorChanges subprocessorAnnouncements purposes dataCategories retentionRules")
	p.grant("Query", mod, "assessments clauses contracts contractParties transfers securityMeasures consents dataRecords disclosures requests requestTasks users "+
		"findings complianceSummary rules holders exposure dataFlows whatIf processingRecords")
	p.grant("Query", Rule{allow: people, own: argUser}, "trace erasurePreview")

	p.grant("Mutation", stw, "createOrganization updateOrganization createVendor updateVendor createTransfer updateTransfer "+
		"createSubprocessorChange updateSubprocessorChange createDisclosure updateDisclosure createDataCategory updateDataCategory "+
		"createPurpose updatePurpose createContract updateContract createContractParty updateContractParty createClause updateClause "+
		"createRetentionRule updateRetentionRule createSecurityMeasure updateSecurityMeasure createAssessment updateAssessment "+
		"createRequestTask updateRequestTask deleteNode "+
		"extendRequest completeRequest rejectRequest eraseRequest confirmRequestTask rectifyUser rectifyDataRecord "+
		"announceSubprocessorChange recordSubprocessorObjection decideSubprocessorObjection "+
		"createWebhookSubscriber updateWebhookSubscriber deleteWebhookSubscriber pingWebhook")
	p.grant("Mutation", adm, "createAdequacyDecision updateAdequacyDecision createUser updateUser createDataRecord updateDataRecord "+
		"createRequest updateRequest createOperator updateOperator runRetentionSweep")
	p.grant("Mutation", Rule{allow: stewards | subject, own: inputUser}, "submitRequest recordConsent")
}

// argUser reads the user argument of trace.
func argUser(args map[string]any) (pulid.ID, bool) {
	id, ok := args["user"].(pulid.ID)
	return id, ok
}

// inputUser reads the user of submitRequest's and recordConsent's input.
func inputUser(args map[string]any) (pulid.ID, bool) {
	switch in := args["input"].(type) {
	case gqlmodel.SubmitRequestInput:
		return in.User, true
	case *gqlmodel.SubmitRequestInput:
		return in.User, true
	case gqlmodel.RecordConsentInput:
		return in.User, true
	case *gqlmodel.RecordConsentInput:
		return in.User, true
	}
	return "", false
}
