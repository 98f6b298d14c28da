package store_test

import (
	"bytes"
	"context"
	"testing"

	"entgo.io/ent/dialect"
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
		be, err := db.Client.Country.Get(ctx, "cty_BE")
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

// TestMigrationKeepsData applies the first migration, writes a vendor with
// transfers pointing to it, then the later migrations: the rows survive the
// table rebuilds, the new columns are filled in and the references to a
// country follow it to its global ID.
func TestMigrationKeepsData(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, storetest.URL(t, "sqlite3"))
	require.NoError(t, err)
	defer db.Close()
	first := []string{"20261128190722_init"}
	require.NoError(t, db.MigrateOnly(ctx, first))
	_, err = db.SQL.ExecContext(ctx, `INSERT INTO countries (id, name, eu, eea) VALUES ('FR', 'France', true, true)`)
	require.NoError(t, err)
	_, err = db.SQL.ExecContext(ctx, `INSERT INTO vendors (id, created_at, updated_at, name, status, risk_tier, country_id) VALUES ('vnd_1', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 'Nimbra', 'ACTIVE', 'HIGH', 'FR')`)
	require.NoError(t, err)
	require.NoError(t, db.Migrate(ctx))
	v, err := db.Client.Vendor.Get(ctx, "vnd_1")
	require.NoError(t, err)
	require.Equal(t, 1, v.RiskRank)
	// Countries got global IDs: the vendor follows its country.
	require.EqualValues(t, "cty_FR", v.CountryID)
	var bare int
	require.NoError(t, db.SQL.QueryRowContext(ctx, `SELECT COUNT(*) FROM countries WHERE id NOT LIKE 'cty%'`).Scan(&bare))
	require.Zero(t, bare)
}

func TestAnalyzeAfterABulkLoad(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		require.NoError(t, db.Analyze(context.Background()))
		if db.Dialect == dialect.Postgres {
			// The vacuum marked the reference data's pages all-visible.
			var visible int
			require.NoError(t, db.SQL.QueryRow("SELECT relallvisible FROM pg_class WHERE relname = 'countries'").Scan(&visible))
			require.Positive(t, visible)
		}
	})
}
