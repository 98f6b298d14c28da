package trace_test

import (
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/consent"
	"github.com/privhub/privhub/ent/contract"
	"github.com/privhub/privhub/ent/datarecord"
	"github.com/privhub/privhub/internal/apperr"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/store"
	"github.com/privhub/privhub/internal/store/storetest"
	"github.com/privhub/privhub/internal/trace"
	"github.com/privhub/privhub/internal/vocab"
)

func TestThreeDeepSubprocessorChain(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		lumora := w.org("Lumora SA", "BE")
		nimbra := w.vendor("Nimbra Cloud", "FR")
		gravel := w.vendor("Gravel Datacenters", "FR")
		north := w.vendor("Northwatch Remote Hands", "CA")
		tundra := w.vendor("Tundra Field Staffing", "CA")
		dpa, err := w.c.Contract.Create().SetTitle("Nimbra DPA").SetKind(contract.KindDpa).Save(w.ctx)
		require.NoError(t, err)
		cl, err := w.c.Clause.Create().SetContractID(dpa.ID).SetReference("Art. 28(3)(d)").Save(w.ctx)
		require.NoError(t, err)
		first := w.transfer(lumora, nimbra, flow{contract: dpa, clauses: []*ent.Clause{cl}})
		w.transfer(nimbra, gravel, flow{role: vocab.RoleSubprocessor})
		w.transfer(gravel, north, flow{role: vocab.RoleSubprocessor, mechanism: vocab.MechanismAdequacy})
		w.transfer(north, tundra, flow{role: vocab.RoleSubprocessor, mechanism: vocab.MechanismAdequacy})
		alice := w.user()
		w.record(alice, "contact.email", lumora)

		tr, err := trace.New(w.c).Trace(w.ctx, alice.ID, asOf)
		require.NoError(t, err)
		assert.Equal(t, alice.ID, tr.User.ID)
		assert.Equal(t, []string{"Lumora SA@0", "Nimbra Cloud@1", "Gravel Datacenters@2", "Northwatch Remote Hands@3", "Tundra Field Staffing@4"}, names(tr.Holdings))
		assert.Empty(t, tr.Blocked)

		collector := find(t, tr.Holdings, "Lumora SA")
		assert.Empty(t, collector.Chain)
		assert.Equal(t, pulid.Country("BE"), collector.Country.ID)
		assert.Equal(t, vocab.RegimeEU, collector.Regime)
		assert.Equal(t, 1, collector.Users)

		last := find(t, tr.Holdings, "Tundra Field Staffing")
		assert.Equal(t, "Lumora SA>Nimbra Cloud>Gravel Datacenters>Northwatch Remote Hands>Tundra Field Staffing", path(last))
		assert.Equal(t, []string{"contact.email"}, keys(last.Categories))
		assert.Equal(t, pulid.Country("CA"), last.Country.ID)
		require.NotEmpty(t, last.Adequacy, "Canada's adequacy decision is in force")
		assert.Equal(t, vocab.RegimeEU, last.Adequacy[0].Regime)

		step := last.Chain[0]
		assert.Equal(t, first.ID, step.Transfer.ID)
		assert.Equal(t, lumora.ID, step.Exporter.HolderID())
		assert.Equal(t, nimbra.ID, step.Importer.HolderID())
		assert.Equal(t, pulid.Country("FR"), step.Country.ID)
		assert.Equal(t, vocab.MechanismIntraEEA, step.Mechanism)
		assert.Equal(t, vocab.RoleProcessor, step.ImporterRole)
		require.NotNil(t, step.Contract)
		assert.Equal(t, dpa.ID, step.Contract.ID)
		require.Len(t, step.Clauses, 1)
		assert.Equal(t, "Art. 28(3)(d)", step.Clauses[0].Reference)
		assert.Equal(t, []vocab.Safeguard{vocab.SafeguardEncryptionInTransit}, step.Safeguards)
		assert.Equal(t, []string{"contact.email"}, keys(step.Categories))
		require.Len(t, step.Purposes, 1)
		assert.Equal(t, "service", step.Purposes[0].Key)
		assert.Equal(t, vocab.MechanismAdequacy, last.Chain[3].Mechanism)
		assert.Equal(t, pulid.Country("CA"), last.Chain[3].Country.ID)
	})
}

func TestCycleTerminatesWithShortestChains(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		org := w.org("Org", "BE")
		a := w.vendor("A", "FR")
		b := w.vendor("B", "DE")
		c := w.vendor("C", "NL")
		w.transfer(org, a, flow{})
		w.transfer(a, b, flow{})
		w.transfer(b, a, flow{})
		w.transfer(b, c, flow{})
		w.transfer(c, org, flow{})
		u := w.user()
		w.record(u, "contact.email", org)
		e := trace.New(w.c)

		tr, err := e.Trace(w.ctx, u.ID, asOf)
		require.NoError(t, err)
		assert.Equal(t, []string{"Org@0", "A@1", "B@2", "C@3"}, names(tr.Holdings))
		assert.Equal(t, "Org>A>B>C", path(find(t, tr.Holdings, "C")))

		// A shortcut makes the chains shorter.
		w.transfer(org, b, flow{})
		e.Invalidate()
		tr, err = e.Trace(w.ctx, u.ID, asOf)
		require.NoError(t, err)
		assert.Equal(t, []string{"Org@0", "A@1", "B@1", "C@2"}, names(tr.Holdings))
		assert.Equal(t, "Org>B>C", path(find(t, tr.Holdings, "C")))

		for mode, e := range engines(w) {
			hs, err := e.Holders(w.ctx, w.cat("contact.email").ID, false, asOf)
			require.NoError(t, err)
			assert.Equal(t, []string{"Org@0", "A@1", "B@1", "C@2"}, names(hs))
			for _, h := range hs {
				assert.Equal(t, 1, h.Users, "%s: %s", mode, h.Holder.HolderName())
			}

			x, err := e.Exposure(w.ctx, b.ID, asOf)
			require.NoError(t, err)
			assert.Equal(t, 1, x.Users, mode)
			require.Len(t, x.Upstream, 1)
			assert.Equal(t, "Org>B", path(x.Upstream[0]))
			assert.Equal(t, []string{"A@1", "C@1", "Org@2"}, names(x.Downstream))
		}
	})
}

func TestParentCategoryCarriesChild(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		org := w.org("Org", "BE")
		crm := w.vendor("CRM", "FR")
		sms := w.vendor("SMS", "AU")
		w.transfer(org, crm, flow{cats: []string{"contact.all"}})
		w.transfer(org, sms, flow{cats: []string{"contact.phone"}, mechanism: vocab.MechanismSCC})
		u := w.user()
		w.record(u, "contact.email", org)

		tr, err := trace.New(w.c).Trace(w.ctx, u.ID, asOf)
		require.NoError(t, err)
		assert.Equal(t, []string{"Org@0", "CRM@1"}, names(tr.Holdings), "contact.all carries contact.email; contact.phone does not")
		assert.Equal(t, []string{"contact.email"}, keys(find(t, tr.Holdings, "CRM").Categories))
	})
}

func TestOptOutBlocksPartnerButNotProcessor(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		org := w.org("Org", "BE")
		partner := w.vendor("Partner", "LT")
		processor := w.vendor("Processor", "FR")
		mailer := w.vendor("Mailer", "RO")
		sub := w.vendor("Partner Sub", "LV")
		toPartner := w.transfer(org, partner, flow{role: vocab.RoleController, purposes: []string{"partners"}})
		w.transfer(partner, sub, flow{purposes: []string{"partners"}})
		w.transfer(org, processor, flow{purposes: []string{"partners"}, noOptOuts: true})
		w.transfer(org, mailer, flow{purposes: []string{"service"}})

		bob := w.user()
		w.record(bob, "contact.email", org)
		w.record(bob, "identity.name", org)
		w.choose(bob, "partners", nil, consent.DecisionGranted, day(2025, 1, 1))
		optOut := w.choose(bob, "partners", nil, consent.DecisionOptedOut, day(2026, 3, 1))
		w.transfer(org, partner, flow{cats: []string{"identity.name"}, purposes: []string{"partners"}, noOptOuts: true})

		e := trace.New(w.c)
		tr, err := e.Trace(w.ctx, bob.ID, asOf)
		require.NoError(t, err)
		assert.Equal(t, []string{"Org@0", "Mailer@1", "Partner@1", "Processor@1"}, names(tr.Holdings))
		// Partner still gets the name through the transfer that does not
		// honour opt-outs, but not the e-mail address (nor does its
		// subprocessor).
		assert.Equal(t, []string{"identity.name"}, catsOf(tr.Holdings, "Partner"))
		require.Len(t, tr.Blocked, 1)
		bl := tr.Blocked[0]
		assert.Equal(t, toPartner.ID, bl.Transfer.ID)
		assert.Equal(t, partner.ID, bl.Importer.HolderID())
		assert.Equal(t, []string{"contact.email"}, keys(bl.Categories))
		assert.Equal(t, optOut.ID, bl.Consent.ID)
		assert.Contains(t, bl.Reason, "opted out")
		assert.Contains(t, bl.Reason, "partners")

		// Before the opt-out, the flow went ahead.
		tr, err = e.Trace(w.ctx, bob.ID, day(2026, 2, 1))
		require.NoError(t, err)
		assert.Empty(t, tr.Blocked)
		assert.Equal(t, []string{"contact.email", "identity.name"}, catsOf(tr.Holdings, "Partner"))
		assert.Equal(t, []string{"contact.email"}, catsOf(tr.Holdings, "Partner Sub"))

		// Granting again later lifts the block.
		w.choose(bob, "partners", nil, consent.DecisionGranted, day(2026, 5, 1))
		tr, err = e.Trace(w.ctx, bob.ID, asOf)
		require.NoError(t, err)
		assert.Empty(t, tr.Blocked)

		// Consent is per purpose (law.Decide): a withdrawal naming the
		// importer for another purpose leaves the flow alone; one naming it
		// for the flow's purpose stops it, as the findings engine rules.
		carol := w.user()
		w.record(carol, "contact.email", org)
		w.choose(carol, "marketing", mailer, consent.DecisionWithdrawn, day(2026, 1, 1))
		tr, err = e.Trace(w.ctx, carol.ID, asOf)
		require.NoError(t, err)
		assert.Equal(t, []string{"Org@0", "Mailer@1", "Partner@1", "Processor@1", "Partner Sub@2"}, names(tr.Holdings))
		assert.Empty(t, tr.Blocked)
		w.choose(carol, "service", mailer, consent.DecisionWithdrawn, day(2026, 2, 1))
		tr, err = e.Trace(w.ctx, carol.ID, asOf)
		require.NoError(t, err)
		assert.Equal(t, []string{"Org@0", "Partner@1", "Processor@1", "Partner Sub@2"}, names(tr.Holdings))
		require.Len(t, tr.Blocked, 1)
		assert.Equal(t, mailer.ID, tr.Blocked[0].Importer.HolderID())
		assert.Contains(t, tr.Blocked[0].Reason, "Mailer")
	})
}

func TestTransfersOutsideTheirPeriodAreIgnored(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		org := w.org("Org", "BE")
		w.transfer(org, w.vendor("Ended", "FR"), flow{until: day(2025, 1, 1)})
		w.transfer(org, w.vendor("Future", "FR"), flow{from: day(2027, 1, 1)})
		w.transfer(org, w.vendor("Ended just before", "FR"), flow{until: asOf.Add(-time.Second)})
		// A period includes its last instant (law.Within), as for the findings.
		w.transfer(org, w.vendor("Ends at asOf", "FR"), flow{until: asOf})
		u := w.user()
		w.record(u, "contact.email", org)
		tr, err := trace.New(w.c).Trace(w.ctx, u.ID, asOf)
		require.NoError(t, err)
		assert.Equal(t, []string{"Org@0", "Ends at asOf@1"}, names(tr.Holdings))
	})
}

func TestSameQuestionAtTwoInstants(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		org := w.org("Org", "BE")
		early := w.vendor("Early", "FR")
		w.transfer(org, early, flow{until: day(2026, 9, 1)})
		w.transfer(org, w.vendor("Late", "BR"), flow{from: day(2026, 9, 1), mechanism: vocab.MechanismAdequacy})
		u := w.user()
		w.record(u, "contact.email", org)
		w.recordAt(u, "contact.phone", early, day(2026, 7, 15))
		e := trace.New(w.c)

		tr, err := e.Trace(w.ctx, u.ID, asOf)
		require.NoError(t, err)
		assert.Equal(t, []string{"Org@0", "Early@1"}, names(tr.Holdings))

		tr, err = e.Trace(w.ctx, u.ID, later)
		require.NoError(t, err)
		assert.Equal(t, []string{"Early@0", "Org@0", "Late@1"}, names(tr.Holdings))
		assert.Equal(t, []string{"contact.phone"}, keys(find(t, tr.Holdings, "Early").Categories))
	})
}

func TestUserWithoutRecordsAndUnknownUser(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		w.transfer(w.org("Org", "BE"), w.vendor("V", "FR"), flow{})
		u := w.user()
		e := trace.New(w.c)
		tr, err := e.Trace(w.ctx, u.ID, asOf)
		require.NoError(t, err)
		assert.NotNil(t, tr.Holdings)
		assert.Empty(t, tr.Holdings)
		assert.Empty(t, tr.Blocked)

		_, err = e.Trace(w.ctx, pulid.New("usr"), asOf)
		ae, ok := apperr.As(err)
		require.True(t, ok, "%v", err)
		assert.Equal(t, apperr.NotFound, ae.Code)

		_, err = e.Holders(w.ctx, pulid.New("cat"), false, asOf)
		ae, ok = apperr.As(err)
		require.True(t, ok, "%v", err)
		assert.Equal(t, apperr.NotFound, ae.Code)

		_, err = e.Exposure(w.ctx, pulid.New("vnd"), asOf)
		ae, ok = apperr.As(err)
		require.True(t, ok, "%v", err)
		assert.Equal(t, apperr.NotFound, ae.Code)
	})
}

func TestHoldersCountsDistinctUsersRespectingConsent(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		org := w.org("Org", "BE")
		events := w.vendor("Events", "ES") // collects e-mails itself too
		partner := w.vendor("Partner", "LT")
		processor := w.vendor("Processor", "FR")
		w.transfer(org, partner, flow{purposes: []string{"partners"}, role: vocab.RoleController})
		w.transfer(events, partner, flow{purposes: []string{"partners"}, role: vocab.RoleController})
		w.transfer(org, processor, flow{purposes: []string{"partners"}, noOptOuts: true})
		w.transfer(org, w.vendor("Phones", "FR"), flow{cats: []string{"contact.phone"}})

		u1, u2, u3, u4, u5 := w.user(), w.user(), w.user(), w.user(), w.user()
		for _, u := range []*ent.User{u1, u2, u3, u5} {
			w.record(u, "contact.email", org)
		}
		w.record(u3, "contact.email", events)
		w.record(u4, "contact.email", events)
		w.record(u1, "contact.phone", org)
		w.recordAt(w.user(), "contact.email", org, later) // not yet collected
		w.choose(u2, "partners", nil, consent.DecisionOptedOut, day(2026, 1, 1))
		w.choose(u5, "partners", nil, consent.DecisionOptedOut, day(2026, 1, 1))
		w.choose(u5, "partners", nil, consent.DecisionGranted, day(2026, 2, 1))
		w.choose(u3, "partners", partner, consent.DecisionWithdrawn, day(2026, 11, 1)) // after asOf

		for mode, e := range engines(w) {
			t.Log(mode)
			holdersCountDistinctUsers(t, w, e)
		}
	})
}

func holdersCountDistinctUsers(t *testing.T, w *world, e *trace.Engine) {
	hs, err := e.Holders(w.ctx, w.cat("contact.email").ID, false, asOf)
	require.NoError(t, err)
	assert.Equal(t, []string{"Events@0", "Org@0", "Partner@1", "Processor@1"}, names(hs))
	users := map[string]int{}
	for _, h := range hs {
		users[h.Holder.HolderName()] = h.Users
		assert.Equal(t, []string{"contact.email"}, keys(h.Categories))
	}
	// Partner: u1, u3 (through both Org and Events, once), u4, u5 (granted
	// again); not u2, who opted out.
	assert.Equal(t, map[string]int{"Org": 4, "Events": 2, "Partner": 4, "Processor": 4}, users)

	// Later, u3's withdrawal naming Partner is in force and the last
	// user's record is collected.
	hs, err = e.Holders(w.ctx, w.cat("contact.email").ID, false, later)
	require.NoError(t, err)
	users = map[string]int{}
	for _, h := range hs {
		users[h.Holder.HolderName()] = h.Users
	}
	assert.Equal(t, map[string]int{"Org": 5, "Events": 2, "Partner": 4, "Processor": 5}, users)

	// The whole contact group, with its descendants.
	hs, err = e.Holders(w.ctx, w.cat("contact.all").ID, true, asOf)
	require.NoError(t, err)
	assert.Equal(t, []string{"Events@0", "Org@0", "Partner@1", "Phones@1", "Processor@1"}, names(hs))
	org0 := find(t, hs, "Org")
	assert.Equal(t, []string{"contact.email", "contact.phone"}, keys(org0.Categories))
	assert.Equal(t, 4, org0.Users)
	assert.Equal(t, 1, find(t, hs, "Phones").Users)

	// Nobody's data is recorded under the group node itself.
	hs, err = e.Holders(w.ctx, w.cat("contact.all").ID, false, asOf)
	require.NoError(t, err)
	assert.Empty(t, hs)
}

func TestExposureOfMiddleVendor(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		org := w.org("Org", "BE")
		org2 := w.org("Org Germany", "DE")
		mid := w.vendor("Mid", "FR")
		sub := w.vendor("Sub", "IE")
		far := w.vendor("Far", "US")
		w.transfer(org, mid, flow{cats: []string{"contact.all"}})
		w.transfer(org2, mid, flow{cats: []string{"identity.name"}})
		w.transfer(mid, sub, flow{cats: []string{"contact.email"}, role: vocab.RoleSubprocessor})
		w.transfer(sub, far, flow{cats: []string{"contact.email"}, role: vocab.RoleSubprocessor, mechanism: vocab.MechanismSCC})
		w.transfer(org, w.vendor("Elsewhere", "NL"), flow{})
		u1, u2, u3 := w.user(), w.user(), w.user()
		w.record(u1, "contact.email", org)
		w.record(u1, "contact.phone", org)
		w.record(u2, "identity.name", org2)
		w.record(u3, "contact.email", org)
		w.record(u3, "identity.name", org) // Org does not send names to Mid

		for mode, e := range engines(w) {
			t.Log(mode)
			exposureOfMid(t, e, w, mid.ID)
		}

		// u3 opts out of the purpose of the transfers to Mid (and from Mid
		// to Sub); u2's withdrawal names Sub, which Org Germany's data does
		// not reach anyway.
		w.choose(u3, "service", nil, consent.DecisionOptedOut, day(2026, 2, 1))
		w.choose(u2, "service", sub, consent.DecisionWithdrawn, day(2026, 2, 1))
		for mode, e := range engines(w) {
			x, err := e.Exposure(w.ctx, mid.ID, asOf)
			require.NoError(t, err)
			assert.Equal(t, 2, x.Users, mode)
			assert.Equal(t, 1, x.Upstream[0].Users, mode)
			assert.Equal(t, 1, x.Upstream[1].Users, mode)
			assert.Equal(t, []int{1, 1}, []int{x.Downstream[0].Users, x.Downstream[1].Users}, mode)
			x, err = e.Exposure(w.ctx, sub.ID, asOf)
			require.NoError(t, err)
			assert.Equal(t, 1, x.Users, mode)
		}
	})
}

func exposureOfMid(t *testing.T, e *trace.Engine, w *world, mid pulid.ID) {
	x, err := e.Exposure(w.ctx, mid, asOf)
	require.NoError(t, err)
	assert.Equal(t, mid, x.Holder.HolderID())
	assert.Equal(t, 3, x.Users)
	assert.Equal(t, []string{"contact.email", "contact.phone", "identity.name"}, keys(x.Categories))
	require.Len(t, x.Upstream, 2)
	assert.Equal(t, "Org>Mid", path(x.Upstream[0]))
	assert.Equal(t, []string{"contact.email", "contact.phone"}, keys(x.Upstream[0].Categories))
	assert.Equal(t, 2, x.Upstream[0].Users)
	assert.Equal(t, "Org Germany>Mid", path(x.Upstream[1]))
	assert.Equal(t, 1, x.Upstream[1].Users)
	assert.Equal(t, []string{"Sub@1", "Far@2"}, names(x.Downstream))
	assert.Equal(t, "Mid>Sub>Far", path(x.Downstream[1]))
	assert.Equal(t, []string{"contact.email"}, keys(x.Downstream[1].Categories))
	assert.Equal(t, 2, x.Downstream[0].Users)
	var codes []pulid.ID
	for _, c := range x.Countries {
		codes = append(codes, c.ID)
	}
	assert.Equal(t, []pulid.ID{pulid.Country("BE"), pulid.Country("DE"), pulid.Country("FR"), pulid.Country("IE"), pulid.Country("US")}, codes)
}

func TestDataFlowsFilters(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		org := w.org("Org", "BE")
		a := w.vendor("A", "FR")
		b := w.vendor("B", "US")
		c := w.vendor("C", "IN")
		w.transfer(org, a, flow{cats: []string{"contact.all"}})
		w.transfer(org, b, flow{cats: []string{"contact.email"}, purposes: []string{"marketing"}, mechanism: vocab.MechanismSCC})
		w.transfer(a, c, flow{cats: []string{"identity.name"}, mechanism: vocab.MechanismSCC})
		w.transfer(b, c, flow{cats: []string{"contact.email"}, until: day(2025, 1, 1)})
		e := trace.New(w.c)

		edges := func(f trace.FlowFilter) []string {
			t.Helper()
			g, err := e.DataFlows(w.ctx, f, asOf)
			require.NoError(t, err)
			var out []string
			for _, s := range g.Edges {
				out = append(out, s.Exporter.HolderName()+">"+s.Importer.HolderName())
			}
			return out
		}
		g, err := e.DataFlows(w.ctx, trace.FlowFilter{}, asOf)
		require.NoError(t, err)
		assert.Len(t, g.Nodes, 4)
		assert.Equal(t, 2, find2(g, "Org").Exports)
		assert.Equal(t, []string{"A>C", "Org>A", "Org>B"}, edges(trace.FlowFilter{}))
		assert.Equal(t, []string{"Org>A", "Org>B"}, edges(trace.FlowFilter{CategoryIDs: []pulid.ID{w.cat("contact.email").ID}}))
		assert.Equal(t, []string{"Org>A", "Org>B"}, edges(trace.FlowFilter{CategoryIDs: []pulid.ID{w.cat("contact.all").ID}}))
		assert.Equal(t, []string{"Org>A"}, edges(trace.FlowFilter{CategoryIDs: []pulid.ID{w.cat("contact.phone").ID}}))
		assert.Equal(t, []string{"Org>B"}, edges(trace.FlowFilter{PurposeIDs: []pulid.ID{w.purpose("marketing").ID}}))
		assert.Equal(t, []string{"A>C"}, edges(trace.FlowFilter{CountryIDs: []pulid.ID{pulid.Country("IN")}}))
		assert.Equal(t, []string{"A>C", "Org>B"}, edges(trace.FlowFilter{Mechanisms: []vocab.Mechanism{vocab.MechanismSCC}}))
		assert.Equal(t, []string{"A>C"}, edges(trace.FlowFilter{Mechanisms: []vocab.Mechanism{vocab.MechanismSCC}, CountryIDs: []pulid.ID{pulid.Country("IN"), pulid.Country("BR")}}))

		_, err = e.DataFlows(w.ctx, trace.FlowFilter{CategoryIDs: []pulid.ID{pulid.New("cat")}}, asOf)
		ae, ok := apperr.As(err)
		require.True(t, ok, "%v", err)
		assert.Equal(t, apperr.BadUserInput, ae.Code)
		assert.Equal(t, "categoryIDs", ae.Field)
	})
}

// catsOf returns the category keys of every holding of the holder named name.
func catsOf(hs []*trace.Holding, name string) []string {
	var out []string
	for _, h := range hs {
		if h.Holder.HolderName() == name {
			out = append(out, keys(h.Categories)...)
		}
	}
	slices.Sort(out)
	return out
}

func find2(g *trace.FlowGraph, name string) *trace.FlowNode {
	for _, n := range g.Nodes {
		if n.Holder.HolderName() == name {
			return n
		}
	}
	return &trace.FlowNode{}
}

func TestInvalidateMakesNewTransfersVisible(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		org := w.org("Org", "BE")
		w.transfer(org, w.vendor("Old", "FR"), flow{})
		u := w.user()
		w.record(u, "contact.email", org)
		e := trace.New(w.c)
		tr, err := e.Trace(w.ctx, u.ID, asOf)
		require.NoError(t, err)
		assert.Equal(t, []string{"Org@0", "Old@1"}, names(tr.Holdings))

		w.transfer(org, w.vendor("New", "FR"), flow{})
		tr, err = e.Trace(w.ctx, u.ID, asOf)
		require.NoError(t, err)
		assert.Equal(t, []string{"Org@0", "Old@1"}, names(tr.Holdings), "the snapshot is kept until invalidated")

		e.Invalidate()
		tr, err = e.Trace(w.ctx, u.ID, asOf)
		require.NoError(t, err)
		assert.Equal(t, []string{"Org@0", "New@1", "Old@1"}, names(tr.Holdings))

		// Watch invalidates on writes, including inside a transaction.
		e.Watch(w.c)
		w.transfer(org, w.vendor("Watched", "FR"), flow{})
		tx, err := w.c.Tx(w.ctx)
		require.NoError(t, err)
		v, err := tx.Vendor.Create().SetName("In Tx").SetCountryID("cty_FR").Save(w.ctx)
		require.NoError(t, err)
		_, err = tx.Transfer.Create().SetExporterOrganizationID(org.ID).SetImporterVendorID(v.ID).
			SetImporterRole(vocab.RoleProcessor).SetCountryID("cty_FR").SetMechanism(vocab.MechanismIntraEEA).
			SetActiveFrom(since).AddCategories(w.cat("contact.email")).Save(w.ctx)
		require.NoError(t, err)
		tr, err = e.Trace(w.ctx, u.ID, asOf) // before the commit: not visible
		require.NoError(t, err)
		assert.Equal(t, []string{"Org@0", "New@1", "Old@1", "Watched@1"}, names(tr.Holdings))
		require.NoError(t, tx.Commit())
		tr, err = e.Trace(w.ctx, u.ID, asOf)
		require.NoError(t, err)
		assert.Equal(t, []string{"Org@0", "In Tx@1", "New@1", "Old@1", "Watched@1"}, names(tr.Holdings))

		// A record naming a collector the snapshot does not know yet makes
		// the engine reload by itself.
		e2 := trace.New(db.Client)
		_, err = e2.Trace(w.ctx, u.ID, asOf)
		require.NoError(t, err)
		fresh, err := db.Client.Vendor.Create().SetName("Fresh").SetCountryID("cty_FR").Save(w.ctx) // e2 watches nothing
		require.NoError(t, err)
		w.record(u, "device.metadata", fresh)
		tr, err = e2.Trace(w.ctx, u.ID, asOf)
		require.NoError(t, err)
		assert.Equal(t, "Fresh", tr.Holdings[0].Holder.HolderName())
	})
}

// engines returns an engine with the in-memory record index and one that
// counts with SQL.
func engines(w *world) map[string]*trace.Engine {
	return map[string]*trace.Engine{
		"index": trace.New(w.c),
		"sql":   trace.NewWithOptions(w.c, trace.Options{NoIndex: true}),
	}
}

func TestIndexFollowsWrites(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		org := w.org("Org", "BE")
		v := w.vendor("V", "FR")
		w.transfer(org, v, flow{})
		e := trace.New(w.c)
		e.Watch(w.c)
		users := func() map[string]int {
			t.Helper()
			hs, err := e.Holders(w.ctx, w.cat("contact.email").ID, false, asOf)
			require.NoError(t, err)
			m := map[string]int{}
			for _, h := range hs {
				m[h.Holder.HolderName()] = h.Users
			}
			return m
		}
		assert.Empty(t, users())

		u1, u2 := w.user(), w.user()
		w.record(u1, "contact.email", org)
		assert.Equal(t, map[string]int{"Org": 1, "V": 1}, users())

		// Inserts are appended.
		w.record(u2, "contact.email", org)
		w.record(u2, "contact.email", v)
		assert.Equal(t, map[string]int{"Org": 2, "V": 2}, users())

		// A delete is seen by the fingerprint.
		n, err := w.c.DataRecord.Delete().Where(datarecord.UserID(u1.ID)).Exec(w.ctx)
		require.NoError(t, err)
		require.Equal(t, 1, n)
		assert.Equal(t, map[string]int{"Org": 1, "V": 1}, users())

		// An update, by the hook Watch installed.
		require.NoError(t, w.c.DataRecord.Update().Where(datarecord.UserID(u2.ID), datarecord.CollectorVendorID(v.ID)).
			SetCollectedAt(later).Exec(w.ctx))
		assert.Equal(t, map[string]int{"Org": 1, "V": 1}, users())
		require.NoError(t, w.c.DataRecord.Update().Where(datarecord.UserID(u2.ID), datarecord.CollectorOrganizationID(org.ID)).
			ClearCollectorOrganizationID().SetCollectorVendorID(v.ID).Exec(w.ctx))
		assert.Equal(t, map[string]int{"V": 1}, users())

		// New ledger entries are appended too.
		u3 := w.user()
		w.record(u3, "contact.email", org)
		assert.Equal(t, map[string]int{"Org": 1, "V": 2}, users())
		w.choose(u3, "service", nil, consent.DecisionOptedOut, day(2026, 2, 1))
		assert.Equal(t, map[string]int{"Org": 1, "V": 1}, users())
		w.choose(u3, "service", nil, consent.DecisionGranted, day(2026, 3, 1))
		assert.Equal(t, map[string]int{"Org": 1, "V": 2}, users())
		w.choose(u3, "service", v, consent.DecisionWithdrawn, day(2026, 1, 1)) // recorded earlier, inserted later
		assert.Equal(t, map[string]int{"Org": 1, "V": 1}, users())
		w.record(u1, "contact.email", org) // a user whose records were all deleted comes back
		assert.Equal(t, map[string]int{"Org": 2, "V": 2}, users())

		// Exposure agrees.
		x, err := e.Exposure(w.ctx, v.ID, asOf)
		require.NoError(t, err)
		assert.Equal(t, 2, x.Users)
	})
}

func TestConcurrentQuestions(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		org := w.org("Org", "BE")
		v := w.vendor("V", "FR")
		w.transfer(org, v, flow{})
		var users []*ent.User
		for range 5 {
			u := w.user()
			w.record(u, "contact.email", org)
			users = append(users, u)
		}
		e := trace.New(w.c)
		e.Watch(w.c)
		var wg sync.WaitGroup
		errs := make(chan error, 64)
		for i := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for j := range 5 {
					var err error
					switch (i + j) % 4 {
					case 0:
						_, err = e.Trace(w.ctx, users[j].ID, asOf)
					case 1:
						_, err = e.Holders(w.ctx, w.cats["contact.email"].ID, true, asOf)
					case 2:
						_, err = e.Exposure(w.ctx, v.ID, asOf)
					case 3:
						e.Invalidate()
						e.InvalidateIndex()
						_, err = e.DataFlows(w.ctx, trace.FlowFilter{}, asOf)
					}
					if err != nil {
						errs <- err
					}
				}
			}()
		}
		// Writes while the questions run.
		for range 3 {
			w.record(w.user(), "contact.email", org)
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		hs, err := e.Holders(w.ctx, w.cats["contact.email"].ID, false, asOf)
		require.NoError(t, err)
		assert.Equal(t, 8, find(t, hs, "V").Users)
	})
}
