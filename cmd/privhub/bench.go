package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"time"

	"github.com/privhub/privhub/ent/datarecord"
	"github.com/privhub/privhub/ent/transfer"
	"github.com/privhub/privhub/internal/compliance"
	"github.com/privhub/privhub/internal/pretouch"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/store"
	"github.com/privhub/privhub/internal/trace"
)

func bench(ctx context.Context, args []string, stdout io.Writer, _ *slog.Logger) error {
	fs, dbURL := newFlags("bench", "Measures the tracing and compliance questions on the database as it is\n(fill it first with privhub gen): trace(user) over random users (p50, p99),\nholders(category) for the busiest category, exposure(vendor) for the busiest\nvendor (each asked five times); then compliance checks: a cold one, then on\na checker that caches and follows writes, a full check at a new instant,\nafter inserting a data record and after changing a vendor (both undone at\nthe end), and the findings of the busiest vendor.", stdout)
	n := fs.Int("users", 1000, "how many random users to trace")
	seed := fs.Int64("seed", 1, "random seed for picking users")
	touch := fs.Bool("pretouch", true, "after the warm-up, touch the heap up to the collector's next run, as serve does")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the run to this file (go tool pprof)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return fmt.Errorf("creating the CPU profile: %w", err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return fmt.Errorf("starting the CPU profile: %w", err)
		}
		defer pprof.StopCPUProfile()
	}
	fmt.Fprintf(stdout, "garbage collector target: GOGC=%s (serve's, unless GOGC is set)\n", tuneGC())
	db, err := openDB(ctx, *dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	c := db.Client
	eng := trace.New(c)
	eng.Watch(c) // as serve's
	start := time.Now()
	if err := eng.Warm(ctx); err != nil {
		return fmt.Errorf("warming: %w", err)
	}
	fmt.Fprintf(stdout, "warm-up (graph and record index): %s, heap %d MiB\n", time.Since(start).Round(time.Millisecond), heapMiB())
	// Leave the warm-up's garbage out of the timings.
	runtime.GC()
	if *touch {
		start = time.Now()
		n := pretouch.Heap(ctx)
		fmt.Fprintf(stdout, "heap pre-touched: %d MiB in %s\n", n>>20, time.Since(start).Round(time.Millisecond))
	}
	at := time.Now()

	ids, err := c.User.Query().IDs(ctx)
	if err != nil {
		return err
	}
	if len(ids) == 0 {
		return fmt.Errorf("the database has no users: fill it with privhub gen")
	}
	rng := rand.New(rand.NewPCG(uint64(*seed), 7))
	var times []time.Duration
	for range *n {
		id := ids[rng.IntN(len(ids))]
		t0 := time.Now()
		if _, err := eng.Trace(ctx, id, at); err != nil {
			return fmt.Errorf("tracing %s: %w", id, err)
		}
		times = append(times, time.Since(t0))
	}
	slices.Sort(times)
	fmt.Fprintf(stdout, "trace(user) over %d users: p50 %s, p99 %s, max %s\n", len(times),
		times[len(times)/2], times[len(times)*99/100], times[len(times)-1])

	cat, err := busiest(ctx, db, datarecord.Table, datarecord.FieldCategoryID)
	if err != nil {
		return err
	}
	var hs []*trace.Holding
	spread, err := repeat(func() (err error) {
		hs, err = eng.Holders(ctx, cat, true, at)
		return err
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "holders(busiest category %s): %s, %d holders\n", cat, spread, len(hs))

	vnd, err := busiest(ctx, db, transfer.Table, transfer.FieldImporterVendorID)
	if err != nil {
		return err
	}
	var ex *trace.Exposure
	spread, err = repeat(func() (err error) {
		ex, err = eng.Exposure(ctx, vnd, at)
		return err
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "exposure(busiest vendor %s): %s, %d users, %d downstream\n", vnd, spread, ex.Users, len(ex.Downstream))

	return benchCompliance(ctx, db, vnd, at, stdout)
}

// repeats is how many times bench asks holders and exposure.
const repeats = 5

// repeat times fn, asked repeats times, and describes the spread: the
// first time, then the median and the slowest.
func repeat(fn func() error) (string, error) {
	var times []time.Duration
	for range repeats {
		t0 := time.Now()
		if err := fn(); err != nil {
			return "", err
		}
		times = append(times, time.Since(t0).Round(time.Microsecond))
	}
	first := times[0]
	slices.Sort(times)
	return fmt.Sprintf("first %s, median %s, max %s of %d", first, times[len(times)/2], times[len(times)-1], repeats), nil
}

// benchCompliance measures compliance checks: a cold one (everything read
// from the database, as privhub check does), then, on a checker that
// caches what it read and follows writes (as the server's does), a full
// check at an instant not evaluated yet, a full check after a data record
// is inserted and after a vendor is changed, and one vendor's findings.
// It deletes the record and restores the vendor afterwards (the audit
// trail keeps the four writes).
func benchCompliance(ctx context.Context, db *store.DB, vnd pulid.ID, at time.Time, stdout io.Writer) error {
	c := db.Client
	runtime.GC()
	t0 := time.Now()
	findings, err := compliance.New(c).Check(ctx, at)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "compliance check, cold (reads everything): %s, %d findings, heap %d MiB\n", time.Since(t0).Round(time.Millisecond), len(findings), heapMiB())

	checker := compliance.New(c)
	checker.Watch(c)
	runtime.GC()
	t0 = time.Now()
	if _, err := checker.Check(ctx, at); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "compliance check, first of a watching checker: %s, heap %d MiB\n", time.Since(t0).Round(time.Millisecond), heapMiB())
	check := func(what string, at time.Time) error {
		t0 := time.Now()
		f, err := checker.Check(ctx, at)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "compliance check, %s: %s, %d findings\n", what, time.Since(t0).Round(time.Millisecond), len(f))
		return nil
	}
	if err := check("full, at a new instant", at.Add(time.Hour)); err != nil {
		return err
	}

	// A new record, of the busiest category, for a random user.
	tmpl, err := c.DataRecord.Query().Where(datarecord.CollectorOrganizationIDNotNil()).First(ctx)
	if err != nil {
		return fmt.Errorf("reading a data record: %w", err)
	}
	rec, err := c.DataRecord.Create().SetUserID(tmpl.UserID).SetCategoryID(tmpl.CategoryID).
		SetNillableCollectorOrganizationID(tmpl.CollectorOrganizationID).SetSource(tmpl.Source).
		SetCollectedAt(at).Save(ctx)
	if err != nil {
		return fmt.Errorf("inserting a data record: %w", err)
	}
	if err := check("full, after a data record was inserted", at); err != nil {
		return err
	}

	v, err := c.Vendor.Get(ctx, vnd)
	if err != nil {
		return fmt.Errorf("reading vendor %s: %w", vnd, err)
	}
	if err := c.Vendor.UpdateOne(v).SetLegalName(v.LegalName + " (bench)").Exec(ctx); err != nil {
		return fmt.Errorf("changing vendor %s: %w", vnd, err)
	}
	if err := check("full, after a vendor was changed", at); err != nil {
		return err
	}

	t0 = time.Now()
	f, err := checker.CheckTarget(ctx, at, vnd)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "findings of one vendor (cached data): %s, %d findings\n", time.Since(t0).Round(time.Microsecond), len(f))

	if err := c.Vendor.UpdateOne(v).SetLegalName(v.LegalName).Exec(ctx); err != nil {
		return fmt.Errorf("restoring vendor %s: %w", vnd, err)
	}
	if err := c.DataRecord.DeleteOneID(rec.ID).Exec(ctx); err != nil {
		return fmt.Errorf("deleting the data record %s the benchmark inserted: %w", rec.ID, err)
	}
	return nil
}

// busiest returns the value of column that the most rows of table share.
func busiest(ctx context.Context, db *store.DB, table, column string) (pulid.ID, error) {
	var id pulid.ID
	q := fmt.Sprintf("SELECT %s FROM %s WHERE %s IS NOT NULL GROUP BY %s ORDER BY COUNT(*) DESC LIMIT 1", column, table, column, column)
	if err := db.SQL.QueryRowContext(ctx, q).Scan(&id); err != nil {
		return "", fmt.Errorf("finding the busiest %s: %w", column, err)
	}
	return id, nil
}

func heapMiB() uint64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse >> 20
}
