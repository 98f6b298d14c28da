package server_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/privhub/privhub/ent/datacategory"
	"github.com/privhub/privhub/ent/datarecord"
	"github.com/privhub/privhub/internal/demo"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/server"
	"github.com/privhub/privhub/internal/store"
	"github.com/privhub/privhub/internal/store/storetest"
)

// traceHolders returns the names of the holders in a user's trace now,
// leaving out our own organizations where they collected the data.
func traceHolders(t *testing.T, a *api, user string) map[string]bool {
	t.Helper()
	d := a.data(`query($u: ID!) { trace(user: $u) { holdings { depth holder { __typename name } } } }`, map[string]any{"u": user})
	names := map[string]bool{}
	for _, h := range dig(d, "trace.holdings").([]any) {
		if dig(h, "holder.__typename") == "Organization" && dig(h, "depth") == float64(0) {
			continue
		}
		names[dig(h, "holder.name").(string)] = true
	}
	return names
}

// TestErasureOnTheDemo erases DSR-003's customer: the invoices stay under
// the tax-law rule, everything else goes, and every downstream holder gets a
// task; erasing again changes nothing.
func TestErasureOnTheDemo(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		_, err := demo.Load(ctx, db.Client)
		require.NoError(t, err)
		a := newAPI(t, db, server.Config{})
		d := a.data(`{ requests(where: {reference: "DSR-003"}) { edges { node { id user { id } } } } }`, nil)
		req := dig(d, "requests.edges.0.node.id").(string)
		user := dig(d, "requests.edges.0.node.user.id").(string)
		uid := pulid.ID(user)
		invoices := db.Client.DataRecord.Query().
			Where(datarecord.UserID(uid), datarecord.HasCategoryWith(datacategory.Key("billing.invoice"))).CountX(ctx)
		require.Greater(t, invoices, 1)
		require.Greater(t, db.Client.DataRecord.Query().Where(datarecord.UserID(uid)).CountX(ctx), invoices)
		holders := traceHolders(t, a, user)

		erase := `mutation($id: ID!) { eraseRequest(input: {id: $id}) { request {
			status erasedAt retained { categoryKey until reason }
			tasks { status categories note holder { name } }
			user { status email name externalRef } } } }`
		r := dig(a.data(erase, map[string]any{"id": req}), "eraseRequest.request")

		// Only the invoices are left, counted in the database.
		left := db.Client.DataRecord.Query().Where(datarecord.UserID(uid)).WithCategory().AllX(ctx)
		require.Len(t, left, invoices)
		for _, rec := range left {
			assert.Equal(t, "billing.invoice", rec.Edges.Category.Key)
		}
		// Kept until the end of 2033: seven years after the fiscal year of the 2026 invoice.
		require.Len(t, dig(r, "retained"), 1)
		assert.Equal(t, "billing.invoice", dig(r, "retained.0.categoryKey"))
		requireTime(t, "2033-12-31T23:59:59Z", dig(r, "retained.0.until"))
		assert.Contains(t, dig(r, "retained.0.reason"), "Code of Economic Law")
		assert.Equal(t, "IN_PROGRESS", dig(r, "status"))
		assert.Equal(t, map[string]any{"status": "ANONYMIZED", "email": "", "name": "", "externalRef": "erased-" + user}, dig(r, "user"))

		// One task per downstream holder of the trace, naming what it must erase.
		tasks := map[string]bool{}
		for _, task := range dig(r, "tasks").([]any) {
			name := dig(task, "holder.name").(string)
			assert.False(t, tasks[name], "one task per holder: %s twice", name)
			tasks[name] = true
			cats, _ := dig(task, "categories").([]any)
			if dig(task, "status") == "PENDING" {
				assert.NotEmpty(t, cats, name)
			} else {
				assert.Equal(t, "NOT_REQUIRED", dig(task, "status"), name)
			}
			assert.NotContains(t, cats, "billing.invoice", "kept data is not to be erased downstream")
		}
		assert.Equal(t, holders, tasks)
		for _, v := range []string{"Postlane Mail SRL", "Orbis POS Inc.", "Baltic ERP Partners UAB"} {
			assert.True(t, tasks[v], "DEMO.md: a notice is due to %s", v)
		}

		// A second run changes nothing (the audit trail only records that
		// the answer read the user's reference again).
		before := rowCounts(t, db)
		again := dig(a.data(erase, map[string]any{"id": req}), "eraseRequest.request")
		assert.Equal(t, r, again)
		after := rowCounts(t, db)
		assert.Equal(t, before["audit_events"]+1, after["audit_events"])
		delete(before, "audit_events")
		delete(after, "audit_events")
		assert.Equal(t, before, after)

		// Completing the request closes it; a new erasure request for the
		// same user deletes nothing more.
		done := a.data(`mutation($id: ID!) { completeRequest(input: {id: $id}) { request { status } } }`, map[string]any{"id": req})
		assert.Equal(t, "COMPLETED", dig(done, "completeRequest.request.status"))
		second := a.submitRequest(user, "ERASURE", "2026-11-01T00:00:00Z", "")["id"].(string)
		r2 := dig(a.data(erase, map[string]any{"id": second}), "eraseRequest.request")
		assert.Equal(t, invoices, db.Client.DataRecord.Query().Where(datarecord.UserID(uid)).CountX(ctx))
		assert.Equal(t, "ANONYMIZED", dig(r2, "user.status"))

		// Only an erasure request erases.
		access := a.submitRequest(user, "ACCESS", "2026-11-01T00:00:00Z", "")["id"].(string)
		requireOneError(t, a.s.Do(erase, map[string]any{"id": access}), "BAD_USER_INPUT", "id")
	})
}

// TestErasureWithNothingToKeep erases a user none of whose data a law
// keeps: every record goes and the user is ERASED.
func TestErasureWithNothingToKeep(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := newAPI(t, db, server.Config{})
		w := a.seedWorld()
		a.create("DataRecord", map[string]any{"userID": w.User, "categoryID": w.Child, "collectorOrganizationID": w.Org, "source": "PROVIDED", "value": "alice@example.org"})
		req := a.submitRequest(w.User, "ERASURE", "2026-01-05T00:00:00Z", "")["id"].(string)
		r := a.data(`mutation($id: ID!) { completeRequest(input: {id: $id}) { request { status retained { categoryKey } user { status email } tasks { holder { name } } } } }`,
			map[string]any{"id": req})["completeRequest"].(map[string]any)["request"]
		assert.Equal(t, "COMPLETED", dig(r, "status"))
		assert.Equal(t, "ERASED", dig(r, "user.status"))
		assert.Empty(t, dig(r, "user.email"))
		assert.Empty(t, dig(r, "retained"))
		assert.Zero(t, db.Client.DataRecord.Query().Where(datarecord.UserID(pulid.ID(w.User))).CountX(ctx))
	})
}

// TestAccessExportOnTheDemo checks DSR-005's portability export holds every
// record (with its value), every consent and every holder of the trace.
func TestAccessExportOnTheDemo(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		_, err := demo.Load(ctx, db.Client)
		require.NoError(t, err)
		a := newAPI(t, db, server.Config{})
		d := a.data(`{ requests(where: {reference: "DSR-005"}) { edges { node { id user { id } export } } } }`, nil)
		user := dig(d, "requests.edges.0.node.user.id").(string)
		x := dig(d, "requests.edges.0.node.export").(map[string]any)
		assert.Equal(t, "privhub.subject-export/1", x["format"])
		assert.Equal(t, user, dig(x, "subject.id"))
		assert.NotEmpty(t, dig(x, "subject.email"))

		uid := pulid.ID(user)
		recs := db.Client.DataRecord.Query().Where(datarecord.UserID(uid)).AllX(ctx)
		require.NotEmpty(t, recs)
		exported := map[string]map[string]any{}
		for _, r := range x["records"].([]any) {
			exported[dig(r, "id").(string)] = r.(map[string]any)
		}
		require.Len(t, exported, len(recs))
		for _, r := range recs {
			e := exported[string(r.ID)]
			require.NotNil(t, e, "record %s is missing", r.ID)
			if r.Value != nil {
				assert.Equal(t, *r.Value, e["value"])
			}
			assert.NotEmpty(t, dig(e, "category.key"))
			assert.NotEmpty(t, dig(e, "collector.name"))
		}
		consents, _ := x["consents"].([]any)
		assert.Len(t, consents, db.Client.User.GetX(ctx, uid).QueryConsents().CountX(ctx))
		assert.NotEmpty(t, x["requests"])

		// Every holder of the trace, with its chain.
		holders := map[string]bool{}
		for _, h := range x["holders"].([]any) {
			holders[dig(h, "holder.name").(string)] = true
			if dig(h, "depth").(float64) > 0 {
				assert.NotEmpty(t, dig(h, "chain"))
				assert.NotEmpty(t, dig(h, "chain.0.mechanism"))
			}
		}
		want := traceHolders(t, a, user)
		for name := range want {
			assert.True(t, holders[name], "holder %s is missing from the export", name)
		}

		// Only access and portability requests come with an export.
		r := a.s.Do(`{ requests(where: {reference: "DSR-003"}) { edges { node { export } } } }`, nil)
		requireOneError(t, r, "BAD_USER_INPUT", "id")
	})
}
