package gen_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/privhub/privhub/internal/audit"
	"github.com/privhub/privhub/internal/compliance"
	"github.com/privhub/privhub/internal/gen"
	"github.com/privhub/privhub/internal/store"
	"github.com/privhub/privhub/internal/store/storetest"
)

func TestGenerateSmallDataset(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		opts := gen.Options{Users: 300, Vendors: 40, Transfers: 120, ChainDepth: 3, RecordsPerUser: 4, Seed: 7, BatchSize: 50}
		res, err := gen.Generate(ctx, db.Client, opts, nil)
		require.NoError(t, err)
		require.Equal(t, 300, res.Users)
		require.Equal(t, 40, res.Vendors)
		require.Equal(t, 120, res.Transfers)
		require.Equal(t, 1200, res.Records)

		require.Equal(t, 300, db.Client.User.Query().CountX(ctx))
		require.Equal(t, 1200, db.Client.DataRecord.Query().CountX(ctx))
		require.Equal(t, 120, db.Client.Transfer.Query().CountX(ctx))
		require.Equal(t, res.Consents, db.Client.Consent.Query().CountX(ctx))
		require.Positive(t, res.Consents)
	})
}

func TestGenerateIsDeterministic(t *testing.T) {
	ctx := context.Background()
	opts := gen.Options{Users: 50, Vendors: 10, Transfers: 30, RecordsPerUser: 3, Seed: 42}
	var vendors [2][]string
	var counts [2]*gen.Result
	for i := range 2 {
		db := storetest.Open(t, "sqlite3")
		res, err := gen.Generate(ctx, db.Client, opts, nil)
		require.NoError(t, err)
		counts[i] = res
		for _, v := range db.Client.Vendor.Query().AllX(ctx) {
			vendors[i] = append(vendors[i], v.Name+"/"+string(v.CountryID)+"/"+string(v.RiskTier))
		}
	}
	require.Equal(t, counts[0], counts[1])
	require.ElementsMatch(t, vendors[0], vendors[1])
}

// TestGeneratedDatasetIsMostlyCompliant checks that a generated registry
// looks like a diligent company's: findings for a small fraction of the
// objects, the planted problems, and not none.
func TestGeneratedDatasetIsMostlyCompliant(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		opts := gen.Options{Users: 2000, Vendors: 300, Transfers: 1500, ChainDepth: 4, RecordsPerUser: 5, Seed: 3, BatchSize: 200}
		res, err := gen.Generate(ctx, db.Client, opts, nil)
		require.NoError(t, err)
		require.Positive(t, res.Planted)

		findings, err := compliance.New(db.Client).Check(ctx, gen.Reference())
		require.NoError(t, err)
		byRule := map[string]int{}
		for _, f := range findings {
			byRule[f.RuleID]++
		}
		t.Logf("%d findings for %d planted problems: %v", len(findings), res.Planted, byRule)
		objects := res.Transfers + res.Vendors + res.Users
		require.Less(t, len(findings), objects*5/100, "findings by rule: %v", byRule)
		require.NotEmpty(t, findings, "the planted problems should be found")
	})
}

// TestGenerateLeavesOneAuditEvent: the generated rows leave no event each,
// only one summary of the run.
func TestGenerateLeavesOneAuditEvent(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		res, err := gen.Generate(ctx, db.Client, gen.Options{Users: 30, Vendors: 8, Transfers: 20, RecordsPerUser: 2, Seed: 5}, nil)
		require.NoError(t, err)
		evs := db.Client.AuditEvent.Query().AllX(ctx)
		require.Len(t, evs, 1)
		require.Equal(t, "generate", evs[0].Action)
		require.Equal(t, "Dataset", evs[0].TargetType)
		require.Equal(t, float64(res.Records), evs[0].Changes["written"].(map[string]any)["records"])
		rep, err := audit.Verify(ctx, db.Client)
		require.NoError(t, err)
		require.True(t, rep.OK)
	})
}
