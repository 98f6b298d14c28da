package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/privhub/privhub/internal/store/storetest"
)

// privhub runs the command line as a user would and returns what it printed.
func privhub(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := run(context.Background(), args, &out, slog.New(slog.NewTextHandler(io.Discard, nil)))
	return out.String(), err
}

// TestCheckReproducesTheDemoTable: privhub check --at gives DEMO.md's
// transfers without a valid mechanism at its three instants, and --fail-on
// makes it fail.
func TestCheckReproducesTheDemoTable(t *testing.T) {
	for _, dia := range storetest.Dialects() {
		t.Run(dia, func(t *testing.T) {
			url := storetest.URL(t, dia)
			out, err := privhub(t, "seed", "--demo", "--database", url)
			require.NoError(t, err, out)
			want := map[string]int{"2025-06-01": 3, "2026-01-15": 4, "2026-06-30": 4}
			for at, n := range want {
				out, err := privhub(t, "check", "--database", url, "--at", at, "--format", "json")
				require.NoError(t, err)
				var res struct {
					Summary  struct{ InvalidTransfers int }
					Findings []struct{ RuleID string }
				}
				require.NoError(t, json.Unmarshal([]byte(out), &res))
				assert.Equal(t, n, res.Summary.InvalidTransfers, at)
				if at == "2026-06-30" {
					assert.Len(t, res.Findings, 18)
					assert.True(t, slices.ContainsFunc(res.Findings, func(f struct{ RuleID string }) bool { return f.RuleID == "dpa.missing" }))
				}
			}
			out, err = privhub(t, "check", "--database", url, "--at", "2026-06-30", "--fail-on", "HIGH")
			var fe errFindings
			require.True(t, errors.As(err, &fe), "check --fail-on HIGH fails on the demo: %v", err)
			assert.Equal(t, 12, fe.n)
			assert.Contains(t, out, "dpa.missing")
		})
	}
}

func TestHelpExplainsEveryCommand(t *testing.T) {
	out, err := privhub(t, "--help")
	require.NoError(t, err)
	for _, cmd := range []string{"serve", "migrate", "seed", "check", "gen", "trace"} {
		assert.Contains(t, out, cmd)
		out, err := privhub(t, cmd, "--help")
		require.Error(t, err) // flag.ErrHelp: main exits 0 on it
		assert.Contains(t, out, "Usage: privhub "+cmd)
	}
}

// TestTraceAndDataMap: privhub trace prints the chain to a subprocessor's
// subprocessor, and export datamap writes each format with the no-mechanism
// hop marked.
func TestTraceAndDataMap(t *testing.T) {
	url := storetest.URL(t, "sqlite3")
	_, err := privhub(t, "seed", "--demo", "--database", url)
	require.NoError(t, err)

	out, err := privhub(t, "trace", "--database", url, "--at", "2026-06-30", "--user", "LUM-001501")
	require.NoError(t, err)
	assert.Contains(t, out, "Bounceguard Ltd (GB)")
	assert.Contains(t, out, "3. Relaybox Inc. -> Bounceguard Ltd in GB, ADEQUACY as SUBPROCESSOR")
	_, err = privhub(t, "trace", "--database", url, "--user", "nobody@example.org")
	require.Error(t, err)

	for format, want := range map[string]string{
		"dot":     `color=red`,
		"mermaid": "linkStyle 0 stroke:red",
		"json":    `"noMechanism": true`,
	} {
		out, err := privhub(t, "export", "datamap", "--database", url, "--at", "2026-06-30", "--mechanism", "NONE", "--format", format)
		require.NoError(t, err, format)
		assert.Contains(t, out, "Pearl Venue Hospitality WLL", format)
		assert.Contains(t, out, want, format)
	}
}
