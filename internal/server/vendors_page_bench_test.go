package server_test

// What a front-end's vendor page costs the server: the nested list query of
// the peer benchmark (../shared/bench, README "Performance"), in process.

import (
	"context"
	"fmt"
	"testing"

	"entgo.io/ent/dialect"
	"github.com/stretchr/testify/require"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/contract"
	"github.com/privhub/privhub/internal/apitest"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/server"
	"github.com/privhub/privhub/internal/store"
	"github.com/privhub/privhub/internal/store/storetest"
	"github.com/privhub/privhub/internal/vocab"
)

// vendorsPageQ is the hub's side of the peer benchmark's query.
const vendorsPageQ = `query VendorsPage($n: Int!) {
  vendors(first: $n, orderBy: {field: NAME}) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node {
      id name riskTier status
      country { code name eea }
      contractParties { id side capacity contract { title kind sccModule clause9Option expiresAt } }
      importedTransfers(first: 10) { edges { node { id mechanism regime activeFrom country { code } } } }
      exportedTransfers(first: 10) { edges { node { id mechanism importer { ... on Vendor { name country { code } } } } } }
    } }
  }
}`

// seedVendorsPage writes n vendors, each a party to six contracts,
// importing eight transfers from our organization and exporting four to
// other vendors (its subprocessors).
func seedVendorsPage(tb testing.TB, db *store.DB, n int) {
	tb.Helper()
	ctx := context.Background()
	c := db.Client
	org, err := c.Organization.Create().SetName("Privhub SA").SetCountryID("cty_BE").Save(ctx)
	require.NoError(tb, err)
	cat, err := c.DataCategory.Create().SetKey("contact.email").SetName("Email").Save(ctx)
	require.NoError(tb, err)
	countries := []pulid.ID{"cty_US", "cty_IN", "cty_FR", "cty_DE", "cty_JP"}
	vb := make([]*ent.VendorCreate, n)
	for i := range n {
		vb[i] = c.Vendor.Create().SetName(fmt.Sprintf("Vendor %04d", i)).SetCountryID(countries[i%len(countries)])
	}
	vendors, err := c.Vendor.CreateBulk(vb...).Save(ctx)
	require.NoError(tb, err)
	var cb []*ent.ContractCreate
	for i := range 6 * n {
		cb = append(cb, c.Contract.Create().SetTitle(fmt.Sprintf("Contract %05d", i)).SetKind(contract.KindDpa))
	}
	contracts, err := c.Contract.CreateBulk(cb...).Save(ctx)
	require.NoError(tb, err)
	var pb []*ent.ContractPartyCreate
	var tr []*ent.TransferCreate
	for i, v := range vendors {
		for k := range 6 {
			pb = append(pb, c.ContractParty.Create().SetContractID(contracts[6*i+k].ID).SetVendorID(v.ID).SetCapacity(vocab.RoleProcessor))
		}
		for range 8 {
			tr = append(tr, c.Transfer.Create().SetExporterOrganizationID(org.ID).SetImporterVendorID(v.ID).
				SetImporterRole(vocab.RoleProcessor).SetCountryID(v.CountryID).SetMechanism(vocab.MechanismSCC).AddCategoryIDs(cat.ID))
		}
		for k := 1; k <= 4; k++ {
			sub := vendors[(i+k)%n]
			tr = append(tr, c.Transfer.Create().SetExporterVendorID(v.ID).SetImporterVendorID(sub.ID).
				SetImporterRole(vocab.RoleSubprocessor).SetCountryID(sub.CountryID).SetMechanism(vocab.MechanismAdequacy).AddCategoryIDs(cat.ID))
		}
	}
	require.NoError(tb, c.ContractParty.CreateBulk(pb...).Exec(ctx))
	require.NoError(tb, c.Transfer.CreateBulk(tr...).Exec(ctx))
}

// BenchmarkVendorsPage asks for a page of 50 vendors with their country,
// contracts, transfers and subprocessors, over HTTP, as an ADMIN.
func BenchmarkVendorsPage(b *testing.B) {
	for _, d := range []string{dialect.SQLite, dialect.Postgres} {
		b.Run(d, func(b *testing.B) {
			db := storetest.Open(b, d)
			seedVendorsPage(b, db, 200)
			s := apitest.New(b, db, server.Config{})
			vars := map[string]any{"n": 50}
			if r := s.Do(vendorsPageQ, vars); len(r.Errors) > 0 {
				b.Fatalf("the page fails: %v", r.Errors)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if r := s.Do(vendorsPageQ, vars); len(r.Errors) > 0 {
					b.Fatalf("the page fails: %v", r.Errors)
				}
			}
		})
	}
}
