package server_test

// Webhooks through the API: subscribers made, changed and deleted with the
// mutation convention, a secret that is never readable back, test events,
// the delivery log and who may use them.

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/internal/auth"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/server"
	"github.com/privhub/privhub/internal/store"
	"github.com/privhub/privhub/internal/store/storetest"
)

const createSubscriberQ = `mutation($in: CreateWebhookSubscriberInput!) { createWebhookSubscriber(input: $in) {
	clientMutationId secret webhookSubscriber { id url events active description } } }`

func TestWebhookSubscribersThroughTheAPI(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db, server.Config{})

		// Made without a secret: one is made and shown once.
		d := a.data(createSubscriberQ, map[string]any{"in": map[string]any{
			"clientMutationId": "c1", "url": "https://hooks.example.com/privhub",
			"events": []string{"subprocessor.change"}, "description": "the customer portal"}})
		assert.Equal(t, "c1", dig(d, "createWebhookSubscriber.clientMutationId"))
		secret, _ := dig(d, "createWebhookSubscriber.secret").(string)
		require.Regexp(t, `^whsec_[0-9a-f]{64}$`, secret)
		sub := dig(d, "createWebhookSubscriber.webhookSubscriber").(map[string]any)
		id := sub["id"].(string)
		assert.True(t, strings.HasPrefix(id, "whs_"))
		assert.Equal(t, []any{"subprocessor.change"}, sub["events"])
		assert.Equal(t, true, sub["active"])
		a.requireNodeType(id, "WebhookSubscriber")

		// Made with one: nothing is shown.
		d = a.data(createSubscriberQ, map[string]any{"in": map[string]any{
			"url": "https://second.example/hook", "events": []string{"*"}, "secret": "a-secret-of-my-own-1234"}})
		assert.Nil(t, dig(d, "createWebhookSubscriber.secret"))
		assert.Nil(t, dig(d, "createWebhookSubscriber.clientMutationId"))

		// The secret is in no type, no filter and no audit event.
		r := a.s.Do(`query($id: ID!) { node(id: $id) { ... on WebhookSubscriber { secret } } }`, map[string]any{"id": id})
		require.NotEmpty(t, r.Errors)
		r = a.s.Do(`{ webhookSubscribers(where: {secret: "x"}) { totalCount } }`, nil)
		require.NotEmpty(t, r.Errors)
		events, err := db.Client.AuditEvent.Query().All(context.Background())
		require.NoError(t, err)
		require.NotEmpty(t, events)
		for _, e := range events {
			assert.NotContains(t, fmt.Sprint(e.Changes), secret)
			assert.NotContains(t, fmt.Sprint(e.Changes), "a-secret-of-my-own-1234")
		}

		// Bad input names its field and writes nothing.
		before := rowCounts(t, db)
		for _, c := range []struct {
			in    map[string]any
			field string
		}{
			{map[string]any{"url": "ftp://x.example/", "events": []string{"*"}}, "url"},
			{map[string]any{"url": "https://u:p@x.example/", "events": []string{"*"}}, "url"},
			{map[string]any{"url": "https://x.example/", "events": []string{}}, "events"},
			{map[string]any{"url": "https://x.example/", "events": []string{"Not.Kind"}}, "events"},
			{map[string]any{"url": "https://x.example/", "events": []string{"*"}, "secret": "short"}, "secret"},
		} {
			requireOneError(t, a.s.Do(createSubscriberQ, map[string]any{"in": c.in}), "BAD_USER_INPUT", c.field)
		}
		assert.Equal(t, before, rowCounts(t, db))

		// Updated: fields left out keep their value; deactivated.
		d = a.data(`mutation($in: UpdateWebhookSubscriberInput!) { updateWebhookSubscriber(input: $in) {
			clientMutationId webhookSubscriber { id url events active description } } }`,
			map[string]any{"in": map[string]any{"clientMutationId": "u1", "id": id, "active": false,
				"events": []string{"subprocessor.change", "webhook.ping"}, "secret": "rotated-secret-0123456789"}})
		assert.Equal(t, "u1", dig(d, "updateWebhookSubscriber.clientMutationId"))
		assert.Equal(t, false, dig(d, "updateWebhookSubscriber.webhookSubscriber.active"))
		assert.Equal(t, "https://hooks.example.com/privhub", dig(d, "updateWebhookSubscriber.webhookSubscriber.url"))
		assert.Equal(t, "the customer portal", dig(d, "updateWebhookSubscriber.webhookSubscriber.description"))
		stored, err := db.Client.WebhookSubscriber.Get(context.Background(), pulid.ID(id))
		require.NoError(t, err)
		assert.Equal(t, "rotated-secret-0123456789", stored.Secret)

		const pingQ = `mutation($in: PingWebhookInput!) { pingWebhook(input: $in) { clientMutationId
			webhookEvent { id kind payload createdAt }
			webhookDeliveries { id status attempts nextAttemptAt subscriber { id } event { id } } } }`
		requireOneError(t, a.s.Do(pingQ, map[string]any{"in": map[string]any{"subscriberId": id}}), "BAD_USER_INPUT", "subscriberId")
		requireOneError(t, a.s.Do(pingQ, map[string]any{"in": map[string]any{"subscriberId": "whs_nothing"}}), "NOT_FOUND", "")
		a.data(`mutation($id: ID!) { updateWebhookSubscriber(input: {id: $id, active: true}) { webhookSubscriber { active } } }`,
			map[string]any{"id": id})

		d = a.data(pingQ, map[string]any{"in": map[string]any{"clientMutationId": "p1", "subscriberId": id}})
		assert.Equal(t, "p1", dig(d, "pingWebhook.clientMutationId"))
		assert.Equal(t, "webhook.ping", dig(d, "pingWebhook.webhookEvent.kind"))
		assert.Equal(t, id, dig(d, "pingWebhook.webhookEvent.payload.subscriber"))
		ds := dig(d, "pingWebhook.webhookDeliveries").([]any)
		require.Len(t, ds, 1)
		assert.Equal(t, "PENDING", dig(ds[0], "status"))
		assert.Equal(t, float64(0), dig(ds[0], "attempts"))
		assert.Equal(t, id, dig(ds[0], "subscriber.id"))
		deliveryID := dig(ds[0], "id").(string)
		assert.True(t, strings.HasPrefix(deliveryID, "whd_"))

		// Without a subscriber: one event to every active subscriber.
		d = a.data(pingQ, map[string]any{"in": map[string]any{}})
		assert.Len(t, dig(d, "pingWebhook.webhookDeliveries"), 2)

		// The delivery log, filtered by subscriber, status and event kind.
		const logQ = `query($w: WebhookDeliveryWhereInput) { webhookDeliveries(where: $w) { totalCount edges { node {
			id status subscriber { id url } event { kind payload } } } } }`
		count := func(w map[string]any) float64 {
			t.Helper()
			return dig(a.data(logQ, map[string]any{"w": w}), "webhookDeliveries.totalCount").(float64)
		}
		assert.Equal(t, float64(3), count(nil))
		assert.Equal(t, float64(2), count(map[string]any{"subscriberID": id}))
		assert.Equal(t, float64(3), count(map[string]any{"status": "PENDING"}))
		assert.Equal(t, float64(0), count(map[string]any{"status": "DELIVERED"}))
		assert.Equal(t, float64(3), count(map[string]any{"hasEventWith": []any{map[string]any{"kind": "webhook.ping"}}}))
		assert.Equal(t, float64(0), count(map[string]any{"hasEventWith": []any{map[string]any{"kind": "subprocessor.change"}}}))
		d = a.data(`query($id: ID!) { node(id: $id) { ... on WebhookSubscriber { deliveries { totalCount } } } }`, map[string]any{"id": id})
		assert.Equal(t, float64(2), dig(d, "node.deliveries.totalCount"))
		a.requireNodeType(deliveryID, "WebhookDelivery")

		// Who may: the registry's writers, no one else.
		dpo := a.s.As(auth.RoleDPO, nil)
		dpo.MustDo(`{ webhookDeliveries { totalCount } webhookSubscribers { totalCount } }`, nil, nil)
		for _, role := range []auth.Role{auth.RoleAnalyst, auth.RoleViewer} {
			s := a.s.As(role, nil)
			requireOneError(t, s.Do(`{ webhookDeliveries { totalCount } }`, nil), "FORBIDDEN", "")
			requireOneError(t, s.Do(`mutation { pingWebhook(input: {}) { webhookEvent { id } } }`, nil), "FORBIDDEN", "")
			d := map[string]any{}
			s.MustDo(`query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": id}, &d)
			assert.Nil(t, d["node"], "%s does not see subscribers", role)
		}

		// Deleted, with its delivery log.
		d = a.data(`mutation($in: DeleteWebhookSubscriberInput!) { deleteWebhookSubscriber(input: $in) {
			clientMutationId deletedWebhookSubscriberId } }`, map[string]any{"in": map[string]any{"clientMutationId": "d1", "id": id}})
		assert.Equal(t, "d1", dig(d, "deleteWebhookSubscriber.clientMutationId"))
		assert.Equal(t, id, dig(d, "deleteWebhookSubscriber.deletedWebhookSubscriberId"))
		a.requireGone("webhookSubscribers", "WebhookSubscriber", id)
		assert.Equal(t, float64(1), count(nil))
		requireOneError(t, a.s.Do(`mutation($id: ID!) { deleteWebhookSubscriber(input: {id: $id}) { deletedWebhookSubscriberId } }`,
			map[string]any{"id": id}), "NOT_FOUND", "")
	})
}

// TestWebhookDeliveriesHaveNoNPlusOne: the delivery log with each
// delivery's subscriber and event costs the same statements whatever the
// page size.
func TestWebhookDeliveriesHaveNoNPlusOne(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		var subs []*ent.WebhookSubscriber
		for i := range 4 {
			s, err := db.Client.WebhookSubscriber.Create().SetURL(fmt.Sprintf("https://h%d.example/", i)).
				SetSecret("whsec_nplusone-secret").SetEvents([]string{"*"}).Save(ctx)
			require.NoError(t, err)
			subs = append(subs, s)
		}
		var creates []*ent.WebhookDeliveryCreate
		for i := range 30 {
			ev, err := db.Client.WebhookEvent.Create().SetKind("test.event").SetPayload(fmt.Sprintf(`{"n":%d}`, i)).Save(ctx)
			require.NoError(t, err)
			for _, s := range subs {
				creates = append(creates, db.Client.WebhookDelivery.Create().SetSubscriberID(s.ID).SetEventID(ev.ID))
			}
		}
		require.NoError(t, db.Client.WebhookDelivery.CreateBulk(creates...).Exec(ctx))

		s, n := countingServer(t, db)
		measure := func(size int) int64 {
			var out struct {
				WebhookDeliveries struct {
					Edges []struct {
						Node struct {
							Status     string
							Subscriber struct{ URL string }
							Event      struct {
								Kind    string
								Payload map[string]any
							}
						}
					}
				}
			}
			n.Store(0)
			s.MustDo(`query($n: Int!) { webhookDeliveries(first: $n) { totalCount edges { node {
				status subscriber { url } event { kind payload } } } } }`, map[string]any{"n": size}, &out)
			count := n.Load()
			require.Len(t, out.WebhookDeliveries.Edges, size)
			for _, e := range out.WebhookDeliveries.Edges {
				require.NotEmpty(t, e.Node.Subscriber.URL)
				require.Equal(t, "test.event", e.Node.Event.Kind)
				require.Contains(t, e.Node.Event.Payload, "n")
			}
			return count
		}
		small, large := measure(10), measure(100)
		t.Logf("%s: statements at page size 10: %d, at 100: %d", db.Dialect, small, large)
		assert.Equal(t, small, large)
		assert.LessOrEqual(t, small, int64(6))
	})
}
