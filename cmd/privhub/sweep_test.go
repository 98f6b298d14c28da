package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/datarecord"
	"github.com/privhub/privhub/ent/purpose"
	"github.com/privhub/privhub/ent/retentionrule"
	"github.com/privhub/privhub/internal/audit"
	"github.com/privhub/privhub/internal/integrity"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/store"
	"github.com/privhub/privhub/internal/store/storetest"
	"github.com/privhub/privhub/internal/vocab"
)

// TestSweepCLI: the dry run lists per rule what has expired and changes
// nothing; --apply does it; a second --apply finds nothing.
func TestSweepCLI(t *testing.T) {
	url := storetest.URL(t, "sqlite3")
	_, err := privhub(t, "seed", "--demo", "--database", url)
	require.NoError(t, err)

	out, err := privhub(t, "sweep", "--database", url, "--at", "2026-06-30")
	require.NoError(t, err, out)
	assert.Contains(t, out, "dry run, nothing changed")
	assert.Regexp(t, `logs\.edge\s+security\s+P2M\s+collection\s+DELETE\s+30\s+2026-03-01`, out)
	assert.Regexp(t, `recruitment\.cv\s+recruitment\s+P24M\s+collection\s+DELETE\s+5\s+`, out)
	assert.Contains(t, out, "35 past their retention: 35 to be deleted")

	out, err = privhub(t, "sweep", "--database", url, "--at", "2026-06-30", "--format", "json")
	require.NoError(t, err)
	var dry struct {
		DryRun           bool
		Expired, Deleted int
		Rules            []struct {
			Category, Purpose, Period, Trigger, Action string
			Records                                    int
		}
	}
	require.NoError(t, json.Unmarshal([]byte(out), &dry))
	assert.True(t, dry.DryRun)
	assert.Equal(t, 35, dry.Deleted)
	require.Len(t, dry.Rules, 2)
	assert.Equal(t, "logs.edge", dry.Rules[0].Category)
	assert.Equal(t, "COLLECTION", dry.Rules[0].Trigger)

	out, err = privhub(t, "sweep", "--database", url, "--at", "2026-06-30", "--apply", "--batch", "10")
	require.NoError(t, err, out)
	assert.Contains(t, out, "35 deleted")
	assert.Contains(t, out, "4 batch(es)")
	out, err = privhub(t, "sweep", "--database", url, "--at", "2026-06-30", "--apply")
	require.NoError(t, err, out)
	assert.Contains(t, out, " 0 past their retention")

	_, err = privhub(t, "sweep", "--database", url, "--batch", "0")
	require.Error(t, err)
	_, err = privhub(t, "sweep", "--database", url, "--format", "yaml")
	require.Error(t, err)
}

// TestSweepKilledMidRun: a sweep killed (SIGKILL) half-way and run again
// ends in the same state as one that ran uninterrupted on an identical
// database: the same records left, the same ones anonymised, one audit
// event per change and an intact audit chain.
func TestSweepKilledMidRun(t *testing.T) {
	if testing.Short() && os.Getenv("CI") != "true" {
		t.Skip("builds and runs the privhub binary")
	}
	bin := buildPrivhub(t)
	for _, dia := range storetest.Dialects() {
		t.Run(dia, func(t *testing.T) {
			ds := newSweepData(4000)
			killed, whole := storetest.URL(t, dia), storetest.URL(t, dia)
			ds.load(t, killed)
			ds.load(t, whole)
			args := []string{"sweep", "--apply", "--at", "2026-06-30", "--batch", "50", "--progress", "1"}

			out, err := exec.Command(bin, append(args, "--database", whole)...).CombinedOutput()
			require.NoError(t, err, "%s", out)
			want := sweepState(t, whole)
			assert.Equal(t, ds.wantLive, want.live)
			assert.Equal(t, ds.wantAnonymised, want.anonymised)

			// Kill the sweep once its first batches are committed.
			cmd := exec.Command(bin, append(args, "--database", killed)...)
			stderr, err := cmd.StderrPipe()
			require.NoError(t, err)
			require.NoError(t, cmd.Start())
			lines := bufio.NewScanner(stderr)
			for lines.Scan() {
				if strings.HasPrefix(lines.Text(), "swept ") {
					require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
					break
				}
			}
			go io.Copy(io.Discard, stderr)
			err = cmd.Wait()
			ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus)
			require.True(t, ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL, "the sweep ran to its end before the kill: %v", err)
			mid := sweepState(t, killed)
			done := len(ds.live) - len(mid.live) + len(mid.anonymised) - ds.preAnonymised
			t.Logf("killed after %d of %d changes", done, ds.changes)
			require.Positive(t, done, "no batch committed before the kill")
			require.Less(t, done, ds.changes, "every batch committed before the kill")
			assert.Zero(t, done%50, "a batch is all or nothing: %d changes", done)

			out, err = exec.Command(bin, append(args, "--database", killed)...).CombinedOutput()
			require.NoError(t, err, "%s", out)
			got := sweepState(t, killed)
			assert.Equal(t, want.live, got.live)
			assert.Equal(t, want.anonymised, got.anonymised)
			assert.Equal(t, want.values, got.values)
			assert.Equal(t, want.audited, got.audited)
			assert.Len(t, got.audited, ds.changes)
			for id, n := range got.audited {
				assert.Equal(t, 1, n, "audit events of %s", id)
			}
			assert.True(t, got.chainOK, "the audit chain is intact")
		})
	}
}

// buildPrivhub builds the privhub binary into a temporary directory.
func buildPrivhub(t *testing.T) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		goTool = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	bin := filepath.Join(t.TempDir(), "privhub")
	cmd := exec.Command(goTool, "build", "-o", bin, ".")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "building privhub: %s", out)
	return bin
}

// sweepData is a dataset for sweeps, with the IDs fixed so that two
// databases can be loaded identically: logs deleted 2 months after
// collection, analytics cookies anonymised 2 months after, contact data
// kept 3 years; about a third past retention, a few of those under legal
// hold, a few cookies already anonymised.
type sweepData struct {
	users   []pulid.ID
	records []*sweepRecord
	ids     map[string]pulid.ID

	live, wantLive, wantAnonymised []pulid.ID
	preAnonymised, changes         int
}

type sweepRecord struct {
	id        pulid.ID
	user      pulid.ID
	cat       string
	collected time.Time
	hold      bool
	anonymous bool
}

func newSweepData(n int) *sweepData {
	rng := rand.New(rand.NewPCG(42, 7))
	ds := &sweepData{ids: map[string]pulid.ID{}}
	for _, k := range []string{"org", "cat:logs", "cat:cookies", "cat:contact", "pur:security", "pur:analytics",
		"ret:logs", "ret:cookies", "ret:contact"} {
		ds.ids[k] = pulid.New(strings.SplitN(k, ":", 2)[0])
	}
	for range 100 {
		ds.users = append(ds.users, pulid.New("usr"))
	}
	at := time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)
	for range n {
		r := &sweepRecord{id: pulid.New("rec"), user: ds.users[rng.IntN(len(ds.users))],
			cat: []string{"logs", "cookies", "contact"}[rng.IntN(3)], hold: rng.IntN(20) == 0}
		// Logs and cookies: up to 6 months old; contact: up to 4 years.
		span := 180
		if r.cat == "contact" {
			span = 4 * 365
		}
		r.collected = at.AddDate(0, 0, -rng.IntN(span)).Add(-time.Duration(rng.IntN(86400)) * time.Second)
		r.anonymous = r.cat == "cookies" && rng.IntN(10) == 0
		ds.records = append(ds.records, r)
		ds.live = append(ds.live, r.id)
		var period time.Time
		switch r.cat {
		case "contact":
			period = r.collected.AddDate(3, 0, 0)
		default:
			period = r.collected.AddDate(0, 2, 0)
		}
		expired := !period.After(at) && !r.hold && !r.anonymous
		switch {
		case r.anonymous:
			ds.preAnonymised++
			ds.wantLive = append(ds.wantLive, r.id)
			ds.wantAnonymised = append(ds.wantAnonymised, r.id)
		case expired && r.cat == "cookies":
			ds.changes++
			ds.wantLive = append(ds.wantLive, r.id)
			ds.wantAnonymised = append(ds.wantAnonymised, r.id)
		case expired:
			ds.changes++
		default:
			ds.wantLive = append(ds.wantLive, r.id)
		}
	}
	for _, s := range [][]pulid.ID{ds.live, ds.wantLive, ds.wantAnonymised} {
		slices.Sort(s)
	}
	return ds
}

// load writes the dataset into the database at url, without audit events
// (the fixture is not what is under test).
func (ds *sweepData) load(t *testing.T, url string) {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, url)
	require.NoError(t, err)
	defer db.Close()
	integrity.Register(db.Client)
	require.NoError(t, db.Migrate(ctx))
	c := db.Client
	require.NoError(t, c.Organization.Create().SetID(ds.ids["org"]).SetName("Lumora SA").SetCountryID("cty_BE").Exec(ctx))
	for _, k := range []string{"logs", "cookies", "contact"} {
		require.NoError(t, c.DataCategory.Create().SetID(ds.ids["cat:"+k]).SetKey(k).SetName(k).Exec(ctx))
	}
	for _, k := range []string{"security", "analytics"} {
		require.NoError(t, c.Purpose.Create().SetID(ds.ids["pur:"+k]).SetKey(k).SetName(k).SetLegalBasis(purpose.LegalBasisLegitimateInterests).Exec(ctx))
	}
	rule := func(id, cat string, p *pulid.ID, period string, act retentionrule.Action) *ent.RetentionRuleCreate {
		return c.RetentionRule.Create().SetID(ds.ids[id]).SetCategoryID(ds.ids[cat]).SetNillablePurposeID(p).
			SetPeriod(period).SetTrigger(retentionrule.TriggerCollection).SetAction(act)
	}
	sec, ana := ds.ids["pur:security"], ds.ids["pur:analytics"]
	require.NoError(t, c.RetentionRule.CreateBulk(
		rule("ret:logs", "cat:logs", &sec, "P2M", retentionrule.ActionDelete),
		rule("ret:cookies", "cat:cookies", &ana, "P2M", retentionrule.ActionAnonymize),
		rule("ret:contact", "cat:contact", nil, "P3Y", retentionrule.ActionDelete),
	).Exec(ctx))
	users := make([]*ent.UserCreate, len(ds.users))
	for i, id := range ds.users {
		users[i] = c.User.Create().SetID(id).SetExternalRef(fmt.Sprintf("u%03d", i)).SetSubjectKind(vocab.SubjectCustomer)
	}
	require.NoError(t, c.User.CreateBulk(users...).Exec(ctx))
	for part := range slices.Chunk(ds.records, 500) {
		bulk := make([]*ent.DataRecordCreate, len(part))
		for i, r := range part {
			q := c.DataRecord.Create().SetID(r.id).SetUserID(r.user).SetCategoryID(ds.ids["cat:"+r.cat]).
				SetCollectorOrganizationID(ds.ids["org"]).SetSource(datarecord.SourceLog).
				SetCollectedAt(r.collected).SetLegalHold(r.hold)
			switch r.cat {
			case "logs":
				q.AddPurposeIDs(sec)
			case "cookies":
				q.AddPurposeIDs(ana)
			}
			if r.anonymous {
				q.SetAnonymizedAt(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
			} else {
				q.SetValue("value of " + string(r.id))
			}
			bulk[i] = q
		}
		require.NoError(t, c.DataRecord.CreateBulk(bulk...).Exec(ctx))
	}
}

// sweptState is what a database holds after a sweep, read straight from it.
type sweptState struct {
	live, anonymised []pulid.ID
	values           map[pulid.ID]string
	audited          map[pulid.ID]int // audit events of updates and deletes of records
	chainOK          bool
}

func sweepState(t *testing.T, url string) sweptState {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, url)
	require.NoError(t, err)
	defer db.Close()
	s := sweptState{values: map[pulid.ID]string{}, audited: map[pulid.ID]int{}}
	rows, err := db.SQL.QueryContext(ctx, "SELECT id, value, anonymized_at IS NOT NULL FROM data_records ORDER BY id")
	require.NoError(t, err)
	for rows.Next() {
		var id pulid.ID
		var value *string
		var anon bool
		require.NoError(t, rows.Scan(&id, &value, &anon))
		s.live = append(s.live, id)
		if anon {
			s.anonymised = append(s.anonymised, id)
		}
		if value != nil {
			s.values[id] = *value
		}
	}
	require.NoError(t, rows.Err())
	rows.Close()
	rows, err = db.SQL.QueryContext(ctx, "SELECT target_id, COUNT(*) FROM audit_events WHERE target_type = 'DataRecord' AND action IN ('update', 'delete') GROUP BY target_id")
	require.NoError(t, err)
	for rows.Next() {
		var id pulid.ID
		var n int
		require.NoError(t, rows.Scan(&id, &n))
		s.audited[id] = n
	}
	require.NoError(t, rows.Err())
	rows.Close()
	rep, err := audit.Verify(ctx, db.Client)
	require.NoError(t, err)
	s.chainOK = rep.OK
	slices.Sort(s.live)
	slices.Sort(s.anonymised)
	return s
}
