package store_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/privhub/privhub/internal/store"
	"github.com/privhub/privhub/internal/store/storetest"
)

func TestMigrateLoadsReferenceDataOnce(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		require.NoError(t, db.Migrate(ctx), "a second migration run changes nothing")
		n, err := db.Client.Country.Query().Count(ctx)
		require.NoError(t, err)
		require.Equal(t, 249, n)
		be, err := db.Client.Country.Get(ctx, "BE")
		require.NoError(t, err)
		require.True(t, be.Eu)
		adq, err := db.Client.AdequacyDecision.Query().Count(ctx)
		require.NoError(t, err)
		require.Greater(t, adq, 90)
	})
}

// TestMigrationsMatchSchema fails when ent/schema changed without a new
// migration: the migrated database must already be what the schema describes.
func TestMigrationsMatchSchema(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		var buf bytes.Buffer
		require.NoError(t, db.Client.Schema.WriteTo(context.Background(), &buf))
		require.NotContains(t, buf.String(), "CREATE", "run make migration NAME=...: %s", buf.String())
		require.NotContains(t, buf.String(), "ALTER", "run make migration NAME=...: %s", buf.String())
	})
}
