package main

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/privhub/privhub/internal/store"
	"github.com/privhub/privhub/internal/store/storetest"
)

// TestAuditVerify: privhub audit verify passes on the trail the demo seed
// leaves and fails, naming the event, once one event is changed by hand;
// audit list prints the newest events and those of one object.
func TestAuditVerify(t *testing.T) {
	for _, dia := range storetest.Dialects() {
		t.Run(dia, func(t *testing.T) {
			url := storetest.URL(t, dia)
			out, err := privhub(t, "seed", "--demo", "--database", url)
			require.NoError(t, err, out)

			out, err = privhub(t, "audit", "verify", "--database", url)
			require.NoError(t, err, out)
			assert.Regexp(t, `^audit trail: \d+ events, chain intact\n$`, out)

			out, err = privhub(t, "audit", "list", "--database", url, "--limit", "2")
			require.NoError(t, err, out)
			lines := strings.Split(strings.TrimSpace(out), "\n")
			require.Len(t, lines, 2)
			assert.Contains(t, lines[0], "(ADMIN)")
			assert.Contains(t, lines[0], "create")
			target := regexp.MustCompile(`create\s+\w+ (\S+)`).FindStringSubmatch(lines[1])
			require.NotNil(t, target, lines[1])
			out, err = privhub(t, "audit", "list", "--database", url, "--target", target[1])
			require.NoError(t, err, out)
			assert.Equal(t, 1, strings.Count(out, target[1]), out)

			db, err := store.Open(context.Background(), url)
			require.NoError(t, err)
			_, err = db.SQL.Exec("UPDATE audit_events SET actor = 'someone else' WHERE seq = 5")
			require.NoError(t, err)
			var id string
			require.NoError(t, db.SQL.QueryRow("SELECT id FROM audit_events WHERE seq = 5").Scan(&id))
			require.NoError(t, db.Close())

			out, err = privhub(t, "audit", "verify", "--database", url)
			var broken errBrokenTrail
			require.True(t, errors.As(err, &broken), "audit verify fails on a changed event: %v", err)
			assert.Equal(t, "audit trail broken at event #5 ("+id+"): hash does not match the event's contents: the event was changed or forged\n", out)
		})
	}
}

func TestAuditNeedsASubcommand(t *testing.T) {
	out, err := privhub(t, "audit")
	require.Error(t, err)
	assert.Contains(t, out, "Usage: privhub audit")
	out, err = privhub(t, "audit", "verify", "--help")
	require.Error(t, err) // flag.ErrHelp: main exits 0 on it
	assert.Contains(t, out, "Usage: privhub audit verify")
}
