package webhook_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/privhub/privhub/internal/webhook"
)

// TestBackoff: the wait doubles from Base after each failed attempt, is
// never more than Max, and its jitter keeps it between half and all of
// that.
func TestBackoff(t *testing.T) {
	b := webhook.Backoff{Base: 10 * time.Second, Max: 5 * time.Minute}
	top := func() float64 { return 0.999999999 }
	bottom := func() float64 { return 0 }
	want := []time.Duration{10 * time.Second, 20 * time.Second, 40 * time.Second, 80 * time.Second, 160 * time.Second,
		5 * time.Minute, 5 * time.Minute}
	for i, w := range want {
		failed := i + 1
		assert.InDelta(t, float64(w), float64(b.Delay(failed, top)), float64(time.Microsecond), "after %d failures, at most", failed)
		assert.Equal(t, w/2, b.Delay(failed, bottom), "after %d failures, at least", failed)
	}
	assert.Equal(t, 5*time.Minute/2, b.Delay(1000, bottom), "no overflow after many failures")
	assert.LessOrEqual(t, b.Delay(1000, top), 5*time.Minute)

	// Real jitter spreads the waits out.
	seen := map[time.Duration]bool{}
	for range 50 {
		d := b.Delay(3, nil)
		assert.GreaterOrEqual(t, d, 20*time.Second)
		assert.LessOrEqual(t, d, 40*time.Second)
		seen[d] = true
	}
	assert.Greater(t, len(seen), 10, "jittered waits differ")

	var zero webhook.Backoff
	assert.Equal(t, 5*time.Second, zero.Delay(1, bottom), "defaults: 10s base")
	assert.Equal(t, 30*time.Minute, zero.Delay(100, bottom), "defaults: 1h at most")
}
