package server_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/privhub/privhub/internal/demo"
	"github.com/privhub/privhub/internal/server"
	"github.com/privhub/privhub/internal/store"
	"github.com/privhub/privhub/internal/store/storetest"
)

// TestProcessingRecordsMatchTheGraph asks for the Art. 30 records over
// GraphQL and checks them against the graph itself: the recipients of each
// activity are the flows the data-flow map shows for its purpose, and every
// transfer line names the importer and country of the transfer it cites.
func TestProcessingRecordsMatchTheGraph(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		_, err := demo.Load(context.Background(), db.Client)
		require.NoError(t, err)
		a := newAPI(t, db, server.Config{})
		at := map[string]any{"at": "2026-06-30T00:00:00Z"}
		d := a.data(`query($at: Time) { processingRecords(at: $at) { gapCount
			controllers { controller { name dpo } gaps { field reason }
				activities { purpose { text sources { type id } } legalBasis
					subjects { text } data { text } erasure { text sources { type id } }
					recipients { text sources { type id } } transfers { text sources { type id } } }
				measures { text } }
			processors { processor { name } controllers { controller { name dpo } processing { text sources { type id } } } gaps { field } } } }`, at)
		recs := dig(d, "processingRecords")
		ctl := dig(recs, "controllers.0")
		assert.Equal(t, "Lumora SA", dig(ctl, "controller.name"))
		assert.Len(t, dig(recs, "processors"), 7)

		for _, act := range dig(ctl, "activities").([]any) {
			purpose := dig(act, "purpose.sources.0.id").(string)
			flows := a.data(`query($p: ID!, $at: Time) { dataFlows(at: $at, where: {purposeIDs: [$p]}) { edges { transfer { id } exporter { name } } } }`,
				map[string]any{"p": purpose, "at": at["at"]})
			var onMap, direct, got []string
			for _, e := range dig(flows, "dataFlows.edges").([]any) {
				onMap = append(onMap, dig(e, "transfer.id").(string))
				if dig(e, "exporter.name") == "Lumora SA" {
					direct = append(direct, dig(e, "transfer.id").(string))
				}
			}
			for _, r := range dig(act, "recipients").([]any) {
				got = append(got, dig(r, "sources.0.id").(string))
			}
			// Every recipient is a flow of the map for the purpose, and every
			// flow of Lumora SA's own for it is a recipient (onward flows
			// follow from them).
			assert.Subset(t, onMap, got, "recipients of %s", dig(act, "purpose.text"))
			assert.Subset(t, got, direct, "recipients of %s", dig(act, "purpose.text"))

			for _, l := range dig(act, "transfers").([]any) {
				id := dig(l, "sources.0.id").(string)
				tr := a.data(`query($id: ID!) { node(id: $id) { ... on Transfer { importer { name } country { name eea } } } }`, map[string]any{"id": id})
				text := dig(l, "text").(string)
				assert.Contains(t, text, dig(tr, "node.importer.name").(string))
				assert.Contains(t, text, dig(tr, "node.country.name").(string))
				assert.Equal(t, false, dig(tr, "node.country.eea"), "only third countries: %s", text)
			}
		}
		var gapFields []string
		for _, g := range dig(ctl, "gaps").([]any) {
			gapFields = append(gapFields, dig(g, "field").(string))
		}
		assert.True(t, slices.ContainsFunc(gapFields, func(f string) bool { return strings.HasPrefix(f, "30(1)(e)") }), "the Doha hop: %v", gapFields)
	})
}
