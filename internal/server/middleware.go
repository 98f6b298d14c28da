package server

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/privhub/privhub/internal/audit"
)

// limitBody caps the size of request bodies: one announced larger is
// refused at once, one streamed larger fails to read and the GraphQL
// transport refuses it; both get HTTP 413 and the code REQUEST_TOO_LARGE.
func limitBody(max int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > max {
			writeError(w, http.StatusRequestEntityTooLarge, RequestTooLarge,
				fmt.Sprintf("the request body is larger than the limit of %d bytes", max))
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, max)
		next.ServeHTTP(w, r)
	})
}

// withTimeout bounds the work done for one request through its context.
func withTimeout(d time.Duration, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), d)
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// requestIDHeader carries a request's ID, from the client when it sends a
// well-formed one, back to it in every case.
const requestIDHeader = "X-Request-Id"

// withActor puts into each request's context the audit actor its writes are
// recorded under: "anonymous" until authentication names one, with the
// request's ID, which the response echoes in X-Request-Id.
func withActor(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get(requestIDHeader)
		if !audit.ValidRequestID(id) {
			id = audit.NewRequestID()
		}
		w.Header().Set(requestIDHeader, id)
		ctx := audit.WithActor(r.Context(), audit.Actor{Name: "anonymous", RequestID: id})
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}
