package audit

import (
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/privhub/privhub/ent/vendor"
	"github.com/privhub/privhub/internal/pulid"
)

// roundTrip is what normalize must equal: the value as JSON reads back.
func roundTrip(t *testing.T, m map[string]any) map[string]any {
	t.Helper()
	b, err := json.Marshal(m)
	require.NoError(t, err)
	var out map[string]any
	require.NoError(t, json.Unmarshal(b, &out))
	return out
}

func TestNormalizeIsAJSONRoundTrip(t *testing.T) {
	when := time.Date(2026, 3, 4, 5, 6, 7, 891234567, time.FixedZone("CET", 3600))
	var nilTime *time.Time
	type tagged struct {
		A int `json:"a"`
	}
	cases := map[string]any{
		"string": "Zoë <b>&</b>", "bool": true, "int": 42, "int64": int64(math.MaxInt64), "uint64": uint64(math.MaxUint64),
		"negative": -7, "float": 0.1, "tiny": 1e-300, "huge": 1e300, "time": when, "timePtr": &when, "nilTime": nilTime,
		"id": pulid.ID("ven_01"), "enum": vendor.StatusActive, "strings": []string{"a", "b"}, "empty": []string{},
		"nilStrings": []string(nil), "bytes": []byte("secret"), "struct": tagged{A: 1},
		"invalid": "a\xffb", "enums": []vendor.Status{vendor.StatusActive}, "ints": []int{1, 2}, "ptrs": []*time.Time{&when, nil},
		"nilEnums": []vendor.Status(nil), "nested": map[string]any{"before": map[string]any{"x": []any{1, "y", nil, &when}}},
	}
	for name, v := range cases {
		m := map[string]any{"v": v}
		got, err := normalize(m)
		require.NoError(t, err, name)
		assert.Equal(t, roundTrip(t, m), got, name)
	}
	got, err := normalize(nil)
	require.NoError(t, err)
	assert.Equal(t, map[string]any{}, got)
	_, err = normalize(map[string]any{"nan": math.NaN()})
	assert.Error(t, err)
}

func TestCanonicalJSONSortsKeys(t *testing.T) {
	b, err := canonicalJSON(map[string]any{"b": 1.0, "a": map[string]any{"d": "<", "c": nil}})
	require.NoError(t, err)
	assert.Equal(t, `{"a":{"c":null,"d":"<"},"b":1}`, string(b))
	b, err = canonicalJSON(map[string]any(nil))
	require.NoError(t, err)
	assert.Equal(t, `{}`, string(b))
}

func TestNormalizeNilCollections(t *testing.T) {
	m := map[string]any{"s": []string(nil), "a": []any(nil), "m": map[string]any(nil)}
	got, err := normalize(m)
	require.NoError(t, err)
	assert.Equal(t, roundTrip(t, m), got)
}
