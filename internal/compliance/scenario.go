package compliance

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/contract"
	"github.com/privhub/privhub/internal/apperr"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/vocab"
)

// Scenario is a change to the world to reason about without writing it:
// adequacy decisions revoked, certifications lapsed, vendors gone,
// contracts ended, all as of the instant asked about.
type Scenario struct {
	// AdequacyRevoked ends, just before the instant, every adequacy
	// decision of a regime for a country ("the DPF is annulled").
	AdequacyRevoked []Revocation
	// CertificationsLapsed ends the Data Privacy Framework certification
	// of these vendors or organisations just before the instant.
	CertificationsLapsed []pulid.ID
	// VendorsRemoved drops these vendors and every transfer to or from them.
	VendorsRemoved []pulid.ID
	// ContractsEnded ends these contracts just before the instant.
	ContractsEnded []pulid.ID
}

// Revocation names the adequacy decisions of one regime for one country.
type Revocation struct {
	// Country is the country's ID.
	Country pulid.ID
	// Regime is the regime whose decisions end.
	Regime vocab.Regime
}

// Outcome is what a scenario changes as of an instant.
type Outcome struct {
	// At is the instant.
	At time.Time
	// Appeared are the findings the scenario brings; Disappeared those it
	// removes.
	Appeared, Disappeared []*Finding
	// Lost are the active transfers that have a valid mechanism today and
	// lose it in the scenario.
	Lost []*LostFlow
	// OnFallback are the active transfers whose declared mechanism fails in
	// the scenario but whose fallback mechanism holds.
	OnFallback []*LostFlow
}

// LostFlow is a transfer that loses its ground in a scenario.
type LostFlow struct {
	// Transfer is the transfer.
	Transfer *ent.Transfer
	// Exporter and Importer are its ends.
	Exporter, Importer ent.Holder
	// Reasons say why its mechanism no longer holds.
	Reasons []string
	// Categories are the data categories it declares.
	Categories []*ent.DataCategory
	// Subjects counts the people whose data it carries: those with a record
	// of one of its categories (or a descendant), for one of its purposes,
	// collected by the organisation the data comes from, by the instant.
	Subjects int
	// Fallback is its fallback mechanism, if any.
	Fallback *vocab.Mechanism
	// FallbackContract is the instrument the fallback rests on, when it is
	// tied to a specific contract (SCCs, BCRs, ad hoc clauses).
	FallbackContract *ent.Contract
	// FallbackHolds says the fallback is valid in the scenario.
	FallbackHolds bool
}

// WhatIf evaluates the rules as of at on the data with scenario sc applied,
// and compares the findings with those of the data as it is. Nothing is
// written. An ID of the scenario that names nothing is an
// apperr.BadUserInput error.
func (c *Checker) WhatIf(ctx context.Context, sc Scenario, at time.Time) (*Outcome, error) {
	// Under the lock throughout: a refresh must not change the snapshot
	// while it is evaluated.
	c.mu.Lock()
	defer c.mu.Unlock()
	s, err := c.current(ctx)
	if err != nil {
		return nil, err
	}
	alt, err := s.apply(sc, at)
	if err != nil {
		return nil, err
	}
	base, scen := s.evaluate(at), alt.evaluate(at)
	o := &Outcome{At: at, Appeared: minus(scen, base), Disappeared: minus(base, scen)}
	lost := minusIDs(InvalidTransfers(scen), InvalidTransfers(base))
	e := alt.newEval(at)
	for _, id := range lost {
		t, ok := alt.transferByID[id]
		if !ok || !activeAt(t, at) {
			continue
		}
		o.Lost = append(o.Lost, e.lostFlow(t, scen))
	}
	now := s.newEval(at)
	for _, t := range e.active {
		if t.FallbackMechanism == nil || len(now.mechanism(t, t.Mechanism)) > 0 || len(e.mechanism(t, t.Mechanism)) == 0 {
			continue
		}
		if l := e.lostFlow(t, scen); l.FallbackHolds {
			l.Reasons = nil
			for _, d := range e.mechanism(t, t.Mechanism) {
				l.Reasons = append(l.Reasons, d.reason)
			}
			o.OnFallback = append(o.OnFallback, l)
		}
	}
	return o, nil
}

// current returns the snapshot the checker has in memory (brought up to
// date), or reads one when it keeps none. c.mu must be held.
func (c *Checker) current(ctx context.Context) (*snapshot, error) {
	if c.writes == nil {
		return load(ctx, c.client)
	}
	if err := c.catchUp(ctx); err != nil {
		return nil, err
	}
	if err := c.refresh(ctx, c.writes.load()); err != nil {
		return nil, err
	}
	return c.snap, nil
}

// apply returns a snapshot sharing s's data with the scenario's changes made
// on copies: s itself is not modified.
func (s *snapshot) apply(sc Scenario, at time.Time) (*snapshot, error) {
	before := at.Add(-time.Nanosecond)
	r := *s.registry
	if len(sc.AdequacyRevoked) > 0 {
		r.adequacy = make(map[adequacyKey][]*ent.AdequacyDecision, len(s.adequacy))
		for k, ds := range s.adequacy {
			r.adequacy[k] = ds
		}
		for _, rv := range sc.AdequacyRevoked {
			if s.countries[rv.Country] == nil {
				return nil, apperr.Invalid("adequacyRevoked", "no country has the ID %q", rv.Country)
			}
			k := adequacyKey{rv.Regime, rv.Country}
			ended := make([]*ent.AdequacyDecision, len(r.adequacy[k]))
			for i, d := range r.adequacy[k] {
				cp := *d
				if cp.ValidUntil == nil || cp.ValidUntil.After(before) {
					cp.ValidUntil = &before
				}
				ended[i] = &cp
			}
			r.adequacy[k] = ended
		}
	}
	if len(sc.CertificationsLapsed) > 0 {
		r.vendors, r.orgs = clone(s.vendors), clone(s.orgs)
		for _, id := range sc.CertificationsLapsed {
			switch {
			case s.vendors[id] != nil:
				cp := *s.vendors[id]
				cp.DpfActiveUntil = earlier(cp.DpfActiveUntil, before)
				r.vendors[id] = &cp
			case s.orgs[id] != nil:
				cp := *s.orgs[id]
				cp.DpfActiveUntil = earlier(cp.DpfActiveUntil, before)
				r.orgs[id] = &cp
			default:
				return nil, apperr.Invalid("certificationsLapsed", "no vendor or organization has the ID %q", id)
			}
		}
		r.vendorList = relist(s.vendorList, r.vendors, vendorID)
	}
	if len(sc.ContractsEnded) > 0 {
		r.contracts = clone(s.contracts)
		for _, id := range sc.ContractsEnded {
			k := s.contracts[id]
			if k == nil {
				return nil, apperr.Invalid("contractsEnded", "no contract has the ID %q", id)
			}
			cp := *k
			cp.ExpiresAt = earlier(cp.ExpiresAt, before)
			r.contracts[id] = &cp
		}
		r.contractList = relist(s.contractList, r.contracts, contractID)
		r.contractsOf = make(map[pulid.ID][]*ent.Contract, len(s.contractsOf))
		for h, list := range s.contractsOf {
			r.contractsOf[h] = relist(list, r.contracts, contractID)
		}
	}
	if len(sc.VendorsRemoved) > 0 {
		gone := map[pulid.ID]bool{}
		for _, id := range sc.VendorsRemoved {
			if s.vendors[id] == nil {
				return nil, apperr.Invalid("vendorsRemoved", "no vendor has the ID %q", id)
			}
			gone[id] = true
		}
		if len(sc.CertificationsLapsed) == 0 { // otherwise r.vendors is a copy already
			r.vendors = clone(s.vendors)
		}
		for id := range gone {
			delete(r.vendors, id)
		}
		r.vendorList = slices.DeleteFunc(slices.Clone(r.vendorList), func(v *ent.Vendor) bool { return gone[v.ID] })
		r.transfers = slices.DeleteFunc(slices.Clone(s.transfers), func(t *ent.Transfer) bool {
			return gone[exporterID(t)] || gone[importerID(t)]
		})
		r.transferByID = make(map[pulid.ID]*ent.Transfer, len(r.transfers))
		r.imports = map[pulid.ID][]*ent.Transfer{}
		for _, t := range r.transfers {
			r.transferByID[t.ID] = t
			r.imports[importerID(t)] = append(r.imports[importerID(t)], t)
		}
	}
	alt := *s
	alt.registry = &r
	return &alt, nil
}

// newEval returns an evaluation of s as of at with its indexes built, for
// asking single rules (evaluate builds its own).
func (s *snapshot) newEval(at time.Time) *eval {
	e := &eval{snapshot: s, at: at, inbound: map[pulid.ID][]*ent.Transfer{},
		recipientMemo: map[pulid.ID]bool{}, principalMemo: map[pulid.ID][]*ent.Contract{}, atNanos: unixNanos(at)}
	for _, t := range s.transfers {
		if activeAt(t, at) {
			e.active = append(e.active, t)
			e.inbound[importerID(t)] = append(e.inbound[importerID(t)], t)
		}
	}
	return e
}

// lostFlow describes transfer t, invalid in the scenario e evaluates, with
// the reasons the findings give and its fallback.
func (e *eval) lostFlow(t *ent.Transfer, findings []*Finding) *LostFlow {
	l := &LostFlow{Transfer: t, Exporter: e.holder(exporterID(t)), Importer: e.holder(importerID(t)), Fallback: t.FallbackMechanism}
	for _, f := range findings {
		if f.TargetID == t.ID && f.Rule != nil && f.Rule.InvalidatesTransfer && !f.Historic {
			l.Reasons = append(l.Reasons, f.Message)
		}
	}
	for _, id := range e.tcats[t.ID] {
		if c := e.cats[id]; c != nil {
			l.Categories = append(l.Categories, c)
		}
	}
	slices.SortFunc(l.Categories, func(a, b *ent.DataCategory) int { return cmp.Compare(a.Key, b.Key) })
	l.Subjects = e.subjects(t)
	if l.Fallback != nil {
		l.FallbackHolds = len(e.mechanism(t, *l.Fallback)) == 0
		l.FallbackContract = e.fallbackContract(t, *l.Fallback)
	}
	return l
}

// fallbackContract returns the contract a fallback mechanism of t rests on,
// or nil when the mechanism is not tied to one.
func (e *eval) fallbackContract(t *ent.Transfer, m vocab.Mechanism) *ent.Contract {
	switch m {
	case vocab.MechanismSCC:
		return e.sccContract(t)
	case vocab.MechanismBCR:
		return e.bindingContract(t, contract.KindBcr)
	case vocab.MechanismAdHocClauses:
		if t.ContractID != nil {
			return e.contracts[*t.ContractID]
		}
	}
	return nil
}

// subjects counts the people whose data transfer t carries as of e.at: a
// record of one of its categories or their descendants, kept for one of its
// purposes (a record with no purpose on record counts), collected by the
// organisation at the start of the chain that brings the data to t's
// exporter (the exporter itself when it collected).
func (e *eval) subjects(t *ent.Transfer) int {
	source := exporterID(t)
	if chain := e.chainTo(source); len(chain) > 0 {
		source = exporterID(chain[0])
	}
	purposes := e.tpurposes[t.ID]
	users := map[pulid.ID]bool{}
	for cat := range e.descendants(e.tcats[t.ID]) {
		for _, ri := range e.records.byCategory[cat] {
			r := &e.records.list[ri]
			if r.holder != source || r.collected > e.atNanos || r.anonymized {
				continue
			}
			ps := e.records.purposesOf(r)
			if len(ps) == 0 || len(purposes) == 0 || intersects(ps, purposes) {
				users[r.user] = true
			}
		}
	}
	return len(users)
}

// holder returns the organisation or vendor with an ID, or nil.
func (s *registry) holder(id pulid.ID) ent.Holder {
	if o, ok := s.orgs[id]; ok {
		return o
	}
	if v, ok := s.vendors[id]; ok {
		return v
	}
	return nil
}

// minus returns the findings of a whose ID is not among b's, in a's order.
func minus(a, b []*Finding) []*Finding {
	in := make(map[pulid.ID]bool, len(b))
	for _, f := range b {
		in[f.ID] = true
	}
	out := []*Finding{}
	for _, f := range a {
		if !in[f.ID] {
			out = append(out, f)
		}
	}
	return out
}

// minusIDs returns the IDs of sorted a that are not in sorted b.
func minusIDs(a, b []pulid.ID) []pulid.ID {
	var out []pulid.ID
	for _, id := range a {
		if _, found := slices.BinarySearch(b, id); !found {
			out = append(out, id)
		}
	}
	return out
}

// earlier returns the earlier of an optional instant and t.
func earlier(until *time.Time, t time.Time) *time.Time {
	if until != nil && until.Before(t) {
		return until
	}
	return &t
}

// clone copies a map.
func clone[K comparable, V any](m map[K]V) map[K]V {
	out := make(map[K]V, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// relist returns list with each element replaced by the one of the same
// ID in by, keeping the order.
func relist[T any](list []T, by map[pulid.ID]T, id func(T) pulid.ID) []T {
	out := make([]T, len(list))
	for i, x := range list {
		out[i] = x
		if y, ok := by[id(x)]; ok {
			out[i] = y
		}
	}
	return out
}

func vendorID(v *ent.Vendor) pulid.ID     { return v.ID }
func contractID(c *ent.Contract) pulid.ID { return c.ID }
