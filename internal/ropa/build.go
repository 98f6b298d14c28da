package ropa

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/datarecord"
	"github.com/privhub/privhub/ent/organization"
	"github.com/privhub/privhub/ent/purpose"
	"github.com/privhub/privhub/internal/law"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/retention"
)

// graph is what the records are derived from, read with one query per
// table.
type graph struct {
	at        time.Time
	orgs      map[pulid.ID]*ent.Organization
	vendors   map[pulid.ID]*ent.Vendor
	countries map[pulid.ID]*ent.Country
	purposes  map[pulid.ID]*ent.Purpose
	cats      map[pulid.ID]*ent.DataCategory
	active    []*ent.Transfer // active at at, with categories, purposes and contract
	measures  []*ent.SecurityMeasure
	policy    *retention.Policy
	// collected holds, per organisation that collected data, the purposes
	// of what it collected.
	collected map[pulid.ID][]pulid.ID
}

// Derive returns the Art. 30 records as of at; with organization set, only
// those of that organisation. An unknown organisation is an empty answer.
func Derive(ctx context.Context, c *ent.Client, organization *pulid.ID, at time.Time) (*Records, error) {
	g, err := load(ctx, c, at)
	if err != nil {
		return nil, err
	}
	out := &Records{At: at, Controllers: []*ControllerRecord{}, Processors: []*ProcessorRecord{}}
	for _, o := range g.byName() {
		if organization != nil && o.ID != *organization {
			continue
		}
		if g.controls(o) {
			out.Controllers = append(out.Controllers, g.controllerRecord(o))
		}
		if len(g.processingFor(o)) > 0 {
			out.Processors = append(out.Processors, g.processorRecord(o))
		}
	}
	return out, nil
}

func load(ctx context.Context, c *ent.Client, at time.Time) (*graph, error) {
	g := &graph{at: at, orgs: map[pulid.ID]*ent.Organization{}, vendors: map[pulid.ID]*ent.Vendor{},
		countries: map[pulid.ID]*ent.Country{}, purposes: map[pulid.ID]*ent.Purpose{}, cats: map[pulid.ID]*ent.DataCategory{},
		collected: map[pulid.ID][]pulid.ID{}}
	orgs, err := c.Organization.Query().All(ctx)
	if err != nil {
		return nil, fmt.Errorf("ropa: reading organizations: %w", err)
	}
	for _, o := range orgs {
		g.orgs[o.ID] = o
	}
	vendors, err := c.Vendor.Query().All(ctx)
	if err != nil {
		return nil, fmt.Errorf("ropa: reading vendors: %w", err)
	}
	for _, v := range vendors {
		g.vendors[v.ID] = v
	}
	countries, err := c.Country.Query().All(ctx)
	if err != nil {
		return nil, fmt.Errorf("ropa: reading countries: %w", err)
	}
	for _, k := range countries {
		g.countries[k.ID] = k
	}
	purposes, err := c.Purpose.Query().WithCategories().All(ctx)
	if err != nil {
		return nil, fmt.Errorf("ropa: reading purposes: %w", err)
	}
	for _, p := range purposes {
		g.purposes[p.ID] = p
	}
	cats, err := c.DataCategory.Query().All(ctx)
	if err != nil {
		return nil, fmt.Errorf("ropa: reading data categories: %w", err)
	}
	for _, k := range cats {
		g.cats[k.ID] = k
	}
	transfers, err := c.Transfer.Query().WithCategories().WithPurposes().WithContract().All(ctx)
	if err != nil {
		return nil, fmt.Errorf("ropa: reading transfers: %w", err)
	}
	for _, t := range transfers {
		if law.Within(at, &t.ActiveFrom, t.ActiveUntil) {
			g.active = append(g.active, t)
		}
	}
	slices.SortFunc(g.active, func(a, b *ent.Transfer) int {
		return cmp.Or(cmp.Compare(g.holderName(importerOf(a)), g.holderName(importerOf(b))), cmp.Compare(a.ID, b.ID))
	})
	if g.measures, err = c.SecurityMeasure.Query().WithOrganizations().Order(ent.Asc("name")).All(ctx); err != nil {
		return nil, fmt.Errorf("ropa: reading security measures: %w", err)
	}
	if g.policy, err = retention.LoadPolicy(ctx, c); err != nil {
		return nil, fmt.Errorf("ropa: %w", err)
	}
	// What each organisation collected, for which purposes: one query per
	// organisation that collected anything.
	collectors, err := c.Organization.Query().Where(organization.HasDataRecords()).IDs(ctx)
	if err != nil {
		return nil, fmt.Errorf("ropa: reading the collecting organizations: %w", err)
	}
	for _, id := range collectors {
		ps, err := c.Purpose.Query().Where(purpose.HasDataRecordsWith(
			datarecord.CollectorOrganizationID(id), datarecord.CollectedAtLTE(at))).IDs(ctx)
		if err != nil {
			return nil, fmt.Errorf("ropa: reading the purposes %s collected for: %w", id, err)
		}
		g.collected[id] = ps
	}
	return g, nil
}
