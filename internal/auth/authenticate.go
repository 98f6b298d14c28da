package auth

import (
	"context"
	"crypto/subtle"
	"fmt"
	"time"

	"entgo.io/ent/dialect/sql"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/apitoken"
	"github.com/privhub/privhub/ent/operator"
	"github.com/privhub/privhub/internal/apperr"
	"github.com/privhub/privhub/internal/pulid"
)

// touchEvery is how stale a token's last_used_at may get before a request
// refreshes it: at most one write per token and minute, not one per request.
const touchEvery = time.Minute

// tokenRow is a token and its operator, as one query reads them.
type tokenRow struct {
	ID         string     `sql:"id"`
	SecretHash []byte     `sql:"secret_hash"`
	ExpiresAt  *time.Time `sql:"expires_at"`
	RevokedAt  *time.Time `sql:"revoked_at"`
	LastUsedAt *time.Time `sql:"last_used_at"`
	OperatorID string     `sql:"operator_id"`
	Name       string     `sql:"operator_name"`
	Role       string     `sql:"operator_role"`
	UserID     *string    `sql:"operator_user_id"`
	Disabled   bool       `sql:"operator_disabled"`
}

// Authenticate returns the principal behind a bearer token at the instant
// now. A malformed, unknown, expired or revoked token, or one whose operator
// is disabled, fails with an apperr.Unauthenticated error; any other error
// is the database's. It reads the token and its operator in one statement,
// and records the token's use (last_used_at) when the recorded use is more
// than a minute old.
//
// That record is written with a plain SQL UPDATE, outside ent's hooks: it
// is bookkeeping, not a change anyone makes, and auditing it would add an
// event to the hash chain per token and minute. It leaves updated_at alone.
func Authenticate(ctx context.Context, c *ent.Client, token string, now time.Time) (*Principal, error) {
	if !wellFormed(token) {
		return nil, apperr.Unauthenticatedf("the bearer token is malformed")
	}
	want := hashToken(token)
	row, dia, err := lookup(ctx, c, want)
	if err != nil {
		return nil, err
	}
	switch {
	case row == nil || subtle.ConstantTimeCompare(row.SecretHash, want) != 1:
		return nil, apperr.Unauthenticatedf("the bearer token is not known")
	case row.RevokedAt != nil:
		return nil, apperr.Unauthenticatedf("the bearer token has been revoked")
	case row.ExpiresAt != nil && !now.Before(*row.ExpiresAt):
		return nil, apperr.Unauthenticatedf("the bearer token has expired")
	case row.Disabled:
		return nil, apperr.Unauthenticatedf("the bearer token's operator is disabled")
	}
	p := &Principal{
		TokenID:    pulid.ID(row.ID),
		OperatorID: pulid.ID(row.OperatorID),
		Name:       row.Name,
		Role:       Role(row.Role),
	}
	if operator.RoleValidator(p.Role) != nil {
		return nil, apperr.Unauthenticatedf("the bearer token's operator has no valid role")
	}
	if p.Role == RoleSubject {
		if row.UserID == nil {
			// A SUBJECT stands for one user; without one it stands for none.
			return nil, apperr.Unauthenticatedf("the bearer token's operator stands for no user")
		}
		uid := pulid.ID(*row.UserID)
		p.UserID = &uid
	}
	if row.LastUsedAt == nil || now.Sub(*row.LastUsedAt) >= touchEvery {
		if err := touch(ctx, c, dia, p.TokenID, now); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// lookup reads the token whose hash is hash, with its operator, in one
// statement; it returns nil when there is none, and the database's dialect.
func lookup(ctx context.Context, c *ent.Client, hash []byte) (*tokenRow, string, error) {
	var (
		rows []tokenRow
		dia  string
	)
	err := c.APIToken.Query().
		Where(apitoken.SecretHash(hash), func(s *sql.Selector) {
			dia = s.Dialect()
			o := sql.Dialect(dia).Table(operator.Table)
			s.Join(o).On(s.C(apitoken.FieldOperatorID), o.C(operator.FieldID))
			s.AppendSelectAs(o.C(operator.FieldName), "operator_name").
				AppendSelectAs(o.C(operator.FieldRole), "operator_role").
				AppendSelectAs(o.C(operator.FieldUserID), "operator_user_id").
				AppendSelectAs(o.C(operator.FieldDisabled), "operator_disabled")
		}).
		Limit(1).
		Select(apitoken.FieldID, apitoken.FieldSecretHash, apitoken.FieldExpiresAt,
			apitoken.FieldRevokedAt, apitoken.FieldLastUsedAt, apitoken.FieldOperatorID).
		Scan(ctx, &rows)
	if err != nil {
		return nil, "", fmt.Errorf("looking up the bearer token: %w", err)
	}
	if len(rows) == 0 {
		return nil, dia, nil
	}
	return &rows[0], dia, nil
}

// touch records that token id was used at now.
func touch(ctx context.Context, c *ent.Client, dia string, id pulid.ID, now time.Time) error {
	query, args := sql.Dialect(dia).Update(apitoken.Table).
		Set(apitoken.FieldLastUsedAt, now).
		Where(sql.EQ(apitoken.FieldID, string(id))).
		Query()
	if _, err := c.ExecContext(ctx, query, args...); err != nil {
		return fmt.Errorf("recording the use of token %s: %w", id, err)
	}
	return nil
}
