// Package apitest drives privhub end to end in tests: a real HTTP server over
// a fresh real database, and GraphQL requests sent to it as a client would,
// each with an API token of the role the test chooses.
package apitest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/privhub/privhub/internal/auth"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/server"
	"github.com/privhub/privhub/internal/store"
)

// Server is a privhub HTTP server under test, and a client of it that sends
// one API token with every request.
type Server struct {
	*httptest.Server
	DB *store.DB
	// Token is the bearer token this client sends.
	Token string
	// Principal is who Token authenticates as.
	Principal *auth.Principal
	// authz, when not nil, is the Authorization header sent instead of
	// Token's ("" sends none).
	authz *string
	t     testing.TB
}

// New starts a server over db with the given configuration, and returns a
// client of it with an ADMIN token issued on db; it stops when the test
// ends. A request built by the test itself carries the token only through
// Authorize; test authentication with WithAuthorization, which sends
// exactly the header it is given, or none.
func New(t testing.TB, db *store.DB, cfg server.Config) *Server {
	t.Helper()
	return NewAs(t, db, cfg, auth.RoleAdmin, nil)
}

// NewAs is New with a token of the given role instead of ADMIN; userID is
// the user a SUBJECT token stands for (nil for other roles).
func NewAs(t testing.TB, db *store.DB, cfg server.Config, role auth.Role, userID *pulid.ID) *Server {
	t.Helper()
	token, p := issue(t, db, role, userID)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	s := httptest.NewServer(server.Handler(cfg, db, log))
	t.Cleanup(s.Close)
	return &Server{Server: s, DB: db, Token: token, Principal: p, t: t}
}

// As returns a client of the same server with a new token of the given
// role (and, for SUBJECT, user), for a new operator named after the role.
func (s *Server) As(role auth.Role, userID *pulid.ID) *Server {
	s.t.Helper()
	c := *s
	c.Token, c.Principal = issue(s.t, s.DB, role, userID)
	c.authz = nil
	return &c
}

// WithToken returns a client of the same server that sends token, e.g. one
// issued by the test itself.
func (s *Server) WithToken(token string) *Server {
	c := *s
	c.Token, c.Principal, c.authz = token, nil, nil
	return &c
}

// WithAuthorization returns a client of the same server that sends header
// as its Authorization header, verbatim, or no Authorization header at all
// when header is "".
func (s *Server) WithAuthorization(header string) *Server {
	c := *s
	c.authz = &header
	return &c
}

// issue makes a token of the role on db and checks that it authenticates
// (which also records its first use, so that the first request a test
// measures does not write it).
func issue(t testing.TB, db *store.DB, role auth.Role, userID *pulid.ID) (string, *auth.Principal) {
	t.Helper()
	ctx := context.Background()
	token, _, err := auth.Issue(ctx, db.Client, auth.IssueInput{Role: role, Name: "apitest " + string(role), UserID: userID})
	if err != nil {
		t.Fatalf("issuing a %s token: %v", role, err)
	}
	p, err := auth.Authenticate(ctx, db.Client, token, time.Now())
	if err != nil {
		t.Fatalf("authenticating the %s token: %v", role, err)
	}
	return token, p
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
	// Status is the HTTP status.
	Status int `json:"-"`
	// Header holds the HTTP response headers.
	Header http.Header `json:"-"`
	// Body is the response body as sent.
	Body   []byte          `json:"-"`
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

// Post sends a raw request body to /graphql, with the client's
// Authorization header.
func (s *Server) Post(body []byte) Response {
	s.t.Helper()
	req, err := http.NewRequest(http.MethodPost, s.URL+"/graphql", bytes.NewReader(body))
	if err != nil {
		s.t.Fatalf("making a request: %v", err)
	}
	req.Header.Set("Content-Type", "application/json")
	s.Authorize(req.Header)
	res, err := s.Client().Do(req)
	if err != nil {
		s.t.Fatalf("posting to /graphql: %v", err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		s.t.Fatalf("reading response: %v", err)
	}
	r := Response{Status: res.StatusCode, Header: res.Header, Body: raw}
	if err := json.Unmarshal(raw, &r); err != nil {
		s.t.Fatalf("decoding response (HTTP %d): %v\n%s", res.StatusCode, err, raw)
	}
	return r
}

// Authorize sets on h the Authorization header this client sends, for a
// request a test builds itself.
func (s *Server) Authorize(h http.Header) {
	switch {
	case s.authz == nil:
		h.Set("Authorization", "Bearer "+s.Token)
	case *s.authz == "":
		h.Del("Authorization")
	default:
		h.Set("Authorization", *s.authz)
	}
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
