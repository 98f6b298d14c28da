package manifest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/internal/pulid"
)

// names maps the IDs of a hub's registry to their natural keys.
type names struct {
	holders    map[pulid.ID]string
	categories map[pulid.ID]string
	purposes   map[pulid.ID]string
	contracts  map[pulid.ID]string
	clauses    map[pulid.ID]string
	transfers  map[pulid.ID]string
}

// Read returns the registry held by client as a manifest, every list sorted
// by its natural key. It fails when two contracts share a title or two
// transfers share their exporter, importer and name, since a manifest could
// not tell them apart.
func Read(ctx context.Context, client *ent.Client) (*Manifest, error) {
	m, _, err := read(ctx, client)
	return m, err
}

// read is Read that also returns the IDs of what it read by natural key.
func read(ctx context.Context, client *ent.Client) (*Manifest, *index, error) {
	n := names{holders: map[pulid.ID]string{}, categories: map[pulid.ID]string{}, purposes: map[pulid.ID]string{},
		contracts: map[pulid.ID]string{}, clauses: map[pulid.ID]string{}, transfers: map[pulid.ID]string{}}
	ix := newIndex()
	m := &Manifest{}

	orgs, err := client.Organization.Query().All(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("reading organizations: %w", err)
	}
	vendors, err := client.Vendor.Query().All(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("reading vendors: %w", err)
	}
	for _, o := range orgs {
		n.holders[o.ID] = o.Name
		ix.orgs[o.Name] = o.ID
	}
	for _, v := range vendors {
		n.holders[v.ID] = v.Name
		ix.vendors[v.Name] = v.ID
	}
	for _, o := range orgs {
		m.Organizations = append(m.Organizations, Organization{
			Name: o.Name, LegalName: o.LegalName, Country: o.CountryID.CountryCode(), Parent: n.holder(o.ParentID),
			DPOContact: o.DpoContact, RepresentativeContact: o.RepresentativeContact, LeadSupervisoryAuthority: o.LeadSupervisoryAuthority,
		})
	}
	for _, v := range vendors {
		m.Vendors = append(m.Vendors, Vendor{
			Name: v.Name, LegalName: v.LegalName, Country: v.CountryID.CountryCode(), Parent: n.holder(v.ParentID),
			Services: v.Services, Status: string(v.Status), RiskTier: string(v.RiskTier), ReviewCadenceMonths: v.ReviewCadenceMonths,
			Certifications: v.Certifications, Website: v.Website, DPFFrameworks: v.DpfFrameworks,
			DPFActiveFrom: utc(v.DpfActiveFrom), DPFActiveUntil: utc(v.DpfActiveUntil), DPFLastVerified: utc(v.DpfLastVerified),
		})
	}

	cats, err := client.DataCategory.Query().All(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("reading data categories: %w", err)
	}
	for _, c := range cats {
		n.categories[c.ID] = c.Key
		ix.categories[c.Key] = c.ID
	}
	for _, c := range cats {
		m.Categories = append(m.Categories, Category{Key: c.Key, Name: c.Name, Parent: lookup(n.categories, c.ParentID),
			Sensitivity: string(c.Sensitivity), Description: c.Description})
	}

	purposes, err := client.Purpose.Query().WithCategories().All(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("reading purposes: %w", err)
	}
	for _, p := range purposes {
		n.purposes[p.ID] = p.Key
		ix.purposes[p.Key] = p.ID
		var keys []string
		for _, c := range p.Edges.Categories {
			keys = append(keys, c.Key)
		}
		m.Purposes = append(m.Purposes, Purpose{Key: p.Key, Name: p.Name, LegalBasis: string(p.LegalBasis), LegalBasisNote: p.LegalBasisNote,
			SubjectKinds: p.SubjectKinds, OptOutAllowed: p.OptOutAllowed, Marketing: p.Marketing, RetentionSummary: p.RetentionSummary,
			Description: p.Description, Categories: keys})
	}

	rules, err := client.RetentionRule.Query().All(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("reading retention rules: %w", err)
	}
	for _, r := range rules {
		rr := RetentionRule{Category: n.categories[r.CategoryID], Purpose: lookup(n.purposes, r.PurposeID), Period: r.Period,
			Trigger: string(r.Trigger), Action: string(r.Action), LegalBasis: r.LegalBasis, OverridesErasure: r.OverridesErasure}
		if _, dup := ix.rules[rr.Key()]; dup {
			return nil, nil, fmt.Errorf("two retention rules of category %s and purpose %q: a manifest cannot tell them apart", rr.Category, rr.Purpose)
		}
		ix.rules[rr.Key()] = r.ID
		m.RetentionRules = append(m.RetentionRules, rr)
	}

	contracts, err := client.Contract.Query().WithParties().WithClauses().All(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("reading contracts: %w", err)
	}
	for _, c := range contracts {
		if _, dup := ix.contracts[c.Title]; dup {
			return nil, nil, fmt.Errorf("two contracts are titled %q: give them distinct titles to keep them in a manifest", c.Title)
		}
		n.contracts[c.ID] = c.Title
		ix.contracts[c.Title] = c.ID
		mc := Contract{Title: c.Title, Kind: string(c.Kind), Regime: c.Regime, Clause9NoticeDays: c.Clause9NoticeDays,
			Clause13Authority: c.Clause13Authority, Clause17Law: codeOf(c.Clause17LawCountryID), Clause18Forum: codeOf(c.Clause18ForumCountryID),
			DPAStipulations: c.DpaStipulations, SignedAt: utc(c.SignedAt), EffectiveAt: utc(c.EffectiveAt), ExpiresAt: utc(c.ExpiresAt),
			DocumentRef: c.DocumentRef, DocumentSHA256: c.DocumentSha256}
		if c.SccDecision != nil {
			mc.SCCDecision = string(*c.SccDecision)
		}
		if c.SccModule != nil {
			mc.SCCModule = string(*c.SccModule)
		}
		if c.Clause9Option != nil {
			mc.Clause9Option = string(*c.Clause9Option)
		}
		for _, p := range c.Edges.Parties {
			holder := n.holder(p.OrganizationID)
			if holder == "" {
				holder = n.holder(p.VendorID)
			}
			mc.Parties = append(mc.Parties, Party{Holder: holder, Side: string(p.Side), Capacity: string(p.Capacity), AccessionDate: utc(p.AccessionDate)})
		}
		ix.clauses[c.Title] = map[string]pulid.ID{}
		for _, cl := range c.Edges.Clauses {
			n.clauses[cl.ID] = cl.Reference
			ix.clauses[c.Title][cl.Reference] = cl.ID
			mc.Clauses = append(mc.Clauses, Clause{Reference: cl.Reference, Topic: cl.Topic, Parameters: cl.Parameters})
		}
		m.Contracts = append(m.Contracts, mc)
	}

	transfers, err := client.Transfer.Query().WithCategories().WithPurposes().WithClauses().All(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("reading transfers: %w", err)
	}
	for _, t := range transfers {
		mt := Transfer{Name: t.Name, Exporter: first(n.holder(t.ExporterOrganizationID), n.holder(t.ExporterVendorID)),
			Importer: first(n.holder(t.ImporterOrganizationID), n.holder(t.ImporterVendorID)), ImporterRole: string(t.ImporterRole),
			Country: t.CountryID.CountryCode(), Regime: t.Regime, Mechanism: t.Mechanism, Contract: lookup(n.contracts, t.ContractID),
			Safeguards: t.Safeguards, HonoursOptOuts: t.HonoursOptOuts, ActiveFrom: t.ActiveFrom.UTC(), ActiveUntil: utc(t.ActiveUntil),
			Description: t.Description}
		if t.Derogation != nil {
			mt.Derogation = string(*t.Derogation)
		}
		if t.FallbackMechanism != nil {
			mt.FallbackMechanism = *t.FallbackMechanism
		}
		for _, c := range t.Edges.Categories {
			mt.Categories = append(mt.Categories, c.Key)
		}
		for _, p := range t.Edges.Purposes {
			mt.Purposes = append(mt.Purposes, p.Key)
		}
		for _, c := range t.Edges.Clauses {
			mt.Clauses = append(mt.Clauses, c.Reference)
		}
		if _, dup := ix.transfers[mt.Key()]; dup {
			return nil, nil, fmt.Errorf("two transfers are %q: give them distinct names to keep them in a manifest", mt.Key())
		}
		n.transfers[t.ID] = mt.Key()
		ix.transfers[mt.Key()] = t.ID
		m.Transfers = append(m.Transfers, mt)
	}

	measures, err := client.SecurityMeasure.Query().WithOrganizations().WithVendors().WithTransfers().All(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("reading security measures: %w", err)
	}
	for _, s := range measures {
		if _, dup := ix.measures[s.Name]; dup {
			return nil, nil, fmt.Errorf("two security measures are named %q: give them distinct names to keep them in a manifest", s.Name)
		}
		ix.measures[s.Name] = s.ID
		ms := Measure{Name: s.Name, Kind: string(s.Kind), Topic: string(s.Topic), Description: s.Description, VerifiedAt: utc(s.VerifiedAt)}
		for _, o := range s.Edges.Organizations {
			ms.Organizations = append(ms.Organizations, o.Name)
		}
		for _, v := range s.Edges.Vendors {
			ms.Vendors = append(ms.Vendors, v.Name)
		}
		for _, t := range s.Edges.Transfers {
			ms.Transfers = append(ms.Transfers, n.transfers[t.ID])
		}
		m.Measures = append(m.Measures, ms)
	}
	Normalize(m)
	return m, ix, nil
}

// Normalize fills the defaults a manifest may leave out and sorts every list,
// so that two manifests of the same registry compare equal.
func Normalize(m *Manifest) {
	for i := range m.Categories {
		c := &m.Categories[i]
		c.Sensitivity = or(c.Sensitivity, "NORMAL")
	}
	for i := range m.Purposes {
		slices.Sort(m.Purposes[i].Categories)
		m.Purposes[i].Categories = slices.Compact(m.Purposes[i].Categories)
	}
	for i := range m.RetentionRules {
		r := &m.RetentionRules[i]
		r.Action = or(r.Action, "DELETE")
	}
	for i := range m.Vendors {
		v := &m.Vendors[i]
		v.Status = or(v.Status, "ACTIVE")
		v.RiskTier = or(v.RiskTier, "MEDIUM")
		if v.ReviewCadenceMonths == 0 {
			// The write rule's default: 12 months for HIGH, 24 for MEDIUM, 36 for LOW.
			v.ReviewCadenceMonths = map[string]int{"HIGH": 12, "MEDIUM": 24, "LOW": 36}[v.RiskTier]
		}
		v.DPFActiveFrom, v.DPFActiveUntil, v.DPFLastVerified = utc(v.DPFActiveFrom), utc(v.DPFActiveUntil), utc(v.DPFLastVerified)
	}
	for i := range m.Contracts {
		c := &m.Contracts[i]
		if c.Regime == "" {
			c.Regime = "EU_GDPR"
		}
		c.SignedAt, c.EffectiveAt, c.ExpiresAt = utc(c.SignedAt), utc(c.EffectiveAt), utc(c.ExpiresAt)
		for j := range c.Parties {
			c.Parties[j].Side = or(c.Parties[j].Side, "PARTY")
			c.Parties[j].AccessionDate = utc(c.Parties[j].AccessionDate)
		}
		slices.SortFunc(c.Parties, func(a, b Party) int { return strings.Compare(a.Holder+"\x00"+a.Side, b.Holder+"\x00"+b.Side) })
		slices.SortFunc(c.Clauses, func(a, b Clause) int { return strings.Compare(a.Reference, b.Reference) })
	}
	for i := range m.Transfers {
		t := &m.Transfers[i]
		if t.Regime == "" {
			t.Regime = "EU_GDPR"
		}
		t.ActiveFrom = t.ActiveFrom.UTC()
		t.ActiveUntil = utc(t.ActiveUntil)
		slices.Sort(t.Categories)
		slices.Sort(t.Purposes)
		slices.Sort(t.Clauses)
	}
	for i := range m.Measures {
		s := &m.Measures[i]
		s.VerifiedAt = utc(s.VerifiedAt)
		slices.Sort(s.Organizations)
		slices.Sort(s.Vendors)
		slices.Sort(s.Transfers)
	}
	slices.SortFunc(m.Organizations, func(a, b Organization) int { return strings.Compare(a.Name, b.Name) })
	slices.SortFunc(m.Categories, func(a, b Category) int { return strings.Compare(a.Key, b.Key) })
	slices.SortFunc(m.Purposes, func(a, b Purpose) int { return strings.Compare(a.Key, b.Key) })
	slices.SortFunc(m.RetentionRules, func(a, b RetentionRule) int { return strings.Compare(a.Key(), b.Key()) })
	slices.SortFunc(m.Vendors, func(a, b Vendor) int { return strings.Compare(a.Name, b.Name) })
	slices.SortFunc(m.Contracts, func(a, b Contract) int { return strings.Compare(a.Title, b.Title) })
	slices.SortFunc(m.Transfers, func(a, b Transfer) int { return strings.Compare(a.Key(), b.Key()) })
	slices.SortFunc(m.Measures, func(a, b Measure) int { return strings.Compare(a.Name, b.Name) })
}

func (n names) holder(id *pulid.ID) string { return lookup(n.holders, id) }

func lookup(m map[pulid.ID]string, id *pulid.ID) string {
	if id == nil {
		return ""
	}
	return m[*id]
}

// codeOf returns the ISO code of an optional country ID, or "".
func codeOf(id *pulid.ID) string {
	if id == nil {
		return ""
	}
	return id.CountryCode()
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

func first(a, b string) string { return or(a, b) }

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
