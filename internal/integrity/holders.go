package integrity

import (
	"context"
	"fmt"
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/organization"
	"github.com/privhub/privhub/ent/vendor"
	"github.com/privhub/privhub/internal/apperr"
	"github.com/privhub/privhub/internal/pulid"
)

// reviewCadence is the default number of months between vendor reviews for
// each risk tier.
func reviewCadence(tier vendor.RiskTier) int {
	switch tier {
	case vendor.RiskTierHigh:
		return 12
	case vendor.RiskTierLow:
		return 36
	}
	return 24
}

// riskRank orders risk tiers from the highest risk down.
func riskRank(tier vendor.RiskTier) int {
	switch tier {
	case vendor.RiskTierHigh:
		return 1
	case vendor.RiskTierLow:
		return 3
	}
	return 2
}

func (r *rules) checkOrganization(ctx context.Context, m *ent.OrganizationMutation) error {
	code, set := m.CountryID()
	if err := r.checkCountry("countryID", code, set); err != nil {
		return err
	}
	parent, ok := m.ParentID()
	self, hasSelf := m.ID()
	if !ok || !hasSelf {
		return nil
	}
	return noCycle("parentID", "organization", self, parent, func(id pulid.ID) (*pulid.ID, error) {
		o, err := m.Client().Organization.Query().Where(organization.ID(id)).Only(ctx)
		if err != nil {
			return nil, err
		}
		return o.ParentID, nil
	})
}

func (r *rules) checkVendor(ctx context.Context, m *ent.VendorMutation) error {
	code, set := m.CountryID()
	if err := r.checkCountry("countryID", code, set); err != nil {
		return err
	}
	from, err := value(ctx, m.Op(), ptr(m.DpfActiveFrom()), isSet(m.DpfActiveFrom), m.DpfActiveFromCleared(), m.OldDpfActiveFrom)
	if err != nil {
		return err
	}
	until, err := value(ctx, m.Op(), ptr(m.DpfActiveUntil()), isSet(m.DpfActiveUntil), m.DpfActiveUntilCleared(), m.OldDpfActiveUntil)
	if err != nil {
		return err
	}
	if err := checkPeriod("dpfActiveUntil", from, until); err != nil {
		return err
	}
	if tier, ok := m.RiskTier(); ok {
		m.SetRiskRank(riskRank(tier))
	}
	if _, set := m.ReviewCadenceMonths(); !set && m.Op().Is(ent.OpCreate) {
		tier, ok := m.RiskTier()
		if !ok {
			tier = vendor.DefaultRiskTier
		}
		m.SetReviewCadenceMonths(reviewCadence(tier))
	}
	parent, ok := m.ParentID()
	self, hasSelf := m.ID()
	if !ok || !hasSelf {
		return nil
	}
	return noCycle("parentID", "vendor", self, parent, func(id pulid.ID) (*pulid.ID, error) {
		v, err := m.Client().Vendor.Query().Where(vendor.ID(id)).Only(ctx)
		if err != nil {
			return nil, err
		}
		return v.ParentID, nil
	})
}

func (r *rules) checkUser(ctx context.Context, m *ent.UserMutation) error {
	code, set := m.CountryID()
	return r.checkCountry("countryID", code, set)
}

func (r *rules) checkAdequacy(ctx context.Context, m *ent.AdequacyDecisionMutation) error {
	code, set := m.CountryID()
	if err := r.checkCountry("countryID", code, set); err != nil {
		return err
	}
	from, err := value(ctx, m.Op(), ptr(m.ValidFrom()), isSet(m.ValidFrom), false, func(ctx context.Context) (*time.Time, error) {
		t, err := m.OldValidFrom(ctx)
		return &t, err
	})
	if err != nil {
		return err
	}
	until, err := value(ctx, m.Op(), ptr(m.ValidUntil()), isSet(m.ValidUntil), m.ValidUntilCleared(), m.OldValidUntil)
	if err != nil {
		return err
	}
	return checkPeriod("validUntil", from, until)
}

// noCycle refuses to make parent the parent of self when self is parent or
// one of its ancestors.
func noCycle(field, what string, self, parent pulid.ID, parentOf func(pulid.ID) (*pulid.ID, error)) error {
	seen := map[pulid.ID]bool{}
	for cur := &parent; cur != nil; {
		if *cur == self {
			if parent == self {
				return apperr.Invalid(field, "a %s cannot be its own parent", what)
			}
			return apperr.Invalid(field, "%s %s is a descendant of this %s: the parent would make a cycle", what, parent, what)
		}
		if seen[*cur] {
			return nil
		}
		seen[*cur] = true
		next, err := parentOf(*cur)
		if ent.IsNotFound(err) {
			return apperr.Invalid(field, "no %s with ID %s", what, *cur)
		}
		if err != nil {
			return fmt.Errorf("walking %s parents: %w", what, err)
		}
		cur = next
	}
	return nil
}

// isSet adapts a mutation getter to value's "set" argument.
func isSet[T any](get func() (T, bool)) bool {
	_, ok := get()
	return ok
}
