// Package apitest drives privhub end to end in tests: a real HTTP server over
// a fresh real database, and GraphQL requests sent to it as a client would.
package apitest

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/privhub/privhub/internal/server"
	"github.com/privhub/privhub/internal/store"
)

// Server is a privhub HTTP server under test.
type Server struct {
	*httptest.Server
	DB *store.DB
	t  testing.TB
}

// New starts a server over db with the given configuration; it stops when
// the test ends.
func New(t testing.TB, db *store.DB, cfg server.Config) *Server {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	s := httptest.NewServer(server.Handler(cfg, db, log))
	t.Cleanup(s.Close)
	return &Server{Server: s, DB: db, t: t}
}

// WithT returns a view of s that reports failures to t, for use inside a
// subtest (a failure must not be reported to the parent test).
func (s *Server) WithT(t testing.TB) *Server {
	c := *s
	c.t = t
	return &c
}

// Response is a GraphQL response as a client sees it.
type Response struct {
	Status int             `json:"-"`
	Data   json.RawMessage `json:"data"`
	Errors []Error         `json:"errors"`
}

// Error is one GraphQL error.
type Error struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

// Code returns the error's extensions.code.
func (e Error) Code() string { s, _ := e.Extensions["code"].(string); return s }

// Field returns the error's extensions.field.
func (e Error) Field() string { s, _ := e.Extensions["field"].(string); return s }

// Do posts a GraphQL operation and decodes the response; it fails the test
// only when the HTTP exchange itself fails.
func (s *Server) Do(query string, vars map[string]any) Response {
	s.t.Helper()
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		s.t.Fatalf("encoding request: %v", err)
	}
	return s.Post(body)
}

// Post sends a raw request body to /graphql.
func (s *Server) Post(body []byte) Response {
	s.t.Helper()
	res, err := http.Post(s.URL+"/graphql", "application/json", bytes.NewReader(body))
	if err != nil {
		s.t.Fatalf("posting to /graphql: %v", err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		s.t.Fatalf("reading response: %v", err)
	}
	r := Response{Status: res.StatusCode}
	if err := json.Unmarshal(raw, &r); err != nil {
		s.t.Fatalf("decoding response (HTTP %d): %v\n%s", res.StatusCode, err, raw)
	}
	return r
}

// MustDo posts an operation, fails the test on any GraphQL error, and decodes
// data into out (when out is not nil).
func (s *Server) MustDo(query string, vars map[string]any, out any) {
	s.t.Helper()
	r := s.Do(query, vars)
	if len(r.Errors) > 0 {
		s.t.Fatalf("unexpected errors: %+v", r.Errors)
	}
	if out != nil {
		if err := json.Unmarshal(r.Data, out); err != nil {
			s.t.Fatalf("decoding data: %v\n%s", err, r.Data)
		}
	}
}
