package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/privhub/privhub/internal/store/storetest"
	"github.com/privhub/privhub/internal/webhook"
)

// hookReceiver is a subscriber's endpoint: it records every request and
// either hangs until the sender goes away ("slow") or accepts it with 204.
type hookReceiver struct {
	*httptest.Server
	secret string

	mu      sync.Mutex
	slow    bool
	got     []hookRequest
	arrived chan struct{}
}

// hookRequest is one request a hookReceiver got.
type hookRequest struct {
	delivery, event string
	sigErr          error
	accepted        bool
}

func newHookReceiver(t *testing.T, secret string) *hookReceiver {
	t.Helper()
	rc := &hookReceiver{secret: secret, slow: true, arrived: make(chan struct{}, 100)}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var env struct{ ID string }
		_ = json.Unmarshal(body, &env)
		req := hookRequest{delivery: r.Header.Get(webhook.HeaderDelivery), event: env.ID,
			sigErr: webhook.Verify(secret, r.Header.Get(webhook.HeaderSignature), body, 0, time.Now())}
		rc.mu.Lock()
		slow := rc.slow
		req.accepted = !slow
		rc.got = append(rc.got, req)
		rc.mu.Unlock()
		rc.arrived <- struct{}{}
		if slow {
			<-r.Context().Done() // until the server sending it is killed
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(rc.Close)
	return rc
}

func (rc *hookReceiver) requests() []hookRequest {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]hookRequest(nil), rc.got...)
}

func (rc *hookReceiver) accept() {
	rc.mu.Lock()
	rc.slow = false
	rc.mu.Unlock()
}

// accepted counts the requests it answered 2xx.
func (rc *hookReceiver) accepted() int {
	n := 0
	for _, r := range rc.requests() {
		if r.accepted {
			n++
		}
	}
	return n
}

// servedHub is a privhub serve child process and a GraphQL client of it.
type servedHub struct {
	t     *testing.T
	cmd   *exec.Cmd
	api   string
	token string
}

// serveHub starts privhub serve on the database, delivering webhooks with
// short timeouts, and waits until it listens.
func serveHub(t *testing.T, bin, dbURL, dir string) *servedHub {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--database", dbURL, "--no-demo", "--addr", "127.0.0.1:0",
		"--admin-token-file", filepath.Join(dir, "admin-token"), "--metrics-addr", "off", "--access-log", "off",
		"--webhook-timeout", "3s", "--webhook-poll", "100ms", "--webhook-backoff", "1s")
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	stderr := &lockedBuffer{}
	cmd.Stderr = stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
		if t.Failed() {
			t.Logf("privhub serve's log:\n%s", stderr.String())
		}
	})
	out := &lockedBuffer{}
	go io.Copy(out, stdout)
	h := &servedHub{t: t, cmd: cmd}
	h.api = waitFor(t, out, regexp.MustCompile(`GraphQL:\s+(\S+)`))
	h.token = waitFor(t, out, regexp.MustCompile(`admin token: (\S+)`))
	return h
}

// do runs a GraphQL operation that must succeed and returns its data.
func (h *servedHub) do(query string, vars map[string]any, out any) {
	h.t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, h.api, strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+h.token)
	res, err := http.DefaultClient.Do(req)
	require.NoError(h.t, err)
	defer res.Body.Close()
	var r struct {
		Data   json.RawMessage
		Errors []any
	}
	require.NoError(h.t, json.NewDecoder(res.Body).Decode(&r))
	require.Empty(h.t, r.Errors)
	require.NoError(h.t, json.Unmarshal(r.Data, out))
}

// kill ends the server with SIGKILL: no shutdown, no clean-up.
func (h *servedHub) kill() {
	h.t.Helper()
	require.NoError(h.t, h.cmd.Process.Signal(syscall.SIGKILL))
	_ = h.cmd.Wait()
	ws, ok := h.cmd.ProcessState.Sys().(syscall.WaitStatus)
	require.True(h.t, ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL, "privhub serve was not killed")
}

// stop ends the server with SIGTERM, as an operator would.
func (h *servedHub) stop() {
	h.t.Helper()
	require.NoError(h.t, h.cmd.Process.Signal(syscall.SIGTERM))
	require.NoError(h.t, h.cmd.Wait(), "privhub serve stops cleanly")
}

// TestWebhookDeliveredExactlyOnceAcrossAKill is issue 13's test: kill the
// server between commit and delivery; after restart each subscriber gets
// the notice exactly once by its delivery ID. A real privhub serve runs as
// a child process on a database file (or a PostgreSQL database); one event
// is committed for two subscribers whose endpoints are slow; the server is
// killed (SIGKILL) while its first attempt waits for an answer and before
// the second delivery was tried. After a restart, each receiver has
// accepted its delivery exactly once, every request it got for it carried
// the same delivery ID and a valid signature, and nothing more arrives.
func TestWebhookDeliveredExactlyOnceAcrossAKill(t *testing.T) {
	if testing.Short() && os.Getenv("CI") != "true" {
		t.Skip("builds and runs the privhub binary")
	}
	bin := buildPrivhub(t)
	for _, dia := range storetest.Dialects() {
		t.Run(dia, func(t *testing.T) {
			dbURL, dir := storetest.URL(t, dia), t.TempDir()
			receivers := []*hookReceiver{
				newHookReceiver(t, "whsec_portal-secret-0123456789"),
				newHookReceiver(t, "whsec_customer-secret-0123456789"),
			}

			hub := serveHub(t, bin, dbURL, dir)
			subs := make([]string, len(receivers))
			for i, rc := range receivers {
				var out struct {
					CreateWebhookSubscriber struct{ WebhookSubscriber struct{ ID string } }
				}
				hub.do(`mutation($in: CreateWebhookSubscriberInput!) { createWebhookSubscriber(input: $in) { webhookSubscriber { id } } }`,
					map[string]any{"in": map[string]any{"url": rc.URL + "/privhub", "events": []string{"subprocessor.change"}, "secret": rc.secret}}, &out)
				subs[i] = out.CreateWebhookSubscriber.WebhookSubscriber.ID
			}
			var ping struct {
				PingWebhook struct {
					WebhookEvent      struct{ ID string }
					WebhookDeliveries []struct {
						ID         string
						Subscriber struct{ ID string }
					}
				}
			}
			hub.do(`mutation { pingWebhook(input: {}) { webhookEvent { id } webhookDeliveries { id subscriber { id } } } }`, nil, &ping)
			event := ping.PingWebhook.WebhookEvent.ID
			want := map[string]string{} // subscriber -> delivery ID
			for _, d := range ping.PingWebhook.WebhookDeliveries {
				want[d.Subscriber.ID] = d.ID
			}
			require.Len(t, want, 2, "one delivery per subscriber")

			// The event is committed; the first attempt is under way and
			// hangs: kill the server now.
			select {
			case <-receivers[0].arrived:
			case <-receivers[1].arrived:
			case <-time.After(30 * time.Second):
				t.Fatal("no delivery was attempted")
			}
			hub.kill()
			tried := len(receivers[0].requests()) + len(receivers[1].requests())
			require.Equal(t, 1, tried, "one delivery in flight, the other not yet tried, when the server died")

			for _, rc := range receivers {
				rc.accept()
			}
			hub = serveHub(t, bin, dbURL, dir)
			deadline := time.Now().Add(45 * time.Second)
			for receivers[0].accepted() == 0 || receivers[1].accepted() == 0 {
				require.True(t, time.Now().Before(deadline), "not every subscriber got the event after the restart")
				time.Sleep(50 * time.Millisecond)
			}
			time.Sleep(2 * time.Second) // twenty polls: anything sent twice would have arrived

			for i, rc := range receivers {
				got := rc.requests()
				assert.Equal(t, 1, rc.accepted(), "subscriber %d accepted the notice exactly once", i)
				for _, r := range got {
					assert.Equal(t, want[subs[i]], r.delivery, "subscriber %d: every attempt carries its one delivery ID", i)
					assert.Equal(t, event, r.event)
					assert.NoError(t, r.sigErr, "subscriber %d: the signature verifies", i)
				}
			}

			var log struct {
				WebhookDeliveries struct {
					TotalCount int
					Edges      []struct {
						Node struct {
							ID, Status  string
							Attempts    int
							DeliveredAt *string
						}
					}
				}
			}
			hub.do(`{ webhookDeliveries { totalCount edges { node { id status attempts deliveredAt } } } }`, nil, &log)
			require.Equal(t, 2, log.WebhookDeliveries.TotalCount, "the outbox holds the one event's two deliveries, no more")
			attempts := map[int]int{}
			for _, e := range log.WebhookDeliveries.Edges {
				assert.Equal(t, "DELIVERED", e.Node.Status)
				assert.NotNil(t, e.Node.DeliveredAt)
				attempts[e.Node.Attempts]++
			}
			// The one in flight when the server died counts that attempt and
			// the one after its lease ran out; the other was sent once.
			assert.Equal(t, map[int]int{1: 1, 2: 1}, attempts)
			t.Logf("%s: requests received %d and %d, attempts %v", dia, len(receivers[0].requests()), len(receivers[1].requests()), attempts)
			hub.stop()
		})
	}
}
