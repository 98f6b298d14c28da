package compliance

import (
	"fmt"
	"slices"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/contract"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/vocab"
)

// defaultTIAYears is how long a transfer impact assessment stands when it
// records no re-evaluation date.
const defaultTIAYears = 2

// checkTransfers evaluates every transfer active at e.at: its mechanism,
// its transfer impact assessment and the history of its SCC accessions.
func (e *eval) checkTransfers() {
	for _, t := range e.active {
		e.checkMechanism(t)
		e.checkTIA(t)
		e.checkAccessionHistory(t)
	}
}

// checkMechanism reports a transfer that leaves the regime's home area with
// no mechanism that holds. The main mechanism is tried, then the fallback;
// a transfer is still lawful when an adequacy decision covers it, whatever
// mechanism was declared. What fails is reported by the rule of the
// instrument at fault (a repealed or modified SCC, a lapsed
// certification...); only the want of any instrument is reported as "no
// mechanism", or as an onward transfer without grounds when the exporter
// itself sits in a third country.
func (e *eval) checkMechanism(t *ent.Transfer) {
	if e.home(t.Regime, t.CountryID) {
		return
	}
	main := e.mechanism(t, t.Mechanism)
	if len(main) == 0 {
		return
	}
	var fallback []defect
	if t.FallbackMechanism != nil {
		if fallback = e.mechanism(t, *t.FallbackMechanism); len(fallback) == 0 {
			return
		}
	}
	declaredAdequacy := t.Mechanism == vocab.MechanismAdequacy ||
		(t.FallbackMechanism != nil && *t.FallbackMechanism == vocab.MechanismAdequacy)
	if !declaredAdequacy && len(e.adequate(t)) == 0 {
		return // an adequacy decision covers it, whatever was declared
	}
	report, other := main, fallback
	if allGeneric(main) && len(fallback) > 0 && !allGeneric(fallback) {
		report, other = fallback, main
	}

	from, to := exporterID(t), importerID(t)
	onward := !e.home(t.Regime, e.holderCountry(from))
	type group struct {
		ruleID, key string
		defects     []defect
	}
	var groups []*group
	index := map[[2]string]*group{}
	for _, d := range report {
		ruleID := d.ruleID
		if ruleID == RuleNoMechanism && onward {
			ruleID = RuleOnwardNoGrounds
		}
		k := [2]string{ruleID, d.key}
		if index[k] == nil {
			index[k] = &group{ruleID: ruleID, key: d.key}
			groups = append(groups, index[k])
		}
		index[k].defects = append(index[k].defects, d)
	}
	for _, g := range groups {
		var msg string
		if g.ruleID == RuleOnwardNoGrounds {
			msg = fmt.Sprintf("%s, itself in %s, passes personal data on to %s in %s since %s without a ground for the onward transfer: %s.",
				e.holderName(from), e.countryName(e.holderCountry(from)), e.holderName(to), e.countryName(t.CountryID),
				day(t.ActiveFrom), reasons(g.defects))
		} else {
			msg = fmt.Sprintf("%s transfers personal data to %s in %s since %s, but %s.",
				e.holderName(from), e.holderName(to), e.countryName(t.CountryID), day(t.ActiveFrom), reasons(g.defects))
		}
		if len(other) > 0 {
			msg += fmt.Sprintf(" The other declared mechanism does not hold either: %s.", reasons(other))
		}
		f := e.add(g.ruleID, e.transferTarget(t), g.key, msg)
		f.Evidence = e.chainEvidence(t)
		f.relate(from, to)
		since := t.ActiveFrom
		for _, d := range g.defects {
			if d.since != nil && d.since.After(since) {
				since = *d.since
			}
			if d.contract != nil && !slices.Contains(f.Related, d.contract.ID) {
				f.Evidence = append(f.Evidence, e.contractEvidence(d.contract, ""))
				f.relate(d.contract.ID)
			}
		}
		f.Since = ptr(since)
	}
}

// allGeneric reports whether every defect is the want of any mechanism.
func allGeneric(ds []defect) bool {
	for _, d := range ds {
		if !d.generic() {
			return false
		}
	}
	return true
}

// reliesOnSCC reports whether a transfer relies on SCCs, as its main or its
// fallback mechanism.
func reliesOnSCC(t *ent.Transfer) bool {
	return t.Mechanism == vocab.MechanismSCC ||
		(t.FallbackMechanism != nil && *t.FallbackMechanism == vocab.MechanismSCC)
}

// checkTIA reports a transfer to a third country that relies on SCCs with no
// transfer impact assessment on record at e.at, or whose latest assessment
// is past its re-evaluation date. Where an adequacy decision covers the
// importer the SCCs are a second safeguard, and no assessment is required.
func (e *eval) checkTIA(t *ent.Transfer) {
	if !reliesOnSCC(t) || e.home(t.Regime, t.CountryID) || len(e.adequate(t)) == 0 {
		return
	}
	var latest *ent.Assessment
	for _, a := range e.tias[t.ID] {
		if !a.PerformedAt.After(e.at) {
			latest = a
		}
	}
	from, to := exporterID(t), importerID(t)
	clauses := "Standard Contractual Clauses"
	c := e.sccContract(t)
	if c != nil {
		clauses = c.Title
	}
	if latest == nil {
		f := e.add(RuleTIAMissing, e.transferTarget(t), "", fmt.Sprintf(
			"%s transfers personal data to %s in %s since %s under %s, and no transfer impact assessment of the transfer is on record.",
			e.holderName(from), e.holderName(to), e.countryName(t.CountryID), day(t.ActiveFrom), clauses))
		f.Evidence = e.chainEvidence(t)
		f.relate(from, to)
		if c != nil {
			f.Evidence = append(f.Evidence, e.contractEvidence(c, ""))
			f.relate(c.ID)
		}
		f.Since = ptr(t.ActiveFrom)
		return
	}
	due := latest.PerformedAt.AddDate(defaultTIAYears, 0, 0)
	if latest.NextDue != nil {
		due = *latest.NextDue
	}
	if !due.Before(e.at) {
		return
	}
	f := e.add(RuleTIAOverdue, e.transferTarget(t), "", fmt.Sprintf(
		"The transfer impact assessment of %s → %s (%s) of %s was due for re-evaluation on %s.",
		e.holderName(from), e.holderName(to), e.countryName(t.CountryID), day(latest.PerformedAt), day(due)))
	f.Evidence = append(e.chainEvidence(t), &Evidence{Kind: TargetAssessment, ID: latest.ID,
		Label: fmt.Sprintf("TIA of %s, outcome %s, re-evaluation due %s", day(latest.PerformedAt), latest.Outcome, day(due))})
	f.relate(from, to)
	f.Since = ptr(due)
}

// checkAccessionHistory reports, as historic, a transfer that relies on
// SCCs and began before one of its ends acceded to them under Clause 7,
// when that end has acceded since. (While the accession is still to come,
// the SCCs do not hold and checkMechanism reports it as current.)
func (e *eval) checkAccessionHistory(t *ent.Transfer) {
	if !reliesOnSCC(t) {
		return
	}
	c := e.sccContract(t)
	if c == nil || c.Kind != contract.KindScc {
		return
	}
	from, to := exporterID(t), importerID(t)
	for _, end := range []pulid.ID{from, to} {
		p := e.partyOf(c, end)
		if p == nil || p.AccessionDate == nil || !t.ActiveFrom.Before(*p.AccessionDate) || p.AccessionDate.After(e.at) {
			continue
		}
		gap := int(p.AccessionDate.Sub(t.ActiveFrom).Hours() / 24)
		f := e.add(RuleSCCBeforeAccession, e.transferTarget(t), string(end), fmt.Sprintf(
			"%s transfers personal data to %s in %s under %s since %s, but %s only acceded to the clauses under Clause 7 on %s: for %d days the transfer had no valid mechanism.",
			e.holderName(from), e.holderName(to), e.countryName(t.CountryID), c.Title, day(t.ActiveFrom),
			e.holderName(end), day(*p.AccessionDate), gap))
		f.Historic = true
		f.Since = ptr(t.ActiveFrom)
		f.Evidence = append(e.chainEvidence(t),
			e.contractEvidence(c, fmt.Sprintf("%s: %s acceded on %s", c.Title, e.holderName(end), day(*p.AccessionDate))))
		f.relate(from, to, c.ID)
	}
}
