package server_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/privhub/privhub/internal/server"
	"github.com/privhub/privhub/internal/store"
	"github.com/privhub/privhub/internal/store/storetest"
)

// TestConsentLedger records choices and reads them back as the full history
// and as the effective choice per purpose and recipient at two instants.
func TestConsentLedger(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db, server.Config{})
		w := a.seedWorld()
		record := func(decision, at string, recipient any) string {
			in := map[string]any{"user": w.User, "purpose": w.Purpose, "decision": decision, "recordedAt": at, "source": "preference centre"}
			if recipient != nil {
				in["recipient"] = recipient
			}
			return a.recordConsent(in, "id")["id"].(string)
		}
		grant := record("GRANTED", "2024-01-10T00:00:00Z", nil)
		optOut := record("OPTED_OUT", "2024-03-01T00:00:00Z", nil)
		vendorWithdrawn := record("WITHDRAWN", "2024-02-01T00:00:00Z", w.Vendor)

		q := `query($u: ID!, $at: Time) { node(id: $u) { ... on User {
			consentHistory { id decision }
			effectiveConsents(at: $at) { id decision recipient { id } } } } }`
		ids := func(list any) []string {
			var out []string
			for _, e := range list.([]any) {
				out = append(out, e.(map[string]any)["id"].(string))
			}
			return out
		}
		d := a.data(q, map[string]any{"u": w.User})
		assert.Equal(t, []string{grant, vendorWithdrawn, optOut}, ids(dig(d, "node.consentHistory")), "oldest first")
		assert.ElementsMatch(t, []string{optOut, vendorWithdrawn}, ids(dig(d, "node.effectiveConsents")))

		// As of mid-February, the grant still stood for the purpose.
		d = a.data(q, map[string]any{"u": w.User, "at": "2024-02-15T00:00:00Z"})
		assert.ElementsMatch(t, []string{grant, vendorWithdrawn}, ids(dig(d, "node.effectiveConsents")))

		// Bad entries are refused and nothing is written.
		before := rowCounts(t, db)
		m := `mutation($in: RecordConsentInput!) { recordConsent(input: $in) { consent { id } } }`
		for field, in := range map[string]map[string]any{
			"user":       {"user": "usr_01j00000000000000000000000", "purpose": w.Purpose, "decision": "GRANTED"},
			"purpose":    {"user": w.User, "purpose": "pur_01j00000000000000000000000", "decision": "GRANTED"},
			"recipient":  {"user": w.User, "purpose": w.Purpose, "recipient": w.Org, "decision": "GRANTED"},
			"explicit":   {"user": w.User, "purpose": w.Purpose, "decision": "OPTED_OUT", "explicit": true},
			"recordedAt": {"user": w.User, "purpose": w.Purpose, "decision": "GRANTED", "recordedAt": "2999-01-01T00:00:00Z"},
		} {
			requireOneError(t, a.s.Do(m, map[string]any{"in": in}), "BAD_USER_INPUT", field)
		}
		require.Equal(t, before, rowCounts(t, db))
	})
}
