package server_test

// Relay's node(id:) and nodes(ids:) over every type, and what IDs look like.

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/privhub/privhub/ent/auditevent"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/server"
	"github.com/privhub/privhub/internal/store"
	"github.com/privhub/privhub/internal/store/storetest"
)

// oneOfEach creates one object of every type and returns the IDs by type
// name. APIToken has no mutation and is written with the ent client
// directly; AuditEvent is written by the audit trail for every write.
func (a *api) oneOfEach() map[string]string {
	a.t.Helper()
	ctx := context.Background()
	w := a.seedWorld()
	req := a.create("Request", map[string]any{"userID": w.User, "kind": "ACCESS"})
	op := a.create("Operator", map[string]any{"name": "Dana DPO", "email": "dana@privhub.example", "role": "DPO"})
	tok, err := a.db.Client.APIToken.Create().SetOperatorID(pulid.ID(op)).SetName("ci").SetHint("phk_ab").
		SetSecretHash([]byte("0123456789abcdef0123456789abcdef")).Save(ctx)
	require.NoError(a.t, err)
	// A record long past the retention rule below is a retention item, and
	// the world has findings (e.g. a processor with no DPA).
	old := a.create("DataRecord", map[string]any{"userID": w.User, "categoryID": w.Child, "collectorOrganizationID": w.Org,
		"source": "PROVIDED", "collectedAt": "2001-01-01T00:00:00Z", "lastUsedAt": "2001-01-01T00:00:00Z"})
	// An own organisation acting as processor announces a subprocessor to
	// its controller, which objects.
	proc := a.create("Organization", map[string]any{"name": "Privhub Inc.", "countryID": "cty_US"})
	ctl := a.create("ContractParty", map[string]any{"contractID": w.DPA, "organizationID": w.Org, "capacity": "CONTROLLER"})
	a.create("ContractParty", map[string]any{"contractID": w.DPA, "organizationID": proc, "capacity": "PROCESSOR"})
	ann := a.data(`mutation($in: AnnounceSubprocessorChangeInput!) { announceSubprocessorChange(input: $in) { subprocessorAnnouncement { id informed { id } } } }`,
		map[string]any{"in": map[string]any{"organization": proc, "kind": "ADDED", "vendor": w.Vendor2, "service": "SUPPORT", "mechanism": "SCC",
			"effectiveAt": "2099-01-01T00:00:00Z"}})
	objection := a.data(`mutation($in: RecordSubprocessorObjectionInput!) { recordSubprocessorObjection(input: $in) { subprocessorObjection { id } } }`,
		map[string]any{"in": map[string]any{"announcement": dig(ann, "announceSubprocessorChange.subprocessorAnnouncement.id"), "party": ctl, "text": "no"}})
	// The writes above left audit events: take the first.
	ev, err := a.db.Client.AuditEvent.Query().Order(auditevent.BySeq()).First(ctx)
	require.NoError(a.t, err)
	all := map[string]string{
		"APIToken":                 string(tok.ID),
		"AuditEvent":               string(ev.ID),
		"AdequacyDecision":         a.create("AdequacyDecision", map[string]any{"regime": "UK_GDPR", "countryID": "cty_AR", "scope": "FULL", "reference": "test", "validFrom": "2031-01-01T00:00:00Z"}),
		"Assessment":               a.create("Assessment", map[string]any{"kind": "DPIA", "transferID": w.Transfer, "outcome": "PASS"}),
		"Clause":                   w.Clause,
		"Consent":                  a.recordConsent(map[string]any{"user": w.User, "purpose": w.Purpose, "decision": "GRANTED"}, "id")["id"].(string),
		"Contract":                 w.SCC,
		"ContractParty":            a.create("ContractParty", map[string]any{"contractID": w.SCC, "organizationID": w.Org, "capacity": "CONTROLLER"}),
		"Country":                  "cty_BE",
		"DataCategory":             w.Category,
		"DataRecord":               a.create("DataRecord", map[string]any{"userID": w.User, "categoryID": w.Child, "collectorOrganizationID": w.Org, "source": "PROVIDED"}),
		"Disclosure":               a.create("Disclosure", map[string]any{"transferID": w.Transfer, "userIDs": []string{w.User}}),
		"Operator":                 op,
		"Organization":             w.Org,
		"Purpose":                  w.Purpose,
		"Request":                  req,
		"RequestTask":              a.create("RequestTask", map[string]any{"requestID": req, "vendorID": w.Vendor}),
		"RetentionRule":            a.create("RetentionRule", map[string]any{"categoryID": w.Child, "period": "P2Y", "trigger": "LAST_USE"}),
		"SecurityMeasure":          a.create("SecurityMeasure", map[string]any{"name": "Backups", "kind": "TECHNICAL", "topic": "BACKUP"}),
		"SubprocessorChange":       a.create("SubprocessorChange", map[string]any{"kind": "ADDED", "processorID": w.Vendor, "subprocessorID": w.Vendor2}),
		"SubprocessorAnnouncement": dig(ann, "announceSubprocessorChange.subprocessorAnnouncement.id").(string),
		"InformedParty":            dig(ann, "announceSubprocessorChange.subprocessorAnnouncement.informed.0.id").(string),
		"SubprocessorObjection":    dig(objection, "recordSubprocessorObjection.subprocessorObjection.id").(string),
		"Transfer":                 w.Transfer,
		"User":                     w.User,
		"Vendor":                   w.Vendor,
	}
	hook := a.data(`mutation { createWebhookSubscriber(input: {url: "https://hooks.example/privhub", events: ["*"]}) {
		webhookSubscriber { id } } }`, nil)
	all["WebhookSubscriber"], _ = dig(hook, "createWebhookSubscriber.webhookSubscriber.id").(string)
	ping := a.data(`mutation($id: ID!) { pingWebhook(input: {subscriberId: $id}) { webhookEvent { id } webhookDeliveries { id } } }`,
		map[string]any{"id": all["WebhookSubscriber"]})
	all["WebhookEvent"], _ = dig(ping, "pingWebhook.webhookEvent.id").(string)
	all["WebhookDelivery"], _ = dig(ping, "pingWebhook.webhookDeliveries.0.id").(string)
	d := a.data(`{ findings(first: 1) { edges { node { id } } } retentionPreview(first: 1) { edges { node { id record { id } } } } }`, nil)
	all["Finding"], _ = dig(d, "findings.edges.0.node.id").(string)
	all["RetentionItem"], _ = dig(d, "retentionPreview.edges.0.node.id").(string)
	require.NotEmpty(a.t, all["Finding"])
	require.Equal(a.t, old, dig(d, "retentionPreview.edges.0.node.record.id"))
	return all
}

func TestNodeResolvesEveryType(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db, server.Config{})
		all := a.oneOfEach()
		var schema struct {
			Type struct{ PossibleTypes []struct{ Name, Kind string } } `json:"__type"`
		}
		a.s.MustDo(`{ __type(name: "Node") { possibleTypes { name kind } } }`, nil, &schema)
		var nodeTypes, covered []string
		for _, pt := range schema.Type.PossibleTypes {
			if pt.Kind == "OBJECT" { // not the Holder interface
				nodeTypes = append(nodeTypes, pt.Name)
			}
		}
		for typ := range all {
			covered = append(covered, typ)
		}
		require.ElementsMatch(t, nodeTypes, covered, "one object of each type that implements Node")

		prefixes := map[string]string{}
		var list []string
		var types []string
		for typ, id := range all {
			t.Run(typ, func(t *testing.T) { a.with(t).requireNodeType(id, typ) })
			list = append(list, id)
			types = append(types, typ)
			p, rest, ok := strings.Cut(id, "_")
			require.True(t, ok, "%s ID %q has a type prefix", typ, id)
			require.NotEmpty(t, rest)
			if other, dup := prefixes[p]; dup {
				t.Errorf("%s and %s IDs share the prefix %q", typ, other, p)
			}
			prefixes[p] = typ
		}

		// nodes(ids:) answers them all at once, in the order asked.
		d := a.data(`query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }`, map[string]any{"ids": list})
		nodes := d["nodes"].([]any)
		require.Len(t, nodes, len(list))
		for i, n := range nodes {
			assert.Equal(t, types[i], dig(n, "__typename"))
			assert.Equal(t, list[i], dig(n, "id"))
		}
	})
}

func TestNodesAnswersNullForUnknownIDsAtTheirPosition(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db, server.Config{})
		w := a.seedWorld()
		unknown := string(pulid.New("vnd")) // well-formed, never stored
		r := a.s.Do(`query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }`,
			map[string]any{"ids": []string{w.Vendor, unknown, w.User, "garbage", "cty_BE", "BE", w.Vendor}})
		require.Empty(t, r.Errors, "Relay treats an error in nodes as a failure of the whole query")
		assert.JSONEq(t, `{"nodes": [
			{"__typename": "Vendor", "id": "`+w.Vendor+`"}, null,
			{"__typename": "User", "id": "`+w.User+`"}, null,
			{"__typename": "Country", "id": "cty_BE"}, null,
			{"__typename": "Vendor", "id": "`+w.Vendor+`"}]}`, string(r.Data))
	})
}

// TestCountryIDsAreGlobal: a country's ID is a global ID like any other
// (its own prefix), and its ISO code is its code; the bare code names
// nothing.
func TestCountryIDsAreGlobal(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db, server.Config{})
		d := a.data(`{ node(id: "cty_BE") { __typename id ... on Country { code name eu eea } } bare: node(id: "BE") { id } }`, nil)
		assert.Equal(t, map[string]any{"__typename": "Country", "id": "cty_BE", "code": "BE", "name": "Belgium", "eu": true, "eea": true}, d["node"])
		assert.Nil(t, d["bare"])

		d = a.data(`{ node(id: "cty_NO") { ... on Country { name eu eea } } countries { totalCount } }`, nil)
		assert.Equal(t, map[string]any{"name": "Norway", "eu": false, "eea": true}, d["node"])
		assert.Equal(t, float64(249), dig(d, "countries.totalCount"))

		v := a.createSel("Vendor", map[string]any{"name": "Nimbra", "countryID": "cty_BE"}, `countryID country { id code }`)
		assert.Equal(t, "cty_BE", v["countryID"])
		assert.Equal(t, "cty_BE", dig(v, "country.id"))
		assert.Equal(t, "BE", dig(v, "country.code"))
	})
}

func TestIDsAreOpaqueAndNotSequential(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db, server.Config{})
		var vendors []string
		for i := range 10 {
			vendors = append(vendors, a.create("Vendor", map[string]any{"name": "Vendor " + strconv.Itoa(i), "countryID": "cty_FR"}))
		}
		user := a.create("User", map[string]any{"externalRef": "acct-1", "subjectKind": "CUSTOMER"})
		cat := a.create("DataCategory", map[string]any{"key": "contact.email", "name": "Email"})

		vp, up, cp := pulid.ID(vendors[0]).Prefix(), pulid.ID(user).Prefix(), pulid.ID(cat).Prefix()
		assert.NotEmpty(t, vp)
		assert.NotEqual(t, vp, up, "vendor and user IDs differ in type prefix")
		assert.NotEqual(t, vp, cp, "vendor and category IDs differ in type prefix")
		assert.NotEqual(t, up, cp, "user and category IDs differ in type prefix")

		seen := map[string]bool{}
		for i, id := range vendors {
			assert.Equal(t, vp, pulid.ID(id).Prefix())
			_, rest, _ := strings.Cut(id, "_")
			_, err := strconv.ParseInt(rest, 10, 64)
			assert.Error(t, err, "ID %q is a number", id)
			assert.GreaterOrEqual(t, len(rest), 20, "ID %q is too short to be unguessable", id)
			assert.False(t, seen[rest], "duplicate ID %s", id)
			seen[rest] = true
			if i == 0 {
				continue
			}
			// Consecutive IDs differ in many places, not just by an increment
			// in their last characters.
			_, prev, _ := strings.Cut(vendors[i-1], "_")
			assert.GreaterOrEqual(t, differingChars(prev, rest), 8, "IDs %s and %s look sequential", vendors[i-1], id)
		}
	})
}

// differingChars counts the positions where a and b differ.
func differingChars(a, b string) int {
	n := max(len(a), len(b)) - min(len(a), len(b))
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			n++
		}
	}
	return n
}

func TestMalformedNodeIDIsNull(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db, server.Config{})
		for _, id := range []string{"not-an-id", "", "be", "BEL", "xyz_01hzzzzzzzzzzzzzzzzzzzzz", "vnd_", "vnd_nonsense", "8589934593", "' OR 1=1 --"} {
			t.Run(id, func(t *testing.T) {
				a := a.with(t)
				r := a.s.Do(`query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": id})
				require.NotEqual(t, 500, r.Status)
				require.Empty(t, r.Errors)
				assert.JSONEq(t, `{"node": null}`, string(r.Data))
			})
		}
	})
}
