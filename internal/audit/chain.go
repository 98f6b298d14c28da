package audit

import (
	"context"
	"errors"
	"fmt"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/auditevent"
)

// chainLock is the key of the PostgreSQL advisory lock that serializes
// appenders (the migrations use 7201).
const chainLock = 7202

// chunkSize is how many events one INSERT writes: 500 rows of 12 columns
// stay well within the bind-parameter limits of SQLite and PostgreSQL.
const chunkSize = 500

// tip is the last event of the chain as one transaction sees it.
type tip struct {
	seq  int64
	hash string
}

// dialectOf returns the dialect of the database c talks to. ent hands
// predicates the SQL selector, which knows it; the query itself reads no row.
func dialectOf(ctx context.Context, c *ent.Client) (string, error) {
	var d string
	_, err := c.AuditEvent.Query().Where(func(s *sql.Selector) {
		d = s.Dialect()
		s.Where(sql.False())
	}).Exist(ctx)
	if err != nil {
		return "", fmt.Errorf("finding the database dialect: %w", err)
	}
	return d, nil
}

// lockChain makes the transaction c is bound to the only appender until it
// ends, and returns the chain's last event as it then stands. On PostgreSQL
// it takes a transaction-level advisory lock first; SQLite's write
// transactions (_txlock=immediate) are serialized already.
func lockChain(ctx context.Context, c *ent.Client, dia string) (tip, error) {
	if dia == dialect.Postgres {
		rows, err := c.QueryContext(ctx, "SELECT pg_advisory_xact_lock($1)", chainLock)
		if err != nil {
			return tip{}, fmt.Errorf("locking the audit chain: %w", err)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return tip{}, fmt.Errorf("locking the audit chain: %w", err)
		}
	}
	last, err := c.AuditEvent.Query().
		Order(auditevent.BySeq(sql.OrderDesc())).
		Select(auditevent.FieldSeq, auditevent.FieldHash).
		First(ctx)
	switch {
	case ent.IsNotFound(err):
		return tip{}, nil
	case err != nil:
		return tip{}, fmt.Errorf("reading the last audit event: %w", err)
	}
	return tip{seq: last.Seq, hash: last.Hash}, nil
}

// write appends entries after t with the client of a transaction that holds
// the chain (see lockChain), in chunks of chunkSize, and returns the new tip.
func write(ctx context.Context, c *ent.Client, t tip, entries []entry) (tip, error) {
	builders := make([]*ent.AuditEventCreate, 0, min(len(entries), chunkSize))
	flush := func() error {
		if len(builders) == 0 {
			return nil
		}
		if err := c.AuditEvent.CreateBulk(builders...).Exec(ctx); err != nil {
			return fmt.Errorf("writing audit events up to #%d: %w", t.seq, err)
		}
		builders = builders[:0]
		return nil
	}
	for _, e := range entries {
		seq := t.seq + 1
		h, err := hashOf(seq, e, t.hash)
		if err != nil {
			return tip{}, err
		}
		b := c.AuditEvent.Create().
			SetSeq(seq).SetAt(e.at).SetActor(e.actor).
			SetAction(e.action).SetTargetType(e.targetType).SetTargetID(e.targetID).
			SetChanges(e.changes).SetPrevHash(t.hash).SetHash(h)
		if e.role != "" {
			b.SetRole(e.role)
		}
		if e.requestID != "" {
			b.SetRequestID(e.requestID)
		}
		builders = append(builders, b)
		t = tip{seq: seq, hash: h}
		if len(builders) == chunkSize {
			if err := flush(); err != nil {
				return tip{}, err
			}
		}
	}
	if err := flush(); err != nil {
		return tip{}, err
	}
	return t, nil
}

// appendTo appends entries with c, a client bound to a transaction; dia is
// the database's dialect, or "" to find it out.
func appendTo(ctx context.Context, c *ent.Client, dia string, entries []entry) error {
	if dia == "" {
		var err error
		if dia, err = dialectOf(ctx, c); err != nil {
			return err
		}
	}
	t, err := lockChain(ctx, c, dia)
	if err != nil {
		return err
	}
	_, err = write(ctx, c, t, entries)
	return err
}

// appendInTx appends entries in tx, a transaction opened for them alone,
// and commits it, or rolls it back when appending fails.
func appendInTx(ctx context.Context, tx *ent.Tx, dia string, entries []entry) error {
	if err := appendTo(ctx, tx.Client(), dia, entries); err != nil {
		if rerr := tx.Rollback(); rerr != nil {
			err = errors.Join(err, fmt.Errorf("rolling back the audit transaction: %w", rerr))
		}
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("committing the audit transaction: %w", err)
	}
	return nil
}
