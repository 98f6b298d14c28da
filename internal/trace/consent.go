package trace

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/consent"
	"github.com/privhub/privhub/internal/pulid"
)

// choice is one consent ledger entry, as much of it as deciding needs.
type choice struct {
	purpose   pulid.ID
	recipient pulid.ID // "" when the entry names none
	refusal   bool     // a withdrawal or an opt-out
	at        int64    // recorded_at, Unix nanoseconds
	seq       int64    // created_at, Unix nanoseconds: orders equal at
	// entry is the entry itself when it was read for a trace.
	entry *ent.Consent
}

// choicesOf turns ledger entries into choices, keeping their order.
func choicesOf(entries []*ent.Consent) []choice {
	out := make([]choice, len(entries))
	for i, c := range entries {
		out[i] = choice{
			purpose: c.PurposeID, recipient: deref(c.RecipientID, nil),
			refusal: c.Decision == consent.DecisionWithdrawn || c.Decision == consent.DecisionOptedOut,
			at:      c.RecordedAt.UnixNano(), seq: c.CreatedAt.UnixNano(), entry: c,
		}
	}
	return out
}

// blocks are one user's effective refusals at an instant: the ledger keys
// (purpose, recipient) whose latest entry is a withdrawal or an opt-out.
type blocks struct {
	// byPurpose maps a purpose to its latest entry with no recipient, when
	// that entry is a refusal.
	byPurpose map[int32]*choice
	// byRecipient maps a holder to the latest refusal naming it as
	// recipient, whatever the purpose.
	byRecipient map[int32]*choice
	// key identifies the set of refusals, to share work between users with
	// the same choices.
	key string
}

// effective returns the refusals in force at instant at (Unix nanoseconds)
// after ledger, a user's choices in recording order; nil when nothing is
// refused.
func (s *snapshot) effective(ledger []choice, at int64) *blocks {
	type ledgerKey struct{ purpose, recipient pulid.ID }
	latest := make(map[ledgerKey]*choice, len(ledger))
	for i := range ledger {
		c := &ledger[i]
		if c.at <= at {
			latest[ledgerKey{c.purpose, c.recipient}] = c
		}
	}
	var b *blocks
	later := func(m map[int32]*choice, i int32, c *choice) {
		if old := m[i]; old == nil || c.at > old.at {
			m[i] = c
		}
	}
	for k, c := range latest {
		if !c.refusal {
			continue
		}
		if b == nil {
			b = &blocks{byPurpose: map[int32]*choice{}, byRecipient: map[int32]*choice{}}
		}
		if k.recipient == "" {
			if p, ok := s.purposeIdx[k.purpose]; ok {
				later(b.byPurpose, p, c)
			}
		} else if h, ok := s.holderIdx[k.recipient]; ok {
			later(b.byRecipient, h, c)
		}
	}
	if b == nil || len(b.byPurpose)+len(b.byRecipient) == 0 {
		return nil
	}
	b.key = b.computeKey()
	return b
}

// computeKey identifies the refusals of b.
func (b *blocks) computeKey() string {
	var parts []string
	for p := range b.byPurpose {
		parts = append(parts, "p"+strconv.Itoa(int(p)))
	}
	for h := range b.byRecipient {
		parts = append(parts, "r"+strconv.Itoa(int(h)))
	}
	slices.Sort(parts)
	return strings.Join(parts, ",")
}

// stop returns the entry that stops edge e for the user, or nil when the
// flow goes ahead: the latest refusal naming the importer, or for one of
// the transfer's purposes, when the transfer honours opt-outs.
func (b *blocks) stop(e *edge) *choice {
	if b == nil || !e.honours {
		return nil
	}
	best := b.byRecipient[e.to]
	for _, p := range e.purposes {
		if c := b.byPurpose[p]; c != nil && (best == nil || c.at > best.at) {
			best = c
		}
	}
	return best
}

// stopped returns the edges b stops (those for which stop is not nil), as
// a bitset over edges.
func (s *snapshot) stopped(b *blocks) bitset {
	set := newBitset(len(s.edges))
	if b == nil {
		return set
	}
	for p := range b.byPurpose {
		for _, ei := range s.honouring[p] {
			set.set(ei)
		}
	}
	for h := range b.byRecipient {
		for _, ei := range s.in[h] {
			if s.edges[ei].honours {
				set.set(ei)
			}
		}
	}
	return set
}

// aroundName is a text with a holder's name to insert between before and
// after.
type aroundName struct{ before, after string }

// reasonAround says in words why entry c stops an edge, around the name of
// the edge's importer (all that differs between the edges c stops).
func (s *snapshot) reasonAround(c *ent.Consent) aroundName {
	verb := "withdrew consent"
	if c.Decision == consent.DecisionOptedOut {
		verb = "opted out"
	}
	purpose := string(c.PurposeID)
	if p, ok := s.purposeIdx[c.PurposeID]; ok {
		purpose = s.purposes[p].Key
	}
	when := c.RecordedAt.UTC().Format(time.DateOnly)
	if c.RecipientID != nil {
		return aroundName{verb + " for purpose " + strconv.Quote(purpose) + " with ", " as recipient on " + when}
	}
	return aroundName{
		verb + " for purpose " + strconv.Quote(purpose) + " on " + when + "; the transfer to ",
		" is made for it and honours opt-outs",
	}
}
