package compliance

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/consent"
	"github.com/privhub/privhub/internal/pulid"
)

// The consent ledger is append-only: a user's choice for a purpose, as a
// whole or for one recipient, is the latest entry recorded for it. A choice
// naming the recipient is more specific than one for the purpose as a whole:
// a refusal naming the recipient always stands, and a refusal of the whole
// purpose stands unless the user later agreed to that recipient.

// refusal reports whether a ledger entry withdraws consent or opts out.
func refusal(c *ent.Consent) bool {
	return c != nil && (c.Decision == consent.DecisionWithdrawn || c.Decision == consent.DecisionOptedOut)
}

// granted reports whether a ledger entry grants consent.
func granted(c *ent.Consent) bool { return c != nil && c.Decision == consent.DecisionGranted }

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
// recipient ("" for none): see the ledger rules above. purposeWide says
// whether a choice for the purpose as a whole counts (it does not for a flow
// that does not honour opt-outs). It returns nil when the user never chose.
func (s *snapshot) choice(user, purpose, recipient pulid.ID, until time.Time, inclusive, purposeWide bool) *ent.Consent {
	var r, p *ent.Consent
	if recipient != "" {
		r = s.entry(user, purpose, recipient, until, inclusive)
	}
	if purposeWide {
		p = s.entry(user, purpose, "", until, inclusive)
	}
	switch {
	case refusal(r):
		return r
	case refusal(p) && (r == nil || p.RecordedAt.After(r.RecordedAt)):
		return p
	case r != nil:
		return r
	}
	return p
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
