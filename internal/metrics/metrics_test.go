package metrics_test

import (
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/privhub/privhub/internal/metrics"
	"github.com/privhub/privhub/internal/retention"
)

func scrape(t *testing.T, m *metrics.Metrics) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, err := io.ReadAll(rec.Result().Body)
	require.NoError(t, err)
	return string(body)
}

func TestWebhookDeliveries(t *testing.T) {
	m := metrics.New(metrics.Options{})
	m.Webhook(metrics.WebhookDelivered)
	m.Webhook(metrics.WebhookDelivered)
	m.Webhook(metrics.WebhookFailed)
	m.Webhook(metrics.WebhookGivenUp)
	m.WebhookQueue(3, 1)
	text := scrape(t, m)
	require.Contains(t, text, `privhub_webhook_deliveries_total{outcome="delivered"} 2`)
	require.Contains(t, text, `privhub_webhook_deliveries_total{outcome="failed"} 1`)
	require.Contains(t, text, `privhub_webhook_deliveries_total{outcome="given_up"} 1`)
	require.Contains(t, text, `privhub_webhook_queue_depth{status="pending"} 3`)
	require.Contains(t, text, `privhub_webhook_queue_depth{status="failed"} 1`)

	var none *metrics.Metrics
	none.Webhook(metrics.WebhookDelivered) // a nil Metrics counts nothing and does not panic
	none.WebhookQueue(1, 1)
	none.RateLimited()
}

func TestSweepProgressCountsDeltasAndWritesATextfile(t *testing.T) {
	m := metrics.New(metrics.Options{})
	progress, done := m.Sweep(false)
	progress(&retention.Report{Scanned: 1000, Deleted: 600, Anonymized: 100, Batches: 1})
	progress(&retention.Report{Scanned: 2000, Deleted: 1200, Anonymized: 300, Held: 5, Batches: 2})
	done(&retention.Report{Scanned: 2500, Deleted: 1200, Anonymized: 300, Held: 7, Batches: 2}, nil)
	path := filepath.Join(t.TempDir(), "sweep.prom")
	require.NoError(t, m.WriteFile(path))
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	text := string(raw)
	for _, want := range []string{
		`privhub_retention_sweep_records_total{mode="apply",result="scanned"} 2500`,
		`privhub_retention_sweep_records_total{mode="apply",result="deleted"} 1200`,
		`privhub_retention_sweep_records_total{mode="apply",result="anonymized"} 300`,
		`privhub_retention_sweep_records_total{mode="apply",result="held"} 7`,
		`privhub_retention_sweep_batches_total{mode="apply"} 2`,
		`privhub_retention_sweeps_total{mode="apply",outcome="ok"} 1`,
	} {
		require.True(t, strings.Contains(text, want), "missing %s in\n%s", want, text)
	}
}
