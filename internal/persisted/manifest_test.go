package persisted_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/privhub/privhub/internal/persisted"
)

func TestLoadManifest(t *testing.T) {
	const doc = `query A { __typename }`
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(body), 0o600))
		return p
	}
	m, err := persisted.LoadManifest(write("ok.json", `{"sha256:`+persisted.Hash(doc)+`": "query A { __typename }"}`))
	require.NoError(t, err)
	require.Equal(t, persisted.Manifest{persisted.Hash(doc): doc}, m)

	_, err = persisted.LoadManifest(write("wrong-hash.json", `{"`+persisted.Hash("other")+`": "query A { __typename }"}`))
	require.ErrorContains(t, err, "its SHA-256 is "+persisted.Hash(doc))
	bad := `query A {`
	_, err = persisted.LoadManifest(write("no-parse.json", `{"`+persisted.Hash(bad)+`": "query A {"}`))
	require.ErrorContains(t, err, "does not parse")
	_, err = persisted.LoadManifest(write("list.json", `["query A { __typename }"]`))
	require.ErrorContains(t, err, "want a JSON object")
	_, err = persisted.LoadManifest(filepath.Join(dir, "missing.json"))
	require.Error(t, err)
}
