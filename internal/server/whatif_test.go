package server_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/privhub/privhub/internal/demo"
	"github.com/privhub/privhub/internal/server"
	"github.com/privhub/privhub/internal/store"
	"github.com/privhub/privhub/internal/store/storetest"
)

// TestWhatIfTheDPFIsAnnulled asks what happens to the demo if the EU–US
// Data Privacy Framework ends: every certified US importer relying on it
// loses its ground, with its subjects counted, Stratus Grid holds through
// its SCC fallback, and nothing is written.
func TestWhatIfTheDPFIsAnnulled(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		_, err := demo.Load(context.Background(), db.Client)
		require.NoError(t, err)
		a := newAPI(t, db, server.Config{})
		q := `query($s: ScenarioInput!) { whatIf(scenario: $s, at: "2026-07-01T00:00:00Z") {
			appeared { rule { id } targetLabel } disappeared { rule { id } targetLabel }
			flowsLosingGround { importer { name } subjects categories { key } fallbackMechanism }
			flowsOnFallback { importer { name } fallbackMechanism fallbackContract { kind sccModule } fallbackHolds reasons } } }`
		dpf := map[string]any{"adequacyRevoked": []any{map[string]any{"country": "cty_US", "regime": "EU_GDPR"}}}
		w := a.data(q, map[string]any{"s": dpf})["whatIf"]

		lost := map[string]float64{}
		for _, l := range dig(w, "flowsLosingGround").([]any) {
			lost[dig(l, "importer.name").(string)] = dig(l, "subjects").(float64)
			assert.Nil(t, dig(l, "fallbackMechanism"))
		}
		assert.ElementsMatch(t, []string{"Metricly Analytics Inc.", "Pushwave Inc.", "Firmograph Data Inc.", "Orbis POS Inc.", "Paywise Inc."}, keysOf(lost))
		for name, n := range lost {
			assert.Positive(t, n, name)
		}
		fb := dig(w, "flowsOnFallback").([]any)
		require.Len(t, fb, 1)
		assert.Equal(t, "Stratus Grid LLC", dig(fb[0], "importer.name"))
		assert.Equal(t, "SCC", dig(fb[0], "fallbackMechanism"))
		assert.Equal(t, "SCC", dig(fb[0], "fallbackContract.kind"))
		assert.Equal(t, true, dig(fb[0], "fallbackHolds"))

		appeared := dig(w, "appeared").([]any)
		assert.Len(t, appeared, len(lost)+1, "one finding per flow losing ground, and Slotbook's turns from lapsed certification to no mechanism")
		disappeared := dig(w, "disappeared").([]any)
		require.Len(t, disappeared, 1)
		assert.Equal(t, "transfer.dpf-inactive", dig(disappeared[0], "rule.id"))

		// Nothing was written: the findings as of the instant are unchanged.
		sum := a.data(`{ complianceSummary(at: "2026-07-01T00:00:00Z") { total } }`, nil)
		assert.Equal(t, float64(18), dig(sum, "complianceSummary.total"))

		// The other kinds of change, on their own and together.
		ids := a.data(`{ vendors(where: {nameIn: ["Stratus Grid LLC", "Heatmapr Ltd"]}, orderBy: {field: NAME}) { edges { node { id name
			importedTransfers { edges { node { contract { id kind } } } } } } } }`, nil)
		heatmapr := dig(ids, "vendors.edges.0.node.id").(string)
		stratus := dig(ids, "vendors.edges.1.node.id").(string)
		var scc string
		for _, e := range dig(ids, "vendors.edges.1.node.importedTransfers.edges").([]any) {
			if dig(e, "node.contract.kind") == "SCC" {
				scc = dig(e, "node.contract.id").(string)
			}
		}
		require.NotEmpty(t, scc, "Stratus Grid's SCCs")
		w = a.data(q, map[string]any{"s": map[string]any{"certificationsLapsed": []any{stratus}}})["whatIf"]
		assert.Empty(t, dig(w, "flowsLosingGround"))
		assert.Len(t, dig(w, "flowsOnFallback"), 1, "a lapsed certification leaves Stratus Grid on its SCCs")
		w = a.data(q, map[string]any{"s": map[string]any{"certificationsLapsed": []any{stratus}, "contractsEnded": []any{scc}}})["whatIf"]
		require.Len(t, dig(w, "flowsLosingGround"), 1, "without its SCCs as well, it loses its ground")
		assert.Equal(t, "Stratus Grid LLC", dig(w, "flowsLosingGround.0.importer.name"))
		w = a.data(q, map[string]any{"s": map[string]any{"vendorsRemoved": []any{heatmapr}}})["whatIf"]
		gone := dig(w, "disappeared").([]any)
		require.Len(t, gone, 1, "removing Heatmapr removes its missing DPA")
		assert.Equal(t, "dpa.missing", dig(gone[0], "rule.id"))

		// An unknown ID is bad input.
		r := a.s.Do(q, map[string]any{"s": map[string]any{"vendorsRemoved": []any{"vnd_nope"}}})
		require.NotEmpty(t, r.Errors)
		assert.Equal(t, "BAD_USER_INPUT", r.Errors[0].Extensions["code"])
	})
}

// keysOf returns the keys of a map.
func keysOf[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
