// Package metrics exposes privhub's Prometheus metrics: GraphQL requests by
// operation and outcome with their latency, errors by extensions.code,
// rate-limit refusals, the database pool, retention sweeps, and webhook
// delivery attempts and queue depth. Each Metrics owns its registry; nothing is registered with
// the Prometheus client's global default.
package metrics

import (
	"database/sql"
	"fmt"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Fixed values of the operation label: a request that never named a parsed
// operation, an anonymous operation, and any name past Options.MaxOperations.
const (
	UnknownOperation   = "unknown"
	AnonymousOperation = "anonymous"
	OtherOperation     = "other"
)

// Options tunes a Metrics; the zero value means the defaults.
type Options struct {
	// MaxOperations caps how many distinct operation names get their own
	// series (default 200); the names seen after that are counted as
	// OtherOperation, so that clients cannot make series without bound.
	MaxOperations int
}

// Metrics holds privhub's collectors and the registry that serves them. It
// is safe for concurrent use.
type Metrics struct {
	reg *prometheus.Registry
	ops *operationNames

	requests    *prometheus.CounterVec
	duration    *prometheus.HistogramVec
	errors      *prometheus.CounterVec
	rateLimited prometheus.Counter
	sweepRecs   *prometheus.CounterVec
	sweepBatch  *prometheus.CounterVec
	sweeps      *prometheus.CounterVec
	sweepLast   *prometheus.GaugeVec
	webhooks    *prometheus.CounterVec
	// webhookQueue is the deliveries waiting, by status.
	webhookQueue *prometheus.GaugeVec
}

// New returns a Metrics with its own registry, which also holds the Go
// runtime's and the process's standard collectors.
func New(opt Options) *Metrics {
	if opt.MaxOperations <= 0 {
		opt.MaxOperations = 200
	}
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		ops: newOperationNames(opt.MaxOperations),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "privhub_graphql_requests_total",
			Help: "GraphQL requests by operation name and outcome (ok, error, rejected).",
		}, []string{"operation", "outcome"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "privhub_graphql_request_duration_seconds",
			Help:    "Time to answer a GraphQL request, by operation name.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"operation"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "privhub_graphql_errors_total",
			Help: "Errors answered to GraphQL requests, by extensions.code.",
		}, []string{"code"}),
		rateLimited: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "privhub_rate_limit_refusals_total",
			Help: "GraphQL requests refused because their token was over its rate (HTTP 429).",
		}),
		sweepRecs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "privhub_retention_sweep_records_total",
			Help: "Data records a retention sweep scanned, deleted, anonymised or left under legal hold, by mode (apply, dry_run).",
		}, []string{"mode", "result"}),
		sweepBatch: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "privhub_retention_sweep_batches_total",
			Help: "Batches (transactions) of retention sweeps, by mode.",
		}, []string{"mode"}),
		sweeps: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "privhub_retention_sweeps_total",
			Help: "Retention sweeps finished, by mode and outcome (ok, error).",
		}, []string{"mode", "outcome"}),
		sweepLast: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "privhub_retention_sweep_last_progress_timestamp_seconds",
			Help: "When a retention sweep last committed (or, in a dry run, counted) a batch, by mode.",
		}, []string{"mode"}),
		webhooks: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "privhub_webhook_deliveries_total",
			Help: "Webhook delivery attempts by outcome (delivered, failed, given_up).",
		}, []string{"outcome"}),
		webhookQueue: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "privhub_webhook_queue_depth",
			Help: "Webhook deliveries waiting, by status (pending: not yet attempted, failed: to be retried).",
		}, []string{"status"}),
	}
	m.reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.requests, m.duration, m.errors, m.rateLimited,
		m.sweepRecs, m.sweepBatch, m.sweeps, m.sweepLast, m.webhooks, m.webhookQueue,
	)
	return m
}

// Registry returns the registry m serves, for collectors of other packages.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// CollectDB adds the connection pool statistics of db (open, in use and
// idle connections, waits for a connection) as the go_sql_* series with
// db_name set to name.
func (m *Metrics) CollectDB(db *sql.DB, name string) error {
	if err := m.reg.Register(collectors.NewDBStatsCollector(db, name)); err != nil {
		return fmt.Errorf("registering the pool metrics of database %s: %w", name, err)
	}
	return nil
}

// WriteFile writes the metrics to path in the text format, atomically, for
// the textfile collector of a node exporter: how a one-off job such as
// privhub sweep reports them.
func (m *Metrics) WriteFile(path string) error {
	if err := prometheus.WriteToTextfile(path, m.reg); err != nil {
		return fmt.Errorf("writing metrics to %s: %w", path, err)
	}
	return nil
}
