package server_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/privhub/privhub/internal/server"
	"github.com/privhub/privhub/internal/store/storetest"
)

// syncBuffer is a buffer the server's goroutines may write to.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// accessLines decodes the JSON lines of an access log.
func accessLines(t *testing.T, log string) []map[string]any {
	t.Helper()
	var out []map[string]any
	sc := bufio.NewScanner(strings.NewReader(log))
	for sc.Scan() {
		var m map[string]any
		require.NoError(t, json.Unmarshal(sc.Bytes(), &m), "access log line is not JSON: %s", sc.Text())
		out = append(out, m)
	}
	return out
}

// lineOf returns the access log line of a request ID.
func lineOf(t *testing.T, lines []map[string]any, id string) map[string]any {
	t.Helper()
	for _, l := range lines {
		if l["request_id"] == id {
			return l
		}
	}
	t.Fatalf("no access log line for request %s in %v", id, lines)
	return nil
}

func TestAccessLogNamesTheOperationButNeverItsVariablesOrToken(t *testing.T) {
	db := storetest.Open(t, "sqlite3")
	var buf syncBuffer
	a := newAPI(t, db, server.Config{AccessLog: slog.New(slog.NewJSONHandler(&buf, nil))})
	const secret = "alice.secret-value@example.org"

	// A POST whose variables carry a personal value.
	body, _ := json.Marshal(map[string]any{
		"query":         `query FindUser($email: String!) { users(where: {email: $email}) { totalCount } }`,
		"operationName": "FindUser",
		"variables":     map[string]any{"email": secret},
	})
	req, _ := http.NewRequest(http.MethodPost, a.s.URL+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Request-Id", "req-post-0001")
	a.s.Authorize(req.Header)
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Equal(t, "req-post-0001", res.Header.Get("X-Request-Id"), "the request ID is echoed")

	// A GET, whose variables travel in the URL.
	q := url.Values{
		"query":     {`query FindUserGet($email: String!) { users(where: {email: $email}) { totalCount } }`},
		"variables": {`{"email":"` + secret + `"}`},
	}
	req, _ = http.NewRequest(http.MethodGet, a.s.URL+"/graphql?"+q.Encode(), nil)
	req.Header.Set("X-Request-Id", "req-get-0002")
	a.s.Authorize(req.Header)
	res, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusOK, res.StatusCode)

	// A request with a token that is not valid, and one with no ID of its own.
	req, _ = http.NewRequest(http.MethodPost, a.s.URL+"/graphql", strings.NewReader(`{"query":"{ __typename }"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer not-a-valid-token-"+secret)
	req.Header.Set("X-Request-Id", "req-bad-token")
	res, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusUnauthorized, res.StatusCode)
	r := a.s.Do(`{ __typename }`, nil)
	generated := r.Header.Get("X-Request-Id")
	require.NotEmpty(t, generated, "a request without an ID gets one")

	log := buf.String()
	require.NotContains(t, log, secret, "a variable's value reached the access log")
	require.NotContains(t, log, a.s.Token, "the bearer token reached the access log")
	require.NotContains(t, log, "Bearer")

	lines := accessLines(t, log)
	post := lineOf(t, lines, "req-post-0001")
	require.Equal(t, "request", post["msg"])
	require.Equal(t, "FindUser", post["operation"])
	require.Equal(t, "query", post["operation_type"])
	require.Equal(t, "ADMIN", post["role"])
	require.Equal(t, float64(200), post["status"])
	require.Equal(t, "ok", post["outcome"])
	require.Equal(t, "POST", post["method"])
	require.Equal(t, "/graphql", post["path"])
	require.IsType(t, float64(0), post["duration_ms"])

	get := lineOf(t, lines, "req-get-0002")
	require.Equal(t, "FindUserGet", get["operation"])
	require.Equal(t, "/graphql", get["path"], "the path only, not the query string")

	bad := lineOf(t, lines, "req-bad-token")
	require.Equal(t, float64(401), bad["status"])
	require.Equal(t, "rejected", bad["outcome"])
	require.Equal(t, []any{"UNAUTHENTICATED"}, bad["error_codes"])
	require.Nil(t, bad["role"])

	require.Equal(t, "ok", lineOf(t, lines, generated)["outcome"])
}
