package compliance

import (
	"cmp"
	"context"
	"slices"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/consent"
	"github.com/privhub/privhub/ent/predicate"
	"github.com/privhub/privhub/ent/user"
	"github.com/privhub/privhub/internal/pulid"
)

// userTable is the users the rules name, by ID: their account reference,
// status and kind, never their name or e-mail. It follows inserts as a
// recordTable does.
type userTable struct {
	byID map[pulid.ID]*ent.User
	seen tableState
}

// loadUsers reads every user.
func loadUsers(ctx context.Context, c *ent.Client) (*userTable, error) {
	t := &userTable{byID: map[pulid.ID]*ent.User{}}
	return t, t.readAll(ctx, c)
}

func (t *userTable) readAll(ctx context.Context, c *ent.Client) error {
	st, err := fingerprint(ctx, c, user.Table)
	if err != nil {
		return err
	}
	clear(t.byID)
	if _, err := t.read(ctx, c, user.IDLTE(st.maxID)); err != nil {
		return err
	}
	t.seen = st
	return nil
}

// read adds the users matching where and returns how many it read.
func (t *userTable) read(ctx context.Context, c *ent.Client, where predicate.User) (int, error) {
	users, err := c.User.Query().Where(where).
		Select(user.FieldExternalRef, user.FieldStatus, user.FieldSubjectKind).All(ctx)
	if err != nil {
		return 0, err
	}
	for _, u := range users {
		t.byID[u.ID] = u
	}
	return len(users), nil
}

// follow brings t up to date after inserts, or reads the table again when
// it changed otherwise.
func (t *userTable) follow(ctx context.Context, c *ent.Client) error {
	st, err := fingerprint(ctx, c, user.Table)
	if err != nil {
		return err
	}
	if st.maxID > t.seen.maxID && st.count > t.seen.count {
		n, err := t.read(ctx, c, user.And(user.IDGT(t.seen.maxID), user.IDLTE(st.maxID)))
		if err != nil {
			return err
		}
		if t.seen.count+int64(n) == st.count {
			t.seen = st
			return nil
		}
	} else if st == t.seen {
		return nil
	}
	return t.readAll(ctx, c)
}

// ledgerTable is the consent ledger: each user's entries, by recorded_at
// (then ID). It follows inserts as a recordTable does; the ledger is
// append-only, so that inserts are the usual change.
type ledgerTable struct {
	byUser map[pulid.ID][]*ent.Consent
	seen   tableState
}

// loadLedger reads the whole ledger.
func loadLedger(ctx context.Context, c *ent.Client) (*ledgerTable, error) {
	t := &ledgerTable{byUser: map[pulid.ID][]*ent.Consent{}}
	return t, t.readAll(ctx, c)
}

func (t *ledgerTable) readAll(ctx context.Context, c *ent.Client) error {
	st, err := fingerprint(ctx, c, consent.Table)
	if err != nil {
		return err
	}
	clear(t.byUser)
	if _, err := t.read(ctx, c, consent.IDLTE(st.maxID)); err != nil {
		return err
	}
	t.seen = st
	return nil
}

// read adds the entries matching where, keeping each user's entries in
// order, and returns how many it read.
func (t *ledgerTable) read(ctx context.Context, c *ent.Client, where predicate.Consent) (int, error) {
	entries, err := c.Consent.Query().Where(where).Select(
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

// follow brings t up to date after inserts, or reads the ledger again when
// it changed otherwise.
func (t *ledgerTable) follow(ctx context.Context, c *ent.Client) error {
	st, err := fingerprint(ctx, c, consent.Table)
	if err != nil {
		return err
	}
	if st.maxID > t.seen.maxID && st.count > t.seen.count {
		n, err := t.read(ctx, c, consent.And(consent.IDGT(t.seen.maxID), consent.IDLTE(st.maxID)))
		if err != nil {
			return err
		}
		if t.seen.count+int64(n) == st.count {
			t.seen = st
			return nil
		}
	} else if st == t.seen {
		return nil
	}
	return t.readAll(ctx, c)
}
