// Package compliance decides what is lawful: it evaluates privhub's data as of
// an instant against a catalogue of rules (transfers and their mechanisms,
// Standard Contractual Clauses, processing agreements, subprocessors, vendor
// reviews, consent, retention and data subject requests) and reports each
// breach as a Finding with its facts, evidence and remedy.
//
// The checker reads everything it needs with a fixed number of bulk queries
// (one per table, whatever the volume) and evaluates the rules in memory. It
// walks transfer chains itself where a rule needs them; it does not depend on
// the tracing engine.
//
// A breach is reported once: a transfer whose only instrument does not hold
// (SCCs under a repealed decision, with a Clause 17 law or Clause 18 forum
// outside the EU/EEA, signed in the wrong module, by a party not yet acceded,
// or a US importer whose Data Privacy Framework certification is not active)
// is reported by that instrument's rule, not also as having no mechanism;
// an onward transfer from a third country with no ground is reported as
// such. Findings about people are grouped by what a DPO acts on: one per
// disclosure (listing the users it should not have included), one per
// collector and purpose for missing consent, one per holder and retention
// rule for expired data, each counting the users or records in its message
// and listing them in its evidence.
package compliance

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/hook"
	"github.com/privhub/privhub/internal/changes"
	"github.com/privhub/privhub/internal/pulid"
)

// Checker evaluates the compliance rules against a database. A checker that
// Watch was called with keeps the data it read in memory until the next
// write, and the findings of the last instant it evaluated, so that a
// request asking for many vendors' findings costs one evaluation; a checker
// without Watch reads the database on every Check. A Checker is safe for
// concurrent use.
type Checker struct {
	client *ent.Client
	writes *changes.Counter // nil: no caching

	mu   sync.Mutex
	snap *snapshot // read at count snapGen
	last *evaluation
}

// evaluation is the findings of one snapshot as of one instant.
type evaluation struct {
	gen      uint64
	at       time.Time
	findings []*Finding
}

// New returns a checker reading through client. To evaluate a consistent
// view while others write, pass the client of a read-only transaction.
func New(client *ent.Client) *Checker { return &Checker{client: client} }

// Watch makes the checker cache what it reads until a write through client
// (in any entity) is committed.
func (c *Checker) Watch(client *ent.Client) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.writes = &changes.Counter{}
	// Audit events are no compliance data: appending them alone must not
	// invalidate the cache.
	client.Use(hook.If(c.writes.Hook(), func(_ context.Context, m ent.Mutation) bool {
		return m.Type() != ent.TypeAuditEvent
	}))
}

// findings returns the findings as of at, from the cache when it is current.
func (c *Checker) findings(ctx context.Context, at time.Time) ([]*Finding, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.writes == nil {
		s, err := load(ctx, c.client)
		if err != nil {
			return nil, err
		}
		return s.evaluate(at), nil
	}
	gen := c.writes.Load()
	if c.last != nil && c.last.gen == gen && c.last.at.Equal(at) {
		return c.last.findings, nil
	}
	if c.snap == nil || c.snap.gen != gen {
		s, err := load(ctx, c.client)
		if err != nil {
			return nil, err
		}
		s.gen = gen
		c.snap = s
	}
	c.last = &evaluation{gen: gen, at: at, findings: c.snap.evaluate(at)}
	return c.last.findings, nil
}

// Rules returns the catalogue of rules the checker evaluates.
func (c *Checker) Rules() []*Rule { return Rules() }

// Check returns every finding as of at, sorted by severity (most urgent
// first), then rule, then target. The slice and the findings may be shared
// with other callers: do not modify them.
func (c *Checker) Check(ctx context.Context, at time.Time) ([]*Finding, error) {
	return c.findings(ctx, at)
}

// CheckTarget returns the findings as of at that involve the object with the
// given ID: those about it, and those about its flows, contracts or
// disclosures that name it (see Finding.Involves).
func (c *Checker) CheckTarget(ctx context.Context, at time.Time, id pulid.ID) ([]*Finding, error) {
	all, err := c.Check(ctx, at)
	if err != nil {
		return nil, err
	}
	return Filter(all, id), nil
}

// eval is one evaluation of a snapshot as of an instant.
type eval struct {
	*snapshot
	at time.Time

	active  []*ent.Transfer              // transfers active at `at`, by label
	inbound map[pulid.ID][]*ent.Transfer // active transfers by importer, by label

	explicitMemo  map[string]verdict // see explicitFor
	recipientMemo map[pulid.ID]bool  // see namesRecipient

	out []*Finding
}

// evaluate runs every rule as of at and returns the sorted findings.
func (s *snapshot) evaluate(at time.Time) []*Finding {
	e := &eval{snapshot: s, at: at, inbound: map[pulid.ID][]*ent.Transfer{},
		recipientMemo: map[pulid.ID]bool{}}
	for _, t := range s.transfers {
		if activeAt(t, at) {
			e.active = append(e.active, t)
			e.inbound[importerID(t)] = append(e.inbound[importerID(t)], t)
		}
	}
	for _, run := range []func(){
		e.checkTransfers,
		e.checkContracts,
		e.checkSubprocessors,
		e.checkVendors,
		e.checkDisclosures,
		e.checkConsent,
		e.checkRetention,
		e.checkRequests,
	} {
		run()
	}
	sortFindings(e.out)
	return e.out
}

// add records a finding of a rule about a target. key tells apart findings
// of one rule about one target; it enters the finding's stable ID.
func (e *eval) add(ruleID string, t target, key, message string) *Finding {
	r := rule(ruleID)
	f := &Finding{
		ID:          findingID(ruleID, t.id, key),
		RuleID:      r.ID,
		Rule:        r,
		Severity:    r.Severity,
		TargetID:    t.id,
		TargetType:  t.typ,
		TargetLabel: t.label,
		Message:     message,
		Remedy:      r.Remedy,
		At:          e.at,
	}
	e.out = append(e.out, f)
	return f
}

// relate adds IDs to a finding's related objects, skipping the target, empty
// IDs and duplicates.
func (f *Finding) relate(ids ...pulid.ID) *Finding {
	for _, id := range ids {
		if id != "" && id != f.TargetID && !slices.Contains(f.Related, id) {
			f.Related = append(f.Related, id)
		}
	}
	return f
}
