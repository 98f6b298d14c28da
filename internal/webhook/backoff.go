package webhook

import (
	"math/rand/v2"
	"time"
)

// Backoff is the retry policy's wait between attempts: exponential from
// Base, doubling after each failed attempt, never more than Max, with
// jitter so that many deliveries failing at once do not retry in step.
type Backoff struct {
	// Base is the wait after the first failed attempt (default 10s).
	Base time.Duration
	// Max bounds every wait (default 1h).
	Max time.Duration
}

// withDefaults fills the zero fields of b.
func (b Backoff) withDefaults() Backoff {
	if b.Base <= 0 {
		b.Base = 10 * time.Second
	}
	if b.Max <= 0 {
		b.Max = time.Hour
	}
	if b.Max < b.Base {
		b.Max = b.Base
	}
	return b
}

// Delay returns the wait after failed attempts (1 for the first failure):
// d = min(Max, Base·2^(failed-1)), then a point drawn between d/2 and d by
// rnd, a source of numbers in [0, 1) (nil: math/rand/v2's). A zero Backoff
// uses the defaults.
func (b Backoff) Delay(failed int, rnd func() float64) time.Duration {
	b = b.withDefaults()
	if rnd == nil {
		rnd = rand.Float64
	}
	d := b.Base
	for i := 1; i < failed && d < b.Max; i++ {
		d *= 2
	}
	d = min(d, b.Max)
	half := d / 2
	return half + time.Duration(rnd()*float64(d-half))
}
