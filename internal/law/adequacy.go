package law

import (
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/adequacydecision"
	"github.com/privhub/privhub/internal/vocab"
)

// Coverage is what the adequacy decisions of a regime for a country say
// about one importer at one instant.
type Coverage int

// The values of Coverage.
const (
	// NoDecision: no decision of the regime is in force for the country.
	NoDecision Coverage = iota
	// Covered: a decision in force covers the importer (a full or
	// commercial-organisations decision, or a partial one whose condition
	// the importer meets).
	Covered
	// Uncertified: the only decisions in force cover organisations
	// certified under a programme (the DPF), and the importer's
	// certification is missing, lapsed or for another programme.
	Uncertified
	// Sectoral: the only decisions in force are sectoral, and nothing on
	// record shows the importer falls within one.
	Sectoral
)

// Adequate reports whether the coverage lets data flow without further
// safeguards.
func (c Coverage) Adequate() bool { return c == Covered }

// InForce reports whether an adequacy decision is in force at instant at
// (from its first day to its last, both included).
func InForce(d *ent.AdequacyDecision, at time.Time) bool {
	return Within(at, &d.ValidFrom, d.ValidUntil)
}

// Cover decides whether an adequacy decision covers a transfer at instant
// at: decisions are those of regime r for the importer's country (in force
// or not, in any order) and cert the importer's certification. It returns
// the coverage and the decision it rests on: the one that covers, or the
// partial one the importer falls outside of; nil with NoDecision.
func Cover(decisions []*ent.AdequacyDecision, r vocab.Regime, cert Certification, at time.Time) (Coverage, *ent.AdequacyDecision) {
	var partial, sectoral *ent.AdequacyDecision
	for _, d := range decisions {
		if d.Regime != r || !InForce(d, at) {
			continue
		}
		switch d.Scope {
		case adequacydecision.ScopeFull, adequacydecision.ScopeCommercialOrganisations:
			return Covered, d
		case adequacydecision.ScopeDpfCertified:
			if cert.Covers(r, at) {
				return Covered, d
			}
			partial = d
		case adequacydecision.ScopeSectoral:
			sectoral = d
		}
	}
	switch {
	case partial != nil:
		return Uncertified, partial
	case sectoral != nil:
		return Sectoral, sectoral
	}
	return NoDecision, nil
}

// Adequate reports whether data may reach an importer processing it in a
// country without further safeguards at instant at: the country is in the
// EEA, or an adequacy decision of regime r covers the importer there.
func Adequate(country *ent.Country, decisions []*ent.AdequacyDecision, r vocab.Regime, cert Certification, at time.Time) bool {
	if country != nil && country.Eea {
		return true
	}
	c, _ := Cover(decisions, r, cert, at)
	return c.Adequate()
}
