package compliance_test

import (
	"context"
	"testing"

	"github.com/privhub/privhub/internal/compliance"
	"github.com/privhub/privhub/internal/demo"
	"github.com/privhub/privhub/internal/store/storetest"
)

// BenchmarkCheckDemo measures a whole check of the demo dataset as of its
// reference date, loading included, on each database.
func BenchmarkCheckDemo(b *testing.B) {
	for _, dia := range storetest.Dialects() {
		b.Run(dia, func(b *testing.B) {
			db := storetest.Open(b, dia)
			loadDemo(b, db)
			c := compliance.New(db.Client)
			ctx := context.Background()
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				fs, err := c.Check(ctx, demo.RefDate)
				if err != nil {
					b.Fatal(err)
				}
				if len(fs) == 0 {
					b.Fatal("no findings")
				}
			}
		})
	}
}
