package server_test

// A Relay front-end compiles against the schema: testdata/relay holds the
// documents of three screens (vendors, findings, requests) with refetchable
// fragments and paginated connections, and relay-compiler (from npm) must
// accept them without an error or a warning.

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/vektah/gqlparser/v2/formatter"

	"github.com/privhub/privhub/graph"
	"github.com/privhub/privhub/internal/server"
	"github.com/privhub/privhub/internal/store"
	"github.com/privhub/privhub/internal/store/storetest"
)

func TestRelayCompilerAcceptsTheSchema(t *testing.T) {
	if _, err := exec.LookPath("npm"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("npm is required when CI=true")
		}
		t.Skip("npm is not installed")
	}
	if testing.Short() && os.Getenv("CI") != "true" {
		t.Skip("runs npm")
	}
	dir, err := filepath.Abs("testdata/relay")
	require.NoError(t, err)

	// The schema as the server runs it, printed as SDL.
	var sdl strings.Builder
	formatter.NewFormatter(&sdl, formatter.WithIndent("  ")).
		FormatSchema(graph.NewExecutableSchema(graph.Config{Resolvers: &graph.Resolver{}}).Schema())
	require.NoError(t, os.WriteFile(filepath.Join(dir, "schema.graphql"), []byte(sdl.String()), 0o644))

	run := func(name string, args ...string) string {
		cmd := exec.Command(name, args...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "%s %v:\n%s", name, args, out)
		return string(out)
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "relay-compiler")); err != nil {
		run("npm", "ci", "--no-audit", "--no-fund")
	}
	out := run("npx", "--no-install", "relay-compiler")
	for _, line := range strings.Split(out, "\n") {
		l := strings.ToLower(line)
		if strings.Contains(l, "warn") || strings.Contains(l, "error") {
			t.Errorf("relay-compiler: %s", line)
		}
	}
	t.Logf("relay-compiler:\n%s", out)
}

// TestPageInfoAloneHasCursors: a connection of which only pageInfo is
// selected (as Relay does when it refetches a page) still tells where the
// page starts and ends, at the top level and nested, and hasNextPage is
// only true when more follow.
func TestPageInfoAloneHasCursors(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db, server.Config{})
		w := a.seedWorld()
		full := a.data(`{ vendors(first: 1) { edges { cursor } } organizations(first: 5) { edges { node { exportedTransfers(first: 1) { edges { cursor } } } } } }`, nil)
		d := a.data(`{
			vendors(first: 1) { pageInfo { startCursor endCursor hasNextPage hasPreviousPage } }
			all: vendors(first: 100) { pageInfo { endCursor hasNextPage } }
			organizations(first: 5) { edges { node { exportedTransfers(first: 1) { pageInfo { startCursor endCursor hasNextPage } } } } }
		}`, nil)
		first := dig(full, "vendors.edges.0.cursor")
		require.NotNil(t, first)
		assert.Equal(t, first, dig(d, "vendors.pageInfo.startCursor"))
		assert.Equal(t, first, dig(d, "vendors.pageInfo.endCursor"))
		assert.Equal(t, true, dig(d, "vendors.pageInfo.hasNextPage"), "two vendors, one asked for")
		assert.NotNil(t, dig(d, "all.pageInfo.endCursor"))
		assert.Equal(t, false, dig(d, "all.pageInfo.hasNextPage"), "two vendors, a hundred asked for")
		nested := dig(full, "organizations.edges.0.node.exportedTransfers.edges.0.cursor")
		require.NotNil(t, nested, "the organization %s exports a transfer", w.Org)
		assert.Equal(t, nested, dig(d, "organizations.edges.0.node.exportedTransfers.pageInfo.startCursor"))
		assert.Equal(t, nested, dig(d, "organizations.edges.0.node.exportedTransfers.pageInfo.endCursor"))
		assert.Equal(t, false, dig(d, "organizations.edges.0.node.exportedTransfers.pageInfo.hasNextPage"))

		// The hand-written connections too.
		f := a.data(`{ findings(first: 1) { totalCount pageInfo { startCursor endCursor hasNextPage } } }`, nil)
		assert.NotNil(t, dig(f, "findings.pageInfo.startCursor"))
		assert.Equal(t, dig(f, "findings.pageInfo.startCursor"), dig(f, "findings.pageInfo.endCursor"))
	})
}
