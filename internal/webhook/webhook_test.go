package webhook_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/webhookdelivery"
	"github.com/privhub/privhub/internal/apperr"
	"github.com/privhub/privhub/internal/metrics"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/store"
	"github.com/privhub/privhub/internal/store/storetest"
	"github.com/privhub/privhub/internal/webhook"
)

// received is one request a test receiver got.
type received struct {
	delivery, event, attempt string
	body                     []byte
	sigErr                   error
}

// receiver is a webhook endpoint under test: it records every request,
// checks its signature with secret, and answers with what answer says.
type receiver struct {
	*httptest.Server
	secret string
	mu     sync.Mutex
	got    []received
	answer func(r *http.Request) int
}

func newReceiver(t *testing.T, secret string) *receiver {
	t.Helper()
	rc := &receiver{secret: secret, answer: func(*http.Request) int { return http.StatusNoContent }}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		g := received{
			delivery: r.Header.Get(webhook.HeaderDelivery), event: r.Header.Get(webhook.HeaderEvent),
			attempt: r.Header.Get(webhook.HeaderAttempt), body: body,
			sigErr: webhook.Verify(secret, r.Header.Get(webhook.HeaderSignature), body, 0, time.Now()),
		}
		rc.mu.Lock()
		rc.got = append(rc.got, g)
		answer := rc.answer
		rc.mu.Unlock()
		w.WriteHeader(answer(r))
	}))
	t.Cleanup(rc.Close)
	return rc
}

// requests returns what the receiver got so far.
func (rc *receiver) requests() []received {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]received(nil), rc.got...)
}

// setAnswer changes how the receiver answers.
func (rc *receiver) setAnswer(f func(*http.Request) int) {
	rc.mu.Lock()
	rc.answer = f
	rc.mu.Unlock()
}

// subscribe adds an active subscriber of the kinds.
func subscribe(t *testing.T, db *store.DB, url, secret string, events ...string) *ent.WebhookSubscriber {
	t.Helper()
	sub, made, err := webhook.CreateSubscriber(context.Background(), db.Client, webhook.SubscriberInput{
		URL: &url, Secret: &secret, Events: events})
	require.NoError(t, err)
	require.Empty(t, made, "a secret given is not made")
	return sub
}

// enqueue writes an event in a transaction of its own, committed.
func enqueue(t *testing.T, db *store.DB, kind string, payload any) {
	t.Helper()
	ctx := context.Background()
	tx, err := db.Client.Tx(ctx)
	require.NoError(t, err)
	require.NoError(t, webhook.Enqueue(ctx, tx, kind, payload))
	require.NoError(t, tx.Commit())
}

// deliveries reads every delivery, oldest first, with its subscriber.
func deliveries(t *testing.T, db *store.DB) []*ent.WebhookDelivery {
	t.Helper()
	ds, err := db.Client.WebhookDelivery.Query().WithSubscriber().WithEvent().
		Order(ent.Asc(webhookdelivery.FieldID)).All(context.Background())
	require.NoError(t, err)
	return ds
}

// clock is a test clock that starts now and moves when told.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }
func newClock() *clock               { return &clock{t: time.Now().UTC()} }
func half() float64                  { return 0.5 }
func defaults() webhook.Options      { return webhook.Options{} }
func drain(t *testing.T, d *webhook.Dispatcher) int {
	t.Helper()
	n, err := d.Drain(context.Background())
	require.NoError(t, err)
	return n
}

// TestEnqueueIsPartOfTheTransaction: a rolled-back transaction leaves no
// event; a committed one has the event and one pending delivery per active
// subscriber of its kind.
func TestEnqueueIsPartOfTheTransaction(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := subscribe(t, db, "https://a.example/hook", "secret-of-a-0123456", webhook.KindSubprocessorChange)
		b := subscribe(t, db, "https://b.example/hook", "secret-of-b-0123456", webhook.AllKinds)
		subscribe(t, db, "https://c.example/hook", "secret-of-c-0123456", "other.kind")
		off := subscribe(t, db, "https://d.example/hook", "secret-of-d-0123456", webhook.KindSubprocessorChange)
		_, err := webhook.UpdateSubscriber(ctx, db.Client, off.ID, webhook.SubscriberInput{Active: new(false)})
		require.NoError(t, err)

		payload := map[string]any{"subprocessor": "Kestrel Ops Sdn Bhd", "kind": "ADDED"}
		err = store.RunTx(ctx, db.Client, func(ctx context.Context, _ *ent.Client) error {
			require.NoError(t, webhook.Enqueue(ctx, ent.TxFromContext(ctx), webhook.KindSubprocessorChange, payload))
			return errors.New("the change failed")
		})
		require.Error(t, err)
		n, err := db.Client.WebhookEvent.Query().Count(ctx)
		require.NoError(t, err)
		require.Zero(t, n, "a rollback leaves no event")
		require.Empty(t, deliveries(t, db))

		enqueue(t, db, webhook.KindSubprocessorChange, payload)
		ds := deliveries(t, db)
		require.Len(t, ds, 2)
		got := map[pulid.ID]bool{}
		for _, d := range ds {
			got[d.SubscriberID] = true
			assert.Equal(t, webhookdelivery.StatusPending, d.Status)
			assert.Zero(t, d.Attempts)
			assert.Equal(t, ds[0].EventID, d.EventID, "one event")
			assert.Equal(t, webhook.KindSubprocessorChange, d.Edges.Event.Kind)
			assert.JSONEq(t, `{"subprocessor":"Kestrel Ops Sdn Bhd","kind":"ADDED"}`, d.Edges.Event.Payload)
		}
		assert.Equal(t, map[pulid.ID]bool{a.ID: true, b.ID: true}, got)

		tx, err := db.Client.Tx(ctx)
		require.NoError(t, err)
		defer tx.Rollback()
		assert.Error(t, webhook.Enqueue(ctx, tx, webhook.KindSubprocessorChange, []int{1}), "a payload is an object")
		assert.Error(t, webhook.Enqueue(ctx, tx, "Not A Kind", payload))
		assert.Error(t, webhook.Enqueue(ctx, nil, webhook.KindSubprocessorChange, payload))
	})
}

// TestSubscriberInput: what a subscriber may be made of.
func TestSubscriberInput(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ok := "https://hooks.example.com/privhub?team=dpo"
		sub, made, err := webhook.CreateSubscriber(ctx, db.Client, webhook.SubscriberInput{
			URL: &ok, Events: []string{"subprocessor.change", "subprocessor.change", "*"}})
		require.NoError(t, err)
		assert.Regexp(t, `^whsec_[0-9a-f]{64}$`, made, "a secret is made when none is given")
		assert.Equal(t, made, sub.Secret)
		assert.Equal(t, []string{"subprocessor.change", "*"}, sub.Events)
		assert.True(t, sub.Active)
		assert.NotContains(t, sub.String(), made, "the secret is Sensitive")

		bad := []struct {
			in    webhook.SubscriberInput
			field string
		}{
			{webhook.SubscriberInput{Events: []string{"*"}}, "url"},
			{webhook.SubscriberInput{URL: &ok}, "events"},
			{webhook.SubscriberInput{URL: new("ftp://files.example/x"), Events: []string{"*"}}, "url"},
			{webhook.SubscriberInput{URL: new("/relative"), Events: []string{"*"}}, "url"},
			{webhook.SubscriberInput{URL: new("https://user:pw@hooks.example/x"), Events: []string{"*"}}, "url"},
			{webhook.SubscriberInput{URL: new("https://hooks.example/x#frag"), Events: []string{"*"}}, "url"},
			{webhook.SubscriberInput{URL: &ok, Events: []string{}}, "events"},
			{webhook.SubscriberInput{URL: &ok, Events: []string{"Subprocessor Change"}}, "events"},
			{webhook.SubscriberInput{URL: &ok, Events: []string{"*"}, Secret: new("short")}, "secret"},
			{webhook.SubscriberInput{URL: &ok, Events: []string{"*"}, Secret: new("has a space in it, sadly")}, "secret"},
		}
		for _, b := range bad {
			_, _, err := webhook.CreateSubscriber(ctx, db.Client, b.in)
			e, isApp := apperr.As(err)
			if assert.True(t, isApp, "%+v: %v", b.in, err) {
				assert.Equal(t, apperr.BadUserInput, e.Code)
				assert.Equal(t, b.field, e.Field)
			}
		}
		_, err = webhook.UpdateSubscriber(ctx, db.Client, "whs_nothing", webhook.SubscriberInput{Active: new(false)})
		e, _ := apperr.As(err)
		require.NotNil(t, e)
		assert.Equal(t, apperr.NotFound, e.Code)
	})
}

// TestDispatcherDeliversSignedOnce: a delivery is POSTed once with its
// headers and a valid signature, recorded DELIVERED, and not sent again.
func TestDispatcherDeliversSignedOnce(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		rc := newReceiver(t, "whsec_receiver-one-secret")
		sub := subscribe(t, db, rc.URL+"/hook", rc.secret, webhook.KindSubprocessorChange)
		enqueue(t, db, webhook.KindSubprocessorChange, map[string]any{"vendor": "Relaybox Inc."})
		d := webhook.NewDispatcher(db, defaults())

		require.Equal(t, 1, drain(t, d))
		require.Zero(t, drain(t, d), "nothing more is due")
		got := rc.requests()
		require.Len(t, got, 1)
		ds := deliveries(t, db)
		require.Len(t, ds, 1)
		del := ds[0]
		assert.Equal(t, sub.ID, del.SubscriberID)
		assert.Equal(t, del.ID.String(), got[0].delivery)
		assert.Equal(t, webhook.KindSubprocessorChange, got[0].event)
		assert.Equal(t, "1", got[0].attempt)
		require.NoError(t, got[0].sigErr)
		var body struct {
			ID, Kind, CreatedAt string
			Data                map[string]any
		}
		require.NoError(t, json.Unmarshal(got[0].body, &body))
		assert.Equal(t, del.EventID.String(), body.ID)
		assert.Equal(t, webhook.KindSubprocessorChange, body.Kind)
		assert.Equal(t, map[string]any{"vendor": "Relaybox Inc."}, body.Data)
		_, err := time.Parse(time.RFC3339Nano, body.CreatedAt)
		assert.NoError(t, err)

		assert.Equal(t, webhookdelivery.StatusDelivered, del.Status)
		assert.Equal(t, 1, del.Attempts)
		require.NotNil(t, del.DeliveredAt)
		require.NotNil(t, del.LastStatusCode)
		assert.Equal(t, http.StatusNoContent, *del.LastStatusCode)
		assert.Nil(t, del.NextAttemptAt)
		assert.Nil(t, del.Claim)
	})
}

// TestDispatcherRetriesWithBackoffThenGivesUp: failed attempts are retried
// after the backoff, with the same delivery ID, until the last one.
func TestDispatcherRetriesWithBackoffThenGivesUp(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		rc := newReceiver(t, "whsec_receiver-two-secret")
		rc.setAnswer(func(*http.Request) int { return http.StatusServiceUnavailable })
		subscribe(t, db, rc.URL, rc.secret, webhook.AllKinds)
		enqueue(t, db, "test.event", map[string]any{"n": 1})
		clk := newClock()
		d := webhook.NewDispatcher(db, webhook.Options{MaxAttempts: 3, Now: clk.now, Rand: half,
			Backoff: webhook.Backoff{Base: 10 * time.Second, Max: time.Minute}})

		require.Equal(t, 1, drain(t, d))
		del := deliveries(t, db)[0]
		assert.Equal(t, webhookdelivery.StatusFailed, del.Status)
		assert.Equal(t, 1, del.Attempts)
		assert.Equal(t, "HTTP 503", del.LastError)
		require.NotNil(t, del.LastStatusCode)
		assert.Equal(t, 503, *del.LastStatusCode)
		require.NotNil(t, del.NextAttemptAt)
		assert.WithinDuration(t, clk.now().Add(7500*time.Millisecond), *del.NextAttemptAt, time.Millisecond,
			"10s after one failure, jittered to 3/4")

		clk.add(7 * time.Second)
		require.Zero(t, drain(t, d), "not due before its backoff")
		clk.add(time.Second)
		require.Equal(t, 1, drain(t, d))
		del = deliveries(t, db)[0]
		assert.Equal(t, webhookdelivery.StatusFailed, del.Status)
		assert.WithinDuration(t, clk.now().Add(15*time.Second), *del.NextAttemptAt, time.Millisecond, "20s after two")

		clk.add(15 * time.Second)
		require.Equal(t, 1, drain(t, d))
		del = deliveries(t, db)[0]
		assert.Equal(t, webhookdelivery.StatusGivenUp, del.Status)
		assert.Equal(t, 3, del.Attempts)
		assert.Nil(t, del.NextAttemptAt)
		clk.add(time.Hour)
		require.Zero(t, drain(t, d), "given up for good")

		got := rc.requests()
		require.Len(t, got, 3)
		for i, g := range got {
			assert.Equal(t, del.ID.String(), g.delivery, "the same delivery ID at every attempt")
			assert.Equal(t, fmt.Sprint(i+1), g.attempt)
			assert.NoError(t, g.sigErr)
		}
	})
}

// TestDispatcherRecordsWhyItCouldNotConnect: no answer at all is a failed
// attempt too, logged in a few words that do not quote the URL.
func TestDispatcherRecordsWhyItCouldNotConnect(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		gone := httptest.NewServer(http.NotFoundHandler())
		url := gone.URL + "/hook?token=do-not-log-me"
		gone.Close()
		subscribe(t, db, url, "whsec_unreachable-secret", webhook.AllKinds)
		enqueue(t, db, "test.event", map[string]any{"n": 1})
		d := webhook.NewDispatcher(db, webhook.Options{Timeout: 2 * time.Second})
		require.Equal(t, 1, drain(t, d))
		del := deliveries(t, db)[0]
		assert.Equal(t, webhookdelivery.StatusFailed, del.Status)
		assert.Nil(t, del.LastStatusCode)
		assert.Contains(t, del.LastError, "could not connect")
		assert.NotContains(t, del.LastError, "do-not-log-me")
		assert.NotContains(t, del.LastError, "127.0.0.1")
	})
}

// TestInactiveSubscribersWait: the pending deliveries of an inactive
// subscriber are not sent until it is active again.
func TestInactiveSubscribersWait(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		rc := newReceiver(t, "whsec_receiver-three-secret")
		sub := subscribe(t, db, rc.URL, rc.secret, webhook.AllKinds)
		enqueue(t, db, "test.event", map[string]any{"n": 1})
		_, err := webhook.UpdateSubscriber(ctx, db.Client, sub.ID, webhook.SubscriberInput{Active: new(false)})
		require.NoError(t, err)
		d := webhook.NewDispatcher(db, defaults())
		require.Zero(t, drain(t, d))
		_, err = webhook.UpdateSubscriber(ctx, db.Client, sub.ID, webhook.SubscriberInput{Active: new(true)})
		require.NoError(t, err)
		require.Equal(t, 1, drain(t, d))
		require.Len(t, rc.requests(), 1)
	})
}

// TestStoppedDispatcherReleasesItsAttempt: a dispatcher stopped while the
// receiver has not answered gives the delivery back, due at once, without
// counting the attempt.
func TestStoppedDispatcherReleasesItsAttempt(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		rc := newReceiver(t, "whsec_receiver-four-secret")
		arrived := make(chan struct{}, 1)
		rc.setAnswer(func(r *http.Request) int {
			arrived <- struct{}{}
			<-r.Context().Done()
			return http.StatusServiceUnavailable
		})
		subscribe(t, db, rc.URL, rc.secret, webhook.AllKinds)
		enqueue(t, db, "test.event", map[string]any{"n": 1})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- webhook.NewDispatcher(db, webhook.Options{Timeout: time.Minute}).Run(ctx) }()
		select {
		case <-arrived:
		case <-time.After(20 * time.Second):
			t.Fatal("the delivery never arrived")
		}
		cancel()
		require.ErrorIs(t, <-done, context.Canceled)
		del := deliveries(t, db)[0]
		assert.Equal(t, webhookdelivery.StatusPending, del.Status)
		assert.Zero(t, del.Attempts)
		assert.Nil(t, del.Claim)
		require.NotNil(t, del.NextAttemptAt)
		assert.False(t, del.NextAttemptAt.After(time.Now()), "due at once")

		rc.setAnswer(func(*http.Request) int { return http.StatusOK })
		require.Equal(t, 1, drain(t, webhook.NewDispatcher(db, defaults())))
		got := rc.requests()
		require.Len(t, got, 2)
		assert.Equal(t, got[0].delivery, got[1].delivery)
		assert.Equal(t, "1", got[1].attempt)
		assert.Equal(t, webhookdelivery.StatusDelivered, deliveries(t, db)[0].Status)
	})
}

// TestConcurrentDispatchersSendEachDeliveryOnce: three dispatchers, each
// with its own connection pool as separate servers would have, drain the
// same outbox at once; every delivery is sent exactly once.
func TestConcurrentDispatchersSendEachDeliveryOnce(t *testing.T) {
	for _, dia := range storetest.Dialects() {
		t.Run(dia, func(t *testing.T) {
			ctx := context.Background()
			url := storetest.URL(t, dia)
			var dbs []*store.DB
			for i := range 3 {
				db, err := store.Open(ctx, url)
				require.NoError(t, err)
				t.Cleanup(func() { db.Close() })
				if i == 0 {
					require.NoError(t, db.Migrate(ctx))
				}
				dbs = append(dbs, db)
			}
			const subscribers, events = 3, 12
			var rcs []*receiver
			for i := range subscribers {
				rc := newReceiver(t, fmt.Sprintf("whsec_concurrent-secret-%d", i))
				rc.setAnswer(func(*http.Request) int { time.Sleep(2 * time.Millisecond); return http.StatusOK })
				subscribe(t, dbs[0], rc.URL, rc.secret, "test.event")
				rcs = append(rcs, rc)
			}
			for i := range events {
				enqueue(t, dbs[0], "test.event", map[string]any{"n": i})
			}
			var wg sync.WaitGroup
			counts := make([]int, len(dbs))
			for i, db := range dbs {
				wg.Go(func() {
					n, err := webhook.NewDispatcher(db, defaults()).Drain(ctx)
					assert.NoError(t, err)
					counts[i] = n
				})
			}
			wg.Wait()
			t.Logf("%s: attempts per dispatcher %v", dia, counts)
			assert.Equal(t, subscribers*events, counts[0]+counts[1]+counts[2], "one attempt per delivery in all")

			seen := map[string]int{}
			for _, rc := range rcs {
				got := rc.requests()
				assert.Len(t, got, events)
				for _, g := range got {
					seen[g.delivery]++
					assert.NoError(t, g.sigErr)
				}
			}
			assert.Len(t, seen, subscribers*events)
			for id, n := range seen {
				assert.Equal(t, 1, n, "delivery %s sent %d times", id, n)
			}
			for _, del := range deliveries(t, dbs[0]) {
				assert.Equal(t, webhookdelivery.StatusDelivered, del.Status)
				assert.Equal(t, 1, del.Attempts)
			}
		})
	}
}

// TestDispatcherMetrics: a running dispatcher counts its attempts by
// outcome and reports the deliveries waiting.
func TestDispatcherMetrics(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ok := newReceiver(t, "whsec_metrics-ok-secret")
		down := newReceiver(t, "whsec_metrics-down-secret")
		down.setAnswer(func(*http.Request) int { return http.StatusBadGateway })
		subscribe(t, db, ok.URL, ok.secret, "test.event")
		subscribe(t, db, down.URL, down.secret, "test.event")
		enqueue(t, db, "test.event", map[string]any{"n": 1})
		m := metrics.New(metrics.Options{})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() {
			done <- webhook.NewDispatcher(db, webhook.Options{Metrics: m, Poll: 20 * time.Millisecond, Backoff: webhook.Backoff{Base: time.Hour}}).Run(ctx)
		}()
		var text string
		deadline := time.Now().Add(20 * time.Second)
		for !strings.Contains(text, `privhub_webhook_queue_depth{status="failed"} 1`) && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
			rec := httptest.NewRecorder()
			m.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
			text = rec.Body.String()
		}
		cancel()
		<-done
		assert.Contains(t, text, `privhub_webhook_deliveries_total{outcome="delivered"} 1`)
		assert.Contains(t, text, `privhub_webhook_deliveries_total{outcome="failed"} 1`)
		assert.Contains(t, text, `privhub_webhook_queue_depth{status="failed"} 1`)
		assert.Contains(t, text, `privhub_webhook_queue_depth{status="pending"} 0`)
	})
}
