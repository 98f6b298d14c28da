package server_test

// where filters and orderBy on the lists a DPO and an analyst use.

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/privhub/privhub/internal/server"
	"github.com/privhub/privhub/internal/store"
	"github.com/privhub/privhub/internal/store/storetest"
)

// vendorSet is a handful of vendors with different countries, statuses and
// risk tiers; Acme, Cloud Nine and Echo import transfers.
type vendorSet struct {
	org                            string
	acme, beta, cloud, delta, echo string
	toAcme, toCloud, acmeToEcho    string   // transfers
	created                        []string // vendor names in creation order
}

func (a *api) seedVendorSet() vendorSet {
	a.t.Helper()
	var s vendorSet
	s.org = a.create("Organization", map[string]any{"name": "Privhub SA", "countryID": "cty_BE"})
	mk := func(name, country, status, tier string) string {
		s.created = append(s.created, name)
		return a.create("Vendor", map[string]any{"name": name, "countryID": "cty_" + country, "status": status, "riskTier": tier})
	}
	// Created in an order that is neither alphabetical nor by country.
	s.cloud = mk("Cloud Nine", "FR", "ACTIVE", "MEDIUM")
	s.echo = mk("Echo Support", "IN", "OFFBOARDED", "HIGH")
	s.acme = mk("Acme Hosting", "US", "ACTIVE", "HIGH")
	s.delta = mk("Delta Payments", "US", "SUSPENDED", "MEDIUM")
	s.beta = mk("Beta Analytics", "DE", "PROPOSED", "LOW")

	cat := a.create("DataCategory", map[string]any{"key": "contact.email", "name": "Email"})
	tr := func(exporter map[string]any, importer, country, mechanism, role string) string {
		in := map[string]any{"importerVendorID": importer, "countryID": "cty_" + country, "mechanism": mechanism,
			"importerRole": role, "categoryIDs": []string{cat}}
		for k, v := range exporter {
			in[k] = v
		}
		return a.create("Transfer", in)
	}
	fromOrg := map[string]any{"exporterOrganizationID": s.org}
	s.toAcme = tr(fromOrg, s.acme, "US", "SCC", "PROCESSOR")
	s.toCloud = tr(fromOrg, s.cloud, "FR", "INTRA_EEA", "PROCESSOR")
	s.acmeToEcho = tr(map[string]any{"exporterVendorID": s.acme}, s.echo, "IN", "SCC", "SUBPROCESSOR")
	return s
}

// vendorNames lists the names of the vendors a where/orderBy selects.
func (a *api) vendorNames(where, order map[string]any) []string {
	a.t.Helper()
	d := a.data(`query($where: VendorWhereInput, $order: VendorOrder) {
		vendors(first: 100, where: $where, orderBy: $order) { totalCount edges { node { name } } } }`,
		map[string]any{"where": where, "order": order})
	nodes := edgeNodes(d["vendors"])
	require.Equal(a.t, float64(len(nodes)), dig(d, "vendors.totalCount"), "totalCount counts what the filter selects")
	return field(nodes, "name")
}

func TestVendorFilters(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db, server.Config{})
		a.seedVendorSet()
		cases := []struct {
			name  string
			where map[string]any
			want  []string
		}{
			{"nameContains", map[string]any{"nameContains": "Pay"}, []string{"Delta Payments"}},
			{"nameContains matches several", map[string]any{"nameContains": "o"}, []string{"Acme Hosting", "Cloud Nine", "Echo Support"}},
			{"status", map[string]any{"status": "ACTIVE"}, []string{"Acme Hosting", "Cloud Nine"}},
			{"statusIn", map[string]any{"statusIn": []string{"SUSPENDED", "OFFBOARDED"}}, []string{"Delta Payments", "Echo Support"}},
			{"riskTier", map[string]any{"riskTier": "HIGH"}, []string{"Acme Hosting", "Echo Support"}},
			{"country code", map[string]any{"countryID": "cty_US"}, []string{"Acme Hosting", "Delta Payments"}},
			{"country in the EU", map[string]any{"hasCountryWith": []any{map[string]any{"eu": true}}}, []string{"Beta Analytics", "Cloud Nine"}},
			{"hasImportedTransfers", map[string]any{"hasImportedTransfers": true}, []string{"Acme Hosting", "Cloud Nine", "Echo Support"}},
			{"no imported transfers", map[string]any{"hasImportedTransfers": false}, []string{"Beta Analytics", "Delta Payments"}},
			{"imports under SCCs", map[string]any{"hasImportedTransfersWith": []any{map[string]any{"mechanism": "SCC"}}}, []string{"Acme Hosting", "Echo Support"}},
			{"and", map[string]any{"and": []any{map[string]any{"countryID": "cty_US"}, map[string]any{"status": "ACTIVE"}}}, []string{"Acme Hosting"}},
			{"or", map[string]any{"or": []any{map[string]any{"countryID": "cty_DE"}, map[string]any{"countryID": "cty_IN"}}}, []string{"Beta Analytics", "Echo Support"}},
			{"not", map[string]any{"not": map[string]any{"status": "ACTIVE"}}, []string{"Beta Analytics", "Delta Payments", "Echo Support"}},
			{"nested", map[string]any{"or": []any{
				map[string]any{"and": []any{map[string]any{"riskTier": "HIGH"}, map[string]any{"not": map[string]any{"countryID": "cty_US"}}}},
				map[string]any{"riskTier": "LOW"},
			}}, []string{"Beta Analytics", "Echo Support"}},
			{"nothing matches", map[string]any{"countryID": "cty_JP"}, []string{}},
		}
		byName := map[string]any{"field": "NAME"}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				a := a.with(t)
				assert.Equal(t, c.want, a.vendorNames(c.where, byName))
			})
		}

		// A filter on an unknown enum value is a bad request.
		r := a.s.Do(`{ vendors(where: {status: RETIRED}) { totalCount } }`, nil)
		require.NotEmpty(t, r.Errors)
		assert.Less(t, r.Status, 500)
	})
}

// rank gives the position of each enum value in its natural order.
func rank(order ...string) func(string) int {
	return func(v string) int { return slices.Index(order, v) }
}

func TestVendorOrder(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db, server.Config{})
		s := a.seedVendorSet()
		all := []string{"Acme Hosting", "Beta Analytics", "Cloud Nine", "Delta Payments", "Echo Support"}

		t.Run("NAME", func(t *testing.T) {
			a := a.with(t)
			assert.Equal(t, all, a.vendorNames(nil, map[string]any{"field": "NAME", "direction": "ASC"}))
			desc := slices.Clone(all)
			slices.Reverse(desc)
			assert.Equal(t, desc, a.vendorNames(nil, map[string]any{"field": "NAME", "direction": "DESC"}))
		})

		t.Run("CREATED_AT", func(t *testing.T) {
			a := a.with(t)
			assert.Equal(t, s.created, a.vendorNames(nil, map[string]any{"field": "CREATED_AT"}))
			desc := slices.Clone(s.created)
			slices.Reverse(desc)
			assert.Equal(t, desc, a.vendorNames(nil, map[string]any{"field": "CREATED_AT", "direction": "DESC"}))
		})

		vendorsBy := func(a *api, order map[string]any, f string) []string {
			d := a.data(`query($order: VendorOrder) { vendors(first: 100, orderBy: $order) { edges { node { name riskTier status country { code } } } } }`,
				map[string]any{"order": order})
			return field(edgeNodes(d["vendors"]), f)
		}

		t.Run("COUNTRY", func(t *testing.T) {
			a := a.with(t)
			asc := vendorsBy(a, map[string]any{"field": "COUNTRY"}, "country.code")
			assert.Equal(t, []string{"DE", "FR", "IN", "US", "US"}, asc)
			desc := vendorsBy(a, map[string]any{"field": "COUNTRY", "direction": "DESC"}, "country.code")
			assert.Equal(t, []string{"US", "US", "IN", "FR", "DE"}, desc)
		})

		// Risk tiers sort by risk (HIGH > MEDIUM > LOW), the order the
		// VendorRiskTier enum declares, not alphabetically (which would
		// put LOW between HIGH and MEDIUM).
		t.Run("RISK_TIER", func(t *testing.T) {
			a := a.with(t)
			asc := vendorsBy(a, map[string]any{"field": "RISK_TIER", "direction": "ASC"}, "riskTier")
			desc := vendorsBy(a, map[string]any{"field": "RISK_TIER", "direction": "DESC"}, "riskTier")
			byRisk := rank("HIGH", "MEDIUM", "LOW")
			sorted := slices.IsSortedFunc(asc, func(x, y string) int { return byRisk(x) - byRisk(y) }) ||
				slices.IsSortedFunc(asc, func(x, y string) int { return byRisk(y) - byRisk(x) })
			assert.True(t, sorted, "vendors ordered by RISK_TIER come in risk order, got %v", asc)
			rev := slices.Clone(desc)
			slices.Reverse(rev)
			assert.Equal(t, asc, rev, "DESC is the reverse of ASC")
		})

		// Ties on the order field are broken the same way on every page:
		// paging two by two through COUNTRY order visits every vendor once.
		t.Run("COUNTRY paged", func(t *testing.T) {
			a := a.with(t)
			var got []string
			var after any
			for {
				d := a.data(`query($after: Cursor) { vendors(first: 2, after: $after, orderBy: {field: COUNTRY}) {
					pageInfo { hasNextPage endCursor } edges { node { name } } } }`, map[string]any{"after": after})
				got = append(got, field(edgeNodes(d["vendors"]), "name")...)
				if dig(d, "vendors.pageInfo.hasNextPage") != true {
					break
				}
				after = dig(d, "vendors.pageInfo.endCursor")
			}
			assert.ElementsMatch(t, all, got)
		})
	})
}

func TestUsersBySubjectKind(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db, server.Config{})
		kinds := map[string]string{"u1": "CUSTOMER", "u2": "EVENT_REGISTRANT", "u3": "CUSTOMER", "u4": "JOB_APPLICANT", "u5": "EVENT_REGISTRANT"}
		for _, ref := range []string{"u1", "u2", "u3", "u4", "u5"} {
			a.create("User", map[string]any{"externalRef": ref, "subjectKind": kinds[ref]})
		}
		refs := func(where map[string]any) []string {
			d := a.data(`query($where: UserWhereInput) { users(where: $where, orderBy: {field: EXTERNAL_REF}) { totalCount edges { node { externalRef subjectKind } } } }`,
				map[string]any{"where": where})
			nodes := edgeNodes(d["users"])
			assert.Equal(t, float64(len(nodes)), dig(d, "users.totalCount"))
			return field(nodes, "externalRef")
		}
		assert.Equal(t, []string{"u2", "u5"}, refs(map[string]any{"subjectKind": "EVENT_REGISTRANT"}))
		assert.Equal(t, []string{"u1", "u3"}, refs(map[string]any{"subjectKind": "CUSTOMER"}))
		assert.Equal(t, []string{"u1", "u3", "u4"}, refs(map[string]any{"subjectKindIn": []string{"CUSTOMER", "JOB_APPLICANT"}}))
		assert.Empty(t, refs(map[string]any{"subjectKind": "TRAINEE"}))

		d := a.data(`{ users(orderBy: {field: SUBJECT_KIND}) { edges { node { subjectKind } } } }`, nil)
		got := field(edgeNodes(d["users"]), "subjectKind")
		assert.Len(t, got, 5)
		assert.True(t, grouped(got), "users ordered by SUBJECT_KIND are grouped by kind: %v", got)
	})
}

// grouped reports whether equal values of vs are next to each other.
func grouped(vs []string) bool {
	seen := map[string]bool{}
	for i, v := range vs {
		if i > 0 && v != vs[i-1] && seen[v] {
			return false
		}
		seen[v] = true
	}
	return true
}

func TestTransfersByMechanism(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db, server.Config{})
		s := a.seedVendorSet()
		transfers := func(where map[string]any) []string {
			d := a.data(`query($where: TransferWhereInput) { transfers(where: $where) { totalCount edges { node { id mechanism } } } }`,
				map[string]any{"where": where})
			nodes := edgeNodes(d["transfers"])
			assert.Equal(t, float64(len(nodes)), dig(d, "transfers.totalCount"))
			return field(nodes, "id")
		}
		assert.ElementsMatch(t, []string{s.toAcme, s.acmeToEcho}, transfers(map[string]any{"mechanism": "SCC"}))
		assert.ElementsMatch(t, []string{s.toCloud}, transfers(map[string]any{"mechanism": "INTRA_EEA"}))
		assert.ElementsMatch(t, []string{s.toAcme, s.acmeToEcho, s.toCloud}, transfers(map[string]any{"mechanismIn": []string{"SCC", "INTRA_EEA"}}))
		assert.Empty(t, transfers(map[string]any{"mechanism": "DEROGATION"}))
		assert.ElementsMatch(t, []string{s.toCloud}, transfers(map[string]any{"mechanismNEQ": "SCC"}))
		assert.ElementsMatch(t, []string{s.acmeToEcho}, transfers(map[string]any{"mechanism": "SCC", "importerRole": "SUBPROCESSOR"}))

		d := a.data(`{ transfers(orderBy: {field: MECHANISM}) { edges { node { mechanism } } } }`, nil)
		assert.True(t, grouped(field(edgeNodes(d["transfers"]), "mechanism")))
	})
}

func TestRequestsOrderedByReceivedAt(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db, server.Config{})
		user := a.create("User", map[string]any{"externalRef": "acct-1", "subjectKind": "CUSTOMER"})
		// Created out of order, as history is loaded.
		received := []string{"2025-03-14T00:00:00Z", "2024-11-02T09:00:00Z", "2026-01-31T00:00:00Z", "2025-03-13T23:59:59Z", "2024-01-01T00:00:00Z"}
		refs := map[string]string{}
		for i, at := range received {
			ref := "DSR-" + string(rune('A'+i))
			a.create("Request", map[string]any{"userID": user, "kind": "ACCESS", "reference": ref, "receivedAt": at})
			refs[at] = ref
		}
		sorted := slices.Clone(received)
		slices.Sort(sorted) // RFC 3339 in UTC sorts as text
		var want []string
		for _, at := range sorted {
			want = append(want, refs[at])
		}

		order := func(dir string) []string {
			d := a.data(`query($dir: OrderDirection!) { requests(orderBy: {field: RECEIVED_AT, direction: $dir}) { edges { node { reference receivedAt } } } }`,
				map[string]any{"dir": dir})
			return field(edgeNodes(d["requests"]), "reference")
		}
		assert.Equal(t, want, order("ASC"))
		slices.Reverse(want)
		assert.Equal(t, want, order("DESC"))

		// Filtering on the date works too: what was received in 2025.
		d := a.data(`{ requests(where: {receivedAtGTE: "2025-01-01T00:00:00Z", receivedAtLT: "2026-01-01T00:00:00Z"}, orderBy: {field: RECEIVED_AT}) { totalCount edges { node { reference } } } }`, nil)
		assert.Equal(t, []string{refs["2025-03-13T23:59:59Z"], refs["2025-03-14T00:00:00Z"]}, field(edgeNodes(d["requests"]), "reference"))
	})
}
