package refdata

import (
	"github.com/privhub/privhub/internal/vocab"
	"slices"
	"testing"
	"time"
)

func countryIndex(t *testing.T) map[string]Country {
	t.Helper()
	idx := make(map[string]Country)
	for _, c := range Countries() {
		idx[c.Code] = c
	}
	return idx
}

func TestCountries(t *testing.T) {
	cs := Countries()
	if len(cs) != 249 {
		t.Fatalf("got %d countries, want 249", len(cs))
	}
	seen := make(map[string]bool)
	var eu, eea int
	for i, c := range cs {
		if len(c.Code) != 2 || c.Code[0] < 'A' || c.Code[0] > 'Z' || c.Code[1] < 'A' || c.Code[1] > 'Z' {
			t.Errorf("code %q is not two upper-case letters", c.Code)
		}
		if seen[c.Code] {
			t.Errorf("duplicate code %q", c.Code)
		}
		seen[c.Code] = true
		if i > 0 && cs[i-1].Code >= c.Code {
			t.Errorf("not sorted: %q before %q", cs[i-1].Code, c.Code)
		}
		if c.Name == "" {
			t.Errorf("%s has no name", c.Code)
		}
		if c.EU {
			eu++
			if !c.EEA {
				t.Errorf("%s is EU but not EEA", c.Code)
			}
		}
		if c.EEA {
			eea++
		}
	}
	if eu != 27 {
		t.Errorf("got %d EU members, want 27", eu)
	}
	if eea != 30 {
		t.Errorf("got %d EEA members, want 30", eea)
	}
	for _, code := range []string{"AX", "BQ", "CW", "SX", "SS"} {
		if !seen[code] {
			t.Errorf("missing %s", code)
		}
	}
	for _, code := range []string{"XK", "UK", "EU", "AN"} {
		if seen[code] {
			t.Errorf("%s is not an officially assigned ISO 3166-1 alpha-2 code", code)
		}
	}
	idx := countryIndex(t)
	for _, code := range []string{"IS", "LI", "NO"} {
		if c := idx[code]; c.EU || !c.EEA {
			t.Errorf("%s: EU=%v EEA=%v, want EEA-only", code, c.EU, c.EEA)
		}
	}
	for _, code := range []string{"CH", "GB"} {
		if c := idx[code]; c.EU || c.EEA {
			t.Errorf("%s: EU=%v EEA=%v, want neither", code, c.EU, c.EEA)
		}
	}
	if idx["BE"].Name != "Belgium" || !idx["BE"].EU {
		t.Errorf("BE = %+v", idx["BE"])
	}
}

func TestCountriesReturnsCopy(t *testing.T) {
	a := Countries()
	a[0].Name = "changed"
	a[0].EU = true
	if b := Countries(); b[0].Name == "changed" || b[0].EU {
		t.Fatal("Countries exposes shared state")
	}
}

func TestDecisions(t *testing.T) {
	idx := countryIndex(t)
	regimes := map[vocab.Regime]bool{vocab.RegimeEU: true, vocab.RegimeUK: true, vocab.RegimeCH: true}
	scopes := map[Scope]bool{ScopeFull: true, ScopeCommercial: true, ScopeDPF: true, ScopeSectoral: true}
	type key struct {
		r vocab.Regime
		c string
	}
	seen := make(map[key]bool)
	perRegime := make(map[vocab.Regime]int)
	for _, d := range Decisions() {
		c, ok := idx[d.Country]
		if !ok {
			t.Errorf("%s decision for unknown country %q", d.Regime, d.Country)
		}
		if !regimes[d.Regime] {
			t.Errorf("%s: unknown regime %q", d.Country, d.Regime)
		}
		if !scopes[d.Scope] {
			t.Errorf("%s %s: unknown scope %q", d.Regime, d.Country, d.Scope)
		}
		k := key{d.Regime, d.Country}
		if seen[k] {
			t.Errorf("duplicate %s decision for %s", d.Regime, d.Country)
		}
		seen[k] = true
		perRegime[d.Regime]++
		if d.Regime == vocab.RegimeEU && c.EEA {
			t.Errorf("EU_GDPR decision for EEA country %s", d.Country)
		}
		if d.Regime == vocab.RegimeUK && d.Country == "GB" {
			t.Errorf("UK_GDPR decision for the UK itself")
		}
		if d.Regime == vocab.RegimeCH && d.Country == "CH" {
			t.Errorf("CH_FADP decision for Switzerland itself")
		}
		if d.Reference == "" {
			t.Errorf("%s %s: empty reference", d.Regime, d.Country)
		}
		if d.ValidFrom.IsZero() {
			t.Errorf("%s %s: zero ValidFrom", d.Regime, d.Country)
		}
		if d.ValidFrom.Location() != time.UTC || !d.ValidFrom.Equal(d.ValidFrom.Truncate(24*time.Hour)) {
			t.Errorf("%s %s: ValidFrom %v is not UTC midnight", d.Regime, d.Country, d.ValidFrom)
		}
		if !d.ValidUntil.IsZero() && !d.ValidUntil.After(d.ValidFrom) {
			t.Errorf("%s %s: ValidUntil %v not after ValidFrom %v", d.Regime, d.Country, d.ValidUntil, d.ValidFrom)
		}
	}
	for r := range regimes {
		if perRegime[r] == 0 {
			t.Errorf("no decisions for %s", r)
		}
	}
	// Every EEA country is adequate for the UK and Swiss regimes.
	for code, c := range idx {
		if !c.EEA {
			continue
		}
		for _, r := range []vocab.Regime{vocab.RegimeUK, vocab.RegimeCH} {
			if !seen[key{r, code}] {
				t.Errorf("%s: missing decision for EEA country %s", r, code)
			}
		}
	}
}

func TestDecisionsOrder(t *testing.T) {
	ds := Decisions()
	rank := map[vocab.Regime]int{vocab.RegimeEU: 0, vocab.RegimeUK: 1, vocab.RegimeCH: 2}
	if !slices.IsSortedFunc(ds, func(a, b Decision) int {
		if rank[a.Regime] != rank[b.Regime] {
			return rank[a.Regime] - rank[b.Regime]
		}
		switch {
		case a.Country < b.Country:
			return -1
		case a.Country > b.Country:
			return 1
		}
		return 0
	}) {
		t.Error("Decisions not ordered by regime, then country")
	}
}

func TestDecisionsReturnsCopy(t *testing.T) {
	a := Decisions()
	a[0].Country = "ZZ"
	if Decisions()[0].Country == "ZZ" {
		t.Fatal("Decisions exposes shared state")
	}
}

func findDecision(t *testing.T, r vocab.Regime, country string) Decision {
	t.Helper()
	for _, d := range Decisions() {
		if d.Regime == r && d.Country == country {
			return d
		}
	}
	t.Fatalf("no %s decision for %s", r, country)
	return Decision{}
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestDecisionSpotChecks(t *testing.T) {
	us := findDecision(t, vocab.RegimeEU, "US")
	if us.Scope != ScopeDPF {
		t.Errorf("EU US scope = %s, want %s", us.Scope, ScopeDPF)
	}
	if !us.ValidFrom.Equal(date(2023, time.July, 10)) || us.Reference != "Commission Implementing Decision (EU) 2023/1795" {
		t.Errorf("EU US = %+v", us)
	}
	if ca := findDecision(t, vocab.RegimeEU, "CA"); ca.Scope != ScopeCommercial {
		t.Errorf("EU CA scope = %s, want %s", ca.Scope, ScopeCommercial)
	}
	gb := findDecision(t, vocab.RegimeEU, "GB")
	if !gb.ValidFrom.Equal(date(2021, time.June, 28)) {
		t.Errorf("EU GB ValidFrom = %v", gb.ValidFrom)
	}
	if !gb.ValidUntil.Equal(date(2031, time.December, 27)) {
		t.Errorf("EU GB ValidUntil = %v, want 2031-12-27", gb.ValidUntil)
	}
	br := findDecision(t, vocab.RegimeEU, "BR")
	if !br.ValidFrom.Equal(date(2026, time.January, 26)) || br.Scope != ScopeFull || !br.ValidUntil.IsZero() {
		t.Errorf("EU BR = %+v", br)
	}
	if d := findDecision(t, vocab.RegimeUK, "US"); d.Scope != ScopeDPF || !d.ValidFrom.Equal(date(2023, time.October, 12)) {
		t.Errorf("UK US = %+v", d)
	}
	if d := findDecision(t, vocab.RegimeUK, "KR"); !d.ValidFrom.Equal(date(2022, time.December, 19)) {
		t.Errorf("UK KR = %+v", d)
	}
	if d := findDecision(t, vocab.RegimeUK, "CA"); d.Scope != ScopeCommercial {
		t.Errorf("UK CA scope = %s", d.Scope)
	}
	findDecision(t, vocab.RegimeUK, "GI")
	if d := findDecision(t, vocab.RegimeCH, "US"); d.Scope != ScopeDPF || !d.ValidFrom.Equal(date(2024, time.September, 15)) {
		t.Errorf("CH US = %+v", d)
	}
	if d := findDecision(t, vocab.RegimeCH, "CA"); d.Scope != ScopeCommercial {
		t.Errorf("CH CA scope = %s", d.Scope)
	}
	findDecision(t, vocab.RegimeCH, "MC")
	findDecision(t, vocab.RegimeCH, "GB")
}
