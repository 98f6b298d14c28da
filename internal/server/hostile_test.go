package server_test

// Hostile input: numbers, cursors and ids out of range, filters built to
// exhaust the database or to make it complain, and documents too large to
// be worth validating. Each is refused with BAD_USER_INPUT and a plain
// message, never a 5xx, a panic or storage wording.

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"entgo.io/ent/dialect"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/privhub/privhub/internal/apitest"
	"github.com/privhub/privhub/internal/auth"
	"github.com/privhub/privhub/internal/server"
	"github.com/privhub/privhub/internal/store"
	"github.com/privhub/privhub/internal/store/storetest"
)

// requireBadInput checks r was refused with one or more BAD_USER_INPUT
// errors with clean messages and no HTTP 5xx; it returns the first message.
func requireBadInput(t *testing.T, r apitest.Response) string {
	t.Helper()
	require.Less(t, r.Status, 500, "HTTP status")
	require.NotEmpty(t, r.Errors, "the request is refused")
	for _, e := range r.Errors {
		assert.Equal(t, "BAD_USER_INPUT", e.Code(), "extensions.code of %+v", e)
		assertCleanMessage(t, e.Message)
	}
	return r.Errors[0].Message
}

// nested returns a filter that nests n objects: {not: {not: … {name: "x"}}}.
func nested(n int) string {
	return strings.Repeat("{not: ", n-1) + `{name: "x"}` + strings.Repeat("}", n-1)
}

// nestedVar is nested as a variable's value.
func nestedVar(n int) map[string]any {
	v := map[string]any{"name": "x"}
	for range n - 1 {
		v = map[string]any{"not": v}
	}
	return v
}

func TestOutOfRangeValuesAreBadUserInput(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db, server.Config{})
		for _, c := range []struct {
			query string
			vars  map[string]any
		}{
			{query: `{ contracts(first: 5, before: 9223372036854775808) { totalCount } }`},
			{query: `{ contracts(first: 5, after: 99999999999999999999999) { totalCount } }`},
			{query: `{ contracts(first: 5, after: 1e999) { totalCount } }`},
			{query: `{ contracts(first: 99999999999) { totalCount } }`},
			{query: `{ contracts(first: 99999999999999999999) { totalCount } }`},
			{query: `{ contracts(last: -1) { totalCount } }`},
			{query: `{ vendors(first: 1) { edges { node { importedTransfers(first: 5, before: 9223372036854775808) { totalCount } } } } }`},
			{query: `{ node(id: 9223372036854775808) { id } }`},
			{query: `{ node(id: 99999999999999999999) { id } }`},
			{query: `{ nodes(ids: [9223372036854775808]) { id } }`},
			{query: `query($c: Cursor) { contracts(first: 5, after: $c) { totalCount } }`, vars: map[string]any{"c": 9223372036854775807}},
			{query: `query($n: Int) { contracts(first: $n) { totalCount } }`, vars: map[string]any{"n": 99999999999}},
			{query: `query($n: Int) { contracts(first: $n) { totalCount } }`, vars: map[string]any{"n": 1.5}},
			{query: `query($id: ID!) { node(id: $id) { id } }`, vars: map[string]any{"id": 1e300}},
			// Dates the databases could not read back once stored.
			{query: `mutation { createVendor(input: {name: "x", countryID: "FR", dpfLastVerified: "9999-12-31T23:59:59Z"}) { vendor { id } } }`},
			{query: `mutation($in: CreateVendorInput!) { createVendor(input: $in) { vendor { id } } }`,
				vars: map[string]any{"in": map[string]any{"name": "x", "countryID": "FR", "dpfLastVerified": "0001-01-01T00:00:00Z"}}},
			{query: `{ findings(at: "9999-12-31T23:59:59Z") { totalCount } }`},
			// Text PostgreSQL refuses to store or compare.
			{query: `{ vendors(where: {nameGT: "\u0000"}) { totalCount } }`},
			{query: `mutation($in: CreateVendorInput!) { createVendor(input: $in) { vendor { id } } }`,
				vars: map[string]any{"in": map[string]any{"name": "a\x00b", "countryID": "FR"}}},
		} {
			t.Run(c.query, func(t *testing.T) {
				a := a.with(t)
				requireBadInput(t, a.s.Do(c.query, c.vars))
			})
		}
	})
}

// TestMutationPayloadsCanSelectTheExport: a request's export, selected on
// the payload of the mutation that creates it, is recorded in the
// mutation's own transaction (it once waited on the lock that transaction
// held, then failed).
func TestMutationPayloadsCanSelectTheExport(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db, server.Config{Timeout: 5 * time.Second})
		w := a.seedWorld()
		d := a.data(`mutation($u: ID!) { createRequest(input: {kind: ACCESS, userID: $u}) { request { id export } } }`, map[string]any{"u": w.User})
		assert.Equal(t, w.User, dig(d, "createRequest.request.export.subject.id"))
	})
}

func TestFiltersCannotExhaustOrExposeTheDatabase(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db, server.Config{})
		a.create("Vendor", map[string]any{"name": "Nimbra Cloud Inc", "countryID": "cty_US", "services": []string{"HOSTING"}})
		const byVar = `query($w: VendorWhereInput) { vendors(where: $w) { totalCount } }`

		// As deep as the limit: the filter runs.
		d := a.data(fmt.Sprintf(`{ vendors(where: %s) { totalCount } }`, nested(server.MaxInputDepth)), nil)
		assert.EqualValues(t, 1, dig(d, "vendors.totalCount"), "an even number of nots keeps the vendor")
		d = a.data(byVar, map[string]any{"w": nestedVar(server.MaxInputDepth)})
		assert.EqualValues(t, 1, dig(d, "vendors.totalCount"))

		// Deeper: refused before anything runs, written out or as a variable.
		for _, n := range []int{server.MaxInputDepth + 1, 1000} {
			msg := requireBadInput(t, a.s.Do(fmt.Sprintf(`{ vendors(where: %s) { totalCount } }`, nested(n)), nil))
			assert.Contains(t, msg, fmt.Sprint(server.MaxInputDepth), "the message gives the limit")
			msg = requireBadInput(t, a.s.Do(byVar, map[string]any{"w": nestedVar(n)}))
			assert.Contains(t, msg, fmt.Sprint(server.MaxInputDepth))
		}

		// An empty where matches everything; an empty filter inside one is
		// refused in plain words.
		d = a.data(`{ vendors(where: {}) { totalCount } }`, nil)
		assert.EqualValues(t, 1, dig(d, "vendors.totalCount"))
		for _, w := range []string{`{not: {}}`, `{and: [{}]}`, `{or: [{name: "x"}, {}]}`, `{hasCountryWith: {}}`,
			`{not: {nameIn: []}}`, `{hasImportedTransfersWith: [{hasContractWith: [{}]}]}`} {
			t.Run(w, func(t *testing.T) {
				a := a.with(t)
				r := a.s.Do(fmt.Sprintf(`{ vendors(where: %s) { totalCount } }`, w), nil)
				msg := requireBadInput(t, r)
				assert.Contains(t, msg, "no condition")
				assert.Equal(t, "where", r.Errors[0].Field())
			})
		}
		r := a.s.Do(byVar, map[string]any{"w": map[string]any{"not": map[string]any{"name": nil}}})
		assert.Contains(t, requireBadInput(t, r), "no condition")
	})
}

func TestLargeDocumentsAreRefusedBeforeValidation(t *testing.T) {
	a := newAPI(t, storetest.Open(t, dialect.SQLite), server.Config{})
	typenames := func(n int) string { return "{ " + strings.Repeat("__typename ", n) + "}" }

	a.data(typenames(500), nil)
	msg := requireBadInput(t, a.s.Do(typenames(501), nil))
	assert.Contains(t, msg, "500 fields")
	msg = requireBadInput(t, a.s.Do(typenames(10000), nil))
	assert.Contains(t, msg, "500 fields")

	// Fields are counted as written: aliases once with their field,
	// fragments' fields too, spreads and type conditions not.
	aliased := "{ " + strings.Repeat("a: __typename ", 500) + "}"
	a.data(aliased, nil)
	a.data("query { ...F ... on Query { ...F } } fragment F on Query { "+strings.Repeat("__typename ", 499)+"}", nil)
	frag := "query { ...F } fragment F on Query { " + strings.Repeat("__typename ", 501) + "}"
	assert.Contains(t, requireBadInput(t, a.s.Do(frag, nil)), "500 fields")

	// Tokens: a document of few fields but many tokens.
	ids := `{ nodes(ids: [` + strings.Repeat(`"x", `, 10000) + `]) { id } }`
	assert.Contains(t, requireBadInput(t, a.s.Do(ids, nil)), "10000 tokens")

	// What GraphiQL sends passes.
	intro, err := os.ReadFile("testdata/introspection.graphql")
	require.NoError(t, err)
	d := a.data(string(intro), nil)
	assert.NotNil(t, dig(d, "__schema.queryType"))
}

// BenchmarkRefusedDocument measures what a document of 10,000 repeated
// __typename costs the server to refuse, end to end through the HTTP
// handler (authentication included).
func BenchmarkRefusedDocument(b *testing.B) {
	db := storetest.Open(b, dialect.SQLite)
	token, _, err := auth.Issue(context.Background(), db.Client, auth.IssueInput{Role: auth.RoleAdmin, Name: "bench"})
	require.NoError(b, err)
	h := server.Handler(server.Config{}, db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	body := `{"query": "{ ` + strings.Repeat("__typename ", 10000) + `}"}`
	b.SetBytes(int64(len(body)))
	b.ResetTimer()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "BAD_USER_INPUT") {
			b.Fatalf("HTTP %d: %s", rec.Code, rec.Body)
		}
	}
}
