package audit_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"entgo.io/ent/dialect"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/privhub/privhub/internal/audit"
	"github.com/privhub/privhub/internal/store"
	"github.com/privhub/privhub/internal/store/storetest"
)

// writeEvents appends n events, one vendor created per event.
func writeEvents(t *testing.T, db *store.DB, n int) {
	t.Helper()
	for i := range n {
		_, err := db.Client.Vendor.Create().SetName(fmt.Sprint("Vendor ", i)).SetCountryID("cty_US").Save(context.Background())
		require.NoError(t, err)
	}
}

// execSQL runs a statement written with ? placeholders, rewritten to $n on
// PostgreSQL, and returns how many rows it touched.
func execSQL(t *testing.T, db *store.DB, query string, args ...any) int64 {
	t.Helper()
	if db.Dialect == dialect.Postgres {
		n := 0
		q := []byte{}
		for _, ch := range []byte(query) {
			if ch == '?' {
				n++
				q = fmt.Appendf(q, "$%d", n)
				continue
			}
			q = append(q, ch)
		}
		query = string(q)
	}
	res, err := db.SQL.ExecContext(context.Background(), query, args...)
	require.NoError(t, err)
	n, err := res.RowsAffected()
	require.NoError(t, err)
	return n
}

// firstBad verifies the trail and returns its first bad event.
func firstBad(t *testing.T, db *store.DB) *audit.Problem {
	t.Helper()
	rep, err := audit.Verify(context.Background(), db.Client)
	require.NoError(t, err)
	require.False(t, rep.OK, "the tampering goes unnoticed")
	require.NotNil(t, rep.FirstBad)
	return rep.FirstBad
}

func TestVerifyDetectsTampering(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		writeEvents(t, db, 5)
		requireIntact(t, db, 5)

		t.Run("changed", func(t *testing.T) {
			require.EqualValues(t, 1, execSQL(t, db, "UPDATE audit_events SET action = ? WHERE seq = ?", "read", 3))
			p := firstBad(t, db)
			assert.Equal(t, int64(3), p.Seq)
			assert.Contains(t, p.Reason, "changed")
			require.EqualValues(t, 1, execSQL(t, db, "UPDATE audit_events SET action = ? WHERE seq = ?", "create", 3))
			requireIntact(t, db, 5)
		})

		t.Run("removed", func(t *testing.T) {
			var row struct {
				id, actor, action, typ, target, changes, prev, hash string
				at                                                  time.Time
			}
			q := "SELECT id, at, actor, action, target_type, target_id, changes, prev_hash, hash FROM audit_events WHERE seq = 3"
			require.NoError(t, db.SQL.QueryRow(q).Scan(&row.id, &row.at, &row.actor, &row.action, &row.typ, &row.target, &row.changes, &row.prev, &row.hash))
			require.EqualValues(t, 1, execSQL(t, db, "DELETE FROM audit_events WHERE seq = ?", 3))
			p := firstBad(t, db)
			assert.Equal(t, int64(4), p.Seq)
			assert.Contains(t, p.Reason, "event #3 is missing")
			// Put it back as it was: the chain is whole again.
			execSQL(t, db, "INSERT INTO audit_events (id, seq, at, actor, action, target_type, target_id, changes, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
				row.id, 3, row.at, row.actor, row.action, row.typ, row.target, row.changes, row.prev, row.hash)
			requireIntact(t, db, 5)
		})

		t.Run("inserted", func(t *testing.T) {
			var last string
			require.NoError(t, db.SQL.QueryRow("SELECT hash FROM audit_events WHERE seq = 5").Scan(&last))
			execSQL(t, db, "INSERT INTO audit_events (id, seq, at, actor, action, target_type, target_id, changes, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
				"aud_forged", 6, time.Now().UTC().Truncate(time.Microsecond), "system", "delete", "Vendor", "ven_x", "{}", last,
				"5d41402abc4b2a76b9719d911017c5925d41402abc4b2a76b9719d911017c592")
			p := firstBad(t, db)
			assert.Equal(t, int64(6), p.Seq)
			assert.Equal(t, "aud_forged", p.ID)
			assert.Contains(t, p.Reason, "hash does not match")
		})
	})
}

func TestVerifyNamesTheFirstBadEvent(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		writeEvents(t, db, 4)
		execSQL(t, db, "UPDATE audit_events SET action = ? WHERE seq = ?", "read", 4)
		execSQL(t, db, "UPDATE audit_events SET hash = ? WHERE seq = ?", "00", 2)
		p := firstBad(t, db)
		assert.Equal(t, int64(2), p.Seq)
		assert.Contains(t, p.Reason, "hash does not match")

		execSQL(t, db, "DELETE FROM audit_events WHERE seq = ?", 1)
		rep, err := audit.Verify(context.Background(), db.Client)
		require.NoError(t, err)
		assert.Equal(t, 3, rep.Events)
		require.NotNil(t, rep.FirstBad)
		assert.Equal(t, int64(2), rep.FirstBad.Seq)
		assert.Contains(t, rep.FirstBad.Reason, "event #1 is missing")
	})
}

func TestVerifySeesARowBeforeTheFirst(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		writeEvents(t, db, 2)
		execSQL(t, db, "INSERT INTO audit_events (id, seq, at, actor, action, target_type, target_id, changes, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			"aud_zero", 0, time.Now().UTC().Truncate(time.Microsecond), "system", "create", "Vendor", "ven_x", "{}", "", "00")
		p := firstBad(t, db)
		assert.Equal(t, int64(0), p.Seq)
		assert.Equal(t, "aud_zero", p.ID)
		assert.Contains(t, p.Reason, "where #1 was expected")
	})
}
