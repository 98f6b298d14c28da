package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"text/tabwriter"
	"time"

	"github.com/privhub/privhub/internal/compliance"
	"github.com/privhub/privhub/internal/ropa"
)

// errFindings reports findings at or above the --fail-on severity; main
// exits non-zero on it, which is what a CI gate needs.
type errFindings struct {
	n   int
	min compliance.Severity
}

func (e errFindings) Error() string {
	return fmt.Sprintf("%d finding(s) at or above %s", e.n, e.min)
}

func check(ctx context.Context, args []string, stdout io.Writer, _ *slog.Logger) error {
	fs, dbURL := newFlags("check", "Evaluates every compliance rule as of an instant and prints the findings.\nWith --fail-on it exits with status 1 when a finding is at or above that\nseverity, so that a privacy-as-code repository can gate its CI on it.", stdout)
	at := fs.String("at", "", "the instant to evaluate as of: RFC 3339 or YYYY-MM-DD (default now)")
	format := fs.String("format", "text", "output format: text or json")
	failOn := fs.String("fail-on", "", "exit with status 1 when a finding is at or above this severity (CRITICAL, HIGH, MEDIUM, LOW)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	when, err := parseInstant(*at)
	if err != nil {
		return err
	}
	var min compliance.Severity
	if *failOn != "" {
		if min, err = compliance.ParseSeverity(*failOn); err != nil {
			return err
		}
	}
	if *format != "text" && *format != "json" {
		return fmt.Errorf("unknown format %q: want text or json", *format)
	}
	db, err := openDB(ctx, *dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	checker := compliance.New(db.Client)
	checker.Also(ropa.Findings(db.Client))
	findings, err := checker.Check(ctx, when)
	if err != nil {
		return fmt.Errorf("checking: %w", err)
	}
	if *format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(map[string]any{"at": when, "findings": findings, "summary": compliance.Summarize(when, findings)}); err != nil {
			return err
		}
	} else {
		printFindings(stdout, when, findings)
	}
	if min != "" {
		n := 0
		for _, f := range findings {
			if f.Severity.AtLeast(min) {
				n++
			}
		}
		if n > 0 {
			return errFindings{n: n, min: min}
		}
	}
	return nil
}

func printFindings(w io.Writer, at time.Time, findings []*compliance.Finding) {
	fmt.Fprintf(w, "%d finding(s) as of %s\n\n", len(findings), at.Format(time.RFC3339))
	for _, f := range findings {
		fmt.Fprintf(w, "%-8s %s  %s\n", f.Severity, f.RuleID, f.TargetLabel)
		fmt.Fprintf(w, "         %s\n", f.Message)
		fmt.Fprintf(w, "         remedy: %s (%s)\n\n", f.Remedy, f.Rule.LegalReference)
	}
	s := compliance.Summarize(at, findings)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, c := range s.BySeverity {
		fmt.Fprintf(tw, "%s\t%d\n", c.Severity, c.Count)
	}
	fmt.Fprintf(tw, "transfers with no valid mechanism\t%d\n", s.InvalidTransfers)
	tw.Flush()
}

// parseInstant reads an --at flag: empty for now, a date or an RFC 3339 time.
func parseInstant(s string) (time.Time, error) {
	if s == "" {
		return time.Now().UTC().Truncate(time.Second).Add(time.Second), nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("--at %q: want YYYY-MM-DD or an RFC 3339 time", s)
	}
	return t, nil
}
