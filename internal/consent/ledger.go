package consent

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/consent"
	"github.com/privhub/privhub/ent/purpose"
	"github.com/privhub/privhub/ent/user"
	"github.com/privhub/privhub/ent/vendor"
	"github.com/privhub/privhub/internal/apperr"
	"github.com/privhub/privhub/internal/pulid"
)

// clockSkew is how far in the future a recorded time may lie: clocks of the
// systems that report choices are not exactly ours.
const clockSkew = time.Minute

// Record adds one entry to the ledger and returns it. The user, purpose and
// recipient must exist; explicit consent is a grant; a choice cannot be
// dated in the future.
func Record(ctx context.Context, c *ent.Client, in RecordInput) (*ent.Consent, error) {
	if err := exists(ctx, c.User.Query().Where(user.ID(in.User)).Exist, "user", "user", in.User); err != nil {
		return nil, err
	}
	if err := exists(ctx, c.Purpose.Query().Where(purpose.ID(in.Purpose)).Exist, "purpose", "purpose", in.Purpose); err != nil {
		return nil, err
	}
	if in.Recipient != nil {
		if err := exists(ctx, c.Vendor.Query().Where(vendor.ID(*in.Recipient)).Exist, "recipient", "vendor", *in.Recipient); err != nil {
			return nil, err
		}
	}
	if in.Explicit && in.Decision != consent.DecisionGranted {
		return nil, apperr.Invalid("explicit", "only a grant can be explicit consent; a %s needs no such flag", strings.ToLower(string(in.Decision)))
	}
	if in.RecordedAt != nil && in.RecordedAt.After(time.Now().Add(clockSkew)) {
		return nil, apperr.Invalid("recordedAt", "a choice cannot be recorded in the future (%s)", in.RecordedAt.UTC().Format(time.RFC3339))
	}
	create := c.Consent.Create().
		SetUserID(in.User).
		SetPurposeID(in.Purpose).
		SetNillableRecipientID(in.Recipient).
		SetDecision(in.Decision).
		SetExplicit(in.Explicit).
		SetNillableRecordedAt(in.RecordedAt)
	if in.Source != nil {
		create.SetSource(*in.Source)
	}
	if in.Evidence != nil {
		create.SetEvidence(*in.Evidence)
	}
	e, err := create.Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("recording consent of %s for %s: %w", in.User, in.Purpose, err)
	}
	return e, nil
}

// History returns every entry of a user's ledger, oldest first.
func History(ctx context.Context, c *ent.Client, userID pulid.ID) ([]*ent.Consent, error) {
	entries, err := c.Consent.Query().Where(consent.UserID(userID)).
		Order(consent.ByRecordedAt(), consent.ByID()).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading the consent ledger of %s: %w", userID, err)
	}
	return entries, nil
}

// Effective returns the user's effective choices at an instant: for each
// purpose and recipient (or none), the latest entry recorded by at, ordered
// by purpose then recipient.
func Effective(ctx context.Context, c *ent.Client, userID pulid.ID, at time.Time) ([]*ent.Consent, error) {
	entries, err := History(ctx, c, userID)
	if err != nil {
		return nil, err
	}
	return Latest(entries, at), nil
}

// Latest picks, out of one user's entries ordered oldest first, the latest
// entry recorded by at for each purpose and recipient, ordered by purpose
// then recipient.
func Latest(entries []*ent.Consent, at time.Time) []*ent.Consent {
	type key struct{ purpose, recipient pulid.ID }
	latest := map[key]int{}
	var out []*ent.Consent
	for _, e := range entries {
		if e.RecordedAt.After(at) {
			continue
		}
		k := key{purpose: e.PurposeID}
		if e.RecipientID != nil {
			k.recipient = *e.RecipientID
		}
		if i, ok := latest[k]; ok {
			out[i] = e
			continue
		}
		latest[k] = len(out)
		out = append(out, e)
	}
	sortByScope(out)
	return out
}

// exists answers NOT_FOUND-like bad input when a referenced object is missing.
func exists(ctx context.Context, query func(context.Context) (bool, error), field, kind string, id pulid.ID) error {
	ok, err := query(ctx)
	if err != nil {
		return fmt.Errorf("looking up %s %s: %w", kind, id, err)
	}
	if !ok {
		return apperr.Invalid(field, "no %s has this ID", kind)
	}
	return nil
}

// sortByScope orders entries by purpose, then recipient (the purpose-wide
// choice first), then recording time.
func sortByScope(entries []*ent.Consent) {
	slices.SortStableFunc(entries, func(a, b *ent.Consent) int {
		ra, rb := "", ""
		if a.RecipientID != nil {
			ra = string(*a.RecipientID)
		}
		if b.RecipientID != nil {
			rb = string(*b.RecipientID)
		}
		return cmp.Or(cmp.Compare(a.PurposeID, b.PurposeID), cmp.Compare(ra, rb), a.RecordedAt.Compare(b.RecordedAt))
	})
}
