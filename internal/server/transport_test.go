package server_test

// GraphQL over HTTP as the specification describes it: status codes and
// media types by Accept header, request errors without a data entry, every
// transport refusal a GraphQL-shaped body with an extensions.code, and the
// graphql-http audit suite run against a real server.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"entgo.io/ent/dialect"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/privhub/privhub/internal/apitest"
	"github.com/privhub/privhub/internal/server"
	"github.com/privhub/privhub/internal/store/storetest"
)

// httpAnswer is one raw HTTP answer, its body decoded as a GraphQL response
// with the members it has.
type httpAnswer struct {
	status  int
	header  http.Header
	raw     []byte
	members map[string]json.RawMessage
	errors  []apitest.Error
}

// send sends one request with the client's token and decodes the answer,
// which must be JSON.
func send(t *testing.T, s *apitest.Server, method, target string, header map[string]string, body io.Reader) httpAnswer {
	t.Helper()
	req, err := http.NewRequest(method, s.URL+target, body)
	require.NoError(t, err)
	s.Authorize(req.Header)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	a := httpAnswer{status: res.StatusCode, header: res.Header, raw: raw}
	require.NoError(t, json.Unmarshal(raw, &a.members), "the body is JSON (HTTP %d): %s", a.status, raw)
	if e, ok := a.members["errors"]; ok {
		require.NoError(t, json.Unmarshal(e, &a.errors), "errors: %s", e)
	}
	return a
}

// requireRefusal checks an answer is a GraphQL-shaped refusal: the status,
// a JSON content type, one error with the code and no data entry.
func requireRefusal(t *testing.T, a httpAnswer, status int, code string) {
	t.Helper()
	require.Equal(t, status, a.status, "HTTP status; body: %s", a.raw)
	assert.Contains(t, a.header.Get("Content-Type"), "json")
	require.Len(t, a.errors, 1, "body: %s", a.raw)
	assert.Equal(t, code, a.errors[0].Code(), "extensions.code; body: %s", a.raw)
	assert.NotEmpty(t, a.errors[0].Message)
	assert.NotContains(t, a.members, "data", "a refused request has no data entry: %s", a.raw)
	assertCleanMessage(t, a.errors[0].Message)
}

func jsonBody(t *testing.T, v any) io.Reader {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return bytes.NewReader(b)
}

// TestRequestErrorsFollowTheAcceptHeader: a document that does not parse or
// validate, or variables that do not coerce, answer 200 with errors as
// application/json and 400 as application/graphql-response+json; neither has
// a data entry, and both name the error's code.
func TestRequestErrorsFollowTheAcceptHeader(t *testing.T) {
	a := newAPI(t, storetest.Open(t, dialect.SQLite), server.Config{})
	cases := map[string]struct {
		body map[string]any
		code string
	}{
		"parse failure":      {map[string]any{"query": "{"}, "GRAPHQL_PARSE_FAILED"},
		"validation failure": {map[string]any{"query": "{ noSuchField }"}, "GRAPHQL_VALIDATION_FAILED"},
		"variable coercion": {map[string]any{
			"query": `query($id: ID!) { node(id: $id) { id } }`, "variables": map[string]any{"id": nil},
		}, "BAD_USER_INPUT"},
		"unknown operation": {map[string]any{"query": "query A { __typename }", "operationName": "B"}, "GRAPHQL_VALIDATION_FAILED"},
		"too deep": {map[string]any{
			"query": `{ vendors { edges { node { importedTransfers { edges { node { importer { ... on Vendor { exportedTransfers { edges { node { importer { ... on Vendor { importedTransfers { edges { node { id } } } } } } } } } } } } } } } } }`,
		}, "BAD_USER_INPUT"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			for accept, want := range map[string]struct {
				status int
				media  string
			}{
				"application/json":                  {http.StatusOK, "application/json"},
				"":                                  {http.StatusOK, "application/json"},
				"*/*":                               {http.StatusOK, "application/json"},
				"application/graphql-response+json": {http.StatusBadRequest, "application/graphql-response+json"},
				"application/graphql-response+json, application/json;q=0.9": {http.StatusBadRequest, "application/graphql-response+json"},
			} {
				h := map[string]string{"Content-Type": "application/json"}
				if accept != "" {
					h["Accept"] = accept
				}
				r := send(t, a.s, http.MethodPost, "/graphql", h, jsonBody(t, c.body))
				requireRefusal(t, r, want.status, c.code)
				assert.Contains(t, r.header.Get("Content-Type"), want.media, "Accept %q", accept)
			}
		})
	}

	// A query that runs answers 200 with data in both media types.
	for _, accept := range []string{"application/json", "application/graphql-response+json"} {
		r := send(t, a.s, http.MethodPost, "/graphql", map[string]string{"Content-Type": "application/json", "Accept": accept},
			jsonBody(t, map[string]any{"query": "{ countries(first: 1) { totalCount } }"}))
		require.Equal(t, http.StatusOK, r.status, "body: %s", r.raw)
		assert.JSONEq(t, `{"countries": {"totalCount": 249}}`, string(r.members["data"]))
		assert.Contains(t, r.header.Get("Content-Type"), accept)
	}
}

// TestTransportRefusalsAreGraphQLShaped: what is not a GraphQL request is
// refused with the status HTTP gives it and a GraphQL error body whose code
// says why: unsupported content types, a body over the limit, a bad method,
// a mutation sent with GET, a body that is not a GraphQL request.
func TestTransportRefusalsAreGraphQLShaped(t *testing.T) {
	db := storetest.Open(t, dialect.SQLite)
	a := newAPI(t, db, server.Config{MaxBodyBytes: 2048})
	before := rowCounts(t, db)
	query := `{ __typename }`
	mutation := `mutation { createVendor(input: {name: "Via GET", countryID: "FR"}) { vendor { id } } }`

	multipart := "--XYZ\r\nContent-Disposition: form-data; name=\"query\"\r\n\r\n" + query + "\r\n--XYZ--\r\n"
	big := `{"query": "` + query + strings.Repeat(" ", 4096) + `"}`

	for _, c := range []struct {
		name, method, target string
		header               map[string]string
		body                 string
		status               int
		code                 string
	}{
		{"form", http.MethodPost, "/graphql", map[string]string{"Content-Type": "application/x-www-form-urlencoded"},
			"query=" + url.QueryEscape(query), http.StatusUnsupportedMediaType, server.UnsupportedMediaType},
		{"multipart", http.MethodPost, "/graphql", map[string]string{"Content-Type": "multipart/form-data; boundary=XYZ"},
			multipart, http.StatusUnsupportedMediaType, server.UnsupportedMediaType},
		{"text/plain", http.MethodPost, "/graphql", map[string]string{"Content-Type": "text/plain"},
			query, http.StatusUnsupportedMediaType, server.UnsupportedMediaType},
		{"no content type", http.MethodPost, "/graphql", nil,
			`{"query": "{ __typename }"}`, http.StatusUnsupportedMediaType, server.UnsupportedMediaType},
		{"another charset", http.MethodPost, "/graphql", map[string]string{"Content-Type": "application/json; charset=latin1"},
			`{"query": "{ __typename }"}`, http.StatusUnsupportedMediaType, server.UnsupportedMediaType},
		{"body over the limit", http.MethodPost, "/graphql", map[string]string{"Content-Type": "application/json"},
			big, http.StatusRequestEntityTooLarge, server.RequestTooLarge},
		{"streamed body over the limit", http.MethodPost, "/graphql", map[string]string{"Content-Type": "application/json"},
			big, http.StatusRequestEntityTooLarge, server.RequestTooLarge},
		{"PUT", http.MethodPut, "/graphql", map[string]string{"Content-Type": "application/json"},
			`{"query": "{ __typename }"}`, http.StatusMethodNotAllowed, server.MethodNotAllowed},
		{"DELETE", http.MethodDelete, "/graphql", nil, "", http.StatusMethodNotAllowed, server.MethodNotAllowed},
		{"GET mutation", http.MethodGet, "/graphql?query=" + url.QueryEscape(mutation), nil, "",
			http.StatusMethodNotAllowed, server.MethodNotAllowed},
		{"GET without a query", http.MethodGet, "/graphql", nil, "", http.StatusBadRequest, server.BadRequest},
		{"GET with bad variables", http.MethodGet, "/graphql?query=" + url.QueryEscape(query) + "&variables=%5B1%5D", nil, "",
			http.StatusBadRequest, server.BadRequest},
		{"not JSON", http.MethodPost, "/graphql", map[string]string{"Content-Type": "application/json"},
			`{ "not a JSON`, http.StatusBadRequest, server.BadRequest},
		{"a batch", http.MethodPost, "/graphql", map[string]string{"Content-Type": "application/json"},
			`[{"query": "{ __typename }"}]`, http.StatusBadRequest, server.BadRequest},
		{"no query", http.MethodPost, "/graphql", map[string]string{"Content-Type": "application/json"},
			`{"qeury": "{ __typename }"}`, http.StatusBadRequest, server.BadRequest},
		{"query not a string", http.MethodPost, "/graphql", map[string]string{"Content-Type": "application/json"},
			`{"query": ["{ __typename }"]}`, http.StatusBadRequest, server.BadRequest},
		{"variables not an object", http.MethodPost, "/graphql", map[string]string{"Content-Type": "application/json"},
			`{"query": "{ __typename }", "variables": "x"}`, http.StatusBadRequest, server.BadRequest},
		{"empty body", http.MethodPost, "/graphql", map[string]string{"Content-Type": "application/json"},
			"", http.StatusBadRequest, server.BadRequest},
	} {
		t.Run(c.name, func(t *testing.T) {
			for _, accept := range []string{"application/json", "application/graphql-response+json"} {
				h := map[string]string{"Accept": accept}
				for k, v := range c.header {
					h[k] = v
				}
				var body io.Reader
				if c.body != "" {
					body = strings.NewReader(c.body)
					if strings.HasPrefix(c.name, "streamed") {
						body = io.MultiReader(body) // no Content-Length
					}
				}
				r := send(t, a.s, c.method, c.target, h, body)
				requireRefusal(t, r, c.status, c.code)
				if c.status == http.StatusMethodNotAllowed {
					assert.NotEmpty(t, r.header.Get("Allow"), "a 405 says which methods are allowed")
				}
			}
		})
	}
	assert.Equal(t, before, rowCounts(t, db), "no refused request wrote anything")
}

// TestGraphQLOverHTTPAudits runs the graphql-http package's server audits
// (testdata/httpaudit) against a real server and fails on any MUST or
// SHOULD that does not pass. It needs node and npm; without them it is
// skipped, except when CI=true.
func TestGraphQLOverHTTPAudits(t *testing.T) {
	rig, err := filepath.Abs(filepath.Join("testdata", "httpaudit"))
	require.NoError(t, err)
	node, errNode := exec.LookPath("node")
	npm, errNpm := exec.LookPath("npm")
	if errNode != nil || errNpm != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("node and npm are needed for the GraphQL-over-HTTP audits (node: %v, npm: %v)", errNode, errNpm)
		}
		t.Skip("node or npm is not installed")
	}
	if _, err := os.Stat(filepath.Join(rig, "node_modules", "graphql-http", "package.json")); err != nil {
		cmd := exec.Command(npm, "ci", "--no-audit", "--no-fund", "--loglevel=error")
		cmd.Dir = rig
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "npm ci in %s: %s", rig, out)
	}

	a := newAPI(t, storetest.Open(t, dialect.SQLite), server.Config{})
	cmd := exec.Command(node, "audit.mjs")
	cmd.Dir = rig
	cmd.Env = append(os.Environ(), "PRIVHUB_URL="+a.s.URL+"/graphql", "PRIVHUB_TOKEN="+a.s.Token)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	out, err := cmd.Output()
	require.NoError(t, err, "running the audits: %s", stderr.String())

	n := 0
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var r struct{ ID, Name, Status, Reason string }
		require.NoError(t, json.Unmarshal(sc.Bytes(), &r), "audit line %q", sc.Text())
		n++
		if r.Status == "ok" {
			continue
		}
		if strings.HasPrefix(r.Name, "MAY") {
			t.Logf("optional audit %s %q: %s", r.ID, r.Name, r.Reason)
			continue
		}
		t.Errorf("audit %s %q failed: %s", r.ID, r.Name, r.Reason)
	}
	require.Greater(t, n, 40, "the audit suite ran (output: %s)", out)
	t.Logf("%d GraphQL-over-HTTP audits in %s", n, time.Since(start).Round(time.Millisecond))
}
