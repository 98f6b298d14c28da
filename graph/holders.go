package graph

import (
	"context"
	"fmt"
	"net/http"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/country"
	"github.com/privhub/privhub/ent/organization"
	"github.com/privhub/privhub/ent/vendor"
	"github.com/privhub/privhub/internal/apperr"
	"github.com/privhub/privhub/internal/pulid"
)

// holderFields are the GraphQL fields that resolve to a Holder.
var holderFields = map[string]bool{"exporter": true, "importer": true, "collector": true, "holder": true}

// holderCacheKey is the context key of a request's holder cache.
type holderCacheKey struct{}

// holderCache keeps the organizations and vendors one GraphQL request refers
// to. Whenever the request loads a list of transfers, data records, contract
// parties or request tasks, the holders they point to are fetched at once
// (one query per kind), so that exporter, importer, collector and holder
// fields cost a fixed number of queries whatever the page size.
type holderCache struct {
	client *ent.Client

	wantOnce    sync.Once
	want        bool // the operation selects a Holder field at all
	wantCountry bool // and a holder's country

	mu      sync.Mutex
	holders map[pulid.ID]ent.Holder
}

// WithHolders returns middleware that gives each HTTP request its own holder
// cache over client.
func WithHolders(client *ent.Client) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			c := &holderCache{client: client, holders: map[pulid.ID]ent.Holder{}}
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), holderCacheKey{}, c)))
		})
	}
}

// PrefetchHolders installs on client the query interceptor that fills the
// request's holder cache from every list of objects pointing to holders.
func PrefetchHolders(client *ent.Client) {
	client.Intercept(ent.InterceptFunc(func(next ent.Querier) ent.Querier {
		return ent.QuerierFunc(func(ctx context.Context, q ent.Query) (ent.Value, error) {
			v, err := next.Query(ctx, q)
			if err != nil {
				return v, err
			}
			c, ok := ctx.Value(holderCacheKey{}).(*holderCache)
			if !ok || !c.wanted(ctx) {
				return v, nil
			}
			if err := c.load(ctx, referencedHolders(v)); err != nil {
				return nil, err
			}
			return v, nil
		})
	}))
}

// referencedHolders lists the holder IDs a query result points to.
func referencedHolders(v ent.Value) []*pulid.ID {
	var ids []*pulid.ID
	switch rows := v.(type) {
	case []*ent.Transfer:
		for _, t := range rows {
			ids = append(ids, t.ExporterOrganizationID, t.ExporterVendorID, t.ImporterOrganizationID, t.ImporterVendorID)
		}
	case []*ent.DataRecord:
		for _, r := range rows {
			ids = append(ids, r.CollectorOrganizationID, r.CollectorVendorID)
		}
	case []*ent.ContractParty:
		for _, p := range rows {
			ids = append(ids, p.OrganizationID, p.VendorID)
		}
	case []*ent.RequestTask:
		for _, t := range rows {
			ids = append(ids, t.OrganizationID, t.VendorID)
		}
	}
	return ids
}

// wanted reports whether the request's operation selects a Holder field.
func (c *holderCache) wanted(ctx context.Context) bool {
	c.wantOnce.Do(func() {
		if graphql.HasOperationContext(ctx) {
			oc := graphql.GetOperationContext(ctx)
			if oc.Operation != nil {
				c.want = selects(oc.Doc, oc.Operation.SelectionSet, isHolderField, map[string]bool{})
				c.wantCountry = selects(oc.Doc, oc.Operation.SelectionSet, selectsHolderCountry(oc.Doc), map[string]bool{})
			}
		}
	})
	return c.want
}

// isHolderField reports whether a field resolves to a Holder.
func isHolderField(f *ast.Field) bool { return holderFields[f.Name] }

// selectsHolderCountry returns a test for a Holder field that selects the
// holder's country.
func selectsHolderCountry(doc *ast.QueryDocument) func(*ast.Field) bool {
	isCountry := func(f *ast.Field) bool { return f.Name == "country" }
	return func(f *ast.Field) bool {
		return holderFields[f.Name] && selectsDirectly(doc, f.SelectionSet, isCountry, map[string]bool{})
	}
}

// selects reports whether set, at any depth, has a field that match accepts.
func selects(doc *ast.QueryDocument, set ast.SelectionSet, match func(*ast.Field) bool, visited map[string]bool) bool {
	return walkSelections(doc, set, match, true, visited)
}

// selectsDirectly reports whether set has, at its own level (through
// fragments), a field that match accepts.
func selectsDirectly(doc *ast.QueryDocument, set ast.SelectionSet, match func(*ast.Field) bool, visited map[string]bool) bool {
	return walkSelections(doc, set, match, false, visited)
}

func walkSelections(doc *ast.QueryDocument, set ast.SelectionSet, match func(*ast.Field) bool, deep bool, visited map[string]bool) bool {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if match(s) || deep && walkSelections(doc, s.SelectionSet, match, deep, visited) {
				return true
			}
		case *ast.InlineFragment:
			if walkSelections(doc, s.SelectionSet, match, deep, visited) {
				return true
			}
		case *ast.FragmentSpread:
			if f := doc.Fragments.ForName(s.Name); f != nil && !visited[s.Name] {
				visited[s.Name] = true
				if walkSelections(doc, f.SelectionSet, match, deep, visited) {
					return true
				}
			}
		}
	}
	return false
}

// load fetches the holders among ids that are not cached yet.
func (c *holderCache) load(ctx context.Context, ids []*pulid.ID) error {
	var orgIDs, vendorIDs []pulid.ID
	orgPrefix := ent.IDPrefix(organization.Table)
	c.mu.Lock()
	seen := map[pulid.ID]bool{}
	for _, id := range ids {
		if id == nil || seen[*id] || c.holders[*id] != nil {
			continue
		}
		seen[*id] = true
		if id.Prefix() == orgPrefix {
			orgIDs = append(orgIDs, *id)
		} else {
			vendorIDs = append(vendorIDs, *id)
		}
	}
	c.mu.Unlock()
	client := c.client
	if tx := ent.FromContext(ctx); tx != nil {
		client = tx // inside a mutation, see what it wrote
	}
	found := make([]ent.Holder, 0, len(orgIDs)+len(vendorIDs))
	if len(orgIDs) > 0 {
		orgs, err := client.Organization.Query().Where(organization.IDIn(orgIDs...)).All(ctx)
		if err != nil {
			return fmt.Errorf("loading organizations: %w", err)
		}
		for _, o := range orgs {
			found = append(found, o)
		}
	}
	if len(vendorIDs) > 0 {
		vendors, err := client.Vendor.Query().Where(vendor.IDIn(vendorIDs...)).All(ctx)
		if err != nil {
			return fmt.Errorf("loading vendors: %w", err)
		}
		for _, v := range vendors {
			found = append(found, v)
		}
	}
	if c.wantCountry {
		if err := withCountries(ctx, client, found); err != nil {
			return err
		}
	}
	c.mu.Lock()
	for _, h := range found {
		c.holders[h.HolderID()] = h
	}
	c.mu.Unlock()
	return nil
}

// withCountries loads the countries of holders with one query, so that a
// holder's country field costs nothing more per row.
func withCountries(ctx context.Context, client *ent.Client, holders []ent.Holder) error {
	var ids []pulid.ID
	seen := map[pulid.ID]bool{}
	for _, h := range holders {
		if id := h.HolderCountry(); !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	countries, err := client.Country.Query().Where(country.IDIn(ids...)).All(ctx)
	if err != nil {
		return fmt.Errorf("loading the holders' countries: %w", err)
	}
	byID := make(map[pulid.ID]*ent.Country, len(countries))
	for _, c := range countries {
		byID[c.ID] = c
	}
	for _, h := range holders {
		switch h := h.(type) {
		case *ent.Organization:
			h.Edges.Country = byID[h.HolderCountry()]
		case *ent.Vendor:
			h.Edges.Country = byID[h.HolderCountry()]
		}
	}
	return nil
}

// holderOf resolves the holder an object points to through one of its two
// references, from the request's cache when the list it came in was
// prefetched.
func holderOf(ctx context.Context, orgID, vendorID *pulid.ID) (ent.Holder, error) {
	id := orgID
	if id == nil {
		id = vendorID
	}
	if id == nil {
		return nil, fmt.Errorf("object points to no holder")
	}
	c, ok := ctx.Value(holderCacheKey{}).(*holderCache)
	if !ok {
		return nil, fmt.Errorf("no holder cache in context")
	}
	c.mu.Lock()
	h := c.holders[*id]
	c.mu.Unlock()
	if h != nil {
		return h, nil
	}
	if err := c.load(ctx, []*pulid.ID{id}); err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if h := c.holders[*id]; h != nil {
		return h, nil
	}
	return nil, apperr.NotFoundf("no organization or vendor has this ID")
}
