// Package publiclist serves, without a token, the public list of the
// subprocessors our own organisations use as processors, and the log of
// every change they announced (GDPR Art. 28(2), SCC Clause 9(a)):
//
//	GET /subprocessors        an HTML page (no external assets, no script)
//	GET /subprocessors.json   the same as JSON
//	GET /subprocessors.atom   an Atom feed (RFC 4287) of the changes
//
// Each takes ?organization=NAME (or ID) to keep one organisation, and
// ?at=YYYY-MM-DD (or RFC 3339) for the list as of another instant than
// now. Every answer says of a subprocessor only what announce.Entry holds:
// its name, service, country, transfer mechanism, purposes and coarse data
// categories, with the change and its dates; never an ID, a person, a
// contract, a risk score or a finding.
package publiclist

import (
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/internal/announce"
	"github.com/privhub/privhub/internal/apperr"
)

// The paths the handlers are mounted at.
const (
	PagePath = "/subprocessors"
	JSONPath = "/subprocessors.json"
	AtomPath = "/subprocessors.atom"
)

// Mount registers the three public endpoints on mux.
func Mount(mux *http.ServeMux, c *ent.Client, log *slog.Logger) {
	s := &server{client: c, log: log, tmpl: parsePage()}
	mux.HandleFunc("GET "+PagePath, s.page)
	mux.HandleFunc("GET "+JSONPath, s.json)
	mux.HandleFunc("GET "+AtomPath, s.atom)
}

// server answers the public endpoints from the announcements.
type server struct {
	client *ent.Client
	log    *slog.Logger
	tmpl   *template.Template
}

// document is the JSON answer.
type document struct {
	AsOf          time.Time        `json:"asOf"`
	Organizations []*announce.List `json:"organizations"`
}

// lists reads the lists a request asks for; on failure it has answered.
func (s *server) lists(w http.ResponseWriter, r *http.Request) (time.Time, []*announce.List, bool) {
	at, err := instant(r.URL.Query().Get("at"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return at, nil, false
	}
	lists, err := announce.Lists(r.Context(), s.client, at, r.URL.Query().Get("organization"))
	if e, ok := apperr.As(err); ok && e.Code == apperr.NotFound {
		http.Error(w, e.Message, http.StatusNotFound)
		return at, nil, false
	}
	if err != nil {
		s.fail(r.Context(), w, err)
		return at, nil, false
	}
	return at, lists, true
}

// fail logs an unexpected failure and answers 500 without its details.
func (s *server) fail(ctx context.Context, w http.ResponseWriter, err error) {
	s.log.ErrorContext(ctx, "public subprocessor list", "err", err)
	http.Error(w, "internal error", http.StatusInternalServerError)
}

func (s *server) json(w http.ResponseWriter, r *http.Request) {
	at, lists, ok := s.lists(w, r)
	if !ok {
		return
	}
	body, err := json.MarshalIndent(document{AsOf: at, Organizations: lists}, "", "  ")
	if err != nil {
		s.fail(r.Context(), w, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	cacheable(w)
	_, _ = w.Write(append(body, '\n'))
}

// cacheable lets caches keep a public answer for five minutes.
func cacheable(w http.ResponseWriter) {
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Header().Set("X-Content-Type-Options", "nosniff")
}

// instant parses the at parameter: empty is now.
func instant(s string) (time.Time, error) {
	if s == "" {
		return time.Now().UTC().Truncate(time.Second), nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("at=%q: want YYYY-MM-DD or an RFC 3339 time", s)
	}
	return t.UTC(), nil
}
