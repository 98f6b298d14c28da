package trace_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	neturl "net/url"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"entgo.io/ent/dialect"
	"github.com/stretchr/testify/require"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/consent"
	"github.com/privhub/privhub/ent/contract"
	"github.com/privhub/privhub/ent/datarecord"
	"github.com/privhub/privhub/ent/purpose"
	"github.com/privhub/privhub/internal/integrity"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/store"
	"github.com/privhub/privhub/internal/store/storetest"
	"github.com/privhub/privhub/internal/trace"
	"github.com/privhub/privhub/internal/vocab"
)

// The size of the generated graph: PRIVHUB_BENCH_SCALE=10 multiplies it
// by 10 (2,000 vendors, 20,000 transfers, 50,000 users, 500,000 records);
// PRIVHUB_BENCH_SCALE=full gives the targets (2,000 vendors, 20,000
// transfers, 100,000 users, 1,000,000 records).
var (
	benchOrgs      = 5
	benchVendors   = 200
	benchTransfers = 2000
	benchUsers     = 5000
	benchRecords   = 50000
)

func init() {
	switch v := os.Getenv("PRIVHUB_BENCH_SCALE"); v {
	case "", "1":
	case "full":
		benchVendors, benchTransfers, benchUsers, benchRecords = 2000, 20000, 100000, 1000000
	default:
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			panic("PRIVHUB_BENCH_SCALE: want a positive integer or full, not " + v)
		}
		benchVendors, benchTransfers, benchUsers, benchRecords = n*benchVendors, n*benchTransfers, n*benchUsers, n*benchRecords
	}
}

// fixture is a generated database and what the benchmarks ask about.
type fixture struct {
	engine     *trace.Engine
	users      []pulid.ID
	categories []pulid.ID // leaves, then group nodes
	groups     int        // how many of categories, at the end, are group nodes
	vendors    []pulid.ID // first-tier vendors
}

// genFixture generates, deterministically: organizations (the first is the
// headquarters), vendors in three tiers, transfers mostly from a tier to the
// next with some backwards (cycles), some ended or not yet started, a
// two-level taxonomy, purposes, contracts with clauses, users, records
// (mostly collected by the headquarters) and consent ledgers in which one
// user in ten refuses something.
func genFixture(b *testing.B, dia string) *fixture {
	b.Helper()
	if f, ok := fixtures[dia]; ok {
		return f
	}
	start := time.Now()
	db := openBenchDB(b, dia)
	ctx := context.Background()
	c := db.Client
	rng := rand.New(rand.NewPCG(1, 2))
	pick := func(xs []string) string { return xs[rng.IntN(len(xs))] }
	eea := []string{"BE", "FR", "DE", "NL", "IE", "ES", "LU", "SE"}
	third := []string{"US", "IN", "CA", "GB", "BR", "SG", "JP", "AU"}

	orgs := make([]*ent.OrganizationCreate, benchOrgs)
	for i := range orgs {
		orgs[i] = c.Organization.Create().SetName(fmt.Sprintf("Org %d", i)).SetCountryID(pulid.Country(eea[i%len(eea)]))
	}
	orgList, err := c.Organization.CreateBulk(orgs...).Save(ctx)
	require.NoError(b, err)
	vendors := make([]*ent.VendorCreate, benchVendors)
	for i := range vendors {
		country := pick(eea)
		if rng.IntN(3) == 0 {
			country = pick(third)
		}
		vendors[i] = c.Vendor.Create().SetName(fmt.Sprintf("Vendor %03d", i)).SetCountryID(pulid.Country(country))
	}
	vendorList, err := c.Vendor.CreateBulk(vendors...).Save(ctx)
	require.NoError(b, err)
	var holders []ent.Holder
	for _, o := range orgList {
		holders = append(holders, o)
	}
	tiers := [][]ent.Holder{holders[:], nil, nil, nil}
	for i, v := range vendorList {
		t := 1 + min(i*3/benchVendors, 2)
		tiers[t] = append(tiers[t], v)
	}

	groupKeys := []string{"contact", "identity", "billing", "device", "cookies", "logs", "support", "event"}
	var leaves, nodes []*ent.DataCategory
	for _, g := range groupKeys {
		parent, err := c.DataCategory.Create().SetKey(g + ".all").SetName(g).Save(ctx)
		require.NoError(b, err)
		nodes = append(nodes, parent)
		for j := range 4 {
			leaf, err := c.DataCategory.Create().SetKey(fmt.Sprintf("%s.k%d", g, j)).SetName(g).SetParentID(parent.ID).Save(ctx)
			require.NoError(b, err)
			leaves = append(leaves, leaf)
		}
	}
	var purposes []*ent.Purpose
	for i := range 10 {
		p, err := c.Purpose.Create().SetKey(fmt.Sprintf("p%d", i)).SetName("p").SetLegalBasis(purpose.LegalBasisContract).Save(ctx)
		require.NoError(b, err)
		purposes = append(purposes, p)
	}
	var contracts []*ent.Contract
	var clauses [][]*ent.Clause
	for i := range 50 {
		ct, err := c.Contract.Create().SetTitle(fmt.Sprintf("DPA %d", i)).SetKind(contract.KindDpa).Save(ctx)
		require.NoError(b, err)
		contracts = append(contracts, ct)
		var cls []*ent.Clause
		for j := range 2 {
			cl, err := c.Clause.Create().SetContractID(ct.ID).SetReference(fmt.Sprintf("Clause %d", j)).Save(ctx)
			require.NoError(b, err)
			cls = append(cls, cl)
		}
		clauses = append(clauses, cls)
	}

	const batch = 500
	var transfers []*ent.TransferCreate
	flush := func() {
		require.NoError(b, c.Transfer.CreateBulk(transfers...).Exec(ctx))
		transfers = transfers[:0]
	}
	for i := range benchTransfers {
		from := 0 // 20% from organizations, 40% from each of tiers 1 and 2
		switch r := rng.IntN(10); {
		case r >= 6:
			from = 2
		case r >= 2:
			from = 1
		}
		to := from + 1
		if rng.IntN(20) == 0 {
			to = rng.IntN(4) // sideways or backwards: cycles
		}
		exp := tiers[from][rng.IntN(len(tiers[from]))]
		if from == 0 && rng.IntN(2) == 0 {
			exp = tiers[0][0] // the headquarters exports most
		}
		imp := tiers[to][rng.IntN(len(tiers[to]))]
		if imp.HolderID() == exp.HolderID() {
			continue
		}
		t := c.Transfer.Create().SetImporterRole(vocab.RoleProcessor).SetCountryID(imp.HolderCountry()).
			SetMechanism(vocab.MechanismIntraEEA).SetHonoursOptOuts(rng.IntN(2) == 0).
			SetActiveFrom(day(2020, 1, 1)).SetSafeguards([]vocab.Safeguard{vocab.SafeguardEncryptionAtRest})
		switch rng.IntN(20) {
		case 0:
			t.SetActiveUntil(day(2023, 1, 1))
		case 1:
			t.SetActiveFrom(day(2030, 1, 1))
		}
		if o, ok := exp.(*ent.Organization); ok {
			t.SetExporterOrganizationID(o.ID)
		} else {
			t.SetExporterVendorID(exp.HolderID())
		}
		if o, ok := imp.(*ent.Organization); ok {
			t.SetImporterOrganizationID(o.ID)
		} else {
			t.SetImporterVendorID(imp.HolderID())
		}
		for range 1 + rng.IntN(4) {
			if rng.IntN(8) == 0 {
				t.AddCategories(nodes[rng.IntN(len(nodes))])
			} else {
				t.AddCategories(leaves[rng.IntN(len(leaves))])
			}
		}
		t.AddPurposes(purposes[rng.IntN(len(purposes))])
		k := rng.IntN(len(contracts))
		t.SetContractID(contracts[k].ID).AddClauses(clauses[k]...)
		transfers = append(transfers, t)
		if len(transfers) == batch || i == benchTransfers-1 {
			flush()
		}
	}
	if len(transfers) > 0 {
		flush()
	}

	users := make([]*ent.UserCreate, benchUsers)
	for i := range users {
		users[i] = c.User.Create().SetExternalRef(fmt.Sprintf("u%05d", i)).SetSubjectKind(vocab.SubjectCustomer)
	}
	var userList []*ent.User
	for i := 0; i < len(users); i += batch {
		us, err := c.User.CreateBulk(users[i:min(i+batch, len(users))]...).Save(ctx)
		require.NoError(b, err)
		userList = append(userList, us...)
	}
	var records []*ent.DataRecordCreate
	for i := range benchRecords {
		u := userList[i%len(userList)]
		r := c.DataRecord.Create().SetUserID(u.ID).SetCategoryID(leaves[rng.IntN(len(leaves))].ID).
			SetSource(datarecord.SourceProvided).SetCollectedAt(day(2021, 1, 1).Add(time.Duration(rng.IntN(5*365*24)) * time.Hour))
		switch n := rng.IntN(10); {
		case n < 8:
			r.SetCollectorOrganizationID(orgList[0].ID)
		case n == 8:
			r.SetCollectorOrganizationID(orgList[1+rng.IntN(len(orgList)-1)].ID)
		default:
			r.SetCollectorVendorID(tiers[1][rng.IntN(len(tiers[1]))].HolderID())
		}
		records = append(records, r)
		if len(records) == batch {
			require.NoError(b, c.DataRecord.CreateBulk(records...).Exec(ctx))
			records = records[:0]
		}
	}
	if len(records) > 0 {
		require.NoError(b, c.DataRecord.CreateBulk(records...).Exec(ctx))
	}
	var consents []*ent.ConsentCreate
	for i, u := range userList {
		if i%10 != 0 {
			continue
		}
		for range 1 + rng.IntN(3) {
			d := []consent.Decision{consent.DecisionGranted, consent.DecisionOptedOut, consent.DecisionWithdrawn}[rng.IntN(3)]
			cc := c.Consent.Create().SetUserID(u.ID).SetPurposeID(purposes[rng.IntN(len(purposes))].ID).SetDecision(d).
				SetRecordedAt(day(2022, 1, 1).Add(time.Duration(rng.IntN(4*365*24)) * time.Hour))
			if rng.IntN(4) == 0 {
				cc.SetRecipientID(tiers[1+rng.IntN(3)][0].HolderID())
			}
			consents = append(consents, cc)
		}
	}
	for i := 0; i < len(consents); i += batch {
		require.NoError(b, c.Consent.CreateBulk(consents[i:min(i+batch, len(consents))]...).Exec(ctx))
	}

	// As autovacuum would have done by then: statistics, visibility map.
	require.NoError(b, db.Analyze(ctx))
	f := &fixture{engine: trace.New(c), groups: len(nodes)}
	for _, u := range userList {
		f.users = append(f.users, u.ID)
	}
	for _, l := range append(leaves, nodes...) {
		f.categories = append(f.categories, l.ID)
	}
	for _, v := range tiers[1] {
		f.vendors = append(f.vendors, v.HolderID())
	}
	loadStart := time.Now()
	_, err = f.engine.Trace(ctx, f.users[0], asOf)
	require.NoError(b, err)
	loaded := time.Now()
	_, err = f.engine.Holders(ctx, f.categories[0], false, asOf) // builds the record index
	require.NoError(b, err)
	b.Logf("%s: generated in %s; snapshot loaded in %s; record index built in %s", dia,
		loadStart.Sub(start).Round(time.Millisecond), loaded.Sub(loadStart).Round(time.Millisecond), time.Since(loaded).Round(time.Millisecond))
	fixtures[dia] = f
	return f
}

// Fixtures are generated once per dialect and shared by the benchmarks;
// TestMain drops their databases at the end.
var (
	fixtures        = map[string]*fixture{}
	fixtureCleanups []func()
)

func TestMain(m *testing.M) {
	code := m.Run()
	for _, f := range fixtureCleanups {
		f()
	}
	os.Exit(code)
}

// openBenchDB creates a migrated database of the dialect that outlives one
// benchmark, with the write rules installed.
func openBenchDB(b *testing.B, dia string) *store.DB {
	b.Helper()
	var url string
	switch dia {
	case dialect.SQLite:
		dir, err := os.MkdirTemp("", "tracebench")
		require.NoError(b, err)
		fixtureCleanups = append(fixtureCleanups, func() { os.RemoveAll(dir) })
		url = "sqlite:" + dir + "/bench.db"
	case dialect.Postgres:
		admin, err := sql.Open("postgres", storetest.PostgresAdminURL())
		if err == nil {
			err = admin.Ping()
		}
		if err != nil {
			if os.Getenv("CI") == "true" {
				b.Fatalf("PostgreSQL not reachable: %v", err)
			}
			b.Skipf("PostgreSQL not reachable: %v", err)
		}
		defer admin.Close()
		name := fmt.Sprintf("privhub_bench_%d", time.Now().UnixNano())
		_, err = admin.Exec("CREATE DATABASE " + name)
		require.NoError(b, err)
		fixtureCleanups = append(fixtureCleanups, func() {
			if a, err := sql.Open("postgres", storetest.PostgresAdminURL()); err == nil {
				_, _ = a.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
				a.Close()
			}
		})
		u, err := neturl.Parse(storetest.PostgresAdminURL())
		require.NoError(b, err)
		u.Path = "/" + name
		url = u.String()
	}
	ctx := context.Background()
	db, err := store.Open(ctx, url)
	require.NoError(b, err)
	fixtureCleanups = append([]func(){func() { db.Close() }}, fixtureCleanups...)
	integrity.Register(db.Client)
	require.NoError(b, db.Migrate(ctx))
	return db
}

// bench runs op b.N times per dialect on a generated fixture and reports
// the 50th and 99th percentiles of one operation's time, and the average
// size of its answer (holdings, or nodes) as returned by op.
func bench(b *testing.B, op func(ctx context.Context, f *fixture, i int) (int, error)) {
	for _, dia := range storetest.Dialects() {
		f := genFixture(b, dia)
		b.Run(dia, func(b *testing.B) {
			ctx := context.Background()
			var times []time.Duration
			items := 0
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				t0 := time.Now()
				n, err := op(ctx, f, i)
				if err != nil {
					b.Fatal(err)
				}
				times = append(times, time.Since(t0))
				items += n
			}
			slices.Sort(times)
			if n := len(times); n > 0 {
				b.ReportMetric(float64(times[n/2].Microseconds())/1000, "p50-ms")
				b.ReportMetric(float64(times[min(n-1, n*99/100)].Microseconds())/1000, "p99-ms")
				b.ReportMetric(float64(items)/float64(n), "items/op")
			}
		})
	}
}

func BenchmarkTrace(b *testing.B) {
	bench(b, func(ctx context.Context, f *fixture, i int) (int, error) {
		t, err := f.engine.Trace(ctx, f.users[(i*7919)%len(f.users)], asOf)
		if err != nil {
			return 0, err
		}
		return len(t.Holdings), nil
	})
}

// BenchmarkHolders asks about leaf categories.
func BenchmarkHolders(b *testing.B) {
	bench(b, func(ctx context.Context, f *fixture, i int) (int, error) {
		leaves := len(f.categories) - f.groups
		hs, err := f.engine.Holders(ctx, f.categories[i%leaves], false, asOf)
		return len(hs), err
	})
}

// BenchmarkHoldersDescendants asks about group categories and their
// descendants (a group has four leaves).
func BenchmarkHoldersDescendants(b *testing.B) {
	bench(b, func(ctx context.Context, f *fixture, i int) (int, error) {
		leaves := len(f.categories) - f.groups
		hs, err := f.engine.Holders(ctx, f.categories[leaves+i%f.groups], true, asOf)
		return len(hs), err
	})
}

func BenchmarkExposure(b *testing.B) {
	bench(b, func(ctx context.Context, f *fixture, i int) (int, error) {
		x, err := f.engine.Exposure(ctx, f.vendors[i%len(f.vendors)], asOf)
		if err != nil {
			return 0, err
		}
		return len(x.Upstream) + len(x.Downstream), nil
	})
}

func BenchmarkSnapshotLoad(b *testing.B) {
	bench(b, func(ctx context.Context, f *fixture, i int) (int, error) {
		f.engine.Invalidate()
		g, err := f.engine.DataFlows(ctx, trace.FlowFilter{}, asOf)
		if err != nil {
			return 0, err
		}
		return len(g.Edges), nil
	})
}

func BenchmarkFingerprint(b *testing.B) {
	bench(b, func(ctx context.Context, f *fixture, i int) (int, error) {
		return 0, trace.Fingerprint(ctx, f.engine.Client())
	})
}
