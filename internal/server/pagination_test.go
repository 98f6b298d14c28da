package server_test

// Relay cursor pagination of the top-level lists: walking pages both ways,
// totalCount and pageInfo, the default and maximum page sizes, and bad
// pagination arguments.

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/internal/server"
	"github.com/privhub/privhub/internal/store"
	"github.com/privhub/privhub/internal/store/storetest"
	"github.com/privhub/privhub/internal/vocab"
)

const vendorPage = `query($first: Int, $after: Cursor, $last: Int, $before: Cursor, $order: VendorOrder) {
	vendors(first: $first, after: $after, last: $last, before: $before, orderBy: $order) {
		totalCount
		pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
		edges { cursor node { id name } }
	}
}`

// seedVendors creates n vendors named "Vendor 01"... through the API and
// returns their names in order.
func (a *api) seedVendors(n int) []string {
	a.t.Helper()
	var names []string
	for i := 1; i <= n; i++ {
		name := fmt.Sprintf("Vendor %02d", i)
		a.create("Vendor", map[string]any{"name": name, "countryID": "cty_FR"})
		names = append(names, name)
	}
	return names
}

// page is one page of a vendor connection.
type page struct {
	TotalCount int
	PageInfo   struct {
		HasNextPage, HasPreviousPage bool
		StartCursor, EndCursor       *string
	}
	Edges []struct {
		Cursor string
		Node   struct{ ID, Name string }
	}
}

func (p page) names() []string {
	var out []string
	for _, e := range p.Edges {
		out = append(out, e.Node.Name)
	}
	return out
}

func (a *api) vendorPage(vars map[string]any) page {
	a.t.Helper()
	var out struct{ Vendors page }
	a.s.MustDo(vendorPage, vars, &out)
	p := out.Vendors
	if len(p.Edges) > 0 {
		require.NotNil(a.t, p.PageInfo.StartCursor)
		require.NotNil(a.t, p.PageInfo.EndCursor)
		assert.Equal(a.t, p.Edges[0].Cursor, *p.PageInfo.StartCursor, "startCursor is the first edge's cursor")
		assert.Equal(a.t, p.Edges[len(p.Edges)-1].Cursor, *p.PageInfo.EndCursor, "endCursor is the last edge's cursor")
	}
	return p
}

func TestPaginationWalksForwardAndBackward(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db, server.Config{})
		names := a.seedVendors(25)
		byName := map[string]any{"field": "NAME", "direction": "ASC"}

		// Forward: 10, 10, 5.
		var got []string
		var after any
		for i, want := range []int{10, 10, 5} {
			p := a.vendorPage(map[string]any{"first": 10, "after": after, "order": byName})
			assert.Equal(t, 25, p.TotalCount, "totalCount counts the whole list on every page")
			require.Len(t, p.Edges, want, "page %d", i+1)
			assert.Equal(t, i < 2, p.PageInfo.HasNextPage, "hasNextPage on page %d", i+1)
			if i == 0 {
				assert.False(t, p.PageInfo.HasPreviousPage, "the first page has no previous page")
			}
			got = append(got, p.names()...)
			after = *p.PageInfo.EndCursor
		}
		assert.Equal(t, names, got, "walking forward visits every vendor once, in order")

		// Past the end: an empty page.
		p := a.vendorPage(map[string]any{"first": 10, "after": after, "order": byName})
		assert.Empty(t, p.Edges)
		assert.False(t, p.PageInfo.HasNextPage)
		assert.Equal(t, 25, p.TotalCount)

		// Backward: 10, 10, 5 from the end.
		var back []string
		var before any
		for i, want := range []int{10, 10, 5} {
			p := a.vendorPage(map[string]any{"last": 10, "before": before, "order": byName})
			assert.Equal(t, 25, p.TotalCount)
			require.Len(t, p.Edges, want, "page %d from the end", i+1)
			assert.Equal(t, i < 2, p.PageInfo.HasPreviousPage, "hasPreviousPage on page %d from the end", i+1)
			if i == 0 {
				assert.False(t, p.PageInfo.HasNextPage, "the last page has no next page")
			}
			assert.True(t, slices.IsSorted(p.names()), "a page read backwards is still in ascending order: %v", p.names())
			back = append(p.names(), back...)
			before = *p.PageInfo.StartCursor
		}
		assert.Equal(t, names, back, "walking backward visits every vendor once")

		// The default order (by ID) pages without losing or repeating anything.
		seen := map[string]bool{}
		after = nil
		for {
			p := a.vendorPage(map[string]any{"first": 7, "after": after})
			for _, e := range p.Edges {
				assert.False(t, seen[e.Node.ID], "vendor %s on two pages", e.Node.ID)
				seen[e.Node.ID] = true
			}
			if !p.PageInfo.HasNextPage {
				break
			}
			after = *p.PageInfo.EndCursor
		}
		assert.Len(t, seen, 25)

		// Descending order, second page.
		p1 := a.vendorPage(map[string]any{"first": 5, "order": map[string]any{"field": "NAME", "direction": "DESC"}})
		assert.Equal(t, []string{"Vendor 25", "Vendor 24", "Vendor 23", "Vendor 22", "Vendor 21"}, p1.names())
		p2 := a.vendorPage(map[string]any{"first": 5, "after": *p1.PageInfo.EndCursor, "order": map[string]any{"field": "NAME", "direction": "DESC"}})
		assert.Equal(t, []string{"Vendor 20", "Vendor 19", "Vendor 18", "Vendor 17", "Vendor 16"}, p2.names())
	})
}

func TestPageSizeIsCapped(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db, server.Config{})
		a.seedVendors(3)

		p := a.vendorPage(map[string]any{"first": 500})
		assert.Len(t, p.Edges, 3, "first: 500 is allowed")

		for _, arg := range []string{"first", "last"} {
			r := a.s.Do(vendorPage, map[string]any{arg: 501})
			requireOneError(t, r, "BAD_USER_INPUT", arg)
			assert.Contains(t, r.Errors[0].Message, "500")
		}

		// The cap holds on every top-level list, not only vendors.
		r := a.s.Do(`{ countries(first: 1000) { totalCount } }`, nil)
		requireOneError(t, r, "BAD_USER_INPUT", "first")
	})
}

func TestListWithoutFirstOrLastReturnsTheDefaultPage(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db, server.Config{})
		ctx := context.Background()
		builders := make([]*ent.UserCreate, 0, 60)
		for i := range 60 {
			builders = append(builders, a.db.Client.User.Create().SetExternalRef(fmt.Sprintf("acct-%02d", i)).SetSubjectKind(vocab.SubjectCustomer))
		}
		_, err := a.db.Client.User.CreateBulk(builders...).Save(ctx)
		require.NoError(t, err)

		var out struct {
			Users struct {
				TotalCount int
				PageInfo   struct{ HasNextPage bool }
				Edges      []struct{ Node struct{ ID string } }
			}
		}
		a.s.MustDo(`{ users { totalCount pageInfo { hasNextPage } edges { node { id } } } }`, nil, &out)
		assert.Len(t, out.Users.Edges, 50, "a list asked for without first or last returns 50 rows")
		assert.Equal(t, 60, out.Users.TotalCount)
		assert.True(t, out.Users.PageInfo.HasNextPage)

		// countries has 249 rows: the default page applies there too.
		d := a.data(`{ countries { totalCount pageInfo { hasNextPage } edges { node { id } } } }`, nil)
		assert.Len(t, dig(d, "countries.edges"), 50)
		assert.Equal(t, true, dig(d, "countries.pageInfo.hasNextPage"))
	})
}

func TestBadPaginationArgumentsAreBadUserInput(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db, server.Config{})
		a.seedWorld()
		cases := map[string]string{
			"first with last":         `{ vendors(first: 2, last: 2) { totalCount } }`,
			"malformed cursor":        `{ vendors(first: 2, after: "not-a-cursor") { edges { node { id } } } }`,
			"base64 but not a cursor": `{ vendors(first: 2, after: "aGVsbG8gd29ybGQ") { edges { node { id } } } }`,
			"malformed before cursor": `{ vendors(last: 2, before: "%%%") { edges { node { id } } } }`,
			"negative first":          `{ vendors(first: -1) { totalCount } }`,
			"nested malformed cursor": `{ vendors(first: 5) { edges { node { importedTransfers(first: 2, after: "garbage") { totalCount edges { node { id } } } } } } }`,
			"nested first with last":  `{ vendors(first: 5) { edges { node { importedTransfers(first: 2, last: 2) { totalCount } } } } }`,
		}
		for name, q := range cases {
			t.Run(name, func(t *testing.T) {
				a := a.with(t)
				r := a.s.Do(q, nil)
				assert.Less(t, r.Status, 500, "HTTP status")
				require.NotEmpty(t, r.Errors)
				for _, e := range r.Errors {
					assert.Equal(t, "BAD_USER_INPUT", e.Code(), "extensions.code of %q", e.Message)
					assert.NotContains(t, e.Message, "internal")
					assertCleanMessage(t, e.Message)
				}
			})
		}

		// An Int where a Cursor is expected is a bad request, not a crash.
		r := a.s.Do(`{ vendors(first: 2, after: 5) { totalCount } }`, nil)
		assert.Less(t, r.Status, 500, "HTTP status")
		require.NotEmpty(t, r.Errors)
		assert.NotEmpty(t, r.Errors[0].Code())
		assert.NotEqual(t, "INTERNAL", r.Errors[0].Code())
		assert.NotContains(t, r.Errors[0].Message, "internal")
	})
}
