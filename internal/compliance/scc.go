package compliance

import (
	"fmt"
	"slices"
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/contract"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/vocab"
)

// Dates of Decision 2021/914's Art. 4: the earlier clauses were repealed
// with effect from 27 September 2021, and contracts concluded on them before
// then provided appropriate safeguards until 27 December 2022.
var (
	sccRepealedAt   = time.Date(2021, 9, 27, 0, 0, 0, 0, time.UTC)
	sccTransitionTo = time.Date(2022, 12, 27, 0, 0, 0, 0, time.UTC)
)

// decisionName returns the reference of an SCC decision.
func decisionName(d contract.SccDecision) string {
	switch d {
	case contract.SccDecisionDecision2010_87:
		return "Decision 2010/87/EU"
	case contract.SccDecisionDecision2001_497:
		return "Decision 2001/497/EC"
	}
	return "Decision (EU) 2021/914"
}

// moduleNumber returns the number of an SCC module.
func moduleNumber(m contract.SccModule) int {
	switch m {
	case contract.SccModuleC2c:
		return 1
	case contract.SccModuleC2p:
		return 2
	case contract.SccModuleP2p:
		return 3
	}
	return 4
}

// moduleRoles returns the roles a module expects of the exporter and of the
// importer.
func moduleRoles(m contract.SccModule) (exporter, importer []vocab.ProcessingRole) {
	controllers := []vocab.ProcessingRole{vocab.RoleController, vocab.RoleJointController}
	processors := []vocab.ProcessingRole{vocab.RoleProcessor, vocab.RoleSubprocessor}
	switch m {
	case contract.SccModuleC2c:
		return controllers, controllers
	case contract.SccModuleC2p:
		return controllers, []vocab.ProcessingRole{vocab.RoleProcessor}
	case contract.SccModuleP2p:
		return processors, processors
	}
	return processors, controllers
}

// sccContract returns the clauses a transfer relies on for the SCC
// mechanism: its governing contract when that is an SCC, a UK IDTA or a UK
// Addendum, otherwise SCCs binding both of its ends; nil when there are none.
func (e *eval) sccContract(t *ent.Transfer) *ent.Contract {
	kinds := []contract.Kind{contract.KindScc, contract.KindUkIdta, contract.KindUkAddendum}
	if t.ContractID != nil {
		if c, ok := e.contracts[*t.ContractID]; ok && slices.Contains(kinds, c.Kind) {
			return c
		}
	}
	return e.bindingContract(t, kinds...)
}

// sccDefects returns the defects of the SCCs a transfer relies on, as of
// e.at; none when they hold.
func (e *eval) sccDefects(t *ent.Transfer) []defect {
	from, to := exporterID(t), importerID(t)
	c := e.sccContract(t)
	if c == nil {
		return []defect{{ruleID: RuleNoMechanism,
			reason: fmt.Sprintf("it relies on Standard Contractual Clauses, but none between %s and %s are on record; and %s",
				e.holderName(from), e.holderName(to), e.noAdequacyReason(t))}}
	}
	if !e.binds(c, from, to) {
		missing := from
		if e.partyOf(c, from) != nil {
			missing = to
		}
		return []defect{{ruleID: RuleNoMechanism, contract: c,
			reason: fmt.Sprintf("it relies on %s, to which %s is not a party", c.Title, e.holderName(missing))}}
	}
	if !e.inForce(c) {
		return []defect{{ruleID: RuleNoMechanism, contract: c, since: c.ExpiresAt,
			reason: "it relies on SCCs that are not in force: " + e.contractPeriod(c)}}
	}
	if c.Kind != contract.KindScc {
		return nil // UK IDTA or Addendum: nothing more on record to check
	}
	decision := contract.SccDecisionDecision2021_914
	if c.SccDecision != nil {
		decision = *c.SccDecision
	}
	if decision != contract.SccDecisionDecision2021_914 {
		if d := e.repealed(c, decision); d != nil {
			return []defect{*d}
		}
		return nil // the transition period of the old clauses
	}
	var ds []defect
	for _, end := range []pulid.ID{from, to} {
		p := e.partyOf(c, end)
		if p.AccessionDate != nil && p.AccessionDate.After(e.at) {
			ds = append(ds, defect{ruleID: RuleSCCBeforeAccession, contract: c, since: ptr(t.ActiveFrom), key: string(end),
				reason: fmt.Sprintf("it relies on %s, to which %s only accedes under Clause 7 on %s",
					c.Title, e.holderName(end), day(*p.AccessionDate))})
		}
	}
	if c.SccModule == nil {
		return ds
	}
	module := *c.SccModule
	if d := e.moduleMismatch(t, c, module); d != nil {
		ds = append(ds, *d)
	}
	if module == contract.SccModuleP2c {
		return ds // Module 4 leaves the governing law and the forum open
	}
	if c.Clause17LawCountryID != nil && !e.sccCountryAllowed(c.Regime, *c.Clause17LawCountryID) {
		ds = append(ds, defect{ruleID: RuleSCCClause17, contract: c, since: signedOr(c, t.ActiveFrom),
			reason: fmt.Sprintf("it relies on %s, whose Clause 17 chooses the law of %s, not that of an EU/EEA member state as Module %d requires",
				c.Title, e.countryName(*c.Clause17LawCountryID), moduleNumber(module))})
	}
	if c.Clause18ForumCountryID != nil && !e.sccCountryAllowed(c.Regime, *c.Clause18ForumCountryID) {
		ds = append(ds, defect{ruleID: RuleSCCClause18, contract: c, since: signedOr(c, t.ActiveFrom),
			reason: fmt.Sprintf("it relies on %s, whose Clause 18 chooses the courts of %s, not those of an EU/EEA member state as Module %d requires",
				c.Title, e.countryName(*c.Clause18ForumCountryID), moduleNumber(module))})
	}
	return ds
}

// repealed returns the defect of clauses based on a repealed decision, or
// nil while they still provide safeguards (concluded before the repeal, and
// checked before the end of the transition period).
func (e *eval) repealed(c *ent.Contract, d contract.SccDecision) *defect {
	signed := c.SignedAt
	if signed == nil {
		signed = c.EffectiveAt
	}
	if signed != nil && !signed.Before(sccRepealedAt) {
		return &defect{ruleID: RuleSCCRepealed, contract: c, since: signed,
			reason: fmt.Sprintf("it relies on %s, signed on %s under %s, which had been repealed on %s",
				c.Title, day(*signed), decisionName(d), day(sccRepealedAt))}
	}
	if e.at.Before(sccTransitionTo) {
		return nil
	}
	when := "on an unknown date"
	if signed != nil {
		when = "on " + day(*signed)
	}
	return &defect{ruleID: RuleSCCRepealed, contract: c, since: ptr(sccTransitionTo),
		reason: fmt.Sprintf("it relies on %s, signed %s under %s, which Decision (EU) 2021/914 repealed: such clauses stopped providing appropriate safeguards on %s",
			c.Title, when, decisionName(d), day(sccTransitionTo))}
}

// moduleMismatch returns the defect of a module that does not match the
// roles of the transfer's ends, or nil. The importer's role is the one the
// transfer records; the exporter's is its capacity in the contract.
func (e *eval) moduleMismatch(t *ent.Transfer, c *ent.Contract, m contract.SccModule) *defect {
	wantFrom, wantTo := moduleRoles(m)
	var problems []string
	if !slices.Contains(wantTo, t.ImporterRole) {
		problems = append(problems, fmt.Sprintf("the importer %s acts as %s", e.holderName(importerID(t)), t.ImporterRole))
	}
	if p := e.partyOf(c, exporterID(t)); p != nil && !slices.Contains(wantFrom, p.Capacity) {
		problems = append(problems, fmt.Sprintf("the exporter %s signed as %s", e.holderName(exporterID(t)), p.Capacity))
	}
	if len(problems) == 0 {
		return nil
	}
	return &defect{ruleID: RuleSCCModuleMismatch, contract: c, since: ptr(t.ActiveFrom),
		reason: fmt.Sprintf("it relies on %s in Module %d (%s), but %s", c.Title, moduleNumber(m), moduleTitle(m), joinAnd(problems))}
}

// moduleTitle describes a module by the roles it is for.
func moduleTitle(m contract.SccModule) string {
	switch m {
	case contract.SccModuleC2c:
		return "controller to controller"
	case contract.SccModuleC2p:
		return "controller to processor"
	case contract.SccModuleP2p:
		return "processor to processor"
	}
	return "processor to controller"
}

// sccCountryAllowed reports whether Clauses 17 and 18 of modules 1 to 3 may
// name a country under the contract's regime: an EU/EEA state, and
// Switzerland as well for the Swiss FADP. UK transfers use the UK Addendum,
// which sets English law itself; they are not checked.
func (e *eval) sccCountryAllowed(r vocab.Regime, country pulid.ID) bool {
	switch r {
	case vocab.RegimeUK:
		return true
	case vocab.RegimeCH:
		return country == pulid.Country("CH") || e.eea(country)
	}
	return e.eea(country)
}

// signedOr returns a contract's signature date, or def when it has none.
func signedOr(c *ent.Contract, def time.Time) *time.Time {
	if c.SignedAt != nil {
		return c.SignedAt
	}
	return &def
}

// joinAnd joins phrases with commas and a final "and".
func joinAnd(ss []string) string {
	switch len(ss) {
	case 0:
		return ""
	case 1:
		return ss[0]
	}
	out := ss[0]
	for _, s := range ss[1 : len(ss)-1] {
		out += ", " + s
	}
	return out + " and " + ss[len(ss)-1]
}
