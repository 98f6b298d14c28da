package compliance

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"time"

	"github.com/privhub/privhub/internal/pulid"
)

// The kinds of the nodes findings are about or cite as evidence: their
// GraphQL type names.
const (
	TargetVendor       = "Vendor"
	TargetOrganization = "Organization"
	TargetTransfer     = "Transfer"
	TargetContract     = "Contract"
	TargetDisclosure   = "Disclosure"
	TargetRequest      = "Request"
	TargetUser         = "User"
	TargetDataRecord   = "DataRecord"
	TargetChange       = "SubprocessorChange"
	TargetAssessment   = "Assessment"
	TargetAnnouncement = "SubprocessorAnnouncement"
)

// Finding is one breach of one rule by one object, as of an instant.
type Finding struct {
	// ID is a global ID ("fnd_..."), stable: the same rule, target and key
	// give the same ID at every instant and on every load, so that clients
	// can track a finding and refetch it with node(id:).
	ID pulid.ID `json:"id"`
	// RuleID is the ID of the rule breached.
	RuleID string `json:"ruleId"`
	// Rule is the rule breached.
	Rule *Rule `json:"-"`
	// Severity is the rule's severity.
	Severity Severity `json:"severity"`
	// TargetID is the ID of the object the finding is about: a vendor,
	// organization, transfer, contract, disclosure, request...
	TargetID pulid.ID `json:"targetId"`
	// TargetType is the GraphQL type name of the target, e.g. "Transfer".
	TargetType string `json:"targetType"`
	// TargetLabel names the target for people, e.g. "Lumora SA → Heatmapr Ltd".
	TargetLabel string `json:"targetLabel"`
	// Message states the facts: which country, which contract, since when.
	Message string `json:"message"`
	// Remedy says what to do; it is the rule's remedy.
	Remedy string `json:"remedy"`
	// Evidence lists the objects that show the breach, in order, e.g. the
	// chain of transfers through which a subprocessor receives the data, or
	// the users a disclosure should not have included.
	Evidence []*Evidence `json:"evidence,omitempty"`
	// Related lists the IDs of the other main objects involved (the
	// vendors, organizations, contracts and transfers), so that a vendor's
	// or a contract's findings include those about its flows.
	Related []pulid.ID `json:"related,omitempty"`
	// Since is when the breach began, when known.
	Since *time.Time `json:"since,omitempty"`
	// Historic is true when the breach lies in the past as of the instant
	// checked (e.g. a party that acted before its accession and has acceded
	// since): it stays on record until it is remediated and documented.
	Historic bool `json:"historic"`
	// At is the instant the finding was evaluated as of.
	At time.Time `json:"at"`
}

// Evidence is one object that supports a finding.
type Evidence struct {
	// Kind is the GraphQL type name of the object, e.g. "Transfer" or "User".
	Kind string `json:"kind"`
	// ID is the object's ID.
	ID pulid.ID `json:"id"`
	// Label describes the object and its part in the finding.
	Label string `json:"label"`
}

// Involves reports whether the finding is about the object with the given
// ID, names it as related, or lists it as evidence.
func (f *Finding) Involves(id pulid.ID) bool {
	if f.TargetID == id || slices.Contains(f.Related, id) {
		return true
	}
	for _, e := range f.Evidence {
		if e.ID == id {
			return true
		}
	}
	return false
}

// findingID derives a finding's stable ID from its rule, its target and a
// key that tells apart two findings of one rule about one target.
func findingID(ruleID string, target pulid.ID, key string) pulid.ID {
	h := sha256.New()
	for _, s := range []string{ruleID, string(target), key} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return pulid.ID(IDPrefix + "_" + hex.EncodeToString(h.Sum(nil)[:12]))
}

// sortFindings orders findings by severity (most urgent first), then rule
// ID, then target label and ID, then finding ID.
func sortFindings(fs []*Finding) {
	slices.SortFunc(fs, func(a, b *Finding) int {
		return cmp.Or(
			cmp.Compare(a.Severity.Rank(), b.Severity.Rank()),
			cmp.Compare(a.RuleID, b.RuleID),
			cmp.Compare(a.TargetLabel, b.TargetLabel),
			cmp.Compare(a.TargetID, b.TargetID),
			cmp.Compare(a.ID, b.ID),
		)
	})
}

// InvalidTransfers returns the IDs of the transfers that have no valid
// mechanism according to findings: the targets of the current (not
// historic) findings of the rules that invalidate a transfer, sorted and
// without duplicates.
func InvalidTransfers(findings []*Finding) []pulid.ID {
	var ids []pulid.ID
	for _, f := range findings {
		if f.Rule != nil && f.Rule.InvalidatesTransfer && !f.Historic && f.TargetType == TargetTransfer {
			ids = append(ids, f.TargetID)
		}
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

// Filter returns the findings that involve the object with the given ID
// (see Finding.Involves), in their order.
func Filter(findings []*Finding, id pulid.ID) []*Finding {
	var out []*Finding
	for _, f := range findings {
		if f.Involves(id) {
			out = append(out, f)
		}
	}
	return out
}

// MaxSeverity returns the most urgent severity among findings, and false
// when there are none.
func MaxSeverity(findings []*Finding) (Severity, bool) {
	if len(findings) == 0 {
		return "", false
	}
	best := findings[0].Severity
	for _, f := range findings[1:] {
		if f.Severity.Rank() < best.Rank() {
			best = f.Severity
		}
	}
	return best, true
}

// Summary counts findings by severity and by rule.
type Summary struct {
	// At is the instant the findings were evaluated as of.
	At time.Time `json:"at"`
	// Total is the number of findings.
	Total int `json:"total"`
	// BySeverity has one entry per severity, most urgent first, zeros
	// included.
	BySeverity []*SeverityCount `json:"bySeverity,omitempty"`
	// ByRule has one entry per rule of the catalogue, in catalogue order,
	// zeros included.
	ByRule []*RuleCount `json:"byRule,omitempty"`
	// InvalidTransfers is the number of transfers with no valid mechanism.
	InvalidTransfers int `json:"invalidTransfers"`
}

// SeverityCount is the number of findings of one severity.
type SeverityCount struct {
	Severity Severity `json:"severity"`
	Count    int      `json:"count"`
}

// RuleCount is the number of findings of one rule.
type RuleCount struct {
	Rule  *Rule `json:"rule,omitempty"`
	Count int   `json:"count"`
}

// Summarize counts findings evaluated as of at.
func Summarize(at time.Time, findings []*Finding) *Summary {
	s := &Summary{At: at, Total: len(findings), InvalidTransfers: len(InvalidTransfers(findings))}
	bySeverity := map[Severity]int{}
	byRule := map[string]int{}
	for _, f := range findings {
		bySeverity[f.Severity]++
		byRule[f.RuleID]++
	}
	for _, v := range Severity("").Values() {
		s.BySeverity = append(s.BySeverity, &SeverityCount{Severity: Severity(v), Count: bySeverity[Severity(v)]})
	}
	for _, r := range catalogue {
		s.ByRule = append(s.ByRule, &RuleCount{Rule: r, Count: byRule[r.ID]})
	}
	return s
}
