package server_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/privhub/privhub/internal/apitest"
	"github.com/privhub/privhub/internal/demo"
	"github.com/privhub/privhub/internal/server"
	"github.com/privhub/privhub/internal/store"
	"github.com/privhub/privhub/internal/store/storetest"
)

// retentionPage is one page of retentionPreview as a client reads it.
type retentionPage struct {
	TotalCount int
	PageInfo   struct {
		HasNextPage bool
		EndCursor   *string
	}
	Edges []struct {
		Cursor string
		Node   struct {
			Record struct {
				ID                string
				CollectorVendorID *string
				AnonymizedAt      *string
				User              struct{ SubjectKind string }
				Category          struct{ Key string }
			}
			Rule struct {
				ID       string
				Period   string
				Category struct{ Key string }
			}
			Action    string
			ExpiredAt string
		}
	}
}

func previewPage(t *testing.T, s *apitest.Server, at string, first int, after *string) retentionPage {
	t.Helper()
	var d struct{ RetentionPreview retentionPage }
	s.MustDo(`query($at: Time, $first: Int, $after: Cursor) { retentionPreview(at: $at, first: $first, after: $after) {
		totalCount pageInfo { hasNextPage endCursor }
		edges { cursor node { record { id collectorVendorID anonymizedAt user { subjectKind } category { key } }
			rule { id period category { key } } action expiredAt } } } }`,
		map[string]any{"at": at, "first": first, "after": after}, &d)
	return d.RetentionPreview
}

// sweepReport is runRetentionSweep's answer as a client reads it.
type sweepReport struct {
	At                                          string
	DryRun                                      bool
	Expired, Deleted, Anonymized, Held, Batches int
	Rules                                       []struct {
		Rule    struct{ Category struct{ Key string } }
		Action  string
		Records int
	}
}

func runSweep(t *testing.T, s *apitest.Server, at string, dryRun bool) sweepReport {
	t.Helper()
	var d struct {
		RunRetentionSweep struct{ SweepReport sweepReport }
	}
	s.MustDo(`mutation($at: Time, $dry: Boolean!) { runRetentionSweep(input: {at: $at, dryRun: $dry}) { sweepReport {
		at dryRun expired deleted anonymized held batches rules { rule { category { key } } action records } } } }`,
		map[string]any{"at": at, "dry": dryRun}, &d)
	return d.RunRetentionSweep.SweepReport
}

// TestRetentionOnTheDemo: as of 2026-06-30 the preview lists DEMO.md's
// retention breaches (five job applicants' CVs older than 24 months and
// V03's edge logs), page by page; a dry-run sweep counts them and changes
// nothing; the sweep deletes them, with an audit event each, and the
// preview is then empty.
func TestRetentionOnTheDemo(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		_, err := demo.Load(context.Background(), db.Client)
		require.NoError(t, err)
		s := apitest.New(t, db, server.Config{})
		const at = "2026-06-30T00:00:00Z"
		aegis := demoID(t, s, `{ vendors(where: {name: "Aegis Shield Networks Inc."}) { edges { node { id } } } }`)

		var ids []string
		byKey := map[string]int{}
		var after *string
		for pages := 0; ; pages++ {
			require.Less(t, pages, 10)
			p := previewPage(t, s, at, 10, after)
			assert.Equal(t, 35, p.TotalCount)
			for _, e := range p.Edges {
				n := e.Node
				assert.NotEmpty(t, e.Cursor)
				ids = append(ids, n.Record.ID)
				byKey[n.Record.Category.Key]++
				assert.Equal(t, "DELETE", n.Action)
				assert.Nil(t, n.Record.AnonymizedAt)
				assert.Equal(t, n.Record.Category.Key, n.Rule.Category.Key)
				switch n.Record.Category.Key {
				case "recruitment.cv":
					assert.Equal(t, "JOB_APPLICANT", n.Record.User.SubjectKind)
					assert.Equal(t, "P24M", n.Rule.Period)
				case "logs.edge":
					require.NotNil(t, n.Record.CollectorVendorID)
					assert.Equal(t, aegis, *n.Record.CollectorVendorID)
					assert.Equal(t, "P2M", n.Rule.Period)
				}
				assert.False(t, parseTime(t, n.ExpiredAt).After(parseTime(t, at)), "expired %s", n.ExpiredAt)
			}
			if !p.PageInfo.HasNextPage {
				assert.Len(t, p.Edges, 5)
				break
			}
			require.Len(t, p.Edges, 10)
			after = p.PageInfo.EndCursor
		}
		assert.Equal(t, map[string]int{"recruitment.cv": 5, "logs.edge": 30}, byKey)
		assert.Len(t, ids, 35)
		assert.IsIncreasing(t, ids, "ordered by record ID, no overlap between pages")

		before := rowCounts(t, db)
		dry := runSweep(t, s, at, true)
		assert.True(t, dry.DryRun)
		assert.Equal(t, 35, dry.Expired)
		assert.Equal(t, 35, dry.Deleted)
		assert.Zero(t, dry.Anonymized+dry.Held)
		assert.Equal(t, 1, dry.Batches)
		require.Len(t, dry.Rules, 2)
		assert.Equal(t, "logs.edge", dry.Rules[0].Rule.Category.Key)
		assert.Equal(t, 30, dry.Rules[0].Records)
		assert.Equal(t, "recruitment.cv", dry.Rules[1].Rule.Category.Key)
		assert.Equal(t, 5, dry.Rules[1].Records)
		assert.Equal(t, before, rowCounts(t, db), "a dry run writes nothing")
		assert.Equal(t, 35, previewPage(t, s, at, 1, nil).TotalCount)

		done := runSweep(t, s, at, false)
		assert.False(t, done.DryRun)
		assert.Equal(t, 35, done.Deleted)
		assert.Equal(t, 1, done.Batches)
		after2 := rowCounts(t, db)
		assert.Equal(t, before["data_records"]-35, after2["data_records"])
		assert.Equal(t, before["audit_events"]+35, after2["audit_events"], "one audit event per deleted record")
		for _, id := range ids {
			r := s.Do(`query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": id})
			assert.JSONEq(t, `{"node": null}`, string(r.Data), id)
		}

		p := previewPage(t, s, at, 10, nil)
		assert.Zero(t, p.TotalCount)
		assert.Empty(t, p.Edges)
		assert.False(t, p.PageInfo.HasNextPage)
		again := runSweep(t, s, at, false)
		assert.Zero(t, again.Expired+again.Deleted+again.Batches)
	})
}
