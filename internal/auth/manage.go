package auth

import (
	"context"
	"fmt"
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/apitoken"
	"github.com/privhub/privhub/internal/apperr"
	"github.com/privhub/privhub/internal/pulid"
)

// Revoke revokes the token id from now on and returns it; revoking a
// revoked token changes nothing. An unknown id is an apperr.NotFound error.
func Revoke(ctx context.Context, c *ent.Client, id pulid.ID) (*ent.APIToken, error) {
	// Microseconds, as PostgreSQL keeps them: what is returned is what is stored.
	now := time.Now().Truncate(time.Microsecond)
	tok, err := c.APIToken.UpdateOneID(id).Where(apitoken.RevokedAtIsNil()).SetRevokedAt(now).Save(ctx)
	if ent.IsNotFound(err) {
		// Unknown, or revoked already.
		tok, err = c.APIToken.Get(ctx, id)
		if ent.IsNotFound(err) {
			return nil, apperr.NotFoundf("no token has this ID")
		}
	}
	if err != nil {
		return nil, fmt.Errorf("revoking token %s: %w", id, err)
	}
	return tok, nil
}

// List returns every token, revoked and expired ones included, oldest
// first, each with its operator edge loaded. Only hashes are stored, so no
// secret can be listed.
func List(ctx context.Context, c *ent.Client) ([]*ent.APIToken, error) {
	toks, err := c.APIToken.Query().
		WithOperator().
		Order(apitoken.ByCreatedAt(), apitoken.ByID()).
		All(ctx)
	if err != nil {
		return nil, fmt.Errorf("listing tokens: %w", err)
	}
	return toks, nil
}
