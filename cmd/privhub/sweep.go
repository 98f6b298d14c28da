package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/privhub/privhub/ent/datarecord"
	"github.com/privhub/privhub/internal/metrics"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/retention"
)

// progressOut is where sweep writes its progress lines.
var progressOut io.Writer = os.Stderr

func sweep(ctx context.Context, args []string, stdout io.Writer, _ *slog.Logger) error {
	fs, dbURL := newFlags("sweep", "Applies the retention rules as of an instant. By default a dry run: it lists,\nper rule, the data records past their retention and changes nothing. With\n--apply it deletes or anonymises them in batches, each batch one transaction\nwith an audit event per change; records under legal hold are left alone.\nStopped half-way and run again with the same --at, it finishes the job\nwithout doing anything twice.", stdout)
	apply := fs.Bool("apply", false, "delete or anonymise what has expired (default: a dry run)")
	at := fs.String("at", "", "the instant to evaluate as of: RFC 3339 or YYYY-MM-DD (default now)")
	batch := fs.Int("batch", 1000, "records changed per transaction")
	every := fs.Int("progress", 10, "print a progress line to stderr every N batches (0: never)")
	format := fs.String("format", "text", "output format: text or json")
	metricsFile := fs.String("metrics-file", "", "write the sweep's Prometheus metrics to this file when it ends\n(for a node exporter's textfile collector)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	when, err := parseInstant(*at)
	if err != nil {
		return err
	}
	if *batch < 1 {
		return fmt.Errorf("--batch %d: want at least 1", *batch)
	}
	if *format != "text" && *format != "json" {
		return fmt.Errorf("unknown format %q: want text or json", *format)
	}
	db, err := openDB(ctx, *dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	// An estimate for the progress line: records come and go while it runs.
	total, err := db.Client.DataRecord.Query().Where(datarecord.AnonymizedAtIsNil()).Count(ctx)
	if err != nil {
		return fmt.Errorf("counting data records: %w", err)
	}
	verb := "checked"
	if *apply {
		verb = "swept"
	}
	start := time.Now()
	opt := retention.Options{At: when, Apply: *apply, BatchSize: *batch}
	if *every > 0 {
		opt.Progress = func(r *retention.Report) {
			if r.Batches%*every != 0 {
				return
			}
			rate := float64(r.Scanned) / max(time.Since(start).Seconds(), 1e-3)
			fmt.Fprintf(progressOut, "%s %s of ~%s records (%s/s): %s changed in %d batches\n",
				verb, thousands(r.Scanned), thousands(max(total, r.Scanned)), thousands(int(rate)),
				thousands(r.Deleted+r.Anonymized), r.Batches)
		}
	}
	var m *metrics.Metrics // only with --metrics-file
	if *metricsFile != "" {
		m = metrics.New(metrics.Options{})
	}
	count, done := m.Sweep(!*apply)
	if print := opt.Progress; count != nil {
		opt.Progress = func(r *retention.Report) {
			count(r)
			if print != nil {
				print(r)
			}
		}
	}
	rep, err := retention.Sweep(ctx, db.Client, opt)
	done(rep, err)
	if m != nil {
		if werr := m.WriteFile(*metricsFile); werr != nil && err == nil {
			return werr
		}
	}
	if err != nil {
		if rep != nil && rep.Batches > 0 && !rep.DryRun {
			fmt.Fprintf(stdout, "stopped after %d batch(es): %s deleted, %s anonymised; run again with the same --at to finish\n",
				rep.Batches, thousands(rep.Deleted), thousands(rep.Anonymized))
		}
		if errors.Is(err, context.Canceled) {
			return errors.New("sweep interrupted")
		}
		return fmt.Errorf("sweeping: %w", err)
	}
	if *format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(sweepJSON(rep))
	}
	printSweep(stdout, rep, time.Since(start))
	return nil
}

// sweepRule is one rule's line of the JSON output.
type sweepRule struct {
	Rule        pulid.ID  `json:"rule"`
	Category    string    `json:"category"`
	Purpose     string    `json:"purpose,omitempty"`
	Period      string    `json:"period"`
	Trigger     string    `json:"trigger"`
	Action      string    `json:"action"`
	Records     int       `json:"records"`
	FirstExpiry time.Time `json:"firstExpiry"`
}

func sweepJSON(r *retention.Report) map[string]any {
	rules := make([]sweepRule, 0, len(r.Rules))
	for _, rc := range r.Rules {
		cat, purpose := ruleKeys(rc)
		rules = append(rules, sweepRule{Rule: rc.Rule.ID, Category: cat, Purpose: purpose, Period: rc.Rule.Period,
			Trigger: string(rc.Rule.Trigger), Action: string(rc.Action), Records: rc.Records, FirstExpiry: rc.FirstExpiry})
	}
	return map[string]any{
		"at": r.At, "dryRun": r.DryRun, "scanned": r.Scanned, "expired": r.Expired, "deleted": r.Deleted,
		"anonymized": r.Anonymized, "held": r.Held, "batches": r.Batches, "rules": rules,
	}
}

// ruleKeys returns the category key and the purpose key ("" for any) of a
// rule, as loaded with it.
func ruleKeys(rc *retention.RuleCount) (category, purpose string) {
	category = string(rc.Rule.CategoryID)
	if c := rc.Rule.Edges.Category; c != nil {
		category = c.Key
	}
	if p := rc.Rule.Edges.Purpose; p != nil {
		purpose = p.Key
	}
	return category, purpose
}

func printSweep(w io.Writer, r *retention.Report, took time.Duration) {
	if r.DryRun {
		fmt.Fprintf(w, "Retention as of %s: dry run, nothing changed (--apply to apply)\n\n", r.At.Format(time.RFC3339))
	} else {
		fmt.Fprintf(w, "Retention sweep as of %s\n\n", r.At.Format(time.RFC3339))
	}
	if len(r.Rules) > 0 {
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "RULE\tCATEGORY\tPURPOSE\tPERIOD\tFROM\tACTION\tRECORDS\tFIRST EXPIRED")
		for _, rc := range r.Rules {
			cat, purpose := ruleKeys(rc)
			if purpose == "" {
				purpose = "(any)"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", rc.Rule.ID, cat, purpose, rc.Rule.Period,
				retention.TriggerText(rc.Rule.Trigger), rc.Action, thousands(rc.Records), rc.FirstExpiry.UTC().Format(time.DateOnly))
		}
		tw.Flush()
		fmt.Fprintln(w)
	}
	would := ""
	if r.DryRun {
		would = "to be "
	}
	fmt.Fprintf(w, "%s records examined, %s past their retention: %s %sdeleted, %s %sanonymised, %s under legal hold left alone; %d batch(es) in %s\n",
		thousands(r.Scanned), thousands(r.Expired), thousands(r.Deleted), would, thousands(r.Anonymized), would,
		thousands(r.Held), r.Batches, took.Round(time.Millisecond))
}

// thousands writes n with commas between groups of three digits.
func thousands(n int) string {
	s := strconv.Itoa(n)
	neg := n < 0
	if neg {
		s = s[1:]
	}
	out := make([]byte, 0, len(s)+len(s)/3+1)
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	if neg {
		return "-" + string(out)
	}
	return string(out)
}
