package server_test

// FuzzGraphQL sends documents to a real server over the demo dataset and
// fails on any answer a hostile client must never get: an HTTP 5xx, a body
// that is not a GraphQL response, an error without a code, an INTERNAL
// error (a panic recovered, or a failure nobody mapped), or storage wording
// in a message, whatever the caller's role. `make test` runs it over its
// seed corpus (fuzzgen_test.go: every root field of the schema with odd
// arguments); `make fuzz` explores further for a bounded time.

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"entgo.io/ent/dialect"
	"github.com/stretchr/testify/require"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/user"
	"github.com/privhub/privhub/internal/apitest"
	"github.com/privhub/privhub/internal/auth"
	"github.com/privhub/privhub/internal/demo"
	"github.com/privhub/privhub/internal/server"
	"github.com/privhub/privhub/internal/store"
	"github.com/privhub/privhub/internal/store/storetest"
)

// leakText matches what only a database, a driver, ent or the Go runtime
// would write.
var leakText = regexp.MustCompile(`(?i)\bsql\b|sqlite|sqlstate|\bpq: |(^|[^a-z])ent: |goroutine|panic|runtime error|\.go:\d+|syntax error at or near|constraint failed|no such (table|column)|expression tree|nil pointer`)

func FuzzGraphQL(f *testing.F) {
	clients, ids := hostileClients(f, storetest.Open(f, dialect.SQLite))
	for _, sd := range schemaSeeds(ids) {
		f.Add(sd.query, sd.variables, uint8(0))
		f.Add(sd.query, sd.variables, uint8(len(clients)-1))
	}
	f.Fuzz(func(t *testing.T, query, variables string, role uint8) {
		sendHostile(t, clients[int(role)%len(clients)], query, variables)
	})
}

// TestSeedCorpusOnPostgreSQL puts FuzzGraphQL's seed corpus to a server on
// PostgreSQL, whose failures have wordings of their own.
func TestSeedCorpusOnPostgreSQL(t *testing.T) {
	clients, ids := hostileClients(t, storetest.Open(t, dialect.Postgres))
	for _, sd := range schemaSeeds(ids) {
		sendHostile(t, clients[0], sd.query, sd.variables) // as ADMIN, who reaches the most
	}
}

// hostileClients loads the demo dataset into db and returns clients of one
// server over it, one per role (ADMIN first, SUBJECT last), with the ID of
// one object of each type the API lists.
func hostileClients(tb testing.TB, db *store.DB) ([]*apitest.Server, map[string]string) {
	tb.Helper()
	ctx := context.Background()
	_, err := demo.Load(ctx, db.Client)
	require.NoError(tb, err)
	admin := apitest.New(tb, db, server.Config{})
	subject, err := db.Client.User.Query().Where(user.ExternalRefNEQ("")).Order(ent.Asc(user.FieldExternalRef)).FirstID(ctx)
	require.NoError(tb, err)
	clients := []*apitest.Server{admin, admin.As(auth.RoleDPO, nil), admin.As(auth.RoleAnalyst, nil),
		admin.As(auth.RoleViewer, nil), admin.As(auth.RoleSubject, &subject)}
	return clients, existingIDs(tb, admin)
}

// sendHostile posts a document and its variables (used when they are a
// JSON value) and checks the answer.
func sendHostile(t *testing.T, s *apitest.Server, query, variables string) {
	t.Helper()
	body := map[string]any{"query": query}
	if json.Valid([]byte(variables)) {
		body["variables"] = json.RawMessage(variables)
	}
	raw, err := json.Marshal(body) // a string and valid JSON always encode
	require.NoError(t, err)
	req, err := http.NewRequest(http.MethodPost, s.URL+"/graphql", bytes.NewReader(raw))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	s.Authorize(req.Header)
	res, err := s.Client().Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	var buf bytes.Buffer
	_, err = buf.ReadFrom(res.Body)
	require.NoError(t, err)
	checkHostileAnswer(t, query+"\n"+variables, res.StatusCode, buf.Bytes())
}

// checkHostileAnswer fails t when an answer to the request sent is one a
// client must never get.
func checkHostileAnswer(t *testing.T, sent string, status int, body []byte) {
	t.Helper()
	if status >= 500 {
		t.Fatalf("HTTP %d for %.300q: %.500s", status, sent, body)
	}
	var r apitest.Response
	if err := json.Unmarshal(body, &r); err != nil {
		t.Fatalf("not a JSON GraphQL response (HTTP %d) for %.300q: %v: %.500s", status, sent, err, body)
	}
	lowerSent := strings.ToLower(sent)
	for _, e := range r.Errors {
		if e.Code() == "" {
			t.Errorf("an error without extensions.code for %.300q: %+v", sent, e)
		}
		if e.Code() == "INTERNAL" {
			t.Errorf("an INTERNAL error (a panic or an unmapped failure) for %.300q: %+v", sent, e)
		}
		for _, m := range leakText.FindAllString(e.Message, -1) {
			// The document may quote the same words back (a field named
			// sqlite is reported by name); only what it did not send leaks.
			if !strings.Contains(lowerSent, strings.ToLower(strings.TrimLeft(m, " :"))) {
				t.Errorf("storage or runtime text %q in an error for %.300q: %s", m, sent, e.Message)
			}
		}
	}
}

// existingIDs returns the ID of one object of each type a root connection
// lists, by lower-case type name.
func existingIDs(tb testing.TB, s *apitest.Server) map[string]string {
	schema := fuzzSchema()
	ids := map[string]string{}
	for _, fd := range schema.Query.Fields {
		conn := schema.Types[fd.Type.Name()]
		if conn == nil || !strings.HasSuffix(conn.Name, "Connection") || hasRequiredArgs(fd) {
			continue
		}
		node := strings.TrimSuffix(conn.Name, "Connection")
		if t := schema.Types[node]; t == nil || t.Fields.ForName("id") == nil {
			continue
		}
		var out map[string]struct {
			Edges []struct{ Node struct{ ID string } }
		}
		s.MustDo("{ "+fd.Name+"(first: 1) { edges { node { id } } } }", nil, &out)
		if e := out[fd.Name].Edges; len(e) > 0 {
			ids[strings.ToLower(node)] = e[0].Node.ID
		}
	}
	require.NotEmpty(tb, ids)
	return ids
}
