// Package gen fills a database with a synthetic personal-data graph of any
// size, shaped like a real company's: one controller with subsidiaries, a
// category taxonomy and purposes, vendors in many countries with
// subprocessor chains, transfers under the mechanism their country calls for,
// users with data records and a share of opt-outs. Benchmarks run on it.
//
// The registry is what a diligent company keeps: a processing agreement for
// every processor and subprocessor, notices of subprocessors, SCCs signed by
// both parties with a transfer impact assessment, vendor reviews within
// their cadence, security measures on record, consents granted before data
// is collected for a consent-based purpose and explicit consent before
// special-category data goes to another controller. On top of that about
// 1 % of the objects each compliance rule looks at carry a planted problem,
// drawn from the seed, so that a check finds a few hundred findings at the
// default size rather than none (see plant.go).
package gen

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/internal/audit"
	"github.com/privhub/privhub/internal/pulid"
)

// Options sizes a generated dataset. Zero fields take the values of
// DefaultOptions.
type Options struct {
	Users          int   // data subjects
	Vendors        int   // third parties
	Transfers      int   // flows between holders, chains included
	ChainDepth     int   // deepest subprocessor chain below our organisation
	RecordsPerUser int   // data records per user, on average
	Seed           int64 // the same seed gives the same dataset
	// BatchSize is how many rows one insert statement writes.
	BatchSize int
}

// DefaultOptions is the dataset the benchmarks use: 2,000 vendors, 20,000
// transfers, 100,000 users and 1,000,000 data records.
func DefaultOptions() Options {
	return Options{Users: 100_000, Vendors: 2_000, Transfers: 20_000, ChainDepth: 4, RecordsPerUser: 10, Seed: 1, BatchSize: 1000}
}

func (o Options) withDefaults() Options {
	d := DefaultOptions()
	if o.Users > 0 {
		d.Users = o.Users
	}
	if o.Vendors > 0 {
		d.Vendors = o.Vendors
	}
	if o.Transfers > 0 {
		d.Transfers = o.Transfers
	}
	if o.ChainDepth > 0 {
		d.ChainDepth = o.ChainDepth
	}
	if o.RecordsPerUser > 0 {
		d.RecordsPerUser = o.RecordsPerUser
	}
	if o.Seed != 0 {
		d.Seed = o.Seed
	}
	if o.BatchSize > 0 {
		d.BatchSize = o.BatchSize
	}
	return d
}

// Progress receives a line about what the generator is doing.
type Progress func(format string, args ...any)

// Result counts what Generate wrote.
type Result struct {
	Organizations, Categories, Purposes, Vendors, Contracts, Transfers, Users, Records, Consents int
	// ContractParties, Assessments (vendor reviews and TIAs),
	// SubprocessorChanges and SecurityMeasures count the compliance records.
	ContractParties, Assessments, SubprocessorChanges, SecurityMeasures int
	// Planted counts the objects given a deliberate compliance problem.
	Planted int
}

// Generate writes a synthetic dataset. Each batch is its own transaction, so
// a large run keeps memory flat; the database must not hold a generated
// dataset already. Its rows stand for no real processing: instead of one
// audit event per row it appends one "generate" event with the options and
// the counts at the end of the run, also when the run fails or is stopped
// half-way (with the error).
func Generate(ctx context.Context, client *ent.Client, opts Options, progress Progress) (*Result, error) {
	opts = opts.withDefaults()
	res, err := generate(audit.Suppress(ctx), client, opts, progress)
	changes := res.summary(opts)
	if err != nil {
		changes["error"] = err.Error()
	}
	aerr := audit.Append(context.WithoutCancel(ctx), client, audit.Event{
		Action:     "generate",
		TargetType: "Dataset",
		TargetID:   fmt.Sprintf("gen-seed-%d", opts.Seed),
		Changes:    changes,
	})
	if aerr != nil {
		aerr = fmt.Errorf("recording the generated dataset in the audit trail: %w", aerr)
	}
	if err = errors.Join(err, aerr); err != nil {
		return nil, err
	}
	return res, nil
}

// summary is what the audit event of a run records: the options and what
// was written.
func (r *Result) summary(o Options) map[string]any {
	return map[string]any{
		"options": map[string]any{
			"users": o.Users, "vendors": o.Vendors, "transfers": o.Transfers, "chainDepth": o.ChainDepth,
			"recordsPerUser": o.RecordsPerUser, "seed": o.Seed,
		},
		"written": map[string]any{
			"organizations": r.Organizations, "categories": r.Categories, "purposes": r.Purposes,
			"vendors": r.Vendors, "contracts": r.Contracts, "transfers": r.Transfers, "users": r.Users,
			"records": r.Records, "consents": r.Consents, "contractParties": r.ContractParties,
			"assessments": r.Assessments, "subprocessorChanges": r.SubprocessorChanges,
			"securityMeasures": r.SecurityMeasures,
		},
		"planted": r.Planted,
	}
}

// generate is Generate without the audit trail; on error it returns what
// it wrote so far with the error.
func generate(ctx context.Context, client *ent.Client, opts Options, progress Progress) (*Result, error) {
	if progress == nil {
		progress = func(string, ...any) {}
	}
	g := &generator{
		client:   client,
		opts:     opts,
		rng:      rand.New(rand.NewPCG(uint64(opts.Seed), 0x9e3779b97f4a7c15)),
		progress: progress,
		epoch:    time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC),
		ref:      reference,
		res:      &Result{},
	}
	steps := []struct {
		name string
		run  func(context.Context) error
	}{
		{"organizations", g.writeOrganizations},
		{"taxonomy", g.writeTaxonomy},
		{"vendors", g.writeVendors},
		{"transfers", g.writeTransfers},
		{"users", g.writeUsers},
		{"records", g.writeRecords},
	}
	for _, s := range steps {
		start := time.Now()
		if err := s.run(ctx); err != nil {
			return g.res, fmt.Errorf("generating %s: %w", s.name, err)
		}
		progress("%s done in %s", s.name, time.Since(start).Round(time.Millisecond))
	}
	return g.res, nil
}

// generator carries the state of one Generate run.
type generator struct {
	client   *ent.Client
	opts     Options
	rng      *rand.Rand
	progress Progress
	epoch    time.Time // the generated history starts here
	ref      time.Time // reviews and assessments are dated relative to it
	res      *Result

	controller pulid.ID
	orgs       []pulid.ID
	categories []pulid.ID // leaves, the categories records are about
	groups     []pulid.ID // parent categories, which transfers may carry
	purposes   []pulid.ID
	optOutable []pulid.ID // purposes an opt-out can stop
	purposeKey map[string]pulid.ID
	dietary    pulid.ID // the special-category leaf
	eventGroup pulid.ID // its parent
	measures   []pulid.ID
	vendors    []vendorInfo
	direct     []pulid.ID // tier-1 vendors, which collect some records
	users      []pulid.ID
}

// reference is the instant the generated registry is kept up to date for:
// reviews were performed before it and are next due after it, assessments
// are re-evaluated well after it.
var reference = time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)

// Reference returns the instant a generated registry is kept up to date
// for: checked as of then, it shows only the planted problems.
func Reference() time.Time { return reference }

type vendorInfo struct {
	id      pulid.ID
	name    string
	country pulid.ID
	tier    int // depth of the chain this vendor sits at, 1 = our direct vendor
}

// day returns a deterministic instant within the generated history.
func (g *generator) day(maxDays int) time.Time {
	return g.epoch.Add(time.Duration(g.rng.IntN(maxDays*24)) * time.Hour)
}

// batches calls write for consecutive slices of n items of at most BatchSize.
func (g *generator) batches(ctx context.Context, what string, n int, write func(ctx context.Context, from, to int) error) error {
	return g.batchesOf(ctx, what, n, g.opts.BatchSize, write)
}

// batchesOf calls write for consecutive slices of n items of at most size.
func (g *generator) batchesOf(ctx context.Context, what string, n, size int, write func(ctx context.Context, from, to int) error) error {
	last := time.Now()
	for from := 0; from < n; from += size {
		if err := ctx.Err(); err != nil {
			return err
		}
		to := min(from+size, n)
		if err := write(ctx, from, to); err != nil {
			return fmt.Errorf("writing %s %d-%d: %w", what, from, to, err)
		}
		if time.Since(last) > 2*time.Second {
			g.progress("%s: %d/%d", what, to, n)
			last = time.Now()
		}
	}
	return nil
}

// chunks saves builders in slices of at most size, so that one statement
// stays within the bind-parameter limits of SQLite and PostgreSQL.
func chunks[B, R any](builders []B, size int, save func([]B) ([]R, error)) ([]R, error) {
	var out []R
	for lo := 0; lo < len(builders); lo += size {
		r, err := save(builders[lo:min(lo+size, len(builders))])
		if err != nil {
			return nil, err
		}
		out = append(out, r...)
	}
	return out, nil
}

// execChunks writes builders in slices of at most size.
func execChunks[B any](builders []B, size int, exec func([]B) error) error {
	for lo := 0; lo < len(builders); lo += size {
		if err := exec(builders[lo:min(lo+size, len(builders))]); err != nil {
			return err
		}
	}
	return nil
}
