package graph

import (
	"context"
	"fmt"
	"net/http"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/privhub/privhub/ent"
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

	wantOnce sync.Once
	want     bool // the operation selects a Holder field at all

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
			c.want = oc.Operation != nil && selects(oc.Doc, oc.Operation.SelectionSet, map[string]bool{})
		}
	})
	return c.want
}

func selects(doc *ast.QueryDocument, set ast.SelectionSet, visited map[string]bool) bool {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if holderFields[s.Name] || selects(doc, s.SelectionSet, visited) {
				return true
			}
		case *ast.InlineFragment:
			if selects(doc, s.SelectionSet, visited) {
				return true
			}
		case *ast.FragmentSpread:
			if f := doc.Fragments.ForName(s.Name); f != nil && !visited[s.Name] {
				visited[s.Name] = true
				if selects(doc, f.SelectionSet, visited) {
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
	c.mu.Lock()
	for _, h := range found {
		c.holders[h.HolderID()] = h
	}
	c.mu.Unlock()
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
