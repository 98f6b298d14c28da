package storetest

import (
	"context"
	stdsql "database/sql"
	"sync/atomic"

	entsql "entgo.io/ent/dialect/sql"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/internal/store"
)

// Counter counts the statements a client sends.
type Counter struct{ n atomic.Int64 }

// Take returns the count so far and starts again from zero.
func (c *Counter) Take() int64 { return c.n.Swap(0) }

// CountingClient returns a new client over db's connections, without
// hooks, that counts the statements it sends, and its counter.
func CountingClient(db *store.DB) (*ent.Client, *Counter) {
	drv := &countingDriver{Driver: entsql.OpenDB(db.Dialect, db.SQL), n: &Counter{}}
	return ent.NewClient(ent.Driver(drv)), drv.n
}

// countingDriver counts the statements sent through it.
type countingDriver struct {
	*entsql.Driver
	n *Counter
}

func (d *countingDriver) Query(ctx context.Context, query string, args, v any) error {
	d.n.n.Add(1)
	return d.Driver.Query(ctx, query, args, v)
}

func (d *countingDriver) QueryContext(ctx context.Context, query string, args ...any) (*stdsql.Rows, error) {
	d.n.n.Add(1)
	return d.Driver.QueryContext(ctx, query, args...)
}

func (d *countingDriver) Exec(ctx context.Context, query string, args, v any) error {
	d.n.n.Add(1)
	return d.Driver.Exec(ctx, query, args, v)
}
