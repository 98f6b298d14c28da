package webhook_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/privhub/privhub/internal/webhook"
)

// TestSignature: the header is t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">
// (the vector was computed with Python's hmac module), and Verify accepts
// exactly the body, secret and time window it was made for.
func TestSignature(t *testing.T) {
	const secret = "whsec_0123456789abcdef"
	body := []byte(`{"id":"whe_1","kind":"webhook.ping"}`)
	at := time.Unix(1700000000, 0)
	h := webhook.Sign(secret, at, body)
	require.Equal(t, "t=1700000000,v1=ff6ab924f4291bc2533df54365b7703099526f3de36d7c7d8d4dd4b9c9311336", h)

	require.NoError(t, webhook.Verify(secret, h, body, 0, at))
	require.NoError(t, webhook.Verify(secret, h, body, 0, at.Add(4*time.Minute)), "within the default tolerance")
	require.NoError(t, webhook.Verify(secret, h, body, time.Hour, at.Add(30*time.Minute)))

	assert.ErrorIs(t, webhook.Verify(secret, h, []byte(`{"id":"whe_2","kind":"webhook.ping"}`), 0, at), webhook.ErrBadSignature)
	assert.ErrorIs(t, webhook.Verify("whsec_another-secret", h, body, 0, at), webhook.ErrBadSignature)
	assert.ErrorIs(t, webhook.Verify(secret, h, body, 0, at.Add(6*time.Minute)), webhook.ErrStaleSignature, "a replay")
	assert.ErrorIs(t, webhook.Verify(secret, h, body, 0, at.Add(-6*time.Minute)), webhook.ErrStaleSignature)
	// The timestamp is signed: moving it forward breaks the signature.
	forged := "t=1700000300" + h[len("t=1700000000"):]
	assert.ErrorIs(t, webhook.Verify(secret, forged, body, 0, at.Add(5*time.Minute)), webhook.ErrBadSignature)

	for _, bad := range []string{"", "v1=ab", "t=1700000000", "t=x,v1=ab", "t=1700000000,v1=zz", "t=1700000000;v1=ab"} {
		assert.ErrorIs(t, webhook.Verify(secret, bad, body, 0, at), webhook.ErrMalformedSignature, "%q", bad)
	}
	// Several v1 values (say, while a receiver rotates its secret): one must match.
	other := webhook.Sign("whsec_another-secret", at, body)
	both := h + ",v1=" + other[len("t=1700000000,v1="):]
	require.NoError(t, webhook.Verify(secret, both, body, 0, at))
	require.NoError(t, webhook.Verify("whsec_another-secret", both, body, 0, at))
}
