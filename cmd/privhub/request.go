package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/request"
	"github.com/privhub/privhub/ent/requesttask"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/requests"
	"github.com/privhub/privhub/internal/store"
	"github.com/privhub/privhub/internal/trace"
)

const requestUsage = `Usage: privhub request <action> [REQUEST] [flags]

Actions:
  submit          receive a request: --user, --kind (access, rectification, erasure,
                  restriction, portability, objection), --note, --reference, --received
  list            list the requests (--open for those still open)
  show REQUEST    print one request with its history, retained data and tasks
  extend REQUEST  extend it: --months (1 or 2 in all), --reason, --notified
  complete REQUEST  close it as answered (an erasure is carried out first)
  reject REQUEST  close it as refused: --reason
  erase REQUEST   carry out an erasure request (running it again changes nothing);
                  --dry-run prints what it would delete, keep and whom it would tell
  export REQUEST  write the JSON export of an access or portability request
  rectify-user USER    correct a user's --email, --name or --country (--request REQUEST)
  rectify-record ID    correct a data record's --value (--request REQUEST)
  confirm-task TASK    mark a downstream holder's task as confirmed (--note)

REQUEST is an ID or a case number such as DSR-003; USER an ID, e-mail address
or external reference. Every action takes --database.
`

// requestCmd runs one action on data subject requests; each write runs in
// one transaction.
func requestCmd(ctx context.Context, args []string, stdout io.Writer, _ *slog.Logger) error {
	act, args, ok, err := action(args, requestUsage, stdout)
	if !ok {
		return err
	}
	fs, dbURL := newFlags("request "+act, "See \"privhub request help\".", stdout)
	user := fs.String("user", "", "the data subject (submit)")
	kind := fs.String("kind", "", "the kind of request (submit)")
	note := fs.String("note", "", "a note")
	reference := fs.String("reference", "", "our case number, e.g. DSR-007 (submit)")
	received := fs.String("received", "", "when the request reached us, YYYY-MM-DD or RFC 3339 (submit; default now)")
	months := fs.Int("months", 0, "months to extend by (extend)")
	reason := fs.String("reason", "", "why (extend, reject)")
	notified := fs.String("notified", "", "when the subject was told of the extension (extend; default now)")
	open := fs.Bool("open", false, "only requests still open (list)")
	dryRun := fs.Bool("dry-run", false, "print what the erasure would do, writing nothing (erase)")
	email := fs.String("email", "", "corrected e-mail address (rectify-user)")
	name := fs.String("name", "", "corrected name (rectify-user)")
	country := fs.String("country", "", "corrected country code (rectify-user)")
	value := fs.String("value", "", "corrected value (rectify-record)")
	forRequest := fs.String("request", "", "the rectification request the correction answers (rectify-*)")
	target, err := parseWithTarget(fs, args)
	if err != nil {
		return err
	}
	db, err := openDB(ctx, *dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	desk := &requests.Desk{Tracer: trace.New(db.Client)}
	now := time.Now()
	need := func(what string) error {
		if target == "" {
			return fmt.Errorf("request %s: say which %s", act, what)
		}
		return nil
	}
	// write runs fn on the request named by target in one transaction and
	// prints the request it returns.
	write := func(fn func(ctx context.Context, c *ent.Client, id pulid.ID) (*ent.Request, error)) error {
		if err := need("request"); err != nil {
			return err
		}
		r, err := findRequest(ctx, db.Client, target)
		if err != nil {
			return err
		}
		var out *ent.Request
		if err := store.RunTx(ctx, db.Client, func(ctx context.Context, c *ent.Client) error {
			out, err = fn(ctx, c, r.ID)
			return err
		}); err != nil {
			return err
		}
		return printRequest(ctx, stdout, db.Client, out)
	}
	switch act {
	case "submit":
		u, err := findUser(ctx, db.Client, *user)
		if err != nil {
			return err
		}
		in := requests.SubmitInput{User: u.ID, Kind: request.Kind(strings.ToUpper(*kind)), Note: nonEmpty(*note), Reference: nonEmpty(*reference)}
		if err := request.KindValidator(in.Kind); err != nil {
			return fmt.Errorf("--kind %q: want access, rectification, erasure, restriction, portability or objection", *kind)
		}
		if *received != "" {
			t, err := parseInstant(*received)
			if err != nil {
				return err
			}
			in.ReceivedAt = &t
		}
		r, err := requests.Submit(ctx, db.Client, in, now)
		if err != nil {
			return err
		}
		return printRequest(ctx, stdout, db.Client, r)
	case "list":
		return listRequests(ctx, stdout, db.Client, *open)
	case "show":
		if err := need("request"); err != nil {
			return err
		}
		r, err := findRequest(ctx, db.Client, target)
		if err != nil {
			return err
		}
		return printRequest(ctx, stdout, db.Client, r)
	case "extend":
		when := now
		if *notified != "" {
			if when, err = parseInstant(*notified); err != nil {
				return err
			}
		}
		return write(func(ctx context.Context, c *ent.Client, id pulid.ID) (*ent.Request, error) {
			return requests.Extend(ctx, c, id, *months, *reason, when)
		})
	case "complete":
		return write(func(ctx context.Context, c *ent.Client, id pulid.ID) (*ent.Request, error) {
			return desk.Complete(ctx, c, id, *note, now)
		})
	case "reject":
		return write(func(ctx context.Context, c *ent.Client, id pulid.ID) (*ent.Request, error) {
			return requests.Reject(ctx, c, id, *reason, now)
		})
	case "erase":
		if *dryRun {
			if err := need("request"); err != nil {
				return err
			}
			r, err := findRequest(ctx, db.Client, target)
			if err != nil {
				return err
			}
			plan, err := desk.PreviewErasure(ctx, db.Client, r.UserID, now)
			if err != nil {
				return err
			}
			return printErasurePlan(stdout, plan)
		}
		return write(func(ctx context.Context, c *ent.Client, id pulid.ID) (*ent.Request, error) {
			return desk.Erase(ctx, c, id, now)
		})
	case "export":
		if err := need("request"); err != nil {
			return err
		}
		r, err := findRequest(ctx, db.Client, target)
		if err != nil {
			return err
		}
		x, err := desk.ExportRequestOf(ctx, db.Client, r, now)
		if err != nil {
			return err
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(x)
	case "rectify-user":
		if err := need("user"); err != nil {
			return err
		}
		u, err := findUser(ctx, db.Client, target)
		if err != nil {
			return err
		}
		in := requests.RectifyUserInput{Email: nonEmpty(*email), Name: nonEmpty(*name)}
		if *country != "" {
			id := pulid.ID(strings.ToUpper(*country))
			in.Country = &id
		}
		reqID, err := optionalRequest(ctx, db.Client, *forRequest)
		if err != nil {
			return err
		}
		u, err = requests.RectifyUser(ctx, db.Client, u.ID, in, reqID, now)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "user %s: %s <%s>\n", u.ID, u.Name, u.Email)
		return nil
	case "rectify-record":
		if err := need("data record"); err != nil {
			return err
		}
		reqID, err := optionalRequest(ctx, db.Client, *forRequest)
		if err != nil {
			return err
		}
		rec, err := requests.RectifyRecord(ctx, db.Client, pulid.ID(target), *value, reqID, now)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "data record %s corrected\n", rec.ID)
		return nil
	case "confirm-task":
		if err := need("task"); err != nil {
			return err
		}
		t, err := requests.ConfirmTask(ctx, db.Client, pulid.ID(target), *note, now)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "task %s: %s\n", t.ID, t.Status)
		return nil
	}
	fmt.Fprint(stdout, requestUsage)
	return fmt.Errorf("unknown action %q", act)
}

// parseWithTarget parses flags around one positional argument, which may
// come before or after them, and returns it ("" when there is none).
func parseWithTarget(fs *flag.FlagSet, args []string) (string, error) {
	target := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		target, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return "", err
	}
	if target == "" && fs.NArg() > 0 {
		target = fs.Arg(0)
	}
	return target, nil
}

// optionalRequest resolves --request when given.
func optionalRequest(ctx context.Context, c *ent.Client, ref string) (*pulid.ID, error) {
	if ref == "" {
		return nil, nil
	}
	r, err := findRequest(ctx, c, ref)
	if err != nil {
		return nil, err
	}
	return &r.ID, nil
}

// nonEmpty returns &s, or nil for "".
func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// printRequest prints a request with its history, retained data and tasks.
func printRequest(ctx context.Context, w io.Writer, c *ent.Client, r *ent.Request) error {
	tasks, err := c.RequestTask.Query().Where(requesttask.RequestID(r.ID)).WithVendor().WithOrganization().All(ctx)
	if err != nil {
		return fmt.Errorf("reading the tasks of %s: %w", r.ID, err)
	}
	label := r.Reference
	if label == "" {
		label = string(r.ID)
	}
	fmt.Fprintf(w, "%s (%s): %s, %s, received %s, due %s\n", label, r.ID, strings.ToLower(string(r.Kind)),
		strings.ToLower(string(r.Status)), r.ReceivedAt.UTC().Format(time.DateOnly), r.DueAt.UTC().Format(time.DateOnly))
	for _, h := range r.History {
		fmt.Fprintf(w, "  %s  %-11s %s\n", h.At.UTC().Format(time.DateOnly), h.Status, h.Note)
	}
	for _, k := range r.Retained {
		until := "indefinitely"
		if k.Until != nil {
			until = "until " + k.Until.UTC().Format(time.DateOnly)
		}
		fmt.Fprintf(w, "  kept: %s %s: %s\n", k.CategoryKey, until, k.Reason)
	}
	for _, t := range tasks {
		holder := ""
		if t.Edges.Vendor != nil {
			holder = t.Edges.Vendor.Name
		} else if t.Edges.Organization != nil {
			holder = t.Edges.Organization.Name
		}
		fmt.Fprintf(w, "  task %s %-12s %s: %s\n", t.ID, t.Status, holder, strings.Join(t.Categories, ", "))
	}
	return nil
}

// listRequests prints one line per request, oldest first.
func listRequests(ctx context.Context, w io.Writer, c *ent.Client, open bool) error {
	q := c.Request.Query().Order(request.ByReceivedAt(), request.ByID())
	if open {
		q.Where(request.StatusIn(request.StatusReceived, request.StatusInProgress))
	}
	all, err := q.All(ctx)
	if err != nil {
		return fmt.Errorf("listing requests: %w", err)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "REFERENCE\tID\tKIND\tSTATUS\tRECEIVED\tDUE")
	for _, r := range all {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", r.Reference, r.ID, r.Kind, r.Status,
			r.ReceivedAt.UTC().Format(time.DateOnly), r.DueAt.UTC().Format(time.DateOnly))
	}
	return tw.Flush()
}
