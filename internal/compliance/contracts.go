package compliance

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/contract"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/vocab"
)

// ExpiringWithin is how far ahead of its expiry a contract relied on is
// reported as expiring.
const ExpiringWithin = 90 * 24 * time.Hour

// processorPair is a controller (or processor) and the processor (or
// subprocessor) it shares data with, and the active transfers between them.
type processorPair struct {
	from, to  pulid.ID
	transfers []*ent.Transfer
}

// processorPairs returns the pairs of the transfers active at e.at whose
// importer acts as processor or subprocessor, in transfer label order.
func (e *eval) processorPairs() []*processorPair {
	var out []*processorPair
	index := map[[2]pulid.ID]*processorPair{}
	for _, t := range e.active {
		if t.ImporterRole != vocab.RoleProcessor && t.ImporterRole != vocab.RoleSubprocessor {
			continue
		}
		k := [2]pulid.ID{exporterID(t), importerID(t)}
		if index[k] == nil {
			index[k] = &processorPair{from: k[0], to: k[1]}
			out = append(out, index[k])
		}
		index[k].transfers = append(index[k].transfers, t)
	}
	return out
}

// checkContracts reports processors with no processing agreement in force,
// agreements that lack Art. 28(3) stipulations, and contracts relied on
// that have expired or expire soon.
func (e *eval) checkContracts() {
	used := map[pulid.ID][]*ent.Transfer{} // DPAs in force for processor pairs
	for _, p := range e.processorPairs() {
		var dpas []*ent.Contract
		var lapsed *ent.Contract
		art28 := false // 2021 SCCs of modules 2 and 3 carry the Art. 28(3) terms
		// The contracts both sign, by title: walk the shorter list.
		mine, other := e.contractsOf[p.from], p.to
		if theirs := e.contractsOf[p.to]; len(theirs) < len(mine) {
			mine, other = theirs, p.from
		}
		for _, c := range mine {
			if e.partyOf(c, other) == nil {
				continue
			}
			switch {
			case c.Kind == contract.KindDpa && e.inForce(c):
				dpas = append(dpas, c)
			case c.Kind == contract.KindDpa:
				lapsed = c
			case c.Kind == contract.KindScc && e.inForce(c) && c.SccModule != nil &&
				(*c.SccModule == contract.SccModuleC2p || *c.SccModule == contract.SccModuleP2p) &&
				(c.SccDecision == nil || *c.SccDecision == contract.SccDecisionDecision2021_914):
				art28 = true
			}
		}
		for _, c := range dpas {
			used[c.ID] = append(used[c.ID], p.transfers...)
		}
		if len(dpas) > 0 || art28 {
			continue
		}
		e.dpaMissing(p, lapsed)
	}
	for _, c := range e.contractList {
		if ts, ok := used[c.ID]; ok {
			e.dpaIncomplete(c, ts)
		}
	}

	governing := map[pulid.ID][]*ent.Transfer{}
	for _, t := range e.active {
		if t.ContractID != nil {
			governing[*t.ContractID] = append(governing[*t.ContractID], t)
		}
	}
	for _, c := range e.contractList {
		if c.ExpiresAt == nil {
			continue
		}
		ts := governing[c.ID]
		if c.ExpiresAt.Before(e.at) {
			if len(ts) > 0 {
				f := e.add(RuleContractExpired, e.contractTarget(c), "", fmt.Sprintf(
					"%s expired on %s, yet %s still rel%s on it.", c.Title, day(*c.ExpiresAt), countTransfers(len(ts)), verbS(len(ts))))
				e.contractFinding(f, c, ts)
				f.Since = c.ExpiresAt
			}
			continue
		}
		ts = append(ts, used[c.ID]...)
		if len(ts) > 0 && c.ExpiresAt.Before(e.at.Add(ExpiringWithin)) {
			days := int(c.ExpiresAt.Sub(e.at).Hours() / 24)
			f := e.add(RuleContractExpiring, e.contractTarget(c), "", fmt.Sprintf(
				"%s expires on %s, in %d days; %s rel%s on it.", c.Title, day(*c.ExpiresAt), days, countTransfers(len(ts)), verbS(len(ts))))
			e.contractFinding(f, c, ts)
		}
	}
}

// dpaMissing reports a processor pair with no processing agreement in force.
func (e *eval) dpaMissing(p *processorPair, lapsed *ent.Contract) {
	first := p.transfers[0]
	since := first.ActiveFrom
	var names []string
	for _, t := range p.transfers {
		if t.ActiveFrom.Before(since) {
			since = t.ActiveFrom
		}
		if t.Name != "" {
			names = append(names, t.Name)
		}
	}
	msg := fmt.Sprintf("%s processes personal data for %s as %s since %s", e.holderName(p.to), e.holderName(p.from),
		strings.ToLower(string(first.ImporterRole)), day(since))
	if len(names) > 0 {
		msg += " (" + strings.Join(names, ", ") + ")"
	}
	msg += ", with no data processing agreement between them in force"
	if lapsed != nil {
		msg += ": " + e.contractPeriod(lapsed)
	}
	f := e.add(RuleDPAMissing, e.holderTarget(p.to), string(p.from), msg+".")
	f.Since = ptr(since)
	for _, t := range p.transfers {
		f.Evidence = append(f.Evidence, e.transferEvidence(t))
		f.relate(t.ID)
	}
	if lapsed != nil {
		f.Evidence = append(f.Evidence, e.contractEvidence(lapsed, e.contractPeriod(lapsed)))
		f.relate(lapsed.ID)
	}
	f.relate(p.from)
}

// dpaIncomplete reports a processing agreement in force, relied on by the
// given transfers, that lacks some of the Art. 28(3)(a)-(h) stipulations.
func (e *eval) dpaIncomplete(c *ent.Contract, ts []*ent.Transfer) {
	var missing []string
	for _, v := range vocab.Stipulation("").Values() {
		if !slices.Contains(c.DpaStipulations, vocab.Stipulation(v)) {
			missing = append(missing, v)
		}
	}
	if len(missing) == 0 {
		return
	}
	f := e.add(RuleDPAIncomplete, e.contractTarget(c), "", fmt.Sprintf(
		"%s lacks %d of the Art. 28(3) stipulations: %s.", c.Title, len(missing), strings.Join(missing, ", ")))
	// Incomplete since it took effect (or was signed); undated, since the
	// first transfer relying on it began.
	f.Since = c.EffectiveAt
	if f.Since == nil {
		f.Since = c.SignedAt
	}
	for _, t := range ts {
		if c.EffectiveAt == nil && c.SignedAt == nil && (f.Since == nil || t.ActiveFrom.Before(*f.Since)) {
			f.Since = ptr(t.ActiveFrom)
		}
	}
	e.contractFinding(f, c, ts)
}

// contractTarget returns a contract as a finding target.
func (e *eval) contractTarget(c *ent.Contract) target {
	return target{id: c.ID, typ: TargetContract, label: c.Title}
}

// contractFinding adds a contract's parties and the transfers relying on it
// to a finding about the contract.
func (e *eval) contractFinding(f *Finding, c *ent.Contract, ts []*ent.Transfer) {
	seen := map[pulid.ID]bool{}
	for _, t := range ts {
		if !seen[t.ID] {
			seen[t.ID] = true
			f.Evidence = append(f.Evidence, e.transferEvidence(t))
			f.relate(t.ID)
		}
	}
	for _, p := range e.parties[c.ID] {
		f.relate(either(p.OrganizationID, p.VendorID))
	}
}

func countTransfers(n int) string {
	if n == 1 {
		return "1 active transfer"
	}
	return fmt.Sprintf("%d active transfers", n)
}

func verbS(n int) string {
	if n == 1 {
		return "ies"
	}
	return "y"
}
