package ropa_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/privhub/privhub/ent/organization"
	"github.com/privhub/privhub/internal/compliance"
	"github.com/privhub/privhub/internal/demo"
	"github.com/privhub/privhub/internal/ropa"
	"github.com/privhub/privhub/internal/store"
	"github.com/privhub/privhub/internal/store/storetest"
)

// TestRecordsOfTheDemo derives the demo's records: Lumora SA's Art. 30(1)
// record and each subsidiary's Art. 30(2) record, every field filled or
// reported as a gap, each line with the entities it came from.
func TestRecordsOfTheDemo(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		_, err := demo.Load(ctx, db.Client)
		require.NoError(t, err)
		r, err := ropa.Derive(ctx, db.Client, nil, demo.RefDate)
		require.NoError(t, err)

		require.Len(t, r.Controllers, 1)
		c := r.Controllers[0]
		assert.Equal(t, "Lumora SA", c.Controller.Name)
		assert.Contains(t, c.Controller.DPO, "dpo@lumora.example")
		assert.Len(t, c.Activities, 10, "one activity per purpose")
		assert.NotEmpty(t, c.Measures)
		for _, a := range c.Activities {
			assert.NotEmpty(t, a.LegalBasis, a.Purpose.Text)
			filled := func(field string, lines []ropa.Line) {
				if len(lines) == 0 {
					assert.True(t, hasGap(c.Gaps, field), "%s of %s: neither filled nor a gap", field, a.Purpose.Text)
				}
				for _, l := range lines {
					assert.NotEmpty(t, l.Sources, "%s of %s: %q has no source", field, a.Purpose.Text, l.Text)
				}
			}
			filled("30(1)(c) categories of data subjects", a.Subjects)
			filled("30(1)(c) categories of personal data", a.Data)
			filled("30(1)(f) time limit for erasure", a.Erasure)
		}
		billing := activity(t, c, "Billing and tax")
		assert.True(t, containsLine(billing.Erasure, "billing.invoice: P7Y"), "the invoices' 7 years")
		assert.True(t, containsLine(billing.Transfers, "Kiwi Pay Ltd in New Zealand: adequacy decision (Art. 45)"))
		events := activity(t, c, "Event coordination")
		assert.True(t, containsLine(events.Transfers, "Pearl Venue Hospitality WLL in Qatar: no safeguard on record"))
		assert.True(t, hasGap(c.Gaps, "30(1)(e) transfer safeguard (events)"), "the Doha hop without grounds is a gap")

		procs := map[string]*ropa.ProcessorRecord{}
		for _, p := range r.Processors {
			procs[p.Processor.Name] = p
		}
		require.Contains(t, procs, "Lumora Inc.")
		inc := procs["Lumora Inc."]
		require.Len(t, inc.Controllers, 1)
		assert.Equal(t, "Lumora SA", inc.Controllers[0].Controller.Name)
		assert.NotEmpty(t, inc.Controllers[0].Controller.DPO)
		assert.NotEmpty(t, inc.Controllers[0].Processing)
		if len(inc.Measures) == 0 {
			assert.True(t, hasGap(inc.Gaps, "30(2)(d) security measures"))
		}
		assert.Len(t, procs, 7, "the seven subsidiaries process for Lumora SA")

		// One organisation only.
		one, err := ropa.Derive(ctx, db.Client, &inc.Processor.Sources[0].ID, demo.RefDate)
		require.NoError(t, err)
		assert.Empty(t, one.Controllers)
		require.Len(t, one.Processors, 1)
	})
}

// TestFormats writes the records in every format and reads them back.
func TestFormats(t *testing.T) {
	db := storetest.Open(t, "sqlite3")
	ctx := context.Background()
	_, err := demo.Load(ctx, db.Client)
	require.NoError(t, err)
	r, err := ropa.Derive(ctx, db.Client, nil, demo.RefDate)
	require.NoError(t, err)
	rows := r.Rows()

	var js bytes.Buffer
	require.NoError(t, ropa.Write(&js, r, "json"))
	var back ropa.Records
	require.NoError(t, json.Unmarshal(js.Bytes(), &back))
	assert.Equal(t, len(r.Controllers[0].Activities), len(back.Controllers[0].Activities))

	var cs bytes.Buffer
	require.NoError(t, ropa.Write(&cs, r, "csv"))
	table, err := csv.NewReader(&cs).ReadAll()
	require.NoError(t, err)
	assert.Equal(t, ropa.Header, table[0])
	assert.Len(t, table, len(rows)+1)

	var md bytes.Buffer
	require.NoError(t, ropa.Write(&md, r, "md"))
	assert.Contains(t, md.String(), "## Lumora SA: Art. 30(1) record")
	assert.Contains(t, md.String(), "## Lumora Inc.: Art. 30(2) record")
	assert.Contains(t, md.String(), "**GAP 30(1)(e) transfer safeguard (events)**")

	var xl bytes.Buffer
	require.NoError(t, ropa.Write(&xl, r, "xlsx"))
	f, err := excelize.OpenReader(&xl)
	require.NoError(t, err)
	defer f.Close()
	sheets := f.GetSheetList()
	assert.Equal(t, "Lumora SA", sheets[0])
	assert.Contains(t, sheets, "Lumora Inc.")
	assert.Len(t, sheets, 8, "one sheet per organisation")
	head, err := f.GetRows("Lumora SA")
	require.NoError(t, err)
	assert.Equal(t, ropa.Header, head[0])
	panes, err := f.GetPanes("Lumora SA")
	require.NoError(t, err)
	assert.True(t, panes.Freeze, "the header row is frozen")
	assert.Equal(t, 1, panes.YSplit)
	style, err := f.GetCellStyle("Lumora SA", "E2")
	require.NoError(t, err)
	st, err := f.GetStyle(style)
	require.NoError(t, err)
	assert.True(t, st.Alignment.WrapText, "entries wrap")
	n := 0
	for _, row := range rows {
		if row.Organisation == "Lumora SA" {
			n++
		}
	}
	assert.Len(t, head, n+1)

	require.ErrorContains(t, ropa.Write(&xl, r, "pdf"), "unknown format")
}

func activity(t *testing.T, c *ropa.ControllerRecord, purpose string) *ropa.Activity {
	t.Helper()
	for _, a := range c.Activities {
		if strings.HasPrefix(a.Purpose.Text, purpose) {
			return a
		}
	}
	t.Fatalf("no activity %q", purpose)
	return nil
}

func containsLine(lines []ropa.Line, s string) bool {
	for _, l := range lines {
		if strings.Contains(l.Text, s) {
			return true
		}
	}
	return false
}

func hasGap(gaps []ropa.Gap, field string) bool {
	for _, g := range gaps {
		if strings.HasPrefix(g.Field, field) {
			return true
		}
	}
	return false
}

// TestGapsAreFindings: a gap another rule does not report becomes a
// finding of rule ropa.gap about the organisation whose record has it.
func TestGapsAreFindings(t *testing.T) {
	db := storetest.Open(t, "sqlite3")
	ctx := context.Background()
	_, err := demo.Load(ctx, db.Client)
	require.NoError(t, err)
	checker := compliance.New(db.Client)
	checker.Also(ropa.Findings(db.Client))
	count := func() int {
		fs, err := checker.Check(ctx, demo.RefDate)
		require.NoError(t, err)
		n := 0
		for _, f := range fs {
			if f.RuleID == compliance.RuleRecordGap {
				n++
				assert.Equal(t, "Lumora Inc.", f.TargetLabel)
				assert.Contains(t, f.Message, "30(2)(a) data protection officer")
			}
		}
		return n
	}
	assert.Zero(t, count(), "the demo's one gap, the Doha hop, is a transfer finding already")
	inc := db.Client.Organization.Query().Where(organization.Name("Lumora Inc.")).OnlyX(ctx)
	require.NoError(t, inc.Update().ClearDpoContact().Exec(ctx))
	assert.Equal(t, 1, count())
}
