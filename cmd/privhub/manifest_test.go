package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/privhub/privhub/internal/store/storetest"
)

// TestManifestCommands: a DPO exports the demo's registry, plans and
// applies it on a fresh hub, and a broken edit fails at its line.
func TestManifestCommands(t *testing.T) {
	for _, dia := range storetest.Dialects() {
		t.Run(dia, func(t *testing.T) {
			demoURL, freshURL := storetest.URL(t, dia), storetest.URL(t, dia)
			out, err := privhub(t, "seed", "--demo", "--database", demoURL)
			require.NoError(t, err, out)
			dir := t.TempDir()
			out, err = privhub(t, "export", "manifest", "--database", demoURL, "-o", dir)
			require.NoError(t, err, out)
			out, err = privhub(t, "plan", "-f", dir, "--database", demoURL, "--prune")
			require.NoError(t, err)
			assert.Equal(t, "no changes\n", out)

			out, err = privhub(t, "plan", "-f", dir, "--database", freshURL)
			require.NoError(t, err)
			assert.Contains(t, out, "+ vendors Nimbra Cloud SAS\n")
			out, err = privhub(t, "apply", "-f", dir, "--database", freshURL)
			require.NoError(t, err)
			assert.Contains(t, out, "to create, 0 to update, 0 to delete")
			out, err = privhub(t, "apply", "-f", dir, "--database", freshURL, "--prune")
			require.NoError(t, err)
			assert.Equal(t, "no changes\n", out)

			file := filepath.Join(dir, "registry.yaml")
			data, err := os.ReadFile(file)
			require.NoError(t, err)
			broken := strings.Replace(string(data), "exporter: Lumora SA", "exporter: Lumora SAS", 1)
			require.NoError(t, os.WriteFile(file, []byte(broken), 0o644))
			_, err = privhub(t, "apply", "-f", dir, "--database", freshURL)
			require.Error(t, err)
			assert.Regexp(t, `registry\.yaml:\d+:\d+: unknown organization or vendor "Lumora SAS"`, err.Error())

			out, err = privhub(t, "export", "manifest-schema")
			require.NoError(t, err)
			assert.Contains(t, out, `"transfers"`)
		})
	}
}
