package changes

import (
	"context"
	stdsql "database/sql"
	"fmt"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/internal/pulid"
)

// Fingerprint is what a cache that follows a table knows of it: its row
// count and greatest ID. IDs are ULIDs, which grow with time, so that rows
// inserted later have greater IDs, save for transactions that commit out of
// order and IDs made in the same millisecond: a count that grew by more or
// less than the rows above the old greatest ID tells those apart. An update
// changes no fingerprint.
type Fingerprint struct {
	Count int64
	MaxID pulid.ID
}

// ReadFingerprint reads the fingerprint of a table, in two statements:
// each alone has its fast path (the count walks the smallest index, the
// maximum descends the primary key), together neither.
func ReadFingerprint(ctx context.Context, c *ent.Client, table string) (Fingerprint, error) {
	var fp Fingerprint
	var maxID stdsql.NullString
	for _, q := range []struct {
		sql  string
		dest any
	}{{"SELECT COUNT(*) FROM " + table, &fp.Count}, {"SELECT MAX(id) FROM " + table, &maxID}} {
		if err := scanOne(ctx, c, q.sql, q.dest); err != nil {
			return fp, fmt.Errorf("reading the fingerprint of %s: %w", table, err)
		}
	}
	fp.MaxID = pulid.ID(maxID.String)
	return fp, nil
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
