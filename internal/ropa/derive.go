package ropa

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/retentionrule"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/retention"
	"github.com/privhub/privhub/internal/vocab"
)

// byName returns the organisations by name.
func (g *graph) byName() []*ent.Organization {
	out := make([]*ent.Organization, 0, len(g.orgs))
	for _, o := range g.orgs {
		out = append(out, o)
	}
	slices.SortFunc(out, func(a, b *ent.Organization) int { return cmp.Compare(a.Name, b.Name) })
	return out
}

// controls reports whether an organisation acts as controller: it
// collected personal data itself, or sends data as controller.
func (g *graph) controls(o *ent.Organization) bool {
	if len(g.collected[o.ID]) > 0 {
		return true
	}
	for _, t := range g.active {
		if exporterOf(t) == o.ID && !g.importsAsProcessor(o.ID) {
			return true
		}
	}
	return false
}

// importsAsProcessor reports whether a holder receives data as processor.
func (g *graph) importsAsProcessor(id pulid.ID) bool {
	return slices.ContainsFunc(g.active, func(t *ent.Transfer) bool { return importerOf(t) == id && processes(t) })
}

// processes reports whether a transfer's importer processes on the
// exporter's behalf.
func processes(t *ent.Transfer) bool {
	return t.ImporterRole == vocab.RoleProcessor || t.ImporterRole == vocab.RoleSubprocessor
}

// controllerRecord derives the Art. 30(1) record of organisation o.
func (g *graph) controllerRecord(o *ent.Organization) *ControllerRecord {
	r := &ControllerRecord{Controller: g.party(o.ID), JointControllers: []Party{}, Activities: []*Activity{}, Gaps: []Gap{}}
	src := []Source{{Type: "Organization", ID: o.ID}}
	if o.DpoContact == "" {
		r.Gaps = append(r.Gaps, Gap{Field: "30(1)(a) data protection officer", Reason: o.Name + " has no DPO contact on record (Organization.dpoContact)", Sources: src})
	}
	if k := g.countries[o.CountryID]; (k == nil || !k.Eea) && o.RepresentativeContact == "" {
		r.Gaps = append(r.Gaps, Gap{Field: "30(1)(a) representative", Reason: o.Name + " is established outside the EEA and has no Art. 27 representative on record", Sources: src})
	}
	for _, t := range g.active {
		if exporterOf(t) == o.ID && t.ImporterRole == vocab.RoleJointController {
			p := g.party(importerOf(t))
			p.Sources = append(p.Sources, Source{Type: "Transfer", ID: t.ID})
			r.JointControllers = append(r.JointControllers, p)
		}
	}
	purposes := slices.Clone(g.collected[o.ID])
	for _, t := range g.active {
		if exporterOf(t) == o.ID {
			for _, p := range t.Edges.Purposes {
				if !slices.Contains(purposes, p.ID) {
					purposes = append(purposes, p.ID)
				}
			}
		}
	}
	slices.SortFunc(purposes, func(a, b pulid.ID) int { return cmp.Compare(g.purposes[a].Key, g.purposes[b].Key) })
	for _, pid := range purposes {
		a, gaps := g.activity(o, g.purposes[pid])
		r.Activities = append(r.Activities, a)
		r.Gaps = append(r.Gaps, gaps...)
	}
	r.Measures = g.measuresOf(o)
	if len(r.Measures) == 0 {
		r.Gaps = append(r.Gaps, Gap{Field: "30(1)(g) security measures", Reason: "no technical or organisational measure is recorded for " + o.Name, Sources: src})
	}
	return r
}

// activity derives one processing activity of controller o: purpose p.
func (g *graph) activity(o *ent.Organization, p *ent.Purpose) (*Activity, []Gap) {
	psrc := []Source{{Type: "Purpose", ID: p.ID}}
	text := p.Name
	if p.Description != "" {
		text += ": " + p.Description
	}
	a := &Activity{Purpose: Line{Text: text, Sources: psrc}, LegalBasis: legalBasis(p),
		Subjects: []Line{}, Data: []Line{}, Recipients: []Line{}, Transfers: []Line{}, Erasure: []Line{}}
	var gaps []Gap
	gap := func(field, reason string, src ...Source) {
		gaps = append(gaps, Gap{Field: field + " (" + p.Key + ")", Reason: reason, Sources: append(slices.Clone(psrc), src...)})
	}
	for _, k := range p.SubjectKinds {
		a.Subjects = append(a.Subjects, Line{Text: strings.ToLower(strings.ReplaceAll(string(k), "_", " ")), Sources: psrc})
	}
	if len(a.Subjects) == 0 {
		gap("30(1)(c) categories of data subjects", "purpose "+p.Key+" names no kind of data subject (Purpose.subjectKinds)")
	}
	cats := slices.Clone(p.Edges.Categories)
	slices.SortFunc(cats, func(x, y *ent.DataCategory) int { return cmp.Compare(x.Key, y.Key) })
	for _, c := range cats {
		a.Data = append(a.Data, Line{Text: c.Key + " (" + c.Name + ")", Sources: append(slices.Clone(psrc), Source{Type: "DataCategory", ID: c.ID})})
	}
	if len(a.Data) == 0 {
		gap("30(1)(c) categories of personal data", "purpose "+p.Key+" names no data category (Purpose.categories)")
	}
	for _, t := range g.downstream(o.ID, p.ID) {
		to := importerOf(t)
		k := g.countries[t.CountryID]
		third := k == nil || !k.Eea
		where := countryName(k, t.CountryID)
		if third {
			where += ", third country"
		}
		src := []Source{{Type: "Transfer", ID: t.ID}, {Type: g.holderType(to), ID: to}}
		a.Recipients = append(a.Recipients, Line{Text: fmt.Sprintf("%s (%s, %s)", g.holderName(to), role(t.ImporterRole), where), Sources: src})
		if third {
			safeguard, ok := safeguardOf(t)
			if t.Edges.Contract != nil {
				src = append(src, Source{Type: "Contract", ID: t.Edges.Contract.ID})
			}
			a.Transfers = append(a.Transfers, Line{Text: fmt.Sprintf("%s to %s in %s: %s", g.holderName(exporterOf(t)), g.holderName(to), countryName(k, t.CountryID), safeguard), Sources: src})
			if !ok {
				gap("30(1)(e) transfer safeguard", fmt.Sprintf("the transfer to %s in %s names no Art. 46 safeguard or Art. 49 derogation", g.holderName(to), countryName(k, t.CountryID)), src...)
				gaps[len(gaps)-1].covered = true // the transfer rules report the transfer itself
			}
		}
	}
	// A retention rule per category where there is one (those of their
	// subcategories too); the purpose's own retention statement for the
	// others.
	var unruled []string
	var unruledSrc []Source
	listed := map[pulid.ID]bool{}
	for _, c := range cats {
		found := false
		for _, k := range g.subtree(c) {
			rule := g.policy.RuleFor(k.ID, p.ID)
			if rule == nil || (rule.CategoryID != k.ID && k.ID != c.ID) {
				continue // a rule inherited from above is listed at its own category
			}
			found = true
			if !listed[rule.ID] {
				listed[rule.ID] = true
				a.Erasure = append(a.Erasure, Line{Text: erasureText(g.cats[rule.CategoryID], rule),
					Sources: []Source{{Type: "RetentionRule", ID: rule.ID}, {Type: "DataCategory", ID: rule.CategoryID}}})
			}
		}
		if !found {
			unruled = append(unruled, c.Key)
			unruledSrc = append(unruledSrc, Source{Type: "DataCategory", ID: c.ID})
		}
	}
	switch {
	case len(unruled) == 0:
	case p.RetentionSummary != "":
		a.Erasure = append(a.Erasure, Line{Text: strings.Join(unruled, ", ") + ": " + p.RetentionSummary + " (the purpose's retention statement)",
			Sources: append(slices.Clone(psrc), unruledSrc...)})
	default:
		gap("30(1)(f) time limit for erasure", "no retention rule, nor a retention statement on the purpose, covers "+strings.Join(unruled, ", "), unruledSrc...)
	}
	return a, gaps
}

// subtree returns a category and its descendants, by key.
func (g *graph) subtree(c *ent.DataCategory) []*ent.DataCategory {
	out := []*ent.DataCategory{c}
	for i := 0; i < len(out); i++ {
		for _, k := range g.cats {
			if k.ParentID != nil && *k.ParentID == out[i].ID {
				out = append(out, k)
			}
		}
	}
	slices.SortFunc(out[1:], func(x, y *ent.DataCategory) int { return cmp.Compare(x.Key, y.Key) })
	return out
}

// downstream returns the active transfers carrying data for purpose p that
// start at holder from or at a holder its flows for p reach, in order.
func (g *graph) downstream(from, p pulid.ID) []*ent.Transfer {
	reached := map[pulid.ID]bool{from: true}
	queue := []pulid.ID{from}
	var out []*ent.Transfer
	seen := map[pulid.ID]bool{}
	for len(queue) > 0 {
		h := queue[0]
		queue = queue[1:]
		for _, t := range g.active {
			if exporterOf(t) != h || seen[t.ID] || !slices.ContainsFunc(t.Edges.Purposes, func(x *ent.Purpose) bool { return x.ID == p }) {
				continue
			}
			seen[t.ID] = true
			out = append(out, t)
			if to := importerOf(t); !reached[to] {
				reached[to] = true
				queue = append(queue, to)
			}
		}
	}
	return out
}

// processingFor returns the active transfers on which o receives data as
// processor.
func (g *graph) processingFor(o *ent.Organization) []*ent.Transfer {
	var out []*ent.Transfer
	for _, t := range g.active {
		if importerOf(t) == o.ID && processes(t) {
			out = append(out, t)
		}
	}
	return out
}

// processorRecord derives the Art. 30(2) record of organisation o.
func (g *graph) processorRecord(o *ent.Organization) *ProcessorRecord {
	r := &ProcessorRecord{Processor: g.party(o.ID), Controllers: []*OnBehalf{}, Gaps: []Gap{}}
	src := []Source{{Type: "Organization", ID: o.ID}}
	if o.DpoContact == "" {
		r.Gaps = append(r.Gaps, Gap{Field: "30(2)(a) data protection officer", Reason: o.Name + " has no DPO contact on record (Organization.dpoContact); record it, or that none is required", Sources: src})
	}
	by := map[pulid.ID]*OnBehalf{}
	var order []pulid.ID
	for _, t := range g.processingFor(o) {
		from := exporterOf(t)
		ob := by[from]
		if ob == nil {
			ob = &OnBehalf{Controller: g.party(from), Processing: []Line{}, Transfers: []Line{}}
			by[from] = ob
			order = append(order, from)
			if ob.Controller.DPO == "" {
				r.Gaps = append(r.Gaps, Gap{Field: "30(2)(a) controller's data protection officer", Reason: g.holderName(from) + " has no DPO contact on record",
					Sources: []Source{{Type: g.holderType(from), ID: from}}})
			}
		}
		var ps, cs []string
		for _, p := range t.Edges.Purposes {
			ps = append(ps, p.Name)
		}
		for _, c := range t.Edges.Categories {
			cs = append(cs, c.Key)
		}
		slices.Sort(ps)
		slices.Sort(cs)
		label := t.Name
		if label == "" {
			label = "processing"
		}
		ob.Processing = append(ob.Processing, Line{Text: fmt.Sprintf("%s: %s, of %s", label, strings.Join(ps, ", "), strings.Join(cs, ", ")),
			Sources: []Source{{Type: "Transfer", ID: t.ID}}})
		for _, p := range t.Edges.Purposes {
			for _, on := range g.downstream(o.ID, p.ID) {
				k := g.countries[on.CountryID]
				if k != nil && k.Eea || slices.ContainsFunc(ob.Transfers, func(l Line) bool { return l.Sources[0].ID == on.ID }) {
					continue
				}
				safeguard, ok := safeguardOf(on)
				lsrc := []Source{{Type: "Transfer", ID: on.ID}}
				if on.Edges.Contract != nil {
					lsrc = append(lsrc, Source{Type: "Contract", ID: on.Edges.Contract.ID})
				}
				ob.Transfers = append(ob.Transfers, Line{Text: fmt.Sprintf("%s to %s in %s: %s", g.holderName(exporterOf(on)), g.holderName(importerOf(on)), countryName(k, on.CountryID), safeguard), Sources: lsrc})
				if !ok {
					r.Gaps = append(r.Gaps, Gap{Field: "30(2)(c) transfer safeguard", Reason: "the onward transfer to " + g.holderName(importerOf(on)) + " names no safeguard", Sources: lsrc, covered: true})
				}
			}
		}
	}
	for _, id := range order {
		r.Controllers = append(r.Controllers, by[id])
	}
	r.Measures = g.measuresOf(o)
	if len(r.Measures) == 0 {
		r.Gaps = append(r.Gaps, Gap{Field: "30(2)(d) security measures", Reason: "no technical or organisational measure is recorded for " + o.Name, Sources: src})
	}
	return r
}

// party describes a holder as a record names it.
func (g *graph) party(id pulid.ID) Party {
	if o, ok := g.orgs[id]; ok {
		return Party{Name: o.Name, Contact: contact(o.LegalName, countryName(g.countries[o.CountryID], o.CountryID)),
			DPO: o.DpoContact, Representative: o.RepresentativeContact, Sources: []Source{{Type: "Organization", ID: id}}}
	}
	if v, ok := g.vendors[id]; ok {
		return Party{Name: v.Name, Contact: contact(v.LegalName, countryName(g.countries[v.CountryID], v.CountryID)), Sources: []Source{{Type: "Vendor", ID: id}}}
	}
	return Party{Name: string(id), Sources: []Source{}}
}

// measuresOf describes the security measures recorded for an organisation.
func (g *graph) measuresOf(o *ent.Organization) []Line {
	out := []Line{}
	for _, m := range g.measures {
		if !slices.ContainsFunc(m.Edges.Organizations, func(x *ent.Organization) bool { return x.ID == o.ID }) {
			continue
		}
		text := fmt.Sprintf("%s, %s: %s", strings.ToLower(string(m.Kind)), strings.ToLower(strings.ReplaceAll(string(m.Topic), "_", " ")), m.Name)
		out = append(out, Line{Text: text, Sources: []Source{{Type: "SecurityMeasure", ID: m.ID}}})
	}
	return out
}

func (g *graph) holderName(id pulid.ID) string {
	if o, ok := g.orgs[id]; ok {
		return o.Name
	}
	if v, ok := g.vendors[id]; ok {
		return v.Name
	}
	return string(id)
}

func (g *graph) holderType(id pulid.ID) string {
	if _, ok := g.orgs[id]; ok {
		return "Organization"
	}
	return "Vendor"
}

func exporterOf(t *ent.Transfer) pulid.ID {
	return either(t.ExporterOrganizationID, t.ExporterVendorID)
}
func importerOf(t *ent.Transfer) pulid.ID {
	return either(t.ImporterOrganizationID, t.ImporterVendorID)
}

func either(a, b *pulid.ID) pulid.ID {
	if a != nil {
		return *a
	}
	if b != nil {
		return *b
	}
	return ""
}

func contact(legal, country string) string {
	if legal == "" {
		return country
	}
	return legal + ", " + country
}

func countryName(k *ent.Country, id pulid.ID) string {
	if k == nil {
		return string(id)
	}
	return k.Name
}

func role(r vocab.ProcessingRole) string {
	return strings.ToLower(strings.ReplaceAll(string(r), "_", " "))
}

// legalBasis names a purpose's Art. 6 ground, with its note.
func legalBasis(p *ent.Purpose) string {
	s := strings.ToLower(strings.ReplaceAll(string(p.LegalBasis), "_", " "))
	if p.LegalBasisNote != "" {
		s += " (" + p.LegalBasisNote + ")"
	}
	return s
}

// safeguardOf names the Chapter V ground a transfer relies on; false when
// it names none.
func safeguardOf(t *ent.Transfer) (string, bool) {
	with := ""
	if t.Edges.Contract != nil {
		with = ": " + t.Edges.Contract.Title
	}
	switch t.Mechanism {
	case vocab.MechanismAdequacy:
		return "adequacy decision (Art. 45)", true
	case vocab.MechanismSCC:
		return "Standard Contractual Clauses (Art. 46(2)(c))" + with, true
	case vocab.MechanismBCR:
		return "binding corporate rules (Art. 46(2)(b), 47)" + with, true
	case vocab.MechanismCodeOfConduct:
		return "code of conduct (Art. 46(2)(e))", true
	case vocab.MechanismCertification:
		return "certification (Art. 46(2)(f))", true
	case vocab.MechanismAdHocClauses:
		return "contractual clauses authorised by the supervisory authority (Art. 46(3)(a))" + with, true
	case vocab.MechanismDerogation:
		if t.Derogation != nil {
			return "derogation (Art. 49(1)): " + strings.ToLower(strings.ReplaceAll(string(*t.Derogation), "_", " ")), true
		}
	case vocab.MechanismIntraEEA:
		return "declared intra-EEA", true
	}
	return "no safeguard on record", false
}

// erasureText states a retention rule as a time limit for erasure.
func erasureText(c *ent.DataCategory, r *ent.RetentionRule) string {
	action := "deleted"
	if r.Action == retentionrule.ActionAnonymize {
		action = "anonymised"
	}
	s := fmt.Sprintf("%s: %s after %s, then %s", c.Key, r.Period, retention.TriggerText(r.Trigger), action)
	if r.OverridesErasure {
		s += "; kept despite an erasure request"
	}
	if r.LegalBasis != "" {
		s += " (" + r.LegalBasis + ")"
	}
	return s
}
