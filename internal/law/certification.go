package law

import (
	"slices"
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/internal/vocab"
)

// Certification is an organisation's self-certification under the EU–US
// Data Privacy Framework and its extensions: the programmes it covers and
// the period in which it is active. The zero value is no certification.
type Certification struct {
	// Frameworks are the programmes certified to; none listed means the
	// EU one, the only one before the extensions.
	Frameworks []vocab.DPFFramework
	// From is when the certification became active; nil means never.
	From *time.Time
	// Until is when it lapsed or was withdrawn; nil while it is active.
	Until *time.Time
}

// CertificationOf returns a holder's Data Privacy Framework certification:
// vendors and own organisations can both hold one.
func CertificationOf(h ent.Holder) Certification {
	switch h := h.(type) {
	case *ent.Vendor:
		return Certification{Frameworks: h.DpfFrameworks, From: h.DpfActiveFrom, Until: h.DpfActiveUntil}
	case *ent.Organization:
		return Certification{Frameworks: h.DpfFrameworks, From: h.DpfActiveFrom, Until: h.DpfActiveUntil}
	}
	return Certification{}
}

// Programme is the Data Privacy Framework programme through which data
// leaving under a regime reaches a certified US importer: the EU–US DPF for
// the GDPR, the UK Extension for the UK GDPR, the Swiss–US DPF for the FADP.
func Programme(r vocab.Regime) vocab.DPFFramework {
	switch r {
	case vocab.RegimeUK:
		return vocab.DPFUK
	case vocab.RegimeCH:
		return vocab.DPFCH
	}
	return vocab.DPFEU
}

// Active reports whether the certification is active at instant at.
func (c Certification) Active(at time.Time) bool {
	return c.From != nil && Within(at, c.From, c.Until)
}

// Covers reports whether the certification, active at instant at, covers
// the programme data leaving under regime r relies on.
func (c Certification) Covers(r vocab.Regime, at time.Time) bool {
	if !c.Active(at) {
		return false
	}
	if len(c.Frameworks) == 0 {
		return r == vocab.RegimeEU
	}
	return slices.Contains(c.Frameworks, Programme(r))
}
