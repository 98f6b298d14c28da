package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/privhub/privhub/ent/organization"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/ropa"
)

// exportROPA writes the records of processing activities (Art. 30).
func exportROPA(ctx context.Context, args []string, stdout io.Writer) (err error) {
	fs, dbURL := newFlags("export ropa", "Writes the records of processing activities (GDPR Art. 30) derived from the\nregistry as of an instant: the Art. 30(1) record of each organisation acting\nas controller and the Art. 30(2) record of each acting as processor. Each line\nnames the entities it came from; a field the registry cannot fill is a gap.", stdout)
	format := fs.String("format", "json", "output format: "+strings.Join(ropa.Formats(), ", "))
	at := fs.String("at", "", "the instant: RFC 3339 or YYYY-MM-DD (default now)")
	org := fs.String("organization", "", "only this organisation's records (its ID or name)")
	out := fs.String("o", "", "write to this file instead of standard output (xlsx needs one)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *format == "xlsx" && *out == "" {
		return fmt.Errorf("a spreadsheet is written to a file: give -o FILE.xlsx")
	}
	when, err := parseInstant(*at)
	if err != nil {
		return err
	}
	db, err := openDB(ctx, *dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	var only *pulid.ID
	if *org != "" {
		o, err := db.Client.Organization.Query().Where(organization.Or(organization.ID(pulid.ID(*org)), organization.Name(*org))).Only(ctx)
		if err != nil {
			return fmt.Errorf("no organization %q", *org)
		}
		only = &o.ID
	}
	records, err := ropa.Derive(ctx, db.Client, only, when)
	if err != nil {
		return err
	}
	w := stdout
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			return fmt.Errorf("creating %s: %w", *out, err)
		}
		defer func() {
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}()
		w = f
	}
	return ropa.Write(w, records, *format)
}
