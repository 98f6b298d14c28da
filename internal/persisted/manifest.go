// Package persisted serves GraphQL documents by hash: trusted documents,
// a manifest of the operations a front-end ships at build time, outside of
// which nothing runs; and, without a manifest, automatic persisted queries,
// a cache of the documents clients registered by sending them once.
package persisted

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

// Manifest maps the SHA-256 (lower-case hex) of each trusted document to
// its text.
type Manifest map[string]string

// Hash returns the manifest key of a document: its SHA-256 in lower-case
// hex.
func Hash(doc string) string {
	sum := sha256.Sum256([]byte(doc))
	return hex.EncodeToString(sum[:])
}

// LoadManifest reads a manifest file: a JSON object whose keys are the
// SHA-256 of the documents that are its values. Every key must be the hash
// of its document and every document must parse.
func LoadManifest(path string) (Manifest, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading the trusted documents: %w", err)
	}
	m, err := ParseManifest(raw)
	if err != nil {
		return nil, fmt.Errorf("trusted documents %s: %w", path, err)
	}
	return m, nil
}

// ParseManifest checks and returns the manifest of a JSON object
// {sha256: document}; a key may carry the prefix "sha256:".
func ParseManifest(raw []byte) (Manifest, error) {
	var in map[string]string
	if err := json.Unmarshal(raw, &in); err != nil {
		return nil, fmt.Errorf("want a JSON object {sha256: document}: %w", err)
	}
	m := make(Manifest, len(in))
	for k, doc := range in {
		key := normalize(k)
		if got := Hash(doc); got != key {
			return nil, fmt.Errorf("document %q: its SHA-256 is %s", k, got)
		}
		if _, err := parser.ParseQuery(&ast.Source{Input: doc}); err != nil {
			return nil, fmt.Errorf("document %s does not parse: %s", k, err.Error())
		}
		m[key] = doc
	}
	return m, nil
}

// normalize turns a document ID, "sha256:HEX" or "HEX", into a manifest
// key.
func normalize(id string) string {
	return strings.ToLower(strings.TrimPrefix(strings.TrimSpace(id), "sha256:"))
}
