package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"log/slog"
	"path"
	"slices"
	"sort"
	"strings"

	"entgo.io/ent/dialect"

	"github.com/privhub/privhub/internal/refdata"
)

// migrations holds one directory of versioned SQL files per dialect, made by
// `make migration NAME=...` from the ent schema.
//
//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrations embed.FS

// Migrate applies every migration the database has not seen yet, each in its
// own transaction and recorded in schema_migrations, then loads the reference
// data (countries and adequacy decisions). It is safe to run at every start.
func (db *DB) Migrate(ctx context.Context) error {
	if err := db.applyAll(ctx, nil); err != nil {
		return err
	}
	if err := refdata.Load(ctx, db.Client); err != nil {
		return fmt.Errorf("loading reference data: %w", err)
	}
	return nil
}

// applyAll applies the dialect's migration files in order, only those named
// in only when it is not nil.
func (db *DB) applyAll(ctx context.Context, only []string) error {
	dir := "migrations/" + map[string]string{dialect.SQLite: "sqlite", dialect.Postgres: "postgres"}[db.Dialect]
	files, err := fs.Glob(migrations, dir+"/*.sql")
	if err != nil {
		return fmt.Errorf("listing migrations: %w", err)
	}
	sort.Strings(files)
	if _, err := db.SQL.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version VARCHAR(255) PRIMARY KEY,
		applied_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)`); err != nil {
		return fmt.Errorf("creating schema_migrations: %w", err)
	}
	for _, f := range files {
		version := strings.TrimSuffix(path.Base(f), ".sql")
		if only != nil && !slices.Contains(only, version) {
			continue
		}
		if err := db.apply(ctx, f, version); err != nil {
			return err
		}
	}
	return nil
}

// apply runs one migration file unless it was applied before. On PostgreSQL an
// advisory lock keeps two servers starting at once from racing; SQLite's
// immediate transactions already serialise writers. A SQLite migration that
// rebuilds a table turns foreign keys off around its transaction (SQLite
// ignores the pragma inside one) and checks them all before committing.
func (db *DB) apply(ctx context.Context, file, version string) error {
	body, err := migrations.ReadFile(file)
	if err != nil {
		return fmt.Errorf("reading migration %s: %w", version, err)
	}
	conn, err := db.SQL.Conn(ctx)
	if err != nil {
		return fmt.Errorf("starting migration %s: %w", version, err)
	}
	defer conn.Close()
	rebuild := db.Dialect == dialect.SQLite && strings.Contains(string(body), "PRAGMA foreign_keys = off")
	if rebuild {
		if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys = off"); err != nil {
			return fmt.Errorf("preparing migration %s: %w", version, err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA foreign_keys = on")
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("starting migration %s: %w", version, err)
	}
	defer tx.Rollback()
	if db.Dialect == dialect.Postgres {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(7201)`); err != nil {
			return fmt.Errorf("locking for migration %s: %w", version, err)
		}
	}
	var n int
	q := `SELECT COUNT(*) FROM schema_migrations WHERE version = ` + db.placeholder(1)
	if err := tx.QueryRowContext(ctx, q, version).Scan(&n); err != nil {
		return fmt.Errorf("checking migration %s: %w", version, err)
	}
	if n > 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return fmt.Errorf("applying migration %s: %w", version, err)
	}
	if rebuild {
		rows, err := tx.QueryContext(ctx, "PRAGMA foreign_key_check")
		if err != nil {
			return fmt.Errorf("checking foreign keys after migration %s: %w", version, err)
		}
		broken := rows.Next()
		rows.Close()
		if broken {
			return fmt.Errorf("migration %s would break foreign keys", version)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version) VALUES (`+db.placeholder(1)+`)`, version); err != nil {
		return fmt.Errorf("recording migration %s: %w", version, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("committing migration %s: %w", version, err)
	}
	slog.InfoContext(ctx, "applied migration", "version", version, "dialect", db.Dialect)
	return nil
}

func (db *DB) placeholder(n int) string {
	if db.Dialect == dialect.Postgres {
		return fmt.Sprintf("$%d", n)
	}
	return "?"
}
