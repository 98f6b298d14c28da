// Package stmtcache runs chosen queries as prepared statements that are kept
// and reused, so that a query asked again and again costs the database one
// round trip and no parsing.
//
// A query sent with parameters through lib/pq otherwise costs two round
// trips to PostgreSQL (parse and describe, then bind and execute), and
// SQLite parses it again each time. A prepared statement is parsed once per
// connection and then costs one bind-and-execute.
//
// Only the queries of a context marked with Use are prepared: hot reads
// whose text is fixed, such as reading one user's records. Everything else,
// and everything inside a transaction, goes to the wrapped driver unchanged,
// so that prepared plans never serve the long tail of one-off queries.
package stmtcache

import (
	"context"
	stdsql "database/sql"
	"fmt"
	"sync"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
)

// DefaultLimit is how many distinct query texts a Driver keeps prepared by
// default.
const DefaultLimit = 64

type useKey struct{}

// Use returns a context under which a Driver's queries run as cached
// prepared statements.
func Use(ctx context.Context) context.Context {
	return context.WithValue(ctx, useKey{}, true)
}

func used(ctx context.Context) bool {
	on, _ := ctx.Value(useKey{}).(bool)
	return on
}

// Driver is an ent SQL driver that runs the queries of contexts marked with
// Use as prepared statements, kept per query text. It is safe for
// concurrent use.
type Driver struct {
	*entsql.Driver
	limit int

	mu sync.Mutex
	// stmts holds the prepared statements by query text; order lists the
	// texts oldest first, so that the oldest is closed when limit is reached.
	stmts map[string]*stdsql.Stmt
	order []string
}

// Wrap returns a Driver over drv that keeps at most limit statements
// prepared (DefaultLimit when limit is not positive).
func Wrap(drv *entsql.Driver, limit int) *Driver {
	if limit <= 0 {
		limit = DefaultLimit
	}
	return &Driver{Driver: drv, limit: limit, stmts: map[string]*stdsql.Stmt{}}
}

var _ dialect.Driver = (*Driver)(nil)

// Query implements dialect.Driver: under Use, it runs query as a cached
// prepared statement.
func (d *Driver) Query(ctx context.Context, query string, args, v any) error {
	if !used(ctx) {
		return d.Driver.Query(ctx, query, args, v)
	}
	vr, ok := v.(*entsql.Rows)
	if !ok {
		return fmt.Errorf("stmtcache: invalid type %T, want *sql.Rows", v)
	}
	argv, ok := args.([]any)
	if !ok {
		return fmt.Errorf("stmtcache: invalid type %T, want []any for args", args)
	}
	rows, err := d.QueryContext(ctx, query, argv...)
	if err != nil {
		return err
	}
	*vr = entsql.Rows{ColumnScanner: rows}
	return nil
}

// QueryContext runs query as database/sql does; under Use, as a cached
// prepared statement.
func (d *Driver) QueryContext(ctx context.Context, query string, args ...any) (*stdsql.Rows, error) {
	if !used(ctx) {
		return d.Driver.QueryContext(ctx, query, args...)
	}
	stmt, err := d.statement(ctx, query)
	if err != nil {
		return nil, err
	}
	return stmt.QueryContext(ctx, args...)
}

// statement returns the prepared statement of query, preparing it first
// if need be.
func (d *Driver) statement(ctx context.Context, query string) (*stdsql.Stmt, error) {
	d.mu.Lock()
	stmt, ok := d.stmts[query]
	d.mu.Unlock()
	if ok {
		return stmt, nil
	}
	// Prepared outside the lock: preparing is a round trip. Two callers
	// may race to prepare the same text; the first to return keeps its own.
	stmt, err := d.DB().PrepareContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("preparing statement: %w", err)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if kept, ok := d.stmts[query]; ok {
		stmt.Close()
		return kept, nil
	}
	if len(d.order) >= d.limit {
		// Closing a statement in use is safe: database/sql closes it when
		// its last rows are closed.
		oldest := d.order[0]
		d.order = d.order[1:]
		d.stmts[oldest].Close()
		delete(d.stmts, oldest)
	}
	d.stmts[query] = stmt
	d.order = append(d.order, query)
	return stmt, nil
}

// Len reports how many statements the Driver keeps prepared.
func (d *Driver) Len() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.stmts)
}

// Close closes the prepared statements, then the wrapped driver.
func (d *Driver) Close() error {
	d.mu.Lock()
	for _, stmt := range d.stmts {
		stmt.Close()
	}
	d.stmts, d.order = map[string]*stdsql.Stmt{}, nil
	d.mu.Unlock()
	return d.Driver.Close()
}
