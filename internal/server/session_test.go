package server_test

// The console's session over real HTTP: sign-in exchanges a token for an
// HttpOnly, SameSite=Strict cookie; the cookie authenticates /graphql with
// the token's role and redaction; writes need the CSRF token; sign-out
// revokes the session on the server; the token reaches no log.

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/privhub/privhub/internal/apitest"
	"github.com/privhub/privhub/internal/auth"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/server"
	"github.com/privhub/privhub/internal/session"
	"github.com/privhub/privhub/internal/store"
	"github.com/privhub/privhub/internal/store/storetest"
)

// browser is a console session as a browser holds it: the cookie, and the
// CSRF token the page got from /session.
type browser struct {
	t      *testing.T
	base   string
	cookie *http.Cookie
	csrf   string
}

// exchange sends one request as the browser would (cookie, and the CSRF
// header when csrf is set) and returns status, headers and body.
func (b *browser) exchange(method, path, contentType, body string, csrf string, extra http.Header) (int, http.Header, []byte) {
	b.t.Helper()
	req, err := http.NewRequest(method, b.base+path, strings.NewReader(body))
	require.NoError(b.t, err)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if b.cookie != nil {
		req.AddCookie(b.cookie)
	}
	if csrf != "" {
		req.Header.Set(session.CSRFHeader, csrf)
	}
	for k, v := range extra {
		req.Header[k] = v
	}
	res, err := http.DefaultClient.Do(req)
	require.NoError(b.t, err)
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	require.NoError(b.t, err)
	return res.StatusCode, res.Header, raw
}

// graphql posts an operation with the cookie and the CSRF token given.
func (b *browser) graphql(query string, vars map[string]any, csrf string) (int, apitest.Response) {
	b.t.Helper()
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	require.NoError(b.t, err)
	status, hdr, raw := b.exchange(http.MethodPost, "/graphql", "application/json", string(body), csrf, nil)
	r := apitest.Response{Status: status, Header: hdr, Body: raw}
	require.NoError(b.t, json.Unmarshal(raw, &r), "%s", raw)
	return status, r
}

// signIn posts token to /session and returns the signed-in browser and
// what /session answered.
func signIn(t *testing.T, base, token string) (*browser, map[string]any) {
	t.Helper()
	b := &browser{t: t, base: base}
	body, _ := json.Marshal(map[string]string{"token": token})
	status, hdr, raw := b.exchange(http.MethodPost, "/session", "application/json", string(body), "", nil)
	require.Equal(t, http.StatusOK, status, "%s", raw)
	res := http.Response{Header: hdr}
	for _, c := range res.Cookies() {
		if c.Name == session.CookieName {
			b.cookie = c
		}
	}
	require.NotNil(t, b.cookie, "sign-in sets the session cookie")
	var info map[string]any
	require.NoError(t, json.Unmarshal(raw, &info))
	b.csrf, _ = info["csrfToken"].(string)
	require.NotEmpty(t, b.csrf)
	return b, info
}

func issueToken(t *testing.T, db *store.DB, role auth.Role, user *pulid.ID) string {
	t.Helper()
	token, _, err := auth.Issue(context.Background(), db.Client, auth.IssueInput{Role: role, Name: "console test " + string(role), UserID: user})
	require.NoError(t, err)
	return token
}

func TestConsoleSessionSignInCSRFAndSignOut(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		var logged bytes.Buffer
		a := newAPI(t, db, server.Config{AccessLog: slog.New(slog.NewJSONHandler(&logged, nil))})
		token := issueToken(t, db, auth.RoleDPO, nil)

		b, info := signIn(t, a.s.URL, token)
		assert.Equal(t, "DPO", info["role"])
		assert.True(t, b.cookie.HttpOnly, "the page cannot read the session")
		assert.Equal(t, http.SameSiteStrictMode, b.cookie.SameSite)
		assert.False(t, b.cookie.Secure, "Secure only under TLS")
		assert.Equal(t, "/", b.cookie.Path)
		assert.NotEqual(t, token, b.cookie.Value, "the session is a token of its own")
		raw, _ := json.Marshal(info)
		assert.NotContains(t, string(raw), token)
		assert.NotContains(t, string(raw), b.cookie.Value, "the answer never shows the session token")

		// Reads and writes with the cookie and the CSRF token.
		status, r := b.graphql(`{ viewer { role name } }`, nil, b.csrf)
		require.Equal(t, http.StatusOK, status, "%s", r.Body)
		assert.JSONEq(t, `{"viewer": {"role": "DPO", "name": "console test DPO"}}`, string(r.Data))
		status, r = b.graphql(`mutation { createVendor(input: {name: "Acme Mail GmbH", countryID: "cty_DE", riskTier: LOW}) { vendor { name } } }`, nil, b.csrf)
		require.Equal(t, http.StatusOK, status, "%s", r.Body)
		assert.Empty(t, r.Errors)

		// A POST without the CSRF token, or with a wrong one, is refused
		// before anything runs.
		before := rowCounts(t, db)
		for _, csrf := range []string{"", "forged", session.CSRFToken(token)} {
			status, r = b.graphql(`mutation { createVendor(input: {name: "Forged Ltd", countryID: "cty_DE", riskTier: LOW}) { vendor { name } } }`, nil, csrf)
			assert.Equal(t, http.StatusForbidden, status, "CSRF token %q", csrf)
			requireOneError(t, r, "FORBIDDEN", "")
			assert.Nil(t, r.Data)
		}
		assert.Equal(t, before, rowCounts(t, db), "a refused request writes nothing")

		// A query over GET needs no CSRF token (GET never runs a mutation).
		status, _, body := b.exchange(http.MethodGet, "/graphql?query=%7Bviewer%7Brole%7D%7D", "", "", "", nil)
		assert.Equal(t, http.StatusOK, status, "%s", body)
		assert.Contains(t, string(body), `"DPO"`)

		// A bearer token wins over the cookie, and needs no CSRF token.
		status, _, body = b.exchange(http.MethodPost, "/graphql", "application/json", `{"query":"{ viewer { role } }"}`, "",
			http.Header{"Authorization": {"Bearer " + a.s.Token}})
		assert.Equal(t, http.StatusOK, status)
		assert.Contains(t, string(body), `"ADMIN"`)

		// /session tells the page who is signed in, with the same CSRF token.
		status, _, body = b.exchange(http.MethodGet, "/session", "", "", "", nil)
		require.Equal(t, http.StatusOK, status)
		var again map[string]any
		require.NoError(t, json.Unmarshal(body, &again))
		assert.Equal(t, b.csrf, again["csrfToken"])

		// Sign-out needs the CSRF token, then ends the session server-side:
		// the cookie, even if kept, no longer opens anything.
		status, _, _ = b.exchange(http.MethodDelete, "/session", "", "", "", nil)
		assert.Equal(t, http.StatusForbidden, status)
		status, hdr, _ := b.exchange(http.MethodDelete, "/session", "", "", b.csrf, nil)
		assert.Equal(t, http.StatusNoContent, status)
		cleared := (&http.Response{Header: hdr}).Cookies()
		require.Len(t, cleared, 1)
		assert.Equal(t, session.CookieName, cleared[0].Name)
		assert.Negative(t, cleared[0].MaxAge)
		status, r = b.graphql(`{ viewer { role } }`, nil, b.csrf)
		assert.Equal(t, http.StatusUnauthorized, status)
		requireOneError(t, r, "UNAUTHENTICATED", "")
		status, _, _ = b.exchange(http.MethodGet, "/session", "", "", "", nil)
		assert.Equal(t, http.StatusUnauthorized, status)

		// The pasted token still works: signing out ends the session only.
		status, _, _ = b.exchange(http.MethodPost, "/graphql", "application/json", `{"query":"{ viewer { role } }"}`, "",
			http.Header{"Authorization": {"Bearer " + token}})
		assert.Equal(t, http.StatusOK, status)

		// Neither token nor session token reached the access log.
		assert.NotEmpty(t, logged.String())
		assert.NotContains(t, logged.String(), token)
		assert.NotContains(t, logged.String(), b.cookie.Value)
		assert.NotContains(t, logged.String(), b.csrf)
	})
}

func TestConsoleSignInRefusals(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db, server.Config{})
		token := issueToken(t, db, auth.RoleDPO, nil)
		b := &browser{t: t, base: a.s.URL}
		check := func(name string, status int, raw []byte, wantStatus int, code string) {
			t.Helper()
			assert.Equal(t, wantStatus, status, name)
			var r apitest.Response
			require.NoError(t, json.Unmarshal(raw, &r), "%s: %s", name, raw)
			requireOneError(t, r, code, "")
		}
		body := func(tok string) string { raw, _ := json.Marshal(map[string]string{"token": tok}); return string(raw) }

		status, hdr, raw := b.exchange(http.MethodPost, "/session", "application/json", body("phk_"+strings.Repeat("A", 43)), "", nil)
		check("unknown token", status, raw, http.StatusUnauthorized, "UNAUTHENTICATED")
		assert.Empty(t, hdr.Values("Set-Cookie"))
		status, _, raw = b.exchange(http.MethodPost, "/session", "application/json", body("not a token"), "", nil)
		check("malformed token", status, raw, http.StatusUnauthorized, "UNAUTHENTICATED")
		status, _, raw = b.exchange(http.MethodPost, "/session", "application/x-www-form-urlencoded", "token="+token, "", nil)
		check("a form post", status, raw, http.StatusUnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE")
		status, _, raw = b.exchange(http.MethodPost, "/session", "application/json", body(token), "", http.Header{"Origin": {"https://evil.example"}})
		check("another origin", status, raw, http.StatusForbidden, "FORBIDDEN")
		status, _, raw = b.exchange(http.MethodPost, "/session", "application/json", `{"token":`, "", nil)
		check("broken JSON", status, raw, http.StatusBadRequest, "BAD_REQUEST")
		status, _, raw = b.exchange(http.MethodPut, "/session", "application/json", body(token), "", nil)
		check("PUT", status, raw, http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED")
		status, _, raw = b.exchange(http.MethodGet, "/session", "", "", "", nil)
		check("no cookie", status, raw, http.StatusUnauthorized, "UNAUTHENTICATED")

		// A forged cookie authenticates nothing.
		b.cookie = &http.Cookie{Name: session.CookieName, Value: "phk_" + strings.Repeat("B", 43)}
		status, r := b.graphql(`{ viewer { role } }`, nil, session.CSRFToken(b.cookie.Value))
		assert.Equal(t, http.StatusUnauthorized, status)
		requireOneError(t, r, "UNAUTHENTICATED", "")

		// The same origin may sign in.
		b.cookie = nil
		status, _, _ = b.exchange(http.MethodPost, "/session", "application/json", body(token), "", http.Header{"Origin": {a.s.URL}})
		assert.Equal(t, http.StatusOK, status)
	})
}

// TestConsoleSessionKeepsRolesAndRedaction: a session acts exactly as its
// token: an analyst's session gets no personal value, a subject's sees its
// own user only, and another person's ID answers as an unknown one.
func TestConsoleSessionKeepsRolesAndRedaction(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db, server.Config{})
		w := a.seedWorld()
		bob := a.create("User", map[string]any{"externalRef": "acct-2", "email": "bob@example.org", "name": "Bob", "subjectKind": "CUSTOMER"})

		analyst, _ := signIn(t, a.s.URL, issueToken(t, db, auth.RoleAnalyst, nil))
		_, r := analyst.graphql(`{ users { edges { node { id subjectKind email name externalRef } } } }`, nil, analyst.csrf)
		require.NotEmpty(t, r.Errors)
		for _, e := range r.Errors {
			assert.Equal(t, "FORBIDDEN", e.Code(), "%+v", e)
		}
		assert.NotContains(t, string(r.Data), "alice@example.org")
		assert.NotContains(t, string(r.Data), "Bob")
		assert.Contains(t, string(r.Data), "CUSTOMER", "the rest of the answer is there")
		_, r = analyst.graphql(`mutation($id: ID!) { deleteNode(input: {id: $id}) { deletedId } }`, map[string]any{"id": bob}, analyst.csrf)
		requireOneError(t, r, "FORBIDDEN", "")

		uid := pulid.ID(w.User)
		subject, info := signIn(t, a.s.URL, issueToken(t, db, auth.RoleSubject, &uid))
		assert.Equal(t, "SUBJECT", info["role"])
		assert.Equal(t, w.User, info["userID"])
		_, r = subject.graphql(`query($id: ID!) { node(id: $id) { ... on User { email } } }`, map[string]any{"id": w.User}, subject.csrf)
		assert.Empty(t, r.Errors)
		assert.JSONEq(t, `{"node": {"email": "alice@example.org"}}`, string(r.Data))
		_, other := subject.graphql(`query($id: ID!) { node(id: $id) { ... on User { email } } }`, map[string]any{"id": bob}, subject.csrf)
		_, unknown := subject.graphql(`query($id: ID!) { node(id: $id) { ... on User { email } } }`, map[string]any{"id": string(pulid.New("usr"))}, subject.csrf)
		assert.JSONEq(t, string(unknown.Body), string(other.Body), "another person answers as nobody")
	})
}

// TestConsolePageIsSelfContained: the console's page and every file it
// loads come from the server itself, under a policy that allows nothing
// else.
func TestConsolePageIsSelfContained(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db, server.Config{})
		status, hdr, raw := rawHTTP(t, a.s, http.MethodGet, a.s.URL+"/", "", nil)
		require.Equal(t, http.StatusOK, status)
		assert.Contains(t, hdr.Get("Content-Type"), "text/html")
		assert.Contains(t, hdr.Get("Content-Security-Policy"), "script-src 'self'")
		assert.Contains(t, hdr.Get("Content-Security-Policy"), "connect-src 'self'")
		page := string(raw)
		assert.Contains(t, page, "privhub console")
		assert.NotContains(t, page, "http://")
		assert.NotContains(t, page, "https://")
		for _, m := range assetRef.FindAllStringSubmatch(page, -1) {
			ref := m[1]
			if strings.HasPrefix(ref, "#") {
				continue
			}
			assert.True(t, strings.HasPrefix(ref, "/") && !strings.HasPrefix(ref, "//"), "asset %q comes from the same origin", ref)
			status, _, _ := rawHTTP(t, a.s, http.MethodGet, a.s.URL+ref, "", nil)
			assert.Equal(t, http.StatusOK, status, "asset %s", ref)
		}
		status, _, _ = rawHTTP(t, a.s, http.MethodGet, a.s.URL+"/console/nothing.js", "", nil)
		assert.Equal(t, http.StatusNotFound, status)
		status, _, _ = rawHTTP(t, a.s, http.MethodGet, a.s.URL+"/elsewhere", "", nil)
		assert.Equal(t, http.StatusNotFound, status)
	})
}

// TestConsoleSessionCookieIsSecureUnderTLS: served over TLS, the session
// cookie is Secure.
func TestConsoleSessionCookieIsSecureUnderTLS(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		srv := httptest.NewTLSServer(server.Handler(server.Config{}, db, slog.New(slog.NewTextHandler(io.Discard, nil))))
		t.Cleanup(srv.Close)
		body, _ := json.Marshal(map[string]string{"token": issueToken(t, db, auth.RoleViewer, nil)})
		res, err := srv.Client().Post(srv.URL+"/session", "application/json", bytes.NewReader(body))
		require.NoError(t, err)
		res.Body.Close()
		require.Equal(t, http.StatusOK, res.StatusCode)
		require.Len(t, res.Cookies(), 1)
		c := res.Cookies()[0]
		assert.True(t, c.Secure)
		assert.True(t, c.HttpOnly)
		assert.Equal(t, http.SameSiteStrictMode, c.SameSite)
	})
}
