package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/privhub/privhub/internal/audit"
	"github.com/privhub/privhub/internal/demo"
	"github.com/privhub/privhub/internal/integrity"
	"github.com/privhub/privhub/internal/server"
	"github.com/privhub/privhub/internal/store"
)

// newFlags returns a flag set for a command with the --database flag every
// command shares.
func newFlags(name, summary string, stdout io.Writer) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stdout)
	fs.Usage = func() {
		fmt.Fprintf(stdout, "Usage: privhub %s [flags]\n\n%s\n\nFlags:\n", name, summary)
		fs.PrintDefaults()
	}
	db := fs.String("database", envOr("PRIVHUB_DATABASE_URL", store.DefaultURL),
		"database URL: sqlite:PATH or postgres://user@host:5432/db (env PRIVHUB_DATABASE_URL)")
	return fs, db
}

// openDB opens and migrates the database and installs the write rules and
// the audit trail's hook. The hook goes in after Migrate: the reference data
// Migrate upserts at every start is not an audited change.
func openDB(ctx context.Context, url string) (*store.DB, error) {
	db, err := store.Open(ctx, url)
	if err != nil {
		return nil, err
	}
	integrity.Register(db.Client)
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrating: %w", err)
	}
	audit.Register(db.Client)
	return db, nil
}

func serve(ctx context.Context, args []string, stdout io.Writer, log *slog.Logger) error {
	fs, dbURL := newFlags("serve", "Serves the DPO console at /, the GraphQL API at /graphql and GraphiQL at\n/graphiql. An empty database is first loaded with the Lumora demo dataset\nunless --no-demo is given. Every GraphQL request needs an API token (privhub\ntoken create), which the console exchanges for a session cookie at sign-in;\non a SQLite database file, serve keeps an ADMIN token in\nDATABASE_FILE.admin-token and prints it with a GraphiQL link that carries it.\nIt also delivers the webhook outbox's due deliveries (unless --no-webhooks).", stdout)
	cfg := server.Config{Warm: true}
	fs.StringVar(&cfg.Addr, "addr", envOr("PRIVHUB_ADDR", "127.0.0.1:8080"), "address to listen on (env PRIVHUB_ADDR)")
	noDemo := fs.Bool("no-demo", false, "do not load the demo dataset into an empty database")
	fs.Int64Var(&cfg.MaxBodyBytes, "max-body-bytes", 1<<20, "largest request body accepted")
	fs.IntVar(&cfg.MaxDepth, "max-depth", 12, "deepest field nesting a query may have")
	fs.IntVar(&cfg.MaxComplexity, "max-complexity", 100000, "highest query complexity (a connection counts its page size times its fields)")
	fs.IntVar(&cfg.MaxTokens, "max-tokens", 10000, "most tokens a GraphQL document may have (counted before parsing)")
	fs.IntVar(&cfg.MaxFields, "max-fields", 500, "most fields a GraphQL document may select (counted before parsing)")
	fs.DurationVar(&cfg.Timeout, "timeout", 30*time.Second, "longest time spent on one request")
	fs.BoolVar(&cfg.DisableIntrospection, "no-introspection", false, "disable schema introspection")
	fs.Float64Var(&cfg.RateLimit, "rate-limit", 20, "GraphQL requests per second each API token may send (0: no limit); more get HTTP 429")
	fs.IntVar(&cfg.RateBurst, "rate-burst", 40, "requests a token may send at once above --rate-limit")
	opsF := addOpsFlags(fs)
	hooksF := addWebhookFlags(fs)
	adminFile := fs.String("admin-token-file", "", "file that keeps a local ADMIN token, made when missing or no longer valid\n(default: the SQLite database file's path + .admin-token; none for PostgreSQL)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	tuneGC()
	ops, err := opsF.apply(ctx, &cfg, stdout, log)
	if err != nil {
		return err
	}
	defer ops.close()
	db, err := openDB(ctx, *dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	if !*noDemo {
		empty, err := isEmpty(ctx, db)
		if err != nil {
			return err
		}
		if empty {
			if _, err := demo.Load(ctx, db.Client); err != nil {
				return fmt.Errorf("loading the demo dataset: %w", err)
			}
			log.Info("loaded the Lumora demo dataset into the empty database")
		}
	}
	token, err := localAdminToken(ctx, db, *dbURL, *adminFile, log)
	if err != nil {
		return err
	}
	h := server.Handler(cfg, db, log)
	stopWebhooks := hooksF.start(ctx, db, cfg.Metrics, log)
	defer stopWebhooks()
	return server.Serve(ctx, cfg, h, log, func(addr string) {
		fmt.Fprintf(stdout, "privhub is serving (%s database)\n  Console:  http://%s/\n  GraphiQL: http://%s/graphiql\n  GraphQL:  http://%s/graphql\n", db.Dialect, addr, addr, addr)
		if token != "" {
			fmt.Fprintf(stdout, "  admin token: %s (paste it into the console's sign-in)\n  GraphiQL signed in as admin: http://%s/graphiql#token=%s\n", token, addr, token)
		}
	})
}

// isEmpty reports whether the database holds no data of its own yet (only
// the reference data every migration loads).
func isEmpty(ctx context.Context, db *store.DB) (bool, error) {
	n, err := db.Client.Organization.Query().Count(ctx)
	if err != nil {
		return false, fmt.Errorf("counting organizations: %w", err)
	}
	v, err := db.Client.Vendor.Query().Count(ctx)
	if err != nil {
		return false, fmt.Errorf("counting vendors: %w", err)
	}
	return n+v == 0, nil
}

func migrate(ctx context.Context, args []string, stdout io.Writer, _ *slog.Logger) error {
	fs, dbURL := newFlags("migrate", "Applies the schema migrations the database has not seen yet and loads the\nreference data (countries, adequacy decisions). Safe to run at any time.", stdout)
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, err := openDB(ctx, *dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	fmt.Fprintln(stdout, "database is up to date")
	return nil
}

func seed(ctx context.Context, args []string, stdout io.Writer, _ *slog.Logger) error {
	fs, dbURL := newFlags("seed", "Loads a dataset into the database. Loading the demo dataset into a database\nthat already holds it changes nothing.", stdout)
	withDemo := fs.Bool("demo", false, "load the Lumora demo dataset")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if !*withDemo {
		fs.Usage()
		return errors.New("say which dataset to load: --demo")
	}
	db, err := openDB(ctx, *dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	loaded, err := demo.Load(ctx, db.Client)
	if err != nil {
		return fmt.Errorf("loading the demo dataset: %w", err)
	}
	if loaded {
		fmt.Fprintln(stdout, "loaded the Lumora demo dataset")
	} else {
		fmt.Fprintln(stdout, "the Lumora demo dataset is already loaded; nothing changed")
	}
	return nil
}

// action splits a command's arguments into its action and the rest. With
// no action, or a flag or "help" where it should be, it prints usage and
// returns ok false, with an error when nothing at all was given.
func action(args []string, usage string, stdout io.Writer) (act string, rest []string, ok bool, err error) {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") || args[0] == "help" {
		fmt.Fprint(stdout, usage)
		if len(args) == 0 {
			return "", nil, false, errors.New("no action given")
		}
		return "", nil, false, nil
	}
	return args[0], args[1:], true, nil
}
