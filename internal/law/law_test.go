package law_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/adequacydecision"
	"github.com/privhub/privhub/internal/law"
	"github.com/privhub/privhub/internal/vocab"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestCover(t *testing.T) {
	until := day(2026, 6, 30)
	decisions := []*ent.AdequacyDecision{
		{Regime: vocab.RegimeEU, Scope: adequacydecision.ScopeDpfCertified, Reference: "DPF", ValidFrom: day(2023, 7, 10)},
		{Regime: vocab.RegimeEU, Scope: adequacydecision.ScopeFull, Reference: "old", ValidFrom: day(2000, 1, 1), ValidUntil: &until},
		{Regime: vocab.RegimeUK, Scope: adequacydecision.ScopeSectoral, Reference: "sector", ValidFrom: day(2020, 1, 1)},
	}
	from := day(2024, 1, 1)
	certified := law.Certification{Frameworks: []vocab.DPFFramework{vocab.DPFEU}, From: &from}
	cases := []struct {
		name   string
		regime vocab.Regime
		cert   law.Certification
		at     time.Time
		want   law.Coverage
		ref    string
	}{
		{"full decision on its last day", vocab.RegimeEU, law.Certification{}, until, law.Covered, "old"},
		{"after it, only the DPF, uncertified", vocab.RegimeEU, law.Certification{}, day(2026, 7, 1), law.Uncertified, "DPF"},
		{"after it, certified", vocab.RegimeEU, certified, day(2026, 7, 1), law.Covered, "DPF"},
		{"certification before it began", vocab.RegimeEU, certified, day(2023, 12, 31), law.Covered, "old"},
		{"sectoral only", vocab.RegimeUK, certified, day(2026, 7, 1), law.Sectoral, "sector"},
		{"no decision of the regime", vocab.RegimeCH, certified, day(2026, 7, 1), law.NoDecision, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, d := law.Cover(decisions, c.regime, c.cert, c.at)
			assert.Equal(t, c.want, got)
			ref := ""
			if d != nil {
				ref = d.Reference
			}
			assert.Equal(t, c.ref, ref)
		})
	}
}

func TestCertificationCovers(t *testing.T) {
	from, until := day(2024, 1, 1), day(2026, 1, 31)
	bare := law.Certification{From: &from}
	assert.True(t, bare.Covers(vocab.RegimeEU, day(2025, 1, 1)), "no programme listed is the EU one")
	assert.False(t, bare.Covers(vocab.RegimeUK, day(2025, 1, 1)))
	lapsed := law.Certification{Frameworks: []vocab.DPFFramework{vocab.DPFEU, vocab.DPFUK, vocab.DPFCH}, From: &from, Until: &until}
	assert.True(t, lapsed.Covers(vocab.RegimeCH, until), "active on its last day")
	assert.False(t, lapsed.Covers(vocab.RegimeCH, until.Add(time.Second)))
	assert.False(t, law.Certification{}.Active(day(2025, 1, 1)))
}

func TestDecide(t *testing.T) {
	none := law.Mark{}
	refusal := func(at int64) law.Mark { return law.Mark{Present: true, Refusal: true, At: at} }
	grant := func(at int64) law.Mark { return law.Mark{Present: true, At: at} }
	cases := []struct {
		name               string
		recipient, purpose law.Mark
		purposeWide, stops bool
	}{
		{"never chose", none, none, true, false},
		{"purpose refused", none, refusal(1), true, true},
		{"purpose refused, flow does not honour opt-outs", none, refusal(1), false, false},
		{"recipient refused, flow does not honour opt-outs", refusal(1), none, false, true},
		{"purpose refused, recipient granted later", grant(2), refusal(1), true, false},
		{"recipient granted, purpose refused later", grant(1), refusal(2), true, true},
		{"recipient refused, purpose granted later", refusal(1), grant(2), true, true},
	}
	for _, c := range cases {
		assert.Equal(t, c.stops, law.Stops(c.recipient, c.purpose, c.purposeWide), c.name)
	}
}

func TestDeadlineOf(t *testing.T) {
	received := day(2026, 1, 31)
	assert.Equal(t, day(2026, 2, 28), law.DueDate(received, 0), "the last day of the shorter month")
	two := 2
	inTime, late := day(2026, 2, 20), day(2026, 3, 5)
	dl := law.DeadlineOf(received, &two, &inTime, day(2026, 3, 1))
	assert.Equal(t, day(2026, 4, 30), dl.Due)
	assert.False(t, dl.NotifiedLate)
	dl = law.DeadlineOf(received, &two, &inTime, day(2026, 2, 10))
	assert.Equal(t, day(2026, 2, 28), dl.Due, "an extension notified after the instant does not count yet")
	dl = law.DeadlineOf(received, &two, &late, day(2026, 4, 1))
	assert.True(t, dl.NotifiedLate)
	assert.Equal(t, day(2026, 2, 28), dl.Due, "a late extension does not count")
	assert.True(t, dl.Overdue(day(2026, 4, 1)))
	three := 3
	assert.True(t, law.DeadlineOf(received, &three, &inTime, day(2026, 3, 1)).TooLong(time.Time{}))
}
