package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/privhub/privhub/internal/store/storetest"
)

// TestExportROPA writes the demo's Art. 30 records in the four formats.
func TestExportROPA(t *testing.T) {
	url := storetest.URL(t, "sqlite3")
	out, err := privhub(t, "seed", "--demo", "--database", url)
	require.NoError(t, err, out)

	out, err = privhub(t, "export", "ropa", "--at", "2026-06-30", "--database", url)
	require.NoError(t, err, out)
	var r struct {
		Controllers []struct{ Controller struct{ Name string } }
		Processors  []struct{ Processor struct{ Name string } }
	}
	require.NoError(t, json.Unmarshal([]byte(out), &r))
	require.Len(t, r.Controllers, 1)
	assert.Equal(t, "Lumora SA", r.Controllers[0].Controller.Name)
	assert.Len(t, r.Processors, 7)

	out, err = privhub(t, "export", "ropa", "--format", "csv", "--organization", "Lumora Inc.", "--at", "2026-06-30", "--database", url)
	require.NoError(t, err, out)
	assert.Contains(t, out, "Organisation,Record,Activity,Field,Entry,Sources\n")
	assert.Contains(t, out, "Lumora Inc.,Art. 30(2),Lumora SA,(a) controller,")
	assert.NotContains(t, out, "Art. 30(1)")

	out, err = privhub(t, "export", "ropa", "--format", "md", "--at", "2026-06-30", "--database", url)
	require.NoError(t, err, out)
	assert.Contains(t, out, "# Records of processing activities (GDPR Art. 30)")

	_, err = privhub(t, "export", "ropa", "--format", "xlsx", "--database", url)
	require.ErrorContains(t, err, "-o FILE.xlsx")
	file := filepath.Join(t.TempDir(), "ropa.xlsx")
	out, err = privhub(t, "export", "ropa", "--format", "xlsx", "-o", file, "--at", "2026-06-30", "--database", url)
	require.NoError(t, err, out)
	st, err := os.Stat(file)
	require.NoError(t, err)
	assert.Positive(t, st.Size())
	f, err := excelize.OpenFile(file)
	require.NoError(t, err)
	defer f.Close()
	assert.Len(t, f.GetSheetList(), 8)

	_, err = privhub(t, "export", "ropa", "--organization", "Nobody Ltd", "--database", url)
	require.ErrorContains(t, err, `no organization "Nobody Ltd"`)
}
