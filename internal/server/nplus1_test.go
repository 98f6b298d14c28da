package server_test

// How many SQL statements a nested list query costs: it must not grow with
// the page size (no N+1 queries), holders included.

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/contract"
	"github.com/privhub/privhub/internal/apitest"
	"github.com/privhub/privhub/internal/integrity"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/server"
	"github.com/privhub/privhub/internal/store"
	"github.com/privhub/privhub/internal/store/storetest"
	"github.com/privhub/privhub/internal/vocab"
)

const nestedVendorsQ = `query($n: Int!) { vendors(first: $n) { totalCount edges { node {
	name
	country { code name }
	contractParties { contract { title kind } }
	importedTransfers(first: 5) { totalCount edges { node {
		mechanism
		exporter { __typename name }
		importer { name ... on Vendor { country { code } } }
		country { code }
	} } }
} } } }`

// maxNestedStatements is what the query above may cost whatever the page
// size: one statement per level and edge (vendors and their count,
// countries, parties, contracts, transfers and their counts, transfer
// countries, organizations, vendors as holders and their countries), with a
// little slack.
const maxNestedStatements = 12

// seedNested writes n vendors, each importing two transfers from our
// organization and party to a contract, with the ent client (the seed is
// not what is measured).
func seedNested(t *testing.T, db *store.DB, n int) {
	t.Helper()
	ctx := context.Background()
	c := db.Client
	org, err := c.Organization.Create().SetName("Privhub SA").SetCountryID("cty_BE").Save(ctx)
	require.NoError(t, err)
	cat, err := c.DataCategory.Create().SetKey("contact.email").SetName("Email").Save(ctx)
	require.NoError(t, err)
	dpa, err := c.Contract.Create().SetTitle("Master DPA").SetKind(contract.KindDpa).Save(ctx)
	require.NoError(t, err)

	countries := []pulid.ID{"cty_US", "cty_IN", "cty_FR", "cty_DE", "cty_JP"}
	vb := make([]*ent.VendorCreate, n)
	for i := range n {
		vb[i] = c.Vendor.Create().SetName(fmt.Sprintf("Vendor %03d", i)).SetCountryID(countries[i%len(countries)])
	}
	vendors, err := c.Vendor.CreateBulk(vb...).Save(ctx)
	require.NoError(t, err)

	var tb []*ent.TransferCreate
	var pb []*ent.ContractPartyCreate
	for i, v := range vendors {
		for _, mech := range []vocab.Mechanism{vocab.MechanismSCC, vocab.MechanismAdequacy} {
			tb = append(tb, c.Transfer.Create().SetExporterOrganizationID(org.ID).SetImporterVendorID(v.ID).
				SetImporterRole(vocab.RoleProcessor).SetCountryID(countries[i%len(countries)]).SetMechanism(mech).
				AddCategoryIDs(cat.ID))
		}
		pb = append(pb, c.ContractParty.Create().SetContractID(dpa.ID).SetVendorID(v.ID).SetCapacity(vocab.RoleProcessor))
	}
	require.NoError(t, c.Transfer.CreateBulk(tb...).Exec(ctx))
	require.NoError(t, c.ContractParty.CreateBulk(pb...).Exec(ctx))
}

// countingServer starts a server over the same database whose ent client
// counts every statement it sends.
func countingServer(t *testing.T, db *store.DB) (*apitest.Server, *atomic.Int64) {
	t.Helper()
	var n atomic.Int64
	drv := dialect.DebugWithContext(entsql.OpenDB(db.Dialect, db.SQL), func(context.Context, ...any) { n.Add(1) })
	client := ent.NewClient(ent.Driver(drv))
	integrity.Register(client)
	return apitest.New(t, &store.DB{Client: client, SQL: db.SQL, Dialect: db.Dialect}, server.Config{}), &n
}

func TestNestedListQueryHasNoNPlusOne(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		seedNested(t, db, 120)
		s, n := countingServer(t, db)

		measure := func(size int) int64 {
			t.Helper()
			var out struct {
				Vendors struct {
					TotalCount int
					Edges      []struct {
						Node struct {
							Name              string
							Country           struct{ Code, Name string }
							ContractParties   []struct{ Contract struct{ Title, Kind string } }
							ImportedTransfers struct {
								TotalCount int
								Edges      []struct {
									Node struct {
										Mechanism string
										Exporter  struct {
											Typename string `json:"__typename"`
											Name     string
										}
										Importer struct {
											Name    string
											Country struct{ Code string }
										}
										Country struct{ Code string }
									}
								}
							}
						}
					}
				}
			}
			n.Store(0)
			s.MustDo(nestedVendorsQ, map[string]any{"n": size}, &out)
			count := n.Load()

			// The answer is complete and right, not just cheap.
			require.Equal(t, 120, out.Vendors.TotalCount)
			require.Len(t, out.Vendors.Edges, size)
			for _, e := range out.Vendors.Edges {
				v := e.Node
				require.NotEmpty(t, v.Country.Name)
				require.Len(t, v.ContractParties, 1)
				assert.Equal(t, "Master DPA", v.ContractParties[0].Contract.Title)
				require.Equal(t, 2, v.ImportedTransfers.TotalCount)
				require.Len(t, v.ImportedTransfers.Edges, 2)
				for _, te := range v.ImportedTransfers.Edges {
					assert.Equal(t, "Organization", te.Node.Exporter.Typename)
					assert.Equal(t, "Privhub SA", te.Node.Exporter.Name)
					assert.Equal(t, v.Name, te.Node.Importer.Name)
					assert.Equal(t, v.Country.Code, te.Node.Importer.Country.Code, "a holder's country comes with the holder")
					assert.Equal(t, v.Country.Code, te.Node.Country.Code)
				}
			}
			return count
		}

		// Twice each, to see whether the count is stable from run to run.
		small := []int64{measure(10), measure(10)}
		large := []int64{measure(100), measure(100)}
		t.Logf("%s: statements at page size 10: %d, at 100: %d (second runs: %d and %d)",
			db.Dialect, small[0], large[0], small[1], large[1])

		assert.Equal(t, small[0], large[0], "the statement count does not grow with the page size")
		assert.Equal(t, small[1], large[1], "the statement count does not grow with the page size (second run)")
		for _, c := range append(small, large...) {
			assert.LessOrEqual(t, c, int64(maxNestedStatements), "a nested list query costs a handful of statements")
		}
	})
}
