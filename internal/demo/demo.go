// Package demo loads the "Lumora" demo dataset: a fictional Belgian cloud
// software publisher with its subsidiaries, vendors and subprocessors,
// contracts and transfers, and about two hundred and forty data subjects with
// their records, consents, disclosures and requests.
//
// The dataset is described in DEMO.md. It is clean except for the problems
// that file plants on purpose, and it is evaluated as of RefDate, the demo's
// fixed clock. Every date in it is explicit and every generated value comes
// from a fixed seed, so two loads produce the same content (only the random
// IDs and the rows' own created_at and updated_at differ).
package demo

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/organization"
	"github.com/privhub/privhub/internal/pulid"
)

// MarkerOrganization is the organization whose presence means the dataset is
// already loaded.
const MarkerOrganization = "Lumora SA"

// RefDate is the instant the demo is meant to be evaluated at: its findings
// are the ones DEMO.md lists "as of 2026-06-30".
var RefDate = date(2026, 6, 30)

// Load writes the Lumora demo dataset into an empty or already-seeded database in
// one transaction. It reports whether it wrote anything: a database that already
// holds the dataset is left as it is, so loading twice creates nothing twice.
func Load(ctx context.Context, client *ent.Client) (loaded bool, err error) {
	tx, err := client.Tx(ctx)
	if err != nil {
		return false, fmt.Errorf("starting the demo transaction: %w", err)
	}
	defer func() {
		if !loaded {
			if rerr := tx.Rollback(); rerr != nil && err != nil && !errors.Is(rerr, sql.ErrTxDone) {
				err = errors.Join(err, fmt.Errorf("rolling back the demo transaction: %w", rerr))
			}
		}
	}()

	exists, err := tx.Organization.Query().Where(organization.Name(MarkerOrganization)).Exist(ctx)
	if err != nil {
		return false, fmt.Errorf("looking for %s: %w", MarkerOrganization, err)
	}
	if exists {
		return false, nil
	}

	b := newBuilder(tx)
	steps := []struct {
		what string
		run  func(context.Context) error
	}{
		{"organizations", b.loadOrganizations},
		{"taxonomy", b.loadTaxonomy},
		{"vendors", b.loadVendors},
		{"contracts", b.loadContracts},
		{"transfers", b.loadTransfers},
		{"subprocessor changes", b.loadSubprocessorChanges},
		{"subprocessor announcements", b.loadAnnouncements},
		{"assessments", b.loadAssessments},
		{"security measures", b.loadSecurityMeasures},
		{"people", b.loadPeople},
	}
	for _, s := range steps {
		if err := s.run(ctx); err != nil {
			return false, fmt.Errorf("loading the demo %s: %w", s.what, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("committing the demo dataset: %w", err)
	}
	return true, nil
}

// builder writes the dataset through one transaction and remembers the IDs
// of what it wrote under the keys DEMO.md uses (E1, V01, S04, contact.email...).
type builder struct {
	tx *ent.Tx

	orgs       map[string]pulid.ID // E1..E8
	vendors    map[string]pulid.ID // V01..V25, S01..S11 and the Doha venue
	categories map[string]pulid.ID // by dotted key
	purposes   map[string]pulid.ID // by key
	contracts  map[string]pulid.ID // by contract key
	clauses    map[string]map[string]pulid.ID
	relied     map[string][]pulid.ID // a contract's clauses transfers rely on
	transfers  map[string]pulid.ID   // by transfer key
}

func newBuilder(tx *ent.Tx) *builder {
	return &builder{
		tx:         tx,
		orgs:       map[string]pulid.ID{},
		vendors:    map[string]pulid.ID{},
		categories: map[string]pulid.ID{},
		purposes:   map[string]pulid.ID{},
		contracts:  map[string]pulid.ID{},
		clauses:    map[string]map[string]pulid.ID{},
		relied:     map[string][]pulid.ID{},
		transfers:  map[string]pulid.ID{},
	}
}

// holder resolves a holder key: E1..E8 name organizations, anything else a
// vendor. Exactly one of the two IDs is set.
func (b *builder) holder(key string) (org, vendor pulid.ID, err error) {
	if id, ok := b.orgs[key]; ok {
		return id, "", nil
	}
	if id, ok := b.vendors[key]; ok {
		return "", id, nil
	}
	return "", "", fmt.Errorf("unknown holder %q", key)
}

// category returns the ID of the category with the given key.
func (b *builder) category(key string) (pulid.ID, error) {
	id, ok := b.categories[key]
	if !ok {
		return "", fmt.Errorf("unknown data category %q", key)
	}
	return id, nil
}

// categoryIDs returns the IDs of the categories with the given keys.
func (b *builder) categoryIDs(keys []string) ([]pulid.ID, error) {
	ids := make([]pulid.ID, 0, len(keys))
	for _, k := range keys {
		id, err := b.category(k)
		if err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// purposeIDs returns the IDs of the purposes with the given keys.
func (b *builder) purposeIDs(keys []string) ([]pulid.ID, error) {
	ids := make([]pulid.ID, 0, len(keys))
	for _, k := range keys {
		id, ok := b.purposes[k]
		if !ok {
			return nil, fmt.Errorf("unknown purpose %q", k)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// date returns UTC midnight of the given day.
func date(y, m, d int) time.Time {
	return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
}

// at returns the given day at hh:mm UTC.
func at(y, m, d, hh, mm int) time.Time {
	return time.Date(y, time.Month(m), d, hh, mm, 0, 0, time.UTC)
}

// bulkSize bounds the rows of one INSERT, well below the bind-parameter
// limits of SQLite and PostgreSQL.
const bulkSize = 400

// chunks calls fn with consecutive slices of at most bulkSize elements.
func chunks[T any](items []T, fn func([]T) error) error {
	for len(items) > 0 {
		n := min(len(items), bulkSize)
		if err := fn(items[:n]); err != nil {
			return err
		}
		items = items[n:]
	}
	return nil
}
