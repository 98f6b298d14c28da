package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/privhub/privhub/internal/store/storetest"
)

// TestSubprocessorAnnounceFromTheCommandLine has Lumora Inc. announce a new
// subprocessor on the demo: too early it is refused with the contract and
// the earliest date, forced it is recorded, in time it informs Lumora SA
// under both intra-group contracts; the list shows it.
func TestSubprocessorAnnounceFromTheCommandLine(t *testing.T) {
	for _, dia := range storetest.Dialects() {
		t.Run(dia, func(t *testing.T) {
			url := storetest.URL(t, dia)
			out, err := privhub(t, "seed", "--demo", "--database", url)
			require.NoError(t, err, out)
			args := []string{"subprocessor", "announce", "--organization", "Lumora Inc.", "--vendor", "Pushwave Inc.",
				"--service", "communications", "--mechanism", "adequacy", "--purposes", "support", "--categories", "contact.email,identity.name",
				"--announced", "2027-01-04T09:00:00Z", "--database", url}

			_, err = privhub(t, append(args, "--effective", "2027-01-20")...)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "the earliest allowed date is 2027-02-03")
			assert.Contains(t, err.Error(), "Lumora intra-group")

			_, err = privhub(t, append(args, "--effective", "2027-01-20", "--force")...)
			require.ErrorContains(t, err, "needs the reason")

			out, err = privhub(t, append(args, "--effective", "2027-02-03")...)
			require.NoError(t, err, out)
			assert.Contains(t, out, "Lumora Inc., added Pushwave Inc., announced 2027-01-04, takes effect 2027-02-03")
			assert.Contains(t, out, "Lumora intra-group data processing agreement")
			assert.Contains(t, out, "Lumora intra-group Standard Contractual Clauses")
			assert.Contains(t, out, "30 days")
			assert.NotContains(t, out, "false", "in time under both contracts")

			out, err = privhub(t, "subprocessor", "list", "--organization", "Lumora Inc.", "--at", "2027-02-03", "--database", url)
			require.NoError(t, err, out)
			inUse, changes, ok := strings.Cut(out, "\nANNOUNCED")
			require.True(t, ok, out)
			assert.Contains(t, inUse, "Pushwave Inc.")
			assert.Contains(t, inUse, "Stratus Grid LLC")
			assert.NotContains(t, inUse, "Slotbook", "removed on 2027-01-15")
			assert.Contains(t, changes, "REMOVED")
		})
	}
}
