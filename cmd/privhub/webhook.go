package main

import (
	"context"
	"flag"
	"log/slog"
	"sync"
	"time"

	"github.com/privhub/privhub/internal/metrics"
	"github.com/privhub/privhub/internal/store"
	"github.com/privhub/privhub/internal/webhook"
)

// webhookFlags are serve's flags of the webhook dispatcher.
type webhookFlags struct {
	off bool
	opt webhook.Options
}

// addWebhookFlags defines serve's webhook flags on fs.
func addWebhookFlags(fs *flag.FlagSet) *webhookFlags {
	w := &webhookFlags{}
	fs.BoolVar(&w.off, "no-webhooks", false, "deliver no webhooks from this server (another server sharing the database does)")
	fs.IntVar(&w.opt.MaxAttempts, "webhook-attempts", 10, "attempts of a webhook delivery before it is given up")
	fs.DurationVar(&w.opt.Backoff.Base, "webhook-backoff", 10*time.Second,
		"wait after a webhook delivery's first failed attempt, doubled after each further one (with jitter)")
	fs.DurationVar(&w.opt.Backoff.Max, "webhook-max-backoff", time.Hour, "longest wait between two attempts of a webhook delivery")
	fs.DurationVar(&w.opt.Timeout, "webhook-timeout", 10*time.Second, "longest wait for a webhook subscriber's answer")
	fs.DurationVar(&w.opt.Poll, "webhook-poll", time.Second, "how often to look for due webhook deliveries when there were none")
	return w
}

// start runs the webhook dispatcher over db in one goroutine until ctx
// ends or stop is called; stop cancels it and waits for it to return.
func (w *webhookFlags) start(ctx context.Context, db *store.DB, m *metrics.Metrics, log *slog.Logger) (stop func()) {
	if w.off {
		return func() {}
	}
	opt := w.opt
	opt.Metrics = m
	opt.Log = log.With("component", "webhook")
	d := webhook.NewDispatcher(db, opt)
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() { _ = d.Run(ctx) })
	return func() {
		cancel()
		wg.Wait()
	}
}
