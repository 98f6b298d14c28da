package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"time"

	"github.com/privhub/privhub/internal/gen"
)

func generate(ctx context.Context, args []string, stdout io.Writer, log *slog.Logger) error {
	fs, dbURL := newFlags("gen", "Fills the database with a synthetic dataset of the given size, for\nbenchmarks and load tests, then brings the planner's statistics up to date\n(VACUUM ANALYZE on PostgreSQL). The same --seed gives the same dataset.", stdout)
	d := gen.DefaultOptions()
	var o gen.Options
	fs.IntVar(&o.Users, "users", d.Users, "data subjects")
	fs.IntVar(&o.Vendors, "vendors", d.Vendors, "vendors")
	fs.IntVar(&o.Transfers, "transfers", d.Transfers, "transfers, subprocessor chains included")
	fs.IntVar(&o.ChainDepth, "depth", d.ChainDepth, "deepest subprocessor chain")
	fs.IntVar(&o.RecordsPerUser, "records-per-user", d.RecordsPerUser, "data records per user")
	fs.Int64Var(&o.Seed, "seed", d.Seed, "random seed")
	fs.IntVar(&o.BatchSize, "batch", d.BatchSize, "rows per insert")
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, err := openDB(ctx, *dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	res, err := gen.Generate(ctx, db.Client, o, func(format string, args ...any) {
		log.Info(fmt.Sprintf(format, args...))
	})
	if err != nil {
		return err
	}
	// A bulk load leaves the planner without statistics and, on
	// PostgreSQL, every page to be vacuumed before a count can skip it.
	analyzed := time.Now()
	if err := db.Analyze(ctx); err != nil {
		return err
	}
	log.Info("analyzed the database", "took", time.Since(analyzed).Round(time.Millisecond))
	var mem runtime.MemStats
	runtime.ReadMemStats(&mem)
	fmt.Fprintf(stdout, "generated %d vendors, %d transfers, %d contracts, %d users, %d records, %d consents in %s (heap in use at the end %d MiB, total allocated %d MiB)\n",
		res.Vendors, res.Transfers, res.Contracts, res.Users, res.Records, res.Consents,
		time.Since(start).Round(time.Millisecond), mem.HeapInuse>>20, mem.TotalAlloc>>20)
	return nil
}
