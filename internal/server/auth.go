package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/internal/apperr"
	"github.com/privhub/privhub/internal/audit"
	"github.com/privhub/privhub/internal/auth"
	"github.com/privhub/privhub/internal/metrics"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/reqinfo"
	"github.com/privhub/privhub/internal/session"
)

// RateLimited is the extensions.code of a request refused because its token
// sent more requests than Config.RateLimit allows; the HTTP status is 429 and
// the Retry-After header says in how many seconds to try again.
const RateLimited = "RATE_LIMITED"

// authenticator guards the GraphQL endpoint: each request must carry
// "Authorization: Bearer TOKEN" with a valid API token, and each token may
// send at most so many requests per second.
type authenticator struct {
	client  *ent.Client
	limits  *rateLimiter // nil when requests are not limited
	log     *slog.Logger
	metrics *metrics.Metrics // counts rate-limit refusals; may be nil
}

// newAuthenticator returns the guard of cfg over client.
func newAuthenticator(cfg Config, client *ent.Client, log *slog.Logger) *authenticator {
	a := &authenticator{client: client, log: log, metrics: cfg.Metrics}
	if cfg.RateLimit > 0 {
		a.limits = newRateLimiter(cfg.RateLimit, cfg.RateBurst)
	}
	return a
}

// wrap returns next behind the guard. A request carries its token in the
// Authorization header or, from the console, in the session cookie (see
// internal/session); the header wins when both are sent. A request made
// with the cookie by any method but GET or HEAD must carry the session's
// CSRF token in X-CSRF-Token, or gets HTTP 403 and the code FORBIDDEN.
// A request without a valid token gets
// HTTP 401 with WWW-Authenticate: Bearer and a GraphQL error whose code is
// UNAUTHENTICATED; one over its token's rate gets HTTP 429 (RATE_LIMITED).
// An authenticated request carries its principal (auth.FromContext) and is
// audited under the token's operator. CORS preflight requests (OPTIONS),
// which never carry credentials, pass.
func (a *authenticator) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodOptions {
			next.ServeHTTP(w, r)
			return
		}
		token, viaCookie, err := credentials(r)
		if err != nil {
			a.refuse(w, r, err)
			return
		}
		now := time.Now()
		p, err := auth.Authenticate(r.Context(), a.client, token, now)
		if err != nil {
			a.refuse(w, r, err)
			return
		}
		if viaCookie && !safeMethod(r.Method) && !session.CheckCSRF(token, r.Header.Get(session.CSRFHeader)) {
			refuseCSRF(w, r)
			return
		}
		reqinfo.From(r.Context()).SetRole(string(p.Role))
		if a.limits != nil {
			if ok, wait := a.limits.allow(p.TokenID, now); !ok {
				secs := int(math.Ceil(wait.Seconds()))
				if secs < 1 {
					secs = 1
				}
				a.metrics.RateLimited()
				reqinfo.From(r.Context()).AddCode(RateLimited)
				w.Header().Set("Retry-After", strconv.Itoa(secs))
				writeError(w, http.StatusTooManyRequests, RateLimited,
					fmt.Sprintf("too many requests for this token; retry in %d s", secs))
				return
			}
		}
		ctx := auth.WithPrincipal(r.Context(), p)
		ctx = audit.WithActor(ctx, audit.Actor{
			Name:      p.Name,
			Role:      string(p.Role),
			RequestID: audit.ActorFrom(ctx).RequestID,
		})
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// credentials returns the token a request authenticates with: the bearer
// token of its Authorization header when it sends one, otherwise its
// session cookie's (viaCookie), otherwise the bearer token's error.
func credentials(r *http.Request) (token string, viaCookie bool, err error) {
	if len(r.Header.Values("Authorization")) == 0 {
		if c, err := r.Cookie(session.CookieName); err == nil && c.Value != "" {
			return c.Value, true, nil
		}
	}
	token, err = bearerToken(r.Header)
	return token, false, err
}

// safeMethod reports whether an HTTP method only reads: GraphQL over GET
// runs queries only, never mutations.
func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead
}

// refuseCSRF answers a request made with the session cookie whose CSRF
// token is missing or wrong.
func refuseCSRF(w http.ResponseWriter, r *http.Request) {
	reqinfo.From(r.Context()).AddCode(string(apperr.Forbidden))
	writeError(w, http.StatusForbidden, string(apperr.Forbidden),
		"a request made with the session cookie must carry the session's CSRF token in the "+session.CSRFHeader+" header")
}

// bearerToken returns the token of the request's one Authorization header,
// which must use the Bearer scheme; the error is an Unauthenticated one.
func bearerToken(h http.Header) (string, error) {
	values := h.Values("Authorization")
	switch len(values) {
	case 0:
		return "", apperr.Unauthenticatedf("authentication required: send the header Authorization: Bearer <token>")
	case 1:
	default:
		return "", apperr.Unauthenticatedf("send one Authorization header, not %d", len(values))
	}
	scheme, token, _ := strings.Cut(strings.TrimSpace(values[0]), " ")
	if !strings.EqualFold(scheme, "Bearer") {
		return "", apperr.Unauthenticatedf("the Authorization header must use the Bearer scheme")
	}
	token = strings.TrimSpace(token)
	if token == "" {
		return "", apperr.Unauthenticatedf("the Authorization header carries no token")
	}
	return token, nil
}

// refuse answers a request that failed authentication: 401 when the token
// is missing or not valid, 500 when the check itself failed.
func (a *authenticator) refuse(w http.ResponseWriter, r *http.Request, err error) {
	if e, ok := apperr.As(err); ok && e.Code == apperr.Unauthenticated {
		reqinfo.From(r.Context()).AddCode(string(apperr.Unauthenticated))
		w.Header().Set("WWW-Authenticate", `Bearer realm="privhub"`)
		writeError(w, http.StatusUnauthorized, string(apperr.Unauthenticated), e.Message)
		return
	}
	reqinfo.From(r.Context()).AddCode(string(apperr.Internal))
	a.log.Error("authenticating a request", "err", err)
	writeError(w, http.StatusInternalServerError, string(apperr.Internal), "internal error")
}

// writeError answers with a GraphQL-shaped error body:
// {"errors":[{"message":…,"extensions":{"code":…}}]}.
func writeError(w http.ResponseWriter, status int, code, msg string) {
	type gqlError struct {
		Message    string            `json:"message"`
		Extensions map[string]string `json:"extensions"`
	}
	var body bytes.Buffer
	enc := json.NewEncoder(&body)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(struct {
		Errors []gqlError `json:"errors"`
	}{[]gqlError{{Message: msg, Extensions: map[string]string{"code": code}}}})
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(body.Bytes())
}

// rateLimiter keeps a token bucket per API token: a bucket holds up to burst
// requests and refills at rate per second. Buckets left idle long enough to
// be full again are dropped, so memory follows the tokens in active use.
type rateLimiter struct {
	rate  float64       // requests per second
	burst float64       // the bucket's size
	idle  time.Duration // how long an idle bucket takes to fill up

	mu        sync.Mutex
	buckets   map[pulid.ID]*bucket
	lastSweep time.Time
}

// bucket is one token's allowance: tokens requests left at instant at.
type bucket struct {
	tokens float64
	at     time.Time
}

// newRateLimiter returns a limiter of rate requests per second per token,
// with bursts of up to burst requests.
func newRateLimiter(rate float64, burst int) *rateLimiter {
	b := float64(max(burst, 1))
	return &rateLimiter{
		rate:    rate,
		burst:   b,
		idle:    time.Duration(b / rate * float64(time.Second)),
		buckets: make(map[pulid.ID]*bucket),
	}
}

// allow takes one request from token id's bucket at now; when the bucket is
// empty it reports false and how long until it holds a request again.
func (l *rateLimiter) allow(id pulid.ID, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sweep(now)
	b, ok := l.buckets[id]
	if !ok {
		b = &bucket{tokens: l.burst, at: now}
		l.buckets[id] = b
	} else if elapsed := now.Sub(b.at); elapsed > 0 {
		b.tokens = min(l.burst, b.tokens+elapsed.Seconds()*l.rate)
		b.at = now
	}
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
}

// sweep drops the buckets idle for long enough to be full, which a fresh
// bucket is too; it looks at most once per refill time (and minute).
func (l *rateLimiter) sweep(now time.Time) {
	if now.Sub(l.lastSweep) < max(l.idle, time.Minute) {
		return
	}
	l.lastSweep = now
	for id, b := range l.buckets {
		if now.Sub(b.at) >= l.idle {
			delete(l.buckets, id)
		}
	}
}
