package auth_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/internal/apperr"
	"github.com/privhub/privhub/internal/audit"
	"github.com/privhub/privhub/internal/auth"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/store"
	"github.com/privhub/privhub/internal/store/storetest"
	"github.com/privhub/privhub/internal/vocab"
)

var tokenShape = regexp.MustCompile(`^phk_[A-Za-z0-9_-]{43}$`)

// requireCode checks err is an apperr.Error of the code.
func requireCode(t *testing.T, code apperr.Code, err error) *apperr.Error {
	t.Helper()
	require.Error(t, err)
	e, ok := apperr.As(err)
	require.True(t, ok, "not an apperr.Error: %v", err)
	require.Equal(t, code, e.Code, "%v", err)
	return e
}

// newUser stores a data subject.
func newUser(t *testing.T, c *ent.Client, ref string) *ent.User {
	t.Helper()
	u, err := c.User.Create().SetExternalRef(ref).SetSubjectKind(vocab.SubjectCustomer).Save(context.Background())
	require.NoError(t, err)
	return u
}

func TestIssueStoresOnlyAHash(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		token, tok, err := auth.Issue(ctx, db.Client, auth.IssueInput{Role: auth.RoleDPO, Name: "Dana"})
		require.NoError(t, err)
		assert.Regexp(t, tokenShape, token)
		assert.Equal(t, token[4:12], tok.Hint)
		require.NotNil(t, tok.Edges.Operator)
		assert.Equal(t, "Dana", tok.Edges.Operator.Name)
		assert.Equal(t, auth.RoleDPO, tok.Edges.Operator.Role)
		assert.Nil(t, tok.ExpiresAt)

		stored, err := db.Client.APIToken.Get(ctx, tok.ID)
		require.NoError(t, err)
		sum := sha256.Sum256([]byte(token))
		assert.Equal(t, sum[:], stored.SecretHash, "the SHA-256 of the token is stored")

		// The token itself is nowhere in the row, nor in the audit trail.
		var row []byte
		require.NoError(t, db.SQL.QueryRowContext(ctx,
			`SELECT name || hint || operator_id FROM api_tokens WHERE id = `+placeholder(db), string(tok.ID)).Scan(&row))
		assert.NotContains(t, string(row), token[4:20])
		evs, err := db.Client.AuditEvent.Query().All(ctx)
		require.NoError(t, err)
		require.NotEmpty(t, evs, "issuing is audited")
		for _, ev := range evs {
			changes, err := json.Marshal(ev.Changes)
			require.NoError(t, err)
			assert.NotContains(t, string(changes), token[4:20])
			assert.NotContains(t, string(changes), hex.EncodeToString(sum[:]))
			assert.NotContains(t, string(changes), base64.StdEncoding.EncodeToString(sum[:]))
		}

		// Two tokens never share a secret.
		other, _, err := auth.Issue(ctx, db.Client, auth.IssueInput{Role: auth.RoleDPO, Name: "Dana"})
		require.NoError(t, err)
		assert.NotEqual(t, token, other)
	})
}

// placeholder is the first bind parameter of db's dialect.
func placeholder(db *store.DB) string {
	if db.Dialect == "postgres" {
		return "$1"
	}
	return "?"
}

func TestAuthenticate(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := db.Client
		now := time.Now()
		token, tok, err := auth.Issue(ctx, c, auth.IssueInput{Role: auth.RoleAnalyst, Name: "Ana", ExpiresIn: time.Hour})
		require.NoError(t, err)
		require.NotNil(t, tok.ExpiresAt)
		assert.WithinDuration(t, now.Add(time.Hour), *tok.ExpiresAt, 5*time.Second)

		events := func() int {
			n, err := c.AuditEvent.Query().Count(ctx)
			require.NoError(t, err)
			return n
		}
		before := events()
		p, err := auth.Authenticate(ctx, c, token, now)
		require.NoError(t, err)
		assert.Equal(t, &auth.Principal{TokenID: tok.ID, OperatorID: tok.OperatorID, Name: "Ana", Role: auth.RoleAnalyst}, p)

		// The first use is recorded; uses within the minute after it are not.
		used := func() time.Time {
			got, err := c.APIToken.Get(ctx, tok.ID)
			require.NoError(t, err)
			require.NotNil(t, got.LastUsedAt)
			return *got.LastUsedAt
		}
		first := used()
		assert.WithinDuration(t, now, first, time.Second)
		_, err = auth.Authenticate(ctx, c, token, now.Add(30*time.Second))
		require.NoError(t, err)
		assert.True(t, first.Equal(used()), "no write within the minute")
		_, err = auth.Authenticate(ctx, c, token, now.Add(61*time.Second))
		require.NoError(t, err)
		assert.WithinDuration(t, now.Add(61*time.Second), used(), time.Second)
		assert.Equal(t, before, events(), "recording a token's use is not an audited change")

		// Expired at its expiry instant.
		_, err = auth.Authenticate(ctx, c, token, tok.ExpiresAt.Add(-time.Second))
		require.NoError(t, err)
		e := requireCode(t, apperr.Unauthenticated, mustFail(auth.Authenticate(ctx, c, token, *tok.ExpiresAt)))
		assert.Contains(t, e.Message, "expired")
	})
}

// mustFail returns the error of a call that returns a principal too.
func mustFail(_ *auth.Principal, err error) error { return err }

func TestAuthenticateRefuses(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := db.Client
		now := time.Now()
		token, tok, err := auth.Issue(ctx, c, auth.IssueInput{Role: auth.RoleViewer, Name: "Vic"})
		require.NoError(t, err)

		// Malformed or unknown tokens never authenticate.
		unknown := "phk_" + strings.Repeat("A", 43)
		flipped := token[:10] + string("AB"[bytesIndex(token[10], 'A')]) + token[11:]
		for _, bad := range []string{
			"", "phk_", token[4:], "Bearer " + token, token + "=", token + "A", token[:len(token)-1],
			"phx_" + token[4:], strings.ToUpper(token[:4]) + token[4:], " " + token,
			token[:20] + "+" + token[21:], token[:20] + "/" + token[21:],
			unknown, flipped,
		} {
			_, err := auth.Authenticate(ctx, c, bad, now)
			requireCode(t, apperr.Unauthenticated, err)
		}

		// Revoked: from then on, and revoking again changes nothing.
		_, err = auth.Authenticate(ctx, c, token, now)
		require.NoError(t, err)
		revoked, err := auth.Revoke(ctx, c, tok.ID)
		require.NoError(t, err)
		require.NotNil(t, revoked.RevokedAt)
		e := requireCode(t, apperr.Unauthenticated, mustFail(auth.Authenticate(ctx, c, token, now)))
		assert.Contains(t, e.Message, "revoked")
		again, err := auth.Revoke(ctx, c, tok.ID)
		require.NoError(t, err)
		assert.True(t, revoked.RevokedAt.Equal(*again.RevokedAt))
		_, err = auth.Revoke(ctx, c, pulid.New("tok"))
		requireCode(t, apperr.NotFound, err)

		// A disabled operator's tokens do not authenticate.
		token2, tok2, err := auth.Issue(ctx, c, auth.IssueInput{Role: auth.RoleAdmin, Name: "Ada"})
		require.NoError(t, err)
		_, err = auth.Authenticate(ctx, c, token2, now)
		require.NoError(t, err)
		require.NoError(t, c.Operator.UpdateOneID(tok2.OperatorID).SetDisabled(true).Exec(ctx))
		e = requireCode(t, apperr.Unauthenticated, mustFail(auth.Authenticate(ctx, c, token2, now)))
		assert.Contains(t, e.Message, "disabled")
	})
}

// bytesIndex returns 1 when b is want, else 0: a way to pick a character
// different from b.
func bytesIndex(b, want byte) int {
	if b == want {
		return 1
	}
	return 0
}

func TestIssueChecksTheInput(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := db.Client
		alice := newUser(t, c, "LUM-1")
		missing := pulid.New("usr")
		for name, tc := range map[string]struct {
			in    auth.IssueInput
			field string
		}{
			"no name":               {auth.IssueInput{Role: auth.RoleAdmin, Name: "  "}, "name"},
			"unknown role":          {auth.IssueInput{Role: "ROOT", Name: "x"}, "role"},
			"no role":               {auth.IssueInput{Name: "x"}, "role"},
			"negative expiry":       {auth.IssueInput{Role: auth.RoleAdmin, Name: "x", ExpiresIn: -time.Second}, "expiresIn"},
			"subject without user":  {auth.IssueInput{Role: auth.RoleSubject, Name: "x"}, "userID"},
			"subject, unknown user": {auth.IssueInput{Role: auth.RoleSubject, Name: "x", UserID: &missing}, "userID"},
			"admin with a user":     {auth.IssueInput{Role: auth.RoleAdmin, Name: "x", UserID: &alice.ID}, "userID"},
			"unknown operator":      {auth.IssueInput{Name: "x", OperatorID: &missing}, "operatorID"},
		} {
			t.Run(name, func(t *testing.T) {
				_, _, err := auth.Issue(ctx, c, tc.in)
				e := requireCode(t, apperr.BadUserInput, err)
				assert.Equal(t, tc.field, e.Field)
			})
		}
		n, err := c.Operator.Query().Count(ctx)
		require.NoError(t, err)
		assert.Zero(t, n, "a refused issue leaves no operator behind")

		// A SUBJECT token stands for its user.
		token, tok, err := auth.Issue(ctx, c, auth.IssueInput{Role: auth.RoleSubject, Name: "Alice", UserID: &alice.ID})
		require.NoError(t, err)
		p, err := auth.Authenticate(ctx, c, token, time.Now())
		require.NoError(t, err)
		require.NotNil(t, p.UserID)
		assert.Equal(t, alice.ID, *p.UserID)
		assert.Equal(t, auth.RoleSubject, p.Role)

		// A second token for the same operator; it must agree with it.
		token2, tok2, err := auth.Issue(ctx, c, auth.IssueInput{Name: "Alice's phone", OperatorID: &tok.OperatorID})
		require.NoError(t, err)
		assert.Equal(t, tok.OperatorID, tok2.OperatorID)
		p2, err := auth.Authenticate(ctx, c, token2, time.Now())
		require.NoError(t, err)
		assert.Equal(t, p.OperatorID, p2.OperatorID)
		assert.NotEqual(t, p.TokenID, p2.TokenID)
		_, _, err = auth.Issue(ctx, c, auth.IssueInput{Role: auth.RoleAdmin, Name: "x", OperatorID: &tok.OperatorID})
		assert.Equal(t, "role", requireCode(t, apperr.BadUserInput, err).Field)
		require.NoError(t, c.Operator.UpdateOneID(tok.OperatorID).SetDisabled(true).Exec(ctx))
		_, _, err = auth.Issue(ctx, c, auth.IssueInput{Name: "x", OperatorID: &tok.OperatorID})
		assert.Equal(t, "operatorID", requireCode(t, apperr.BadUserInput, err).Field)

		list, err := auth.List(ctx, c)
		require.NoError(t, err)
		require.Len(t, list, 2)
		assert.Equal(t, []pulid.ID{tok.ID, tok2.ID}, []pulid.ID{list[0].ID, list[1].ID})
		assert.Equal(t, "Alice", list[1].Edges.Operator.Name)
	})
}

func TestIssueIsAuditedUnderTheActor(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := audit.WithActor(context.Background(), audit.Actor{Name: "cli:test", Role: "ADMIN", RequestID: audit.NewRequestID()})
		_, tok, err := auth.Issue(ctx, db.Client, auth.IssueInput{Role: auth.RoleViewer, Name: "Val"})
		require.NoError(t, err)
		evs, err := db.Client.AuditEvent.Query().All(ctx)
		require.NoError(t, err)
		targets := map[string]string{}
		for _, ev := range evs {
			assert.Equal(t, "cli:test", ev.Actor)
			targets[ev.TargetType] = ev.TargetID
		}
		assert.Equal(t, string(tok.ID), targets["APIToken"])
		assert.Equal(t, string(tok.OperatorID), targets["Operator"])
	})
}

func TestEnsureLocalAdmin(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := db.Client
		path := filepath.Join(t.TempDir(), "state", "privhub.db.admin-token")

		token, created, err := auth.EnsureLocalAdmin(ctx, c, path)
		require.NoError(t, err)
		assert.True(t, created)
		assert.Regexp(t, tokenShape, token)
		info, err := os.Stat(path)
		require.NoError(t, err)
		assert.Equal(t, os.FileMode(0o600), info.Mode().Perm())
		b, err := os.ReadFile(path)
		require.NoError(t, err)
		assert.Equal(t, token, strings.TrimSpace(string(b)))
		p, err := auth.Authenticate(ctx, c, token, time.Now())
		require.NoError(t, err)
		assert.Equal(t, auth.RoleAdmin, p.Role)
		assert.Equal(t, auth.LocalAdminName, p.Name)

		// The file is reused while its token works.
		again, created, err := auth.EnsureLocalAdmin(ctx, c, path)
		require.NoError(t, err)
		assert.False(t, created)
		assert.Equal(t, token, again)

		// A revoked token is replaced, for the same operator.
		_, err = auth.Revoke(ctx, c, p.TokenID)
		require.NoError(t, err)
		fresh, created, err := auth.EnsureLocalAdmin(ctx, c, path)
		require.NoError(t, err)
		assert.True(t, created)
		assert.NotEqual(t, token, fresh)
		b, err = os.ReadFile(path)
		require.NoError(t, err)
		assert.Equal(t, fresh, strings.TrimSpace(string(b)))
		p2, err := auth.Authenticate(ctx, c, fresh, time.Now())
		require.NoError(t, err)
		assert.Equal(t, p.OperatorID, p2.OperatorID)

		// So is a file that holds anything else, or a token that is not ADMIN.
		require.NoError(t, os.WriteFile(path, []byte("garbage\n"), 0o644))
		fresh2, created, err := auth.EnsureLocalAdmin(ctx, c, path)
		require.NoError(t, err)
		assert.True(t, created)
		info, err = os.Stat(path)
		require.NoError(t, err)
		assert.Equal(t, os.FileMode(0o600), info.Mode().Perm(), "the replaced file is private again")
		viewer, _, err := auth.Issue(ctx, c, auth.IssueInput{Role: auth.RoleViewer, Name: "v"})
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(path, []byte(viewer), 0o600))
		fresh3, created, err := auth.EnsureLocalAdmin(ctx, c, path)
		require.NoError(t, err)
		assert.True(t, created)
		assert.NotEqual(t, viewer, fresh3)
		assert.NotEqual(t, fresh2, fresh3)

		entries, err := os.ReadDir(filepath.Dir(path))
		require.NoError(t, err)
		assert.Len(t, entries, 1, "no temporary file is left behind")
	})
}
