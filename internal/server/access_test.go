package server_test

import (
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/privhub/privhub/ent/auditevent"
	"github.com/privhub/privhub/graph"
	"github.com/privhub/privhub/internal/access"
	"github.com/privhub/privhub/internal/apitest"
	"github.com/privhub/privhub/internal/auth"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/server"
	"github.com/privhub/privhub/internal/store"
	"github.com/privhub/privhub/internal/store/storetest"
)

// allRoles are the roles of the role table.
var allRoles = []auth.Role{auth.RoleAdmin, auth.RoleDPO, auth.RoleAnalyst, auth.RoleViewer, auth.RoleSubject}

// operationFor writes the smallest valid operation calling one root field:
// every required argument gets a placeholder of its type, and an object
// answer selects __typename.
func operationFor(schema *ast.Schema, kind string, f *ast.FieldDefinition) string {
	var args []string
	for _, a := range f.Arguments {
		if a.Type.NonNull && a.DefaultValue == nil {
			args = append(args, a.Name+": "+placeholder(schema, a.Type, 0))
		}
	}
	call := f.Name
	if len(args) > 0 {
		call += "(" + strings.Join(args, ", ") + ")"
	}
	switch schema.Types[f.Type.Name()].Kind {
	case ast.Object, ast.Interface, ast.Union:
		call += " { __typename }"
	}
	return kind + " { " + call + " }"
}

// placeholder is a literal of type t that passes validation.
func placeholder(schema *ast.Schema, t *ast.Type, depth int) string {
	if t.Elem != nil {
		return "[]"
	}
	def := schema.Types[t.NamedType]
	switch def.Kind {
	case ast.Enum:
		return def.EnumValues[0].Name
	case ast.InputObject:
		var fields []string
		for _, f := range def.Fields {
			if f.Type.NonNull && f.DefaultValue == nil && depth < 4 {
				fields = append(fields, f.Name+": "+placeholder(schema, f.Type, depth+1))
			}
		}
		return "{" + strings.Join(fields, ", ") + "}"
	}
	switch t.NamedType {
	case "ID":
		return `"zzz_01j0000000000000000000000"`
	case "Int", "Float":
		return "1"
	case "Boolean":
		return "false"
	case "Time":
		return `"2020-01-01T00:00:00Z"`
	case "Map":
		return "{}"
	}
	return `"x"`
}

// TestRoleTable calls every query and mutation of the schema as every
// role: a role the policy does not allow gets FORBIDDEN and nothing else,
// and an allowed role never does. New fields are covered as they appear.
func TestRoleTable(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		schema := graph.NewExecutableSchema(graph.Config{Resolvers: &graph.Resolver{}}).Schema()
		policy := access.NewPolicy()
		a := newAPI(t, db, server.Config{})
		w := a.seedWorld()
		user := pulid.ID(w.User)
		clients := map[auth.Role]*apitest.Server{}
		for _, r := range allRoles {
			var u *pulid.ID
			if r == auth.RoleSubject {
				u = &user
			}
			clients[r] = a.s.As(r, u)
		}
		for _, kind := range []string{"query", "mutation"} {
			root := schema.Query
			if kind == "mutation" {
				root = schema.Mutation
			}
			names := make([]string, 0, len(root.Fields))
			for _, f := range root.Fields {
				if !strings.HasPrefix(f.Name, "__") {
					names = append(names, f.Name)
				}
			}
			sort.Strings(names)
			for _, name := range names {
				op := operationFor(schema, kind, root.Fields.ForName(name))
				for _, r := range allRoles {
					res := clients[r].WithT(t).Do(op, nil)
					forbidden := false
					for _, e := range res.Errors {
						require.NotEqual(t, "GRAPHQL_VALIDATION_FAILED", e.Code(), "%s: %s", op, e.Message)
						if e.Code() == "FORBIDDEN" {
							forbidden = true
						}
					}
					assert.Equal(t, !policy.Allows(r, root.Name, name), forbidden, "%s as %s: %v", op, r, res.Errors)
				}
			}
		}
	})
}

// TestAnalystSeesNoPersonalValue: an analyst lists users and gets their
// kind and status, but null and FORBIDDEN for each e-mail address, name and
// reference, and cannot filter or order by them; it writes nothing.
func TestAnalystSeesNoPersonalValue(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db, server.Config{})
		w := a.seedWorld()
		s := a.s.As(auth.RoleAnalyst, nil)
		r := s.Do(`{ users { edges { node { id subjectKind email name externalRef } } } }`, nil)
		require.Len(t, r.Errors, 3)
		for _, e := range r.Errors {
			assert.Equal(t, "FORBIDDEN", e.Code())
			require.Len(t, e.Path, 5)
			assert.Contains(t, []any{"email", "name", "externalRef"}, e.Path[4])
		}
		assert.Contains(t, string(r.Data), `"email":null`)
		assert.Contains(t, string(r.Data), `"subjectKind":"CUSTOMER"`)
		assert.NotContains(t, string(r.Data), "alice")

		for _, q := range []string{
			`{ users(where: {emailContains: "alice"}) { totalCount } }`,
			`{ users(where: {not: {nameHasPrefix: "A"}}) { totalCount } }`,
			`{ dataRecords(where: {hasUserWith: {externalRef: "acct-1"}}) { totalCount } }`,
			`{ users(orderBy: {field: EMAIL}) { totalCount } }`,
		} {
			requireOneError(t, s.Do(q, nil), "FORBIDDEN", "")
		}
		// The model, traces and findings are there; writes are not.
		ok := s.Do(`query($u: ID!) { trace(user: $u) { holdings { depth } } findings { totalCount } vendors { totalCount } }`, map[string]any{"u": w.User})
		require.Empty(t, ok.Errors)
		requireOneError(t, s.Do(`mutation { createDataCategory(input: {key: "x", name: "X"}) { dataCategory { id } } }`, nil), "FORBIDDEN", "")
	})
}

// TestViewerSeesTheRegistryOnly: a viewer reads vendors and their
// subprocessor notices, and nothing about people, flows or findings.
func TestViewerSeesTheRegistryOnly(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db, server.Config{})
		w := a.seedWorld()
		s := a.s.As(auth.RoleViewer, nil)
		r := s.Do(`{ vendors { edges { node { name country { code } subprocessorChanges { kind } } } } }`, nil)
		require.Empty(t, r.Errors)
		assert.Contains(t, string(r.Data), "Nimbra Cloud")
		for _, q := range []string{`{ users { totalCount } }`, `{ transfers { totalCount } }`, `{ findings { totalCount } }`,
			`{ vendors(first: 1) { edges { node { findings { id } } } } }`} {
			requireOneError(t, s.Do(q, nil), "FORBIDDEN", "")
		}
		hidden := s.Do(`query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": w.User})
		require.Empty(t, hidden.Errors)
		assert.JSONEq(t, `{"node": null}`, string(hidden.Data), "a user is not there for a viewer")
	})
}

// TestSubjectSeesOnlyItself: a subject token reads its own user, records,
// consents, requests and trace and acts for itself; any other user's node
// answers null exactly as an ID that does not exist.
func TestSubjectSeesOnlyItself(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db, server.Config{})
		w := a.seedWorld()
		other := a.create("User", map[string]any{"externalRef": "acct-2", "email": "bob@example.org", "name": "Bob", "subjectKind": "CUSTOMER"})
		otherRec := a.create("DataRecord", map[string]any{"userID": other, "categoryID": w.Child, "collectorOrganizationID": w.Org, "source": "PROVIDED"})
		mine := pulid.ID(w.User)
		s := a.s.As(auth.RoleSubject, &mine)

		r := s.Do(`query($id: ID!) { node(id: $id) { ... on User { email dataRecords { totalCount } consentHistory { id } requests { totalCount } trace { holdings { depth } } } } }`,
			map[string]any{"id": w.User})
		require.Empty(t, r.Errors)
		assert.Contains(t, string(r.Data), "alice@example.org")

		missing := s.Do(`query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": "usr_01j00000000000000000000000"})
		for _, id := range []string{other, otherRec} {
			probe := s.Do(`query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": id})
			require.Empty(t, probe.Errors)
			assert.Equal(t, string(missing.Body), string(probe.Body))
		}
		requireOneError(t, s.Do(`query($u: ID!) { trace(user: $u) { at } }`, map[string]any{"u": other}), "NOT_FOUND", "")
		requireOneError(t, s.Do(`{ users { totalCount } }`, nil), "FORBIDDEN", "")

		// It acts for itself only.
		submit := `mutation($u: ID!) { submitRequest(input: {user: $u, kind: ACCESS}) { request { id status } } }`
		require.Empty(t, s.Do(submit, map[string]any{"u": w.User}).Errors)
		requireOneError(t, s.Do(submit, map[string]any{"u": other}), "NOT_FOUND", "")
		consent := `mutation($u: ID!, $p: ID!) { recordConsent(input: {user: $u, purpose: $p, decision: OPTED_OUT}) { consent { id } } }`
		require.Empty(t, s.Do(consent, map[string]any{"u": w.User, "p": w.Purpose}).Errors)
		requireOneError(t, s.Do(consent, map[string]any{"u": other, "p": w.Purpose}), "NOT_FOUND", "")
		requireOneError(t, s.Do(`mutation($id: ID!) { deleteNode(input: {id: $id}) { deletedId } }`, map[string]any{"id": w.Vendor}), "FORBIDDEN", "")
	})
}

// TestAuditCompleteness: one audit event per write, and one per object
// whose personal values a query read.
func TestAuditCompleteness(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db, server.Config{})
		w := a.seedWorld()
		a.create("User", map[string]any{"externalRef": "acct-2", "email": "bob@example.org", "subjectKind": "CUSTOMER"})
		count := func(action string) int {
			return db.Client.AuditEvent.Query().Where(auditevent.Action(action)).CountX(t.Context())
		}

		creates := count("create")
		id := a.create("DataCategory", map[string]any{"key": "contact.fax", "name": "Fax"})
		assert.Equal(t, creates+1, count("create"))
		ev := db.Client.AuditEvent.Query().Where(auditevent.TargetID(id)).AllX(t.Context())
		require.Len(t, ev, 1)
		assert.Equal(t, "DataCategory", ev[0].TargetType)

		reads := count("read")
		a.data(`{ users { edges { node { email name } } } }`, nil)
		assert.Equal(t, reads+2, count("read"), "one event per user whose values were read")
		a.data(`{ users { edges { node { subjectKind } } } }`, nil)
		assert.Equal(t, reads+2, count("read"), "no personal value, no read event")
		ev = db.Client.AuditEvent.Query().Where(auditevent.Action("read"), auditevent.TargetID(w.User)).AllX(t.Context())
		require.Len(t, ev, 1)
		assert.Equal(t, []any{"email", "name"}, ev[0].Changes["fields"])
		assert.Equal(t, "ADMIN", ev[0].Role)
	})
}
