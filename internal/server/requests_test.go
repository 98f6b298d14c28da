package server_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/privhub/privhub/internal/server"
	"github.com/privhub/privhub/internal/store"
	"github.com/privhub/privhub/internal/store/storetest"
)

// submitRequest submits a request received at received and returns it
// with SEL.
func (a *api) submitRequest(user, kind, received, sel string) map[string]any {
	a.t.Helper()
	q := `mutation($in: SubmitRequestInput!) { submitRequest(input: $in) { request { id ` + sel + ` } } }`
	obj, _ := dig(a.data(q, map[string]any{"in": map[string]any{"user": user, "kind": kind, "receivedAt": received}}), "submitRequest.request").(map[string]any)
	require.NotNil(a.t, obj)
	return obj
}

// TestRequestDeadlines checks the one-calendar-month deadline at month ends
// and in leap years, and extensions up to two months in all.
func TestRequestDeadlines(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db, server.Config{})
		w := a.seedWorld()
		for _, c := range []struct{ received, due string }{
			{"2023-01-31T10:00:00Z", "2023-02-28T10:00:00Z"}, // no 31 February: the last day
			{"2024-01-31T10:00:00Z", "2024-02-29T10:00:00Z"}, // a leap year
			{"2024-03-31T00:00:00Z", "2024-04-30T00:00:00Z"},
			{"2024-12-15T08:30:00Z", "2025-01-15T08:30:00Z"}, // across the year end
			{"2025-02-28T12:00:00Z", "2025-03-28T12:00:00Z"},
		} {
			r := a.submitRequest(w.User, "ACCESS", c.received, `status dueAt history { status at }`)
			requireTime(t, c.due, r["dueAt"])
			assert.Equal(t, "RECEIVED", r["status"])
			assert.Equal(t, "RECEIVED", dig(r, "history.0.status"))
		}

		// Received on 31 January 2024: one month to 29 February, extended by
		// one and then one more month, to 31 March and 30 April.
		id := a.submitRequest(w.User, "ERASURE", "2024-01-31T09:00:00Z", "")["id"].(string)
		extend := `mutation($id: ID!, $m: Int!, $why: String!, $at: Time) {
			extendRequest(input: {id: $id, months: $m, reason: $why, notifiedAt: $at}) { request { dueAt extensionMonths extensionReason extensionNotifiedAt history { status note } } } }`
		r := a.data(extend, map[string]any{"id": id, "m": 1, "why": "backups on tape", "at": "2024-02-10T00:00:00Z"})["extendRequest"].(map[string]any)["request"]
		requireTime(t, "2024-03-31T09:00:00Z", dig(r, "dueAt"))
		r = a.data(extend, map[string]any{"id": id, "m": 1, "why": "a second vendor", "at": "2024-02-20T00:00:00Z"})["extendRequest"].(map[string]any)["request"]
		requireTime(t, "2024-04-30T09:00:00Z", dig(r, "dueAt"))
		assert.EqualValues(t, 2, dig(r, "extensionMonths"))
		assert.Equal(t, "backups on tape; a second vendor", dig(r, "extensionReason"))
		requireTime(t, "2024-02-10T00:00:00Z", dig(r, "extensionNotifiedAt"))
		assert.Equal(t, "EXTENDED", dig(r, "history.2.status"))

		// A third month, too long an extension, a late notice, no reason: refused, nothing written.
		before := rowCounts(t, db)
		requireOneError(t, a.s.Do(extend, map[string]any{"id": id, "m": 1, "why": "more", "at": "2024-02-21T00:00:00Z"}), "BAD_USER_INPUT", "months")
		other := a.submitRequest(w.User, "ACCESS", "2024-05-01T00:00:00Z", "")["id"].(string)
		before = rowCounts(t, db)
		requireOneError(t, a.s.Do(extend, map[string]any{"id": other, "m": 3, "why": "x", "at": "2024-05-02T00:00:00Z"}), "BAD_USER_INPUT", "months")
		requireOneError(t, a.s.Do(extend, map[string]any{"id": other, "m": 1, "why": "x", "at": "2024-06-02T00:00:00Z"}), "BAD_USER_INPUT", "notifiedAt")
		requireOneError(t, a.s.Do(extend, map[string]any{"id": other, "m": 1, "why": "  ", "at": "2024-05-02T00:00:00Z"}), "BAD_USER_INPUT", "reason")
		requireOneError(t, a.s.Do(extend, map[string]any{"id": "req_01j00000000000000000000000", "m": 1, "why": "x"}), "NOT_FOUND", "")
		assert.Equal(t, before, rowCounts(t, db))

		// Completing and rejecting close a request; a closed one stays closed.
		done := a.data(`mutation($id: ID!) { completeRequest(input: {id: $id, note: "export sent"}) { request { status completedAt history { status note } } } }`,
			map[string]any{"id": other})["completeRequest"].(map[string]any)["request"]
		assert.Equal(t, "COMPLETED", dig(done, "status"))
		assert.NotNil(t, dig(done, "completedAt"))
		assert.Equal(t, "export sent", dig(done, "history.1.note"))
		requireOneError(t, a.s.Do(`mutation($id: ID!) { rejectRequest(input: {id: $id, reason: "late"}) { request { id } } }`, map[string]any{"id": other}), "CONFLICT", "")
		third := a.submitRequest(w.User, "OBJECTION", "2024-05-01T00:00:00Z", "")["id"].(string)
		requireOneError(t, a.s.Do(`mutation($id: ID!) { rejectRequest(input: {id: $id, reason: ""}) { request { id } } }`, map[string]any{"id": third}), "BAD_USER_INPUT", "reason")
		rej := a.data(`mutation($id: ID!) { rejectRequest(input: {id: $id, reason: "identity not proven"}) { request { status history { status note } } } }`,
			map[string]any{"id": third})["rejectRequest"].(map[string]any)["request"]
		assert.Equal(t, "REJECTED", dig(rej, "status"))
		assert.Equal(t, "identity not proven", dig(rej, "history.1.note"))

		// Bad input: an unknown user, a receipt in the future.
		q := `mutation($in: SubmitRequestInput!) { submitRequest(input: $in) { request { id } } }`
		requireOneError(t, a.s.Do(q, map[string]any{"in": map[string]any{"user": "usr_01j00000000000000000000000", "kind": "ACCESS"}}), "BAD_USER_INPUT", "user")
		requireOneError(t, a.s.Do(q, map[string]any{"in": map[string]any{"user": w.User, "kind": "ACCESS", "receivedAt": "2999-01-01T00:00:00Z"}}), "BAD_USER_INPUT", "receivedAt")
	})
}

// TestRectificationKeepsBeforeAndAfter corrects a user's e-mail address and
// a record's value for a rectification request: the audit trail keeps the
// old and new values, and the request notes what changed.
func TestRectificationKeepsBeforeAndAfter(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db, server.Config{})
		w := a.seedWorld()
		rec := a.create("DataRecord", map[string]any{"userID": w.User, "categoryID": w.Child, "collectorOrganizationID": w.Org, "source": "PROVIDED", "value": "+33 1 23 45 67 89"})
		req := a.submitRequest(w.User, "RECTIFICATION", "2026-02-01T00:00:00Z", "")["id"].(string)

		u := a.data(`mutation($id: ID!, $r: ID) { rectifyUser(input: {id: $id, request: $r, email: "alice@example.com"}) { user { email } } }`,
			map[string]any{"id": w.User, "r": req})
		assert.Equal(t, "alice@example.com", dig(u, "rectifyUser.user.email"))
		a.data(`mutation($id: ID!, $r: ID) { rectifyDataRecord(input: {id: $id, value: "+33 1 98 76 54 32", request: $r}) { dataRecord { id } } }`,
			map[string]any{"id": rec, "r": req})

		trail := func(target string) map[string]any {
			d := a.data(`query($t: String!) { auditEvents(where: {targetID: $t, action: "update"}) { edges { node { action changes } } } }`,
				map[string]any{"t": target})
			edges := dig(d, "auditEvents.edges").([]any)
			require.NotEmpty(t, edges, "no update event for %s", target)
			return dig(edges[len(edges)-1], "node.changes").(map[string]any)
		}
		ch := trail(w.User)
		assert.Equal(t, "alice@example.org", dig(ch, "before.email"))
		assert.Equal(t, "alice@example.com", dig(ch, "after.email"))
		assert.Contains(t, ch["reason"], "rectification")
		ch = trail(rec)
		assert.Equal(t, "+33 1 23 45 67 89", dig(ch, "before.value"))
		assert.Equal(t, "+33 1 98 76 54 32", dig(ch, "after.value"))

		r := a.node(req, "Request", `status history { status note }`)
		assert.Equal(t, "IN_PROGRESS", r["status"])
		assert.Contains(t, dig(r, "history.1.note"), "corrected email")

		// Rectifying for another kind of request, or correcting nothing, is refused.
		other := a.submitRequest(w.User, "ACCESS", "2026-02-01T00:00:00Z", "")["id"].(string)
		requireOneError(t, a.s.Do(`mutation($id: ID!, $r: ID) { rectifyUser(input: {id: $id, request: $r, name: "A"}) { user { id } } }`,
			map[string]any{"id": w.User, "r": other}), "BAD_USER_INPUT", "request")
		requireOneError(t, a.s.Do(`mutation($id: ID!) { rectifyUser(input: {id: $id}) { user { id } } }`,
			map[string]any{"id": w.User}), "BAD_USER_INPUT", "input")
	})
}
