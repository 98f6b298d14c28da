package trace_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/privhub/privhub/ent/datarecord"
	"github.com/privhub/privhub/internal/audit"
	"github.com/privhub/privhub/internal/store"
	"github.com/privhub/privhub/internal/store/storetest"
	"github.com/privhub/privhub/internal/trace"
)

// TestWatchFollowsOtherProcesses checks that a watching engine's answers
// follow the writes of another process sharing the database (here a
// second client, whose writes the engine's hooks do not see, but which
// appends to the audit trail), as well as its own; and that while nothing
// is written, a question reads only the trail's position.
func TestWatchFollowsOtherProcesses(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		other := newWorld(t, db) // db.Client: audited, unseen by the engine's hooks
		org := other.org("Org", "BE")
		v := other.vendor("V", "FR")
		other.transfer(org, v, flow{})
		u1 := other.user()
		other.record(u1, "contact.email", org)

		c, counted := storetest.CountingClient(db)
		audit.Register(c)
		e := trace.New(c)
		e.Watch(c)
		own := *other
		own.c, own.users = c, 1000 // its users numbered apart
		require.NoError(t, e.Warm(other.ctx))

		users := func() map[string]int {
			t.Helper()
			hs, err := e.Holders(other.ctx, other.cat("contact.email").ID, false, asOf)
			require.NoError(t, err)
			m := map[string]int{}
			for _, h := range hs {
				m[h.Holder.HolderName()] = h.Users
			}
			return m
		}
		assert.Equal(t, map[string]int{"Org": 1, "V": 1}, users())
		counted.Take()
		assert.Equal(t, map[string]int{"Org": 1, "V": 1}, users())
		assert.EqualValues(t, 1, counted.Take(), "with nothing written, only the trail's position is read")

		// Another process inserts, updates and deletes records.
		u2 := other.user()
		other.record(u2, "contact.email", org)
		assert.Equal(t, map[string]int{"Org": 2, "V": 2}, users())
		require.NoError(t, other.c.DataRecord.Update().Where(datarecord.UserID(u2.ID)).
			SetCollectedAt(later).Exec(other.ctx))
		assert.Equal(t, map[string]int{"Org": 1, "V": 1}, users())
		_, err := other.c.DataRecord.Delete().Where(datarecord.UserID(u1.ID)).Exec(other.ctx)
		require.NoError(t, err)
		assert.Empty(t, users())

		// It adds a vendor and a transfer: the snapshot is reloaded.
		w := other.vendor("W", "DE")
		other.transfer(org, w, flow{})
		u3 := other.user()
		other.record(u3, "contact.email", org)
		assert.Equal(t, map[string]int{"Org": 1, "V": 1, "W": 1}, users())
		x, err := e.Exposure(other.ctx, w.ID, asOf)
		require.NoError(t, err)
		assert.Equal(t, 1, x.Users)

		// The engine's own process inserts: its hooks count the insert.
		u4 := own.user()
		own.record(u4, "contact.email", org)
		assert.Equal(t, map[string]int{"Org": 2, "V": 2, "W": 2}, users())
		counted.Take()
		assert.Equal(t, map[string]int{"Org": 2, "V": 2, "W": 2}, users())
		assert.LessOrEqual(t, counted.Take(), int64(2), "after a question caught up, only the trail again (and its new events)")
	})
}
