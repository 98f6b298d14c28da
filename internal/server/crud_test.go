package server_test

// Create, read (through node(id:) and through the list query), update and
// delete of every main entity, through GraphQL over HTTP, on both databases.

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/privhub/privhub/internal/server"
	"github.com/privhub/privhub/internal/store"
	"github.com/privhub/privhub/internal/store/storetest"
)

// crudSpec describes the life of one object of one type.
type crudSpec struct {
	typ, list string
	in        map[string]any       // create input
	sel       string               // fields read back
	created   func(map[string]any) // checks on the created object
	update    map[string]any       // update input
	updated   func(map[string]any) // checks on the updated object
	noDelete  bool                 // skip the delete step
}

// crud creates, reads, updates and deletes one object as spec says and
// returns its ID. Every read must give back what the mutation answered.
func (a *api) crud(spec crudSpec) string {
	a.t.Helper()
	obj := a.createSel(spec.typ, spec.in, spec.sel)
	id := obj["id"].(string)
	if spec.created != nil {
		spec.created(obj)
	}
	a.requireReadsAs(spec, id, obj)

	if spec.update != nil {
		upd := a.updateSel(spec.typ, id, spec.update, spec.sel)
		if spec.updated != nil {
			spec.updated(upd)
		}
		a.requireReadsAs(spec, id, upd)
	}

	if !spec.noDelete {
		a.deleteNode(id)
		a.requireGone(spec.list, spec.typ, id)
	}
	return id
}

// requireReadsAs checks node(id:) and the list query both read obj back.
func (a *api) requireReadsAs(spec crudSpec, id string, obj map[string]any) {
	a.t.Helper()
	if byNode := a.node(id, spec.typ, spec.sel); assert.NotNil(a.t, byNode, "node(%s) is null", id) {
		delete(byNode, "__typename")
		require.Equal(a.t, normTimes(obj), normTimes(byNode), "node(id:) reads back what the mutation answered")
	}
	byList := a.listOne(spec.list, spec.typ, id, spec.sel)
	require.NotNil(a.t, byList, "%s does not list %s", spec.list, id)
	require.Equal(a.t, normTimes(obj), normTimes(byList), "%s reads back what the mutation answered", spec.list)
}

// normTimes rewrites every RFC 3339 time of a decoded JSON tree in UTC, so
// that the same instant compares equal whatever zone the database answers in.
func normTimes(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = normTimes(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = normTimes(e)
		}
		return out
	case string:
		if tm, err := time.Parse(time.RFC3339Nano, x); err == nil {
			return tm.UTC().Format(time.RFC3339Nano)
		}
	}
	return v
}

func TestCRUDOrganization(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db, server.Config{})
		parent := a.create("Organization", map[string]any{"name": "Privhub Group", "countryID": "cty_LU"})
		a.crud(crudSpec{
			typ: "Organization", list: "organizations",
			in: map[string]any{"name": "Privhub SA", "legalName": "Privhub Société Anonyme", "countryID": "cty_BE",
				"dpoContact": "dpo@privhub.example", "leadSupervisoryAuthority": "APD-GBA", "parentID": parent},
			sel: `name legalName dpoContact leadSupervisoryAuthority countryID country { code name eu } parent { id name }`,
			created: func(o map[string]any) {
				assert.Equal(t, "Privhub SA", o["name"])
				assert.Equal(t, "BE", dig(o, "country.code"))
				assert.Equal(t, "Belgium", dig(o, "country.name"))
				assert.Equal(t, true, dig(o, "country.eu"))
				assert.Equal(t, parent, dig(o, "parent.id"))
			},
			update: map[string]any{"name": "Privhub NV", "countryID": "cty_NL", "clearParent": true},
			updated: func(o map[string]any) {
				assert.Equal(t, "Privhub NV", o["name"])
				assert.Equal(t, "cty_NL", o["countryID"])
				assert.Equal(t, "NL", dig(o, "country.code"))
				assert.Equal(t, "Privhub Société Anonyme", o["legalName"], "fields left out keep their value")
				assert.Nil(t, o["parent"])
			},
		})
	})
}

func TestCRUDVendor(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db, server.Config{})
		a.crud(crudSpec{
			typ: "Vendor", list: "vendors",
			in: map[string]any{"name": "Nimbra Cloud Inc", "legalName": "Nimbra Cloud, Inc.", "countryID": "cty_US",
				"services": []string{"HOSTING", "CDN"}, "riskTier": "HIGH", "website": "https://nimbra.example",
				"dpfFrameworks": []string{"EU", "UK"}, "dpfActiveFrom": "2023-10-12T00:00:00Z", "certifications": []string{"ISO 27001"}},
			sel: `name legalName country { code } services status riskTier reviewCadenceMonths website dpfFrameworks dpfActiveFrom certifications`,
			created: func(o map[string]any) {
				assert.Equal(t, "US", dig(o, "country.code"))
				assert.Equal(t, []any{"HOSTING", "CDN"}, o["services"])
				assert.Equal(t, "ACTIVE", o["status"], "status defaults to ACTIVE")
				assert.Equal(t, "HIGH", o["riskTier"])
				assert.Equal(t, float64(12), o["reviewCadenceMonths"], "a HIGH risk vendor is reviewed every 12 months by default")
				assert.Equal(t, []any{"EU", "UK"}, o["dpfFrameworks"])
				requireTime(t, "2023-10-12T00:00:00Z", o["dpfActiveFrom"])
			},
			update: map[string]any{"status": "SUSPENDED", "appendServices": []string{"BACKUP"}, "riskTier": "LOW"},
			updated: func(o map[string]any) {
				assert.Equal(t, "SUSPENDED", o["status"])
				assert.Equal(t, []any{"HOSTING", "CDN", "BACKUP"}, o["services"])
				assert.Equal(t, "LOW", o["riskTier"])
				assert.Equal(t, "Nimbra Cloud Inc", o["name"])
			},
		})
	})
}

func TestCRUDTransfer(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db, server.Config{})
		w := a.seedWorld()
		cl2 := a.create("Clause", map[string]any{"contractID": w.SCC, "reference": "Clause 14"})
		sel := `name importerRole regime mechanism fallbackMechanism honoursOptOuts safeguards activeFrom activeUntil
			exporterOrganizationID exporterVendorID importerOrganizationID importerVendorID countryID contractID
			exporter { __typename id name } importer { __typename id name } country { code }
			contract { id title kind } categories { id key } purposes { id key } clauses { id reference }`
		a.crud(crudSpec{
			typ: "Transfer", list: "transfers",
			in: map[string]any{
				"name": "Support tickets to Nimbra", "exporterOrganizationID": w.Org, "importerVendorID": w.Vendor,
				"importerRole": "PROCESSOR", "countryID": "cty_US", "mechanism": "SCC", "contractID": w.SCC,
				"clauseIDs": []string{w.Clause, cl2}, "categoryIDs": []string{w.Child}, "purposeIDs": []string{w.Purpose},
				"safeguards": []string{"ENCRYPTION_IN_TRANSIT", "ENCRYPTION_AT_REST"}, "activeFrom": "2024-05-01T00:00:00Z",
			},
			sel: sel,
			created: func(o map[string]any) {
				assert.Equal(t, map[string]any{"__typename": "Organization", "id": w.Org, "name": "Privhub SA"}, o["exporter"])
				assert.Equal(t, map[string]any{"__typename": "Vendor", "id": w.Vendor, "name": "Nimbra Cloud Inc"}, o["importer"])
				assert.Equal(t, w.Org, o["exporterOrganizationID"])
				assert.Nil(t, o["exporterVendorID"])
				assert.Equal(t, w.Vendor, o["importerVendorID"])
				assert.Equal(t, "EU_GDPR", o["regime"], "the regime defaults to the EU GDPR")
				assert.Equal(t, true, o["honoursOptOuts"], "transfers honour opt-outs by default")
				assert.Equal(t, "SCC", o["mechanism"])
				assert.Equal(t, "PROCESSOR", o["importerRole"])
				assert.Equal(t, "US", dig(o, "country.code"))
				assert.Equal(t, w.SCC, dig(o, "contract.id"))
				assert.Equal(t, "SCC", dig(o, "contract.kind"))
				assert.Equal(t, []string{w.Child}, ids(o["categories"]))
				assert.Equal(t, "contact.details.email", dig(o, "categories.0.key"))
				assert.Equal(t, []string{w.Purpose}, ids(o["purposes"]))
				assert.ElementsMatch(t, []string{w.Clause, cl2}, ids(o["clauses"]))
				assert.Equal(t, []any{"ENCRYPTION_IN_TRANSIT", "ENCRYPTION_AT_REST"}, o["safeguards"])
				requireTime(t, "2024-05-01T00:00:00Z", o["activeFrom"])
			},
			update: map[string]any{
				"name": "Support tickets to Lumora", "importerVendorID": w.Vendor2,
				"countryID": "cty_IN", "importerRole": "SUBPROCESSOR", "appendSafeguards": []string{"PSEUDONYMISATION"},
				"activeUntil": "2027-04-30T00:00:00Z", "honoursOptOuts": false,
			},
			updated: func(o map[string]any) {
				assert.Equal(t, "Support tickets to Lumora", o["name"])
				assert.Equal(t, map[string]any{"__typename": "Vendor", "id": w.Vendor2, "name": "Lumora Support Pvt"}, o["importer"])
				assert.Equal(t, map[string]any{"__typename": "Organization", "id": w.Org, "name": "Privhub SA"}, o["exporter"])
				assert.Equal(t, "IN", dig(o, "country.code"))
				assert.Equal(t, "SUBPROCESSOR", o["importerRole"])
				assert.Equal(t, false, o["honoursOptOuts"])
				assert.Equal(t, []any{"ENCRYPTION_IN_TRANSIT", "ENCRYPTION_AT_REST", "PSEUDONYMISATION"}, o["safeguards"])
				requireTime(t, "2027-04-30T00:00:00Z", o["activeUntil"])
				assert.ElementsMatch(t, []string{w.Clause, cl2}, ids(o["clauses"]), "edges left out are kept")
			},
		})

		// A vendor-to-vendor flow: the exporter is then a Vendor too.
		d := a.createSel("Transfer", map[string]any{
			"exporterVendorID": w.Vendor, "importerVendorID": w.Vendor2, "importerRole": "SUBPROCESSOR",
			"countryID": "cty_IN", "mechanism": "SCC", "categoryIDs": []string{w.Category},
		}, `exporter { __typename id } importer { __typename id }`)
		assert.Equal(t, map[string]any{"__typename": "Vendor", "id": w.Vendor}, d["exporter"])
		assert.Equal(t, map[string]any{"__typename": "Vendor", "id": w.Vendor2}, d["importer"])
	})
}

func TestCRUDContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db, server.Config{})
		a.crud(crudSpec{
			typ: "Contract", list: "contracts",
			in: map[string]any{
				"title": "SCC Nimbra (module 2)", "kind": "SCC", "sccModule": "C2P", "sccDecision": "DECISION_2021_914",
				"clause9Option": "GENERAL_AUTHORISATION", "clause9NoticeDays": 30, "clause13Authority": "APD-GBA",
				"clause17LawCountryID": "cty_IE", "clause18ForumCountryID": "cty_IE",
				"signedAt": "2023-03-01T10:00:00Z", "effectiveAt": "2023-03-15T00:00:00Z", "expiresAt": "2028-03-14T00:00:00Z",
				"documentRef":    "contracts/scc-nimbra.pdf",
				"documentSha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
			},
			sel: `title kind regime sccModule sccDecision clause9Option clause9NoticeDays clause13Authority
				clause17LawCountry { code } clause18ForumCountry { code } signedAt effectiveAt expiresAt documentRef documentSha256 dpaStipulations`,
			created: func(o map[string]any) {
				assert.Equal(t, "SCC", o["kind"])
				assert.Equal(t, "EU_GDPR", o["regime"])
				assert.Equal(t, "C2P", o["sccModule"])
				assert.Equal(t, "DECISION_2021_914", o["sccDecision"])
				assert.Equal(t, "GENERAL_AUTHORISATION", o["clause9Option"])
				assert.Equal(t, float64(30), o["clause9NoticeDays"])
				assert.Equal(t, "IE", dig(o, "clause17LawCountry.code"))
				assert.Equal(t, "IE", dig(o, "clause18ForumCountry.code"))
				requireTime(t, "2023-03-01T10:00:00Z", o["signedAt"])
				requireTime(t, "2028-03-14T00:00:00Z", o["expiresAt"])
			},
			update: map[string]any{"sccModule": "P2P", "expiresAt": "2029-03-14T00:00:00Z"},
			updated: func(o map[string]any) {
				assert.Equal(t, "P2P", o["sccModule"])
				assert.Equal(t, "DECISION_2021_914", o["sccDecision"])
				requireTime(t, "2029-03-14T00:00:00Z", o["expiresAt"])
			},
		})
		a.crud(crudSpec{
			typ: "Contract", list: "contracts",
			in: map[string]any{
				"title": "DPA Nimbra", "kind": "DPA", "signedAt": "2023-02-01T00:00:00Z",
				"dpaStipulations": []string{"A_DOCUMENTED_INSTRUCTIONS", "B_CONFIDENTIALITY", "C_SECURITY"},
			},
			sel: `title kind sccModule sccDecision dpaStipulations signedAt`,
			created: func(o map[string]any) {
				assert.Equal(t, "DPA", o["kind"])
				assert.Nil(t, o["sccModule"])
				assert.Nil(t, o["sccDecision"])
				assert.Equal(t, []any{"A_DOCUMENTED_INSTRUCTIONS", "B_CONFIDENTIALITY", "C_SECURITY"}, o["dpaStipulations"])
			},
			update: map[string]any{"appendDpaStipulations": []string{"D_SUBPROCESSORS"}, "title": "DPA Nimbra v2"},
			updated: func(o map[string]any) {
				assert.Equal(t, "DPA Nimbra v2", o["title"])
				assert.Equal(t, []any{"A_DOCUMENTED_INSTRUCTIONS", "B_CONFIDENTIALITY", "C_SECURITY", "D_SUBPROCESSORS"}, o["dpaStipulations"])
			},
		})
	})
}

func TestCRUDContractParty(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db, server.Config{})
		w := a.seedWorld()
		sel := `side capacity accessionDate contractID organizationID vendorID contract { id title } holder { __typename id name }`
		a.crud(crudSpec{
			typ: "ContractParty", list: "contractParties",
			in: map[string]any{"contractID": w.SCC, "vendorID": w.Vendor, "side": "IMPORTER", "capacity": "PROCESSOR",
				"accessionDate": "2024-01-10T00:00:00Z"},
			sel: sel,
			created: func(o map[string]any) {
				assert.Equal(t, "IMPORTER", o["side"])
				assert.Equal(t, "PROCESSOR", o["capacity"])
				assert.Equal(t, w.SCC, dig(o, "contract.id"))
				assert.Equal(t, map[string]any{"__typename": "Vendor", "id": w.Vendor, "name": "Nimbra Cloud Inc"}, o["holder"])
				requireTime(t, "2024-01-10T00:00:00Z", o["accessionDate"])
			},
			update: map[string]any{"capacity": "SUBPROCESSOR", "vendorID": w.Vendor2},
			updated: func(o map[string]any) {
				assert.Equal(t, "SUBPROCESSOR", o["capacity"])
				assert.Equal(t, map[string]any{"__typename": "Vendor", "id": w.Vendor2, "name": "Lumora Support Pvt"}, o["holder"])
			},
		})
		a.crud(crudSpec{
			typ: "ContractParty", list: "contractParties",
			in:  map[string]any{"contractID": w.SCC, "organizationID": w.Org, "side": "EXPORTER", "capacity": "CONTROLLER"},
			sel: sel,
			created: func(o map[string]any) {
				assert.Equal(t, map[string]any{"__typename": "Organization", "id": w.Org, "name": "Privhub SA"}, o["holder"])
				assert.Equal(t, "EXPORTER", o["side"])
			},
		})
	})
}

func TestCRUDClause(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db, server.Config{})
		w := a.seedWorld()
		a.crud(crudSpec{
			typ: "Clause", list: "clauses",
			in: map[string]any{"contractID": w.SCC, "reference": "Clause 17 Option 1", "topic": "governing law",
				"parameters": map[string]any{"country": "IE", "noticeDays": 30}},
			sel: `reference topic parameters contractID contract { id kind }`,
			created: func(o map[string]any) {
				assert.Equal(t, "Clause 17 Option 1", o["reference"])
				assert.Equal(t, map[string]any{"country": "IE", "noticeDays": float64(30)}, o["parameters"])
				assert.Equal(t, w.SCC, dig(o, "contract.id"))
			},
			update: map[string]any{"topic": "governing law (Ireland)"},
			updated: func(o map[string]any) {
				assert.Equal(t, "governing law (Ireland)", o["topic"])
				assert.Equal(t, "Clause 17 Option 1", o["reference"])
			},
		})
	})
}

func TestCRUDDataCategory(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db, server.Config{})
		parent := a.create("DataCategory", map[string]any{"key": "health.records", "name": "Health records", "sensitivity": "SPECIAL"})
		a.crud(crudSpec{
			typ: "DataCategory", list: "dataCategories",
			in:  map[string]any{"key": "health.records.allergies", "name": "Allergies", "sensitivity": "SPECIAL", "parentID": parent, "description": "food allergies"},
			sel: `key name sensitivity description parentID parent { id key }`,
			created: func(o map[string]any) {
				assert.Equal(t, "health.records.allergies", o["key"])
				assert.Equal(t, "SPECIAL", o["sensitivity"])
				assert.Equal(t, map[string]any{"id": parent, "key": "health.records"}, o["parent"])
			},
			update: map[string]any{"name": "Food allergies", "sensitivity": "NORMAL"},
			updated: func(o map[string]any) {
				assert.Equal(t, "Food allergies", o["name"])
				assert.Equal(t, "NORMAL", o["sensitivity"])
				assert.Equal(t, parent, o["parentID"])
			},
		})
		// The parent lists its children; the default sensitivity is NORMAL.
		child := a.createSel("DataCategory", map[string]any{"key": "health.records.diet", "name": "Diet", "parentID": parent}, `sensitivity`)
		assert.Equal(t, "NORMAL", child["sensitivity"])
		p := a.node(parent, "DataCategory", `children { id key }`)
		assert.Equal(t, []string{child["id"].(string)}, ids(p["children"]))
	})
}

func TestCRUDPurpose(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db, server.Config{})
		cat := a.create("DataCategory", map[string]any{"key": "contact.email", "name": "Email"})
		a.crud(crudSpec{
			typ: "Purpose", list: "purposes",
			in: map[string]any{"key": "newsletter", "name": "Newsletter", "legalBasis": "CONSENT",
				"subjectKinds": []string{"CUSTOMER"}, "optOutAllowed": true, "marketing": true,
				"retentionSummary": "until opt-out", "categoryIDs": []string{cat}},
			sel: `key name legalBasis subjectKinds optOutAllowed marketing retentionSummary categories { id key }`,
			created: func(o map[string]any) {
				assert.Equal(t, "CONSENT", o["legalBasis"])
				assert.Equal(t, []any{"CUSTOMER"}, o["subjectKinds"])
				assert.Equal(t, true, o["marketing"])
				assert.Equal(t, []string{cat}, ids(o["categories"]))
			},
			update: map[string]any{"name": "Monthly newsletter", "appendSubjectKinds": []string{"PROSPECT"}, "legalBasis": "LEGITIMATE_INTERESTS"},
			updated: func(o map[string]any) {
				assert.Equal(t, "Monthly newsletter", o["name"])
				assert.Equal(t, []any{"CUSTOMER", "PROSPECT"}, o["subjectKinds"])
				assert.Equal(t, "LEGITIMATE_INTERESTS", o["legalBasis"])
				assert.Equal(t, []string{cat}, ids(o["categories"]))
			},
		})
	})
}

func TestCRUDUser(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db, server.Config{})
		a.crud(crudSpec{
			typ: "User", list: "users",
			in:  map[string]any{"externalRef": "acct-42", "email": "bob@example.org", "name": "Bob", "subjectKind": "EVENT_REGISTRANT", "countryID": "cty_DE"},
			sel: `externalRef email name subjectKind status countryID country { code name }`,
			created: func(o map[string]any) {
				assert.Equal(t, "EVENT_REGISTRANT", o["subjectKind"])
				assert.Equal(t, "ACTIVE", o["status"], "status defaults to ACTIVE")
				assert.Equal(t, "Germany", dig(o, "country.name"))
			},
			update: map[string]any{"email": "robert@example.org", "subjectKind": "CUSTOMER"},
			updated: func(o map[string]any) {
				assert.Equal(t, "robert@example.org", o["email"])
				assert.Equal(t, "CUSTOMER", o["subjectKind"])
				assert.Equal(t, "acct-42", o["externalRef"])
			},
		})
	})
}

func TestCRUDDataRecord(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db, server.Config{})
		w := a.seedWorld()
		sel := `source collectedAt lastUsedAt legalHold userID categoryID collectorOrganizationID collectorVendorID
			user { id } category { id key } collector { __typename id name } purposes { id }`
		a.crud(crudSpec{
			typ: "DataRecord", list: "dataRecords",
			in: map[string]any{"userID": w.User, "categoryID": w.Child, "collectorVendorID": w.Vendor, "source": "PROVIDED",
				"collectedAt": "2024-02-01T10:00:00Z", "purposeIDs": []string{w.Purpose}, "value": "alice@example.org"},
			sel: sel,
			created: func(o map[string]any) {
				assert.Equal(t, map[string]any{"__typename": "Vendor", "id": w.Vendor, "name": "Nimbra Cloud Inc"}, o["collector"])
				assert.Equal(t, w.User, dig(o, "user.id"))
				assert.Equal(t, "contact.details.email", dig(o, "category.key"))
				assert.Equal(t, false, o["legalHold"])
				assert.Equal(t, []string{w.Purpose}, ids(o["purposes"]))
				requireTime(t, "2024-02-01T10:00:00Z", o["collectedAt"])
			},
			update: map[string]any{"legalHold": true, "lastUsedAt": "2025-01-05T08:00:00Z"},
			updated: func(o map[string]any) {
				assert.Equal(t, true, o["legalHold"])
				requireTime(t, "2025-01-05T08:00:00Z", o["lastUsedAt"])
				requireTime(t, "2024-02-01T10:00:00Z", o["collectedAt"])
			},
		})
		rec := a.createSel("DataRecord", map[string]any{"userID": w.User, "categoryID": w.Category, "collectorOrganizationID": w.Org, "source": "OBSERVED"},
			`collector { __typename id name }`)
		assert.Equal(t, map[string]any{"__typename": "Organization", "id": w.Org, "name": "Privhub SA"}, rec["collector"])
	})
}

func TestCRUDConsentIsAppendOnly(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db, server.Config{})
		w := a.seedWorld()
		sel := `id decision explicit recordedAt source evidence userID purposeID recipientID user { id } purpose { id } recipient { id name }`
		o := a.recordConsent(map[string]any{"user": w.User, "purpose": w.Purpose, "recipient": w.Vendor, "decision": "OPTED_OUT",
			"recordedAt": "2024-06-01T09:30:00Z", "source": "preference centre", "evidence": "form #81"}, sel)
		id := o["id"].(string)
		assert.Equal(t, "OPTED_OUT", o["decision"])
		assert.Equal(t, false, o["explicit"])
		assert.Equal(t, w.Vendor, dig(o, "recipient.id"))
		requireTime(t, "2024-06-01T09:30:00Z", o["recordedAt"])
		o["__typename"] = "Consent"
		assert.Equal(t, o, a.node(id, "Consent", sel))
		listed := a.listOne("consents", "Consent", id, sel)
		listed["__typename"] = "Consent"
		assert.Equal(t, o, listed)

		// There is no generic create or update of a consent, and deleting one is refused.
		r := a.s.Do(`mutation($id: ID!) { updateConsent(input: {id: $id, decision: GRANTED}) { consent { id } } }`, map[string]any{"id": id})
		require.NotEmpty(t, r.Errors, "updateConsent must not exist")
		r = a.s.Do(`mutation($u: ID!, $p: ID!) { createConsent(input: {userID: $u, purposeID: $p, decision: GRANTED}) { consent { id } } }`,
			map[string]any{"u": w.User, "p": w.Purpose})
		require.NotEmpty(t, r.Errors, "createConsent must not exist")

		before := rowCounts(t, db)
		r = a.s.Do(`mutation($id: ID!) { deleteNode(input: {id: $id}) { deletedId } }`, map[string]any{"id": id})
		requireOneError(t, r, "BAD_USER_INPUT", "")
		require.Equal(t, before, rowCounts(t, db))
		a.requireNodeType(id, "Consent")
	})
}

func TestCRUDRetentionRule(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db, server.Config{})
		cat := a.create("DataCategory", map[string]any{"key": "billing.invoice", "name": "Invoices"})
		pur := a.create("Purpose", map[string]any{"key": "billing", "name": "Billing", "legalBasis": "LEGAL_OBLIGATION"})
		a.crud(crudSpec{
			typ: "RetentionRule", list: "retentionRules",
			in: map[string]any{"categoryID": cat, "purposeID": pur, "period": "P7Y", "trigger": "FISCAL_YEAR_END",
				"legalBasis": "tax law", "overridesErasure": true},
			sel: `period trigger action legalBasis overridesErasure category { id key } purpose { id key }`,
			created: func(o map[string]any) {
				assert.Equal(t, "P7Y", o["period"])
				assert.Equal(t, "FISCAL_YEAR_END", o["trigger"])
				assert.Equal(t, "DELETE", o["action"], "action defaults to DELETE")
				assert.Equal(t, true, o["overridesErasure"])
				assert.Equal(t, "billing.invoice", dig(o, "category.key"))
				assert.Equal(t, "billing", dig(o, "purpose.key"))
			},
			update: map[string]any{"period": "P10Y", "action": "ANONYMIZE"},
			updated: func(o map[string]any) {
				assert.Equal(t, "P10Y", o["period"])
				assert.Equal(t, "ANONYMIZE", o["action"])
			},
		})
	})
}

func TestCRUDRequest(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db, server.Config{})
		w := a.seedWorld()
		a.crud(crudSpec{
			typ: "Request", list: "requests",
			in:  map[string]any{"userID": w.User, "kind": "ACCESS", "reference": "DSR-001", "receivedAt": "2026-01-31T00:00:00Z"},
			sel: `reference kind status receivedAt dueAt extensionNotifiedAt extensionMonths extensionReason completedAt note user { id }`,
			created: func(o map[string]any) {
				assert.Equal(t, "RECEIVED", o["status"], "status defaults to RECEIVED")
				requireTime(t, "2026-01-31T00:00:00Z", o["receivedAt"])
				requireTime(t, "2026-02-28T00:00:00Z", o["dueAt"]) // one calendar month, capped at the month's end
			},
			update: map[string]any{"status": "IN_PROGRESS", "extensionMonths": 2,
				"extensionNotifiedAt": "2026-02-10T00:00:00Z", "extensionReason": "complex request"},
			updated: func(o map[string]any) {
				assert.Equal(t, "IN_PROGRESS", o["status"])
				assert.Equal(t, float64(2), o["extensionMonths"])
				requireTime(t, "2026-04-30T00:00:00Z", o["dueAt"]) // three calendar months after receipt
			},
		})

		// An explicit due date is kept as given.
		r := a.createSel("Request", map[string]any{"userID": w.User, "kind": "ERASURE", "receivedAt": "2025-03-14T00:00:00Z", "dueAt": "2025-04-01T00:00:00Z"}, `receivedAt dueAt`)
		requireTime(t, "2025-03-14T00:00:00Z", r["receivedAt"])
		requireTime(t, "2025-04-01T00:00:00Z", r["dueAt"])
	})
}

func TestCRUDRequestTask(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db, server.Config{})
		w := a.seedWorld()
		req := a.create("Request", map[string]any{"userID": w.User, "kind": "ERASURE", "receivedAt": "2025-03-14T00:00:00Z"})
		a.crud(crudSpec{
			typ: "RequestTask", list: "requestTasks",
			in:  map[string]any{"requestID": req, "vendorID": w.Vendor},
			sel: `status notifiedAt confirmedAt note requestID request { id kind } holder { __typename id name }`,
			created: func(o map[string]any) {
				assert.Equal(t, "PENDING", o["status"], "status defaults to PENDING")
				assert.Equal(t, req, dig(o, "request.id"))
				assert.Equal(t, map[string]any{"__typename": "Vendor", "id": w.Vendor, "name": "Nimbra Cloud Inc"}, o["holder"])
			},
			update: map[string]any{"status": "NOTIFIED", "notifiedAt": "2025-03-16T12:00:00Z"},
			updated: func(o map[string]any) {
				assert.Equal(t, "NOTIFIED", o["status"])
				requireTime(t, "2025-03-16T12:00:00Z", o["notifiedAt"])
			},
		})
		task := a.createSel("RequestTask", map[string]any{"requestID": req, "organizationID": w.Org}, `holder { __typename id }`)
		assert.Equal(t, map[string]any{"__typename": "Organization", "id": w.Org}, task["holder"])
	})
}

func TestCRUDSecurityMeasure(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db, server.Config{})
		w := a.seedWorld()
		a.crud(crudSpec{
			typ: "SecurityMeasure", list: "securityMeasures",
			in: map[string]any{"name": "TLS 1.3 everywhere", "kind": "TECHNICAL", "topic": "ENCRYPTION", "verifiedAt": "2024-07-01T00:00:00Z",
				"vendorIDs": []string{w.Vendor}, "organizationIDs": []string{w.Org}, "transferIDs": []string{w.Transfer}},
			sel: `name kind topic description verifiedAt vendors { id } organizations { id } transfers { id }`,
			created: func(o map[string]any) {
				assert.Equal(t, "TECHNICAL", o["kind"])
				assert.Equal(t, "ENCRYPTION", o["topic"])
				assert.Equal(t, []string{w.Vendor}, ids(o["vendors"]))
				assert.Equal(t, []string{w.Org}, ids(o["organizations"]))
				assert.Equal(t, []string{w.Transfer}, ids(o["transfers"]))
			},
			update: map[string]any{"topic": "ACCESS_CONTROL", "description": "mutual TLS"},
			updated: func(o map[string]any) {
				assert.Equal(t, "ACCESS_CONTROL", o["topic"])
				assert.Equal(t, "mutual TLS", o["description"])
				assert.Equal(t, []string{w.Vendor}, ids(o["vendors"]))
			},
		})
	})
}

func TestCRUDAssessment(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db, server.Config{})
		w := a.seedWorld()
		sel := `kind outcome performedAt findings nextDue performedBy vendorID transferID vendor { id } transfer { id }`
		a.crud(crudSpec{
			typ: "Assessment", list: "assessments",
			in: map[string]any{"kind": "VENDOR_REVIEW", "vendorID": w.Vendor, "outcome": "CONDITIONAL",
				"performedAt": "2024-11-05T00:00:00Z", "nextDue": "2025-11-05T00:00:00Z", "findings": "no MFA on admin console", "performedBy": "DPO"},
			sel: sel,
			created: func(o map[string]any) {
				assert.Equal(t, "VENDOR_REVIEW", o["kind"])
				assert.Equal(t, "CONDITIONAL", o["outcome"])
				assert.Equal(t, w.Vendor, dig(o, "vendor.id"))
				assert.Nil(t, o["transfer"])
				requireTime(t, "2024-11-05T00:00:00Z", o["performedAt"])
			},
			update: map[string]any{"outcome": "PASS", "findings": "MFA enabled"},
			updated: func(o map[string]any) {
				assert.Equal(t, "PASS", o["outcome"])
				assert.Equal(t, "MFA enabled", o["findings"])
			},
		})
		a.crud(crudSpec{
			typ: "Assessment", list: "assessments",
			in:  map[string]any{"kind": "TIA", "transferID": w.Transfer, "outcome": "PASS", "performedAt": "2024-04-20T00:00:00Z"},
			sel: sel,
			created: func(o map[string]any) {
				assert.Equal(t, w.Transfer, dig(o, "transfer.id"))
				assert.Nil(t, o["vendor"])
			},
		})
	})
}

func TestCRUDSubprocessorChange(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db, server.Config{})
		w := a.seedWorld()
		a.crud(crudSpec{
			typ: "SubprocessorChange", list: "subprocessorChanges",
			in: map[string]any{"kind": "ADDED", "processorID": w.Vendor, "subprocessorID": w.Vendor2,
				"notifiedAt": "2024-03-01T00:00:00Z", "objectionDeadline": "2024-03-31T00:00:00Z", "engagedAt": "2024-04-02T00:00:00Z"},
			sel: `kind notifiedAt engagedAt objectionDeadline objection outcome processor { id name } subprocessor { id name }`,
			created: func(o map[string]any) {
				assert.Equal(t, "ADDED", o["kind"])
				assert.Equal(t, w.Vendor, dig(o, "processor.id"))
				assert.Equal(t, w.Vendor2, dig(o, "subprocessor.id"))
				requireTime(t, "2024-03-01T00:00:00Z", o["notifiedAt"])
			},
			update: map[string]any{"outcome": "ACCEPTED"},
			updated: func(o map[string]any) {
				assert.Equal(t, "ACCEPTED", o["outcome"])
				requireTime(t, "2024-03-31T00:00:00Z", o["objectionDeadline"])
			},
		})
	})
}

func TestCRUDDisclosure(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db, server.Config{})
		w := a.seedWorld()
		a.crud(crudSpec{
			typ: "Disclosure", list: "disclosures",
			in: map[string]any{"transferID": w.Transfer, "disclosedAt": "2024-09-15T14:00:00Z", "reference": "batch-7",
				"userIDs": []string{w.User}, "categoryIDs": []string{w.Child}},
			sel: `disclosedAt reference transferID transfer { id } users(first: 10) { totalCount edges { node { id } } } categories { id }`,
			created: func(o map[string]any) {
				requireTime(t, "2024-09-15T14:00:00Z", o["disclosedAt"])
				assert.Equal(t, w.Transfer, dig(o, "transfer.id"))
				assert.Equal(t, float64(1), dig(o, "users.totalCount"))
				assert.Equal(t, w.User, dig(o, "users.edges.0.node.id"))
				assert.Equal(t, []string{w.Child}, ids(o["categories"]))
			},
			update: map[string]any{"reference": "batch-7b"},
			updated: func(o map[string]any) {
				assert.Equal(t, "batch-7b", o["reference"])
				requireTime(t, "2024-09-15T14:00:00Z", o["disclosedAt"])
			},
		})
	})
}

func TestCRUDAdequacyDecision(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db, server.Config{})
		// The EU's decisions ship as reference data.
		d := a.data(`{ adequacyDecisions(where: {countryID: "cty_JP", regime: EU_GDPR}) { totalCount edges { node { scope country { name } } } } }`, nil)
		require.GreaterOrEqual(t, dig(d, "adequacyDecisions.totalCount"), float64(1), "Japan's EU adequacy decision is loaded")
		assert.Equal(t, "Japan", dig(d, "adequacyDecisions.edges.0.node.country.name"))

		a.crud(crudSpec{
			typ: "AdequacyDecision", list: "adequacyDecisions",
			in: map[string]any{"regime": "CH_FADP", "countryID": "cty_BR", "scope": "COMMERCIAL_ORGANISATIONS",
				"reference": "FADP Annex 1 (test)", "validFrom": "2030-06-01T00:00:00Z", "note": "hypothetical"},
			sel: `regime scope reference validFrom validUntil note countryID country { code name }`,
			created: func(o map[string]any) {
				assert.Equal(t, "CH_FADP", o["regime"])
				assert.Equal(t, "Brazil", dig(o, "country.name"))
				requireTime(t, "2030-06-01T00:00:00Z", o["validFrom"])
				assert.Nil(t, o["validUntil"])
			},
			update: map[string]any{"validUntil": "2034-06-01T00:00:00Z", "scope": "FULL"},
			updated: func(o map[string]any) {
				assert.Equal(t, "FULL", o["scope"])
				requireTime(t, "2034-06-01T00:00:00Z", o["validUntil"])
			},
		})
	})
}

// TestDatedFactsTakeTheirRealDateOrNow checks every dated fact can be loaded
// with a date in the past and defaults to the time of the write otherwise.
func TestDatedFactsTakeTheirRealDateOrNow(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db, server.Config{})
		w := a.seedWorld()
		cases := []struct {
			typ, field, past string
			in               map[string]any
			readBack         string // extra field to check, e.g. dueAt
		}{
			{"Request", "receivedAt", "2025-03-14T00:00:00Z", map[string]any{"userID": w.User, "kind": "ACCESS"}, "dueAt"},
			{"Disclosure", "disclosedAt", "2024-10-01T16:45:00Z", map[string]any{"transferID": w.Transfer, "userIDs": []string{w.User}}, ""},
			{"DataRecord", "collectedAt", "2023-12-24T18:00:00Z", map[string]any{"userID": w.User, "categoryID": w.Child, "collectorOrganizationID": w.Org, "source": "PROVIDED"}, ""},
			{"SubprocessorChange", "notifiedAt", "2024-02-29T00:00:00Z", map[string]any{"kind": "ADDED", "processorID": w.Vendor, "subprocessorID": w.Vendor2}, ""},
			{"Assessment", "performedAt", "2024-01-15T00:00:00Z", map[string]any{"kind": "VENDOR_REVIEW", "vendorID": w.Vendor, "outcome": "PASS"}, ""},
		}
		for _, c := range cases {
			t.Run(c.typ, func(t *testing.T) {
				a := a.with(t)
				sel := c.field
				if c.readBack != "" {
					sel += " " + c.readBack
				}
				// With the real date in the past.
				in := map[string]any{c.field: c.past}
				for k, v := range c.in {
					in[k] = v
				}
				o := a.createSel(c.typ, in, sel)
				requireTime(t, c.past, o[c.field])
				requireTime(t, c.past, a.node(o["id"].(string), c.typ, sel)[c.field])

				// Left out: about now.
				start := time.Now()
				o = a.createSel(c.typ, c.in, sel)
				requireAboutNow(t, start, o[c.field])
				requireAboutNow(t, start, a.node(o["id"].(string), c.typ, sel)[c.field])
				if c.readBack == "dueAt" {
					received := parseTime(t, o["receivedAt"])
					want := received.AddDate(0, 1, 0)
					if want.Day() != received.Day() { // past the end of a shorter month
						want = want.AddDate(0, 0, -want.Day())
					}
					got := parseTime(t, o["dueAt"])
					require.WithinDuration(t, want, got, time.Second, "due one calendar month after receipt")
				}
			})
		}
		o := a.createSel("Request", map[string]any{"userID": w.User, "kind": "ACCESS", "receivedAt": "2025-03-14T00:00:00Z"}, `dueAt`)
		requireTime(t, "2025-04-14T00:00:00Z", o["dueAt"])
	})
}
