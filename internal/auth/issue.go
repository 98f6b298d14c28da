package auth

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/operator"
	"github.com/privhub/privhub/ent/user"
	"github.com/privhub/privhub/internal/apperr"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/store"
)

// IssueInput says which token to make, and for whom.
type IssueInput struct {
	// Role is the role of the operator made for the token. With OperatorID
	// it may be left empty; when given it must be that operator's role.
	Role Role
	// Name names the token and, when one is made, its operator; the audit
	// trail records the operator's name as the actor.
	Name string
	// UserID is the user a SUBJECT operator stands for: required for
	// SUBJECT, refused for every other role.
	UserID *pulid.ID
	// ExpiresIn is how long the token stays valid; zero means it never
	// expires.
	ExpiresIn time.Duration
	// OperatorID gives the token to an existing operator instead of making
	// a new one.
	OperatorID *pulid.ID
}

// Issue makes an API token, and the operator it belongs to unless
// in.OperatorID names one, in one transaction. It returns the token, which
// is shown this once (only its hash is kept), and the stored APIToken with
// its operator edge loaded. Bad input is an apperr.Invalid naming the field
// (role, name, userID, expiresIn, operatorID).
func Issue(ctx context.Context, c *ent.Client, in IssueInput) (token string, tok *ent.APIToken, err error) {
	name := strings.TrimSpace(in.Name)
	if name == "" {
		return "", nil, apperr.Invalid("name", "must not be empty")
	}
	if in.ExpiresIn < 0 {
		return "", nil, apperr.Invalid("expiresIn", "must not be negative")
	}
	token, err = newToken()
	if err != nil {
		return "", nil, fmt.Errorf("issuing a token: %w", err)
	}
	err = store.RunTx(ctx, c, func(ctx context.Context, c *ent.Client) error {
		op, err := operatorFor(ctx, c, in, name)
		if err != nil {
			return err
		}
		create := c.APIToken.Create().
			SetOperatorID(op.ID).
			SetName(name).
			SetHint(hint(token)).
			SetSecretHash(hashToken(token))
		if in.ExpiresIn > 0 {
			// Whole seconds: what is returned is what every database stores.
			create.SetExpiresAt(time.Now().Add(in.ExpiresIn).Truncate(time.Second))
		}
		tok, err = create.Save(ctx)
		if err != nil {
			return fmt.Errorf("storing the token: %w", err)
		}
		tok.Edges.Operator = op
		return nil
	})
	if err != nil {
		return "", nil, fmt.Errorf("issuing token %q: %w", name, err)
	}
	return token, tok, nil
}

// operatorFor returns the operator a new token belongs to: the existing one
// in.OperatorID names, checked against the rest of in, or a new one.
func operatorFor(ctx context.Context, c *ent.Client, in IssueInput, name string) (*ent.Operator, error) {
	if in.OperatorID != nil {
		return existingOperator(ctx, c, in)
	}
	if err := operator.RoleValidator(in.Role); err != nil {
		return nil, apperr.Invalid("role", "must be one of ADMIN, DPO, ANALYST, VIEWER or SUBJECT, not %q", in.Role)
	}
	switch {
	case in.Role == RoleSubject && in.UserID == nil:
		return nil, apperr.Invalid("userID", "a SUBJECT token needs the user it stands for")
	case in.Role != RoleSubject && in.UserID != nil:
		return nil, apperr.Invalid("userID", "only a SUBJECT token stands for a user, not a %s token", in.Role)
	}
	if in.UserID != nil {
		ok, err := c.User.Query().Where(user.ID(*in.UserID)).Exist(ctx)
		if err != nil {
			return nil, fmt.Errorf("finding user %s: %w", *in.UserID, err)
		}
		if !ok {
			return nil, apperr.Invalid("userID", "no user has this ID")
		}
	}
	op, err := c.Operator.Create().SetName(name).SetRole(in.Role).SetNillableUserID(in.UserID).Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("creating the operator: %w", err)
	}
	return op, nil
}

// existingOperator returns the operator in.OperatorID names, when it is
// enabled and agrees with the role and user in asks for.
func existingOperator(ctx context.Context, c *ent.Client, in IssueInput) (*ent.Operator, error) {
	op, err := c.Operator.Get(ctx, *in.OperatorID)
	if ent.IsNotFound(err) {
		return nil, apperr.Invalid("operatorID", "no operator has this ID")
	}
	if err != nil {
		return nil, fmt.Errorf("finding operator %s: %w", *in.OperatorID, err)
	}
	if op.Disabled {
		return nil, apperr.Invalid("operatorID", "operator %q is disabled", op.Name)
	}
	if in.Role != "" && in.Role != op.Role {
		return nil, apperr.Invalid("role", "operator %q is %s, not %s", op.Name, op.Role, in.Role)
	}
	if in.UserID != nil && (op.UserID == nil || *op.UserID != *in.UserID) {
		return nil, apperr.Invalid("userID", "operator %q does not stand for user %q", op.Name, *in.UserID)
	}
	return op, nil
}
