package metrics

import (
	"net/http"
	"time"

	"github.com/privhub/privhub/internal/reqinfo"
)

// Instrument counts each request to the GraphQL endpoint next, times it
// and counts the codes of its errors, from what the layers inside recorded
// in the request's reqinfo.Info (see reqinfo.Extension). On a nil Metrics
// it returns next.
func (m *Metrics) Instrument(next http.Handler) http.Handler {
	if m == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		ctx, info := reqinfo.Start(r.Context())
		next.ServeHTTP(w, r.WithContext(ctx))
		m.observe(info.Snapshot(), time.Since(start))
	})
}

// observe records one finished request.
func (m *Metrics) observe(s reqinfo.Snapshot, took time.Duration) {
	op := m.ops.label(s.Operation, s.Named)
	m.requests.WithLabelValues(op, s.Outcome()).Inc()
	m.duration.WithLabelValues(op).Observe(took.Seconds())
	for _, c := range s.Codes {
		m.errors.WithLabelValues(c).Inc()
	}
}

// RateLimited counts one request refused for going over its token's rate.
func (m *Metrics) RateLimited() {
	if m != nil {
		m.rateLimited.Inc()
	}
}
