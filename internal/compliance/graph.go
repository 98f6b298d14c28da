package compliance

import (
	"fmt"
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/internal/law"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/vocab"
)

// target is what a finding is about.
type target struct {
	id    pulid.ID
	typ   string
	label string
}

// exporterID returns the ID of a transfer's exporter.
func exporterID(t *ent.Transfer) pulid.ID {
	return either(t.ExporterOrganizationID, t.ExporterVendorID)
}

// importerID returns the ID of a transfer's importer.
func importerID(t *ent.Transfer) pulid.ID {
	return either(t.ImporterOrganizationID, t.ImporterVendorID)
}

// either returns the one of two alternative references that is set.
func either(a, b *pulid.ID) pulid.ID {
	switch {
	case a != nil:
		return *a
	case b != nil:
		return *b
	}
	return ""
}

// holderName returns the name of an organization or vendor.
func (s *registry) holderName(id pulid.ID) string {
	if o, ok := s.orgs[id]; ok {
		return o.Name
	}
	if v, ok := s.vendors[id]; ok {
		return v.Name
	}
	return string(id)
}

// holderCountry returns the country of an organization or vendor.
func (s *registry) holderCountry(id pulid.ID) pulid.ID {
	if o, ok := s.orgs[id]; ok {
		return o.CountryID
	}
	if v, ok := s.vendors[id]; ok {
		return v.CountryID
	}
	return ""
}

// holderTarget returns an organization or vendor as a finding target.
func (s *registry) holderTarget(id pulid.ID) target {
	typ := TargetVendor
	if _, ok := s.orgs[id]; ok {
		typ = TargetOrganization
	}
	return target{id: id, typ: typ, label: s.holderName(id)}
}

// holderEvidence returns an organization or vendor as evidence.
func (s *registry) holderEvidence(id pulid.ID, label string) *Evidence {
	t := s.holderTarget(id)
	return &Evidence{Kind: t.typ, ID: id, Label: label}
}

// transferLabel names a transfer by its two ends and its own name.
func (s *registry) transferLabel(t *ent.Transfer) string {
	l := s.holderName(exporterID(t)) + " → " + s.holderName(importerID(t))
	if t.Name != "" {
		l += " (" + t.Name + ")"
	}
	return l
}

// transferTarget returns a transfer as a finding target.
func (s *registry) transferTarget(t *ent.Transfer) target {
	return target{id: t.ID, typ: TargetTransfer, label: s.transferLabel(t)}
}

// transferEvidence describes a transfer as a step of a chain: its ends,
// where the importer processes the data, its mechanism and contract.
func (s *registry) transferEvidence(t *ent.Transfer) *Evidence {
	l := fmt.Sprintf("%s → %s in %s, %s", s.holderName(exporterID(t)), s.holderName(importerID(t)),
		s.countryName(t.CountryID), t.Mechanism)
	if t.FallbackMechanism != nil {
		l += " (fallback " + string(*t.FallbackMechanism) + ")"
	}
	if t.ContractID != nil {
		if c, ok := s.contracts[*t.ContractID]; ok {
			l += ", under " + c.Title
		}
	}
	l += ", since " + day(t.ActiveFrom)
	return &Evidence{Kind: TargetTransfer, ID: t.ID, Label: l}
}

// contractEvidence returns a contract as evidence.
func (s *registry) contractEvidence(c *ent.Contract, label string) *Evidence {
	if label == "" {
		label = c.Title
	}
	return &Evidence{Kind: TargetContract, ID: c.ID, Label: label}
}

// countryName returns "Name (CODE)" for a country.
func (s *registry) countryName(id pulid.ID) string {
	if c, ok := s.countries[id]; ok {
		return c.Name + " (" + id.CountryCode() + ")"
	}
	return id.CountryCode()
}

// home reports whether a country lies inside the area a regime protects,
// where personal data moves without a transfer mechanism: the EEA for the
// GDPR, the United Kingdom for the UK GDPR and Switzerland for the FADP.
func (s *registry) home(regime vocab.Regime, country pulid.ID) bool {
	switch regime {
	case vocab.RegimeUK:
		return country == pulid.Country("GB")
	case vocab.RegimeCH:
		return country == pulid.Country("CH")
	}
	c, ok := s.countries[country]
	return ok && c.Eea
}

// eea reports whether a country is in the European Economic Area.
func (s *registry) eea(country pulid.ID) bool {
	c, ok := s.countries[country]
	return ok && c.Eea
}

// userLabel names a user by account reference, never by personal data.
func (s *snapshot) userLabel(id pulid.ID) string {
	if u, ok := s.users.byID[id]; ok && u.ExternalRef != "" {
		return u.ExternalRef
	}
	return string(id)
}

// purposeKey returns a purpose's key.
func (s *registry) purposeKey(id pulid.ID) string {
	if p, ok := s.purposes[id]; ok {
		return p.Key
	}
	return string(id)
}

// categoryKey returns a category's key.
func (s *registry) categoryKey(id pulid.ID) string {
	if c, ok := s.cats[id]; ok {
		return c.Key
	}
	return string(id)
}

// descendants returns the categories and all their descendants.
func (s *registry) descendants(ids []pulid.ID) map[pulid.ID]bool {
	out := map[pulid.ID]bool{}
	var walk func(id pulid.ID)
	walk = func(id pulid.ID) {
		if out[id] {
			return
		}
		out[id] = true
		for _, c := range s.children[id] {
			walk(c)
		}
	}
	for _, id := range ids {
		walk(id)
	}
	return out
}

// activeAt reports whether a transfer is active at an instant: started, and
// not ended before it.
func activeAt(t *ent.Transfer, at time.Time) bool {
	return law.Within(at, &t.ActiveFrom, t.ActiveUntil)
}

// chainTo returns the shortest chain of active transfers through which a
// holder receives data from one of our organizations, first hop first; it
// is empty for an organization, or when no chain leads to the holder. Among
// chains of equal length the first by transfer label wins.
func (e *eval) chainTo(holder pulid.ID) []*ent.Transfer {
	if _, ok := e.orgs[holder]; ok {
		return nil
	}
	via := map[pulid.ID]*ent.Transfer{holder: nil}
	queue := []pulid.ID{holder}
	for len(queue) > 0 {
		h := queue[0]
		queue = queue[1:]
		for _, t := range e.inbound[h] {
			from := exporterID(t)
			if _, seen := via[from]; seen {
				continue
			}
			via[from] = t
			if _, ours := e.orgs[from]; ours {
				var chain []*ent.Transfer
				for cur := from; cur != holder; cur = importerID(via[cur]) {
					chain = append(chain, via[cur])
				}
				return chain
			}
			queue = append(queue, from)
		}
	}
	return nil
}

// chainEvidence returns the steps through which data reaches a transfer's
// exporter from our organizations, followed by the transfer itself.
func (e *eval) chainEvidence(t *ent.Transfer) []*Evidence {
	var ev []*Evidence
	for _, step := range e.chainTo(exporterID(t)) {
		ev = append(ev, e.transferEvidence(step))
	}
	return append(ev, e.transferEvidence(t))
}

// day formats an instant as a date.
func day(t time.Time) string { return t.UTC().Format(time.DateOnly) }

// ptr returns a pointer to a copy of v.
func ptr[T any](v T) *T { return &v }
