// Command privhub is the personal-data hub: it serves the GraphQL API and
// runs the jobs around it (migrate, seed).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/privhub/privhub/internal/audit"
)

const usage = `privhub — a GraphQL hub of who holds which personal data, where, why, and
under which contract and clause.

Usage:
  privhub <command> [flags]

Commands:
  serve     serve the DPO console, the GraphQL API and GraphiQL (loads the demo dataset into an empty database)
  migrate   bring the database schema and reference data up to date
  seed      load a dataset (--demo: the Lumora demo) into the database
  trace     print who holds one user's data, with the chain behind each holder
  export    export datamap (the data-flow map), ropa (the Art. 30 records), manifest (the registry
            as YAML), manifest-schema, fideslang
  import    import fideslang: a fideslang taxonomy or system file into the registry
  plan      print what "apply" would create, update and delete from a manifest
  apply     make the registry what a manifest says, in one transaction (--prune deletes the rest)
  check     evaluate the compliance rules and print the findings (a CI gate with --fail-on)
  request   data subject requests: submit, extend, complete, reject, erase, rectify, export
  consent   record a choice in a user's consent ledger, or list the ledger
  subprocessor  announce a subprocessor change of one of our organisations to its controllers,
            or print the public subprocessor lists
  sweep     apply the retention rules (a dry run unless --apply)
  audit     verify the audit trail's hash chain
  token     API tokens: create (the token is shown once), list, revoke
  gen       fill the database with a synthetic dataset of any size (for benchmarks)
  bench     measure trace, holders, exposure and the compliance check on the database

Run "privhub <command> --help" for a command's flags.

Environment:
  PRIVHUB_DATABASE_URL   database URL, as --database (default sqlite:privhub.db)
  PRIVHUB_ADDR           listen address, as --addr (default 127.0.0.1:8080)
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	slog.SetDefault(log)
	if err := run(ctx, os.Args[1:], os.Stdout, log); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "privhub:", err)
		os.Exit(1)
	}
}

// run dispatches to a command; it is main without the process around it.
func run(ctx context.Context, args []string, stdout io.Writer, log *slog.Logger) error {
	ctx = audit.WithActor(ctx, cliActor())
	if len(args) == 0 {
		fmt.Fprint(stdout, usage)
		return errors.New("no command given")
	}
	switch args[0] {
	case "serve":
		return serve(ctx, args[1:], stdout, log)
	case "migrate":
		return migrate(ctx, args[1:], stdout, log)
	case "seed":
		return seed(ctx, args[1:], stdout, log)
	case "trace":
		return traceUser(ctx, args[1:], stdout, log)
	case "export":
		return exportCmd(ctx, args[1:], stdout, log)
	case "plan":
		return planCmd(ctx, args[1:], stdout, log)
	case "apply":
		return applyCmd(ctx, args[1:], stdout, log)
	case "import":
		return importCmd(ctx, args[1:], stdout, log)
	case "check":
		return check(ctx, args[1:], stdout, log)
	case "bench":
		return bench(ctx, args[1:], stdout, log)
	case "gen":
		return generate(ctx, args[1:], stdout, log)
	case "request":
		return requestCmd(ctx, args[1:], stdout, log)
	case "consent":
		return consentCmd(ctx, args[1:], stdout, log)
	case "subprocessor":
		return subprocessorCmd(ctx, args[1:], stdout, log)
	case "sweep":
		return sweep(ctx, args[1:], stdout, log)
	case "audit":
		return auditCmd(ctx, args[1:], stdout, log)
	case "token":
		return tokenCmd(ctx, args[1:], stdout, log)
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stdout, usage)
	return fmt.Errorf("unknown command %q", args[0])
}

// envOr returns the environment variable's value, or def when it is unset.
func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
