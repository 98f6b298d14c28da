package main

import (
	"context"
	"fmt"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/purpose"
	"github.com/privhub/privhub/ent/request"
	"github.com/privhub/privhub/ent/user"
	"github.com/privhub/privhub/ent/vendor"
	"github.com/privhub/privhub/internal/pulid"
)

// findUser finds a user by ID, e-mail address or external reference.
func findUser(ctx context.Context, c *ent.Client, who string) (*ent.User, error) {
	return first(ctx, c.User.Query().Where(user.Or(user.ID(pulid.ID(who)), user.Email(who), user.ExternalRef(who))).First,
		"user", "ID, e-mail or reference", who)
}

// findRequest finds a request by ID or case number (e.g. DSR-003).
func findRequest(ctx context.Context, c *ent.Client, ref string) (*ent.Request, error) {
	return first(ctx, c.Request.Query().Where(request.Or(request.ID(pulid.ID(ref)), request.Reference(ref))).First,
		"request", "ID or reference", ref)
}

// findPurpose finds a purpose by ID or key (e.g. marketing).
func findPurpose(ctx context.Context, c *ent.Client, ref string) (*ent.Purpose, error) {
	return first(ctx, c.Purpose.Query().Where(purpose.Or(purpose.ID(pulid.ID(ref)), purpose.Key(ref))).First,
		"purpose", "ID or key", ref)
}

// findVendor finds a vendor by ID or name.
func findVendor(ctx context.Context, c *ent.Client, ref string) (*ent.Vendor, error) {
	return first(ctx, c.Vendor.Query().Where(vendor.Or(vendor.ID(pulid.ID(ref)), vendor.Name(ref))).First,
		"vendor", "ID or name", ref)
}

// first runs a lookup and words a miss for people.
func first[T any](ctx context.Context, get func(context.Context) (T, error), kind, by, ref string) (T, error) {
	v, err := get(ctx)
	if ent.IsNotFound(err) {
		return v, fmt.Errorf("no %s with %s %q", kind, by, ref)
	}
	if err != nil {
		return v, fmt.Errorf("finding %s %q: %w", kind, ref, err)
	}
	return v, nil
}
