package server_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/privhub/privhub/internal/apitest"
	"github.com/privhub/privhub/internal/demo"
	"github.com/privhub/privhub/internal/server"
	"github.com/privhub/privhub/internal/store"
	"github.com/privhub/privhub/internal/store/storetest"
)

// demoID returns the ID of the first object a list query names.
func demoID(t *testing.T, s *apitest.Server, query string) string {
	t.Helper()
	var d map[string]struct {
		Edges []struct{ Node struct{ ID string } }
	}
	s.MustDo(query, nil, &d)
	for _, v := range d {
		require.NotEmpty(t, v.Edges, query)
		return v.Edges[0].Node.ID
	}
	t.Fatalf("no list in %s", query)
	return ""
}

// TestTraceOnTheDemo asks the tracing questions through GraphQL on the demo.
func TestTraceOnTheDemo(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		_, err := demo.Load(context.Background(), db.Client)
		require.NoError(t, err)
		s := apitest.New(t, db, server.Config{})
		at := "2026-06-30T00:00:00Z"

		// DSR-003's customer: held by Lumora SA, its mailer and the mailer's
		// subprocessor chain, the sponsor Orbis POS and the partner Baltic ERP.
		user := demoID(t, s, `{ users(where: {hasRequestsWith: {reference: "DSR-003"}}) { edges { node { id } } } }`)
		var tr struct {
			Trace struct {
				Holdings []struct {
					Holder   struct{ Name string }
					Depth    int
					Adequate bool
					Chain    []struct {
						Mechanism string
						Importer  struct{ Name string }
						Contract  *struct{ Title string }
					}
				}
			}
		}
		s.MustDo(`query($u: ID!, $at: Time) { trace(user: $u, at: $at) { holdings { holder { name } depth adequate
			chain { mechanism importer { name } contract { title } } } } }`, map[string]any{"u": user, "at": at}, &tr)
		depth := map[string]int{}
		for _, h := range tr.Trace.Holdings {
			depth[h.Holder.Name] = h.Depth
			require.Len(t, h.Chain, h.Depth, h.Holder.Name)
		}
		assert.Equal(t, 0, depth["Lumora SA"])
		assert.Equal(t, 1, depth["Postlane Mail SRL"])
		assert.Equal(t, 2, depth["Relaybox Inc."])
		assert.Equal(t, 3, depth["Bounceguard Ltd"])
		assert.Contains(t, depth, "Orbis POS Inc.")
		assert.Contains(t, depth, "Baltic ERP Partners UAB")

		r := s.Do(`{ trace(user: "usr_01nosuchuser0000000000000") { at } }`, nil)
		require.Len(t, r.Errors, 1)
		assert.Equal(t, "NOT_FOUND", r.Errors[0].Code())

		// Who holds e-mail addresses: many holders, each with a user count.
		email := demoID(t, s, `{ dataCategories(where: {key: "contact.email"}) { edges { node { id } } } }`)
		var hs struct {
			Holders []struct {
				Holder struct{ Name string }
				Users  int
			}
		}
		s.MustDo(`query($c: ID!, $at: Time) { holders(category: $c, at: $at) { holder { name } users } }`, map[string]any{"c": email, "at": at}, &hs)
		users := map[string]int{}
		for _, h := range hs.Holders {
			users[h.Holder.Name] = h.Users
		}
		assert.Greater(t, users["Lumora SA"], 100)
		assert.Greater(t, users["Postlane Mail SRL"], 0)

		// What reaches Postlane, and where it goes next.
		postlane := demoID(t, s, `{ vendors(where: {name: "Postlane Mail SRL"}) { edges { node { id } } } }`)
		var ex struct {
			Exposure struct {
				Users      int
				Downstream []struct{ Holder struct{ Name string } }
				Countries  []struct{ Code string }
			}
		}
		s.MustDo(`query($h: ID!, $at: Time) { exposure(holder: $h, at: $at) { users downstream { holder { name } } countries { code } } }`,
			map[string]any{"h": postlane, "at": at}, &ex)
		var down []string
		for _, d := range ex.Exposure.Downstream {
			down = append(down, d.Holder.Name)
		}
		assert.ElementsMatch(t, []string{"Relaybox Inc.", "Bounceguard Ltd"}, down)
		assert.Positive(t, ex.Exposure.Users)

		// The flow map of transfers with no mechanism: the Doha venue hop.
		var fl struct {
			DataFlows struct {
				Edges []struct{ Importer struct{ Name string } }
			}
		}
		s.MustDo(`query($at: Time) { dataFlows(where: {mechanisms: [NONE]}, at: $at) { edges { importer { name } } } }`, map[string]any{"at": at}, &fl)
		require.Len(t, fl.DataFlows.Edges, 1)
		assert.Equal(t, "Pearl Venue Hospitality WLL", fl.DataFlows.Edges[0].Importer.Name)
	})
}

// TestOptOutChangesTheTrace: recording an opt-out through the API removes
// the flows it blocks from the user's next trace, which shows them as blocked.
func TestOptOutChangesTheTrace(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		_, err := demo.Load(context.Background(), db.Client)
		require.NoError(t, err)
		s := apitest.New(t, db, server.Config{})
		user := demoID(t, s, `{ users(where: {hasRequestsWith: {reference: "DSR-003"}}) { edges { node { id } } } }`)
		partners := demoID(t, s, `{ purposes(where: {key: "partners"}) { edges { node { id } } } }`)
		holds := func() (map[string]bool, int) {
			var tr struct {
				Trace struct {
					Holdings []struct{ Holder struct{ Name string } }
					Blocked  []struct{ Reason string }
				}
			}
			s.MustDo(`query($u: ID!) { trace(user: $u) { holdings { holder { name } } blocked { reason } } }`, map[string]any{"u": user}, &tr)
			m := map[string]bool{}
			for _, h := range tr.Trace.Holdings {
				m[h.Holder.Name] = true
			}
			return m, len(tr.Trace.Blocked)
		}
		before, blockedBefore := holds()
		require.True(t, before["Baltic ERP Partners UAB"])
		s.MustDo(`mutation($u: ID!, $p: ID!) { recordConsent(input: {user: $u, purpose: $p, decision: OPTED_OUT, source: "preference centre"}) { consent { id } } }`,
			map[string]any{"u": user, "p": partners}, nil)
		after, blockedAfter := holds()
		assert.False(t, after["Baltic ERP Partners UAB"], "the partner no longer receives the user's data")
		assert.True(t, after["Postlane Mail SRL"], "processor flows are not affected")
		assert.Greater(t, blockedAfter, blockedBefore)
	})
}
