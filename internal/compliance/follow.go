package compliance

import (
	"context"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/internal/changes"
	"github.com/privhub/privhub/internal/pulid"
)

// A followed table is kept in memory and read again in part: after inserts,
// only the rows above the greatest ID read so far; when its fingerprint
// (see changes.Fingerprint) does not add up, whole again.

// followed is an in-memory copy of a table that a follower keeps.
type followed interface {
	// reset empties the copy before the table, of about count rows, is
	// read whole.
	reset(count int64)
	// read adds the rows with an ID in (after, upTo], after being empty
	// for the first, and returns how many rows it added.
	read(ctx context.Context, c *ent.Client, after, upTo pulid.ID) (int, error)
	// following returns what is known of the rows read: a follower
	// embedded in the copy.
	following() *follower
}

// follower knows which rows of a table its copy holds.
type follower struct {
	table string
	seen  changes.Fingerprint
}

func (f *follower) following() *follower { return f }

// readAll reads the whole table into t.
func readAll(ctx context.Context, c *ent.Client, t followed) error {
	f := t.following()
	st, err := changes.ReadFingerprint(ctx, c, f.table)
	if err != nil {
		return err
	}
	t.reset(st.Count)
	if _, err := t.read(ctx, c, "", st.MaxID); err != nil {
		return err
	}
	f.seen = st
	return nil
}

// follow brings t up to date after inserts: it reads the rows above the
// greatest ID it holds, and the whole table again when the count does not
// add up (a delete, or a transaction that committed out of order).
func follow(ctx context.Context, c *ent.Client, t followed) error {
	f := t.following()
	st, err := changes.ReadFingerprint(ctx, c, f.table)
	if err != nil {
		return err
	}
	if st == f.seen {
		return nil
	}
	if st.MaxID > f.seen.MaxID && st.Count > f.seen.Count {
		n, err := t.read(ctx, c, f.seen.MaxID, st.MaxID)
		if err != nil {
			return err
		}
		if f.seen.Count+int64(n) == st.Count {
			f.seen = st
			return nil
		}
	}
	return readAll(ctx, c, t)
}
