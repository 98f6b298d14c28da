package trace

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/consent"
	"github.com/privhub/privhub/internal/law"
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
			refusal: law.Refuses(c.Decision),
			at:      c.RecordedAt.UnixNano(), seq: c.CreatedAt.UnixNano(), entry: c,
		}
	}
	return out
}

// pairKey is a purpose and a recipient, by index.
type pairKey struct{ purpose, holder int32 }

// blocks are one user's choices at an instant that can stop flows, as
// law.Decide rules: nil when nothing is refused.
type blocks struct {
	// byPurpose maps a purpose to its latest entry with no recipient, when
	// that entry is a refusal.
	byPurpose map[int32]*choice
	// byRecipient maps a holder to the latest refusal naming it as
	// recipient, whatever the purpose: which flows a refusal may stop.
	byRecipient map[int32]*choice
	// named maps a purpose and a recipient to the latest entry naming that
	// recipient for that purpose, whatever it decides.
	named map[pairKey]*choice
	// key identifies what b decides, to share work between users with the
	// same choices.
	key string
}

// newBlocks returns empty blocks.
func newBlocks() *blocks {
	return &blocks{byPurpose: map[int32]*choice{}, byRecipient: map[int32]*choice{}, named: map[pairKey]*choice{}}
}

// mark is what law's consent rule reads of a choice (nil for none).
func (c *choice) mark() law.Mark {
	if c == nil {
		return law.Mark{}
	}
	return law.Mark{Present: true, Refusal: c.refusal, At: c.at}
}

// effective returns the choices in force at instant at (Unix nanoseconds)
// after ledger, a user's choices in recording order; nil when nothing is
// refused.
func (s *snapshot) effective(ledger []choice, at int64) *blocks {
	type ledgerKey struct{ purpose, recipient pulid.ID }
	latest := make(map[ledgerKey]*choice, len(ledger))
	refused := false
	for i := range ledger {
		c := &ledger[i]
		if c.at <= at {
			latest[ledgerKey{c.purpose, c.recipient}] = c
			refused = refused || c.refusal
		}
	}
	if !refused {
		return nil
	}
	b := newBlocks()
	later := func(m map[int32]*choice, i int32, c *choice) {
		if old := m[i]; old == nil || c.at > old.at {
			m[i] = c
		}
	}
	for k, c := range latest {
		p, ok := s.purposeIdx[k.purpose]
		if !ok {
			continue
		}
		if k.recipient == "" {
			if c.refusal {
				later(b.byPurpose, p, c)
			}
			continue
		}
		h, ok := s.holderIdx[k.recipient]
		if !ok {
			continue
		}
		b.named[pairKey{p, h}] = c
		if c.refusal {
			later(b.byRecipient, h, c)
		}
	}
	return b.seal()
}

// seal drops the named grants that decide nothing (no refusal of their
// purpose as a whole), computes the key, and returns b, or nil when b
// refuses nothing.
func (b *blocks) seal() *blocks {
	for k, c := range b.named {
		if !c.refusal && b.byPurpose[k.purpose] == nil {
			delete(b.named, k)
		}
	}
	if len(b.byPurpose)+len(b.byRecipient) == 0 {
		return nil
	}
	b.key = b.computeKey()
	return b
}

// computeKey identifies what b decides.
func (b *blocks) computeKey() string {
	var parts []string
	for p := range b.byPurpose {
		parts = append(parts, "p"+strconv.Itoa(int(p)))
	}
	for k, c := range b.named {
		d := "g"
		if c.refusal {
			d = "r"
		}
		parts = append(parts, "n"+strconv.Itoa(int(k.purpose))+"."+strconv.Itoa(int(k.holder))+d)
	}
	slices.Sort(parts)
	return strings.Join(parts, ",")
}

// stop returns the entry that stops edge e for the user, or nil when the
// flow goes ahead: per purpose of the transfer, law.Decide picks between
// the entry naming the importer and the one for the purpose as a whole
// (which counts only when the transfer honours opt-outs); the latest
// deciding refusal stops it.
func (b *blocks) stop(e *edge) *choice {
	if b == nil {
		return nil
	}
	var best *choice
	for _, p := range e.purposes {
		r, pw := b.named[pairKey{p, e.to}], b.byPurpose[p]
		var c *choice
		switch law.Decide(r.mark(), pw.mark(), e.honours) {
		case law.ByRecipient:
			c = r
		case law.ByPurpose:
			c = pw
		}
		if c != nil && c.refusal && (best == nil || c.at > best.at) {
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
	try := func(ei int32) {
		if b.stop(&s.edges[ei]) != nil {
			set.set(ei)
		}
	}
	for p := range b.byPurpose {
		for _, ei := range s.honouring[p] {
			try(ei)
		}
	}
	for h := range b.byRecipient {
		for _, ei := range s.in[h] {
			try(ei)
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
