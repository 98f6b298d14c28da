package server_test

import (
	"context"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/privhub/privhub/internal/apitest"
	"github.com/privhub/privhub/internal/demo"
	"github.com/privhub/privhub/internal/server"
	"github.com/privhub/privhub/internal/store"
	"github.com/privhub/privhub/internal/store/storetest"
)

// invalidTransfersAt asks the API which transfers have no valid mechanism at
// an instant, by the importer's name.
func invalidTransfersAt(t *testing.T, s *apitest.Server, at string) []string {
	var d struct {
		Findings struct {
			Edges []struct {
				Node struct {
					Historic bool
					Rule     struct{ InvalidatesTransfer bool }
					Evidence []struct{ Kind, Label string }
					TargetID string
				}
			}
		}
	}
	s.MustDo(`query($at: Time) { findings(at: $at, first: 500, where: {targetType: "Transfer"}) { edges { node {
		historic targetID rule { invalidatesTransfer } } } } }`, map[string]any{"at": at}, &d)
	var ids []string
	for _, e := range d.Findings.Edges {
		if e.Node.Rule.InvalidatesTransfer && !e.Node.Historic {
			ids = append(ids, e.Node.TargetID)
		}
	}
	var names []string
	for _, id := range ids {
		var n struct {
			Node struct{ Importer struct{ Name string } }
		}
		s.MustDo(`query($id: ID!) { node(id: $id) { ... on Transfer { importer { name } } } }`, map[string]any{"id": id}, &n)
		names = append(names, n.Node.Importer.Name)
	}
	slices.Sort(names)
	return names
}

// TestFindingsOnTheDemo: the three-instant table of DEMO.md through
// findings(at:), the summary as of 2026-06-30, a vendor's findings and
// paging through the findings connection.
func TestFindingsOnTheDemo(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		_, err := demo.Load(context.Background(), db.Client)
		require.NoError(t, err)
		s := apitest.New(t, db, server.Config{})

		assert.Equal(t, []string{"Konkan Meetups Pvt Ltd", "Paulista Sistemas Ltda", "Relaybox Inc."},
			invalidTransfersAt(t, s, "2025-06-01T00:00:00Z"))
		assert.Equal(t, []string{"Konkan Meetups Pvt Ltd", "Paulista Sistemas Ltda", "Relaybox Inc.", "Slotbook Scheduling Inc."},
			invalidTransfersAt(t, s, "2026-01-15T00:00:00Z"))
		assert.Equal(t, []string{"Konkan Meetups Pvt Ltd", "Pearl Venue Hospitality WLL", "Relaybox Inc.", "Slotbook Scheduling Inc."},
			invalidTransfersAt(t, s, "2026-06-30T00:00:00Z"))

		var sum struct {
			ComplianceSummary struct {
				Total, InvalidTransfers int
				ByRule                  []struct {
					Rule  struct{ ID string }
					Count int
				}
			}
			Vendors struct {
				Edges []struct {
					Node struct {
						Findings []struct{ Rule struct{ ID string } }
					}
				}
			}
		}
		s.MustDo(`{ complianceSummary(at: "2026-06-30T00:00:00Z") { total invalidTransfers byRule { rule { id } count } }
			vendors(where: {name: "Heatmapr Ltd"}) { edges { node { findings(at: "2026-06-30T00:00:00Z") { rule { id } } } } } }`, nil, &sum)
		assert.Equal(t, 18, sum.ComplianceSummary.Total)
		assert.Equal(t, 4, sum.ComplianceSummary.InvalidTransfers)
		counts := map[string]int{}
		for _, r := range sum.ComplianceSummary.ByRule {
			counts[r.Rule.ID] = r.Count
		}
		assert.Equal(t, 2, counts["transfer.tia-missing"])
		assert.Equal(t, 2, counts["retention.expired"])
		assert.Equal(t, 1, counts["dpa.missing"])
		require.Len(t, sum.Vendors.Edges, 1)
		require.Len(t, sum.Vendors.Edges[0].Node.Findings, 1)
		assert.Equal(t, "dpa.missing", sum.Vendors.Edges[0].Node.Findings[0].Rule.ID)

		// Paging: three pages of 6 cover the 18 findings once each.
		seen := map[string]bool{}
		var after any
		for page := 0; ; page++ {
			require.Less(t, page, 4)
			var p struct {
				Findings struct {
					TotalCount int
					PageInfo   struct {
						HasNextPage bool
						EndCursor   string
					}
					Edges []struct{ Node struct{ ID string } }
				}
			}
			s.MustDo(`query($after: Cursor) { findings(at: "2026-06-30T00:00:00Z", first: 6, after: $after, orderBy: {field: RULE}) {
				totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }`, map[string]any{"after": after}, &p)
			assert.Equal(t, 18, p.Findings.TotalCount)
			for _, e := range p.Findings.Edges {
				assert.False(t, seen[e.Node.ID], "finding %s on two pages", e.Node.ID)
				seen[e.Node.ID] = true
			}
			if !p.Findings.PageInfo.HasNextPage {
				break
			}
			after = p.Findings.PageInfo.EndCursor
		}
		assert.Len(t, seen, 18)
	})
}

// TestFindingsFollowWrites: a write is reflected in the next answer (the
// checker's cache is never stale).
func TestFindingsFollowWrites(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		_, err := demo.Load(context.Background(), db.Client)
		require.NoError(t, err)
		s := apitest.New(t, db, server.Config{})
		count := func() int {
			var d struct{ ComplianceSummary struct{ Total int } }
			s.MustDo(`{ complianceSummary(at: "2026-06-30T00:00:00Z") { total } }`, nil, &d)
			return d.ComplianceSummary.Total
		}
		require.Equal(t, 18, count())
		var v struct {
			Vendors struct {
				Edges []struct{ Node struct{ ID string } }
			}
		}
		s.MustDo(`{ vendors(where: {name: "Heatmapr Ltd"}) { edges { node { id } } } }`, nil, &v)
		var org struct {
			Organizations struct {
				Edges []struct{ Node struct{ ID string } }
			}
		}
		s.MustDo(`{ organizations(where: {name: "Lumora SA"}) { edges { node { id } } } }`, nil, &org)
		var c struct {
			CreateContract struct{ Contract struct{ ID string } }
		}
		s.MustDo(`mutation { createContract(input: {title: "DPA Heatmapr", kind: DPA, effectiveAt: "2024-05-01T00:00:00Z",
			dpaStipulations: [A_DOCUMENTED_INSTRUCTIONS, B_CONFIDENTIALITY, C_SECURITY, D_SUBPROCESSORS, E_DATA_SUBJECT_RIGHTS, F_ASSISTANCE, G_DELETION_OR_RETURN, H_AUDITS]}) { contract { id } } }`, nil, &c)
		for _, p := range []map[string]any{
			{"contractID": c.CreateContract.Contract.ID, "organizationID": org.Organizations.Edges[0].Node.ID, "capacity": "CONTROLLER"},
			{"contractID": c.CreateContract.Contract.ID, "vendorID": v.Vendors.Edges[0].Node.ID, "capacity": "PROCESSOR"},
		} {
			s.MustDo(`mutation($in: CreateContractPartyInput!) { createContractParty(input: $in) { contractParty { id } } }`, map[string]any{"in": p}, nil)
		}
		assert.Equal(t, 17, count(), "the DPA ends the no-DPA finding")
	})
}
