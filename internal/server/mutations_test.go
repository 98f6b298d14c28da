package server_test

// The mutation convention (the Mutation type's description in
// schema/privhub.graphql): every mutation is verbNoun(input:
// VerbNounInput!): VerbNounPayload!, its input carries clientMutationId,
// and its payload echoes it beside the changed node.

import (
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/privhub/privhub/internal/server"
	"github.com/privhub/privhub/internal/store"
	"github.com/privhub/privhub/internal/store/storetest"
)

// payloadWithoutNode names the mutations whose payload carries no Node,
// each with the field it carries instead and why. (Lists of nodes a
// payload carries beside its node, such as the deliveries a ping made, are
// extra fields the convention allows.)
var payloadWithoutNode = map[string]struct{ field, why string }{
	"deleteNode":              {"deletedId", "the node it changed no longer exists: the payload names its ID, for Relay's @deleteRecord"},
	"runRetentionSweep":       {"sweepReport", "a sweep changes many records at once: the payload is its report"},
	"deleteWebhookSubscriber": {"deletedWebhookSubscriberId", "the subscriber no longer exists: the payload names its ID"},
}

// introspectedType is a type as the introspection query below reads it.
type introspectedType struct {
	Kind, Name  string
	Interfaces  []struct{ Name string }
	Fields      []introspectedField
	InputFields []introspectedField
}

// introspectedField is a field, argument or input field with its type, up
// to two wrappers deep (NON_NULL of LIST of NON_NULL of a named type).
type introspectedField struct {
	Name string
	Args []introspectedField
	Type typeRef
}

// typeRef is an introspected type reference.
type typeRef struct {
	Kind, Name string
	OfType     *typeRef
}

// named returns the named type at the bottom of a reference.
func (t typeRef) named() typeRef {
	for t.OfType != nil {
		t = *t.OfType
	}
	return t
}

// String writes the reference in SDL, e.g. [ID!]!.
func (t typeRef) String() string {
	switch {
	case t.Kind == "NON_NULL" && t.OfType != nil:
		return t.OfType.String() + "!"
	case t.Kind == "LIST" && t.OfType != nil:
		return "[" + t.OfType.String() + "]"
	}
	return t.Name
}

const conventionIntrospection = `{ __schema {
  mutationType { name }
  types {
    kind name interfaces { name }
    fields { name type { ...T } args { name type { ...T } } }
    inputFields { name type { ...T } }
  }
} }
fragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name } } } }`

// TestMutationConvention walks the schema the server introspects and fails
// on any mutation that breaks the convention.
func TestMutationConvention(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db, server.Config{})
		var out struct {
			Schema struct {
				MutationType struct{ Name string }
				Types        []introspectedType
			} `json:"__schema"`
		}
		a.s.MustDo(conventionIntrospection, nil, &out)
		types := map[string]introspectedType{}
		for _, typ := range out.Schema.Types {
			types[typ.Name] = typ
		}
		isNode := func(name string) bool {
			typ := types[name]
			return typ.Kind == "OBJECT" && slices.ContainsFunc(typ.Interfaces, func(i struct{ Name string }) bool { return i.Name == "Node" })
		}
		field := func(fields []introspectedField, name string) (introspectedField, bool) {
			i := slices.IndexFunc(fields, func(f introspectedField) bool { return f.Name == name })
			if i < 0 {
				return introspectedField{}, false
			}
			return fields[i], true
		}

		mutation := types[out.Schema.MutationType.Name]
		require.NotEmpty(t, mutation.Fields, "the schema has mutations")
		for _, m := range mutation.Fields {
			verbNoun := strings.ToUpper(m.Name[:1]) + m.Name[1:]
			// One argument, input, a non-null VerbNounInput with clientMutationId.
			if assert.Len(t, m.Args, 1, "%s takes one argument, input", m.Name) {
				arg := m.Args[0]
				assert.Equal(t, "input", arg.Name, "%s's argument", m.Name)
				assert.Equal(t, verbNoun+"Input!", arg.Type.String(), "%s's input type", m.Name)
				in := types[arg.Type.named().Name]
				assert.Equal(t, "INPUT_OBJECT", in.Kind, "%s's input", m.Name)
				cmid, ok := field(in.InputFields, "clientMutationId")
				assert.True(t, ok, "%s has clientMutationId", in.Name)
				assert.Equal(t, "String", cmid.Type.String(), "%s.clientMutationId", in.Name)
				if id, ok := field(in.InputFields, "id"); ok {
					assert.Equal(t, "ID!", id.Type.String(), "%s.id names the node the mutation changes", in.Name)
				} else {
					assert.False(t, strings.HasPrefix(m.Name, "update"), "%s names the node it updates in input.id", m.Name)
				}
			}

			// A non-null VerbNounPayload with clientMutationId and the changed node.
			assert.Equal(t, verbNoun+"Payload!", m.Type.String(), "%s's answer", m.Name)
			payload := types[m.Type.named().Name]
			if !assert.Equal(t, "OBJECT", payload.Kind, "%s's payload", m.Name) {
				continue
			}
			cmid, ok := field(payload.Fields, "clientMutationId")
			assert.True(t, ok, "%s has clientMutationId", payload.Name)
			assert.Equal(t, "String", cmid.Type.String(), "%s.clientMutationId", payload.Name)
			if exc, ok := payloadWithoutNode[m.Name]; ok {
				_, has := field(payload.Fields, exc.field)
				assert.True(t, has, "%s has %s (%s)", payload.Name, exc.field, exc.why)
				continue
			}
			nodes := 0
			for _, f := range payload.Fields {
				if n := f.Type.named().Name; isNode(n) && !strings.Contains(f.Type.String(), "[") {
					nodes++
					assert.Equal(t, strings.ToLower(n[:1])+n[1:], f.Name, "%s names its %s after the type", payload.Name, n)
					assert.Equal(t, n+"!", f.Type.String(), "%s.%s", payload.Name, f.Name)
				}
			}
			assert.NotZero(t, nodes, "%s carries the node %s changed (or %s is listed in payloadWithoutNode with a reason)", payload.Name, m.Name, m.Name)
		}
		for name := range payloadWithoutNode {
			_, ok := field(mutation.Fields, name)
			assert.True(t, ok, "payloadWithoutNode lists %s, which the schema no longer has", name)
		}
	})
}

// TestMutationsEchoClientMutationId: a create, an update, a step of a
// request, a consent, a sweep and a delete each answer the client's
// clientMutationId (null when it sent none) beside what they changed; a
// refused one answers null and its error, and writes nothing.
func TestMutationsEchoClientMutationId(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db, server.Config{})
		w := a.seedWorld()

		d := a.data(`mutation($in: CreateVendorInput!) { createVendor(input: $in) { clientMutationId vendor { id name } } }`,
			map[string]any{"in": map[string]any{"name": "Acme Mailer GmbH", "countryID": "cty_DE", "clientMutationId": "c-1"}})
		assert.Equal(t, "c-1", dig(d, "createVendor.clientMutationId"))
		assert.Equal(t, "Acme Mailer GmbH", dig(d, "createVendor.vendor.name"))
		vendor := dig(d, "createVendor.vendor.id").(string)
		a.requireNodeType(vendor, "Vendor")

		d = a.data(`mutation($id: ID!) { updateVendor(input: {id: $id, riskTier: HIGH, clientMutationId: "c-2"}) { clientMutationId vendor { id riskTier name } } }`,
			map[string]any{"id": vendor})
		assert.Equal(t, map[string]any{"clientMutationId": "c-2", "vendor": map[string]any{"id": vendor, "riskTier": "HIGH", "name": "Acme Mailer GmbH"}},
			d["updateVendor"], "the update answers the vendor it changed, fields left out unchanged")

		d = a.data(`mutation($u: ID!) { submitRequest(input: {user: $u, kind: ACCESS, receivedAt: "2026-01-05T00:00:00Z"}) { clientMutationId request { id status } } }`,
			map[string]any{"u": w.User})
		assert.Nil(t, dig(d, "submitRequest.clientMutationId"), "no clientMutationId sent, none echoed")
		assert.Contains(t, d["submitRequest"], "clientMutationId")
		req := dig(d, "submitRequest.request.id").(string)
		d = a.data(`mutation($id: ID!) { extendRequest(input: {id: $id, months: 1, reason: "many systems", notifiedAt: "2026-01-20T00:00:00Z", clientMutationId: "c-3"}) {
			clientMutationId request { id extensionMonths } } }`, map[string]any{"id": req})
		assert.Equal(t, map[string]any{"clientMutationId": "c-3", "request": map[string]any{"id": req, "extensionMonths": float64(1)}}, d["extendRequest"])

		d = a.data(`mutation($u: ID!, $p: ID!) { recordConsent(input: {user: $u, purpose: $p, decision: OPTED_OUT, clientMutationId: "c-4"}) { clientMutationId consent { decision } } }`,
			map[string]any{"u": w.User, "p": w.Purpose})
		assert.Equal(t, map[string]any{"clientMutationId": "c-4", "consent": map[string]any{"decision": "OPTED_OUT"}}, d["recordConsent"])

		d = a.data(`mutation { runRetentionSweep(input: {clientMutationId: "c-5"}) { clientMutationId sweepReport { dryRun } } }`, nil)
		assert.Equal(t, map[string]any{"clientMutationId": "c-5", "sweepReport": map[string]any{"dryRun": true}}, d["runRetentionSweep"],
			"a sweep is a dry run unless input.dryRun is false")

		// Refused: the payload is null, the error names the field, nothing is written.
		before := rowCounts(t, db)
		r := a.s.Do(`mutation($id: ID!) { updateVendor(input: {id: $id, countryID: "cty_XX", clientMutationId: "c-6"}) { clientMutationId vendor { id } } }`,
			map[string]any{"id": vendor})
		requireOneError(t, r, "BAD_USER_INPUT", "countryID")
		assert.JSONEq(t, `null`, string(r.Data))
		assert.Equal(t, before, rowCounts(t, db))

		d = a.data(`mutation($id: ID!) { deleteNode(input: {id: $id, clientMutationId: "c-7"}) { clientMutationId deletedId } }`, map[string]any{"id": vendor})
		assert.Equal(t, map[string]any{"clientMutationId": "c-7", "deletedId": vendor}, d["deleteNode"])
		a.requireGone("vendors", "Vendor", vendor)
		requireOneError(t, a.s.Do(`mutation($id: ID!) { deleteNode(input: {id: $id}) { deletedId } }`, map[string]any{"id": vendor}), "NOT_FOUND", "")
	})
}
