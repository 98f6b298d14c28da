package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/privhub/privhub/internal/store/storetest"
)

// TestRequestsAndConsentFromTheCommandLine walks the demo's requests
// through the CLI: an export, an erasure with the invoices kept, a new
// request extended twice and refused a third time, and an opt-out.
func TestRequestsAndConsentFromTheCommandLine(t *testing.T) {
	for _, dia := range storetest.Dialects() {
		t.Run(dia, func(t *testing.T) {
			url := storetest.URL(t, dia)
			out, err := privhub(t, "seed", "--demo", "--database", url)
			require.NoError(t, err, out)

			out, err = privhub(t, "request", "export", "DSR-005", "--database", url)
			require.NoError(t, err, out)
			var x struct {
				Format  string
				Subject struct{ Email string }
				Records []struct{ ID string }
				Holders []struct{ Holder struct{ Name string } }
			}
			require.NoError(t, json.Unmarshal([]byte(out), &x))
			assert.Equal(t, "privhub.subject-export/1", x.Format)
			assert.NotEmpty(t, x.Subject.Email)
			assert.NotEmpty(t, x.Records)
			assert.NotEmpty(t, x.Holders)
			_, err = privhub(t, "request", "export", "DSR-003", "--database", url)
			require.ErrorContains(t, err, "only access and portability requests")

			preview, err := privhub(t, "request", "erase", "DSR-003", "--dry-run", "--database", url)
			require.NoError(t, err, preview)
			assert.Contains(t, preview, "billing.invoice              until 2033-12-31")
			assert.Contains(t, preview, "Postlane Mail SRL (processor): erase contact.email, identity.name")
			assert.Contains(t, preview, "Controllers to notify (Art. 19):\n")
			assert.Contains(t, preview, "Orbis POS Inc. (controller): erase contact.company, contact.email, identity.name")
			again, err := privhub(t, "request", "erase", "DSR-003", "--dry-run", "--database", url)
			require.NoError(t, err)
			body := func(s string) string { _, rest, _ := strings.Cut(s, "\n"); return rest }
			assert.Equal(t, body(preview), body(again), "a dry run writes nothing")

			out, err = privhub(t, "request", "erase", "DSR-003", "--database", url)
			require.NoError(t, err, out)
			assert.Contains(t, out, "kept: billing.invoice until 2033-12-31")
			assert.Contains(t, out, "Orbis POS Inc.: contact.company, contact.email, identity.name")
			again, err = privhub(t, "request", "erase", "DSR-003", "--database", url)
			require.NoError(t, err)
			assert.Equal(t, out, again, "a second erasure changes nothing")

			out, err = privhub(t, "request", "submit", "--user", "LUM-001739", "--kind", "rectification", "--reference", "DSR-100",
				"--received", "2026-10-31", "--database", url)
			require.NoError(t, err, out)
			assert.Contains(t, out, "due 2026-11-30")
			out, err = privhub(t, "request", "extend", "DSR-100", "--months", "1", "--reason", "several systems", "--notified", "2026-11-10", "--database", url)
			require.NoError(t, err, out)
			assert.Contains(t, out, "due 2026-12-31")
			out, err = privhub(t, "request", "extend", "DSR-100", "--months", "2", "--reason", "more", "--notified", "2026-11-11", "--database", url)
			require.ErrorContains(t, err, "would exceed the 2 months")
			out, err = privhub(t, "request", "rectify-user", "LUM-001739", "--name", "Annelies Mertens-Claes", "--request", "DSR-100", "--database", url)
			require.NoError(t, err, out)
			out, err = privhub(t, "request", "complete", "DSR-100", "--note", "name corrected", "--database", url)
			require.NoError(t, err, out)
			assert.Contains(t, out, "completed")
			assert.Contains(t, out, "corrected name")

			out, err = privhub(t, "consent", "record", "--user", "LUM-001739", "--purpose", "marketing", "--decision", "opted_out",
				"--source", "unsubscribe link", "--database", url)
			require.NoError(t, err, out)
			out, err = privhub(t, "consent", "list", "--user", "LUM-001739", "--database", url)
			require.NoError(t, err, out)
			effective := out[strings.Index(out, "effective as of"):]
			assert.Contains(t, effective, "OPTED_OUT  unsubscribe link")
		})
	}
}
