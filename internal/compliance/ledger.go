package compliance

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/consent"
	"github.com/privhub/privhub/internal/law"
	"github.com/privhub/privhub/internal/pulid"
)

// The rules of the consent ledger are law's (law.Decide): the latest entry
// per key, a refusal naming the recipient always standing, a refusal of the
// whole purpose standing unless the user later agreed to that recipient.

// refusal reports whether a ledger entry withdraws consent or opts out.
func refusal(c *ent.Consent) bool { return c != nil && law.Refuses(c.Decision) }

// granted reports whether a ledger entry grants consent.
func granted(c *ent.Consent) bool { return c != nil && c.Decision == consent.DecisionGranted }

// mark is what law's consent rule reads of an entry (nil for none).
func mark(c *ent.Consent) law.Mark {
	if c == nil {
		return law.Mark{}
	}
	return law.Mark{Present: true, Refusal: law.Refuses(c.Decision), At: c.RecordedAt.UnixNano()}
}

// entry returns a user's latest ledger entry for a purpose and a recipient
// ("" for the purpose as a whole) recorded before until, or at until too
// when inclusive; nil when there is none.
func (s *snapshot) entry(user, purpose, recipient pulid.ID, until time.Time, inclusive bool) *ent.Consent {
	var last *ent.Consent
	for _, c := range s.ledger.byUser[user] {
		if c.RecordedAt.After(until) || (!inclusive && c.RecordedAt.Equal(until)) {
			break
		}
		if c.PurposeID == purpose && either(c.RecipientID, nil) == recipient {
			last = c
		}
	}
	return last
}

// choice returns the entry that decides a user's choice for a purpose with a
// recipient ("" for none), as law.Decide rules. purposeWide says whether a
// choice for the purpose as a whole counts (it does not for a flow that
// does not honour opt-outs). It returns nil when the user never chose.
func (s *snapshot) choice(user, purpose, recipient pulid.ID, until time.Time, inclusive, purposeWide bool) *ent.Consent {
	var r, p *ent.Consent
	if recipient != "" {
		r = s.entry(user, purpose, recipient, until, inclusive)
	}
	if purposeWide {
		p = s.entry(user, purpose, "", until, inclusive)
	}
	switch law.Decide(mark(r), mark(p), purposeWide) {
	case law.ByRecipient:
		return r
	case law.ByPurpose:
		return p
	}
	return nil
}

// explicitlyConsented reports whether, by until, a user gave an explicit
// consent for one of the purposes (as a whole or for the recipient) that no
// later withdrawal or opt-out of the same key revoked; it returns the entry
// that decides, when there is one.
func (s *snapshot) explicitlyConsented(user pulid.ID, purposes []pulid.ID, recipient pulid.ID, until time.Time) (bool, *ent.Consent) {
	var last *ent.Consent
	explicit := false
	for _, c := range s.ledger.byUser[user] {
		if c.RecordedAt.After(until) {
			break
		}
		rc := either(c.RecipientID, nil)
		if !slices.Contains(purposes, c.PurposeID) || (rc != "" && rc != recipient) {
			continue
		}
		last = c
		switch {
		case refusal(c):
			explicit = false
		case granted(c) && c.Explicit:
			explicit = true
		}
	}
	return explicit, last
}

// describe says in words what a ledger entry records, e.g. "opted out of
// events for Orbis POS Inc. on 2026-03-18 (sponsor preferences page)".
func (s *snapshot) describe(c *ent.Consent) string {
	if c == nil {
		return "never chose"
	}
	var b strings.Builder
	switch c.Decision {
	case consent.DecisionGranted:
		if c.Explicit {
			b.WriteString("explicitly ")
		}
		b.WriteString("consented to ")
	case consent.DecisionWithdrawn:
		b.WriteString("withdrew consent to ")
	default:
		b.WriteString("opted out of ")
	}
	b.WriteString(s.purposeKey(c.PurposeID))
	if c.RecipientID != nil {
		b.WriteString(" for " + s.holderName(*c.RecipientID))
	}
	fmt.Fprintf(&b, " on %s", day(c.RecordedAt))
	if c.Source != "" {
		fmt.Fprintf(&b, " (%s)", c.Source)
	}
	return b.String()
}
