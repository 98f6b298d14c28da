package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/privhub/privhub/internal/requests"
)

// printErasurePlan writes what an erasure would do, for `privhub request
// erase --dry-run`.
func printErasurePlan(w io.Writer, p *requests.ErasurePlan) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Erasure of %s as of %s (dry run: nothing is written)\n", p.User.ID, p.At.UTC().Format(time.RFC3339))
	b.WriteString("\nDeleted:\n")
	for _, c := range p.Deleted {
		fmt.Fprintf(&b, "  %-28s %d record(s)\n", c.CategoryKey, c.Records)
	}
	b.WriteString("\nKept under a legal obligation:\n")
	if len(p.Retained) == 0 {
		b.WriteString("  nothing\n")
	}
	for _, k := range p.Retained {
		until := "no end on record"
		if k.Until != nil {
			until = "until " + k.Until.UTC().Format(time.DateOnly)
		}
		fmt.Fprintf(&b, "  %-28s %s: %s\n", k.CategoryKey, until, k.Reason)
	}
	list := func(title string, rs []*requests.Recipient) {
		fmt.Fprintf(&b, "\n%s:\n", title)
		if len(rs) == 0 {
			b.WriteString("  none\n")
		}
		for _, r := range rs {
			what := "erase " + strings.Join(r.Erase, ", ")
			if !r.Required() {
				what = "nothing to erase (holds only " + strings.Join(r.Kept, ", ") + ")"
			}
			fmt.Fprintf(&b, "  %s (%s): %s\n", r.Holder.HolderName(), strings.ToLower(string(r.Role)), what)
		}
	}
	list("Processors to instruct (Art. 28(3)(g), 29)", p.Instruct)
	list("Controllers to notify (Art. 19)", p.Notify)
	_, err := io.WriteString(w, b.String())
	return err
}
