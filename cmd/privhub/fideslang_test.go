package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/privhub/privhub/internal/store/storetest"
)

// TestImportFideslang: a fideslang taxonomy and system file lands in the
// registry, a second import changes nothing, and the export names the system.
func TestImportFideslang(t *testing.T) {
	url := storetest.URL(t, "sqlite3")
	dir := t.TempDir()
	org := filepath.Join(dir, "org.yaml")
	require.NoError(t, os.WriteFile(org, []byte("organizations:\n  - name: Acme App\n    country: BE\n"), 0o644))
	_, err := privhub(t, "apply", "-f", org, "--database", url)
	require.NoError(t, err)
	file := filepath.Join(dir, "fides.yaml")
	require.NoError(t, os.WriteFile(file, []byte(`data_category:
  - fides_key: user
    name: User data
  - fides_key: user.contact
    name: Contact
    parent_key: user
data_use:
  - fides_key: marketing
    name: Marketing
system:
  - fides_key: mailer_ltd
    name: Mailer Ltd
    system_type: Service
    privacy_declarations:
      - name: Newsletters
        data_categories: [user.contact]
        data_use: marketing
        data_subjects: [customer]
    third_country_transfers: [US]
`), 0o644))
	args := []string{"import", "fideslang", "-f", file, "--controller", "Acme App", "--legal-basis", "CONSENT", "--database", url}
	out, err := privhub(t, args...)
	require.NoError(t, err, out)
	assert.Contains(t, out, "+ transfers Acme App -> Mailer Ltd: Newsletters")
	assert.Contains(t, out, "dropped: transfers imported with mechanism NONE")
	out, err = privhub(t, args...)
	require.NoError(t, err)
	assert.Contains(t, out, "no changes")
	out, err = privhub(t, "export", "fideslang", "--database", url)
	require.NoError(t, err)
	assert.Contains(t, out, "fides_key: mailer_ltd")
	assert.Contains(t, out, "data_use: marketing")
}
