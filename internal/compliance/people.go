package compliance

import (
	"cmp"
	"context"
	"slices"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/consent"
	"github.com/privhub/privhub/ent/user"
	"github.com/privhub/privhub/internal/pulid"
)

// userTable is the users the rules name, by ID: their account reference,
// status and kind, never their name or e-mail. It follows inserts (see
// follower).
type userTable struct {
	follower
	byID map[pulid.ID]*ent.User
}

// loadUsers reads every user.
func loadUsers(ctx context.Context, c *ent.Client) (*userTable, error) {
	t := &userTable{follower: follower{table: user.Table}}
	return t, readAll(ctx, c, t)
}

func (t *userTable) reset(count int64) { t.byID = make(map[pulid.ID]*ent.User, count) }

func (t *userTable) read(ctx context.Context, c *ent.Client, after, upTo pulid.ID) (int, error) {
	users, err := c.User.Query().Where(user.IDGT(after), user.IDLTE(upTo)).
		Select(user.FieldExternalRef, user.FieldStatus, user.FieldSubjectKind).All(ctx)
	if err != nil {
		return 0, err
	}
	for _, u := range users {
		t.byID[u.ID] = u
	}
	return len(users), nil
}

// ledgerTable is the consent ledger: each user's entries, by recorded_at
// (then ID). It follows inserts (see follower); the ledger is append-only,
// so that inserts are the usual change.
type ledgerTable struct {
	follower
	byUser map[pulid.ID][]*ent.Consent
}

// loadLedger reads the whole ledger.
func loadLedger(ctx context.Context, c *ent.Client) (*ledgerTable, error) {
	t := &ledgerTable{follower: follower{table: consent.Table}}
	return t, readAll(ctx, c, t)
}

func (t *ledgerTable) reset(int64) { t.byUser = map[pulid.ID][]*ent.Consent{} }

func (t *ledgerTable) read(ctx context.Context, c *ent.Client, after, upTo pulid.ID) (int, error) {
	entries, err := c.Consent.Query().Where(consent.IDGT(after), consent.IDLTE(upTo)).Select(
		consent.FieldUserID, consent.FieldPurposeID, consent.FieldRecipientID, consent.FieldDecision,
		consent.FieldExplicit, consent.FieldRecordedAt, consent.FieldSource,
	).All(ctx)
	if err != nil {
		return 0, err
	}
	touched := map[pulid.ID]bool{}
	for _, e := range entries {
		t.byUser[e.UserID] = append(t.byUser[e.UserID], e)
		touched[e.UserID] = true
	}
	for u := range touched {
		slices.SortFunc(t.byUser[u], func(a, b *ent.Consent) int {
			return cmp.Or(a.RecordedAt.Compare(b.RecordedAt), cmp.Compare(a.ID, b.ID))
		})
	}
	return len(entries), nil
}
