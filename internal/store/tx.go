package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/privhub/privhub/ent"
)

// RunTx runs fn in one transaction on c: it commits when fn returns nil and
// rolls back otherwise, or when fn panics. When c is already bound to a
// transaction (a GraphQL mutation runs in one), fn runs in that transaction
// and its caller commits.
func RunTx(ctx context.Context, c *ent.Client, fn func(ctx context.Context, c *ent.Client) error) (err error) {
	tx, err := c.Tx(ctx)
	if errors.Is(err, ent.ErrTxStarted) {
		return fn(ctx, c)
	}
	if err != nil {
		return fmt.Errorf("starting a transaction: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			_ = tx.Rollback()
			panic(p)
		}
	}()
	if err := fn(ent.NewTxContext(ctx, tx), tx.Client()); err != nil {
		if rerr := tx.Rollback(); rerr != nil {
			return errors.Join(err, fmt.Errorf("rolling back: %w", rerr))
		}
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("committing: %w", err)
	}
	return nil
}
