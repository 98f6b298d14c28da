package server_test

// The HTTP surface and the limits of a public API: depth, complexity and body
// size limits, GET, bad bodies, health checks, the GraphiQL page, and no
// field suggestions.

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/privhub/privhub/internal/server"
	"github.com/privhub/privhub/internal/store"
	"github.com/privhub/privhub/internal/store/storetest"
)

// requireClientError checks a raw answer is a client error: a 4xx, or a
// GraphQL response with errors, and in no case a 500 or a crash message.
func requireClientError(t *testing.T, status int, body []byte) {
	t.Helper()
	require.Less(t, status, 500, "HTTP status; body: %s", body)
	assert.NotContains(t, strings.ToLower(string(body)), "internal server error")
	assert.NotContains(t, strings.ToLower(string(body)), "internal error")
	if status == http.StatusOK {
		var r struct {
			Data   json.RawMessage
			Errors []struct{ Message string }
		}
		require.NoError(t, json.Unmarshal(body, &r), "body: %s", body)
		require.NotEmpty(t, r.Errors, "a 200 answer to a bad request carries errors: %s", body)
	}
	assertCleanMessage(t, string(body))
}

func TestDepthLimit(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db, server.Config{MaxDepth: 5})
		// Depth counts nestings below the root fields (as graphql-depth-limit
		// does): 6 levels of fields are 5 deep, the limit.
		a.data(`{ vendors { edges { node { importedTransfers { edges { cursor } } } } } }`, nil)

		// 7 levels of fields, 6 deep.
		r := a.s.Do(`{ vendors { edges { node { importedTransfers { edges { node { id } } } } } } }`, nil)
		require.Less(t, r.Status, 500)
		require.Len(t, r.Errors, 1, "errors: %+v", r.Errors)
		e := r.Errors[0]
		assert.NotEmpty(t, e.Code(), "the error has an extensions.code")
		assert.Regexp(t, `(?i)dept|deep|nest`, e.Message, "the error says the query is too deep")
		assert.Contains(t, e.Message, "5", "the error gives the limit")
		assert.JSONEq(t, `null`, string(nullIfEmpty(r.Data)))

		// Fragments count too.
		r = a.s.Do(`query { vendors { ...V } } fragment V on VendorConnection { edges { node { importedTransfers { edges { node { id } } } } } }`, nil)
		require.Len(t, r.Errors, 1, "errors: %+v", r.Errors)
		assert.Regexp(t, `(?i)dept|deep|nest`, r.Errors[0].Message)
	})
}

// nullIfEmpty turns an absent data member into JSON null.
func nullIfEmpty(b json.RawMessage) json.RawMessage {
	if len(b) == 0 {
		return json.RawMessage("null")
	}
	return b
}

func TestComplexityLimit(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db, server.Config{MaxComplexity: 1000})
		a.data(`{ vendors(first: 10) { edges { node { importedTransfers(first: 10) { edges { node { id } } } } } } }`, nil)

		r := a.s.Do(`{ vendors(first: 100) { edges { node { importedTransfers(first: 100) { edges { node { id } } } } } } }`, nil)
		require.Less(t, r.Status, 500)
		require.Len(t, r.Errors, 1, "errors: %+v", r.Errors)
		assert.Contains(t, strings.ToLower(r.Errors[0].Message), "complexity")
		assert.NotEmpty(t, r.Errors[0].Code(), "the error has an extensions.code")
		assert.JSONEq(t, `null`, string(nullIfEmpty(r.Data)), "nothing was run")

		// Page sizes given as variables count the same.
		const byVar = `query($n: Int!) { vendors(first: $n) { edges { node { importedTransfers(first: $n) { edges { node { id } } } } } } }`
		a.data(byVar, map[string]any{"n": 10})
		r = a.s.Do(byVar, map[string]any{"n": 100})
		require.Len(t, r.Errors, 1, "errors: %+v", r.Errors)
		assert.Contains(t, strings.ToLower(r.Errors[0].Message), "complexity")

		// Without first, a connection counts as the default page of 50.
		r = a.s.Do(`{ vendors { edges { node { importedTransfers { edges { node { id } } } } } } }`, nil)
		require.Len(t, r.Errors, 1, "errors: %+v", r.Errors)
		assert.Contains(t, strings.ToLower(r.Errors[0].Message), "complexity")
	})
}

func TestBodySizeLimit(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db, server.Config{MaxBodyBytes: 1024})
		a.data(`{ countries(first: 1) { totalCount } }`, nil)

		before := rowCounts(t, db)
		padding := strings.Repeat(" ", 4096)
		body, err := json.Marshal(map[string]any{"query": `mutation { createVendor(input: {name: "Big", countryID: "cty_FR"}) { vendor { id } } }` + padding})
		require.NoError(t, err)
		require.Greater(t, len(body), 4096)

		// With a Content-Length.
		status, _, raw := rawHTTP(t, a.s, http.MethodPost, a.s.URL+"/graphql", "application/json", bytes.NewReader(body))
		requireClientError(t, status, raw)
		assert.Contains(t, []int{http.StatusRequestEntityTooLarge, http.StatusBadRequest, http.StatusOK}, status)

		// Streamed, without a Content-Length.
		status, _, raw = rawHTTP(t, a.s, http.MethodPost, a.s.URL+"/graphql", "application/json", io.MultiReader(bytes.NewReader(body)))
		requireClientError(t, status, raw)
		assert.Equal(t, before, rowCounts(t, db), "the oversized mutation was not run")
	})
}

func TestGETQueriesWorkAndGETMutationsDoNot(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db, server.Config{})
		status, _, raw := rawHTTP(t, a.s, http.MethodGet, a.s.URL+"/graphql?query="+url.QueryEscape(`{countries(first:1){totalCount}}`), "", nil)
		require.Equal(t, http.StatusOK, status, "body: %s", raw)
		assert.JSONEq(t, `{"data": {"countries": {"totalCount": 249}}}`, string(raw))

		before := rowCounts(t, db)
		q := `mutation { createVendor(input: {name: "Via GET", countryID: "cty_FR"}) { vendor { id } } }`
		status, _, raw = rawHTTP(t, a.s, http.MethodGet, a.s.URL+"/graphql?query="+url.QueryEscape(q), "", nil)
		require.Less(t, status, 500)
		if status == http.StatusOK {
			assert.Contains(t, string(raw), `"errors"`, "a mutation over GET is refused: %s", raw)
		}
		assert.NotContains(t, string(raw), `"createVendor":{`)
		assert.Equal(t, before, rowCounts(t, db), "a mutation over GET is not executed")
	})
}

func TestMalformedBodiesAreClientErrors(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db, server.Config{})
		deep := `{"query": "{ __typename }", "variables": {"a": ` + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + `}}`
		bodies := map[string]struct {
			contentType, body string
		}{
			"JSON array":          {"application/json", `[{"query": "{ __typename }"}]`},
			"JSON array mutation": {"application/json", `[{"query": "mutation { createVendor(input: {name: \"A\", countryID: \"cty_FR\"}) { vendor { id } } }"}]`},
			"truncated JSON":      {"application/json", `{"query": "{ countries`},
			"empty body":          {"application/json", ``},
			"JSON null":           {"application/json", `null`},
			"JSON string":         {"application/json", `"{ __typename }"`},
			"no query":            {"application/json", `{}`},
			"query not a string":  {"application/json", `{"query": 42}`},
			"variables not a map": {"application/json", `{"query": "{ __typename }", "variables": [1]}`},
			"very deep JSON":      {"application/json", deep},
			"not JSON at all":     {"text/plain", `{ __typename }`},
			"GraphQL syntax":      {"application/json", `{"query": "{ vendors { "}`},
			"unknown operation":   {"application/json", `{"query": "query A { __typename } query B { __typename }", "operationName": "C"}`},
		}
		before := rowCounts(t, db)
		for name, b := range bodies {
			t.Run(name, func(t *testing.T) {
				a := a.with(t)
				status, _, raw := rawHTTP(t, a.s, http.MethodPost, a.s.URL+"/graphql", b.contentType, strings.NewReader(b.body))
				requireClientError(t, status, raw)
			})
		}
		assert.Equal(t, before, rowCounts(t, db))
	})
}

func TestHealthChecks(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db, server.Config{})
		for _, path := range []string{"/healthz", "/readyz"} {
			status, _, raw := rawHTTP(t, a.s, http.MethodGet, a.s.URL+path, "", nil)
			assert.Equal(t, http.StatusOK, status, path)
			assert.Equal(t, "ok", strings.TrimSpace(string(raw)), path)
		}
	})
}

var assetRef = regexp.MustCompile(`(?i)(?:src|href)\s*=\s*["']([^"']+)["']`)

func TestGraphiQLPageIsSelfContained(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db, server.Config{})
		status, hdr, raw := rawHTTP(t, a.s, http.MethodGet, a.s.URL+"/graphiql", "", nil)
		require.Equal(t, http.StatusOK, status)
		assert.Contains(t, hdr.Get("Content-Type"), "text/html")
		page := string(raw)
		assert.Contains(t, strings.ToLower(page), "graphiql")
		assert.NotContains(t, page, "http://", "the page names no external URL")
		assert.NotContains(t, page, "https://", "the page names no external URL")

		refs := assetRef.FindAllStringSubmatch(page, -1)
		require.NotEmpty(t, refs, "the page loads its scripts and styles")
		for _, m := range refs {
			ref := m[1]
			assert.True(t, strings.HasPrefix(ref, "/") && !strings.HasPrefix(ref, "//"), "asset %q comes from the same origin", ref)
			status, _, _ := rawHTTP(t, a.s, http.MethodGet, a.s.URL+ref, "", nil)
			assert.Equal(t, http.StatusOK, status, "asset %s", ref)
		}
	})
}

// TestNoFieldSuggestions: an error about a misspelling names no schema
// member the caller did not write.
func TestNoFieldSuggestions(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db, server.Config{})
		for _, q := range []string{
			`{ vendors { totalCont } }`,
			`{ vendor { id } }`,
			`{ vendors(frist: 2) { totalCount } }`,
			`{ vendors(where: {nameContain: "a"}) { totalCount } }`,
			`{ vendors(where: {status: ACTIV}) { totalCount } }`,
			`{ vendors(orderBy: {field: NAM}) { totalCount } }`,
			`{ node(id: "cty_BE") { ... on Contry { name } } }`,
		} {
			t.Run(q, func(t *testing.T) {
				a := a.with(t)
				r := a.s.Do(q, nil)
				require.Less(t, r.Status, 500)
				require.NotEmpty(t, r.Errors)
				for _, e := range r.Errors {
					assert.NotContains(t, strings.ToLower(e.Message), "did you mean", "no suggestions in %q", e.Message)
					assert.NotEmpty(t, e.Code())
				}
			})
		}
	})
}
