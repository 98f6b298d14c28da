// Package session exchanges an API token for a browser session: the token a
// person pastes once into the console becomes a new, short-lived API token of
// the same operator, which the browser keeps in an HttpOnly cookie and never
// sees. The session is therefore an API token like any other: stored as a
// hash in the database (so it survives restarts and is shared by every
// instance), authenticated by internal/auth with the same roles and the same
// redaction, listed by `privhub token list`, and ended by revoking it.
//
// Writes made with a session cookie carry a CSRF token in a header. The CSRF
// token is derived from the session token (a keyed hash), so the server keeps
// nothing more; a page from another site can neither read the cookie nor
// compute the CSRF token, and SameSite=Strict keeps the cookie off its
// requests in the first place.
package session

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/internal/apperr"
	"github.com/privhub/privhub/internal/audit"
	"github.com/privhub/privhub/internal/auth"
)

// CookieName names the cookie that carries the session token.
const CookieName = "privhub_session"

// CSRFHeader is the request header that must carry the session's CSRF token
// on every request made with the session cookie that may write.
const CSRFHeader = "X-CSRF-Token"

// TokenName names the API tokens that sessions are.
const TokenName = "console session"

// Lifetime is how long a session lasts from sign-in.
const Lifetime = 12 * time.Hour

// Session is a signed-in browser session.
type Session struct {
	// Token is the session's own API token, for the cookie only.
	Token string
	// CSRF is the token writes must carry in CSRFHeader.
	CSRF string
	// Principal is who the session acts as.
	Principal *auth.Principal
	// ExpiresAt is when the session ends unless signed out before.
	ExpiresAt time.Time
}

// Start signs in with an API token: it authenticates token at now and issues
// a session token for the same operator that expires after Lifetime (or when
// token itself expires, if sooner). A token that does not authenticate fails
// with an apperr.Unauthenticated error.
func Start(ctx context.Context, c *ent.Client, token string, now time.Time) (*Session, error) {
	p, err := auth.Authenticate(ctx, c, token, now)
	if err != nil {
		return nil, fmt.Errorf("signing in: %w", err)
	}
	lifetime := Lifetime
	parent, err := c.APIToken.Get(ctx, p.TokenID)
	if err != nil {
		return nil, fmt.Errorf("signing in: reading the token: %w", err)
	}
	if parent.ExpiresAt != nil && parent.ExpiresAt.Sub(now) < lifetime {
		lifetime = parent.ExpiresAt.Sub(now)
	}
	if lifetime < time.Second {
		return nil, apperr.Unauthenticatedf("the bearer token expires too soon to start a session")
	}
	// The new token is written under the operator's name in the audit trail.
	ctx = audit.WithActor(ctx, audit.Actor{Name: p.Name, Role: string(p.Role), RequestID: audit.ActorFrom(ctx).RequestID})
	op := p.OperatorID
	secret, tok, err := auth.Issue(ctx, c, auth.IssueInput{Name: TokenName, OperatorID: &op, ExpiresIn: lifetime})
	if err != nil {
		return nil, fmt.Errorf("signing in: %w", err)
	}
	sp, err := auth.Authenticate(ctx, c, secret, now)
	if err != nil {
		return nil, fmt.Errorf("signing in: checking the new session: %w", err)
	}
	s := &Session{Token: secret, CSRF: CSRFToken(secret), Principal: sp}
	if tok.ExpiresAt != nil {
		s.ExpiresAt = *tok.ExpiresAt
	}
	return s, nil
}

// Resume returns the session whose token is token at now, or an
// apperr.Unauthenticated error when it has ended or never was.
func Resume(ctx context.Context, c *ent.Client, token string, now time.Time) (*Session, error) {
	p, err := auth.Authenticate(ctx, c, token, now)
	if err != nil {
		return nil, fmt.Errorf("resuming a session: %w", err)
	}
	return &Session{Token: token, CSRF: CSRFToken(token), Principal: p}, nil
}

// End signs out: it revokes the session token, so that the cookie, should
// it be kept, no longer authenticates anywhere. Ending a session that has
// ended already changes nothing.
func End(ctx context.Context, c *ent.Client, token string, now time.Time) error {
	p, err := auth.Authenticate(ctx, c, token, now)
	if err != nil {
		if e, ok := apperr.As(err); ok && e.Code == apperr.Unauthenticated {
			return nil
		}
		return fmt.Errorf("signing out: %w", err)
	}
	ctx = audit.WithActor(ctx, audit.Actor{Name: p.Name, Role: string(p.Role), RequestID: audit.ActorFrom(ctx).RequestID})
	if _, err := auth.Revoke(ctx, c, p.TokenID); err != nil {
		return fmt.Errorf("signing out: %w", err)
	}
	return nil
}

// csrfKey separates the CSRF token's hash from any other use of the
// session token.
const csrfKey = "privhub console CSRF token v1"

// CSRFToken returns the CSRF token of the session whose token is token: an
// HMAC-SHA-256 of it, which only whoever holds the session token (the
// server, from the HttpOnly cookie) can compute.
func CSRFToken(token string) string {
	m := hmac.New(sha256.New, []byte(csrfKey))
	m.Write([]byte(token))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// CheckCSRF reports whether got is the CSRF token of the session token,
// comparing in constant time.
func CheckCSRF(token, got string) bool {
	want := CSRFToken(token)
	return got != "" && subtle.ConstantTimeCompare([]byte(want), []byte(got)) == 1
}
