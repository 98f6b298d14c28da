package server_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/privhub/privhub/ent/datarecord"
	"github.com/privhub/privhub/internal/demo"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/server"
	"github.com/privhub/privhub/internal/store"
	"github.com/privhub/privhub/internal/store/storetest"
)

// TestErasurePreviewOnTheDemo previews the erasure of DSR-003's customer:
// the invoices are kept to their fiscal deadline, processors are apart from
// the controllers notified under Art. 19, nothing is written, and the
// erasure then does what the preview said.
func TestErasurePreviewOnTheDemo(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		_, err := demo.Load(ctx, db.Client)
		require.NoError(t, err)
		a := newAPI(t, db, server.Config{})
		d := a.data(`{ requests(where: {reference: "DSR-003"}) { edges { node { id user { id } } } } }`, nil)
		req := dig(d, "requests.edges.0.node.id").(string)
		user := dig(d, "requests.edges.0.node.user.id").(string)
		before := db.Client.DataRecord.Query().Where(datarecord.UserID(pulid.ID(user))).CountX(ctx)

		p := a.data(`query($u: ID!) { erasurePreview(user: $u) {
			deleted { categoryKey records } retained { categoryKey until reason }
			instruct { holder { __typename name } role erase kept required }
			notify { holder { __typename name } role erase kept required } } }`, map[string]any{"u": user})["erasurePreview"]
		retained := dig(p, "retained").([]any)
		require.Len(t, retained, 1)
		assert.Equal(t, "billing.invoice", dig(retained[0], "categoryKey"))
		assert.Contains(t, dig(retained[0], "until"), "2033-12-31")
		deleted := 0
		for _, c := range dig(p, "deleted").([]any) {
			assert.NotEqual(t, "billing.invoice", dig(c, "categoryKey"))
			deleted += int(dig(c, "records").(float64))
		}
		assert.Positive(t, deleted)

		roles := func(list string) map[string]string {
			out := map[string]string{}
			for _, r := range dig(p, list).([]any) {
				out[dig(r, "holder.name").(string)] = dig(r, "role").(string)
			}
			return out
		}
		instruct, notify := roles("instruct"), roles("notify")
		for name, role := range instruct {
			assert.Contains(t, []string{"PROCESSOR", "SUBPROCESSOR"}, role, name)
		}
		for name, role := range notify {
			assert.Contains(t, []string{"CONTROLLER", "JOINT_CONTROLLER"}, role, name)
		}
		assert.Contains(t, instruct, "Postlane Mail SRL", "the e-mail processor is instructed")
		assert.Contains(t, notify, "Orbis POS Inc.", "the sponsor is notified under Art. 19")
		assert.Contains(t, notify, "Baltic ERP Partners UAB", "the partner is notified under Art. 19")

		// Nothing was written.
		assert.Equal(t, before, db.Client.DataRecord.Query().Where(datarecord.UserID(pulid.ID(user))).CountX(ctx))
		assert.Equal(t, "RECEIVED", dig(a.data(`query($id: ID!) { node(id: $id) { ... on Request { status } } }`, map[string]any{"id": req}), "node.status"))

		// The erasure does what the preview said.
		r := a.data(`mutation($id: ID!) { eraseRequest(input: {id: $id}) { request { tasks { holder { name } note status } } } }`, map[string]any{"id": req})["eraseRequest"].(map[string]any)["request"]
		tasks := map[string]string{}
		for _, tk := range dig(r, "tasks").([]any) {
			tasks[dig(tk, "holder.name").(string)] = dig(tk, "note").(string)
		}
		assert.Len(t, tasks, len(instruct)+len(notify))
		assert.Contains(t, tasks["Postlane Mail SRL"], "instruct")
		assert.Contains(t, tasks["Orbis POS Inc."], "Art. 19")
		assert.Equal(t, before-deleted, db.Client.DataRecord.Query().Where(datarecord.UserID(pulid.ID(user))).CountX(ctx))
	})
}
