package refdata

import (
	"github.com/privhub/privhub/internal/vocab"
	"slices"
	"strings"
	"time"
)

// Scope says which importers in a country an adequacy decision covers.
type Scope string

// The scopes an adequacy decision can have.
const (
	// ScopeFull covers every importer subject to the country's general
	// data protection law (public and private sector).
	ScopeFull Scope = "FULL"
	// ScopeCommercial covers only private-sector organisations subject to
	// the country's commercial data protection law (e.g. Canada's PIPEDA).
	ScopeCommercial Scope = "COMMERCIAL_ORGANISATIONS"
	// ScopeDPF covers only organisations self-certified under the relevant
	// Data Privacy Framework (United States).
	ScopeDPF Scope = "DPF_CERTIFIED"
	// ScopeSectoral covers only specified sectors within the country.
	ScopeSectoral Scope = "SECTORAL"
)

// Decision is one adequacy finding of a regime for a country.
type Decision struct {
	Regime     vocab.Regime
	Country    string // ISO alpha-2
	Scope      Scope
	Reference  string    // e.g. "Commission Implementing Decision (EU) 2023/1795"
	ValidFrom  time.Time // UTC midnight of the day it took effect
	ValidUntil time.Time // zero when open-ended; otherwise the expiry date stated in the decision
	Note       string    // short human note, e.g. "participants in the EU-U.S. Data Privacy Framework"
}

// Decisions returns the adequacy decisions of every regime (as known in
// 2026), ordered by regime (EU_GDPR, UK_GDPR, CH_FADP) and then by country
// code. The returned slice is freshly built on every call.
//
// Decisions adopted under Directive 95/46/EC took effect on notification to
// the Member States; their ValidFrom is the date of adoption. Intra-EEA
// transfers are not adequacy and so have no EU_GDPR rows.
func Decisions() []Decision {
	out := make([]Decision, 0, 16+45+44)
	out = append(out, euDecisions()...)
	out = append(out, ukDecisions()...)
	out = append(out, chDecisions()...)
	return out
}

// day returns UTC midnight of the given date.
func day(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// eeaCodes returns the codes of the 30 EEA countries, sorted.
func eeaCodes() []string {
	var codes []string
	for _, c := range countries {
		if c.EEA {
			codes = append(codes, c.Code)
		}
	}
	return codes
}

// euDecisions lists the European Commission's adequacy decisions under
// Article 45 GDPR (including Directive 95/46/EC decisions kept in force by
// Article 45(9) GDPR).
func euDecisions() []Decision {
	d := func(country string, scope Scope, ref string, from time.Time, note string) Decision {
		return Decision{Regime: vocab.RegimeEU, Country: country, Scope: scope, Reference: ref, ValidFrom: from, Note: note}
	}
	uk := d("GB", ScopeFull, "Commission Implementing Decision (EU) 2021/1772", day(2021, time.June, 28),
		"UK GDPR / DPA 2018; sunset extended to 27 December 2025, then renewed in December 2025 until 27 December 2031")
	uk.ValidUntil = day(2031, time.December, 27)
	return []Decision{
		d("AD", ScopeFull, "Commission Decision 2010/625/EU", day(2010, time.October, 19), ""),
		d("AR", ScopeFull, "Commission Decision 2003/490/EC", day(2003, time.June, 30), ""),
		d("BR", ScopeFull, "Commission Implementing Decision (EU) 2026/179", day(2026, time.January, 26),
			"controllers and processors subject to the LGPD (public and private sector)"),
		d("CA", ScopeCommercial, "Commission Decision 2002/2/EC", day(2001, time.December, 20),
			"organisations subject to PIPEDA (commercial activities)"),
		d("CH", ScopeFull, "Commission Decision 2000/518/EC", day(2000, time.July, 26), ""),
		d("FO", ScopeFull, "Commission Decision 2010/146/EU", day(2010, time.March, 5), ""),
		uk,
		d("GG", ScopeFull, "Commission Decision 2003/821/EC", day(2003, time.November, 21), ""),
		d("IL", ScopeFull, "Commission Decision 2011/61/EU", day(2011, time.January, 31),
			"automated international transfers, or manual transfers subject to further automated processing in Israel"),
		d("IM", ScopeFull, "Commission Decision 2004/411/EC", day(2004, time.April, 28), ""),
		d("JE", ScopeFull, "Commission Decision 2008/393/EC", day(2008, time.May, 8), ""),
		d("JP", ScopeCommercial, "Commission Implementing Decision (EU) 2019/419", day(2019, time.January, 23),
			"private sector only: personal information handling business operators under the APPI, bound by the Supplementary Rules (academia covered since the 2023 review); public authorities not covered"),
		d("KR", ScopeFull, "Commission Implementing Decision (EU) 2022/254", day(2021, time.December, 17),
			"public and private sector under PIPA, except credit information processed by entities supervised by the Financial Services Commission"),
		d("NZ", ScopeFull, "Commission Implementing Decision 2013/65/EU", day(2012, time.December, 19), ""),
		d("US", ScopeDPF, "Commission Implementing Decision (EU) 2023/1795", day(2023, time.July, 10),
			"participants in the EU-U.S. Data Privacy Framework"),
		d("UY", ScopeFull, "Commission Implementing Decision 2012/484/EU", day(2012, time.August, 21), ""),
	}
}

// ukDecisions lists the countries covered by UK adequacy regulations: the
// transitional provisions of Schedule 21 to the Data Protection Act 2018
// (EEA states, Gibraltar and the EU adequacy decisions in force at the end
// of the Brexit transition period) and later UK regulations.
func ukDecisions() []Decision {
	start := day(2021, time.January, 1) // end of the Brexit transition period
	var out []Decision
	for _, code := range eeaCodes() {
		out = append(out, Decision{
			Regime: vocab.RegimeUK, Country: code, Scope: ScopeFull, ValidFrom: start,
			Reference: "Data Protection Act 2018, Schedule 21, paragraph 4",
			Note:      "EEA state",
		})
	}
	out = append(out, Decision{
		Regime: vocab.RegimeUK, Country: "GI", Scope: ScopeFull, ValidFrom: start,
		Reference: "Data Protection Act 2018, Schedule 21, paragraph 4",
		Note:      "Gibraltar",
	})
	carried := func(country string, scope Scope, euRef, note string) Decision {
		n := "EU adequacy decision " + euRef + " carried over into UK law"
		if note != "" {
			n += "; " + note
		}
		return Decision{
			Regime: vocab.RegimeUK, Country: country, Scope: scope, ValidFrom: start,
			Reference: "Data Protection Act 2018, Schedule 21, paragraph 5",
			Note:      n,
		}
	}
	out = append(out,
		carried("AD", ScopeFull, "2010/625/EU", ""),
		carried("AR", ScopeFull, "2003/490/EC", ""),
		carried("CA", ScopeCommercial, "2002/2/EC", "organisations subject to PIPEDA (commercial activities)"),
		carried("CH", ScopeFull, "2000/518/EC", ""),
		carried("FO", ScopeFull, "2010/146/EU", ""),
		carried("GG", ScopeFull, "2003/821/EC", ""),
		carried("IL", ScopeFull, "2011/61/EU", ""),
		carried("IM", ScopeFull, "2004/411/EC", ""),
		carried("JE", ScopeFull, "2008/393/EC", ""),
		carried("JP", ScopeCommercial, "(EU) 2019/419", "private sector only: personal information handling business operators under the APPI, bound by the Supplementary Rules"),
		carried("NZ", ScopeFull, "2013/65/EU", ""),
		carried("UY", ScopeFull, "2012/484/EU", ""),
		Decision{
			Regime: vocab.RegimeUK, Country: "KR", Scope: ScopeFull, ValidFrom: day(2022, time.December, 19),
			Reference: "The Data Protection (Adequacy) (Republic of Korea) Regulations 2022 (SI 2022/1213)",
			Note:      "organisations subject to the Personal Information Protection Act (PIPA)",
		},
		Decision{
			Regime: vocab.RegimeUK, Country: "US", Scope: ScopeDPF, ValidFrom: day(2023, time.October, 12),
			Reference: "The Data Protection (Adequacy) (United States of America) Regulations 2023 (SI 2023/1028)",
			Note:      "participants in the UK Extension to the EU-U.S. Data Privacy Framework",
		},
	)
	sortDecisions(out)
	return out
}

// chDecisions lists the Swiss Federal Council's adequacy list, Annex 1 of
// the Data Protection Ordinance (DPO, SR 235.11), binding since the revised
// FADP entered into force on 1 September 2023.
func chDecisions() []Decision {
	start := day(2023, time.September, 1)
	const annex = "Data Protection Ordinance (DPO, SR 235.11), Annex 1"
	var out []Decision
	for _, code := range eeaCodes() {
		out = append(out, Decision{
			Regime: vocab.RegimeCH, Country: code, Scope: ScopeFull, ValidFrom: start,
			Reference: annex, Note: "EEA state",
		})
	}
	for _, code := range []string{"AD", "AR", "FO", "GB", "GG", "GI", "IL", "IM", "JE", "MC", "NZ", "UY"} {
		out = append(out, Decision{
			Regime: vocab.RegimeCH, Country: code, Scope: ScopeFull, ValidFrom: start,
			Reference: annex,
		})
	}
	out = append(out,
		Decision{
			Regime: vocab.RegimeCH, Country: "CA", Scope: ScopeCommercial, ValidFrom: start,
			Reference: annex,
			Note:      "where PIPEDA or a substantially similar provincial act applies to the private sector",
		},
		Decision{
			Regime: vocab.RegimeCH, Country: "US", Scope: ScopeDPF, ValidFrom: day(2024, time.September, 15),
			Reference: annex + ", as amended by the Federal Council on 14 August 2024",
			Note:      "organisations certified under the Swiss-U.S. Data Privacy Framework",
		},
	)
	sortDecisions(out)
	return out
}

// sortDecisions orders decisions of one regime by country code.
func sortDecisions(ds []Decision) {
	slices.SortFunc(ds, func(a, b Decision) int { return strings.Compare(a.Country, b.Country) })
}
