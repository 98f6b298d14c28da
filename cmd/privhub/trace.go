package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/datacategory"
	"github.com/privhub/privhub/internal/datamap"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/trace"
	"github.com/privhub/privhub/internal/vocab"
)

func traceUser(ctx context.Context, args []string, stdout io.Writer, _ *slog.Logger) error {
	fs, dbURL := newFlags("trace", "Prints every holder of one user's personal data as a tree: each holder with\nits country, and each step with its mechanism, contract and clauses.", stdout)
	who := fs.String("user", "", "the user: an ID, an e-mail address or an external reference")
	at := fs.String("at", "", "the instant to trace as of: RFC 3339 or YYYY-MM-DD (default now)")
	format := fs.String("format", "text", "output format: text or json")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *who == "" {
		fs.Usage()
		return errors.New("say whose data to trace: --user")
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
	u, err := findUser(ctx, db.Client, *who)
	if err != nil {
		return err
	}
	tr, err := trace.New(db.Client).Trace(ctx, u.ID, when)
	if err != nil {
		return err
	}
	if *format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(traceJSON(tr))
	}
	printTrace(stdout, tr)
	return nil
}

// printTrace writes a trace as an indented tree of holders and steps.
func printTrace(w io.Writer, tr *trace.Trace) {
	name := tr.User.ExternalRef
	if tr.User.Email != "" {
		name += " <" + tr.User.Email + ">"
	}
	fmt.Fprintf(w, "%s: %d holding(s) as of %s\n", name, len(tr.Holdings), tr.At.Format(time.DateOnly))
	for _, h := range tr.Holdings {
		adequate := ""
		if !h.Adequate() {
			adequate = ", no adequacy"
		}
		fmt.Fprintf(w, "\n%s%s (%s%s) holds %s\n", strings.Repeat("  ", h.Depth()), h.Holder.HolderName(),
			countryCode(h.Country), adequate, categoryKeys(h.Categories))
		if h.Depth() == 0 {
			fmt.Fprintf(w, "  collected it\n")
		}
		for i, s := range h.Chain {
			contract := "no contract"
			if s.Contract != nil {
				contract = s.Contract.Title
			}
			var clauses []string
			for _, c := range s.Clauses {
				clauses = append(clauses, c.Reference)
			}
			fmt.Fprintf(w, "%s%d. %s -> %s in %s, %s as %s, under %s", strings.Repeat("  ", i+1), i+1,
				s.Exporter.HolderName(), s.Importer.HolderName(), countryCode(s.Country), s.Mechanism, s.ImporterRole, contract)
			if len(clauses) > 0 {
				fmt.Fprintf(w, " (%s)", strings.Join(clauses, "; "))
			}
			fmt.Fprintln(w)
		}
	}
	if len(tr.Blocked) > 0 {
		fmt.Fprintf(w, "\nStopped by the user's choices:\n")
		for _, b := range tr.Blocked {
			fmt.Fprintf(w, "  %s -> %s: %s\n", b.Exporter.HolderName(), b.Importer.HolderName(), b.Reason)
		}
	}
}

// traceJSON is a trace as plain data, for --format json.
func traceJSON(tr *trace.Trace) map[string]any {
	var holdings []map[string]any
	for _, h := range tr.Holdings {
		var chain []map[string]any
		for _, s := range h.Chain {
			step := map[string]any{"transfer": s.Transfer.ID, "exporter": s.Exporter.HolderName(), "importer": s.Importer.HolderName(),
				"country": countryCode(s.Country), "mechanism": s.Mechanism, "importerRole": s.ImporterRole}
			if s.Contract != nil {
				step["contract"] = s.Contract.Title
			}
			chain = append(chain, step)
		}
		holdings = append(holdings, map[string]any{"holder": h.Holder.HolderName(), "holderId": h.Holder.HolderID(),
			"country": countryCode(h.Country), "depth": h.Depth(), "categories": categoryKeyList(h.Categories), "chain": chain})
	}
	var blocked []map[string]any
	for _, b := range tr.Blocked {
		blocked = append(blocked, map[string]any{"transfer": b.Transfer.ID, "importer": b.Importer.HolderName(), "reason": b.Reason})
	}
	return map[string]any{"user": tr.User.ExternalRef, "at": tr.At, "holdings": holdings, "blocked": blocked}
}

func exportDatamap(ctx context.Context, args []string, stdout io.Writer, _ *slog.Logger) error {
	fs, dbURL := newFlags("export datamap", "Writes the data-flow map: holders as nodes, active transfers as edges labelled\nwith their categories and mechanism; transfers into third countries without\nadequacy are orange, transfers with no mechanism red. Render DOT with\nGraphviz (dot -Tsvg) and Mermaid with any Mermaid viewer.", stdout)
	format := fs.String("format", "dot", "output format: "+strings.Join(datamap.Formats(), ", "))
	at := fs.String("at", "", "the instant to map as of: RFC 3339 or YYYY-MM-DD (default now)")
	category := fs.String("category", "", "only transfers carrying this category key (or a parent or child of it)")
	country := fs.String("country", "", "only transfers into this country (ISO code)")
	mechanism := fs.String("mechanism", "", "only transfers under this mechanism, e.g. SCC")
	if err := fs.Parse(args); err != nil {
		return err
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
	var f trace.FlowFilter
	if *category != "" {
		c, err := db.Client.DataCategory.Query().Where(datacategory.Key(*category)).Only(ctx)
		if err != nil {
			return fmt.Errorf("no data category %q", *category)
		}
		f.CategoryIDs = []pulid.ID{c.ID}
	}
	if *country != "" {
		f.CountryIDs = []pulid.ID{pulid.Country(strings.ToUpper(*country))}
	}
	if *mechanism != "" {
		m := vocab.Mechanism(strings.ToUpper(*mechanism))
		if !vocab.Valid(m) {
			return fmt.Errorf("unknown mechanism %q", *mechanism)
		}
		f.Mechanisms = []vocab.Mechanism{m}
	}
	g, err := trace.New(db.Client).DataFlows(ctx, f, when)
	if err != nil {
		return err
	}
	return datamap.Write(stdout, g, *format)
}

func countryCode(c *ent.Country) string {
	if c == nil {
		return "?"
	}
	return c.ID.CountryCode()
}

func categoryKeyList(cs []*ent.DataCategory) []string {
	keys := make([]string, 0, len(cs))
	for _, c := range cs {
		keys = append(keys, c.Key)
	}
	return keys
}

func categoryKeys(cs []*ent.DataCategory) string { return strings.Join(categoryKeyList(cs), ", ") }
