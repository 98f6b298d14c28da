package audit_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/auditevent"
	"github.com/privhub/privhub/ent/datarecord"
	"github.com/privhub/privhub/ent/securitymeasure"
	"github.com/privhub/privhub/ent/vendor"
	"github.com/privhub/privhub/internal/audit"
	"github.com/privhub/privhub/internal/store"
	"github.com/privhub/privhub/internal/store/storetest"
	"github.com/privhub/privhub/internal/vocab"
)

// events returns the whole trail in seq order.
func events(t *testing.T, db *store.DB) []*ent.AuditEvent {
	t.Helper()
	evs, err := db.Client.AuditEvent.Query().Order(auditevent.BySeq()).All(context.Background())
	require.NoError(t, err)
	return evs
}

// requireIntact fails the test unless the trail verifies and holds n events.
func requireIntact(t *testing.T, db *store.DB, n int) {
	t.Helper()
	rep, err := audit.Verify(context.Background(), db.Client)
	require.NoError(t, err)
	require.True(t, rep.OK, "first bad: %+v", rep.FirstBad)
	require.Equal(t, n, rep.Events)
}

func TestOneEventPerRowWritten(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := db.Client
		v, err := c.Vendor.Create().SetName("Acme").SetCountryID("cty_US").Save(ctx)
		require.NoError(t, err)
		ms, err := c.SecurityMeasure.CreateBulk(
			c.SecurityMeasure.Create().SetName("m1").SetKind(securitymeasure.KindTechnical).SetTopic(securitymeasure.TopicBackup),
			c.SecurityMeasure.Create().SetName("m2").SetKind(securitymeasure.KindTechnical).SetTopic(securitymeasure.TopicBackup),
			c.SecurityMeasure.Create().SetName("m3").SetKind(securitymeasure.KindTechnical).SetTopic(securitymeasure.TopicBackup),
		).Save(ctx)
		require.NoError(t, err)
		n, err := c.SecurityMeasure.Delete().Where(securitymeasure.TopicEQ(securitymeasure.TopicBackup)).Exec(ctx)
		require.NoError(t, err)
		require.Equal(t, 3, n)
		require.NoError(t, c.Vendor.DeleteOneID(v.ID).Exec(ctx))

		evs := events(t, db)
		require.Len(t, evs, 8)
		want := []struct{ action, typ, id string }{
			{"create", "Vendor", string(v.ID)},
			{"create", "SecurityMeasure", ""}, {"create", "SecurityMeasure", ""}, {"create", "SecurityMeasure", ""},
			{"delete", "SecurityMeasure", ""}, {"delete", "SecurityMeasure", ""}, {"delete", "SecurityMeasure", ""},
			{"delete", "Vendor", string(v.ID)},
		}
		created, deleted := map[string]bool{}, map[string]bool{}
		for i, ev := range evs {
			assert.Equal(t, int64(i+1), ev.Seq)
			assert.Equal(t, want[i].action, ev.Action, "event %d", i+1)
			assert.Equal(t, want[i].typ, ev.TargetType, "event %d", i+1)
			if want[i].id != "" {
				assert.Equal(t, want[i].id, ev.TargetID, "event %d", i+1)
			}
			assert.Equal(t, "system", ev.Actor)
			if ev.TargetType == "SecurityMeasure" && ev.Action == "create" {
				created[ev.TargetID] = true
			}
			if ev.TargetType == "SecurityMeasure" && ev.Action == "delete" {
				deleted[ev.TargetID] = true
				assert.Empty(t, ev.Changes)
			}
		}
		for _, m := range ms {
			assert.True(t, created[string(m.ID)], "create of %s", m.ID)
			assert.True(t, deleted[string(m.ID)], "delete of %s", m.ID)
		}
		assert.Equal(t, []any{"country_id", "created_at", "name", "review_cadence_months", "risk_rank", "risk_tier", "status", "updated_at"},
			evs[0].Changes["fields"])
		assert.Equal(t, []any{"country"}, evs[0].Changes["edges"])
		assert.Equal(t, map[string]any{"country": []any{"cty_US"}}, evs[0].Changes["linked"])
		requireIntact(t, db, 8)
	})
}

func TestUpdateRecordsBeforeAndAfter(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := db.Client
		v, err := c.Vendor.Create().SetName("Acme").SetLegalName("Acme Inc.").SetCountryID("cty_US").Save(ctx)
		require.NoError(t, err)
		_, err = c.Vendor.UpdateOneID(v.ID).SetName("Acme Europe").SetCountryID("cty_FR").ClearLegalName().Save(ctx)
		require.NoError(t, err)

		evs := events(t, db)
		require.Len(t, evs, 2)
		up := evs[1]
		assert.Equal(t, "update", up.Action)
		assert.Equal(t, string(v.ID), up.TargetID)
		assert.Equal(t, []any{"country_id", "legal_name", "name", "updated_at"}, up.Changes["fields"])
		before := up.Changes["before"].(map[string]any)
		after := up.Changes["after"].(map[string]any)
		assert.Equal(t, "Acme", before["name"])
		assert.Equal(t, "Acme Europe", after["name"])
		assert.Equal(t, "cty_US", before["country_id"])
		assert.Equal(t, "cty_FR", after["country_id"])
		assert.Equal(t, "Acme Inc.", before["legal_name"])
		assert.Contains(t, after, "legal_name")
		assert.Nil(t, after["legal_name"], "a cleared field is after: null")
		assert.Equal(t, []any{"country"}, up.Changes["edges"])

		// A bulk update: one event per row, with the new values.
		_, err = c.Vendor.Create().SetName("Beta").SetCountryID("cty_DE").Save(ctx)
		require.NoError(t, err)
		n, err := c.Vendor.Update().Where(vendor.CountryIDIn("cty_FR", "cty_DE")).SetStatus(vendor.StatusSuspended).Save(ctx)
		require.NoError(t, err)
		require.Equal(t, 2, n)
		evs = events(t, db)
		require.Len(t, evs, 5)
		for _, ev := range evs[3:] {
			assert.Equal(t, "update", ev.Action)
			assert.Equal(t, "SUSPENDED", ev.Changes["after"].(map[string]any)["status"])
			assert.NotContains(t, ev.Changes, "before")
		}
		assert.NotEqual(t, evs[3].TargetID, evs[4].TargetID)
		requireIntact(t, db, 5)
	})
}

func TestEdgeOnlyChangesAreRecorded(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := db.Client
		v, err := c.Vendor.Create().SetName("Acme").SetCountryID("cty_US").Save(ctx)
		require.NoError(t, err)
		m, err := c.SecurityMeasure.Create().SetName("Backups").SetKind(securitymeasure.KindTechnical).
			SetTopic(securitymeasure.TopicBackup).Save(ctx)
		require.NoError(t, err)
		require.NoError(t, c.SecurityMeasure.UpdateOne(m).AddVendorIDs(v.ID).Exec(ctx))
		require.NoError(t, c.SecurityMeasure.UpdateOne(m).RemoveVendorIDs(v.ID).Exec(ctx))

		evs := events(t, db)
		require.Len(t, evs, 4)
		assert.Equal(t, []any{"vendors"}, evs[2].Changes["edges"])
		assert.Equal(t, map[string]any{"vendors": []any{string(v.ID)}}, evs[2].Changes["linked"])
		assert.Equal(t, map[string]any{"vendors": []any{string(v.ID)}}, evs[3].Changes["unlinked"])
	})
}

func TestActorAndReasonAreRecorded(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := audit.WithActor(context.Background(), audit.Actor{Name: "dana", Role: "DPO", RequestID: "req-42"})
		ctx = audit.WithReason(ctx, "retention rule ret_1 (P2Y from collection)")
		_, err := db.Client.Vendor.Create().SetName("Acme").SetCountryID("cty_US").Save(ctx)
		require.NoError(t, err)
		evs := events(t, db)
		require.Len(t, evs, 1)
		assert.Equal(t, "dana", evs[0].Actor)
		assert.Equal(t, "DPO", evs[0].Role)
		assert.Equal(t, "req-42", evs[0].RequestID)
		assert.Equal(t, "retention rule ret_1 (P2Y from collection)", evs[0].Changes["reason"])
		requireIntact(t, db, 1)
	})
}

func TestTransactions(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		// Rolled back: no events.
		err := store.RunTx(ctx, db.Client, func(ctx context.Context, c *ent.Client) error {
			if _, err := c.Vendor.Create().SetName("Ghost").SetCountryID("cty_US").Save(ctx); err != nil {
				return err
			}
			return errors.New("changed my mind")
		})
		require.Error(t, err)
		assert.Empty(t, events(t, db))

		// Committed: the events come with the writes, in order.
		err = store.RunTx(ctx, db.Client, func(ctx context.Context, c *ent.Client) error {
			v, err := c.Vendor.Create().SetName("Acme").SetCountryID("cty_US").Save(ctx)
			if err != nil {
				return err
			}
			if err := c.Vendor.UpdateOne(v).SetName("Acme 2").Exec(ctx); err != nil {
				return err
			}
			return audit.Append(ctx, c, audit.Event{Action: "read", TargetType: "Vendor", TargetID: string(v.ID)})
		})
		require.NoError(t, err)
		evs := events(t, db)
		require.Len(t, evs, 3)
		actions := []string{evs[0].Action, evs[1].Action, evs[2].Action}
		// Append writes at once; the hook's events join at commit.
		assert.Equal(t, []string{"read", "create", "update"}, actions)
		requireIntact(t, db, 3)
	})
}

func TestConcurrentWritersKeepTheChainGapless(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		const writers, txs, rows = 8, 5, 3
		var wg sync.WaitGroup
		errs := make(chan error, 2*writers*txs)
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range txs {
					errs <- store.RunTx(ctx, db.Client, func(ctx context.Context, c *ent.Client) error {
						for r := range rows {
							name := fmt.Sprintf("w%d-t%d-r%d", w, i, r)
							if _, err := c.Organization.Create().SetName(name).SetCountryID("cty_BE").Save(ctx); err != nil {
								return err
							}
						}
						return nil
					})
					// And one write outside a transaction.
					_, err := db.Client.Organization.Create().SetName(fmt.Sprintf("w%d-t%d", w, i)).SetCountryID("cty_BE").Save(ctx)
					errs <- err
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			require.NoError(t, err)
		}
		const n = writers * txs * (rows + 1)
		evs := events(t, db)
		require.Len(t, evs, n)
		for i, ev := range evs {
			require.Equal(t, int64(i+1), ev.Seq)
		}
		requireIntact(t, db, n)
	})
}

func TestSuppressAndAppend(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		_, err := db.Client.Vendor.Create().SetName("Quiet").SetCountryID("cty_US").Save(audit.Suppress(ctx))
		require.NoError(t, err)
		assert.Empty(t, events(t, db))
		require.NoError(t, audit.Append(ctx, db.Client,
			audit.Event{Action: "generate", TargetType: "Dataset", TargetID: "seed-1", Changes: map[string]any{"vendors": 1}}))
		evs := events(t, db)
		require.Len(t, evs, 1)
		assert.Equal(t, "generate", evs[0].Action)
		assert.Equal(t, float64(1), evs[0].Changes["vendors"])
		requireIntact(t, db, 1)
	})
}

func TestManyEventsAtOnce(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		const n = 5200 // many insert chunks, and more than one page for Verify
		b := make([]*ent.SecurityMeasureCreate, n)
		for i := range b {
			b[i] = db.Client.SecurityMeasure.Create().SetName(fmt.Sprint("m", i)).
				SetKind(securitymeasure.KindOrganisational).SetTopic(securitymeasure.TopicTraining)
		}
		err := store.RunTx(audit.Suppress(ctx), db.Client, func(ctx context.Context, c *ent.Client) error {
			return c.SecurityMeasure.CreateBulk(b...).Exec(ctx)
		})
		require.NoError(t, err)
		err = store.RunTx(audit.WithReason(ctx, "sweep"), db.Client, func(ctx context.Context, c *ent.Client) error {
			_, err := c.SecurityMeasure.Delete().Exec(ctx)
			return err
		})
		require.NoError(t, err)
		evs := events(t, db)
		require.Len(t, evs, n)
		assert.Equal(t, "sweep", evs[n-1].Changes["reason"])
		requireIntact(t, db, n)
	})
}

func TestAuditFailureFailsTheWrite(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		err := store.RunTx(ctx, db.Client, func(ctx context.Context, c *ent.Client) error {
			if _, err := c.Vendor.Create().SetName("Acme").SetCountryID("cty_US").Save(ctx); err != nil {
				return err
			}
			// The trail cannot be written at commit: the commit fails.
			_, err := c.ExecContext(ctx, "DROP TABLE audit_events")
			return err
		})
		require.Error(t, err)
		assert.Contains(t, err.Error(), "audit")
		n, err := db.Client.Vendor.Query().Count(ctx)
		require.NoError(t, err)
		assert.Zero(t, n, "the write was rolled back with the trail")
		assert.Empty(t, events(t, db))
	})
}

func TestSensitiveValuesStayOutOfTheTrail(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := db.Client
		org, err := c.Organization.Create().SetName("Privhub SA").SetCountryID("cty_BE").Save(ctx)
		require.NoError(t, err)
		u, err := c.User.Create().SetExternalRef("u1").SetSubjectKind(vocab.SubjectCustomer).Save(ctx)
		require.NoError(t, err)
		cat, err := c.DataCategory.Create().SetKey("contact.phone").SetName("Phone").Save(ctx)
		require.NoError(t, err)
		rec, err := c.DataRecord.Create().SetUserID(u.ID).SetCategoryID(cat.ID).SetCollectorOrganizationID(org.ID).
			SetSource(datarecord.SourceProvided).SetValue("+32 470 00 00 00").Save(ctx)
		require.NoError(t, err)
		require.NoError(t, c.DataRecord.UpdateOneID(rec.ID).SetValue("+32 470 11 11 11").Exec(ctx))
		require.NoError(t, c.DataRecord.UpdateOneID(rec.ID).ClearValue().Exec(ctx))

		evs := events(t, db)
		require.Len(t, evs, 6)
		assert.Contains(t, evs[3].Changes["fields"], "value")
		set, cleared := evs[4].Changes, evs[5].Changes
		assert.Equal(t, "[redacted]", set["before"].(map[string]any)["value"])
		assert.Equal(t, "[redacted]", set["after"].(map[string]any)["value"])
		assert.Equal(t, "[redacted]", cleared["before"].(map[string]any)["value"])
		assert.Nil(t, cleared["after"].(map[string]any)["value"])
		for _, ev := range evs {
			assert.NotContains(t, fmt.Sprint(ev.Changes), "+32 470", "event #%d", ev.Seq)
		}
	})
}
