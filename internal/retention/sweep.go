package retention

import (
	"context"
	"errors"
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/internal/pulid"
)

// Options tells Sweep what to do.
type Options struct {
	// At is the instant retention is evaluated as of; zero means now.
	At time.Time
	// Apply makes changes; without it the sweep only counts (a dry run).
	Apply bool
	// BatchSize is how many records one transaction changes; 0 means 1,000.
	BatchSize int
	// Progress, when set, is called after each batch with the running totals.
	Progress func(*Report)
}

// Page is one page of the retention preview.
type Page struct {
	// Items are the records of the page, ordered by record ID.
	Items []*Item
	// Total counts the items of every page.
	Total int
	// More is true when items follow the page.
	More bool
}

// Preview returns the records past their retention as of at and not under
// legal hold, ordered by record ID, starting after the record ID after (""
// for the first page), at most limit of them.
func Preview(ctx context.Context, c *ent.Client, at time.Time, after pulid.ID, limit int) (*Page, error) {
	return nil, errors.New("retention: preview not written yet")
}

// Sweep applies every retention rule as of opt.At.
func Sweep(ctx context.Context, c *ent.Client, opt Options) (*Report, error) {
	return nil, errors.New("retention: sweep not written yet")
}
