package compliance

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/privhub/privhub/internal/demo"
	"github.com/privhub/privhub/internal/store"
	"github.com/privhub/privhub/internal/store/storetest"
)

// TestFollowOutOfOrder checks that a row committed with an ID below the
// greatest one read, as a transaction that committed late leaves it, makes
// the follower read the table whole rather than miss the row.
func TestFollowOutOfOrder(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		_, err := demo.Load(ctx, db.Client)
		require.NoError(t, err)
		records, err := loadRecords(ctx, db.Client, db.Dialect)
		require.NoError(t, err)
		before := len(records.list)
		first := records.list[0]
		ofUser := len(records.byUser[first.user])

		const low = "rec_00000000000000000000000000"
		_, err = db.SQL.ExecContext(ctx, `INSERT INTO data_records
			(id, created_at, updated_at, source, collected_at, legal_hold, category_id, collector_organization_id, collector_vendor_id, user_id)
			SELECT '`+low+`', created_at, updated_at, source, collected_at, legal_hold, category_id, collector_organization_id, collector_vendor_id, user_id
			FROM data_records WHERE id = '`+string(first.id)+`'`)
		require.NoError(t, err)

		require.NoError(t, follow(ctx, db.Client, records))
		assert.Len(t, records.list, before+1)
		assert.Equal(t, low, string(records.list[0].id), "read whole, in ID order")
		assert.Len(t, records.byUser[first.user], ofUser+1)
		assert.Equal(t, int64(before+1), records.seen.Count)
	})
}
