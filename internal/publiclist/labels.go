package publiclist

import (
	"strings"

	"github.com/privhub/privhub/ent/subprocessorannouncement"
	"github.com/privhub/privhub/internal/announce"
	"github.com/privhub/privhub/internal/vocab"
)

// serviceLabel words a service for people: HOSTING is "Hosting",
// PARTNER_PROGRAMME "Partner programme".
func serviceLabel(s vocab.Service) string {
	switch s {
	case vocab.ServiceCDN:
		return "Content delivery (CDN)"
	case "":
		return ""
	}
	w := strings.ReplaceAll(strings.ToLower(string(s)), "_", " ")
	return strings.ToUpper(w[:1]) + w[1:]
}

// mechanismLabel words a transfer mechanism for people.
func mechanismLabel(m vocab.Mechanism) string {
	switch m {
	case vocab.MechanismIntraEEA:
		return "Within the EEA"
	case vocab.MechanismAdequacy:
		return "Adequacy decision"
	case vocab.MechanismSCC:
		return "Standard Contractual Clauses"
	case vocab.MechanismBCR:
		return "Binding corporate rules"
	case vocab.MechanismCodeOfConduct:
		return "Code of conduct"
	case vocab.MechanismCertification:
		return "Certification"
	case vocab.MechanismAdHocClauses:
		return "Ad hoc contractual clauses"
	case vocab.MechanismDerogation:
		return "Derogation (GDPR Art. 49)"
	case vocab.MechanismNone:
		return "None"
	}
	return string(m)
}

// changeLabel words a change for people: "Added", "Removed", "Replaces X".
func changeLabel(c announce.Change) string {
	switch c.Change {
	case subprocessorannouncement.KindRemoved:
		return "Removed"
	case subprocessorannouncement.KindReplaced:
		return "Replaces " + c.Replaces
	}
	return "Added"
}

// verb words a change in a sentence: "adds", "removes", "replaces X with".
func verb(c announce.Change) string {
	switch c.Change {
	case subprocessorannouncement.KindRemoved:
		return "removes"
	case subprocessorannouncement.KindReplaced:
		return "replaces " + c.Replaces + " with"
	}
	return "adds"
}
