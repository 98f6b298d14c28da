// Package store opens privhub's database: the embedded SQLite file by default,
// or PostgreSQL in production. It brings the schema up to date with versioned
// migrations and loads the reference data that ships with it.
package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"strings"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	_ "github.com/lib/pq"  // registers the "postgres" driver
	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/internal/stmtcache"
	"github.com/privhub/privhub/internal/telemetry"
)

// DefaultURL is the database privhub uses when none is configured.
const DefaultURL = "sqlite:privhub.db"

// DB is an open database: the ent client over it and the dialect it speaks.
type DB struct {
	// Client is the ent client; every domain package works through it.
	Client *ent.Client
	// SQL is the underlying connection pool.
	SQL *sql.DB
	// Dialect is dialect.SQLite or dialect.Postgres.
	Dialect string
}

// Close closes the database.
func (db *DB) Close() error { return db.Client.Close() }

// Ping reports whether the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.SQL.PingContext(ctx) }

// Open connects to the database named by rawURL: "sqlite:PATH" (WAL journal,
// foreign keys on), "sqlite::memory:" for a private in-memory database, or a
// "postgres://" URL. It neither migrates nor loads data: see Migrate.
func Open(ctx context.Context, rawURL string) (*DB, error) {
	driverName, dsn, dia, err := parseURL(rawURL)
	if err != nil {
		return nil, err
	}
	// Statements run for a traced request become child spans of it.
	sqlDB, err := telemetry.OpenDB(driverName, dsn, dbSystem(dia))
	if err != nil {
		return nil, fmt.Errorf("opening %s database: %w", dia, err)
	}
	if dia == dialect.SQLite {
		// One writer at a time is all SQLite allows; a small pool of readers
		// works alongside it in WAL mode. An in-memory database lives only as
		// long as a connection to it does, so it keeps exactly one.
		if strings.Contains(dsn, "mode=memory") {
			sqlDB.SetMaxOpenConns(1)
		} else {
			sqlDB.SetMaxOpenConns(4)
		}
		sqlDB.SetConnMaxIdleTime(0)
	} else {
		sqlDB.SetMaxOpenConns(20)
		sqlDB.SetMaxIdleConns(10)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := sqlDB.PingContext(pingCtx); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("connecting to %s database: %w", dia, err)
	}
	drv := stmtcache.Wrap(entsql.OpenDB(dia, sqlDB), stmtcache.DefaultLimit)
	return &DB{Client: ent.NewClient(ent.Driver(drv)), SQL: sqlDB, Dialect: dia}, nil
}

// dbSystem is the OpenTelemetry db.system.name of an ent dialect.
func dbSystem(dia string) string {
	if dia == dialect.Postgres {
		return "postgresql"
	}
	return "sqlite"
}

// SQLiteFile returns the path of the database file a "sqlite:PATH" URL
// names; ok is false for an in-memory SQLite database and for any other URL.
func SQLiteFile(rawURL string) (path string, ok bool) {
	rest, isSQLite := strings.CutPrefix(rawURL, "sqlite:")
	path = strings.TrimPrefix(rest, "//")
	if !isSQLite || path == "" || path == ":memory:" {
		return "", false
	}
	return path, true
}

// parseURL turns a privhub database URL into a database/sql driver name, a
// data source name and an ent dialect.
func parseURL(rawURL string) (driverName, dsn, dia string, err error) {
	switch {
	case strings.HasPrefix(rawURL, "sqlite:"):
		path := strings.TrimPrefix(strings.TrimPrefix(rawURL, "sqlite:"), "//")
		if path == "" {
			return "", "", "", fmt.Errorf("database URL %q names no file", rawURL)
		}
		pragmas := "_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)&_txlock=immediate"
		if path == ":memory:" {
			// A unique name keeps two in-memory databases of one process apart.
			name := fmt.Sprintf("mem%d", time.Now().UnixNano())
			return "sqlite", "file:" + name + "?mode=memory&cache=private&" + pragmas, dialect.SQLite, nil
		}
		return "sqlite", "file:" + path + "?" + pragmas + "&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)", dialect.SQLite, nil
	case strings.HasPrefix(rawURL, "postgres://"), strings.HasPrefix(rawURL, "postgresql://"):
		if _, err := url.Parse(rawURL); err != nil {
			return "", "", "", fmt.Errorf("parsing database URL: %w", err)
		}
		return "postgres", rawURL, dialect.Postgres, nil
	default:
		return "", "", "", fmt.Errorf("database URL %q: want sqlite:PATH or postgres://...", redact(rawURL))
	}
}

// redact hides a password in a URL meant for an error message.
func redact(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil || u.User == nil {
		return rawURL
	}
	return u.Redacted()
}

// Analyze brings the planner's statistics up to date after a bulk load,
// as autovacuum would in time (where it runs at all): ANALYZE on SQLite,
// VACUUM ANALYZE on PostgreSQL, which also marks the pages loaded as
// visible to all, so that a count can read the index alone.
func (db *DB) Analyze(ctx context.Context) error {
	stmt := "ANALYZE"
	if db.Dialect == dialect.Postgres {
		stmt = "VACUUM ANALYZE"
	}
	if _, err := db.SQL.ExecContext(ctx, stmt); err != nil {
		return fmt.Errorf("analyzing the %s database: %w", db.Dialect, err)
	}
	return nil
}
