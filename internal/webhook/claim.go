package webhook

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"entgo.io/ent/dialect"

	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/store"
)

// The dispatcher's bookkeeping, in SQL of its own: claiming needs row locks
// ent does not express, and none of it is a write the audit trail records.
//
// A claim takes the due delivery that has waited longest, counts the
// attempt, and sets its next_attempt_at to the end of a lease and its claim
// to a fresh token, in one statement. On PostgreSQL the row is picked FOR
// UPDATE SKIP LOCKED, so that concurrent servers each take a different one;
// SQLite has one writer at a time, so the statement runs alone. While the
// lease lasts no one else claims the delivery; when it runs out (its
// claimant died mid-attempt) the delivery is due again. Only the claimant
// records a failure (its token must still be there), and nothing changes a
// delivery once it is DELIVERED, which is never claimed again.
const (
	claimSQL = `UPDATE webhook_deliveries SET attempts = attempts + 1, next_attempt_at = ?, claim = ?, updated_at = ?
WHERE id = (SELECT id FROM webhook_deliveries
	WHERE status IN ('PENDING', 'FAILED') AND next_attempt_at <= ?
	AND subscriber_id IN (SELECT id FROM webhook_subscribers WHERE active)
	ORDER BY next_attempt_at, id LIMIT 1%s)
RETURNING id, attempts`
	deliveredSQL = `UPDATE webhook_deliveries SET status = 'DELIVERED', delivered_at = ?, last_status_code = ?,
	last_error = NULL, next_attempt_at = NULL, claim = NULL, updated_at = ?
WHERE id = ? AND status <> 'DELIVERED'`
	failedSQL = `UPDATE webhook_deliveries SET status = ?, next_attempt_at = ?, last_status_code = ?, last_error = ?,
	claim = NULL, updated_at = ?
WHERE id = ? AND claim = ? AND status <> 'DELIVERED'`
	releaseSQL = `UPDATE webhook_deliveries SET attempts = attempts - 1, next_attempt_at = ?, claim = NULL, updated_at = ?
WHERE id = ? AND claim = ? AND status <> 'DELIVERED' AND attempts > 0`
	queueSQL = `SELECT status, COUNT(*) FROM webhook_deliveries WHERE status IN ('PENDING', 'FAILED') GROUP BY status`
)

// The stored values of the delivery statuses.
const (
	statusDelivered = "DELIVERED"
	statusFailed    = "FAILED"
	statusGivenUp   = "GIVEN_UP"
	statusPending   = "PENDING"
)

// claimed is a delivery this dispatcher holds the lease of.
type claimed struct {
	id      pulid.ID
	attempt int
	token   string
}

// queue runs the bookkeeping statements on one database.
type queue struct {
	db      *sql.DB
	dialect string
}

// newQueue returns the queue of db.
func newQueue(db *store.DB) *queue { return &queue{db: db.SQL, dialect: db.Dialect} }

// bind rewrites the ? placeholders of q for the dialect.
func (q *queue) bind(stmt string) string {
	if q.dialect != dialect.Postgres {
		return stmt
	}
	var b strings.Builder
	n := 0
	for _, r := range stmt {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// claim takes the lease, until leaseUntil, of the delivery due at now that
// has waited longest; ok is false when none is due.
func (q *queue) claim(ctx context.Context, now, leaseUntil time.Time) (c claimed, ok bool, err error) {
	lock := ""
	if q.dialect == dialect.Postgres {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	c.token, err = newToken()
	if err != nil {
		return c, false, err
	}
	row := q.db.QueryRowContext(ctx, q.bind(fmt.Sprintf(claimSQL, lock)), leaseUntil.UTC(), c.token, now.UTC(), now.UTC())
	switch err := row.Scan(&c.id, &c.attempt); {
	case errors.Is(err, sql.ErrNoRows):
		return c, false, nil
	case err != nil:
		return c, false, fmt.Errorf("claiming a due webhook delivery: %w", err)
	}
	return c, true, nil
}

// delivered records that the receiver accepted the delivery.
func (q *queue) delivered(ctx context.Context, id pulid.ID, code int, now time.Time) error {
	if _, err := q.db.ExecContext(ctx, q.bind(deliveredSQL), now.UTC(), code, now.UTC(), id); err != nil {
		return fmt.Errorf("recording webhook delivery %s as delivered: %w", id, err)
	}
	return nil
}

// failed records a failed attempt of c: status FAILED with the next attempt
// due at next, or GIVEN_UP (next nil). code is 0 when nothing answered.
func (q *queue) failed(ctx context.Context, c claimed, status string, next *time.Time, code int, why string, now time.Time) error {
	var nextArg, codeArg any
	if next != nil {
		nextArg = next.UTC()
	}
	if code != 0 {
		codeArg = code
	}
	if _, err := q.db.ExecContext(ctx, q.bind(failedSQL), status, nextArg, codeArg, why, now.UTC(), c.id, c.token); err != nil {
		return fmt.Errorf("recording a failed attempt of webhook delivery %s: %w", c.id, err)
	}
	return nil
}

// release gives up the lease of c without counting its attempt, due again
// at now: what a dispatcher stopped mid-attempt does.
func (q *queue) release(ctx context.Context, c claimed, now time.Time) error {
	if _, err := q.db.ExecContext(ctx, q.bind(releaseSQL), now.UTC(), now.UTC(), c.id, c.token); err != nil {
		return fmt.Errorf("releasing webhook delivery %s: %w", c.id, err)
	}
	return nil
}

// depth counts the deliveries waiting: PENDING and FAILED.
func (q *queue) depth(ctx context.Context) (pending, failed int, err error) {
	rows, err := q.db.QueryContext(ctx, queueSQL)
	if err != nil {
		return 0, 0, fmt.Errorf("counting waiting webhook deliveries: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var status string
		var n int
		if err := rows.Scan(&status, &n); err != nil {
			return 0, 0, fmt.Errorf("counting waiting webhook deliveries: %w", err)
		}
		if status == statusPending {
			pending = n
		} else {
			failed = n
		}
	}
	if err := rows.Err(); err != nil {
		return 0, 0, fmt.Errorf("counting waiting webhook deliveries: %w", err)
	}
	return pending, failed, nil
}

// newToken returns a fresh claim token.
func newToken() (string, error) {
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("making a claim token: %w", err)
	}
	return hex.EncodeToString(b[:]), nil
}
