// Package consent keeps the append-only ledger of people's choices: entries
// are only ever added, never changed or removed, and a user's effective
// choice for a purpose (and recipient) at an instant is the latest entry
// recorded before it.
package consent

import (
	"time"

	"github.com/privhub/privhub/ent/consent"
	"github.com/privhub/privhub/internal/pulid"
)

// RecordInput is one choice to add to the ledger.
type RecordInput struct {
	// User is whose choice it is.
	User pulid.ID
	// Purpose is the processing purpose the choice is about.
	Purpose pulid.ID
	// Recipient, when set, limits the choice to one vendor.
	Recipient *pulid.ID
	// Decision is the choice: granted, withdrawn or opted out.
	Decision consent.Decision
	// Explicit marks explicit consent, as special categories need (Art. 9(2)(a)).
	Explicit bool
	// Source says where the choice was made, e.g. "preference centre".
	Source *string
	// Evidence is what proves the choice, e.g. a form submission id.
	Evidence *string
	// RecordedAt is when the choice was made; nil means now.
	RecordedAt *time.Time
}
