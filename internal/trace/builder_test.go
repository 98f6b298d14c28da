package trace_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/consent"
	"github.com/privhub/privhub/ent/datarecord"
	"github.com/privhub/privhub/ent/purpose"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/store"
	"github.com/privhub/privhub/internal/trace"
	"github.com/privhub/privhub/internal/vocab"
)

// day returns midnight UTC of a date.
func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

var (
	since = day(2024, time.January, 1)  // when the test transfers start and records are collected
	asOf  = day(2026, time.June, 30)    // the default instant of questions
	later = day(2026, time.December, 1) // a second instant
)

// world builds small transfer graphs by hand.
type world struct {
	t        *testing.T
	ctx      context.Context
	c        *ent.Client
	cats     map[string]*ent.DataCategory
	purposes map[string]*ent.Purpose
	users    int
}

func newWorld(t *testing.T, db *store.DB) *world {
	return &world{t: t, ctx: context.Background(), c: db.Client, cats: map[string]*ent.DataCategory{}, purposes: map[string]*ent.Purpose{}}
}

func (w *world) org(name, country string) *ent.Organization {
	o, err := w.c.Organization.Create().SetName(name).SetCountryID(pulid.Country(country)).Save(w.ctx)
	require.NoError(w.t, err)
	return o
}

func (w *world) vendor(name, country string) *ent.Vendor {
	v, err := w.c.Vendor.Create().SetName(name).SetCountryID(pulid.Country(country)).Save(w.ctx)
	require.NoError(w.t, err)
	return v
}

// cat returns the category with key, creating it (and its parent
// "<group>.all" for a key "<group>.<name>") when needed.
func (w *world) cat(key string) *ent.DataCategory {
	if c, ok := w.cats[key]; ok {
		return c
	}
	create := w.c.DataCategory.Create().SetKey(key).SetName(key)
	if group, name, _ := strings.Cut(key, "."); name != "all" {
		create.SetParentID(w.cat(group + ".all").ID)
	}
	c, err := create.Save(w.ctx)
	require.NoError(w.t, err)
	w.cats[key] = c
	return c
}

func (w *world) purpose(key string) *ent.Purpose {
	if p, ok := w.purposes[key]; ok {
		return p
	}
	p, err := w.c.Purpose.Create().SetKey(key).SetName(key).SetLegalBasis(purpose.LegalBasisLegitimateInterests).Save(w.ctx)
	require.NoError(w.t, err)
	w.purposes[key] = p
	return p
}

// flow describes a transfer; the zero value is an EEA processor transfer
// active since `since` that honours opt-outs, carries contact.email and is
// made for purpose "service".
type flow struct {
	cats      []string
	purposes  []string
	country   string
	mechanism vocab.Mechanism
	role      vocab.ProcessingRole
	noOptOuts bool
	from      time.Time
	until     time.Time
	contract  *ent.Contract
	clauses   []*ent.Clause
}

func (w *world) transfer(from, to ent.Holder, f flow) *ent.Transfer {
	if f.cats == nil {
		f.cats = []string{"contact.email"}
	}
	if f.purposes == nil {
		f.purposes = []string{"service"}
	}
	if f.country == "" {
		f.country = to.HolderCountry().CountryCode()
	}
	if f.mechanism == "" {
		f.mechanism = vocab.MechanismIntraEEA
	}
	if f.role == "" {
		f.role = vocab.RoleProcessor
	}
	if f.from.IsZero() {
		f.from = since
	}
	c := w.c.Transfer.Create().
		SetName(from.HolderName() + " -> " + to.HolderName()).
		SetImporterRole(f.role).SetCountryID(pulid.Country(f.country)).SetMechanism(f.mechanism).
		SetHonoursOptOuts(!f.noOptOuts).SetActiveFrom(f.from).
		SetSafeguards([]vocab.Safeguard{vocab.SafeguardEncryptionInTransit})
	if !f.until.IsZero() {
		c.SetActiveUntil(f.until)
	}
	if o, ok := from.(*ent.Organization); ok {
		c.SetExporterOrganizationID(o.ID)
	} else {
		c.SetExporterVendorID(from.HolderID())
	}
	if o, ok := to.(*ent.Organization); ok {
		c.SetImporterOrganizationID(o.ID)
	} else {
		c.SetImporterVendorID(to.HolderID())
	}
	for _, k := range f.cats {
		c.AddCategories(w.cat(k))
	}
	for _, k := range f.purposes {
		c.AddPurposes(w.purpose(k))
	}
	if f.contract != nil {
		c.SetContractID(f.contract.ID).AddClauses(f.clauses...)
	}
	t, err := c.Save(w.ctx)
	require.NoError(w.t, err)
	return t
}

func (w *world) user() *ent.User {
	w.users++
	u, err := w.c.User.Create().SetExternalRef("acct-" + strconv.Itoa(w.users)).
		SetSubjectKind(vocab.SubjectCustomer).Save(w.ctx)
	require.NoError(w.t, err)
	return u
}

// record notes that collector collected category key of u at `since`.
func (w *world) record(u *ent.User, key string, collector ent.Holder) {
	w.recordAt(u, key, collector, since)
}

func (w *world) recordAt(u *ent.User, key string, collector ent.Holder, at time.Time) {
	c := w.c.DataRecord.Create().SetUserID(u.ID).SetCategoryID(w.cat(key).ID).
		SetSource(datarecord.SourceProvided).SetCollectedAt(at)
	if o, ok := collector.(*ent.Organization); ok {
		c.SetCollectorOrganizationID(o.ID)
	} else {
		c.SetCollectorVendorID(collector.HolderID())
	}
	require.NoError(w.t, c.Exec(w.ctx))
}

// choose records a consent ledger entry; recipient may be nil.
func (w *world) choose(u *ent.User, purposeKey string, recipient *ent.Vendor, d consent.Decision, at time.Time) *ent.Consent {
	c := w.c.Consent.Create().SetUserID(u.ID).SetPurposeID(w.purpose(purposeKey).ID).SetDecision(d).SetRecordedAt(at)
	if recipient != nil {
		c.SetRecipientID(recipient.ID)
	}
	e, err := c.Save(w.ctx)
	require.NoError(w.t, err)
	return e
}

// names returns the holder names of holdings, with the depth, as
// "name@depth".
func names(hs []*trace.Holding) []string {
	var out []string
	for _, h := range hs {
		out = append(out, h.Holder.HolderName()+"@"+strconv.Itoa(h.Depth()))
	}
	return out
}

// find returns the first holding of the holder named name.
func find(t *testing.T, hs []*trace.Holding, name string) *trace.Holding {
	t.Helper()
	for _, h := range hs {
		if h.Holder.HolderName() == name {
			return h
		}
	}
	t.Fatalf("no holding of %s among %v", name, names(hs))
	return nil
}

// keys returns the keys of categories.
func keys(cs []*ent.DataCategory) []string {
	out := []string{}
	for _, c := range cs {
		out = append(out, c.Key)
	}
	return out
}

// path returns the chain of a holding as "A>B>C".
func path(h *trace.Holding) string {
	if len(h.Chain) == 0 {
		return h.Holder.HolderName()
	}
	parts := []string{h.Chain[0].Exporter.HolderName()}
	for _, s := range h.Chain {
		parts = append(parts, s.Importer.HolderName())
	}
	return strings.Join(parts, ">")
}
