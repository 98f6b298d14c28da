package manifest_test

import (
	"bytes"
	"os"
	"testing"

	"github.com/privhub/privhub/internal/manifest"
)

// TestSchemaCurrent keeps the committed schema in step with the model; run
// with UPDATE_SCHEMA=1 to rewrite it.
func TestSchemaCurrent(t *testing.T) {
	const path = "../../schema/json/manifest.schema.json"
	want, err := manifest.JSONSchema()
	if err != nil {
		t.Fatal(err)
	}
	if os.Getenv("UPDATE_SCHEMA") != "" {
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s is out of date: run UPDATE_SCHEMA=1 go test ./internal/manifest -run TestSchemaCurrent", path)
	}
	if !bytes.Contains(got, []byte(`"retentionRules"`)) || !bytes.Contains(got, []byte(`"importerRole"`)) {
		t.Fatal("the schema lacks the manifest's fields")
	}
}
