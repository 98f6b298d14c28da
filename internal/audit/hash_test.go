package audit

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestHashIsStable pins the hash of one event: a change to the canonical
// encoding would break every chain already written. It is the SHA-256 of
// [7,"2026-01-02T02:04:05.123456Z","dana","DPO","req-1","update","Vendor","ven_01",
// {"after":{"name":"Acme"},"before":{"name":"Acme <EU>"},"fields":["name"]},"abc"].
func TestHashIsStable(t *testing.T) {
	e := makeEntry(Actor{Name: "dana", Role: "DPO", RequestID: "req-1"}, "update", "Vendor", "ven_01", map[string]any{
		"fields": []any{"name"}, "before": map[string]any{"name": "Acme <EU>"}, "after": map[string]any{"name": "Acme"},
	}, nil)
	e.at = time.Date(2026, 1, 2, 3, 4, 5, 123456000, time.FixedZone("CET", 3600))
	h, err := hashOf(7, e, "abc")
	require.NoError(t, err)
	assert.Equal(t, "c34086089c6f8d383e2684c690efabc8b7e5b4cd5474910b9750fde2040e0dc6", h)
	canon, err := canonicalJSON(e.changes)
	require.NoError(t, err)
	e.canonical = canon
	h2, err := hashOf(7, e, "abc")
	require.NoError(t, err)
	assert.Equal(t, h, h2)
}
