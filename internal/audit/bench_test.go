package audit_test

// What the audit trail costs. Run with
//
//	go test -run '^$' -bench . -benchtime 3x ./internal/audit/
//
// BenchmarkDemoLoad loads the Lumora demo dataset into a fresh database with
// and without the hook; BenchmarkBulkDelete deletes 1,000 rows in one
// transaction, as a retention sweep's batch does, with and without the hook;
// BenchmarkAppend appends 1,000 events in one transaction; BenchmarkVerify
// walks a trail of 10,000 events.

import (
	"context"
	"fmt"
	"testing"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/securitymeasure"
	"github.com/privhub/privhub/internal/audit"
	"github.com/privhub/privhub/internal/demo"
	"github.com/privhub/privhub/internal/integrity"
	"github.com/privhub/privhub/internal/store"
	"github.com/privhub/privhub/internal/store/storetest"
)

// openBare returns a fresh migrated database with the write rules and,
// when audited, the audit hook.
func openBare(b *testing.B, dia string, audited bool) *store.DB {
	b.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, storetest.URL(b, dia))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	integrity.Register(db.Client)
	if err := db.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	if audited {
		audit.Register(db.Client)
	}
	return db
}

func BenchmarkDemoLoad(b *testing.B) {
	for _, dia := range storetest.Dialects() {
		for _, audited := range []bool{false, true} {
			name := dia + "/without-audit"
			if audited {
				name = dia + "/with-audit"
			}
			b.Run(name, func(b *testing.B) {
				ctx := context.Background()
				var events int
				for b.Loop() {
					b.StopTimer()
					db := openBare(b, dia, audited)
					b.StartTimer()
					if _, err := demo.Load(ctx, db.Client); err != nil {
						b.Fatal(err)
					}
					b.StopTimer()
					events = db.Client.AuditEvent.Query().CountX(ctx)
					db.Close()
					b.StartTimer()
				}
				b.ReportMetric(float64(events), "events")
			})
		}
	}
}

func BenchmarkBulkDelete(b *testing.B) {
	for _, dia := range storetest.Dialects() {
		for _, audited := range []bool{false, true} {
			name := dia + "/1000-rows/without-audit"
			if audited {
				name = dia + "/1000-rows/with-audit"
			}
			b.Run(name, func(b *testing.B) {
				ctx := context.Background()
				db := openBare(b, dia, audited)
				for b.Loop() {
					b.StopTimer()
					cs := make([]*ent.SecurityMeasureCreate, 1000)
					for i := range cs {
						cs[i] = db.Client.SecurityMeasure.Create().SetName(fmt.Sprint("m", i)).
							SetKind(securitymeasure.KindTechnical).SetTopic(securitymeasure.TopicBackup)
					}
					if err := db.Client.SecurityMeasure.CreateBulk(cs...).Exec(audit.Suppress(ctx)); err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
					err := store.RunTx(audit.WithReason(ctx, "retention rule ret_1"), db.Client, func(ctx context.Context, c *ent.Client) error {
						_, err := c.SecurityMeasure.Delete().Exec(ctx)
						return err
					})
					if err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

func BenchmarkAppend(b *testing.B) {
	for _, dia := range storetest.Dialects() {
		b.Run(dia+"/1000-events-one-tx", func(b *testing.B) {
			ctx := audit.WithActor(context.Background(), audit.Actor{Name: "bench", Role: "ADMIN", RequestID: "bench"})
			db := openBare(b, dia, true)
			evs := make([]audit.Event, 1000)
			for i := range evs {
				evs[i] = audit.Event{Action: "delete", TargetType: "DataRecord", TargetID: fmt.Sprintf("rec_%04d", i),
					Changes: map[string]any{"reason": "retention rule ret_1 (P2Y from collection)"}}
			}
			for b.Loop() {
				err := store.RunTx(ctx, db.Client, func(ctx context.Context, c *ent.Client) error {
					return audit.Append(ctx, c, evs...)
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkVerify(b *testing.B) {
	for _, dia := range storetest.Dialects() {
		b.Run(dia+"/10000-events", func(b *testing.B) {
			ctx := context.Background()
			db := openBare(b, dia, true)
			evs := make([]audit.Event, 10_000)
			for i := range evs {
				evs[i] = audit.Event{Action: "read", TargetType: "DataRecord", TargetID: fmt.Sprintf("rec_%05d", i),
					Changes: map[string]any{"fields": []string{"value"}}}
			}
			if err := audit.Append(ctx, db.Client, evs...); err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				rep, err := audit.Verify(ctx, db.Client)
				if err != nil || !rep.OK || rep.Events != len(evs) {
					b.Fatalf("verify: %+v %v", rep, err)
				}
			}
		})
	}
}
