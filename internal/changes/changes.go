// Package changes tells in-memory caches that the data they were built from
// changed: a Counter counts committed writes, and a cache built at one count
// is current while the count has not moved.
package changes

import (
	"context"
	"sync/atomic"

	"github.com/privhub/privhub/ent"
)

// Counter counts writes. Its zero value is ready to use.
type Counter struct {
	n atomic.Uint64
}

// Load returns the current count.
func (c *Counter) Load() uint64 { return c.n.Load() }

// Bump counts one change.
func (c *Counter) Bump() { c.n.Add(1) }

// Hook returns an ent hook that bumps the counter after every successful
// mutation, and again when the transaction the mutation ran in commits: a
// cache built between the two would otherwise hold the state before the
// commit under the new count.
func (c *Counter) Hook() ent.Hook {
	return func(next ent.Mutator) ent.Mutator {
		return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
			return After(ctx, m, next, c.Bump)
		})
	}
}

// After runs mutation m, then fn when it succeeded, and fn again when the
// transaction m ran in, if any, commits.
func After(ctx context.Context, m ent.Mutation, next ent.Mutator, fn func()) (ent.Value, error) {
	v, err := next.Mutate(ctx, m)
	if err != nil {
		return v, err
	}
	fn()
	if txm, ok := m.(interface{ Tx() (*ent.Tx, error) }); ok {
		if tx, terr := txm.Tx(); terr == nil {
			tx.OnCommit(func(next ent.Committer) ent.Committer {
				return ent.CommitFunc(func(ctx context.Context, tx *ent.Tx) error {
					err := next.Commit(ctx, tx)
					fn()
					return err
				})
			})
		}
	}
	return v, nil
}
