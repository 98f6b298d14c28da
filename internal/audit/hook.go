package audit

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/privhub/privhub/ent"
)

// Register installs on every entity client of c a hook that appends one
// audit event per row written by every create, update and delete, except
// of audit events themselves; call it once per client. Inside a transaction
// the events are appended when it commits, as part of it: a rolled-back
// transaction leaves none, and a commit that cannot append them fails and
// rolls back. Outside a transaction they are appended right after the write,
// in a transaction of their own. A mutation whose events cannot be prepared
// fails before it runs. Writes under Suppress leave no event. Events take
// their seq when they are appended, so that the chain follows the order in
// which transactions commit; their at is the time of the write.
func Register(c *ent.Client) {
	r := &recorder{}
	c.Use(r.hook)
}

// recorder is the state of one Register: the database's dialect, learned
// on the first append.
type recorder struct {
	mu  sync.Mutex
	dia string
}

// hook is the ent hook Register installs.
func (r *recorder) hook(next ent.Mutator) ent.Mutator {
	return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
		if m.Type() == ent.TypeAuditEvent || suppressed(ctx) {
			return next.Mutate(ctx, m)
		}
		gm, ok := m.(mutation)
		if !ok {
			return nil, fmt.Errorf("auditing a write of %s: mutation %T has no ID, IDs or Client method", m.Type(), m)
		}
		p, err := prepare(ctx, gm)
		if err != nil {
			return nil, fmt.Errorf("auditing a write of %s: %w", m.Type(), err)
		}
		v, err := next.Mutate(ctx, m)
		if err != nil {
			return v, err
		}
		entries, err := p.entries(ctx, gm)
		if err == nil {
			err = r.record(ctx, gm, entries)
		}
		if err != nil {
			return nil, fmt.Errorf("auditing a %s of %s: %w", p.action, m.Type(), err)
		}
		return v, nil
	})
}

// record appends the entries of m, which has run: when its transaction
// commits if it runs in one, now in a transaction of their own otherwise.
func (r *recorder) record(ctx context.Context, m mutation, entries []entry) error {
	if len(entries) == 0 {
		return nil
	}
	if txm, ok := m.(interface{ Tx() (*ent.Tx, error) }); ok {
		if tx, err := txm.Tx(); err == nil {
			tx.OnCommit(func(next ent.Committer) ent.Committer {
				return &committer{r: r, entries: entries, next: next}
			})
			return nil
		}
	}
	tx, err := m.Client().Tx(ctx)
	if err != nil {
		return fmt.Errorf("starting the audit transaction: %w", err)
	}
	dia, err := r.dialect(ctx, tx.Client())
	if err != nil {
		return errors.Join(err, tx.Rollback())
	}
	return appendInTx(ctx, tx, dia, entries)
}

// dialect returns the dialect of the database, finding it out with c the
// first time (the lock is not held while asking the database).
func (r *recorder) dialect(ctx context.Context, c *ent.Client) (string, error) {
	r.mu.Lock()
	d := r.dia
	r.mu.Unlock()
	if d != "" {
		return d, nil
	}
	d, err := dialectOf(ctx, c)
	if err != nil {
		return "", err
	}
	r.mu.Lock()
	r.dia = d
	r.mu.Unlock()
	return d, nil
}

// committer appends the entries of one mutation when its transaction
// commits, before the commit itself. The committers of consecutive
// mutations hand their entries down to the last one, which appends them all
// at once; the tip of the chain passes down the commit chain in the context,
// so that it is read once per commit.
type committer struct {
	r       *recorder
	entries []entry
	next    ent.Committer
}

// Commit implements ent.Committer.
func (c *committer) Commit(ctx context.Context, tx *ent.Tx) error {
	return c.commit(ctx, tx, nil)
}

func (c *committer) commit(ctx context.Context, tx *ent.Tx, carried []entry) error {
	all := append(carried, c.entries...)
	if n, ok := c.next.(*committer); ok && n.r == c.r {
		return n.commit(ctx, tx, all)
	}
	t, err := c.r.flush(ctx, tx, all)
	if err != nil {
		if rerr := tx.Rollback(); rerr != nil {
			err = errors.Join(err, fmt.Errorf("rolling back: %w", rerr))
		}
		return fmt.Errorf("appending the audit events of the transaction: %w", err)
	}
	return c.next.Commit(context.WithValue(ctx, tipKey{}, txTip{tx: tx, tip: t}), tx)
}

// tipKey carries a txTip down a commit chain.
type tipKey struct{}

// txTip is the tip of the chain as transaction tx left it.
type txTip struct {
	tx  *ent.Tx
	tip tip
}

// flush appends entries in tx, after the tip an earlier committer of the
// same commit left in ctx or else after the chain's last event.
func (r *recorder) flush(ctx context.Context, tx *ent.Tx, entries []entry) (tip, error) {
	c := tx.Client()
	t, ok := ctx.Value(tipKey{}).(txTip)
	if !ok || t.tx != tx {
		dia, err := r.dialect(ctx, c)
		if err != nil {
			return tip{}, err
		}
		if t.tip, err = lockChain(ctx, c, dia); err != nil {
			return tip{}, err
		}
	}
	return write(ctx, c, t.tip, entries)
}
