// Package trace decides who holds which personal data, as of an instant.
//
// A holder H (an Organization or a Vendor) holds category C of user U at an
// instant when U's data of C was collected by H (a DataRecord collected at or
// before the instant), or when a transfer G -> H active at the instant
// carries C or an ancestor of C, G holds C of U, and U's effective consent
// does not stop that flow. Whether U's ledger stops a flow is law's rule
// (law.Decide): for one of the transfer's purposes, U's latest entry naming
// the importer, or U's latest entry for the purpose as a whole when the
// transfer honours opt-outs, whichever decides, is a withdrawal or an
// opt-out.
//
// Chains are followed to any depth and cycles are harmless: every holding
// comes with the shortest chain of transfers that explains it. The Engine
// answers per user (Trace), per category (Holders), per holder (Exposure) and
// as a filtered graph of flows (DataFlows). It keeps the transfer graph in
// memory; Trace reads the user's records and ledger, and Holders and
// Exposure count users from an in-memory index of all records and ledger
// entries that follows the tables (or, with Options.NoIndex, with SQL).
//
// Answers are shared with the engine (steps, holders, categories,
// countries, adequacy decisions) and must not be modified.
package trace

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/internal/changes"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/vocab"
)

// Engine answers tracing questions over one database. It keeps an in-memory
// snapshot of the transfer graph (holders, transfers with their categories,
// purposes, contracts and clauses, the category tree, countries and adequacy
// decisions), loads it on first use and reloads it on the first question
// after Invalidate; and an index of records and ledger entries, brought up
// to date before each Holders or Exposure question. An Engine is safe for
// concurrent use.
type Engine struct {
	client *ent.Client
	// gen counts invalidations; a snapshot is current while its gen matches.
	gen  atomic.Uint64
	snap atomic.Pointer[snapshot]
	// loading is held (one token) while a snapshot loads, so that concurrent
	// questions after an invalidation share one reload.
	loading chan struct{}

	// noCensus makes Holders and Exposure count users with SQL instead of
	// the in-memory index of records and consents.
	noCensus bool
	// indexGen counts invalidations of that index.
	indexGen atomic.Uint64
	// census is the in-memory index; the pointer is read and written only
	// while holding the censusLoading token, its contents under censusMu
	// (written when extended, read while counting).
	census        *census
	censusLoading chan struct{}
	censusMu      sync.RWMutex

	// watching is set by Watch: inserts counts the records and ledger
	// entries this process inserted, and trail (under trailMu) follows the
	// other processes' writes.
	watching atomic.Bool
	inserts  changes.Counter
	trailMu  sync.Mutex
	trail    changes.Trail
}

// Options tune an Engine; the zero value is the default.
type Options struct {
	// NoIndex makes Holders and Exposure count users with aggregate SQL
	// queries over the records and consents tables on every question,
	// instead of keeping an in-memory index of both (about 12 bytes per
	// record and 45 per ledger entry) that they bring up to date before
	// every question.
	NoIndex bool
}

// New returns an Engine over client. It loads nothing until the first question.
func New(client *ent.Client) *Engine { return NewWithOptions(client, Options{}) }

// NewWithOptions returns an Engine over client tuned by opts.
func NewWithOptions(client *ent.Client, opts Options) *Engine {
	return &Engine{
		client: client, loading: make(chan struct{}, 1), censusLoading: make(chan struct{}, 1),
		noCensus: opts.NoIndex,
	}
}

// Warm loads the snapshot and, unless disabled, the index, so that
// the first questions do not wait for them. Call it at start-up, e.g. in
// its own goroutine.
func (e *Engine) Warm(ctx context.Context) error {
	if err := e.catchUp(ctx); err != nil {
		return err
	}
	s, err := e.current(ctx)
	if err != nil || e.noCensus {
		return err
	}
	_, release, err := e.recordIndex(ctx, s)
	if err == nil {
		release()
	}
	return err
}

// InvalidateIndex makes the next Holders or Exposure question rebuild the
// in-memory index of records and consents. Inserts are picked up without
// it, and deletes are noticed by row counts; call it when records are
// updated (Watch does, and also on deletes).
func (e *Engine) InvalidateIndex() { e.indexGen.Add(1) }

// Invalidate marks the snapshot stale: the next question reloads it. Call it
// whenever transfers, clauses, contracts, data categories, purposes,
// organizations, vendors, countries or adequacy decisions change (Watch
// does so). A question that meets a record naming a holder or category
// the snapshot lacks reloads it by itself.
func (e *Engine) Invalidate() { e.gen.Add(1) }

// Watch installs on c a hook that keeps the engine current: a write to an
// entity the snapshot is built from (Transfer, Clause, Contract,
// DataCategory, Purpose, Organization, Vendor, Country, AdequacyDecision)
// invalidates it; inserts of DataRecord and Consent are counted, and their
// other writes, like every delete (deletes cascade), call InvalidateIndex.
// The hook acts after the write, and again when its transaction commits.
//
// A watching engine also follows the audit trail (see changes.Trail) at
// each Holders, Exposure and DataFlows question, so that other processes'
// writes reach its snapshot and index too; and it trusts these two sources:
// when neither reports a write to records or consents, the index is used
// without reading the tables' fingerprints.
func (e *Engine) Watch(c *ent.Client) {
	c.Use(func(next ent.Mutator) ent.Mutator {
		return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
			typ, op := m.Type(), m.Op()
			if !affects(typ, op) {
				return next.Mutate(ctx, m)
			}
			return changes.After(ctx, m, next, func() { e.noteWrite(typ, op) })
		})
	})
	e.watching.Store(true)
}

// current returns the snapshot of the current generation, loading it when
// needed. Questions that arrive during a load wait for it (or for ctx).
func (e *Engine) current(ctx context.Context) (*snapshot, error) {
	if s := e.snap.Load(); s != nil && s.gen == e.gen.Load() {
		return s, nil
	}
	select {
	case e.loading <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-e.loading }()
	// Read the generation before loading: an invalidation during the load
	// leaves this snapshot stale, and the next question loads again.
	gen := e.gen.Load()
	if s := e.snap.Load(); s != nil && s.gen == gen {
		return s, nil
	}
	s, err := load(ctx, e.client)
	if err != nil {
		return nil, err
	}
	s.gen = gen
	e.snap.Store(s)
	return s, nil
}

// reload replaces a snapshot found to be stale (it lacks a row the database
// has) without waiting for an invalidation.
func (e *Engine) reload(ctx context.Context, stale *snapshot) (*snapshot, error) {
	e.gen.CompareAndSwap(stale.gen, stale.gen+1)
	return e.current(ctx)
}

// Trace is who holds one user's personal data at an instant, and which
// flows the user's choices stopped.
type Trace struct {
	// User is the data subject.
	User *ent.User
	// At is the instant the trace is as of.
	At time.Time
	// Holdings lists every holder of the user's data, by depth then name.
	// A holder appears once per distinct chain: categories that reach it
	// through different shortest chains make separate holdings.
	Holdings []*Holding
	// Blocked lists the transfers that would carry the user's data but that
	// the user's effective consent stops, one per transfer.
	Blocked []*BlockedFlow
}

// Holding is one holder's holding of personal data, with the shortest chain
// of transfers that explains it.
type Holding struct {
	// Holder is the organization or vendor that holds the data.
	Holder ent.Holder
	// Categories are the data categories held through Chain, by key.
	Categories []*ent.DataCategory
	// Chain is the shortest sequence of transfers that brings the data from
	// its collector to the holder; empty for a collector.
	Chain []*Step
	// Where is where the holder processes the data (Country, Regime,
	// Adequacy), shared by the holdings of one answer that are alike.
	*Where
	// Users is the number of distinct users whose data of Categories
	// reaches the holder, respecting consent (1 in a Trace).
	Users int
}

// Depth is the number of transfers in the holding's chain: 0 when the
// holder collected the data itself.
func (h *Holding) Depth() int { return len(h.Chain) }

// Where is where a holding's data is processed, and how that country is
// protected at the instant asked about.
type Where struct {
	// Country is where the holder processes the data: the country of the
	// last step, or the holder's own country when it collected the data.
	Country *ent.Country
	// Regime is the regime of the last step (EU_GDPR for a collector).
	Regime vocab.Regime
	// Adequacy lists the adequacy decisions of Regime in force at the
	// instant for Country.
	Adequacy []*ent.AdequacyDecision
	// At is the instant asked about.
	At time.Time
}

// Step is one transfer of a chain, with what a reviewer needs to judge it.
// Steps are shared between answers and must not be modified.
type Step struct {
	// Transfer is the transfer itself. Its edges are not loaded: use the
	// fields of Step.
	Transfer *ent.Transfer
	// Exporter sends the data.
	Exporter ent.Holder
	// Importer receives it.
	Importer ent.Holder
	// ImporterRole is the importer's role in this flow.
	ImporterRole vocab.ProcessingRole
	// Country is where the importer processes or accesses the data.
	Country *ent.Country
	// Regime is the regime whose transfer rules apply.
	Regime vocab.Regime
	// Mechanism is the transfer mechanism relied on.
	Mechanism vocab.Mechanism
	// FallbackMechanism is the mechanism relied on if Mechanism fails.
	FallbackMechanism *vocab.Mechanism
	// Contract is the governing contract, if any.
	Contract *ent.Contract
	// Clauses are the clauses of Contract the transfer relies on.
	Clauses []*ent.Clause
	// Safeguards are the transfer's supplementary measures.
	Safeguards []vocab.Safeguard
	// Categories are the categories the transfer declares it carries (their
	// descendants are carried too), by key.
	Categories []*ent.DataCategory
	// Purposes are the transfer's purposes, by key.
	Purposes []*ent.Purpose
	// HonoursOptOuts tells whether an opt-out or withdrawal stops the flow.
	HonoursOptOuts bool
	// ActiveFrom and ActiveUntil bound when the transfer happens, both
	// included (law.Within); ActiveUntil is nil when open-ended.
	ActiveFrom  time.Time
	ActiveUntil *time.Time
}

// BlockedFlow is a transfer that would carry a user's data but that the
// user's effective consent stops.
type BlockedFlow struct {
	// Transfer is the stopped transfer.
	Transfer *ent.Transfer
	// Step describes the transfer.
	Step *Step
	// Exporter holds the data and would send it.
	Exporter ent.Holder
	// Importer would receive it.
	Importer ent.Holder
	// Categories are the user's categories the transfer would carry, by key.
	Categories []*ent.DataCategory
	// Consent is the ledger entry that stops the flow: the latest
	// withdrawal or opt-out for one of the transfer's purposes or for the
	// importer as recipient.
	Consent *ent.Consent
	// Reason says why, in words.
	Reason string
}

// Exposure is what reaches one holder, from whom, and where it goes next.
type Exposure struct {
	// Holder is the organization or vendor examined.
	Holder ent.Holder
	// At is the instant the exposure is as of.
	At time.Time
	// Categories are every category of personal data that reaches Holder
	// (collected by it or received), by key.
	Categories []*ent.DataCategory
	// Upstream explains how each category reaches Holder: holdings of
	// Holder itself, one per distinct shortest chain from a collector (depth
	// 0 for what Holder collects). Users counts the users whose data of the
	// holding's categories reaches Holder.
	Upstream []*Holding
	// Downstream lists the holders Holder passes data on to, to any depth,
	// with the shortest chain starting at Holder. Users counts the users
	// whose data of the holding's categories reaches that holder through
	// Holder.
	Downstream []*Holding
	// Countries are the countries involved: Holder's, the collectors' and
	// every step's of Upstream and Downstream, by code.
	Countries []*ent.Country
	// Users is the number of distinct users whose data reaches Holder,
	// respecting consent.
	Users int
}

// FlowFilter selects the transfers of a data-flow graph. Each non-empty
// list must match; an empty filter selects every active transfer.
type FlowFilter struct {
	// CategoryIDs keeps transfers that carry one of these categories, one of
	// their descendants or one of their ancestors.
	CategoryIDs []pulid.ID
	// PurposeIDs keeps transfers made for one of these purposes.
	PurposeIDs []pulid.ID
	// CountryIDs keeps transfers whose importer processes data in one of
	// these countries (ISO codes).
	CountryIDs []pulid.ID
	// Mechanisms keeps transfers relying on one of these mechanisms.
	Mechanisms []vocab.Mechanism
	// Adequate, when set, keeps the transfers whose importer is (true) or
	// is not (false) adequately protected where it processes the data at
	// the instant, as law.Adequate decides.
	Adequate *bool
}

// FlowGraph is a map of data flows at an instant: holders as nodes and
// active transfers as edges.
type FlowGraph struct {
	// At is the instant the graph is as of.
	At time.Time
	// Nodes are the holders at either end of an edge, by name.
	Nodes []*FlowNode
	// Edges are the matching transfers, by exporter and importer name.
	Edges []*Step
}

// FlowNode is a holder in a FlowGraph.
type FlowNode struct {
	// Holder is the organization or vendor.
	Holder ent.Holder
	// Country is the holder's own country.
	Country *ent.Country
	// Exports and Imports count the edges leaving and reaching the node.
	Exports, Imports int
}
