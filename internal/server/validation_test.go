package server_test

// The write rules as a client meets them: one BAD_USER_INPUT error naming the
// input field at fault, a clean message, and nothing written. Then atomicity,
// conflicts and deletes of objects still referred to.

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/privhub/privhub/ent/vendor"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/server"
	"github.com/privhub/privhub/internal/store"
	"github.com/privhub/privhub/internal/store/storetest"
)

// requireRefused runs a mutation that must be refused with BAD_USER_INPUT on
// one of the fields (the first is the one expected) and checks no row of any
// table changed in number.
func (a *api) requireRefused(query string, vars map[string]any, fields ...string) {
	a.t.Helper()
	before := rowCounts(a.t, a.db)
	r := a.s.Do(query, vars)
	require.Less(a.t, r.Status, 500, "HTTP status")
	e := requireOneError(a.t, r, "BAD_USER_INPUT", "")
	if len(fields) == 1 {
		assert.Equal(a.t, fields[0], e.Field(), "extensions.field of %q", e.Message)
	} else {
		assert.Contains(a.t, fields, e.Field(), "extensions.field of %q", e.Message)
	}
	assert.Equal(a.t, before, rowCounts(a.t, a.db), "a refused mutation writes nothing")
}

const (
	createVendorQ   = `mutation($in: CreateVendorInput!) { createVendor(input: $in) { vendor { id } } }`
	createContractQ = `mutation($in: CreateContractInput!) { createContract(input: $in) { contract { id } } }`
	createTransferQ = `mutation($in: CreateTransferInput!) { createTransfer(input: $in) { transfer { id } } }`
	createCategoryQ = `mutation($in: CreateDataCategoryInput!) { createDataCategory(input: $in) { dataCategory { id } } }`
	deleteNodeQ     = `mutation($id: ID!) { deleteNode(input: {id: $id}) { deletedId } }`
)

func in(kv map[string]any) map[string]any { return map[string]any{"in": kv} }

func TestWriteRulesRefuseBadInput(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db, server.Config{})
		w := a.seedWorld()
		transfer := func(extra map[string]any) map[string]any {
			m := map[string]any{"importerRole": "PROCESSOR", "countryID": "cty_US", "mechanism": "SCC", "categoryIDs": []string{w.Category}}
			for k, v := range extra {
				m[k] = v
			}
			return in(m)
		}

		t.Run("unknown country code", func(t *testing.T) {
			a := a.with(t)
			a.requireRefused(createVendorQ, in(map[string]any{"name": "Nowhere Ltd", "countryID": "cty_ZZ"}), "countryID")
			a.requireRefused(createVendorQ, in(map[string]any{"name": "Nowhere Ltd", "countryID": "be"}), "countryID")
			a.requireRefused(`mutation($id: ID!) { updateVendor(input: {id: $id, countryID: "cty_XX"}) { vendor { id } } }`, map[string]any{"id": w.Vendor}, "countryID")
		})
		t.Run("expiry before the effective date", func(t *testing.T) {
			a := a.with(t)
			a.requireRefused(createContractQ, in(map[string]any{"title": "DPA", "kind": "DPA",
				"effectiveAt": "2025-01-01T00:00:00Z", "expiresAt": "2024-12-31T00:00:00Z"}), "expiresAt")
			a.requireRefused(`mutation($id: ID!) { updateContract(input: {id: $id, effectiveAt: "2025-01-01T00:00:00Z", expiresAt: "2020-01-01T00:00:00Z"}) { contract { id } } }`,
				map[string]any{"id": w.DPA}, "expiresAt")
		})
		t.Run("SCC module on a DPA", func(t *testing.T) {
			a := a.with(t)
			a.requireRefused(createContractQ, in(map[string]any{"title": "DPA", "kind": "DPA", "sccModule": "C2P"}), "sccModule")
			a.requireRefused(`mutation($id: ID!) { updateContract(input: {id: $id, sccModule: C2C}) { contract { id } } }`, map[string]any{"id": w.DPA}, "sccModule")
		})
		t.Run("SCC without module", func(t *testing.T) {
			a := a.with(t)
			a.requireRefused(createContractQ, in(map[string]any{"title": "SCC", "kind": "SCC", "sccDecision": "DECISION_2021_914"}), "sccModule")
			a.requireRefused(`mutation($id: ID!) { updateContract(input: {id: $id, clearSccModule: true}) { contract { id } } }`, map[string]any{"id": w.SCC}, "sccModule")
		})
		t.Run("exporter is the importer", func(t *testing.T) {
			a := a.with(t)
			a.requireRefused(createTransferQ, transfer(map[string]any{"exporterVendorID": w.Vendor, "importerVendorID": w.Vendor}), "importerVendorID")
			a.requireRefused(`mutation($id: ID!, $v: ID!) { updateTransfer(input: {id: $id, clearExporterOrganization: true, exporterVendorID: $v}) { transfer { id } } }`,
				map[string]any{"id": w.Transfer, "v": w.Vendor}, "importerVendorID")
		})
		t.Run("clause of another contract", func(t *testing.T) {
			a := a.with(t)
			other := a.create("Contract", map[string]any{"title": "SCC Lumora", "kind": "SCC", "sccModule": "P2P", "sccDecision": "DECISION_2021_914"})
			foreign := a.create("Clause", map[string]any{"contractID": other, "reference": "Clause 9(a) Option 1"})
			a.requireRefused(createTransferQ, transfer(map[string]any{"exporterOrganizationID": w.Org, "importerVendorID": w.Vendor,
				"contractID": w.SCC, "clauseIDs": []string{w.Clause, foreign}}), "clauseIDs")
			a.requireRefused(createTransferQ, transfer(map[string]any{"exporterOrganizationID": w.Org, "importerVendorID": w.Vendor,
				"clauseIDs": []string{w.Clause}}), "clauseIDs") // clauses with no governing contract
			a.requireRefused(`mutation($id: ID!, $c: ID!) { updateTransfer(input: {id: $id, contractID: $c}) { transfer { id } } }`,
				map[string]any{"id": w.Transfer, "c": other}, "clauseIDs") // its clause now belongs to another contract
		})
		t.Run("category key not dotted lower-case", func(t *testing.T) {
			a := a.with(t)
			for _, key := range []string{"Contact", "contact..email", "Contact.Email", "contact.", ".contact", "contact email", ""} {
				a.requireRefused(createCategoryQ, in(map[string]any{"key": key, "name": "Contact"}), "key")
			}
			a.requireRefused(`mutation($id: ID!) { updateDataCategory(input: {id: $id, key: "Contact"}) { dataCategory { id } } }`, map[string]any{"id": w.Category}, "key")
		})
		// A root of the taxonomy has a one-segment key ("contact" is the
		// parent of "contact.email"), so a key without a dot is valid.
		t.Run("category root key", func(t *testing.T) {
			a := a.with(t)
			a.create("DataCategory", map[string]any{"key": "billing", "name": "Billing"})
		})
		t.Run("category parent cycle", func(t *testing.T) {
			a := a.with(t)
			// w.Child's parent is w.Category: making w.Category a child of
			// w.Child would close a loop.
			a.requireRefused(`mutation($id: ID!, $p: ID!) { updateDataCategory(input: {id: $id, parentID: $p}) { dataCategory { id } } }`,
				map[string]any{"id": w.Category, "p": w.Child}, "parentID")
			a.requireRefused(`mutation($id: ID!) { updateDataCategory(input: {id: $id, parentID: $id}) { dataCategory { id } } }`,
				map[string]any{"id": w.Category}, "parentID")
			grandchild := a.create("DataCategory", map[string]any{"key": "contact.details.email.work", "name": "Work email", "parentID": w.Child})
			a.requireRefused(`mutation($id: ID!, $p: ID!) { updateDataCategory(input: {id: $id, parentID: $p}) { dataCategory { id } } }`,
				map[string]any{"id": w.Category, "p": grandchild}, "parentID")
			d := a.data(`query($id: ID!) { dataCategories(where: {id: $id}) { edges { node { parent { id } } } } }`, map[string]any{"id": w.Category})
			assert.Nil(t, dig(d, "dataCategories.edges.0.node.parent"), "the refused update left the parent unset")
		})
		t.Run("vendor is its own parent", func(t *testing.T) {
			a := a.with(t)
			a.requireRefused(`mutation($id: ID!) { updateVendor(input: {id: $id, parentID: $id}) { vendor { id } } }`, map[string]any{"id": w.Vendor}, "parentID")
			a.create("Vendor", map[string]any{"name": "Nimbra EU", "countryID": "cty_IE", "parentID": w.Vendor})
			v, err := db.Client.Vendor.Get(context.Background(), pulid.ID(w.Vendor))
			require.NoError(t, err)
			assert.Nil(t, v.ParentID, "the refused update left the parent unset")
		})
		t.Run("two exporters", func(t *testing.T) {
			a := a.with(t)
			a.requireRefused(createTransferQ, transfer(map[string]any{"exporterOrganizationID": w.Org, "exporterVendorID": w.Vendor2,
				"importerVendorID": w.Vendor}), "exporterVendorID", "exporterOrganizationID")
			a.requireRefused(createTransferQ, transfer(map[string]any{"importerVendorID": w.Vendor}), "exporterVendorID", "exporterOrganizationID")
		})
		t.Run("retention period not ISO 8601", func(t *testing.T) {
			a := a.with(t)
			for _, p := range []string{"7 years", "P", "P7", "7Y", ""} {
				a.requireRefused(`mutation($in: CreateRetentionRuleInput!) { createRetentionRule(input: $in) { retentionRule { id } } }`,
					in(map[string]any{"categoryID": w.Category, "period": p, "trigger": "COLLECTION"}), "period")
			}
		})
	})
}

func TestMutationsAreAtomic(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db, server.Config{})
		w := a.seedWorld()
		ctx := context.Background()
		transfersBefore, err := db.Client.Transfer.Query().Count(ctx)
		require.NoError(t, err)
		before := rowCounts(t, db)

		missing := string(pulid.New("cat")) // a well-formed ID of no category
		r := a.s.Do(createTransferQ, in(map[string]any{
			"name": "Half a transfer", "exporterOrganizationID": w.Org, "importerVendorID": w.Vendor2,
			"importerRole": "PROCESSOR", "countryID": "cty_IN", "mechanism": "SCC",
			"categoryIDs": []string{w.Category, missing}, "purposeIDs": []string{w.Purpose},
		}))
		require.Less(t, r.Status, 500)
		require.Len(t, r.Errors, 1, "errors: %+v", r.Errors)
		assert.Contains(t, []string{"BAD_USER_INPUT", "NOT_FOUND"}, r.Errors[0].Code(), "extensions.code of %q", r.Errors[0].Message)
		assertCleanMessage(t, r.Errors[0].Message)
		assert.JSONEq(t, `null`, string(r.Data))

		transfersAfter, err := db.Client.Transfer.Query().Count(ctx)
		require.NoError(t, err)
		assert.Equal(t, transfersBefore, transfersAfter, "no transfer row was left behind")
		assert.Equal(t, before, rowCounts(t, db), "nothing at all was written")
		d := a.data(`{ transfers(where: {name: "Half a transfer"}) { totalCount } }`, nil)
		assert.Equal(t, float64(0), dig(d, "transfers.totalCount"))

		// Two mutations in one operation: the second fails, the first is
		// undone with it.
		vendorsBefore, err := db.Client.Vendor.Query().Count(ctx)
		require.NoError(t, err)
		r = a.s.Do(`mutation { a: createVendor(input: {name: "Fine Vendor", countryID: "cty_FR"}) { vendor { id } }
			b: createVendor(input: {name: "Bad Vendor", countryID: "cty_ZZ"}) { vendor { id } } }`, nil)
		require.NotEmpty(t, r.Errors)
		vendorsAfter, err := db.Client.Vendor.Query().Count(ctx)
		require.NoError(t, err)
		assert.Equal(t, vendorsBefore, vendorsAfter, "an operation's mutations succeed or fail together")
		n, err := db.Client.Vendor.Query().Where(vendor.Name("Fine Vendor")).Count(ctx)
		require.NoError(t, err)
		assert.Zero(t, n)
	})
}

func TestDuplicateVendorNameIsConflict(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db, server.Config{})
		a.create("Vendor", map[string]any{"name": "Nimbra Cloud Inc", "countryID": "cty_US"})
		other := a.create("Vendor", map[string]any{"name": "Lumora", "countryID": "cty_IN"})
		before := rowCounts(t, db)

		r := a.s.Do(createVendorQ, in(map[string]any{"name": "Nimbra Cloud Inc", "countryID": "cty_FR"}))
		requireOneError(t, r, "CONFLICT", "")
		assert.Equal(t, before, rowCounts(t, db))

		r = a.s.Do(`mutation($id: ID!) { updateVendor(input: {id: $id, name: "Nimbra Cloud Inc"}) { vendor { id } } }`, map[string]any{"id": other})
		requireOneError(t, r, "CONFLICT", "")
		d := a.data(`{ vendors(where: {name: "Nimbra Cloud Inc"}) { totalCount } }`, nil)
		assert.Equal(t, float64(1), dig(d, "vendors.totalCount"))
	})
}

func TestDeleteRefusesObjectsStillReferredTo(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db, server.Config{})
		w := a.seedWorld()
		ctx := context.Background()

		t.Run("vendor with transfers", func(t *testing.T) {
			a := a.with(t)
			before := rowCounts(t, db)
			r := a.s.Do(deleteNodeQ, map[string]any{"id": w.Vendor})
			requireOneError(t, r, "CONFLICT", "")
			assert.Equal(t, before, rowCounts(t, db))
			ok, err := db.Client.Vendor.Query().Where(vendor.ID(pulid.ID(w.Vendor))).Exist(ctx)
			require.NoError(t, err)
			assert.True(t, ok, "the vendor is still there")
			d := a.data(`query($id: ID!) { vendors(where: {id: $id}) { edges { node { name importedTransfers { totalCount } } } } }`, map[string]any{"id": w.Vendor})
			assert.Equal(t, "Nimbra Cloud Inc", dig(d, "vendors.edges.0.node.name"))
			assert.Equal(t, float64(1), dig(d, "vendors.edges.0.node.importedTransfers.totalCount"))
		})
		t.Run("category used by a purpose", func(t *testing.T) {
			a := a.with(t)
			cat := a.create("DataCategory", map[string]any{"key": "billing.invoice", "name": "Invoices"})
			a.create("Purpose", map[string]any{"key": "billing", "name": "Billing", "legalBasis": "LEGAL_OBLIGATION", "categoryIDs": []string{cat}})
			before := rowCounts(t, db)
			r := a.s.Do(deleteNodeQ, map[string]any{"id": cat})
			requireOneError(t, r, "CONFLICT", "")
			assert.Equal(t, before, rowCounts(t, db), "neither the category nor its link to the purpose was removed")
			d := a.data(`{ purposes(where: {key: "billing"}) { edges { node { categories { id } } } } }`, nil)
			assert.Equal(t, []string{cat}, ids(dig(d, "purposes.edges.0.node.categories")))
		})
		t.Run("category used by a transfer", func(t *testing.T) {
			a := a.with(t)
			// w.Category is carried by w.Transfer (and used by w.Purpose).
			before := rowCounts(t, db)
			requireOneError(t, a.s.Do(deleteNodeQ, map[string]any{"id": w.Category}), "CONFLICT", "")
			assert.Equal(t, before, rowCounts(t, db))
		})
		t.Run("contract with clauses and transfers", func(t *testing.T) {
			a := a.with(t)
			before := rowCounts(t, db)
			requireOneError(t, a.s.Do(deleteNodeQ, map[string]any{"id": w.SCC}), "CONFLICT", "")
			assert.Equal(t, before, rowCounts(t, db))
		})
		t.Run("unknown ID", func(t *testing.T) {
			a := a.with(t)
			before := rowCounts(t, db)
			for _, id := range []string{string(pulid.New("vnd")), string(pulid.New("trf")), "nonsense", "xyz_01hzzzzzzzzzzzzzzzzzzzzz"} {
				requireOneError(t, a.s.Do(deleteNodeQ, map[string]any{"id": id}), "NOT_FOUND", "")
			}
			assert.Equal(t, before, rowCounts(t, db))
		})
		t.Run("country", func(t *testing.T) {
			a := a.with(t)
			before := rowCounts(t, db)
			requireOneError(t, a.s.Do(deleteNodeQ, map[string]any{"id": "cty_FR"}), "BAD_USER_INPUT", "")
			assert.Equal(t, before, rowCounts(t, db))
		})
	})
}
