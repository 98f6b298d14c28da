package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/privhub/privhub/internal/persisted"
)

// lockedBuffer is a buffer written by serve's goroutine and read by the test.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// waitFor waits until re matches what serve printed and returns its group.
func waitFor(t *testing.T, out *lockedBuffer, re *regexp.Regexp) string {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			return m[1]
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("serve never printed %s; it printed:\n%s", re, out.String())
	return ""
}

// TestServeWithOperatorsFlags: serve with its metrics on a listener of
// their own, trusted documents and an access log file.
func TestServeWithOperatorsFlags(t *testing.T) {
	dir := t.TempDir()
	const doc = `query CountryCount { countries { totalCount } }`
	manifest := filepath.Join(dir, "documents.json")
	raw, _ := json.Marshal(map[string]string{persisted.Hash(doc): doc})
	require.NoError(t, os.WriteFile(manifest, raw, 0o600))
	accessLog := filepath.Join(dir, "access.log")

	ctx, cancel := context.WithCancel(context.Background())
	out := &lockedBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--database", "sqlite:" + filepath.Join(dir, "hub.db"), "--no-demo",
			"--addr", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0",
			"--trusted-documents", manifest, "--access-log", accessLog},
			out, slog.New(slog.NewTextHandler(io.Discard, nil)))
	}()
	t.Cleanup(func() {
		cancel()
		require.NoError(t, <-done)
	})
	metricsURL := waitFor(t, out, regexp.MustCompile(`metrics:\s+(\S+)`))
	api := waitFor(t, out, regexp.MustCompile(`GraphQL:\s+(\S+)`))
	token := waitFor(t, out, regexp.MustCompile(`admin token: (\S+)`))

	send := func(body string) map[string]any {
		req, _ := http.NewRequest(http.MethodPost, api, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer res.Body.Close()
		var v map[string]any
		require.NoError(t, json.NewDecoder(res.Body).Decode(&v))
		return v
	}
	r := send(`{"documentId":"sha256:` + persisted.Hash(doc) + `"}`)
	require.Equal(t, map[string]any{"countries": map[string]any{"totalCount": float64(249)}}, r["data"])
	r = send(`{"query":"{ vendors { totalCount } }"}`)
	require.Contains(t, mustMarshal(r["errors"]), "OPERATION_NOT_TRUSTED")

	res, err := http.Get(metricsURL)
	require.NoError(t, err)
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	require.Contains(t, string(body), `privhub_graphql_requests_total{operation="CountryCount",outcome="ok"} 1`)
	require.Contains(t, string(body), `privhub_graphql_errors_total{code="OPERATION_NOT_TRUSTED"} 1`)
	// Not on the API's address.
	res, err = http.Get(strings.TrimSuffix(api, "/graphql") + "/metrics")
	require.NoError(t, err)
	body, _ = io.ReadAll(res.Body)
	res.Body.Close()
	require.NotContains(t, string(body), "privhub_graphql_requests_total")

	logged, err := os.ReadFile(accessLog)
	require.NoError(t, err)
	require.Contains(t, string(logged), `"operation":"CountryCount"`)
	require.NotContains(t, string(logged), token)
}

func mustMarshal(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestSweepWritesItsMetricsFile: a sweep leaves its series for a node
// exporter's textfile collector.
func TestSweepWritesItsMetricsFile(t *testing.T) {
	dir := t.TempDir()
	prom := filepath.Join(dir, "sweep.prom")
	_, err := privhub(t, "sweep", "--database", "sqlite:"+filepath.Join(dir, "hub.db"), "--metrics-file", prom)
	require.NoError(t, err)
	raw, err := os.ReadFile(prom)
	require.NoError(t, err)
	require.Contains(t, string(raw), `privhub_retention_sweeps_total{mode="dry_run",outcome="ok"} 1`)
}
