package stmtcache_test

import (
	"context"
	"testing"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"github.com/stretchr/testify/require"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/country"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/stmtcache"
	"github.com/privhub/privhub/internal/store"
	"github.com/privhub/privhub/internal/store/storetest"
)

// open returns a client over db's pool whose driver keeps at most limit
// statements, and that driver.
func open(db *store.DB, limit int) (*ent.Client, *stmtcache.Driver) {
	drv := stmtcache.Wrap(entsql.OpenDB(db.Dialect, db.SQL), limit)
	return ent.NewClient(ent.Driver(drv)), drv
}

func TestUsePreparesOnceAndAnswersAlike(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		client, drv := open(db, 4)
		want, err := client.Country.Query().Where(country.Eu(true)).IDs(ctx)
		require.NoError(t, err)
		require.Len(t, want, 27)
		require.Zero(t, drv.Len(), "a query outside Use is not prepared")

		used := stmtcache.Use(ctx)
		for range 5 {
			got, err := client.Country.Query().Where(country.Eu(true)).IDs(used)
			require.NoError(t, err)
			require.Equal(t, want, got)
			be, err := client.Country.Get(used, "cty_BE")
			require.NoError(t, err)
			require.Equal(t, "Belgium", be.Name)
		}
		require.Equal(t, 2, drv.Len(), "one statement per query text, however often asked")

		_, err = client.Country.Get(used, "cty_XX")
		require.True(t, ent.IsNotFound(err), "a prepared query finds nothing as an unprepared one does: %v", err)

		rows, err := drv.QueryContext(used, "SELECT count(*) FROM countries WHERE eu = "+placeholder(db.Dialect), true)
		require.NoError(t, err)
		require.True(t, rows.Next())
		var n int
		require.NoError(t, rows.Scan(&n))
		require.NoError(t, rows.Close())
		require.Equal(t, 27, n)
		require.Equal(t, 3, drv.Len())
	})
}

func TestUseInsideTransactionIsNotPrepared(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := stmtcache.Use(context.Background())
		client, drv := open(db, 4)
		tx, err := client.Tx(ctx)
		require.NoError(t, err)
		_, err = tx.Country.Get(ctx, "cty_BE")
		require.NoError(t, err)
		require.NoError(t, tx.Rollback())
		require.Zero(t, drv.Len())
	})
}

func TestLimitClosesTheOldest(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := stmtcache.Use(context.Background())
		client, drv := open(db, 2)
		// An open result keeps its statement usable after it is evicted.
		rows, err := drv.QueryContext(ctx, "SELECT id FROM countries ORDER BY id")
		require.NoError(t, err)
		for _, code := range []pulid.ID{"cty_BE", "cty_FR", "cty_DE"} {
			_, err := client.Country.Query().Where(country.ID(code)).Only(ctx)
			require.NoError(t, err)
			_, err = client.Country.Query().Where(country.ID(code), country.Eu(true)).Only(ctx)
			require.NoError(t, err)
		}
		require.Equal(t, 2, drv.Len())
		n := 0
		for rows.Next() {
			n++
		}
		require.NoError(t, rows.Err())
		require.NoError(t, rows.Close())
		require.Equal(t, 249, n)
	})
}

// TestPostgresKeepsOneStatementPerText looks at PostgreSQL's own list of a
// session's prepared statements: asking again does not prepare again.
func TestPostgresKeepsOneStatementPerText(t *testing.T) {
	db := storetest.Open(t, dialect.Postgres)
	db.SQL.SetMaxOpenConns(1) // one session, whose statements we can list
	ctx := stmtcache.Use(context.Background())
	client, _ := open(db, 4)
	for range 5 {
		_, err := client.Country.Get(ctx, "cty_BE")
		require.NoError(t, err)
	}
	var n int
	require.NoError(t, db.SQL.QueryRowContext(context.Background(),
		"SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%FROM \"countries\"%'").Scan(&n))
	require.Equal(t, 1, n)
}

func placeholder(dia string) string {
	if dia == dialect.Postgres {
		return "$1"
	}
	return "?"
}
