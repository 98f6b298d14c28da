package manifest

import (
	"encoding/json"
	"fmt"

	"github.com/invopop/jsonschema"
)

// SchemaID is the $id of the manifest's JSON Schema.
const SchemaID = "https://privhub.example/schema/manifest.schema.json"

// JSONSchema returns the JSON Schema of a manifest (draft 2020-12), for
// editors to complete and check manifest files with.
func JSONSchema() ([]byte, error) {
	r := &jsonschema.Reflector{DoNotReference: false, ExpandedStruct: true}
	s := r.Reflect(&Manifest{})
	s.ID = SchemaID
	s.Title = "privhub registry manifest"
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("writing the manifest schema: %w", err)
	}
	return append(b, '\n'), nil
}
