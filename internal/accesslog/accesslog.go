// Package accesslog writes one structured line per HTTP request: its ID,
// method and path, the GraphQL operation's name and type, the caller's
// role, the status, outcome and error codes, the size and the duration.
// It never writes a query string, a request body, a variable's value or a
// header, so neither personal data sent as variables nor tokens reach it.
package accesslog

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/privhub/privhub/internal/audit"
	"github.com/privhub/privhub/internal/reqinfo"
)

// Handler logs each request to next on log, at level Info, with the
// message "request". The request ID is the one the audit actor of the
// request's context carries (see server's withActor), so it must run
// inside the layer that sets it.
func Handler(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		ctx, info := reqinfo.Start(r.Context())
		rec := &recorder{ResponseWriter: w}
		next.ServeHTTP(rec, r.WithContext(ctx))
		took := time.Since(start)
		s := info.Snapshot()
		attrs := make([]slog.Attr, 0, 12)
		attrs = append(attrs,
			slog.String("request_id", audit.ActorFrom(ctx).RequestID),
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.Int("status", rec.statusCode()),
			slog.Int("bytes", rec.bytes),
			slog.Float64("duration_ms", float64(took.Microseconds())/1000),
		)
		if s.Named {
			attrs = append(attrs, slog.String("operation", s.Operation), slog.String("operation_type", s.Type))
		}
		if s.Role != "" {
			attrs = append(attrs, slog.String("role", s.Role))
		}
		if s.Named || len(s.Codes) > 0 {
			attrs = append(attrs, slog.String("outcome", s.Outcome()))
		}
		if len(s.Codes) > 0 {
			attrs = append(attrs, slog.Any("error_codes", s.Codes))
		}
		log.LogAttrs(ctx, slog.LevelInfo, "request", attrs...)
	})
}

// recorder remembers the status and size of a response.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int
}

// WriteHeader implements http.ResponseWriter.
func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

// Write implements http.ResponseWriter.
func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(b)
	r.bytes += n
	return n, err
}

// Flush implements http.Flusher when the wrapped writer does (server-sent
// events need it).
func (r *recorder) Flush() {
	if f, ok := r.ResponseWriter.(http.Flusher); ok {
		if r.status == 0 {
			r.status = http.StatusOK
		}
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the wrapped writer.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// statusCode is the status sent, 200 when the handler wrote nothing.
func (r *recorder) statusCode() int {
	if r.status == 0 {
		return http.StatusOK
	}
	return r.status
}
