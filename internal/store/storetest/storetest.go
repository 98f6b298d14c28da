// Package storetest gives each test its own fresh, migrated database, on
// SQLite and on PostgreSQL.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"testing"

	"entgo.io/ent/dialect"

	"github.com/privhub/privhub/internal/audit"
	"github.com/privhub/privhub/internal/integrity"
	"github.com/privhub/privhub/internal/store"
)

// PostgresAdminURL is the server tests create their databases on, from
// PRIVHUB_TEST_POSTGRES_URL or the local default.
func PostgresAdminURL() string {
	if u := os.Getenv("PRIVHUB_TEST_POSTGRES_URL"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
}

// Dialects lists the dialects every database test runs on.
func Dialects() []string { return []string{dialect.SQLite, dialect.Postgres} }

// Run runs fn once per dialect, as subtests named after the dialect, each
// with a fresh migrated database.
func Run(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	for _, d := range Dialects() {
		t.Run(d, func(t *testing.T) { fn(t, Open(t, d)) })
	}
}

// Open returns a fresh migrated database of the dialect, with privhub's
// write rules and audit hook installed, removed when the test
// ends. Without a reachable PostgreSQL server a PostgreSQL test is skipped,
// except when CI=true, where it fails.
func Open(t testing.TB, dia string) *store.DB {
	t.Helper()
	ctx := context.Background()
	u := URL(t, dia)
	db, err := store.Open(ctx, u)
	if err != nil {
		t.Fatalf("opening test database: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	integrity.Register(db.Client)
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrating test database: %v", err)
	}
	// After Migrate, as in privhub's openDB: the reference data it upserts
	// at every start is not an audited change.
	audit.Register(db.Client)
	return db
}

// URL creates an empty database of the dialect and returns its URL; the
// database is dropped when the test ends.
func URL(t testing.TB, dia string) string {
	t.Helper()
	switch dia {
	case dialect.SQLite:
		return "sqlite:" + t.TempDir() + "/test.db"
	case dialect.Postgres:
		return postgresURL(t)
	}
	t.Fatalf("unknown dialect %q", dia)
	return ""
}

func postgresURL(t testing.TB) string {
	t.Helper()
	admin, err := sql.Open("postgres", PostgresAdminURL())
	if err == nil {
		err = admin.Ping()
	}
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("PostgreSQL is required under CI and does not answer: %v", err)
		}
		t.Skipf("PostgreSQL not reachable (%v); set CI=true to make this a failure", err)
	}
	defer admin.Close()
	var b [6]byte
	_, _ = rand.Read(b[:])
	name := "privhub_test_" + hex.EncodeToString(b[:])
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("creating test database: %v", err)
	}
	t.Cleanup(func() {
		a, err := sql.Open("postgres", PostgresAdminURL())
		if err != nil {
			return
		}
		defer a.Close()
		_, _ = a.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
	})
	u, err := url.Parse(PostgresAdminURL())
	if err != nil {
		t.Fatalf("parsing %s: %v", PostgresAdminURL(), err)
	}
	u.Path = "/" + name
	return fmt.Sprint(u)
}
