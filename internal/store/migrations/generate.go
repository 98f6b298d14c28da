//go:build ignore

// generate writes a new versioned migration for each dialect from the
// difference between the migrations already in this directory and the ent
// schema. Run it from the module root with `make migration NAME=...`; it needs
// the local PostgreSQL server (PRIVHUB_MIGRATE_POSTGRES_URL, by default
// postgres://postgres@127.0.0.1:5432/postgres) to replay the PostgreSQL
// directory into a scratch database.
package main

import (
	"context"
	"database/sql"
	"fmt"
	"log"
	"os"
	"time"

	atlasmigrate "ariga.io/atlas/sql/migrate"
	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"entgo.io/ent/dialect/sql/schema"
	_ "github.com/lib/pq"
	_ "modernc.org/sqlite"

	"github.com/privhub/privhub/ent/migrate"
)

func main() {
	if len(os.Args) != 2 {
		log.Fatal("usage: go run ./internal/store/migrations/generate.go NAME")
	}
	name := os.Args[1]
	ctx := context.Background()

	lite, err := sql.Open("sqlite", "file:gen?mode=memory&_pragma=foreign_keys(1)")
	if err != nil {
		log.Fatal(err)
	}
	lite.SetMaxOpenConns(1)
	if err := diff(ctx, entsql.OpenDB(dialect.SQLite, lite), "internal/store/migrations/sqlite", name); err != nil {
		log.Fatalf("sqlite: %v", err)
	}

	admin := os.Getenv("PRIVHUB_MIGRATE_POSTGRES_URL")
	if admin == "" {
		admin = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	}
	adminDB, err := sql.Open("postgres", admin)
	if err != nil {
		log.Fatal(err)
	}
	scratch := fmt.Sprintf("privhub_migrate_%d", time.Now().UnixNano())
	if _, err := adminDB.ExecContext(ctx, "CREATE DATABASE "+scratch); err != nil {
		log.Fatalf("creating scratch database: %v", err)
	}
	defer adminDB.ExecContext(ctx, "DROP DATABASE "+scratch)
	pg, err := sql.Open("postgres", fmt.Sprintf("postgres://postgres@127.0.0.1:5432/%s?sslmode=disable", scratch))
	if err != nil {
		log.Fatal(err)
	}
	err = diff(ctx, entsql.OpenDB(dialect.Postgres, pg), "internal/store/migrations/postgres", name)
	pg.Close()
	if err != nil {
		log.Fatalf("postgres: %v", err)
	}
}

func diff(ctx context.Context, drv dialect.Driver, path, name string) error {
	dir, err := atlasmigrate.NewLocalDir(path)
	if err != nil {
		return err
	}
	return migrate.NewSchema(drv).NamedDiff(ctx, name,
		schema.WithDir(dir),
		schema.WithMigrationMode(schema.ModeReplay),
		schema.WithDialect(drv.Dialect()),
		schema.WithFormatter(atlasmigrate.DefaultFormatter),
		schema.WithDropColumn(true),
		schema.WithDropIndex(true),
	)
}
