package server_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/privhub/privhub/internal/apitest"
	"github.com/privhub/privhub/internal/persisted"
	"github.com/privhub/privhub/internal/server"
	"github.com/privhub/privhub/internal/store/storetest"
)

// post sends a raw JSON body (built from v) to /graphql.
func post(t *testing.T, s *apitest.Server, v map[string]any) apitest.Response {
	t.Helper()
	body, err := json.Marshal(v)
	require.NoError(t, err)
	return s.Post(body)
}

func TestTrustedDocumentsRunOnlyRegisteredOperations(t *testing.T) {
	db := storetest.Open(t, "sqlite3")
	const doc = `query CountryCount { countries { totalCount } }`
	hash := persisted.Hash(doc)
	m, err := persisted.ParseManifest([]byte(`{"` + hash + `": ` + mustJSON(doc) + `}`))
	require.NoError(t, err)
	a := newAPI(t, db, server.Config{TrustedDocuments: m})
	s := a.s
	want := `{"countries": {"totalCount": 249}}`

	// By documentId, with or without the sha256: prefix.
	for _, id := range []string{"sha256:" + hash, hash} {
		r := post(t, s, map[string]any{"documentId": id})
		require.Empty(t, r.Errors, "documentId %s", id)
		require.JSONEq(t, want, string(r.Data))
	}
	// By Apollo's persisted query hash.
	r := post(t, s, map[string]any{"extensions": map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hash}}})
	require.Empty(t, r.Errors)
	require.JSONEq(t, want, string(r.Data))
	// By GET.
	req, _ := http.NewRequest(http.MethodGet, s.URL+"/graphql?"+url.Values{"documentId": {"sha256:" + hash}}.Encode(), nil)
	s.Authorize(req.Header)
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	var got apitest.Response
	require.NoError(t, json.NewDecoder(res.Body).Decode(&got))
	res.Body.Close()
	require.Empty(t, got.Errors)
	require.JSONEq(t, want, string(got.Data))
	// The full text of a trusted document runs too.
	r = s.Do(doc, nil)
	require.Empty(t, r.Errors)

	// An unknown ID, any other document, and a document sent under the ID
	// of another are refused with a code.
	r = post(t, s, map[string]any{"documentId": "sha256:" + persisted.Hash("{ __typename }")})
	requireOneError(t, r, "PERSISTED_QUERY_NOT_FOUND", "")
	r = s.Do(`{ vendors { totalCount } }`, nil)
	requireOneError(t, r, "OPERATION_NOT_TRUSTED", "")
	r = post(t, s, map[string]any{"documentId": hash, "query": `{ vendors { totalCount } }`})
	requireOneError(t, r, "OPERATION_NOT_TRUSTED", "")
	// A request naming no document at all is not a GraphQL request.
	r = post(t, s, map[string]any{})
	requireOneError(t, r, "BAD_REQUEST", "")
}

func TestAutomaticPersistedQueriesWithoutAManifest(t *testing.T) {
	db := storetest.Open(t, "sqlite3")
	a := newAPI(t, db, server.Config{})
	const doc = `query CountryCount { countries { totalCount } }`
	ext := map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": persisted.Hash(doc)}}

	// The hash alone, first: not known yet.
	r := post(t, a.s, map[string]any{"extensions": ext})
	requireOneError(t, r, "PERSISTED_QUERY_NOT_FOUND", "")
	// The document with its hash registers it...
	r = post(t, a.s, map[string]any{"extensions": ext, "query": doc})
	require.Empty(t, r.Errors)
	// ...and then the hash alone runs it.
	r = post(t, a.s, map[string]any{"extensions": ext})
	require.Empty(t, r.Errors)
	require.JSONEq(t, `{"countries": {"totalCount": 249}}`, string(r.Data))
	// A hash that is not the document's is refused.
	r = post(t, a.s, map[string]any{"extensions": map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": persisted.Hash("x")}}, "query": doc})
	requireOneError(t, r, "BAD_USER_INPUT", "")
	// Any document still runs.
	a.s.MustDo(`{ vendors { totalCount } }`, nil, nil)
}

func mustJSON(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
