package audit

import "context"

type suppressKey struct{}

// Suppress returns ctx under which the audit hook writes no event for the
// writes made. It exists for one caller only: the synthetic data generator
// (internal/gen), which loads millions of rows that stand for no real
// processing and records one summary event for its whole run instead.
// Nothing else may use it: every other write must leave its trail.
func Suppress(ctx context.Context) context.Context {
	return context.WithValue(ctx, suppressKey{}, true)
}

// suppressed reports whether ctx came from Suppress.
func suppressed(ctx context.Context) bool {
	s, _ := ctx.Value(suppressKey{}).(bool)
	return s
}
