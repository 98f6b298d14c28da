package announce_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/contract"
	"github.com/privhub/privhub/ent/contractparty"
	"github.com/privhub/privhub/ent/informedparty"
	"github.com/privhub/privhub/ent/purpose"
	"github.com/privhub/privhub/ent/subprocessorannouncement"
	"github.com/privhub/privhub/ent/subprocessorobjection"
	"github.com/privhub/privhub/internal/announce"
	"github.com/privhub/privhub/internal/apperr"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/store"
	"github.com/privhub/privhub/internal/store/storetest"
	"github.com/privhub/privhub/internal/vocab"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// setup is an own organisation acting as processor for two controllers:
// Acme SA under a DPA with 30 days' notice, and Beta Corp under SCCs with
// 45; a DPA it signed as controller and an expired one owe nothing.
type setup struct {
	c                 *ent.Client
	proc, acme        *ent.Organization
	beta, host, old   *ent.Vendor
	acmeParty, betaCP *ent.ContractParty
	dpa, scc          *ent.Contract
	support           *ent.Purpose
	email             *ent.DataCategory
}

func newSetup(t *testing.T, db *store.DB) *setup {
	ctx := context.Background()
	c := db.Client
	s := &setup{c: c}
	s.acme = c.Organization.Create().SetName("Acme SA").SetCountryID("cty_BE").SaveX(ctx)
	s.proc = c.Organization.Create().SetName("Acme Inc.").SetCountryID("cty_US").SetParentID(s.acme.ID).SaveX(ctx)
	s.beta = c.Vendor.Create().SetName("Beta Corp").SetCountryID("cty_FR").SaveX(ctx)
	s.host = c.Vendor.Create().SetName("Hostly LLC").SetCountryID("cty_US").SaveX(ctx)
	s.old = c.Vendor.Create().SetName("Oldhost GmbH").SetCountryID("cty_DE").SaveX(ctx)
	signed := day(2024, 1, 10)
	s.dpa = c.Contract.Create().SetTitle("Acme DPA").SetKind(contract.KindDpa).SetSignedAt(signed).SetEffectiveAt(signed).SaveX(ctx)
	c.Clause.Create().SetContractID(s.dpa.ID).SetReference("Clause 7.7(a) Option 2").SetParameters(map[string]any{"noticeDays": "30"}).ExecX(ctx)
	s.acmeParty = c.ContractParty.Create().SetContractID(s.dpa.ID).SetOrganizationID(s.acme.ID).SetCapacity(vocab.RoleController).SaveX(ctx)
	c.ContractParty.Create().SetContractID(s.dpa.ID).SetOrganizationID(s.proc.ID).SetCapacity(vocab.RoleProcessor).ExecX(ctx)
	s.scc = c.Contract.Create().SetTitle("Beta SCC").SetKind(contract.KindScc).SetSccModule(contract.SccModuleC2p).SetSccDecision(contract.SccDecisionDecision2021_914).
		SetClause9Option(contract.Clause9OptionGeneralAuthorisation).SetClause9NoticeDays(45).SetSignedAt(signed).SaveX(ctx)
	s.betaCP = c.ContractParty.Create().SetContractID(s.scc.ID).SetVendorID(s.beta.ID).SetSide(contractparty.SideExporter).SetCapacity(vocab.RoleController).SaveX(ctx)
	c.ContractParty.Create().SetContractID(s.scc.ID).SetOrganizationID(s.proc.ID).SetSide(contractparty.SideImporter).SetCapacity(vocab.RoleProcessor).ExecX(ctx)
	// Not controller-facing: the processor is the controller here; and
	// an expired DPA.
	own := c.Contract.Create().SetTitle("Hostly DPA").SetKind(contract.KindDpa).SetSignedAt(signed).SaveX(ctx)
	c.ContractParty.Create().SetContractID(own.ID).SetOrganizationID(s.proc.ID).SetCapacity(vocab.RoleController).ExecX(ctx)
	c.ContractParty.Create().SetContractID(own.ID).SetVendorID(s.host.ID).SetCapacity(vocab.RoleProcessor).ExecX(ctx)
	expired := c.Contract.Create().SetTitle("Old DPA").SetKind(contract.KindDpa).SetSignedAt(day(2020, 1, 1)).SetExpiresAt(day(2023, 12, 31)).SaveX(ctx)
	c.ContractParty.Create().SetContractID(expired.ID).SetVendorID(s.old.ID).SetCapacity(vocab.RoleController).ExecX(ctx)
	c.ContractParty.Create().SetContractID(expired.ID).SetOrganizationID(s.proc.ID).SetCapacity(vocab.RoleProcessor).ExecX(ctx)
	s.support = c.Purpose.Create().SetKey("support").SetName("Customer support").SetLegalBasis(purpose.LegalBasisContract).SaveX(ctx)
	parent := c.DataCategory.Create().SetKey("contact").SetName("Contact details").SaveX(ctx)
	s.email = c.DataCategory.Create().SetKey("contact.email").SetName("E-mail address").SetParentID(parent.ID).SaveX(ctx)
	return s
}

// input announces Hostly as a new hosting subprocessor on 2026-06-01.
func (s *setup) input(effective time.Time) announce.Input {
	announced := day(2026, 6, 1).Add(9 * time.Hour)
	return announce.Input{Organization: s.proc.ID, Kind: subprocessorannouncement.KindAdded, Vendor: s.host.ID,
		Service: vocab.ServiceHosting, Mechanism: vocab.MechanismAdequacy, Purposes: []pulid.ID{s.support.ID},
		Categories: []pulid.ID{s.email.ID}, AnnouncedAt: &announced, EffectiveAt: effective}
}

func requireInvalid(t *testing.T, err error, field string) *apperr.Error {
	t.Helper()
	e, ok := apperr.As(err)
	require.True(t, ok, "want a BAD_USER_INPUT error, got %v", err)
	require.Equal(t, apperr.BadUserInput, e.Code)
	require.Equal(t, field, e.Field, e.Message)
	return e
}

func TestAnnounceInformsEveryControllerUnderItsContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newSetup(t, db)
		var events []announce.Event
		pub := announce.PublisherFunc(func(ctx context.Context, tx *ent.Tx, ev announce.Event) error {
			require.NotNil(t, tx)
			n, err := tx.InformedParty.Query().Count(ctx)
			require.NoError(t, err)
			assert.Equal(t, 2, n, "the event is published in the transaction, after the informed rows")
			events = append(events, ev)
			return nil
		})
		in := s.input(day(2026, 7, 16))
		portal := informedparty.ChannelPortal
		in.Informed = []announce.Recipient{{Party: s.betaCP.ID, Channel: &portal}}
		a, err := announce.Announce(ctx, s.c, pub, in, time.Now())
		require.NoError(t, err)
		assert.False(t, a.Forced)

		rows := s.c.InformedParty.Query().Order(informedparty.ByNoticeDays()).AllX(ctx)
		require.Len(t, rows, 2, "Acme under the DPA, Beta under the SCCs; not the own or the expired contract")
		assert.Equal(t, s.acmeParty.ID, rows[0].ContractPartyID)
		assert.Equal(t, s.dpa.ID, rows[0].ContractID)
		assert.Equal(t, 30, rows[0].NoticeDays)
		assert.Equal(t, informedparty.ChannelEmail, rows[0].Channel)
		assert.Equal(t, s.betaCP.ID, rows[1].ContractPartyID)
		assert.Equal(t, 45, rows[1].NoticeDays)
		assert.Equal(t, informedparty.ChannelPortal, rows[1].Channel)
		for _, r := range rows {
			assert.True(t, r.InTime)
			assert.True(t, r.InformedAt.Equal(*in.AnnouncedAt), "informed when announced, by default")
		}

		require.Len(t, events, 1)
		ev := events[0]
		assert.Equal(t, announce.EventKind, ev.Kind)
		assert.Equal(t, a.ID, ev.AnnouncementID)
		assert.Equal(t, "Acme Inc.", ev.Organization)
		assert.Equal(t, "Hostly LLC", ev.Change.Vendor)
		assert.Equal(t, "United States", ev.Change.Country)
		assert.Equal(t, []string{"Customer support"}, ev.Change.Purposes)
		assert.Equal(t, []string{"Contact details"}, ev.Change.DataCategories, "coarse: the top of the taxonomy")
	})
}

func TestAnnounceRefusesTooEarlyUnlessForced(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newSetup(t, db)
		// 30 days' notice is enough for Acme, not for Beta's 45.
		_, err := announce.Announce(ctx, s.c, nil, s.input(day(2026, 7, 1)), time.Now())
		e := requireInvalid(t, err, "effectiveAt")
		assert.Contains(t, e.Message, `"Beta SCC"`)
		assert.Contains(t, e.Message, "Beta Corp")
		assert.Contains(t, e.Message, "2026-07-16", "the earliest allowed date")
		assert.Zero(t, s.c.SubprocessorAnnouncement.Query().CountX(ctx), "nothing written")
		assert.Zero(t, s.c.InformedParty.Query().CountX(ctx))

		in := s.input(day(2026, 6, 10))
		_, err = announce.Announce(ctx, s.c, nil, in, time.Now())
		e = requireInvalid(t, err, "effectiveAt")
		assert.Contains(t, e.Message, "under one more contract")

		in.Force = true
		_, err = announce.Announce(ctx, s.c, nil, in, time.Now())
		requireInvalid(t, err, "reason")

		reason := "Oldhost shuts down on 2026-06-09"
		in.Reason = &reason
		a, err := announce.Announce(ctx, s.c, nil, in, time.Now())
		require.NoError(t, err)
		assert.True(t, a.Forced)
		assert.Equal(t, reason, a.ForceReason)
		late := s.c.InformedParty.Query().Where(informedparty.InTime(false)).CountX(ctx)
		assert.Equal(t, 2, late, "both controllers were informed too late, and it says so")
	})
}

func TestAnnouncePublisherFailureWritesNothing(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newSetup(t, db)
		boom := errors.New("outbox unavailable")
		_, err := announce.Announce(ctx, s.c, announce.PublisherFunc(func(context.Context, *ent.Tx, announce.Event) error { return boom }),
			s.input(day(2026, 8, 1)), time.Now())
		require.ErrorIs(t, err, boom)
		assert.Zero(t, s.c.SubprocessorAnnouncement.Query().CountX(ctx))
		assert.Zero(t, s.c.InformedParty.Query().CountX(ctx))
	})
}

func TestAnnounceRefusesBadInput(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newSetup(t, db)
		effective := day(2026, 8, 1)
		cases := []struct {
			field  string
			change func(*announce.Input)
		}{
			{"organization", func(in *announce.Input) { in.Organization = pulid.New("org") }},
			{"vendor", func(in *announce.Input) { in.Vendor = pulid.New("vnd") }},
			{"replaces", func(in *announce.Input) { in.Kind = subprocessorannouncement.KindReplaced }},
			{"replaces", func(in *announce.Input) { in.Replaces = &s.old.ID }},
			{"replaces", func(in *announce.Input) {
				in.Kind, in.Replaces = subprocessorannouncement.KindReplaced, &s.host.ID
			}},
			{"kind", func(in *announce.Input) { in.Kind = "RENAMED" }},
			{"service", func(in *announce.Input) { in.Service = "BAKERY" }},
			{"mechanism", func(in *announce.Input) { in.Mechanism = "" }},
			{"country", func(in *announce.Input) { c := pulid.ID("cty_XX"); in.Country = &c }},
			{"purposes", func(in *announce.Input) { in.Purposes = append(in.Purposes, pulid.New("pur")) }},
			{"categories", func(in *announce.Input) { in.Categories = []pulid.ID{s.support.ID} }},
			{"effectiveAt", func(in *announce.Input) { in.EffectiveAt = time.Time{} }},
			{"effectiveAt", func(in *announce.Input) { in.EffectiveAt = day(2026, 5, 31) }},
			{"informed", func(in *announce.Input) { in.Informed = []announce.Recipient{{Party: pulid.New("cpt")}} }},
			{"channel", func(in *announce.Input) { ch := informedparty.Channel("PIGEON"); in.Channel = &ch }},
		}
		for _, c := range cases {
			in := s.input(effective)
			c.change(&in)
			_, err := announce.Announce(ctx, s.c, nil, in, time.Now())
			requireInvalid(t, err, c.field)
		}
		assert.Zero(t, s.c.SubprocessorAnnouncement.Query().CountX(ctx))
	})
}

func TestObjections(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newSetup(t, db)
		a, err := announce.Announce(ctx, s.c, nil, s.input(day(2026, 8, 1)), time.Now())
		require.NoError(t, err)
		in := announce.ObjectionInput{Announcement: a.ID, Party: s.betaCP.ID, Text: "  We object to hosting in the US.  "}

		before, after, inside := day(2026, 5, 20), day(2026, 8, 2), day(2026, 6, 20)
		in.ReceivedAt = &before
		_, err = announce.Object(ctx, s.c, in, time.Now())
		requireInvalid(t, err, "receivedAt")
		in.ReceivedAt = &after
		_, err = announce.Object(ctx, s.c, in, time.Now())
		requireInvalid(t, err, "receivedAt")

		stranger := in
		stranger.ReceivedAt, stranger.Party = &inside, pulid.New("cpt")
		_, err = announce.Object(ctx, s.c, stranger, time.Now())
		requireInvalid(t, err, "party")

		in.ReceivedAt = &inside
		o, err := announce.Object(ctx, s.c, in, time.Now())
		require.NoError(t, err)
		assert.Equal(t, "We object to hosting in the US.", o.Text)
		assert.Equal(t, subprocessorobjection.OutcomePending, o.Outcome)
		assert.Nil(t, o.DecidedAt)

		early := day(2026, 6, 1)
		_, err = announce.Decide(ctx, s.c, o.ID, subprocessorobjection.OutcomeUpheld, &early, time.Now())
		requireInvalid(t, err, "decidedAt")
		decided := day(2026, 6, 25)
		o, err = announce.Decide(ctx, s.c, o.ID, subprocessorobjection.OutcomeUpheld, &decided, time.Now())
		require.NoError(t, err)
		assert.Equal(t, subprocessorobjection.OutcomeUpheld, o.Outcome)
		require.NotNil(t, o.DecidedAt)
		assert.True(t, o.DecidedAt.Equal(decided))
		o, err = announce.Decide(ctx, s.c, o.ID, subprocessorobjection.OutcomePending, nil, time.Now())
		require.NoError(t, err)
		assert.Nil(t, o.DecidedAt, "reopened")
	})
}

func TestLists(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newSetup(t, db)
		add := s.input(day(2026, 7, 20))
		_, err := announce.Announce(ctx, s.c, nil, add, time.Now())
		require.NoError(t, err)
		swap := s.input(day(2026, 9, 1))
		announced := day(2026, 7, 1)
		swap.AnnouncedAt, swap.Kind, swap.Vendor, swap.Replaces = &announced, subprocessorannouncement.KindReplaced, s.old.ID, &s.host.ID
		_, err = announce.Announce(ctx, s.c, nil, swap, time.Now())
		require.NoError(t, err)

		names := func(es []announce.Entry) []string {
			var out []string
			for _, e := range es {
				out = append(out, e.Vendor)
			}
			return out
		}
		lists, err := announce.Lists(ctx, s.c, day(2026, 6, 15), "")
		require.NoError(t, err)
		require.Len(t, lists, 1)
		assert.Equal(t, "Acme Inc.", lists[0].Organization)
		assert.Empty(t, lists[0].Subprocessors, "announced, not in effect yet")
		require.Len(t, lists[0].Changes, 1)
		assert.True(t, lists[0].Changes[0].Pending(day(2026, 6, 15)))

		lists, err = announce.Lists(ctx, s.c, day(2026, 8, 1), "acme inc.")
		require.NoError(t, err)
		require.Len(t, lists, 1)
		assert.Equal(t, []string{"Hostly LLC"}, names(lists[0].Subprocessors))
		require.Len(t, lists[0].Changes, 2)
		assert.Equal(t, "Oldhost GmbH", lists[0].Changes[0].Vendor, "the latest first")
		assert.Equal(t, "Hostly LLC", lists[0].Changes[0].Replaces)

		lists, err = announce.Lists(ctx, s.c, day(2026, 9, 1), string(s.proc.ID))
		require.NoError(t, err)
		assert.Equal(t, []string{"Oldhost GmbH"}, names(lists[0].Subprocessors), "replaced on its effective day")

		lists, err = announce.Lists(ctx, s.c, day(2026, 9, 1), "Acme SA")
		require.NoError(t, err)
		require.Len(t, lists, 1, "an organisation without announcements has an empty list")
		assert.Empty(t, lists[0].Changes)
		_, err = announce.Lists(ctx, s.c, day(2026, 9, 1), "Nobody Ltd")
		e, ok := apperr.As(err)
		require.True(t, ok)
		assert.Equal(t, apperr.NotFound, e.Code)
	})
}
