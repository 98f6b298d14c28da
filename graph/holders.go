package graph

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/vikstrous/dataloadgen"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/organization"
	"github.com/privhub/privhub/ent/vendor"
	"github.com/privhub/privhub/internal/apperr"
	"github.com/privhub/privhub/internal/pulid"
)

// holderLoaderKey is the context key of a request's holder loader.
type holderLoaderKey struct{}

// holderLoader batches the lookups of the organizations and vendors that
// transfers, records, parties and tasks point to: one query per kind for a
// whole page instead of one per row.
type holderLoader = dataloadgen.Loader[pulid.ID, ent.Holder]

// WithLoaders returns middleware that gives each HTTP request its own
// batching loaders over client.
func WithLoaders(client *ent.Client) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			l := dataloadgen.NewLoader(func(ctx context.Context, ids []pulid.ID) ([]ent.Holder, []error) {
				return loadHolders(ctx, client, ids)
			}, dataloadgen.WithWait(time.Millisecond), dataloadgen.WithBatchCapacity(maxNodes))
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), holderLoaderKey{}, l)))
		})
	}
}

// holderOf resolves the holder an object points to through one of its two
// references.
func holderOf(ctx context.Context, orgID, vendorID *pulid.ID) (ent.Holder, error) {
	var id pulid.ID
	switch {
	case orgID != nil:
		id = *orgID
	case vendorID != nil:
		id = *vendorID
	default:
		return nil, fmt.Errorf("object points to no holder")
	}
	l, ok := ctx.Value(holderLoaderKey{}).(*holderLoader)
	if !ok {
		return nil, fmt.Errorf("no holder loader in context")
	}
	return l.Load(ctx, id)
}

func loadHolders(ctx context.Context, client *ent.Client, ids []pulid.ID) ([]ent.Holder, []error) {
	var orgIDs, vendorIDs []pulid.ID
	for _, id := range ids {
		if id.Prefix() == ent.IDPrefix(organization.Table) {
			orgIDs = append(orgIDs, id)
		} else {
			vendorIDs = append(vendorIDs, id)
		}
	}
	found := make(map[pulid.ID]ent.Holder, len(ids))
	errs := make([]error, len(ids))
	if len(orgIDs) > 0 {
		orgs, err := client.Organization.Query().Where(organization.IDIn(orgIDs...)).All(ctx)
		if err != nil {
			return nil, fill(errs, fmt.Errorf("loading organizations: %w", err))
		}
		for _, o := range orgs {
			found[o.ID] = o
		}
	}
	if len(vendorIDs) > 0 {
		vendors, err := client.Vendor.Query().Where(vendor.IDIn(vendorIDs...)).All(ctx)
		if err != nil {
			return nil, fill(errs, fmt.Errorf("loading vendors: %w", err))
		}
		for _, v := range vendors {
			found[v.ID] = v
		}
	}
	out := make([]ent.Holder, len(ids))
	for i, id := range ids {
		if h, ok := found[id]; ok {
			out[i] = h
		} else {
			errs[i] = apperr.NotFoundf("holder %s not found", id)
		}
	}
	return out, errs
}

func fill(errs []error, err error) []error {
	for i := range errs {
		errs[i] = err
	}
	return errs
}
