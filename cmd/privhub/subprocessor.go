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
	"github.com/privhub/privhub/ent/datacategory"
	"github.com/privhub/privhub/ent/informedparty"
	"github.com/privhub/privhub/ent/organization"
	"github.com/privhub/privhub/ent/subprocessorannouncement"
	"github.com/privhub/privhub/internal/announce"
	"github.com/privhub/privhub/internal/law"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/vocab"
	"github.com/privhub/privhub/internal/webhook"
)

const subprocessorUsage = `Usage: privhub subprocessor <action> [flags]

Actions:
  announce  announce a subprocessor change of one of our organisations acting as
            processor: --organization, --kind (added, replaced, removed), --vendor,
            --replaces (for replaced), --service, --mechanism, --country (ISO code;
            default the vendor's), --purposes and --categories (comma-separated keys),
            --effective (required), --announced, --informed, --channel, --force --reason
  list      print the public subprocessor lists and change logs: --organization, --at

Announcing informs every controller party to the organisation's DPAs and SCCs
(as processor) and checks their notice periods; a change that takes effect too
early is refused unless --force is given with --reason. It runs in one
transaction, the same as the announceSubprocessorChange mutation.
`

// subprocessorCmd announces a subprocessor change or prints the public lists.
func subprocessorCmd(ctx context.Context, args []string, stdout io.Writer, _ *slog.Logger) error {
	act, args, ok, err := action(args, subprocessorUsage, stdout)
	if !ok {
		return err
	}
	fs, dbURL := newFlags("subprocessor "+act, "See \"privhub subprocessor help\".", stdout)
	org := fs.String("organization", "", "the own organisation: a name or an ID")
	kind := fs.String("kind", "added", "added, replaced or removed (announce)")
	vendorRef := fs.String("vendor", "", "the subprocessor added or removed, or the one that comes in: a name or an ID (announce)")
	replaces := fs.String("replaces", "", "the subprocessor that goes, for --kind replaced (announce)")
	service := fs.String("service", "", "what it does, e.g. hosting, support, communications (announce)")
	mechanism := fs.String("mechanism", "", "its transfer mechanism, e.g. intra_eea, adequacy, scc (announce)")
	country := fs.String("country", "", "where it processes the data, an ISO code (announce; default the vendor's country)")
	purposes := fs.String("purposes", "", "comma-separated purpose keys, e.g. support,service (announce)")
	categories := fs.String("categories", "", "comma-separated data category keys, e.g. contact.email (announce)")
	effective := fs.String("effective", "", "when the change takes effect, YYYY-MM-DD or RFC 3339 (announce)")
	announced := fs.String("announced", "", "when it is announced (announce; default now)")
	informed := fs.String("informed", "", "when the controllers were informed (announce; default --announced)")
	channel := fs.String("channel", "", "how: email, portal, post, webhook or other (announce; default email)")
	force := fs.Bool("force", false, "record it although it takes effect before a notice period runs out (announce; needs --reason)")
	reason := fs.String("reason", "", "why it is forced (announce)")
	at := fs.String("at", "", "the instant to list as of (list; default now)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, err := openDB(ctx, *dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	c := db.Client
	switch act {
	case "list":
		when, err := parseInstant(*at)
		if err != nil {
			return err
		}
		lists, err := announce.Lists(ctx, c, when, *org)
		if err != nil {
			return err
		}
		return printLists(stdout, lists, when)
	case "announce":
	default:
		fmt.Fprint(stdout, subprocessorUsage)
		return fmt.Errorf("unknown action %q", act)
	}

	if *org == "" || *vendorRef == "" || *service == "" || *mechanism == "" || *effective == "" {
		return errors.New("subprocessor announce: say --organization, --vendor, --service, --mechanism and --effective")
	}
	o, err := findOrganization(ctx, c, *org)
	if err != nil {
		return err
	}
	v, err := findVendor(ctx, c, *vendorRef)
	if err != nil {
		return err
	}
	in := announce.Input{Organization: o.ID, Vendor: v.ID, Kind: subprocessorannouncement.Kind(strings.ToUpper(*kind)),
		Service: vocab.Service(strings.ToUpper(*service)), Mechanism: vocab.Mechanism(strings.ToUpper(*mechanism)),
		Force: *force, Reason: nonEmpty(*reason)}
	if *replaces != "" {
		r, err := findVendor(ctx, c, *replaces)
		if err != nil {
			return err
		}
		in.Replaces = &r.ID
	}
	if *country != "" {
		id := pulid.Country(strings.ToUpper(*country))
		in.Country = &id
	}
	for _, key := range splitList(*purposes) {
		p, err := findPurpose(ctx, c, key)
		if err != nil {
			return err
		}
		in.Purposes = append(in.Purposes, p.ID)
	}
	for _, key := range splitList(*categories) {
		cat, err := findCategory(ctx, c, key)
		if err != nil {
			return err
		}
		in.Categories = append(in.Categories, cat.ID)
	}
	if in.EffectiveAt, err = parseFlagTime("--effective", *effective); err != nil {
		return err
	}
	if *announced != "" {
		t, err := parseFlagTime("--announced", *announced)
		if err != nil {
			return err
		}
		in.AnnouncedAt = &t
	}
	if *informed != "" {
		t, err := parseFlagTime("--informed", *informed)
		if err != nil {
			return err
		}
		in.InformedAt = &t
	}
	if *channel != "" {
		ch := informedparty.Channel(strings.ToUpper(*channel))
		in.Channel = &ch
	}
	a, err := announce.Announce(ctx, c, webhook.Announcements(), in, time.Now())
	if err != nil {
		return err
	}
	return printAnnouncement(ctx, stdout, c, a, o, v)
}

// printAnnouncement prints what was recorded and who was informed.
func printAnnouncement(ctx context.Context, w io.Writer, c *ent.Client, a *ent.SubprocessorAnnouncement, o *ent.Organization, v *ent.Vendor) error {
	rows, err := a.QueryInformed().WithContract().WithParty(func(q *ent.ContractPartyQuery) { q.WithOrganization().WithVendor() }).All(ctx)
	if err != nil {
		return fmt.Errorf("reading who was informed: %w", err)
	}
	forced := ""
	if a.Forced {
		forced = " (forced: " + a.ForceReason + ")"
	}
	fmt.Fprintf(w, "announced %s: %s, %s %s, announced %s, takes effect %s%s\n", a.ID, o.Name, strings.ToLower(string(a.Kind)), v.Name,
		a.AnnouncedAt.UTC().Format(time.DateOnly), a.EffectiveAt.UTC().Format(time.DateOnly), forced)
	if len(rows) == 0 {
		fmt.Fprintln(w, "no controller-facing contract: nobody to inform")
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "INFORMED\tCONTROLLER\tCONTRACT\tCHANNEL\tNOTICE\tRUNS OUT\tIN TIME")
	for _, r := range rows {
		name := ""
		if p := r.Edges.Party; p != nil {
			if p.Edges.Organization != nil {
				name = p.Edges.Organization.Name
			} else if p.Edges.Vendor != nil {
				name = p.Edges.Vendor.Name
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d days\t%s\t%t\n", r.InformedAt.UTC().Format(time.DateOnly), name, r.Edges.Contract.Title,
			strings.ToLower(string(r.Channel)), r.NoticeDays, law.NoticeRunsOut(r.InformedAt, r.NoticeDays).Format(time.DateOnly), r.InTime)
	}
	return tw.Flush()
}

// printLists prints the public subprocessor lists.
func printLists(w io.Writer, lists []*announce.List, at time.Time) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, l := range lists {
		fmt.Fprintf(tw, "%s: subprocessors as of %s\n", l.Organization, at.UTC().Format(time.DateOnly))
		fmt.Fprintln(tw, "SUBPROCESSOR\tSERVICE\tCOUNTRY\tMECHANISM\tPURPOSES\tDATA CATEGORIES")
		for _, e := range l.Subprocessors {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", e.Vendor, e.Service, e.CountryCode, e.TransferMechanism,
				strings.Join(e.Purposes, ", "), strings.Join(e.DataCategories, ", "))
		}
		fmt.Fprintln(tw, "\nANNOUNCED\tEFFECTIVE\tCHANGE\tSUBPROCESSOR\tSERVICE\tCOUNTRY")
		for _, ch := range l.Changes {
			kind := string(ch.Change)
			if ch.Pending(at) {
				kind += " (pending)"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", ch.AnnouncedAt.Format(time.DateOnly), ch.EffectiveAt.Format(time.DateOnly),
				kind, ch.Vendor, ch.Service, ch.CountryCode)
		}
		fmt.Fprintln(tw)
	}
	return tw.Flush()
}

// findOrganization finds an own organisation by ID or name.
func findOrganization(ctx context.Context, c *ent.Client, ref string) (*ent.Organization, error) {
	return first(ctx, c.Organization.Query().Where(organization.Or(organization.ID(pulid.ID(ref)), organization.Name(ref))).First,
		"organization", "ID or name", ref)
}

// findCategory finds a data category by ID or key (e.g. contact.email).
func findCategory(ctx context.Context, c *ent.Client, ref string) (*ent.DataCategory, error) {
	return first(ctx, c.DataCategory.Query().Where(datacategory.Or(datacategory.ID(pulid.ID(ref)), datacategory.Key(ref))).First,
		"data category", "ID or key", ref)
}

// splitList splits a comma-separated flag value, dropping blanks.
func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// parseFlagTime parses a date flag: YYYY-MM-DD or RFC 3339.
func parseFlagTime(flag, s string) (time.Time, error) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s %q: want YYYY-MM-DD or an RFC 3339 time", flag, s)
	}
	return t, nil
}
