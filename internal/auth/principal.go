// Package auth knows who calls the API: it issues API tokens (shown once,
// stored as a hash, compared in constant time), resolves a bearer token to
// the principal behind it, and revokes tokens. What a principal may do is
// decided by internal/access.
package auth

import (
	"context"

	"github.com/privhub/privhub/ent/operator"
	"github.com/privhub/privhub/internal/pulid"
)

// Role is what a principal may do; the values are the Operator roles.
type Role = operator.Role

// The roles, from the most to the least powerful.
const (
	RoleAdmin   = operator.RoleAdmin
	RoleDPO     = operator.RoleDpo
	RoleAnalyst = operator.RoleAnalyst
	RoleViewer  = operator.RoleViewer
	RoleSubject = operator.RoleSubject
)

// Principal is the caller of one request.
type Principal struct {
	// TokenID is the API token the request carried.
	TokenID pulid.ID
	// OperatorID is the operator the token belongs to.
	OperatorID pulid.ID
	// Name is the operator's name, as the audit trail records it.
	Name string
	// Role is the operator's role.
	Role Role
	// UserID is the data subject a SUBJECT principal is; nil for other roles.
	UserID *pulid.ID
}

type principalKey struct{}

// WithPrincipal returns ctx carrying p.
func WithPrincipal(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// FromContext returns the principal ctx carries, or nil.
func FromContext(ctx context.Context) *Principal {
	p, _ := ctx.Value(principalKey{}).(*Principal)
	return p
}
