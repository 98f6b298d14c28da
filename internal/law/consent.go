package law

import "github.com/privhub/privhub/ent/consent"

// The consent ledger is append-only: a person's choice for a purpose, as a
// whole or for one recipient, is the latest entry recorded for it by the
// instant asked about. A choice naming the recipient is more specific than
// one for the purpose as a whole: a refusal naming the recipient always
// stands, and a refusal of the whole purpose stands unless the person later
// agreed to that recipient. A refusal of the whole purpose only reaches the
// flows that honour opt-outs; a refusal naming the recipient reaches every
// flow to it for that purpose.

// Refuses reports whether a ledger decision withdraws consent or opts out.
func Refuses(d consent.Decision) bool {
	return d == consent.DecisionWithdrawn || d == consent.DecisionOptedOut
}

// Mark is what the consent rule reads of a person's latest ledger entry for
// one key (purpose, and recipient or none).
type Mark struct {
	// Present says there is such an entry.
	Present bool
	// Refusal says it withdraws consent or opts out.
	Refusal bool
	// At is when it was recorded, in Unix nanoseconds.
	At int64
}

// Side names the entry that decides a person's choice about a flow.
type Side int

// The values of Side.
const (
	// Undecided: the person never chose.
	Undecided Side = iota
	// ByRecipient: the entry naming the recipient decides.
	ByRecipient
	// ByPurpose: the entry for the purpose as a whole decides.
	ByPurpose
)

// Decide returns which of a person's latest entries for a purpose decides
// their choice about a flow to one recipient: recipient is the entry naming
// that recipient, purpose the one for the purpose as a whole, and
// purposeWide whether the flow honours choices of the whole purpose (its
// honours_opt_outs flag).
func Decide(recipient, purpose Mark, purposeWide bool) Side {
	if !purposeWide {
		purpose = Mark{}
	}
	switch {
	case recipient.Present && recipient.Refusal:
		return ByRecipient
	case purpose.Present && purpose.Refusal && (!recipient.Present || purpose.At > recipient.At):
		return ByPurpose
	case recipient.Present:
		return ByRecipient
	case purpose.Present:
		return ByPurpose
	}
	return Undecided
}

// Stops reports whether a person's entries stop a flow to one recipient for
// one purpose: the deciding entry (see Decide) is a refusal.
func Stops(recipient, purpose Mark, purposeWide bool) bool {
	switch Decide(recipient, purpose, purposeWide) {
	case ByRecipient:
		return recipient.Refusal
	case ByPurpose:
		return purpose.Refusal
	}
	return false
}
