package trace_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/datarecord"
	"github.com/privhub/privhub/internal/store"
	"github.com/privhub/privhub/internal/store/storetest"
	"github.com/privhub/privhub/internal/trace"
	"github.com/privhub/privhub/internal/vocab"
)

// TestTraceFollowsWhatHappenedToThePerson: a record leaves its collector
// only on transfers made for one of its purposes, and a flow with
// disclosure batches on record reaches only the people a batch named (with
// the batch's categories), by the instant asked about.
func TestTraceFollowsWhatHappenedToThePerson(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		org := w.org("Org", "BE")
		mailer := w.vendor("Mailer", "FR")
		host := w.vendor("Host", "FR")
		organiser := w.vendor("Organiser", "ES")
		venue := w.vendor("Venue", "PT")
		w.transfer(org, mailer, flow{cats: []string{"contact.email"}, purposes: []string{"marketing"}})
		w.transfer(org, host, flow{cats: []string{"contact.all"}, purposes: []string{"service", "marketing"}})
		toOrganiser := w.transfer(org, organiser, flow{cats: []string{"contact.all", "identity.name"}, purposes: []string{"events"}, role: vocab.RoleController})
		toVenue := w.transfer(organiser, venue, flow{cats: []string{"identity.name"}, purposes: []string{"events"}, role: vocab.RoleController})

		record := func(u *ent.User, key string, purposes ...string) {
			c := w.c.DataRecord.Create().SetUserID(u.ID).SetCategoryID(w.cat(key).ID).
				SetSource(datarecord.SourceProvided).SetCollectedAt(since).SetCollectorOrganizationID(org.ID)
			for _, p := range purposes {
				c.AddPurposes(w.purpose(p))
			}
			require.NoError(t, c.Exec(w.ctx))
		}
		batch := func(tr *ent.Transfer, users []*ent.User, cats ...string) {
			c := w.c.Disclosure.Create().SetTransferID(tr.ID).SetDisclosedAt(day(2026, 3, 1)).SetReference("list").AddUsers(users...)
			for _, k := range cats {
				c.AddCategories(w.cat(k))
			}
			require.NoError(t, c.Exec(w.ctx))
		}
		customer, attendee := w.user(), w.user()
		record(customer, "contact.email", "service")
		record(attendee, "contact.email", "service", "marketing", "events")
		record(attendee, "identity.name", "events")
		batch(toOrganiser, []*ent.User{attendee}, "contact.email", "identity.name")
		batch(toVenue, []*ent.User{attendee}, "identity.name")

		e := trace.New(w.c)
		tr, err := e.Trace(w.ctx, customer.ID, asOf)
		require.NoError(t, err)
		assert.Equal(t, []string{"Org@0", "Host@1"}, names(tr.Holdings),
			"a service record reaches the host, not the marketing mailer, nor an organiser whose lists never named the customer")

		tr, err = e.Trace(w.ctx, attendee.ID, asOf)
		require.NoError(t, err)
		assert.Equal(t, []string{"Org@0", "Host@1", "Mailer@1", "Organiser@1", "Venue@2"}, names(tr.Holdings))
		assert.Equal(t, []string{"contact.email", "identity.name"}, catsOf(tr.Holdings, "Organiser"))
		assert.Equal(t, []string{"identity.name"}, catsOf(tr.Holdings, "Venue"), "the venue's list had names only")

		// Before the lists were sent, the organiser held nothing of theirs.
		tr, err = e.Trace(w.ctx, attendee.ID, day(2026, 2, 1))
		require.NoError(t, err)
		assert.Equal(t, []string{"Org@0", "Host@1", "Mailer@1"}, names(tr.Holdings))
	})
}
