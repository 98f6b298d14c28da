// Package access decides what each role may read and call, down to the
// field: one table of rules (Policy) covers every field of the GraphQL
// schema, and one gqlgen field middleware (Guard) enforces it, so that a
// field without a rule is admin-only and resolvers never check roles.
package access

import "github.com/privhub/privhub/internal/auth"

// roles is a set of roles.
type roles uint8

// The roles as set members.
const (
	admin roles = 1 << iota
	dpo
	analyst
	viewer
	subject
)

// The sets rules are written with.
const (
	// onlyAdmin: tokens, operators, reference data writes, sweeps.
	onlyAdmin = admin
	// stewards: who writes the registry and handles requests (and reads the audit trail).
	stewards = admin | dpo
	// model: who reads the model, traces, findings and counts.
	model = admin | dpo | analyst
	// people: data about one person, which a subject sees for itself.
	people = model | subject
	// registry: the vendor and subprocessor registry, public to every role.
	registry = model | viewer | subject
)

// of returns the set member of a role.
func of(r auth.Role) roles {
	switch r {
	case auth.RoleAdmin:
		return admin
	case auth.RoleDPO:
		return dpo
	case auth.RoleAnalyst:
		return analyst
	case auth.RoleViewer:
		return viewer
	case auth.RoleSubject:
		return subject
	}
	return 0
}

// has reports whether the set holds the role.
func (s roles) has(r auth.Role) bool { return s&of(r) != 0 }
