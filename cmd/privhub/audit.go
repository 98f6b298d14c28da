package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os/user"
	"text/tabwriter"
	"time"

	"entgo.io/ent/dialect/sql"

	"github.com/privhub/privhub/ent/auditevent"
	"github.com/privhub/privhub/internal/audit"
)

const auditUsage = `Usage: privhub audit <verify|list> [flags]

  verify   check the audit trail's hash chain; exits with status 1 at the first
           event changed, removed or inserted by hand
  list     print the most recent events, newest first

Run "privhub audit verify --help" or "privhub audit list --help" for the flags.
`

// cliActor is who the command line acts as: the operating-system user, as
// an administrator, with a request ID for this run.
func cliActor() audit.Actor {
	name := "cli"
	if u, err := user.Current(); err == nil && u.Username != "" {
		name = "cli:" + u.Username
	}
	return audit.Actor{Name: name, Role: "ADMIN", RequestID: audit.NewRequestID()}
}

// errBrokenTrail reports a broken hash chain; main exits non-zero on it.
type errBrokenTrail struct{ p *audit.Problem }

func (e errBrokenTrail) Error() string {
	return fmt.Sprintf("the audit trail is broken at event #%d", e.p.Seq)
}

func auditCmd(ctx context.Context, args []string, stdout io.Writer, _ *slog.Logger) error {
	if len(args) == 0 {
		fmt.Fprint(stdout, auditUsage)
		return errors.New("say what to do: audit verify or audit list")
	}
	switch args[0] {
	case "verify":
		return auditVerify(ctx, args[1:], stdout)
	case "list":
		return auditList(ctx, args[1:], stdout)
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, auditUsage)
		return flag.ErrHelp
	}
	fmt.Fprint(stdout, auditUsage)
	return fmt.Errorf("unknown audit command %q", args[0])
}

func auditVerify(ctx context.Context, args []string, stdout io.Writer) error {
	fs, dbURL := newFlags("audit verify", "Walks the audit trail in order and checks its hash chain: that no event\nwas changed, removed or inserted since it was written. Exits with status 1\nat the first bad event.", stdout)
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, err := openDB(ctx, *dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	rep, err := audit.Verify(ctx, db.Client)
	if err != nil {
		return fmt.Errorf("verifying the audit trail: %w", err)
	}
	if !rep.OK {
		fmt.Fprintf(stdout, "audit trail broken at event #%d (%s): %s\n", rep.FirstBad.Seq, rep.FirstBad.ID, rep.FirstBad.Reason)
		return errBrokenTrail{p: rep.FirstBad}
	}
	fmt.Fprintf(stdout, "audit trail: %d events, chain intact\n", rep.Events)
	return nil
}

func auditList(ctx context.Context, args []string, stdout io.Writer) error {
	fs, dbURL := newFlags("audit list", "Prints the most recent audit events, newest first, one per line: position,\ntime, actor, request ID, action, target and changes.", stdout)
	target := fs.String("target", "", "only the events about the object with this ID")
	limit := fs.Int("limit", 20, "how many events to print")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *limit <= 0 {
		return fmt.Errorf("--limit %d: want a positive number", *limit)
	}
	db, err := openDB(ctx, *dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	q := db.Client.AuditEvent.Query().Order(auditevent.BySeq(sql.OrderDesc())).Limit(*limit)
	if *target != "" {
		q.Where(auditevent.TargetID(*target))
	}
	evs, err := q.All(ctx)
	if err != nil {
		return fmt.Errorf("listing audit events: %w", err)
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	for _, ev := range evs {
		who := ev.Actor
		if ev.Role != "" {
			who += " (" + ev.Role + ")"
		}
		changes, err := json.Marshal(ev.Changes)
		if err != nil {
			return fmt.Errorf("encoding the changes of event #%d: %w", ev.Seq, err)
		}
		req := ev.RequestID
		if req == "" {
			req = "-"
		}
		fmt.Fprintf(tw, "#%d\t%s\t%s\t%s\t%s\t%s %s\t%s\n", ev.Seq, ev.At.UTC().Format(time.RFC3339), who, req,
			ev.Action, ev.TargetType, ev.TargetID, changes)
	}
	return tw.Flush()
}
