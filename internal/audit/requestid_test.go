package audit_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/privhub/privhub/internal/audit"
)

func TestRequestIDs(t *testing.T) {
	for id, ok := range map[string]bool{
		"abc":                   true,
		"A-z_0.9":               true,
		strings.Repeat("a", 64): true,
		strings.Repeat("a", 65): false,
		"":                      false,
		"with space":            false,
		"new\nline":             false,
		"é":                     false,
		"<script>":              false,
	} {
		assert.Equal(t, ok, audit.ValidRequestID(id), "%q", id)
	}
	a, b := audit.NewRequestID(), audit.NewRequestID()
	assert.NotEqual(t, a, b)
	assert.True(t, audit.ValidRequestID(a))
	assert.Len(t, a, 24)
}
