package compliance

import (
	"context"
	stdsql "database/sql"
	"fmt"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/internal/pulid"
)

// A followed table is kept in memory and read again in part: after inserts,
// only the rows above the greatest ID read so far. IDs are ULIDs, which grow
// with time, so that rows inserted later have greater IDs, save for
// transactions that commit out of order: a count that grew by more or less
// than the rows read above the old greatest ID tells them apart, and the
// table is read whole again.

// followed is an in-memory copy of a table that a follower keeps.
type followed interface {
	// reset empties the copy before the table, of about count rows, is
	// read whole.
	reset(count int64)
	// read adds the rows with an ID in (after, upTo], after being empty
	// for the first, and returns how many rows it added.
	read(ctx context.Context, c *ent.Client, after, upTo pulid.ID) (int, error)
}

// follower knows which rows of a table its copy holds.
type follower struct {
	table string
	seen  tableState
}

// tableState is a table's fingerprint: its row count and greatest ID.
type tableState struct {
	count int64
	maxID pulid.ID
}

// readAll reads the whole table into t.
func (f *follower) readAll(ctx context.Context, c *ent.Client, t followed) error {
	st, err := fingerprint(ctx, c, f.table)
	if err != nil {
		return err
	}
	t.reset(st.count)
	if _, err := t.read(ctx, c, "", st.maxID); err != nil {
		return err
	}
	f.seen = st
	return nil
}

// follow brings t up to date after inserts: it reads the rows above the
// greatest ID it holds, and the whole table again when the count does not
// add up (a delete, or a transaction that committed out of order).
func (f *follower) follow(ctx context.Context, c *ent.Client, t followed) error {
	st, err := fingerprint(ctx, c, f.table)
	if err != nil {
		return err
	}
	if st == f.seen {
		return nil
	}
	if st.maxID > f.seen.maxID && st.count > f.seen.count {
		n, err := t.read(ctx, c, f.seen.maxID, st.maxID)
		if err != nil {
			return err
		}
		if f.seen.count+int64(n) == st.count {
			f.seen = st
			return nil
		}
	}
	return f.readAll(ctx, c, t)
}

// fingerprint reads the row count and the greatest ID of a table, in two
// statements: each alone has its fast path (the count walks the smallest
// index, the maximum descends the primary key), together neither.
func fingerprint(ctx context.Context, c *ent.Client, table string) (tableState, error) {
	var st tableState
	var maxID stdsql.NullString
	for _, q := range []struct {
		sql  string
		dest any
	}{{"SELECT COUNT(*) FROM " + table, &st.count}, {"SELECT MAX(id) FROM " + table, &maxID}} {
		if err := scanOne(ctx, c, q.sql, q.dest); err != nil {
			return st, fmt.Errorf("reading the fingerprint of %s: %w", table, err)
		}
	}
	st.maxID = pulid.ID(maxID.String)
	return st, nil
}

// scanOne runs a query that returns one value and scans it into dest.
func scanOne(ctx context.Context, c *ent.Client, query string, dest any) error {
	rows, err := c.QueryContext(ctx, query)
	if err != nil {
		return err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return err
		}
		return stdsql.ErrNoRows
	}
	if err := rows.Scan(dest); err != nil {
		return err
	}
	return rows.Err()
}
