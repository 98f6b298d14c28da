package metrics

import (
	"time"

	"github.com/privhub/privhub/internal/retention"
)

// sweepMode is the mode label of a sweep.
func sweepMode(dryRun bool) string {
	if dryRun {
		return "dry_run"
	}
	return "apply"
}

// Sweep returns the progress callback of one retention sweep
// (retention.Options.Progress), which turns the running totals it is given
// after each batch into counters, and the function to call with what the
// sweep returned, which counts the rest of its report and the sweep itself.
// On a nil Metrics, progress is nil and done does nothing.
func (m *Metrics) Sweep(dryRun bool) (progress func(*retention.Report), done func(*retention.Report, error)) {
	if m == nil {
		return nil, func(*retention.Report, error) {}
	}
	mode := sweepMode(dryRun)
	var last retention.Report
	progress = func(r *retention.Report) {
		for _, c := range []struct {
			result   string
			now, was int
		}{
			{"scanned", r.Scanned, last.Scanned},
			{"deleted", r.Deleted, last.Deleted},
			{"anonymized", r.Anonymized, last.Anonymized},
			{"held", r.Held, last.Held},
		} {
			if d := c.now - c.was; d > 0 {
				m.sweepRecs.WithLabelValues(mode, c.result).Add(float64(d))
			}
		}
		if d := r.Batches - last.Batches; d > 0 {
			m.sweepBatch.WithLabelValues(mode).Add(float64(d))
		}
		m.sweepLast.WithLabelValues(mode).Set(float64(time.Now().UnixNano()) / 1e9)
		last = *r
	}
	done = func(r *retention.Report, err error) {
		if r != nil {
			progress(r)
		}
		outcome := "ok"
		if err != nil {
			outcome = "error"
		}
		m.sweeps.WithLabelValues(mode, outcome).Inc()
	}
	return progress, done
}

// The outcomes of a webhook delivery attempt, as the outcome label of
// privhub_webhook_deliveries_total says them.
const (
	WebhookDelivered = "delivered"
	WebhookFailed    = "failed"
	WebhookGivenUp   = "given_up"
)

// Webhook counts one webhook delivery attempt by its outcome: delivered,
// failed (to be retried) or given_up (failed for the last time). It is the
// hook of the webhook dispatcher; on a nil Metrics it does nothing.
func (m *Metrics) Webhook(outcome string) {
	if m == nil {
		return
	}
	m.webhooks.WithLabelValues(outcome).Inc()
}

// WebhookQueue sets the number of webhook deliveries waiting: pending (not
// yet attempted) and failed (to be retried). Every server sharing a
// database reports the same numbers. On a nil Metrics it does nothing.
func (m *Metrics) WebhookQueue(pending, failed int) {
	if m == nil {
		return
	}
	m.webhookQueue.WithLabelValues("pending").Set(float64(pending))
	m.webhookQueue.WithLabelValues("failed").Set(float64(failed))
}
