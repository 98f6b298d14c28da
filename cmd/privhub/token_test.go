package main

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/privhub/privhub/internal/apperr"
	"github.com/privhub/privhub/internal/auth"
	"github.com/privhub/privhub/internal/store"
	"github.com/privhub/privhub/internal/store/storetest"
	"github.com/privhub/privhub/internal/vocab"
)

// TestTokensFromTheCommandLine: token create prints the token and nothing
// else, the token authenticates with its role, token list shows it without
// its secret, and token revoke makes it fail to authenticate.
func TestTokensFromTheCommandLine(t *testing.T) {
	for _, dia := range storetest.Dialects() {
		t.Run(dia, func(t *testing.T) {
			ctx := context.Background()
			url := storetest.URL(t, dia)
			out, err := privhub(t, "token", "create", "--role", "dpo", "--name", "Dana DPO", "--expires", "90d", "--database", url)
			require.NoError(t, err)
			require.Regexp(t, regexp.MustCompile(`^phk_[A-Za-z0-9_-]{43}\n$`), out, "stdout holds the token alone")
			token := strings.TrimSpace(out)

			db, err := store.Open(ctx, url)
			require.NoError(t, err)
			defer db.Close()
			p, err := auth.Authenticate(ctx, db.Client, token, time.Now())
			require.NoError(t, err)
			assert.Equal(t, auth.RoleDPO, p.Role)
			assert.Equal(t, "Dana DPO", p.Name)
			tok, err := db.Client.APIToken.Get(ctx, p.TokenID)
			require.NoError(t, err)
			require.NotNil(t, tok.ExpiresAt)
			assert.WithinDuration(t, time.Now().Add(90*24*time.Hour), *tok.ExpiresAt, time.Minute)

			// A subject token, for a user named by e-mail.
			u, err := db.Client.User.Create().SetExternalRef("LUM-9").SetEmail("ana@example.org").
				SetSubjectKind(vocab.SubjectCustomer).Save(ctx)
			require.NoError(t, err)
			out, err = privhub(t, "token", "create", "--role", "SUBJECT", "--name", "Ana", "--user", "ana@example.org", "--database", url)
			require.NoError(t, err)
			sp, err := auth.Authenticate(ctx, db.Client, strings.TrimSpace(out), time.Now())
			require.NoError(t, err)
			require.NotNil(t, sp.UserID)
			assert.Equal(t, u.ID, *sp.UserID)

			// Bad input names the flag.
			_, err = privhub(t, "token", "create", "--role", "subject", "--name", "Nobody", "--database", url)
			assert.ErrorContains(t, err, "--user")
			_, err = privhub(t, "token", "create", "--role", "root", "--name", "x", "--database", url)
			assert.ErrorContains(t, err, "--role")
			_, err = privhub(t, "token", "create", "--role", "admin", "--database", url)
			assert.ErrorContains(t, err, "--name")
			_, err = privhub(t, "token", "create", "--role", "admin", "--name", "x", "--expires", "soon", "--database", url)
			assert.ErrorContains(t, err, "--expires")

			out, err = privhub(t, "token", "list", "--database", url)
			require.NoError(t, err)
			assert.NotContains(t, out, token[4:], "the secret is never listed")
			line := lineWith(out, string(p.TokenID))
			for _, want := range []string{"Dana DPO", "DPO", "phk_" + token[4:12] + "…", tok.ExpiresAt.UTC().Format(time.RFC3339)} {
				assert.Contains(t, line, want)
			}
			assert.Contains(t, lineWith(out, string(sp.TokenID)), "SUBJECT")

			out, err = privhub(t, "token", "revoke", string(p.TokenID), "--database", url)
			require.NoError(t, err)
			assert.Contains(t, out, "revoked")
			_, err = auth.Authenticate(ctx, db.Client, token, time.Now())
			e, ok := apperr.As(err)
			require.True(t, ok, "%v", err)
			assert.Equal(t, apperr.Unauthenticated, e.Code)
			revoked, err := db.Client.APIToken.Get(ctx, p.TokenID)
			require.NoError(t, err)
			require.NotNil(t, revoked.RevokedAt)
			out, err = privhub(t, "token", "list", "--database", url)
			require.NoError(t, err)
			assert.Contains(t, lineWith(out, string(p.TokenID)), revoked.RevokedAt.UTC().Format(time.RFC3339))

			_, err = privhub(t, "token", "revoke", "tok_nope", "--database", url)
			assert.ErrorContains(t, err, "no token")
		})
	}
}

// lineWith returns the first line of out that contains s.
func lineWith(out, s string) string {
	for line := range strings.SplitSeq(out, "\n") {
		if strings.Contains(line, s) {
			return line
		}
	}
	return ""
}

func TestTokenHelp(t *testing.T) {
	out, err := privhub(t, "token", "help")
	require.NoError(t, err)
	for _, action := range []string{"create", "list", "revoke"} {
		assert.Contains(t, out, action)
	}
	out, err = privhub(t, "--help")
	require.NoError(t, err)
	assert.Contains(t, out, "token")
	_, err = privhub(t, "token")
	assert.Error(t, err)
	_, err = privhub(t, "token", "frobnicate")
	assert.ErrorContains(t, err, "frobnicate")
}

// TestServeKeepsALocalAdminToken: serve on a SQLite file prints an ADMIN
// token and a GraphiQL link carrying it, keeps the token beside the
// database, answers /graphql with it and refuses requests without it, and
// prints the same token on its next start.
func TestServeKeepsALocalAdminToken(t *testing.T) {
	dir := t.TempDir()
	url := "sqlite:" + filepath.Join(dir, "privhub.db")
	first := serveOnce(t, url)
	second := serveOnce(t, url)
	assert.Equal(t, first, second, "the kept token is reused")
	b, err := os.ReadFile(filepath.Join(dir, "privhub.db.admin-token"))
	require.NoError(t, err)
	assert.Equal(t, first, strings.TrimSpace(string(b)))
	info, err := os.Stat(filepath.Join(dir, "privhub.db.admin-token"))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm())
}

var (
	adminTokenLine = regexp.MustCompile(`(?m)^  admin token: (phk_\S+) \(paste it into the console's sign-in\)$`)
	adminLinkLine  = regexp.MustCompile(`(?m)^  GraphiQL signed in as admin: http://(\S+)/graphiql#token=(phk_\S+)$`)
)

// serveOnce starts privhub serve on url, checks the token it prints opens
// /graphql, stops it and returns the token.
func serveOnce(t *testing.T, url string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--database", url, "--addr", "127.0.0.1:0", "--no-demo"}, pw,
			slog.New(slog.NewTextHandler(io.Discard, nil)))
		pw.Close()
	}()
	var printed strings.Builder
	sc := bufio.NewScanner(pr)
	for !adminLinkLine.MatchString(printed.String()) && sc.Scan() {
		printed.WriteString(sc.Text() + "\n")
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }() // keep serve from blocking on its output
	m := adminLinkLine.FindStringSubmatch(printed.String())
	require.NotNil(t, m, "serve printed:\n%s", printed.String())
	addr, token := m[1], m[2]
	require.Equal(t, token, adminTokenLine.FindStringSubmatch(printed.String())[1])

	post := func(header string) int {
		req, err := http.NewRequest(http.MethodPost, "http://"+addr+"/graphql", strings.NewReader(`{"query":"{ __typename }"}`))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/json")
		if header != "" {
			req.Header.Set("Authorization", header)
		}
		res, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		res.Body.Close()
		return res.StatusCode
	}
	assert.Equal(t, http.StatusOK, post("Bearer "+token))
	assert.Equal(t, http.StatusUnauthorized, post(""))

	cancel()
	require.NoError(t, <-done)
	return token
}
