package webhook

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/webhookdelivery"
	"github.com/privhub/privhub/internal/metrics"
	"github.com/privhub/privhub/internal/store"
)

// Options tune a Dispatcher; the zero value means the defaults.
type Options struct {
	// MaxAttempts is how many attempts a delivery gets before it is
	// GIVEN_UP (default 10).
	MaxAttempts int
	// Backoff spaces the attempts (default 10s doubling up to 1h, with
	// jitter).
	Backoff Backoff
	// Timeout bounds one attempt, from connecting to reading the answer's
	// status (default 10s).
	Timeout time.Duration
	// Poll is how often the dispatcher looks for due deliveries when it
	// has none (default 1s).
	Poll time.Duration
	// Lease is how long an attempt's claim lasts beyond Timeout (default
	// 5s): a delivery whose claimant died is due again after Timeout+Lease.
	Lease time.Duration
	// Client sends the requests (default: one that follows no redirects).
	Client *http.Client
	// Metrics counts attempts by outcome and the deliveries waiting (nil:
	// nothing).
	Metrics *metrics.Metrics
	// Log gets a line per failed attempt and per error (nil: discarded).
	Log *slog.Logger
	// Now is the clock (nil: time.Now).
	Now func() time.Time
	// Rand draws the backoff's jitter in [0, 1) (nil: math/rand/v2).
	Rand func() float64
}

// withDefaults fills the zero fields of o.
func (o Options) withDefaults() Options {
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 10
	}
	o.Backoff = o.Backoff.withDefaults()
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Second
	}
	if o.Poll <= 0 {
		o.Poll = time.Second
	}
	if o.Lease <= 0 {
		o.Lease = 5 * time.Second
	}
	if o.Client == nil {
		o.Client = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// Dispatcher delivers the outbox's due deliveries, one at a time. Any
// number of dispatchers, in any number of processes, may share a database.
type Dispatcher struct {
	client *ent.Client
	queue  *queue
	opt    Options
}

// NewDispatcher returns a dispatcher of db's deliveries.
func NewDispatcher(db *store.DB, opt Options) *Dispatcher {
	return &Dispatcher{client: db.Client, queue: newQueue(db), opt: opt.withDefaults()}
}

// Run delivers until ctx is cancelled: whatever is due, then it waits Poll
// and looks again. It runs in the caller's goroutine and returns ctx's
// error; an attempt under way when ctx ends is released, to be made again
// at once by the next dispatcher.
func (d *Dispatcher) Run(ctx context.Context) error {
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-timer.C:
		}
		if _, err := d.Drain(ctx); err != nil && ctx.Err() == nil {
			d.opt.Log.ErrorContext(ctx, "delivering webhooks", "err", err)
		}
		d.observeQueue(ctx)
		timer.Reset(d.opt.Poll)
	}
}

// Drain makes one attempt of every delivery due now, and of those that
// fall due while it runs, and returns how many it made.
func (d *Dispatcher) Drain(ctx context.Context) (attempts int, err error) {
	for ctx.Err() == nil {
		now := d.opt.Now()
		c, ok, err := d.queue.claim(ctx, now, now.Add(d.opt.Timeout+d.opt.Lease))
		if err != nil || !ok {
			return attempts, err
		}
		attempts++
		if err := d.attempt(ctx, c); err != nil {
			return attempts, err
		}
	}
	return attempts, ctx.Err()
}

// attempt sends the claimed delivery c once and records the outcome.
func (d *Dispatcher) attempt(ctx context.Context, c claimed) error {
	del, err := d.client.WebhookDelivery.Query().Where(webhookdelivery.ID(c.id)).
		WithSubscriber().WithEvent().Only(ctx)
	if err != nil {
		return fmt.Errorf("reading claimed webhook delivery %s: %w", c.id, err)
	}
	code, sendErr := d.send(ctx, del, c.attempt)
	now := d.opt.Now()
	if ctx.Err() != nil {
		// Stopped, not failed: hand the delivery back for the next run.
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
		defer cancel()
		return d.queue.release(rctx, c, now)
	}
	if sendErr == nil {
		d.opt.Metrics.Webhook(metrics.WebhookDelivered)
		return d.queue.delivered(ctx, c.id, code, now)
	}
	status, next := statusFailed, now.Add(d.opt.Backoff.Delay(c.attempt, d.opt.Rand))
	if c.attempt >= d.opt.MaxAttempts {
		status = statusGivenUp
		d.opt.Metrics.Webhook(metrics.WebhookGivenUp)
		d.opt.Log.WarnContext(ctx, "webhook delivery given up", "delivery", c.id, "attempts", c.attempt, "error", sendErr.Error())
		return d.queue.failed(ctx, c, status, nil, code, sendErr.Error(), now)
	}
	d.opt.Metrics.Webhook(metrics.WebhookFailed)
	d.opt.Log.InfoContext(ctx, "webhook delivery failed; will retry", "delivery", c.id, "attempt", c.attempt,
		"error", sendErr.Error(), "retry_at", next.UTC().Format(time.RFC3339))
	return d.queue.failed(ctx, c, status, &next, code, sendErr.Error(), now)
}

// attemptError is why an attempt failed, in a few words fit for the
// delivery log: never the URL (which may carry a token in its query), a
// header or the answer's body.
type attemptError string

func (e attemptError) Error() string { return string(e) }

// send POSTs the delivery and returns the answer's status; the error is
// nil exactly when the status is 2xx.
func (d *Dispatcher) send(ctx context.Context, del *ent.WebhookDelivery, attempt int) (int, error) {
	sub, ev := del.Edges.Subscriber, del.Edges.Event
	body, err := Body(ev)
	if err != nil {
		return 0, attemptError("the event could not be encoded")
	}
	ctx, cancel := context.WithTimeout(ctx, d.opt.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, sub.URL, bytes.NewReader(body))
	if err != nil {
		return 0, attemptError("the subscriber's URL is not usable")
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "privhub-webhook/1")
	req.Header.Set(HeaderDelivery, del.ID.String())
	req.Header.Set(HeaderEvent, ev.Kind)
	req.Header.Set(HeaderAttempt, strconv.Itoa(attempt))
	req.Header.Set(HeaderSignature, Sign(sub.Secret, d.opt.Now(), body))
	res, err := d.opt.Client.Do(req)
	if err != nil {
		return 0, transportError(err, d.opt.Timeout)
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
	if res.StatusCode < 200 || res.StatusCode > 299 {
		return res.StatusCode, attemptError("HTTP " + strconv.Itoa(res.StatusCode))
	}
	return res.StatusCode, nil
}

// transportError words a failure to get an answer at all.
func transportError(err error, timeout time.Duration) error {
	var uerr *url.Error
	if errors.As(err, &uerr) {
		err = uerr.Err // its own text quotes the URL
	}
	var dnsErr *net.DNSError
	var opErr *net.OpError
	switch {
	case errors.Is(err, context.DeadlineExceeded) || isTimeout(err):
		return attemptError("no answer within " + timeout.String())
	case errors.As(err, &dnsErr):
		return attemptError("the host name does not resolve")
	case errors.As(err, &opErr) && opErr.Op == "dial":
		return attemptError("could not connect: " + clip(unwrapAll(opErr.Err).Error(), 80))
	}
	return attemptError("the request failed: " + clip(unwrapAll(err).Error(), 80))
}

// isTimeout reports whether err is a network timeout.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// unwrapAll returns the innermost error of err's chain.
func unwrapAll(err error) error {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err
		}
		err = next
	}
}

// observeQueue reports the deliveries waiting to the metrics.
func (d *Dispatcher) observeQueue(ctx context.Context) {
	if d.opt.Metrics == nil {
		return
	}
	pending, failed, err := d.queue.depth(ctx)
	if err != nil {
		if ctx.Err() == nil {
			d.opt.Log.WarnContext(ctx, "counting waiting webhook deliveries", "err", err)
		}
		return
	}
	d.opt.Metrics.WebhookQueue(pending, failed)
}
