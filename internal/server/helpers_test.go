package server_test

// Shared helpers of the end-to-end API tests: a small GraphQL client on top of
// apitest, fixtures created through the API, row snapshots taken straight from
// the database, and checks that an error is presented the way clients expect.

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/privhub/privhub/ent/migrate"
	"github.com/privhub/privhub/internal/apitest"
	"github.com/privhub/privhub/internal/server"
	"github.com/privhub/privhub/internal/store"
)

// api is a GraphQL client bound to one test, one server and its database.
type api struct {
	t  *testing.T
	s  *apitest.Server
	db *store.DB
}

func newAPI(t *testing.T, db *store.DB, cfg server.Config) *api {
	t.Helper()
	return &api{t: t, s: apitest.New(t, db, cfg), db: db}
}

// with returns a view of a that reports failures to t, for use inside a
// subtest.
func (a *api) with(t *testing.T) *api {
	return &api{t: t, s: a.s.WithT(t), db: a.db}
}

// data runs an operation that must succeed and returns its data as a tree of
// maps and slices.
func (a *api) data(query string, vars map[string]any) map[string]any {
	a.t.Helper()
	var out map[string]any
	a.s.MustDo(query, vars, &out)
	return out
}

// lowerFirst is a type name as its payload names it: Vendor -> vendor,
// DataCategory -> dataCategory.
func lowerFirst(typ string) string { return strings.ToLower(typ[:1]) + typ[1:] }

// create runs createTYPE(input: in) and returns the new object's ID.
func (a *api) create(typ string, in map[string]any) string {
	a.t.Helper()
	q := fmt.Sprintf(`mutation($in: Create%sInput!) { create%s(input: $in) { %s { id } } }`, typ, typ, lowerFirst(typ))
	id, _ := dig(a.data(q, map[string]any{"in": in}), "create"+typ+"."+lowerFirst(typ)+".id").(string)
	require.NotEmpty(a.t, id, "create%s returned no id", typ)
	return id
}

// createSel runs createTYPE(input: in) { id SEL } and returns the object.
func (a *api) createSel(typ string, in map[string]any, sel string) map[string]any {
	a.t.Helper()
	q := fmt.Sprintf(`mutation($in: Create%sInput!) { create%s(input: $in) { %s { id %s } } }`, typ, typ, lowerFirst(typ), sel)
	obj, _ := dig(a.data(q, map[string]any{"in": in}), "create"+typ+"."+lowerFirst(typ)).(map[string]any)
	require.NotNil(a.t, obj, "create%s returned no object", typ)
	return obj
}

// recordConsent runs recordConsent(input: in) { SEL } and returns the entry.
func (a *api) recordConsent(in map[string]any, sel string) map[string]any {
	a.t.Helper()
	q := fmt.Sprintf(`mutation($in: RecordConsentInput!) { recordConsent(input: $in) { consent { %s } } }`, sel)
	obj, _ := dig(a.data(q, map[string]any{"in": in}), "recordConsent.consent").(map[string]any)
	require.NotNil(a.t, obj, "recordConsent returned no entry")
	return obj
}

// updateSel runs updateTYPE(input: in + {id}) { TYPE { id SEL } } and
// returns the object.
func (a *api) updateSel(typ, id string, in map[string]any, sel string) map[string]any {
	a.t.Helper()
	withID := map[string]any{"id": id}
	for k, v := range in {
		withID[k] = v
	}
	q := fmt.Sprintf(`mutation($in: Update%sInput!) { update%s(input: $in) { %s { id %s } } }`, typ, typ, lowerFirst(typ), sel)
	obj, _ := dig(a.data(q, map[string]any{"in": withID}), "update"+typ+"."+lowerFirst(typ)).(map[string]any)
	require.NotNil(a.t, obj, "update%s returned no object", typ)
	return obj
}

// node reads an object through node(id:) with the selection sel applied on
// its type; it returns nil when the node is null.
func (a *api) node(id, typ, sel string) map[string]any {
	a.t.Helper()
	q := fmt.Sprintf(`query($id: ID!) { node(id: $id) { __typename id ... on %s { %s } } }`, typ, sel)
	r := a.s.Do(q, map[string]any{"id": id})
	// Not fatal: the rest of a test (list, update, delete) still runs.
	if !assert.Empty(a.t, r.Errors, "node(%s)", id) {
		return nil
	}
	var out struct{ Node map[string]any }
	require.NoError(a.t, json.Unmarshal(r.Data, &out))
	if out.Node != nil {
		require.Equal(a.t, typ, out.Node["__typename"])
		require.Equal(a.t, id, out.Node["id"])
	}
	return out.Node
}

// listOne reads an object through its top-level list query filtered on its
// ID; it returns nil when the list is empty.
func (a *api) listOne(list, typ, id, sel string) map[string]any {
	a.t.Helper()
	q := fmt.Sprintf(`query($id: ID!) { %s(where: {id: $id}) { totalCount edges { node { id %s } } } }`, list, sel)
	conn := dig(a.data(q, map[string]any{"id": id}), list).(map[string]any)
	edges := conn["edges"].([]any)
	require.Equal(a.t, float64(len(edges)), conn["totalCount"], "%s totalCount", list)
	if len(edges) == 0 {
		return nil
	}
	require.Len(a.t, edges, 1)
	n := dig(edges[0], "node").(map[string]any)
	require.Equal(a.t, id, n["id"])
	return n
}

// deleteNode deletes an object that must be deletable.
func (a *api) deleteNode(id string) {
	a.t.Helper()
	d := a.data(`mutation($id: ID!) { deleteNode(input: {id: $id}) { deletedId } }`, map[string]any{"id": id})
	require.Equal(a.t, id, dig(d, "deleteNode.deletedId"))
}

// requireGone checks that node(id:) answers null, without an error, and
// that the list query no longer has the object.
func (a *api) requireGone(list, typ, id string) {
	a.t.Helper()
	r := a.s.Do(`query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": id})
	require.Empty(a.t, r.Errors)
	require.JSONEq(a.t, `{"node": null}`, string(r.Data))
	require.Nil(a.t, a.listOne(list, typ, id, "__typename"), "%s still lists %s", list, id)
}

// requireNodeType checks node(id:) resolves id to an object of type typ.
func (a *api) requireNodeType(id, typ string) {
	a.t.Helper()
	d := a.data(`query($id: ID!) { node(id: $id) { __typename id } }`, map[string]any{"id": id})
	require.Equal(a.t, typ, dig(d, "node.__typename"), "node(%s)", id)
	require.Equal(a.t, id, dig(d, "node.id"))
}

// requireOneError checks r failed with exactly one error of the code and,
// when field is not empty, extensions.field, with a clean message; it
// returns the error.
func requireOneError(t *testing.T, r apitest.Response, code, field string) apitest.Error {
	t.Helper()
	require.Len(t, r.Errors, 1, "errors: %+v", r.Errors)
	e := r.Errors[0]
	require.Equal(t, code, e.Code(), "extensions.code of %+v", e)
	if field != "" {
		require.Equal(t, field, e.Field(), "extensions.field of %+v", e)
	}
	assertCleanMessage(t, e.Message)
	return e
}

var goFilePath = regexp.MustCompile(`[\w./-]+\.go(:\d+)?\b`)

// assertCleanMessage checks an error message leaks nothing internal: no
// ent wording, SQL, driver codes or Go source paths. It does not stop the
// test, so that the other checks of a rule still run.
// entPrefix matches ent's "ent: " error prefix, but not a word ending in
// "ent" such as "recipient:".
var entPrefix = regexp.MustCompile(`(^|[^A-Za-z])ent: `)

func assertCleanMessage(t *testing.T, msg string) {
	t.Helper()
	lower := strings.ToLower(msg)
	for _, leak := range []string{"sql", "sqlstate", "constraint failed", "pq:", "goroutine", "panic"} {
		assert.NotContains(t, lower, leak, "error message leaks internals: %q", msg)
	}
	assert.False(t, entPrefix.MatchString(msg), "error message leaks ent's wording: %q", msg)
	assert.False(t, goFilePath.MatchString(msg), "error message names a Go file: %q", msg)
}

// rowCounts counts the rows of every table of the schema, join tables
// included, straight from the database.
func rowCounts(t *testing.T, db *store.DB) map[string]int {
	t.Helper()
	counts := make(map[string]int, len(migrate.Tables))
	for _, tbl := range migrate.Tables {
		var n int
		err := db.SQL.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM "`+tbl.Name+`"`).Scan(&n)
		require.NoError(t, err, "counting %s", tbl.Name)
		counts[tbl.Name] = n
	}
	return counts
}

// dig walks a decoded JSON tree along a dotted path; numeric parts index
// lists. It returns nil when the path does not exist.
func dig(v any, path string) any {
	for _, p := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			v = x[p]
		case []any:
			i, err := strconv.Atoi(p)
			if err != nil || i < 0 || i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}

// ids returns the "id" of each object of a list in a decoded JSON tree.
func ids(list any) []string {
	var out []string
	objs, _ := list.([]any)
	for _, o := range objs {
		out = append(out, o.(map[string]any)["id"].(string))
	}
	return out
}

// edgeNodes returns the nodes of a connection in a decoded JSON tree.
func edgeNodes(conn any) []map[string]any {
	var out []map[string]any
	for _, e := range dig(conn, "edges").([]any) {
		out = append(out, e.(map[string]any)["node"].(map[string]any))
	}
	return out
}

// field returns the string field f of each node.
func field(nodes []map[string]any, f string) []string {
	out := make([]string, 0, len(nodes))
	for _, n := range nodes {
		s, _ := dig(n, f).(string)
		out = append(out, s)
	}
	return out
}

// parseTime parses a GraphQL Time value.
func parseTime(t *testing.T, v any) time.Time {
	t.Helper()
	s, ok := v.(string)
	require.True(t, ok, "not a time: %#v", v)
	tm, err := time.Parse(time.RFC3339Nano, s)
	require.NoError(t, err)
	return tm
}

// requireTime checks a GraphQL Time value is the instant want.
func requireTime(t *testing.T, want string, got any) {
	t.Helper()
	w, err := time.Parse(time.RFC3339Nano, want)
	require.NoError(t, err)
	require.True(t, w.Equal(parseTime(t, got)), "want %s, got %v", want, got)
}

// requireAboutNow checks a GraphQL Time value lies between from and now
// (with a second of slack for clocks and rounding).
func requireAboutNow(t *testing.T, from time.Time, got any) {
	t.Helper()
	tm := parseTime(t, got)
	require.False(t, tm.Before(from.Add(-time.Second)), "%s is before the request was sent (%s)", tm, from)
	require.False(t, tm.After(time.Now().Add(time.Second)), "%s is in the future", tm)
}

// rawHTTP sends one HTTP request with the client's token and returns the
// status, headers and body.
func rawHTTP(t *testing.T, s *apitest.Server, method, url, contentType string, body io.Reader) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	require.NoError(t, err)
	s.Authorize(req.Header)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return res.StatusCode, res.Header, raw
}

// world is a small, consistent data set created through the API: our
// organization exporting personal data to a processor in the US under SCCs,
// with the category, purpose, contract and clause the transfer relies on.
type world struct {
	Org, Vendor, Vendor2     string // organization (BE), vendor (US), vendor (IN)
	Category, Child, Purpose string // contact.details, contact.details.email, support
	SCC, Clause, DPA         string // SCC module C2P with clause 9, a DPA
	Transfer, User           string // org -> vendor, a customer
}

// seedWorld creates a world through the API.
func (a *api) seedWorld() world {
	a.t.Helper()
	var w world
	w.Org = a.create("Organization", map[string]any{"name": "Privhub SA", "countryID": "cty_BE"})
	w.Vendor = a.create("Vendor", map[string]any{"name": "Nimbra Cloud Inc", "countryID": "cty_US", "services": []string{"HOSTING"}})
	w.Vendor2 = a.create("Vendor", map[string]any{"name": "Lumora Support Pvt", "countryID": "cty_IN", "services": []string{"SUPPORT"}})
	w.Category = a.create("DataCategory", map[string]any{"key": "contact.details", "name": "Contact details"})
	w.Child = a.create("DataCategory", map[string]any{"key": "contact.details.email", "name": "Email address", "parentID": w.Category})
	w.Purpose = a.create("Purpose", map[string]any{"key": "support", "name": "Customer support", "legalBasis": "CONTRACT", "categoryIDs": []string{w.Category}})
	w.SCC = a.create("Contract", map[string]any{"title": "SCC Nimbra", "kind": "SCC", "sccModule": "C2P", "sccDecision": "DECISION_2021_914"})
	w.Clause = a.create("Clause", map[string]any{"contractID": w.SCC, "reference": "Clause 9(a) Option 2"})
	w.DPA = a.create("Contract", map[string]any{"title": "DPA Nimbra", "kind": "DPA"})
	w.Transfer = a.create("Transfer", map[string]any{
		"name": "Hosting", "exporterOrganizationID": w.Org, "importerVendorID": w.Vendor,
		"importerRole": "PROCESSOR", "countryID": "cty_US", "mechanism": "SCC", "contractID": w.SCC,
		"clauseIDs": []string{w.Clause}, "categoryIDs": []string{w.Category}, "purposeIDs": []string{w.Purpose},
	})
	w.User = a.create("User", map[string]any{"externalRef": "acct-1", "email": "alice@example.org", "name": "Alice", "subjectKind": "CUSTOMER", "countryID": "cty_FR"})
	return w
}
