package trace

import (
	"context"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/internal/changes"
)

// Fingerprint exposes the records fingerprint to the benchmarks.
func Fingerprint(ctx context.Context, c *ent.Client) error {
	_, err := changes.ReadFingerprint(ctx, c, "data_records")
	return err
}

// Client returns the engine's client, for the benchmarks.
func (e *Engine) Client() *ent.Client { return e.client }
