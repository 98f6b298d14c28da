package pulid

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestNewIsPrefixedAndUnique(t *testing.T) {
	seen := map[ID]bool{}
	for range 1000 {
		id := New("vnd")
		require.Equal(t, "vnd", id.Prefix())
		require.Len(t, string(id), 4+26)
		require.False(t, seen[id], "duplicate id %s", id)
		seen[id] = true
	}
}

func TestCountryIDs(t *testing.T) {
	id := Country("BE")
	require.Equal(t, ID("cty_BE"), id)
	require.Equal(t, CountryPrefix, id.Prefix())
	require.Equal(t, "BE", id.CountryCode())
	require.Equal(t, "", ID("BE").CountryCode())
	require.Equal(t, "", New("vnd").CountryCode())
}
