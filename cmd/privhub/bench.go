package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"runtime"
	"slices"
	"time"

	"github.com/privhub/privhub/ent/datarecord"
	"github.com/privhub/privhub/ent/transfer"
	"github.com/privhub/privhub/internal/compliance"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/store"
	"github.com/privhub/privhub/internal/trace"
)

func bench(ctx context.Context, args []string, stdout io.Writer, _ *slog.Logger) error {
	fs, dbURL := newFlags("bench", "Measures the tracing and compliance questions on the database as it is\n(fill it first with privhub gen): trace(user) over random users (p50, p99),\nholders(category) for the busiest category, exposure(vendor) for the busiest\nvendor, and a full compliance check.", stdout)
	n := fs.Int("users", 1000, "how many random users to trace")
	seed := fs.Int64("seed", 1, "random seed for picking users")
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, err := openDB(ctx, *dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	c := db.Client
	eng := trace.New(c)
	start := time.Now()
	if err := eng.Warm(ctx); err != nil {
		return fmt.Errorf("warming: %w", err)
	}
	fmt.Fprintf(stdout, "warm-up (graph and record index): %s, heap %d MiB\n", time.Since(start).Round(time.Millisecond), heapMiB())
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
	t0 := time.Now()
	hs, err := eng.Holders(ctx, cat, true, at)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "holders(busiest category %s): %s, %d holders\n", cat, time.Since(t0).Round(time.Microsecond), len(hs))

	vnd, err := busiest(ctx, db, transfer.Table, transfer.FieldImporterVendorID)
	if err != nil {
		return err
	}
	t0 = time.Now()
	ex, err := eng.Exposure(ctx, vnd, at)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "exposure(busiest vendor %s): %s, %d users, %d downstream\n", vnd, time.Since(t0).Round(time.Microsecond), ex.Users, len(ex.Downstream))

	checker := compliance.New(c)
	t0 = time.Now()
	findings, err := checker.Check(ctx, at)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "compliance check: %s, %d findings, heap %d MiB\n", time.Since(t0).Round(time.Millisecond), len(findings), heapMiB())
	checker.Watch(c)
	if _, err := checker.Check(ctx, at); err != nil {
		return err
	}
	t0 = time.Now()
	f, err := checker.CheckTarget(ctx, at, vnd)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "findings of one vendor (cached data): %s, %d findings\n", time.Since(t0).Round(time.Microsecond), len(f))
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
