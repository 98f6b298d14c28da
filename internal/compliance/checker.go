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
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/datacategory"
	"github.com/privhub/privhub/internal/changes"
	"github.com/privhub/privhub/internal/pulid"
)

// Checker evaluates the compliance rules against a database. A checker that
// Watch was called with keeps the data it read in memory, and the findings
// of the last instant it evaluated, so that a request asking for many
// vendors' findings costs one evaluation; after a write it reads again only
// the part of the data the write touched, and only the new rows of the
// tables that grow with the number of people (data records, users, the
// consent ledger) when rows were only inserted there. It learns of writes
// through its own client's hooks, and of other processes' writes from the
// audit trail they append to (see changes.Trail). A checker without
// Watch reads the database on every Check. A Checker is safe for
// concurrent use.
type Checker struct {
	client *ent.Client
	writes *writes       // nil: no caching
	trail  changes.Trail // other processes' writes, when caching

	mu   sync.Mutex
	snap *snapshot
	last *evaluation
	// lastAll is the last answer of Check with the sources' findings
	// included, kept like last: for the same instant and write counts.
	lastAll *evaluation

	// sources are the engines that report findings of their own rules
	// (see Also).
	sources []Source
}

// Source is an engine outside this package that reports findings of rules
// of the catalogue, as of an instant: the records of processing report
// their gaps through one.
type Source func(ctx context.Context, at time.Time) ([]*Finding, error)

// Also adds a source of findings: Check includes what it reports. Call it
// before the checker is used.
func (c *Checker) Also(src Source) { c.sources = append(c.sources, src) }

// evaluation is the findings of one snapshot as of one instant.
type evaluation struct {
	seen     versions
	at       time.Time
	findings []*Finding
}

// New returns a checker reading through client, which must allow
// concurrent queries (a client over a connection pool, not a
// transaction's): the data records are read side by side with the rest.
func New(client *ent.Client) *Checker { return &Checker{client: client} }

// Watch makes the checker cache what it reads until a write through client
// is committed, and then read again only what the write touched.
func (c *Checker) Watch(client *ent.Client) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.writes = &writes{}
	client.Use(c.writes.hook())
}

// Warm reads the data a watching checker keeps, so that the first check
// does not wait for it; call it at start-up, e.g. in its own goroutine. It
// does nothing for a checker that does not watch.
func (c *Checker) Warm(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.writes == nil {
		return nil
	}
	if err := c.catchUp(ctx); err != nil {
		return err
	}
	return c.refresh(ctx, c.writes.load())
}

// catchUp counts in c.writes the writes appended to the audit trail since
// the last call, as those of its own client's hooks are counted.
func (c *Checker) catchUp(ctx context.Context) error {
	err := c.trail.CatchUp(ctx, c.client, func(typ string, op ent.Op) {
		if bump := c.writes.counterFor(typ, op); bump != nil {
			bump()
		}
	}, c.writes.all)
	if err != nil {
		return fmt.Errorf("compliance: %w", err)
	}
	return nil
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
	// Count the writes of other processes, then read the counts before
	// reading the data: a write meanwhile leaves the cache behind, and the
	// next question reads again.
	if err := c.catchUp(ctx); err != nil {
		return nil, err
	}
	v := c.writes.load()
	if c.last != nil && c.last.seen == v && c.last.at.Equal(at) {
		return c.last.findings, nil
	}
	if err := c.refresh(ctx, v); err != nil {
		return nil, err
	}
	c.last = &evaluation{seen: v, at: at, findings: c.snap.evaluate(at)}
	return c.last.findings, nil
}

// refresh brings the cached snapshot up to the write counts v.
func (c *Checker) refresh(ctx context.Context, v versions) error {
	if c.snap == nil {
		s, err := load(ctx, c.client)
		if err != nil {
			return err
		}
		s.seen, c.snap = v, s
		return nil
	}
	s := c.snap
	if v.registry != s.seen.registry {
		r, err := loadRegistry(ctx, c.client)
		if err != nil {
			return err
		}
		s.registry, s.seen.registry = r, v.registry
	}
	// A part that fails midway drops the snapshot: the next question reads
	// it whole.
	parts := []struct {
		what  string
		seen  *partVersion
		now   partVersion
		table followed
	}{
		{"data records", &s.seen.records, v.records, s.records},
		{"users", &s.seen.users, v.users, s.users},
		{"the consent ledger", &s.seen.ledger, v.ledger, s.ledger},
	}
	for _, p := range parts {
		if p.now == *p.seen {
			continue
		}
		read := follow
		if p.now.changed != p.seen.changed {
			read = readAll
		}
		if err := read(ctx, c.client, p.table); err != nil {
			c.snap = nil
			return fmt.Errorf("compliance: loading %s: %w", p.what, err)
		}
		*p.seen = p.now
	}
	return nil
}

// Rules returns the catalogue of rules the checker evaluates.
func (c *Checker) Rules() []*Rule { return Rules() }

// Check returns every finding as of at, sorted by severity (most urgent
// first), then rule, then target. The slice and the findings may be shared
// with other callers: do not modify them.
func (c *Checker) Check(ctx context.Context, at time.Time) ([]*Finding, error) {
	fs, err := c.findings(ctx, at)
	if err != nil || len(c.sources) == 0 {
		return fs, err
	}
	// The sources read the database on every call: their findings are
	// kept with the rules' while nothing is written and the instant stays.
	c.mu.Lock()
	cache := c.writes != nil && c.last != nil && c.last.at.Equal(at)
	var seen versions
	if cache {
		seen = c.last.seen
		if c.lastAll != nil && c.lastAll.seen == seen && c.lastAll.at.Equal(at) {
			all := slices.Clone(c.lastAll.findings)
			c.mu.Unlock()
			return all, nil
		}
	}
	c.mu.Unlock()
	all := slices.Clone(fs)
	for _, src := range c.sources {
		more, err := src(ctx, at)
		if err != nil {
			return nil, fmt.Errorf("compliance: %w", err)
		}
		all = append(all, more...)
	}
	sortFindings(all)
	if cache {
		c.mu.Lock()
		c.lastAll = &evaluation{seen: seen, at: at, findings: slices.Clone(all)}
		c.mu.Unlock()
	}
	return all, nil
}

// NewFinding returns a finding of a catalogue rule about a target, for a
// Source: key tells apart findings of one rule about one target and enters
// the finding's stable ID. An unknown rule is a programming error.
func NewFinding(ruleID string, targetID pulid.ID, targetType, targetLabel, key, message string, at time.Time) *Finding {
	r := rule(ruleID)
	return &Finding{ID: findingID(ruleID, targetID, key), RuleID: r.ID, Rule: r, Severity: r.Severity,
		TargetID: targetID, TargetType: targetType, TargetLabel: targetLabel, Message: message, Remedy: r.Remedy, At: at}
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

	explicitMemo  map[string]verdict           // see explicitFor
	recipientMemo map[pulid.ID]bool            // see namesRecipient
	principalMemo map[pulid.ID][]*ent.Contract // see principalContracts

	// atNanos is at in Unix nanoseconds, to compare with record times.
	atNanos int64
	// special lists the records of special-category data by collector,
	// category and purpose, so that rules about Art. 9 data never scan all
	// records.
	special map[specialKey][]int32

	out []*Finding
}

// evaluate runs every rule as of at and returns the sorted findings.
func (s *snapshot) evaluate(at time.Time) []*Finding {
	e := &eval{snapshot: s, at: at, inbound: map[pulid.ID][]*ent.Transfer{},
		recipientMemo: map[pulid.ID]bool{}, principalMemo: map[pulid.ID][]*ent.Contract{}, atNanos: unixNanos(at), special: s.specialRecords()}
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

// specialKey is a collector, a category and a purpose.
type specialKey struct{ holder, category, purpose pulid.ID }

// specialRecords indexes the records of special categories by collector,
// category and purpose.
func (s *snapshot) specialRecords() map[specialKey][]int32 {
	m := map[specialKey][]int32{}
	for id, c := range s.cats {
		if c.Sensitivity != datacategory.SensitivitySpecial {
			continue
		}
		for _, ri := range s.records.byCategory[id] {
			r := &s.records.list[ri]
			for _, p := range s.records.purposesOf(r) {
				k := specialKey{r.holder, id, p}
				m[k] = append(m[k], ri)
			}
		}
	}
	return m
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
