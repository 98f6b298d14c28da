package server_test

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/privhub/privhub/internal/metrics"
	"github.com/privhub/privhub/internal/server"
	"github.com/privhub/privhub/internal/store"
	"github.com/privhub/privhub/internal/store/storetest"
)

// scrape reads /metrics at base without a token, as Prometheus does.
func scrape(t *testing.T, base string) string {
	t.Helper()
	res, err := http.Get(base + "/metrics")
	require.NoError(t, err)
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, res.StatusCode, "GET /metrics: %s", body)
	require.Contains(t, res.Header.Get("Content-Type"), "text/plain")
	return string(body)
}

// sample returns the value of one series of a scrape, such as
// `privhub_graphql_requests_total{operation="VendorList",outcome="ok"}`,
// and whether the scrape has it.
func sample(text, series string) (float64, bool) {
	for _, line := range strings.Split(text, "\n") {
		if v, ok := strings.CutPrefix(line, series+" "); ok {
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			return f, err == nil
		}
	}
	return 0, false
}

// requireSample checks a series of a scrape has the value want.
func requireSample(t *testing.T, text, series string, want float64) {
	t.Helper()
	got, ok := sample(text, series)
	require.True(t, ok, "no series %s in:\n%s", series, grepLines(text, "privhub_"))
	require.Equal(t, want, got, "%s", series)
}

// grepLines keeps the lines of text that contain s, for failure messages.
func grepLines(text, s string) string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, s) && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func TestMetricsAfterGraphQLRequests(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		m := metrics.New(metrics.Options{MaxOperations: 3})
		a := newAPI(t, db, server.Config{Metrics: m})
		s := a.s

		// Two named queries that succeed, one anonymous.
		for range 2 {
			s.MustDo(`query VendorList { vendors(first: 2) { totalCount } }`, nil, nil)
		}
		s.MustDo(`{ countries(first: 1) { totalCount } }`, nil, nil)
		// A query that runs and fails: NOT_FOUND.
		r := s.Do(`query Missing($id: ID!) { trace(user: $id) { at } }`, map[string]any{"id": "usr_01J0000000000000000000000"})
		require.NotEmpty(t, r.Errors)
		code := r.Errors[0].Code()
		// A document that does not validate: rejected, never run, and
		// under no operation name (it has none until it validates).
		r = s.Do(`query Broken { noSuchField }`, nil)
		require.Equal(t, "GRAPHQL_VALIDATION_FAILED", r.Errors[0].Code())
		// No token: rejected with UNAUTHENTICATED.
		r = s.WithAuthorization("").Do(`query VendorList { vendors(first: 2) { totalCount } }`, nil)
		require.Equal(t, http.StatusUnauthorized, r.Status)
		// Names past MaxOperations (3: VendorList, Missing, Extra1) share
		// one series.
		s.MustDo(`query Extra1 { __typename }`, nil, nil)
		s.MustDo(`query Extra2 { __typename }`, nil, nil)
		// A retention sweep's progress (a dry run).
		s.MustDo(`mutation { runRetentionSweep(input: {dryRun: true}) { sweepReport { expired } } }`, nil, nil)

		text := scrape(t, s.URL)
		requireSample(t, text, `privhub_graphql_requests_total{operation="VendorList",outcome="ok"}`, 2)
		requireSample(t, text, `privhub_graphql_requests_total{operation="anonymous",outcome="ok"}`, 2) // the query and the sweep
		requireSample(t, text, `privhub_graphql_requests_total{operation="Missing",outcome="error"}`, 1)
		requireSample(t, text, `privhub_graphql_requests_total{operation="unknown",outcome="rejected"}`, 2)
		requireSample(t, text, `privhub_graphql_requests_total{operation="Extra1",outcome="ok"}`, 1)
		requireSample(t, text, `privhub_graphql_requests_total{operation="other",outcome="ok"}`, 1)
		require.NotContains(t, text, `operation="Broken"`)
		require.NotContains(t, text, `operation="Extra2"`)
		requireSample(t, text, `privhub_graphql_request_duration_seconds_count{operation="VendorList"}`, 2)
		_, ok := sample(text, `privhub_graphql_request_duration_seconds_bucket{operation="VendorList",le="+Inf"}`)
		require.True(t, ok, "latency histogram buckets")
		requireSample(t, text, `privhub_graphql_errors_total{code="`+code+`"}`, 1)
		requireSample(t, text, `privhub_graphql_errors_total{code="GRAPHQL_VALIDATION_FAILED"}`, 1)
		requireSample(t, text, `privhub_graphql_errors_total{code="UNAUTHENTICATED"}`, 1)
		requireSample(t, text, `privhub_retention_sweeps_total{mode="dry_run",outcome="ok"}`, 1)
		_, ok = sample(text, `privhub_retention_sweep_last_progress_timestamp_seconds{mode="dry_run"}`)
		require.True(t, ok, "sweep progress timestamp")
		// The database pool.
		n, ok := sample(text, `go_sql_max_open_connections{db_name="`+db.Dialect+`"}`)
		require.True(t, ok, "pool metrics:\n%s", grepLines(text, "go_sql"))
		require.Positive(t, n)
		_, ok = sample(text, `go_sql_open_connections{db_name="`+db.Dialect+`"}`)
		require.True(t, ok)
	})
}

func TestMetricsCountRateLimitRefusals(t *testing.T) {
	db := storetest.Open(t, "sqlite3")
	m := metrics.New(metrics.Options{})
	a := newAPI(t, db, server.Config{Metrics: m, RateLimit: 0.01, RateBurst: 1})
	a.s.MustDo(`{ __typename }`, nil, nil)
	r := a.s.Do(`{ __typename }`, nil)
	require.Equal(t, http.StatusTooManyRequests, r.Status)
	r = a.s.Do(`{ __typename }`, nil)
	require.Equal(t, http.StatusTooManyRequests, r.Status)
	text := scrape(t, a.s.URL)
	requireSample(t, text, `privhub_rate_limit_refusals_total`, 2)
	requireSample(t, text, `privhub_graphql_errors_total{code="RATE_LIMITED"}`, 2)
	requireSample(t, text, `privhub_graphql_requests_total{operation="unknown",outcome="rejected"}`, 2)
}

func TestMetricsElsewhereAreNotOnTheAPI(t *testing.T) {
	db := storetest.Open(t, "sqlite3")
	a := newAPI(t, db, server.Config{Metrics: metrics.New(metrics.Options{}), MetricsElsewhere: true})
	res, err := http.Get(a.s.URL + "/metrics")
	require.NoError(t, err)
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	require.NotContains(t, string(body), "privhub_graphql_requests_total")
}
