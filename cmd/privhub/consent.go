package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/privhub/privhub/ent"
	entconsent "github.com/privhub/privhub/ent/consent"
	"github.com/privhub/privhub/internal/consent"
)

const consentUsage = `Usage: privhub consent <action> [flags]

Actions:
  record   add a choice to a user's ledger: --user, --purpose (ID or key),
           --decision (granted, withdrawn, opted_out), --recipient (vendor ID or
           name), --explicit, --source, --evidence, --at
  list     print a user's ledger and effective choices: --user, --at

Entries are only ever added: no action changes or removes one.
`

// consentCmd records a choice in a user's consent ledger or prints it.
func consentCmd(ctx context.Context, args []string, stdout io.Writer, _ *slog.Logger) error {
	act, args, ok, err := action(args, consentUsage, stdout)
	if !ok {
		return err
	}
	fs, dbURL := newFlags("consent "+act, "See \"privhub consent help\".", stdout)
	who := fs.String("user", "", "the user: an ID, an e-mail address or an external reference")
	purpose := fs.String("purpose", "", "the purpose: an ID or a key such as marketing (record)")
	decision := fs.String("decision", "", "granted, withdrawn or opted_out (record)")
	recipient := fs.String("recipient", "", "the one vendor the choice is about (record; default the whole purpose)")
	explicit := fs.Bool("explicit", false, "explicit consent, as special categories need (record)")
	source := fs.String("source", "", "where the choice was made, e.g. 'preference centre' (record)")
	evidence := fs.String("evidence", "", "what proves the choice (record)")
	at := fs.String("at", "", "when the choice was made (record) or the instant to list as of (list); default now")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *who == "" {
		return errors.New("say whose ledger: --user")
	}
	db, err := openDB(ctx, *dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	u, err := findUser(ctx, db.Client, *who)
	if err != nil {
		return err
	}
	switch act {
	case "record":
		p, err := findPurpose(ctx, db.Client, *purpose)
		if err != nil {
			return err
		}
		in := consent.RecordInput{User: u.ID, Purpose: p.ID, Decision: entconsent.Decision(strings.ToUpper(*decision)),
			Explicit: *explicit, Source: nonEmpty(*source), Evidence: nonEmpty(*evidence)}
		if err := entconsent.DecisionValidator(in.Decision); err != nil {
			return fmt.Errorf("--decision %q: want granted, withdrawn or opted_out", *decision)
		}
		if *recipient != "" {
			v, err := findVendor(ctx, db.Client, *recipient)
			if err != nil {
				return err
			}
			in.Recipient = &v.ID
		}
		if *at != "" {
			t, err := parseInstant(*at)
			if err != nil {
				return err
			}
			in.RecordedAt = &t
		}
		e, err := consent.Record(ctx, db.Client, in)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "recorded %s: %s %s for %s\n", e.ID, u.ExternalRef, strings.ToLower(string(e.Decision)), p.Key)
		return nil
	case "list":
		when, err := parseInstant(*at)
		if err != nil {
			return err
		}
		history, err := consent.History(ctx, db.Client, u.ID)
		if err != nil {
			return err
		}
		return printLedger(ctx, stdout, db.Client, history, consent.Latest(history, when), when)
	}
	fmt.Fprint(stdout, consentUsage)
	return fmt.Errorf("unknown action %q", act)
}

// printLedger prints a user's ledger, then the effective choices at when.
func printLedger(ctx context.Context, w io.Writer, c *ent.Client, history, effective []*ent.Consent, when time.Time) error {
	purposes, err := c.Purpose.Query().All(ctx)
	if err != nil {
		return fmt.Errorf("reading purposes: %w", err)
	}
	vendors, err := c.Vendor.Query().Select("id", "name").All(ctx)
	if err != nil {
		return fmt.Errorf("reading vendors: %w", err)
	}
	keyOf := map[string]string{}
	for _, p := range purposes {
		keyOf[string(p.ID)] = p.Key
	}
	for _, v := range vendors {
		keyOf[string(v.ID)] = v.Name
	}
	line := func(tw io.Writer, e *ent.Consent) {
		to := "(whole purpose)"
		if e.RecipientID != nil {
			to = keyOf[string(*e.RecipientID)]
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", e.RecordedAt.UTC().Format(time.RFC3339), keyOf[string(e.PurposeID)], to, e.Decision, e.Source)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "RECORDED\tPURPOSE\tRECIPIENT\tDECISION\tSOURCE")
	for _, e := range history {
		line(tw, e)
	}
	fmt.Fprintf(tw, "\neffective as of %s:\n", when.UTC().Format(time.RFC3339))
	for _, e := range effective {
		line(tw, e)
	}
	return tw.Flush()
}
