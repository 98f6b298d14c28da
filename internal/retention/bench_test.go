package retention_test

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"runtime/metrics"
	"slices"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/datarecord"
	"github.com/privhub/privhub/ent/purpose"
	"github.com/privhub/privhub/ent/retentionrule"
	"github.com/privhub/privhub/internal/audit"
	"github.com/privhub/privhub/internal/integrity"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/retention"
	"github.com/privhub/privhub/internal/store"
	"github.com/privhub/privhub/internal/store/storetest"
	"github.com/privhub/privhub/internal/vocab"
)

// BenchmarkSweep sweeps a table of PRIVHUB_BENCH_RECORDS data records
// (default 20,000; the figure is 1,000,000) of which 20 % are past
// their retention (half to delete, half to anonymise) and 1 % under legal
// hold, on each database: first a dry run, then the sweep itself, with the
// audit hook installed as in production. It reports records examined per
// second and the peak Go heap during each (sampled every 5 ms). Each
// iteration loads a fresh database, outside the timer; run it once:
//
//	PRIVHUB_BENCH_RECORDS=1000000 go test ./internal/retention -run '^$' -bench Sweep -benchtime 1x -timeout 2h
func BenchmarkSweep(b *testing.B) {
	n := 20000
	if s := os.Getenv("PRIVHUB_BENCH_RECORDS"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v < 100 {
			b.Fatalf("PRIVHUB_BENCH_RECORDS=%q: want a number of records, at least 100", s)
		}
		n = v
	}
	for _, dia := range storetest.Dialects() {
		b.Run(dia, func(b *testing.B) {
			for range b.N {
				b.StopTimer()
				url := storetest.URL(b, dia)
				t0 := time.Now()
				expired := loadBench(b, url, n)
				b.Logf("%s: loaded %d records (%d past retention) in %s", dia, n, expired, time.Since(t0).Round(time.Millisecond))

				db, err := store.Open(context.Background(), url)
				if err != nil {
					b.Fatal(err)
				}
				integrity.Register(db.Client)
				audit.Register(db.Client)

				for _, apply := range []bool{false, true} {
					peak, stop := heapPeak()
					b.StartTimer()
					start := time.Now()
					rep, err := retention.Sweep(context.Background(), db.Client, retention.Options{At: benchAt, Apply: apply})
					took := time.Since(start)
					b.StopTimer()
					heap := stop()
					if err != nil {
						b.Fatal(err)
					}
					if rep.Deleted+rep.Anonymized != expired || rep.Scanned != n {
						b.Fatalf("swept %d of %d records, changed %d, want %d", rep.Scanned, n, rep.Deleted+rep.Anonymized, expired)
					}
					what := "dry-run"
					if apply {
						what = "apply"
					}
					rate := float64(rep.Scanned) / took.Seconds()
					b.ReportMetric(rate, what+"-records/s")
					b.ReportMetric(float64(heap>>20), what+"-peak-heap-MiB")
					b.Logf("%s %s: %d records in %s (%.0f records/s), %d deleted, %d anonymised, %d held, %d batches; peak heap %d MiB (before %d MiB)",
						dia, what, rep.Scanned, took.Round(time.Millisecond), rate, rep.Deleted, rep.Anonymized, rep.Held, rep.Batches, heap>>20, peak>>20)
				}
				var ru syscall.Rusage
				if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
					b.Logf("max RSS of the process so far (loading included): %d MiB", ru.Maxrss>>10)
				}
				db.Close()
			}
		})
	}
}

// benchAt is the instant the benchmark sweeps as of.
var benchAt = time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)

// heapPeak samples the live heap until stop is called, after a collection;
// it returns the heap before sampling and stop, which returns the peak.
func heapPeak() (before uint64, stop func() uint64) {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() uint64 { metrics.Read(sample); return sample[0].Value.Uint64() }
	before = read()
	peak := before
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				peak = max(peak, read())
			}
		}
	}()
	return before, func() uint64 {
		close(done)
		wg.Wait()
		return max(peak, read())
	}
}

// loadBench fills the database at url with n records in bulk, without
// audit events (a fixture, not processing), and returns how many a sweep
// as of benchAt must change.
func loadBench(b *testing.B, url string, n int) int {
	b.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, url)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	c := db.Client
	org := c.Organization.Create().SetName("Lumora SA").SetCountryID("cty_BE").SaveX(ctx)
	type kind struct {
		cat     *ent.DataCategory
		purpose *ent.Purpose
		action  retentionrule.Action
	}
	var kinds []kind
	for _, k := range []struct {
		key    string
		action retentionrule.Action
	}{{"logs", retentionrule.ActionDelete}, {"cookies", retentionrule.ActionAnonymize}} {
		cat := c.DataCategory.Create().SetKey(k.key).SetName(k.key).SaveX(ctx)
		p := c.Purpose.Create().SetKey(k.key).SetName(k.key).SetLegalBasis(purpose.LegalBasisLegitimateInterests).SaveX(ctx)
		c.RetentionRule.Create().SetCategoryID(cat.ID).SetPurposeID(p.ID).SetPeriod("P2M").
			SetTrigger(retentionrule.TriggerCollection).SetAction(k.action).ExecX(ctx)
		kinds = append(kinds, kind{cat, p, k.action})
	}
	users := make([]pulid.ID, 0, max(n/100, 1))
	for part := range slices.Chunk(make([]struct{}, cap(users)), 2000) {
		bulk := make([]*ent.UserCreate, len(part))
		for i := range part {
			bulk[i] = c.User.Create().SetExternalRef(fmt.Sprintf("u%07d", len(users)+i)).SetSubjectKind(vocab.SubjectWebsiteVisitor)
		}
		for _, u := range c.User.CreateBulk(bulk...).SaveX(ctx) {
			users = append(users, u.ID)
		}
	}
	expired := 0
	const chunk = 2000
	for from := 0; from < n; from += chunk {
		bulk := make([]*ent.DataRecordCreate, 0, chunk)
		for i := from; i < min(from+chunk, n); i++ {
			k := kinds[i%2]
			// Every fifth record is past retention: collected 3 to 6 months
			// before; the others less than 2 months before.
			old := i%5 == 0
			age := time.Duration(i%50) * 24 * time.Hour
			collected := benchAt.Add(-age - time.Hour)
			if old {
				collected = benchAt.AddDate(0, -3, 0).Add(-age)
			}
			hold := i%100 == 0
			if old && !hold {
				expired++
			}
			bulk = append(bulk, c.DataRecord.Create().SetUserID(users[i%len(users)]).SetCategoryID(k.cat.ID).
				SetCollectorOrganizationID(org.ID).SetSource(datarecord.SourceLog).SetCollectedAt(collected).
				SetLegalHold(hold).SetValue("203.0.113.7 GET /index.html").AddPurposeIDs(k.purpose.ID))
		}
		if err := c.DataRecord.CreateBulk(bulk...).Exec(ctx); err != nil {
			b.Fatal(err)
		}
	}
	return expired
}
