package manifest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"reflect"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/contract"
	"github.com/privhub/privhub/ent/contractparty"
	"github.com/privhub/privhub/ent/datacategory"
	"github.com/privhub/privhub/ent/purpose"
	"github.com/privhub/privhub/ent/retentionrule"
	"github.com/privhub/privhub/ent/securitymeasure"
	"github.com/privhub/privhub/ent/transfer"
	"github.com/privhub/privhub/ent/vendor"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/store"
	"github.com/privhub/privhub/internal/vocab"
)

// Change is one write a plan makes: the creation, update or deletion of one
// entry, named by its section and natural key.
type Change struct {
	Op      string   `json:"op"` // "create", "update" or "delete"
	Section string   `json:"section"`
	Key     string   `json:"key"`
	Fields  []string `json:"fields,omitempty"` // an update's changed fields
}

// String renders the change as "+ vendors Nimbra Cloud SAS".
func (c Change) String() string {
	sign := map[string]string{"create": "+", "update": "~", "delete": "-"}[c.Op]
	s := fmt.Sprintf("%s %s %s", sign, c.Section, c.Key)
	if len(c.Fields) > 0 {
		s += fmt.Sprintf(" %v", c.Fields)
	}
	return s
}

// WritePlan prints changes one a line, or "no changes".
func WritePlan(w io.Writer, changes []Change) {
	if len(changes) == 0 {
		fmt.Fprintln(w, "no changes")
		return
	}
	n := map[string]int{}
	for _, c := range changes {
		fmt.Fprintln(w, c)
		n[c.Op]++
	}
	fmt.Fprintf(w, "%d to create, %d to update, %d to delete\n", n["create"], n["update"], n["delete"])
}

// Plan returns what Apply would change on the hub, writing nothing.
func Plan(ctx context.Context, client *ent.Client, src *Source, prune bool) ([]Change, error) {
	have, _, err := read(ctx, client)
	if err != nil {
		return nil, err
	}
	want := src.Manifest
	if err := validate(ctx, client, src, want, have, prune); err != nil {
		return nil, err
	}
	return diff(have, normalized(want), prune), nil
}

// Apply makes the hub's registry what the manifest says, in one
// transaction: it creates and updates what differs and, with prune, deletes
// what the manifest no longer names. It validates every reference first and
// writes nothing when one fails. It returns the changes made.
func Apply(ctx context.Context, client *ent.Client, src *Source, prune bool) (changes []Change, err error) {
	err = store.RunTx(ctx, client, func(ctx context.Context, c *ent.Client) error {
		have, ix, err := read(ctx, c)
		if err != nil {
			return err
		}
		if err := validate(ctx, c, src, src.Manifest, have, prune); err != nil {
			return err
		}
		want := normalized(src.Manifest)
		changes = diff(have, want, prune)
		if len(changes) == 0 {
			return nil
		}
		return (&writer{c: c, ix: ix, have: have}).write(ctx, want, changes)
	})
	if err != nil {
		return nil, err
	}
	return changes, nil
}

func normalized(m *Manifest) *Manifest {
	b, _ := json.Marshal(m)
	var out Manifest
	_ = json.Unmarshal(b, &out)
	Normalize(&out)
	return &out
}

// diff compares the two normalized manifests section by section.
func diff(have, want *Manifest, prune bool) []Change {
	var out []Change
	out = append(out, diffSection("organizations", have.Organizations, want.Organizations, func(o Organization) string { return o.Name }, prune)...)
	out = append(out, diffSection("categories", have.Categories, want.Categories, func(c Category) string { return c.Key }, prune)...)
	out = append(out, diffSection("purposes", have.Purposes, want.Purposes, func(p Purpose) string { return p.Key }, prune)...)
	out = append(out, diffSection("retentionRules", have.RetentionRules, want.RetentionRules, RetentionRule.Key, prune)...)
	out = append(out, diffSection("vendors", have.Vendors, want.Vendors, func(v Vendor) string { return v.Name }, prune)...)
	out = append(out, diffSection("contracts", have.Contracts, want.Contracts, func(c Contract) string { return c.Title }, prune)...)
	out = append(out, diffSection("transfers", have.Transfers, want.Transfers, Transfer.Key, prune)...)
	out = append(out, diffSection("measures", have.Measures, want.Measures, func(s Measure) string { return s.Name }, prune)...)
	return out
}

func diffSection[T any](section string, have, want []T, key func(T) string, prune bool) []Change {
	old := map[string]T{}
	for _, h := range have {
		old[key(h)] = h
	}
	named := map[string]bool{}
	var out []Change
	for _, w := range want {
		k := key(w)
		named[k] = true
		h, ok := old[k]
		if !ok {
			out = append(out, Change{Op: "create", Section: section, Key: k})
			continue
		}
		if fields := changedFields(h, w); len(fields) > 0 {
			out = append(out, Change{Op: "update", Section: section, Key: k, Fields: fields})
		}
	}
	if prune {
		for _, h := range have {
			if k := key(h); !named[k] {
				out = append(out, Change{Op: "delete", Section: section, Key: k})
			}
		}
	}
	return out
}

// changedFields lists the JSON names of the fields that differ.
func changedFields(a, b any) []string {
	var ma, mb map[string]json.RawMessage
	ba, _ := json.Marshal(a)
	bb, _ := json.Marshal(b)
	_ = json.Unmarshal(ba, &ma)
	_ = json.Unmarshal(bb, &mb)
	var out []string
	seen := map[string]bool{}
	for _, m := range []map[string]json.RawMessage{ma, mb} {
		for k := range m {
			if !seen[k] && string(ma[k]) != string(mb[k]) {
				out = append(out, k)
			}
			seen[k] = true
		}
	}
	sortStrings(out)
	return out
}

// writer performs a plan's changes through one transaction's client.
type writer struct {
	c    *ent.Client
	ix   *index
	have *Manifest
}

func (w *writer) write(ctx context.Context, want *Manifest, changes []Change) error {
	ops := map[string]map[string]string{}
	for _, c := range changes {
		if ops[c.Section] == nil {
			ops[c.Section] = map[string]string{}
		}
		ops[c.Section][c.Key] = c.Op
	}
	// Deletions first, dependants before what they depend on.
	for _, section := range []string{"measures", "transfers", "retentionRules", "contracts", "purposes", "vendors", "categories", "organizations"} {
		for k, op := range ops[section] {
			if op == "delete" {
				if err := w.delete(ctx, section, k); err != nil {
					return fmt.Errorf("deleting %s %q: %w", section, k, err)
				}
			}
		}
	}
	for _, o := range want.Organizations {
		if err := w.organization(ctx, o, ops["organizations"][o.Name], false); err != nil {
			return err
		}
	}
	for _, o := range want.Organizations {
		if err := w.organization(ctx, o, ops["organizations"][o.Name], true); err != nil {
			return err
		}
	}
	for _, pass := range []bool{false, true} {
		for _, c := range want.Categories {
			if err := w.category(ctx, c, ops["categories"][c.Key], pass); err != nil {
				return err
			}
		}
	}
	for _, p := range want.Purposes {
		if err := w.purpose(ctx, p, ops["purposes"][p.Key]); err != nil {
			return err
		}
	}
	for _, r := range want.RetentionRules {
		if err := w.rule(ctx, r, ops["retentionRules"][r.Key()]); err != nil {
			return err
		}
	}
	for _, pass := range []bool{false, true} {
		for _, v := range want.Vendors {
			if err := w.vendor(ctx, v, ops["vendors"][v.Name], pass); err != nil {
				return err
			}
		}
	}
	for _, c := range want.Contracts {
		if err := w.contract(ctx, c, ops["contracts"][c.Title]); err != nil {
			return err
		}
	}
	for _, t := range want.Transfers {
		if err := w.transfer(ctx, t, ops["transfers"][t.Key()]); err != nil {
			return err
		}
	}
	for _, s := range want.Measures {
		if err := w.measure(ctx, s, ops["measures"][s.Name]); err != nil {
			return err
		}
	}
	return nil
}

func (w *writer) delete(ctx context.Context, section, key string) error {
	switch section {
	case "measures":
		return w.c.SecurityMeasure.DeleteOneID(w.ix.measures[key]).Exec(ctx)
	case "transfers":
		return w.c.Transfer.DeleteOneID(w.ix.transfers[key]).Exec(ctx)
	case "retentionRules":
		return w.c.RetentionRule.DeleteOneID(w.ix.rules[key]).Exec(ctx)
	case "contracts":
		id := w.ix.contracts[key]
		if _, err := w.c.ContractParty.Delete().Where(contractparty.ContractID(id)).Exec(ctx); err != nil {
			return err
		}
		for _, cl := range w.ix.clauses[key] {
			if err := w.c.Clause.DeleteOneID(cl).Exec(ctx); err != nil {
				return err
			}
		}
		return w.c.Contract.DeleteOneID(id).Exec(ctx)
	case "purposes":
		return w.c.Purpose.DeleteOneID(w.ix.purposes[key]).Exec(ctx)
	case "vendors":
		return w.c.Vendor.DeleteOneID(w.ix.vendors[key]).Exec(ctx)
	case "categories":
		return w.c.DataCategory.DeleteOneID(w.ix.categories[key]).Exec(ctx)
	case "organizations":
		return w.c.Organization.DeleteOneID(w.ix.orgs[key]).Exec(ctx)
	}
	return nil
}

// organization writes o's fields (pass false) or its parent (pass true).
func (w *writer) organization(ctx context.Context, o Organization, op string, parents bool) error {
	if op == "" {
		return nil
	}
	if parents {
		u := w.c.Organization.UpdateOneID(w.ix.orgs[o.Name])
		if o.Parent != "" {
			u.SetParentID(w.ix.orgs[o.Parent])
		} else {
			u.ClearParent()
		}
		return wrap("setting the parent of organization", o.Name, u.Exec(ctx))
	}
	var m *ent.OrganizationMutation
	var save func() (*ent.Organization, error)
	if op == "create" {
		c := w.c.Organization.Create()
		m, save = c.Mutation(), func() (*ent.Organization, error) { return c.Save(ctx) }
	} else {
		u := w.c.Organization.UpdateOneID(w.ix.orgs[o.Name])
		m, save = u.Mutation(), func() (*ent.Organization, error) { return u.Save(ctx) }
	}
	m.SetName(o.Name)
	m.SetLegalName(o.LegalName)
	m.SetCountryID(pulid.Country(o.Country))
	m.SetDpoContact(o.DPOContact)
	m.SetRepresentativeContact(o.RepresentativeContact)
	m.SetLeadSupervisoryAuthority(o.LeadSupervisoryAuthority)
	saved, err := save()
	if err != nil {
		return wrap("writing organization", o.Name, err)
	}
	w.ix.orgs[o.Name] = saved.ID
	return nil
}

func (w *writer) category(ctx context.Context, c Category, op string, parents bool) error {
	if op == "" {
		return nil
	}
	if parents {
		u := w.c.DataCategory.UpdateOneID(w.ix.categories[c.Key])
		if c.Parent != "" {
			u.SetParentID(w.ix.categories[c.Parent])
		} else {
			u.ClearParent()
		}
		return wrap("setting the parent of category", c.Key, u.Exec(ctx))
	}
	var m *ent.DataCategoryMutation
	var save func() (*ent.DataCategory, error)
	if op == "create" {
		cr := w.c.DataCategory.Create()
		m, save = cr.Mutation(), func() (*ent.DataCategory, error) { return cr.Save(ctx) }
	} else {
		u := w.c.DataCategory.UpdateOneID(w.ix.categories[c.Key])
		m, save = u.Mutation(), func() (*ent.DataCategory, error) { return u.Save(ctx) }
	}
	m.SetKey(c.Key)
	m.SetName(c.Name)
	m.SetSensitivity(datacategory.Sensitivity(c.Sensitivity))
	m.SetDescription(c.Description)
	saved, err := save()
	if err != nil {
		return wrap("writing category", c.Key, err)
	}
	w.ix.categories[c.Key] = saved.ID
	return nil
}

func (w *writer) purpose(ctx context.Context, p Purpose, op string) error {
	if op == "" {
		return nil
	}
	var m *ent.PurposeMutation
	var save func() (*ent.Purpose, error)
	if op == "create" {
		c := w.c.Purpose.Create()
		m, save = c.Mutation(), func() (*ent.Purpose, error) { return c.Save(ctx) }
	} else {
		u := w.c.Purpose.UpdateOneID(w.ix.purposes[p.Key])
		m, save = u.Mutation(), func() (*ent.Purpose, error) { return u.Save(ctx) }
		m.ClearCategories()
	}
	m.SetKey(p.Key)
	m.SetName(p.Name)
	m.SetLegalBasis(purpose.LegalBasis(p.LegalBasis))
	m.SetLegalBasisNote(p.LegalBasisNote)
	m.SetSubjectKinds(p.SubjectKinds)
	m.SetOptOutAllowed(p.OptOutAllowed)
	m.SetMarketing(p.Marketing)
	m.SetRetentionSummary(p.RetentionSummary)
	m.SetDescription(p.Description)
	m.AddCategoryIDs(w.ix.categoryIDs(p.Categories)...)
	saved, err := save()
	if err != nil {
		return wrap("writing purpose", p.Key, err)
	}
	w.ix.purposes[p.Key] = saved.ID
	return nil
}

func (w *writer) rule(ctx context.Context, r RetentionRule, op string) error {
	if op == "" {
		return nil
	}
	var m *ent.RetentionRuleMutation
	var save func() (*ent.RetentionRule, error)
	if op == "create" {
		c := w.c.RetentionRule.Create()
		m, save = c.Mutation(), func() (*ent.RetentionRule, error) { return c.Save(ctx) }
	} else {
		u := w.c.RetentionRule.UpdateOneID(w.ix.rules[r.Key()])
		m, save = u.Mutation(), func() (*ent.RetentionRule, error) { return u.Save(ctx) }
		clearIf(r.Purpose == "", m.ClearPurpose)
	}
	m.SetCategoryID(w.ix.categories[r.Category])
	if r.Purpose != "" {
		m.SetPurposeID(w.ix.purposes[r.Purpose])
	}
	m.SetPeriod(r.Period)
	m.SetTrigger(retentionrule.Trigger(r.Trigger))
	m.SetAction(retentionrule.Action(r.Action))
	m.SetLegalBasis(r.LegalBasis)
	m.SetOverridesErasure(r.OverridesErasure)
	saved, err := save()
	if err != nil {
		return wrap("writing retention rule", r.Key(), err)
	}
	w.ix.rules[r.Key()] = saved.ID
	return nil
}

func (w *writer) vendor(ctx context.Context, v Vendor, op string, parents bool) error {
	if op == "" {
		return nil
	}
	if parents {
		u := w.c.Vendor.UpdateOneID(w.ix.vendors[v.Name])
		if v.Parent != "" {
			u.SetParentID(w.ix.vendors[v.Parent])
		} else {
			u.ClearParent()
		}
		return wrap("setting the parent of vendor", v.Name, u.Exec(ctx))
	}
	var m *ent.VendorMutation
	var save func() (*ent.Vendor, error)
	update := op != "create"
	if !update {
		c := w.c.Vendor.Create()
		m, save = c.Mutation(), func() (*ent.Vendor, error) { return c.Save(ctx) }
	} else {
		u := w.c.Vendor.UpdateOneID(w.ix.vendors[v.Name])
		m, save = u.Mutation(), func() (*ent.Vendor, error) { return u.Save(ctx) }
		clearIf(v.ReviewCadenceMonths == 0, m.ClearReviewCadenceMonths)
		clearIf(v.Website == "", m.ClearWebsite)
		clearIf(v.DPFActiveFrom == nil, m.ClearDpfActiveFrom)
		clearIf(v.DPFActiveUntil == nil, m.ClearDpfActiveUntil)
		clearIf(v.DPFLastVerified == nil, m.ClearDpfLastVerified)
	}
	m.SetName(v.Name)
	m.SetLegalName(v.LegalName)
	m.SetCountryID(pulid.Country(v.Country))
	m.SetServices(v.Services)
	m.SetStatus(vendor.Status(v.Status))
	m.SetRiskTier(vendor.RiskTier(v.RiskTier))
	if v.ReviewCadenceMonths > 0 {
		m.SetReviewCadenceMonths(v.ReviewCadenceMonths)
	}
	m.SetCertifications(v.Certifications)
	if v.Website != "" {
		m.SetWebsite(v.Website)
	}
	m.SetDpfFrameworks(v.DPFFrameworks)
	setTime(v.DPFActiveFrom, m.SetDpfActiveFrom)
	setTime(v.DPFActiveUntil, m.SetDpfActiveUntil)
	setTime(v.DPFLastVerified, m.SetDpfLastVerified)
	saved, err := save()
	if err != nil {
		return wrap("writing vendor", v.Name, err)
	}
	w.ix.vendors[v.Name] = saved.ID
	return nil
}

func (w *writer) contract(ctx context.Context, c Contract, op string) error {
	if op == "" {
		return nil
	}
	var m *ent.ContractMutation
	var save func() (*ent.Contract, error)
	var old *Contract
	if op == "create" {
		cr := w.c.Contract.Create()
		m, save = cr.Mutation(), func() (*ent.Contract, error) { return cr.Save(ctx) }
	} else {
		u := w.c.Contract.UpdateOneID(w.ix.contracts[c.Title])
		m, save = u.Mutation(), func() (*ent.Contract, error) { return u.Save(ctx) }
		clearIf(c.SCCDecision == "", m.ClearSccDecision)
		clearIf(c.SCCModule == "", m.ClearSccModule)
		clearIf(c.Clause9Option == "", m.ClearClause9Option)
		clearIf(c.Clause9NoticeDays == nil, m.ClearClause9NoticeDays)
		clearIf(c.Clause17Law == "", m.ClearClause17LawCountry)
		clearIf(c.Clause18Forum == "", m.ClearClause18ForumCountry)
		clearIf(c.SignedAt == nil, m.ClearSignedAt)
		clearIf(c.EffectiveAt == nil, m.ClearEffectiveAt)
		clearIf(c.ExpiresAt == nil, m.ClearExpiresAt)
		clearIf(c.DocumentSHA256 == "", m.ClearDocumentSha256)
		for i := range w.have.Contracts {
			if w.have.Contracts[i].Title == c.Title {
				old = &w.have.Contracts[i]
			}
		}
	}
	m.SetTitle(c.Title)
	m.SetKind(contract.Kind(c.Kind))
	m.SetRegime(c.Regime)
	if c.SCCDecision != "" {
		m.SetSccDecision(contract.SccDecision(c.SCCDecision))
	}
	if c.SCCModule != "" {
		m.SetSccModule(contract.SccModule(c.SCCModule))
	}
	if c.Clause9Option != "" {
		m.SetClause9Option(contract.Clause9Option(c.Clause9Option))
	}
	if c.Clause9NoticeDays != nil {
		m.SetClause9NoticeDays(*c.Clause9NoticeDays)
	}
	m.SetClause13Authority(c.Clause13Authority)
	if c.Clause17Law != "" {
		m.SetClause17LawCountryID(pulid.Country(c.Clause17Law))
	}
	if c.Clause18Forum != "" {
		m.SetClause18ForumCountryID(pulid.Country(c.Clause18Forum))
	}
	m.SetDpaStipulations(c.DPAStipulations)
	setTime(c.SignedAt, m.SetSignedAt)
	setTime(c.EffectiveAt, m.SetEffectiveAt)
	setTime(c.ExpiresAt, m.SetExpiresAt)
	m.SetDocumentRef(c.DocumentRef)
	if c.DocumentSHA256 != "" {
		m.SetDocumentSha256(c.DocumentSHA256)
	}
	saved, err := save()
	if err != nil {
		return wrap("writing contract", c.Title, err)
	}
	id := saved.ID
	w.ix.contracts[c.Title] = id
	if old == nil || !reflect.DeepEqual(jsonOf(old.Parties), jsonOf(c.Parties)) {
		if _, err := w.c.ContractParty.Delete().Where(contractparty.ContractID(id)).Exec(ctx); err != nil {
			return wrap("replacing the parties of contract", c.Title, err)
		}
		for _, p := range c.Parties {
			pc := w.c.ContractParty.Create().SetContractID(id).SetSide(contractparty.Side(p.Side)).SetCapacity(vocab.ProcessingRole(p.Capacity))
			if oid, ok := w.ix.orgs[p.Holder]; ok {
				pc.SetOrganizationID(oid)
			} else {
				pc.SetVendorID(w.ix.vendors[p.Holder])
			}
			setTime(p.AccessionDate, func(t timeT) { pc.SetAccessionDate(t) })
			if err := pc.Exec(ctx); err != nil {
				return wrap("writing a party of contract", c.Title, err)
			}
		}
	}
	if w.ix.clauses[c.Title] == nil {
		w.ix.clauses[c.Title] = map[string]pulid.ID{}
	}
	oldClauses := map[string]Clause{}
	if old != nil {
		for _, cl := range old.Clauses {
			oldClauses[cl.Reference] = cl
		}
	}
	named := map[string]bool{}
	for _, cl := range c.Clauses {
		named[cl.Reference] = true
		prev, ok := oldClauses[cl.Reference]
		switch {
		case !ok:
			saved, err := w.c.Clause.Create().SetContractID(id).SetReference(cl.Reference).SetTopic(cl.Topic).SetParameters(cl.Parameters).Save(ctx)
			if err != nil {
				return wrap("writing a clause of contract", c.Title, err)
			}
			w.ix.clauses[c.Title][cl.Reference] = saved.ID
		case !reflect.DeepEqual(jsonOf(prev), jsonOf(cl)):
			u := w.c.Clause.UpdateOneID(w.ix.clauses[c.Title][cl.Reference]).SetTopic(cl.Topic).SetParameters(cl.Parameters)
			if cl.Parameters == nil {
				u.ClearParameters()
			}
			if err := u.Exec(ctx); err != nil {
				return wrap("writing a clause of contract", c.Title, err)
			}
		}
	}
	for ref := range oldClauses {
		if !named[ref] {
			if err := w.c.Clause.DeleteOneID(w.ix.clauses[c.Title][ref]).Exec(ctx); err != nil {
				return wrap("deleting a clause of contract", c.Title, err)
			}
			delete(w.ix.clauses[c.Title], ref)
		}
	}
	return nil
}

func (w *writer) transfer(ctx context.Context, t Transfer, op string) error {
	if op == "" {
		return nil
	}
	var m *ent.TransferMutation
	var save func() (*ent.Transfer, error)
	if op == "create" {
		c := w.c.Transfer.Create()
		m, save = c.Mutation(), func() (*ent.Transfer, error) { return c.Save(ctx) }
	} else {
		u := w.c.Transfer.UpdateOneID(w.ix.transfers[t.Key()])
		m, save = u.Mutation(), func() (*ent.Transfer, error) { return u.Save(ctx) }
		_, exOrg := w.ix.orgs[t.Exporter]
		_, imOrg := w.ix.orgs[t.Importer]
		clearIf(!exOrg, m.ClearExporterOrganization)
		clearIf(exOrg, m.ClearExporterVendor)
		clearIf(!imOrg, m.ClearImporterOrganization)
		clearIf(imOrg, m.ClearImporterVendor)
		clearIf(t.Derogation == "", m.ClearDerogation)
		clearIf(t.FallbackMechanism == "", m.ClearFallbackMechanism)
		clearIf(t.Contract == "", m.ClearContract)
		clearIf(t.ActiveUntil == nil, m.ClearActiveUntil)
		m.ClearCategories()
		m.ClearPurposes()
		m.ClearClauses()
	}
	m.SetName(t.Name)
	if id, ok := w.ix.orgs[t.Exporter]; ok {
		m.SetExporterOrganizationID(id)
	} else {
		m.SetExporterVendorID(w.ix.vendors[t.Exporter])
	}
	if id, ok := w.ix.orgs[t.Importer]; ok {
		m.SetImporterOrganizationID(id)
	} else {
		m.SetImporterVendorID(w.ix.vendors[t.Importer])
	}
	m.SetImporterRole(vocab.ProcessingRole(t.ImporterRole))
	m.SetCountryID(pulid.Country(t.Country))
	m.SetRegime(t.Regime)
	m.SetMechanism(t.Mechanism)
	if t.Derogation != "" {
		m.SetDerogation(transfer.Derogation(t.Derogation))
	}
	if t.FallbackMechanism != "" {
		m.SetFallbackMechanism(t.FallbackMechanism)
	}
	if t.Contract != "" {
		m.SetContractID(w.ix.contracts[t.Contract])
		for _, ref := range t.Clauses {
			m.AddClauseIDs(w.ix.clauses[t.Contract][ref])
		}
	}
	m.SetSafeguards(t.Safeguards)
	m.SetHonoursOptOuts(t.HonoursOptOuts)
	m.SetActiveFrom(t.ActiveFrom)
	setTime(t.ActiveUntil, m.SetActiveUntil)
	m.SetDescription(t.Description)
	m.AddCategoryIDs(w.ix.categoryIDs(t.Categories)...)
	for _, p := range t.Purposes {
		m.AddPurposeIDs(w.ix.purposes[p])
	}
	saved, err := save()
	if err != nil {
		return wrap("writing transfer", t.Key(), err)
	}
	w.ix.transfers[t.Key()] = saved.ID
	return nil
}

func (w *writer) measure(ctx context.Context, s Measure, op string) error {
	if op == "" {
		return nil
	}
	var m *ent.SecurityMeasureMutation
	var save func() (*ent.SecurityMeasure, error)
	if op == "create" {
		c := w.c.SecurityMeasure.Create()
		m, save = c.Mutation(), func() (*ent.SecurityMeasure, error) { return c.Save(ctx) }
	} else {
		u := w.c.SecurityMeasure.UpdateOneID(w.ix.measures[s.Name])
		m, save = u.Mutation(), func() (*ent.SecurityMeasure, error) { return u.Save(ctx) }
		clearIf(s.VerifiedAt == nil, m.ClearVerifiedAt)
		m.ClearOrganizations()
		m.ClearVendors()
		m.ClearTransfers()
	}
	m.SetName(s.Name)
	m.SetKind(securitymeasure.Kind(s.Kind))
	m.SetTopic(securitymeasure.Topic(s.Topic))
	m.SetDescription(s.Description)
	setTime(s.VerifiedAt, m.SetVerifiedAt)
	for _, o := range s.Organizations {
		m.AddOrganizationIDs(w.ix.orgs[o])
	}
	for _, v := range s.Vendors {
		m.AddVendorIDs(w.ix.vendors[v])
	}
	for _, t := range s.Transfers {
		m.AddTransferIDs(w.ix.transfers[t])
	}
	saved, err := save()
	if err != nil {
		return wrap("writing security measure", s.Name, err)
	}
	w.ix.measures[s.Name] = saved.ID
	return nil
}
