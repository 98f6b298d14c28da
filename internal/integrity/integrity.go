// Package integrity holds the rules every write must keep, whoever makes it:
// the GraphQL API, the CLI or the demo loader. The rules run as ent hooks
// inside the write's transaction and answer bad input with apperr.Invalid,
// naming the GraphQL input field at fault.
package integrity

import (
	"context"
	"fmt"
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/internal/apperr"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/refdata"
)

// Register installs the write rules on every entity client of c.
func Register(c *ent.Client) {
	r := &rules{countries: map[pulid.ID]bool{}}
	for _, k := range refdata.Countries() {
		r.countries[pulid.Country(k.Code)] = true
	}
	c.AdequacyDecision.Use(rule(r.checkAdequacy))
	c.Organization.Use(rule(r.checkOrganization))
	c.Vendor.Use(rule(r.checkVendor))
	c.Transfer.Use(rule(r.checkTransfer))
	c.Contract.Use(rule(r.checkContract))
	c.ContractParty.Use(rule(r.checkParty))
	c.DataCategory.Use(rule(r.checkCategory))
	c.DataRecord.Use(rule(r.checkRecord))
	c.User.Use(rule(r.checkUser))
	c.Request.Use(rule(r.checkRequest))
	c.RequestTask.Use(rule(r.checkTask))
	c.Assessment.Use(rule(r.checkAssessment))
	c.SubprocessorChange.Use(rule(r.checkSubprocessorChange))
}

// rule turns a check of one entity's creates and updates into an ent hook.
func rule[M ent.Mutation](check func(context.Context, M) error) ent.Hook {
	return func(next ent.Mutator) ent.Mutator {
		return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
			if m.Op().Is(ent.OpDelete) || m.Op().Is(ent.OpDeleteOne) {
				return next.Mutate(ctx, m)
			}
			typed, ok := m.(M)
			if !ok {
				return nil, fmt.Errorf("integrity: unexpected mutation %T", m)
			}
			if err := check(ctx, typed); err != nil {
				return nil, err
			}
			return next.Mutate(ctx, m)
		})
	}
}

// value returns what a field holds once a mutation is applied: the new value
// when the mutation sets it, the zero value when it clears it, and otherwise
// the stored value (for an update of one row) or the zero value.
func value[T any](ctx context.Context, op ent.Op, newV T, set, cleared bool, old func(context.Context) (T, error)) (T, error) {
	var zero T
	switch {
	case set:
		return newV, nil
	case cleared, !op.Is(ent.OpUpdateOne):
		return zero, nil
	}
	v, err := old(ctx)
	if err != nil {
		return zero, fmt.Errorf("reading stored value: %w", err)
	}
	return v, nil
}

// ptr returns a pointer to v when ok, nil otherwise.
func ptr[T any](v T, ok bool) *T {
	if !ok {
		return nil
	}
	return &v
}

// rules holds what the write rules need besides the mutation itself.
type rules struct {
	// countries is the set of ISO 3166-1 codes of the reference data, which
	// every database holds and no API call changes.
	countries map[pulid.ID]bool
}

// checkCountry refuses a country code that is not in the reference data.
func (r *rules) checkCountry(field string, code pulid.ID, set bool) error {
	if set && !r.countries[code] {
		return apperr.Invalid(field, "names no country: use the ID of a country, such as the one of Belgium")
	}
	return nil
}

// checkPeriod refuses an end before a start.
func checkPeriod(field string, start, end *time.Time) error {
	if start != nil && end != nil && end.Before(*start) {
		return apperr.Invalid(field, "%s is before the start %s", end.Format(time.DateOnly), start.Format(time.DateOnly))
	}
	return nil
}

// ref is one optional reference a mutation may set, clear or leave alone.
type ref struct {
	get     func() (pulid.ID, bool)
	cleared bool
	old     func(context.Context) (*pulid.ID, error)
}

// value returns the ID the reference holds once the mutation is applied.
func (f ref) value(ctx context.Context, op ent.Op) (*pulid.ID, error) {
	return value(ctx, op, ptr(f.get()), isSet(f.get), f.cleared, f.old)
}

// holder checks that exactly one of an organization and a vendor reference
// is set once a create or an update of one row is applied, and returns it.
func holder(ctx context.Context, op ent.Op, field, what string, org, vnd ref) (pulid.ID, error) {
	if !op.Is(ent.OpCreate) && !op.Is(ent.OpUpdateOne) {
		return "", nil
	}
	a, err := org.value(ctx, op)
	if err != nil {
		return "", err
	}
	b, err := vnd.value(ctx, op)
	if err != nil {
		return "", err
	}
	switch {
	case (a == nil) == (b == nil):
		return "", apperr.Invalid(field, "give exactly one %s: an organization or a vendor", what)
	case a != nil:
		return *a, nil
	}
	return *b, nil
}
