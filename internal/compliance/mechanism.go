package compliance

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/contract"
	"github.com/privhub/privhub/internal/law"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/vocab"
)

// defect is one reason why a transfer mechanism does not hold, with the rule
// that reports it.
type defect struct {
	ruleID string
	reason string
	since  *time.Time // when the mechanism stopped holding, when known
	// contract is the instrument at fault, if any.
	contract *ent.Contract
	// key tells apart two defects of one rule, e.g. the accessions of the
	// two ends of a transfer.
	key string
}

// generic reports whether the defect is the want of any mechanism, rather
// than a defect of a particular instrument.
func (d defect) generic() bool { return d.ruleID == RuleNoMechanism }

// mechanism returns the defects of mechanism m for transfer t as of e.at;
// none when the mechanism holds.
func (e *eval) mechanism(t *ent.Transfer, m vocab.Mechanism) []defect {
	country := e.countryName(t.CountryID)
	switch m {
	case vocab.MechanismIntraEEA:
		if e.eea(t.CountryID) {
			return nil
		}
		return []defect{{ruleID: RuleNoMechanism,
			reason: fmt.Sprintf("it is declared intra-EEA, but the importer processes the data in %s, outside the EEA", country)}}
	case vocab.MechanismAdequacy:
		return e.adequate(t)
	case vocab.MechanismSCC:
		return e.sccDefects(t)
	case vocab.MechanismBCR:
		if c := e.bindingContract(t, contract.KindBcr); c != nil {
			return nil
		}
		return []defect{{ruleID: RuleNoMechanism,
			reason: "it relies on binding corporate rules, but no BCRs in force bind both exporter and importer"}}
	case vocab.MechanismAdHocClauses:
		if t.ContractID != nil {
			if c, ok := e.contracts[*t.ContractID]; ok && e.inForce(c) {
				return nil
			}
		}
		return []defect{{ruleID: RuleNoMechanism,
			reason: "it relies on ad hoc contractual clauses, but its governing contract is missing or not in force"}}
	case vocab.MechanismDerogation:
		if t.Derogation != nil {
			return nil
		}
		return []defect{{ruleID: RuleNoMechanism, reason: "it relies on a derogation without naming its Art. 49(1) ground"}}
	case vocab.MechanismCodeOfConduct, vocab.MechanismCertification:
		// Declared tools privhub has nothing on record to verify against.
		return nil
	}
	return []defect{{ruleID: RuleNoMechanism,
		reason: fmt.Sprintf("no transfer mechanism covers it (declared %s) and %s", m, e.noAdequacyReason(t))}}
}

// adequate checks that an adequacy decision of the transfer's regime covers
// the importer's country, and the importer, at e.at (law.Cover decides).
func (e *eval) adequate(t *ent.Transfer) []defect {
	cov, d := law.Cover(e.adequacy[adequacyKey{t.Regime, t.CountryID}], t.Regime, e.certification(importerID(t)), e.at)
	switch cov {
	case law.Covered:
		return nil
	case law.Uncertified:
		reason, since := e.dpfReason(importerID(t), t.Regime)
		return []defect{{ruleID: RuleDPFInactive, since: since,
			reason: fmt.Sprintf("it relies on the adequacy decision for %s (%s), which only covers organisations certified under the Data Privacy Framework, and %s",
				e.countryName(t.CountryID), d.Reference, reason)}}
	case law.Sectoral:
		return []defect{{ruleID: RuleNoMechanism,
			reason: fmt.Sprintf("it relies on adequacy, but the decision for %s (%s) is sectoral and nothing on record shows the importer falls within it",
				e.countryName(t.CountryID), d.Reference)}}
	}
	return []defect{{ruleID: RuleNoMechanism, reason: "it relies on adequacy, but " + e.noAdequacyReason(t)}}
}

// certification returns a holder's Data Privacy Framework certification.
func (e *eval) certification(id pulid.ID) law.Certification {
	if v, ok := e.vendors[id]; ok {
		return law.CertificationOf(v)
	}
	if o, ok := e.orgs[id]; ok {
		return law.CertificationOf(o)
	}
	return law.Certification{}
}

// noAdequacyReason says why no adequacy decision covers a transfer's
// country at e.at: none exists, one starts later, or one has ended.
func (e *eval) noAdequacyReason(t *ent.Transfer) string {
	country := e.countryName(t.CountryID)
	decisions := e.adequacy[adequacyKey{t.Regime, t.CountryID}]
	for _, d := range decisions {
		if d.ValidFrom.After(e.at) {
			return fmt.Sprintf("the adequacy decision for %s (%s) only takes effect on %s", country, d.Reference, day(d.ValidFrom))
		}
	}
	for _, d := range slices.Backward(decisions) {
		if d.ValidUntil != nil && d.ValidUntil.Before(e.at) {
			return fmt.Sprintf("the adequacy decision for %s (%s) ended on %s", country, d.Reference, day(*d.ValidUntil))
		}
	}
	return fmt.Sprintf("there is no %s adequacy decision for %s", t.Regime, country)
}

// dpfReason says why an importer is not covered by its certification at
// e.at, and since when when it lapsed.
func (e *eval) dpfReason(id pulid.ID, r vocab.Regime) (string, *time.Time) {
	name := e.holderName(id)
	c := e.certification(id)
	switch {
	case c.From == nil:
		return name + " is not certified under it", nil
	case c.From.After(e.at):
		return fmt.Sprintf("%s's certification only starts on %s", name, day(*c.From)), nil
	case c.Until != nil && c.Until.Before(e.at):
		return fmt.Sprintf("%s's certification ended on %s", name, day(*c.Until)), c.Until
	}
	return fmt.Sprintf("%s is not certified under the %s programme", name, law.Programme(r)), nil
}

// inForce reports whether a contract is in force at e.at: it has taken
// effect (or was signed, when no effective date is on record) and has not
// expired. An undated contract is taken to be in force.
func (e *eval) inForce(c *ent.Contract) bool {
	start := c.EffectiveAt
	if start == nil {
		start = c.SignedAt
	}
	return law.Within(e.at, start, c.ExpiresAt)
}

// partyOf returns the party entry of a holder in a contract, or nil.
func (e *eval) partyOf(c *ent.Contract, holder pulid.ID) *ent.ContractParty {
	for _, p := range e.parties[c.ID] {
		if either(p.OrganizationID, p.VendorID) == holder {
			return p
		}
	}
	return nil
}

// binds reports whether both holders are parties to a contract.
func (e *eval) binds(c *ent.Contract, a, b pulid.ID) bool {
	return e.partyOf(c, a) != nil && e.partyOf(c, b) != nil
}

// bindingContract returns a contract of one of the kinds that binds a
// transfer's exporter and importer: its governing contract when it
// qualifies, otherwise the first qualifying one by title, preferring one in
// force at e.at. It returns nil when there is none.
func (e *eval) bindingContract(t *ent.Transfer, kinds ...contract.Kind) *ent.Contract {
	from, to := exporterID(t), importerID(t)
	if t.ContractID != nil {
		if c, ok := e.contracts[*t.ContractID]; ok && slices.Contains(kinds, c.Kind) && e.binds(c, from, to) {
			return c
		}
	}
	var fallback *ent.Contract
	for _, c := range e.contractsOf[from] {
		if !slices.Contains(kinds, c.Kind) || e.partyOf(c, to) == nil {
			continue
		}
		if e.inForce(c) {
			return c
		}
		if fallback == nil {
			fallback = c
		}
	}
	return fallback
}

// contractPeriod says why a contract is not in force at e.at.
func (e *eval) contractPeriod(c *ent.Contract) string {
	start := c.EffectiveAt
	if start == nil {
		start = c.SignedAt
	}
	if start != nil && start.After(e.at) {
		return fmt.Sprintf("%s only takes effect on %s", c.Title, day(*start))
	}
	if c.ExpiresAt != nil && c.ExpiresAt.Before(e.at) {
		return fmt.Sprintf("%s expired on %s", c.Title, day(*c.ExpiresAt))
	}
	return c.Title + " is in force"
}

// reasons joins the reasons of defects.
func reasons(ds []defect) string {
	var rs []string
	for _, d := range ds {
		rs = append(rs, d.reason)
	}
	return strings.Join(rs, "; ")
}
