package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/privhub/privhub/ent/auditevent"
	"github.com/privhub/privhub/internal/apitest"
	"github.com/privhub/privhub/internal/auth"
	"github.com/privhub/privhub/internal/server"
	"github.com/privhub/privhub/internal/store"
	"github.com/privhub/privhub/internal/store/storetest"
)

const authCreateVendorQ = `mutation($in: CreateVendorInput!) { createVendor(input: $in) { vendor { id } } }`

// requireRefused checks r is an HTTP 401 with WWW-Authenticate: Bearer and
// one GraphQL error coded UNAUTHENTICATED, and no data.
func requireRefused(t *testing.T, r apitest.Response) apitest.Error {
	t.Helper()
	require.Equal(t, http.StatusUnauthorized, r.Status, "errors: %+v", r.Errors)
	assert.True(t, strings.HasPrefix(r.Header.Get("WWW-Authenticate"), "Bearer"), "WWW-Authenticate: %q", r.Header.Get("WWW-Authenticate"))
	assert.Contains(t, r.Header.Get("Content-Type"), "application/json")
	assert.Contains(t, []string{"", "null"}, string(r.Data))
	return requireOneError(t, r, "UNAUTHENTICATED", "")
}

func TestGraphQLNeedsAValidToken(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := apitest.New(t, db, server.Config{})
		in := map[string]any{"in": map[string]any{"name": "Refused SAS", "countryID": "cty_FR"}}
		vendors := func() int {
			n, err := db.Client.Vendor.Query().Count(ctx)
			require.NoError(t, err)
			return n
		}

		expired, expiredTok, err := auth.Issue(ctx, db.Client, auth.IssueInput{Role: auth.RoleAdmin, Name: "old"})
		require.NoError(t, err)
		require.NoError(t, db.Client.APIToken.UpdateOneID(expiredTok.ID).SetExpiresAt(time.Now().Add(-time.Minute)).Exec(ctx))
		revoked, revokedTok, err := auth.Issue(ctx, db.Client, auth.IssueInput{Role: auth.RoleAdmin, Name: "gone"})
		require.NoError(t, err)
		_, err = auth.Revoke(ctx, db.Client, revokedTok.ID)
		require.NoError(t, err)
		disabled, disabledTok, err := auth.Issue(ctx, db.Client, auth.IssueInput{Role: auth.RoleAdmin, Name: "off"})
		require.NoError(t, err)
		require.NoError(t, db.Client.Operator.UpdateOneID(disabledTok.OperatorID).SetDisabled(true).Exec(ctx))

		for name, header := range map[string]string{
			"no header":            "",
			"empty bearer":         "Bearer ",
			"basic scheme":         "Basic " + s.Token,
			"token without scheme": s.Token,
			"malformed token":      "Bearer not-a-token",
			"unknown token":        "Bearer phk_" + strings.Repeat("A", 43),
			"wrong token":          "Bearer " + s.Token[:len(s.Token)-2] + "xx",
			"expired token":        "Bearer " + expired,
			"revoked token":        "Bearer " + revoked,
			"disabled operator":    "Bearer " + disabled,
		} {
			t.Run(name, func(t *testing.T) {
				c := s.WithT(t).WithAuthorization(header)
				requireRefused(t, c.Do(`{ countries(first: 1) { totalCount } }`, nil))
				requireRefused(t, c.Do(authCreateVendorQ, in))
			})
		}
		assert.Zero(t, vendors(), "no refused mutation ran")

		r := s.WithAuthorization("Bearer "+expired).Do(`{ __typename }`, nil)
		assert.Contains(t, requireRefused(t, r).Message, "expired")
		r = s.WithAuthorization("Bearer "+revoked).Do(`{ __typename }`, nil)
		assert.Contains(t, requireRefused(t, r).Message, "revoked")

		// A valid token, in any case of the scheme.
		s.MustDo(`{ countries(first: 1) { totalCount } }`, nil, nil)
		r = s.WithAuthorization("bearer "+s.Token).Do(`{ countries(first: 1) { totalCount } }`, nil)
		require.Equal(t, http.StatusOK, r.Status)
		require.Empty(t, r.Errors)
		s.MustDo(authCreateVendorQ, in, nil)
		assert.Equal(t, 1, vendors())

		// GET requests too.
		get := func(c *apitest.Server) int {
			req, err := http.NewRequest(http.MethodGet, s.URL+"/graphql?query="+url.QueryEscape(`{ __typename }`), nil)
			require.NoError(t, err)
			c.Authorize(req.Header)
			res, err := s.Client().Do(req)
			require.NoError(t, err)
			res.Body.Close()
			return res.StatusCode
		}
		assert.Equal(t, http.StatusOK, get(s))
		assert.Equal(t, http.StatusUnauthorized, get(s.WithAuthorization("")))
	})
}

func TestOpenEndpoints(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		s := apitest.New(t, db, server.Config{}).WithAuthorization("")
		for _, tc := range []struct {
			method, path string
			want         int
		}{
			{http.MethodGet, "/", http.StatusOK},
			{http.MethodGet, "/graphiql", http.StatusOK},
			{http.MethodGet, "/console/app.js", http.StatusOK},
			{http.MethodGet, "/session", http.StatusUnauthorized},
			{http.MethodGet, "/healthz", http.StatusOK},
			{http.MethodGet, "/readyz", http.StatusOK},
			// A CORS preflight never carries credentials.
			{http.MethodOptions, "/graphql", http.StatusOK},
			{http.MethodPost, "/graphql", http.StatusUnauthorized},
		} {
			req, err := http.NewRequest(tc.method, s.URL+tc.path, nil)
			require.NoError(t, err)
			s.Authorize(req.Header)
			require.Empty(t, req.Header.Get("Authorization"))
			res, err := s.Client().Do(req)
			require.NoError(t, err)
			res.Body.Close()
			assert.Equal(t, tc.want, res.StatusCode, "%s %s", tc.method, tc.path)
		}
	})
}

func TestRateLimitPerToken(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		s := apitest.New(t, db, server.Config{RateLimit: 1, RateBurst: 1})
		q := `{ countries(first: 1) { totalCount } }`
		r := s.Do(q, nil)
		require.Equal(t, http.StatusOK, r.Status, "errors: %+v", r.Errors)

		r = s.Do(q, nil)
		require.Equal(t, http.StatusTooManyRequests, r.Status)
		assert.Equal(t, "1", r.Header.Get("Retry-After"))
		assert.Contains(t, []string{"", "null"}, string(r.Data))
		requireOneError(t, r, server.RateLimited, "")

		// Each token has its own allowance; a refused token is refused
		// before it counts.
		other := s.As(auth.RoleAdmin, nil)
		require.Equal(t, http.StatusOK, other.Do(q, nil).Status)
		requireRefused(t, s.WithAuthorization("Bearer phk_"+strings.Repeat("B", 43)).Do(q, nil))

		// The bucket refills at the rate.
		time.Sleep(1100 * time.Millisecond)
		require.Equal(t, http.StatusOK, s.Do(q, nil).Status)
	})
}

// TestWritesAreAuditedUnderTheTokensOperator: the audit events of a
// mutation name the operator of the token that sent it, its role and the
// request's ID.
func TestWritesAreAuditedUnderTheTokensOperator(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		token, _, err := auth.Issue(ctx, db.Client, auth.IssueInput{Role: auth.RoleAdmin, Name: "Ada Admin"})
		require.NoError(t, err)
		s := apitest.New(t, db, server.Config{}).WithToken(token)

		r := s.Do(authCreateVendorQ, map[string]any{"in": map[string]any{"name": "Audited GmbH", "countryID": "cty_DE"}})
		require.Equal(t, http.StatusOK, r.Status)
		require.Empty(t, r.Errors)
		var data map[string]any
		require.NoError(t, json.Unmarshal(r.Data, &data))
		id, _ := dig(data, "createVendor.vendor.id").(string)
		require.NotEmpty(t, id)

		evs, err := db.Client.AuditEvent.Query().Where(auditevent.TargetID(id)).All(ctx)
		require.NoError(t, err)
		require.NotEmpty(t, evs)
		for _, ev := range evs {
			assert.Equal(t, "Ada Admin", ev.Actor)
			assert.Equal(t, "ADMIN", ev.Role)
			assert.Equal(t, r.Header.Get("X-Request-Id"), ev.RequestID)
		}
	})
}
