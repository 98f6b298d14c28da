package manifest

import (
	"context"
	"fmt"
	"regexp"
	"slices"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/contract"
	"github.com/privhub/privhub/ent/contractparty"
	"github.com/privhub/privhub/ent/datacategory"
	"github.com/privhub/privhub/ent/purpose"
	"github.com/privhub/privhub/ent/retentionrule"
	"github.com/privhub/privhub/ent/securitymeasure"
	"github.com/privhub/privhub/ent/transfer"
	"github.com/privhub/privhub/ent/vendor"
	"github.com/privhub/privhub/internal/vocab"
)

var (
	categoryKeyRE = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$`)
	purposeKeyRE  = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	periodRE      = regexp.MustCompile(`^P(?:[0-9]+Y)?(?:[0-9]+M)?(?:[0-9]+W)?(?:[0-9]+D)?$`)
)

// validate checks every value and reference of the desired manifest before
// anything is written: enum values, country codes, and the names of the
// holders, categories, purposes, contracts, clauses and transfers it refers
// to, which must be in the manifest (or, without prune, already in the hub).
// The first problem is returned as an *Error at its place in the source.
func validate(ctx context.Context, client *ent.Client, src *Source, want, have *Manifest, prune bool) error {
	countries := map[string]bool{}
	cs, err := client.Country.Query().IDs(ctx)
	if err != nil {
		return fmt.Errorf("reading countries: %w", err)
	}
	for _, c := range cs {
		countries[c.CountryCode()] = true
	}
	pool := want
	if !prune {
		pool = merged(have, want)
	}
	orgs, vendors, cats, purps, ctrs, trfs := set(), set(), set(), set(), set(), set()
	clauses := map[string]map[string]bool{}
	for _, o := range pool.Organizations {
		orgs[o.Name] = true
	}
	for _, v := range pool.Vendors {
		vendors[v.Name] = true
	}
	for _, c := range pool.Categories {
		cats[c.Key] = true
	}
	for _, p := range pool.Purposes {
		purps[p.Key] = true
	}
	for _, c := range pool.Contracts {
		ctrs[c.Title] = true
		clauses[c.Title] = map[string]bool{}
		for _, cl := range c.Clauses {
			clauses[c.Title][cl.Reference] = true
		}
	}
	for _, t := range pool.Transfers {
		trfs[t.Key()] = true
	}
	holder := func(name string) string {
		switch {
		case orgs[name] && vendors[name]:
			return fmt.Sprintf("%q names both an organization and a vendor", name)
		case !orgs[name] && !vendors[name]:
			return fmt.Sprintf("unknown organization or vendor %q", name)
		}
		return ""
	}
	country := func(code string) string {
		if !countries[code] {
			return fmt.Sprintf("unknown country %q (an ISO 3166-1 alpha-2 code)", code)
		}
		return ""
	}
	e := func(section string, i int, field, msg string) error { return src.at(section, i, field, msg) }
	dup := set()
	for i, o := range want.Organizations {
		if o.Name == "" {
			return e("organizations", i, "name", "an organization needs a name")
		}
		if dup["o"+o.Name] {
			return e("organizations", i, "name", fmt.Sprintf("organization %q is listed twice", o.Name))
		}
		dup["o"+o.Name] = true
		if msg := country(o.Country); msg != "" {
			return e("organizations", i, "country", msg)
		}
		if o.Parent != "" && !orgs[o.Parent] {
			return e("organizations", i, "parent", fmt.Sprintf("unknown organization %q", o.Parent))
		}
	}
	for i, c := range want.Categories {
		if !categoryKeyRE.MatchString(c.Key) {
			return e("categories", i, "key", fmt.Sprintf("category key %q must be a dotted lower-case path such as contact.email", c.Key))
		}
		if dup["c"+c.Key] {
			return e("categories", i, "key", fmt.Sprintf("category %q is listed twice", c.Key))
		}
		dup["c"+c.Key] = true
		if c.Parent != "" && !cats[c.Parent] {
			return e("categories", i, "parent", fmt.Sprintf("unknown data category %q", c.Parent))
		}
		if c.Sensitivity != "" && datacategory.SensitivityValidator(datacategory.Sensitivity(c.Sensitivity)) != nil {
			return e("categories", i, "sensitivity", fmt.Sprintf("sensitivity %q is not NORMAL, SPECIAL or CRIMINAL", c.Sensitivity))
		}
	}
	for i, p := range want.Purposes {
		if !purposeKeyRE.MatchString(p.Key) {
			return e("purposes", i, "key", fmt.Sprintf("purpose key %q must be lower-case, such as marketing", p.Key))
		}
		if dup["p"+p.Key] {
			return e("purposes", i, "key", fmt.Sprintf("purpose %q is listed twice", p.Key))
		}
		dup["p"+p.Key] = true
		if purpose.LegalBasisValidator(purpose.LegalBasis(p.LegalBasis)) != nil {
			return e("purposes", i, "legalBasis", fmt.Sprintf("legal basis %q is not one of Art. 6(1): CONSENT, CONTRACT, LEGAL_OBLIGATION, VITAL_INTERESTS, PUBLIC_TASK, LEGITIMATE_INTERESTS", p.LegalBasis))
		}
		for j, k := range p.SubjectKinds {
			if !vocab.Valid(k) {
				return e("purposes", i, fmt.Sprintf("subjectKinds[%d]", j), fmt.Sprintf("unknown subject kind %q", k))
			}
		}
		for j, k := range p.Categories {
			if !cats[k] {
				return e("purposes", i, fmt.Sprintf("categories[%d]", j), fmt.Sprintf("unknown data category %q", k))
			}
		}
	}
	for i, r := range want.RetentionRules {
		if !cats[r.Category] {
			return e("retentionRules", i, "category", fmt.Sprintf("unknown data category %q", r.Category))
		}
		if r.Purpose != "" && !purps[r.Purpose] {
			return e("retentionRules", i, "purpose", fmt.Sprintf("unknown purpose %q", r.Purpose))
		}
		if dup["r"+r.Key()] {
			return e("retentionRules", i, "category", fmt.Sprintf("a second retention rule for category %s and purpose %q", r.Category, r.Purpose))
		}
		dup["r"+r.Key()] = true
		if r.Period == "P" || !periodRE.MatchString(r.Period) {
			return e("retentionRules", i, "period", fmt.Sprintf("period %q must be an ISO 8601 period such as P7Y or P30D", r.Period))
		}
		if retentionrule.TriggerValidator(retentionrule.Trigger(r.Trigger)) != nil {
			return e("retentionRules", i, "trigger", fmt.Sprintf("unknown trigger %q", r.Trigger))
		}
		if r.Action != "" && retentionrule.ActionValidator(retentionrule.Action(r.Action)) != nil {
			return e("retentionRules", i, "action", fmt.Sprintf("action %q is not DELETE or ANONYMIZE", r.Action))
		}
	}
	for i, v := range want.Vendors {
		if v.Name == "" {
			return e("vendors", i, "name", "a vendor needs a name")
		}
		if dup["v"+v.Name] {
			return e("vendors", i, "name", fmt.Sprintf("vendor %q is listed twice", v.Name))
		}
		dup["v"+v.Name] = true
		if msg := country(v.Country); msg != "" {
			return e("vendors", i, "country", msg)
		}
		if v.Parent != "" && !vendors[v.Parent] {
			return e("vendors", i, "parent", fmt.Sprintf("unknown vendor %q", v.Parent))
		}
		if v.Status != "" && vendor.StatusValidator(vendor.Status(v.Status)) != nil {
			return e("vendors", i, "status", fmt.Sprintf("unknown status %q", v.Status))
		}
		if v.RiskTier != "" && vendor.RiskTierValidator(vendor.RiskTier(v.RiskTier)) != nil {
			return e("vendors", i, "riskTier", fmt.Sprintf("risk tier %q is not HIGH, MEDIUM or LOW", v.RiskTier))
		}
		for j, s := range v.Services {
			if !vocab.Valid(s) {
				return e("vendors", i, fmt.Sprintf("services[%d]", j), fmt.Sprintf("unknown service %q", s))
			}
		}
		for j, f := range v.DPFFrameworks {
			if !vocab.Valid(f) {
				return e("vendors", i, fmt.Sprintf("dpfFrameworks[%d]", j), fmt.Sprintf("unknown framework %q", f))
			}
		}
	}
	for i, c := range want.Contracts {
		if c.Title == "" {
			return e("contracts", i, "title", "a contract needs a title")
		}
		if dup["k"+c.Title] {
			return e("contracts", i, "title", fmt.Sprintf("contract %q is listed twice", c.Title))
		}
		dup["k"+c.Title] = true
		if contract.KindValidator(contract.Kind(c.Kind)) != nil {
			return e("contracts", i, "kind", fmt.Sprintf("unknown contract kind %q", c.Kind))
		}
		if c.Regime != "" && !vocab.Valid(c.Regime) {
			return e("contracts", i, "regime", fmt.Sprintf("unknown regime %q", c.Regime))
		}
		if c.SCCDecision != "" && contract.SccDecisionValidator(contract.SccDecision(c.SCCDecision)) != nil {
			return e("contracts", i, "sccDecision", fmt.Sprintf("unknown SCC decision %q", c.SCCDecision))
		}
		if c.SCCModule != "" && contract.SccModuleValidator(contract.SccModule(c.SCCModule)) != nil {
			return e("contracts", i, "sccModule", fmt.Sprintf("unknown SCC module %q", c.SCCModule))
		}
		if c.Clause9Option != "" && contract.Clause9OptionValidator(contract.Clause9Option(c.Clause9Option)) != nil {
			return e("contracts", i, "clause9Option", fmt.Sprintf("unknown Clause 9 option %q", c.Clause9Option))
		}
		for _, f := range []struct{ field, code string }{{"clause17Law", c.Clause17Law}, {"clause18Forum", c.Clause18Forum}} {
			if f.code != "" {
				if msg := country(f.code); msg != "" {
					return e("contracts", i, f.field, msg)
				}
			}
		}
		for j, s := range c.DPAStipulations {
			if !vocab.Valid(s) {
				return e("contracts", i, fmt.Sprintf("dpaStipulations[%d]", j), fmt.Sprintf("unknown stipulation %q", s))
			}
		}
		for j, p := range c.Parties {
			if msg := holder(p.Holder); msg != "" {
				return e("contracts", i, fmt.Sprintf("parties[%d].holder", j), msg)
			}
			if p.Side != "" && contractparty.SideValidator(contractparty.Side(p.Side)) != nil {
				return e("contracts", i, fmt.Sprintf("parties[%d].side", j), fmt.Sprintf("side %q is not EXPORTER, IMPORTER or PARTY", p.Side))
			}
			if !vocab.Valid(vocab.ProcessingRole(p.Capacity)) {
				return e("contracts", i, fmt.Sprintf("parties[%d].capacity", j), fmt.Sprintf("unknown capacity %q", p.Capacity))
			}
		}
		refs := set()
		for j, cl := range c.Clauses {
			if cl.Reference == "" || refs[cl.Reference] {
				return e("contracts", i, fmt.Sprintf("clauses[%d].reference", j), fmt.Sprintf("clause reference %q is empty or listed twice", cl.Reference))
			}
			refs[cl.Reference] = true
		}
	}
	for i, t := range want.Transfers {
		if dup["t"+t.Key()] {
			return e("transfers", i, "exporter", fmt.Sprintf("transfer %q is listed twice: give one a distinct name", t.Key()))
		}
		dup["t"+t.Key()] = true
		if msg := holder(t.Exporter); msg != "" {
			return e("transfers", i, "exporter", msg)
		}
		if msg := holder(t.Importer); msg != "" {
			return e("transfers", i, "importer", msg)
		}
		if msg := country(t.Country); msg != "" {
			return e("transfers", i, "country", msg)
		}
		if !vocab.Valid(vocab.ProcessingRole(t.ImporterRole)) {
			return e("transfers", i, "importerRole", fmt.Sprintf("unknown importer role %q", t.ImporterRole))
		}
		if t.Regime != "" && !vocab.Valid(t.Regime) {
			return e("transfers", i, "regime", fmt.Sprintf("unknown regime %q", t.Regime))
		}
		if !vocab.Valid(t.Mechanism) {
			return e("transfers", i, "mechanism", fmt.Sprintf("unknown mechanism %q", t.Mechanism))
		}
		if t.FallbackMechanism != "" && !vocab.Valid(t.FallbackMechanism) {
			return e("transfers", i, "fallbackMechanism", fmt.Sprintf("unknown mechanism %q", t.FallbackMechanism))
		}
		if t.Derogation != "" && transfer.DerogationValidator(transfer.Derogation(t.Derogation)) != nil {
			return e("transfers", i, "derogation", fmt.Sprintf("unknown Art. 49 derogation %q", t.Derogation))
		}
		if t.Contract != "" && !ctrs[t.Contract] {
			return e("transfers", i, "contract", fmt.Sprintf("unknown contract %q", t.Contract))
		}
		for j, ref := range t.Clauses {
			if t.Contract == "" || !clauses[t.Contract][ref] {
				return e("transfers", i, fmt.Sprintf("clauses[%d]", j), fmt.Sprintf("contract %q has no clause %q", t.Contract, ref))
			}
		}
		if len(t.Categories) == 0 {
			return e("transfers", i, "categories", "a transfer carries at least one data category")
		}
		for j, k := range t.Categories {
			if !cats[k] {
				return e("transfers", i, fmt.Sprintf("categories[%d]", j), fmt.Sprintf("unknown data category %q", k))
			}
		}
		for j, k := range t.Purposes {
			if !purps[k] {
				return e("transfers", i, fmt.Sprintf("purposes[%d]", j), fmt.Sprintf("unknown purpose %q", k))
			}
		}
		for j, s := range t.Safeguards {
			if !vocab.Valid(s) {
				return e("transfers", i, fmt.Sprintf("safeguards[%d]", j), fmt.Sprintf("unknown safeguard %q", s))
			}
		}
	}
	for i, s := range want.Measures {
		if dup["m"+s.Name] || s.Name == "" {
			return e("measures", i, "name", fmt.Sprintf("measure %q is unnamed or listed twice", s.Name))
		}
		dup["m"+s.Name] = true
		if securitymeasure.KindValidator(securitymeasure.Kind(s.Kind)) != nil {
			return e("measures", i, "kind", fmt.Sprintf("kind %q is not TECHNICAL or ORGANISATIONAL", s.Kind))
		}
		if securitymeasure.TopicValidator(securitymeasure.Topic(s.Topic)) != nil {
			return e("measures", i, "topic", fmt.Sprintf("unknown topic %q", s.Topic))
		}
		for j, o := range s.Organizations {
			if !orgs[o] {
				return e("measures", i, fmt.Sprintf("organizations[%d]", j), fmt.Sprintf("unknown organization %q", o))
			}
		}
		for j, v := range s.Vendors {
			if !vendors[v] {
				return e("measures", i, fmt.Sprintf("vendors[%d]", j), fmt.Sprintf("unknown vendor %q", v))
			}
		}
		for j, t := range s.Transfers {
			if !trfs[t] {
				return e("measures", i, fmt.Sprintf("transfers[%d]", j), fmt.Sprintf("unknown transfer %q", t))
			}
		}
	}
	return nil
}

func set() map[string]bool { return map[string]bool{} }

// merged returns the entries of have that want does not name, then want's.
func merged(have, want *Manifest) *Manifest {
	m := *want
	keep := func(n int, has func(i int) bool, add func(i int)) {
		for i := range n {
			if !has(i) {
				add(i)
			}
		}
	}
	wo := keys(want.Organizations, func(o Organization) string { return o.Name })
	keep(len(have.Organizations), func(i int) bool { return wo[have.Organizations[i].Name] }, func(i int) { m.Organizations = append(m.Organizations, have.Organizations[i]) })
	wv := keys(want.Vendors, func(v Vendor) string { return v.Name })
	keep(len(have.Vendors), func(i int) bool { return wv[have.Vendors[i].Name] }, func(i int) { m.Vendors = append(m.Vendors, have.Vendors[i]) })
	wc := keys(want.Categories, func(c Category) string { return c.Key })
	keep(len(have.Categories), func(i int) bool { return wc[have.Categories[i].Key] }, func(i int) { m.Categories = append(m.Categories, have.Categories[i]) })
	wp := keys(want.Purposes, func(p Purpose) string { return p.Key })
	keep(len(have.Purposes), func(i int) bool { return wp[have.Purposes[i].Key] }, func(i int) { m.Purposes = append(m.Purposes, have.Purposes[i]) })
	wk := keys(want.Contracts, func(c Contract) string { return c.Title })
	keep(len(have.Contracts), func(i int) bool { return wk[have.Contracts[i].Title] }, func(i int) { m.Contracts = append(m.Contracts, have.Contracts[i]) })
	wt := keys(want.Transfers, Transfer.Key)
	keep(len(have.Transfers), func(i int) bool { return wt[have.Transfers[i].Key()] }, func(i int) { m.Transfers = append(m.Transfers, have.Transfers[i]) })
	m.Organizations = slices.Clip(m.Organizations)
	return &m
}

func keys[T any](items []T, key func(T) string) map[string]bool {
	out := map[string]bool{}
	for _, it := range items {
		out[key(it)] = true
	}
	return out
}
