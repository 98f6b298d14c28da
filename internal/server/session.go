package server

import (
	"encoding/json"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/internal/apperr"
	"github.com/privhub/privhub/internal/reqinfo"
	"github.com/privhub/privhub/internal/session"
)

// sessions serves /session, the console's sign-in (see internal/session):
//
//	POST   {"token": "phk_…"}  signs in: sets the HttpOnly session cookie and
//	                           answers who is signed in and the CSRF token
//	GET                        answers the same for the current cookie
//	DELETE                     signs out (needs the CSRF token): revokes the
//	                           session and clears the cookie
//
// Refusals are GraphQL-shaped errors with extensions.code, as on /graphql.
type sessions struct {
	client *ent.Client
	log    *slog.Logger
}

// sessionInfo is what /session answers about a signed-in session.
type sessionInfo struct {
	Name      string     `json:"name"`
	Role      string     `json:"role"`
	UserID    *string    `json:"userID,omitempty"`
	CSRFToken string     `json:"csrfToken"`
	ExpiresAt *time.Time `json:"expiresAt,omitempty"`
}

func (h sessions) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodPost:
		h.signIn(w, r)
	case http.MethodGet, http.MethodHead:
		h.current(w, r)
	case http.MethodDelete:
		h.signOut(w, r)
	default:
		w.Header().Set("Allow", "GET, HEAD, POST, DELETE")
		writeError(w, http.StatusMethodNotAllowed, MethodNotAllowed, "use POST to sign in, GET to see the session, DELETE to sign out")
	}
}

// signIn exchanges the posted API token for a session. The body must be
// JSON, which a cross-site form cannot send without a CORS preflight, and a
// request naming its origin must come from this one: no other site can sign
// a browser in with its own token.
func (h sessions) signIn(w http.ResponseWriter, r *http.Request) {
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		writeError(w, http.StatusUnsupportedMediaType, UnsupportedMediaType, `send {"token": "…"} as application/json`)
		return
	}
	if !sameOrigin(r) {
		h.forbid(w, r, "sign-in from another origin is refused")
		return
	}
	var body struct {
		Token string `json:"token"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		writeError(w, http.StatusBadRequest, BadRequest, `the body must be {"token": "…"}`)
		return
	}
	s, err := session.Start(r.Context(), h.client, strings.TrimSpace(body.Token), time.Now())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	reqinfo.From(r.Context()).SetRole(string(s.Principal.Role))
	http.SetCookie(w, &http.Cookie{
		Name:     session.CookieName,
		Value:    s.Token,
		Path:     "/",
		Expires:  s.ExpiresAt,
		MaxAge:   int(time.Until(s.ExpiresAt).Seconds()),
		HttpOnly: true,
		Secure:   r.TLS != nil,
		SameSite: http.SameSiteStrictMode,
	})
	h.answer(w, s)
}

// current answers who the session cookie signs in as.
func (h sessions) current(w http.ResponseWriter, r *http.Request) {
	c, err := r.Cookie(session.CookieName)
	if err != nil || c.Value == "" {
		h.fail(w, r, apperr.Unauthenticatedf("not signed in"))
		return
	}
	s, err := session.Resume(r.Context(), h.client, c.Value, time.Now())
	if err != nil {
		clearCookie(w, r)
		h.fail(w, r, err)
		return
	}
	reqinfo.From(r.Context()).SetRole(string(s.Principal.Role))
	h.answer(w, s)
}

// signOut ends the session of the cookie; it needs the CSRF token, so that
// another site cannot sign a person out.
func (h sessions) signOut(w http.ResponseWriter, r *http.Request) {
	c, err := r.Cookie(session.CookieName)
	if err != nil || c.Value == "" {
		clearCookie(w, r)
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusNoContent)
		return
	}
	if !session.CheckCSRF(c.Value, r.Header.Get(session.CSRFHeader)) {
		refuseCSRF(w, r)
		return
	}
	if err := session.End(r.Context(), h.client, c.Value, time.Now()); err != nil {
		h.fail(w, r, err)
		return
	}
	clearCookie(w, r)
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusNoContent)
}

// answer writes a session's description.
func (h sessions) answer(w http.ResponseWriter, s *session.Session) {
	info := sessionInfo{Name: s.Principal.Name, Role: string(s.Principal.Role), CSRFToken: s.CSRF}
	if s.Principal.UserID != nil {
		id := string(*s.Principal.UserID)
		info.UserID = &id
	}
	if !s.ExpiresAt.IsZero() {
		info.ExpiresAt = &s.ExpiresAt
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(info)
}

// fail answers an error of sign-in or of the session: 401 for credentials
// that do not authenticate, 500 (logged) for anything else.
func (h sessions) fail(w http.ResponseWriter, r *http.Request, err error) {
	if e, ok := apperr.As(err); ok && e.Code == apperr.Unauthenticated {
		reqinfo.From(r.Context()).AddCode(string(apperr.Unauthenticated))
		writeError(w, http.StatusUnauthorized, string(apperr.Unauthenticated), e.Message)
		return
	}
	reqinfo.From(r.Context()).AddCode(string(apperr.Internal))
	h.log.ErrorContext(r.Context(), "console session", "err", err)
	writeError(w, http.StatusInternalServerError, string(apperr.Internal), "internal error")
}

// forbid answers 403 FORBIDDEN.
func (h sessions) forbid(w http.ResponseWriter, r *http.Request, msg string) {
	reqinfo.From(r.Context()).AddCode(string(apperr.Forbidden))
	writeError(w, http.StatusForbidden, string(apperr.Forbidden), msg)
}

// clearCookie tells the browser to drop the session cookie.
func clearCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{
		Name: session.CookieName, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteStrictMode,
	})
}

// sameOrigin reports whether a request that names its Origin comes from
// the server's own origin (scheme and host); one that names none passes
// (a non-browser client, or a same-origin request of an old browser).
func sameOrigin(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" {
		return false
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return strings.EqualFold(u.Scheme, scheme) && strings.EqualFold(u.Host, r.Host)
}
