package server_test

import (
	"context"
	"os"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/privhub/privhub/internal/apitest"
	"github.com/privhub/privhub/internal/demo"
	"github.com/privhub/privhub/internal/server"
	"github.com/privhub/privhub/internal/store"
	"github.com/privhub/privhub/internal/store/storetest"
)

// readmeAnswers is what the README says each numbered query answers on the
// demo dataset.
var readmeAnswers = map[string][]string{
	"1":  {`"totalCount":8`, "ExamPoint Software Pvt Ltd", "Kestrel Ops Sdn Bhd", "Pacifica Edge Pte Ltd", "Konkan Meetups", "TextBridge"},
	"2":  {"Stratus Grid LLC", "Pacifica Edge Pte Ltd", `"SG"`, "Kestrel Ops Sdn Bhd", `"MY"`, `"P2P"`},
	"3":  {"DSR-004", "2026-03-01", `"marketing"`, `"OPTED_OUT"`},
	"4":  {"DSR-001", `"dueAt":"2026-06-02`, "DSR-002", `"dueAt":"2026-07-20`, "DSR-005", "DSR-003", `"totalCount":4`},
	"5":  {"Relaybox Inc.", "DECISION_2010_87_EU", "2019-11-04"},
	"6":  {"Lumora Inc.", "2021-10-01", "2022-03-01", "2025-09-01", "Belgium"},
	"7":  {"Slotbook Scheduling Inc.", `"dpfActiveUntil":"2025-11-30`},
	"8":  {"ExamPoint Software Pvt Ltd", `"performedAt":"2024-05-10`},
	"9":  {"Kestrel Ops Sdn Bhd", "2026-05-15", "2026-05-20"},
	"10": {"2026-04-10", `"events"`},
	"11": {"event.accessibility", "EventWorks Iberia SL"},
	"12": {"billing.invoice", `"P7Y"`, "FISCAL_YEAR_END"},
	"13": {"Canada", "COMMERCIAL_ORGANISATIONS", "EU_GDPR", "UK_GDPR", "CH_FADP"},
	"14": {"Postlane Mail SRL", "Relaybox Inc.", "Bounceguard Ltd", `"depth":3`, "2010/87/EU", "Lumora SA"},
	"15": {"Lumora SA", "Postlane Mail SRL", `"users":`},
	"16": {"Relaybox Inc.", "Bounceguard Ltd", `"RO"`},
	"17": {`"total":18`, `"invalidTransfers":4`, "dpa.missing", "scc.repealed-decision", "scc.clause17-law", "transfer.dpf-inactive", "transfer.onward-no-grounds"},
	"18": {"transfer.dpf-inactive", "Pearl Venue Hospitality WLL", `"NONE"`},
	"19": {`"OPTED_OUT"`, "Orbis POS Inc.", `"marketing"`, "2026-03-01"},
	"20": {`"totalCount":35`, `"action":"DELETE"`},
	"21": {"privhub.subject-export/1", "Annelies Mertens", `"holders"`, `"chain"`},
	"23": {"Metricly Analytics Inc.", "Pushwave Inc.", "Firmograph Data Inc.", "Orbis POS Inc.", "Paywise Inc.", `"flowsOnFallback":[{"importer":{"name":"Stratus Grid LLC"}`, `"fallbackHolds":true`},
	"24": {"Lumora Inc.", "Stratus Grid LLC", "Slotbook Scheduling Inc.", `"kind":"REMOVED"`, `"effectiveAt":"2027-01-15`, `"noticeDays":30`,
		`"inTime":true`, "Lumora intra-group data processing agreement", "Lumora intra-group Standard Contractual Clauses", `"outcome":"WITHDRAWN"`, `"findings":[]`},
	"22": {`"holders":[{"holder":{"name":"Relaybox Inc."}`, `"adequate":false`, "Slotbook Scheduling Inc."},
}

// TestReadmeQueries runs every GraphQL block of the README against the demo
// dataset: each must answer without errors, and the numbered questions what
// the README says they answer.
func TestReadmeQueries(t *testing.T) {
	raw, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	blocks := regexp.MustCompile("(?s)(?:### (\\d+)\\.[^\\n]*\\n.*?)?```graphql\\n(.*?)```").FindAllStringSubmatch(string(raw), -1)
	require.GreaterOrEqual(t, len(blocks), 13, "the README shows at least a dozen queries")

	storetest.Run(t, func(t *testing.T, db *store.DB) {
		_, err := demo.Load(context.Background(), db.Client)
		require.NoError(t, err)
		s := apitest.New(t, db, server.Config{})
		seen := 0
		for i, b := range blocks {
			num, query := b[1], b[2]
			r := s.Do(query, nil)
			require.Empty(t, r.Errors, "README query %d (%s) answered errors", i+1, num)
			for _, want := range readmeAnswers[num] {
				assert.Contains(t, string(r.Data), want, "README query %s", num)
			}
			if num != "" {
				seen++
			}
		}
		require.Equal(t, len(readmeAnswers), seen, "every numbered README query is checked")
	})
}
