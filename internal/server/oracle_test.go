package server_test

// No existence oracle: for every role, an ID that names an object the role
// may not see and an ID that names nothing give the same answer, byte for
// byte, in node, nodes and every query and mutation that takes an ID.

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/privhub/privhub/graph"
	"github.com/privhub/privhub/internal/auth"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/server"
	"github.com/privhub/privhub/internal/store"
	"github.com/privhub/privhub/internal/store/storetest"
)

// idOperations writes, for every root field that takes an ID somewhere in
// its required arguments (an id, a list of ids, an input's user), the
// smallest valid operation that passes the variable $id there, every other
// required argument getting a placeholder.
func idOperations(schema *ast.Schema) map[string]string {
	ops := map[string]string{}
	for _, kind := range []string{"query", "mutation"} {
		root := schema.Query
		if kind == "mutation" {
			root = schema.Mutation
		}
		for _, f := range root.Fields {
			if strings.HasPrefix(f.Name, "__") {
				continue
			}
			var args []string
			uses := false
			for _, a := range f.Arguments {
				if a.Type.NonNull && a.DefaultValue == nil {
					lit, used := idPlaceholder(schema, a.Type, 0)
					uses = uses || used
					args = append(args, a.Name+": "+lit)
				}
			}
			if !uses {
				continue
			}
			call := f.Name + "(" + strings.Join(args, ", ") + ")"
			switch schema.Types[f.Type.Name()].Kind {
			case ast.Object, ast.Interface, ast.Union:
				call += " { __typename }"
			}
			ops[kind+" "+f.Name] = kind + "($id: ID!) { " + call + " }"
		}
	}
	return ops
}

// idPlaceholder is placeholder with $id for every ID, and whether it used it.
func idPlaceholder(schema *ast.Schema, t *ast.Type, depth int) (string, bool) {
	if t.Elem != nil {
		if t.Elem.NamedType == "ID" {
			return "[$id]", true
		}
		return "[]", false
	}
	def := schema.Types[t.NamedType]
	if def.Kind == ast.InputObject {
		var fields []string
		used := false
		for _, f := range def.Fields {
			if f.Type.NonNull && f.DefaultValue == nil && depth < 4 {
				lit, u := idPlaceholder(schema, f.Type, depth+1)
				used = used || u
				fields = append(fields, f.Name+": "+lit)
			}
		}
		return "{" + strings.Join(fields, ", ") + "}", used
	}
	if t.NamedType == "ID" {
		return "$id", true
	}
	return placeholder(schema, t, depth), false
}

// missingLike returns a well-formed ID of the same type as id that names
// nothing.
func missingLike(id string) string {
	p := pulid.ID(id).Prefix()
	if p == "fnd" {
		return "fnd_000000000000000000000000"
	}
	return string(pulid.New(p))
}

func TestNoExistenceOracle(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db, server.Config{})
		all := a.oneOfEach()
		other := a.create("User", map[string]any{"externalRef": "acct-2", "email": "bob@example.org", "name": "Bob", "subjectKind": "CUSTOMER"})
		otherRec := a.create("DataRecord", map[string]any{"userID": other, "categoryID": all["DataCategory"], "collectorOrganizationID": all["Organization"], "source": "PROVIDED"})
		otherReq := a.create("Request", map[string]any{"userID": other, "kind": "ERASURE"})

		// What each role may not see: another user's data for a subject,
		// people, flows and findings for a viewer, operators, tokens and the
		// audit trail for an analyst, tokens and operators for a DPO, webhooks
		// for all three. An
		// admin sees everything: nothing is hidden from it.
		hidden := map[auth.Role][]string{
			auth.RoleDPO:     {all["APIToken"], all["Operator"]},
			auth.RoleAnalyst: {all["APIToken"], all["Operator"], all["AuditEvent"], all["RetentionItem"], all["WebhookSubscriber"]},
			auth.RoleViewer:  {all["User"], all["DataRecord"], all["Transfer"], all["Contract"], all["Consent"], all["Finding"], all["RetentionItem"], all["WebhookDelivery"]},
			auth.RoleSubject: {other, otherRec, otherReq, all["APIToken"], all["AuditEvent"], all["Finding"], all["RetentionItem"], all["WebhookSubscriber"]},
		}
		schema := graph.NewExecutableSchema(graph.Config{Resolvers: &graph.Resolver{}}).Schema()
		ops := idOperations(schema)
		require.Contains(t, ops, "query node")
		require.Contains(t, ops, "query nodes")
		require.Contains(t, ops, "mutation submitRequest")
		require.Contains(t, ops, "mutation deleteNode")
		user := pulid.ID(all["User"])
		for _, role := range allRoles {
			var u *pulid.ID
			if role == auth.RoleSubject {
				u = &user
			}
			s := a.s.As(role, u)
			for name, op := range ops {
				for _, id := range hidden[role] {
					missing := missingLike(id)
					t.Run(fmt.Sprintf("%s/%s/%s", role, name, id), func(t *testing.T) {
						c := s.WithT(t)
						got := c.Do(op, map[string]any{"id": id})
						want := c.Do(op, map[string]any{"id": missing})
						assert.Equal(t, want.Status, got.Status)
						if !bytes.Equal(want.Body, got.Body) {
							t.Errorf("%s as %s: an ID it may not see and a missing one answer differently:\n%s\n%s", name, role, got.Body, want.Body)
						}
					})
				}
			}
		}
	})
}

// TestNodeAnswersNullWithoutError: node and nodes answer null, with no
// error, for a malformed ID, an unknown one and one the caller may not see.
func TestNodeAnswersNullWithoutError(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db, server.Config{})
		w := a.seedWorld()
		viewer := a.s.As(auth.RoleViewer, nil)
		for _, id := range []string{"garbage", "", "vnd_", "zzz_01j00000000000000000000000", string(pulid.New("vnd")), "fnd_x", "rti_x", w.User} {
			r := viewer.Do(`query($id: ID!) { node(id: $id) { id } nodes(ids: [$id, $id]) { id } }`, map[string]any{"id": id})
			assert.Empty(t, r.Errors, "id %q", id)
			assert.JSONEq(t, `{"node": null, "nodes": [null, null]}`, string(r.Data), "id %q", id)
		}
		r := viewer.Do(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, map[string]any{"ids": []string{"garbage", w.Vendor, w.User}})
		assert.Empty(t, r.Errors)
		assert.JSONEq(t, `{"nodes": [null, {"id": "`+w.Vendor+`"}, null]}`, string(r.Data))
	})
}
