package trace

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/internal/law"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/vocab"
)

// TestAdequacyTimelineMatchesFilter checks that a timeline answers, at any
// instant, the decisions a filter of the country's decisions finds, in the
// same order, and an empty but not nil list when none is in force.
func TestAdequacyTimelineMatchesFilter(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	base := time.Date(2020, time.January, 1, 0, 0, 0, 0, time.UTC)
	day := func(n int) time.Time { return base.AddDate(0, 0, n) }
	regimes := []vocab.Regime{vocab.RegimeEU, vocab.Regime("UK_GDPR")}
	for round := range 200 {
		var ds []*ent.AdequacyDecision
		for i := range rng.IntN(6) {
			d := &ent.AdequacyDecision{
				ID:        pulid.ID(string(rune('a' + i))),
				CountryID: "cty_JP",
				Regime:    regimes[rng.IntN(len(regimes))],
				ValidFrom: day(rng.IntN(20)),
			}
			if rng.IntN(3) > 0 {
				until := d.ValidFrom.AddDate(0, 0, rng.IntN(10)) // may equal ValidFrom
				d.ValidUntil = &until
			}
			ds = append(ds, d)
		}
		slices.SortStableFunc(ds, func(a, b *ent.AdequacyDecision) int {
			return cmp.Or(cmp.Compare(a.Regime, b.Regime), a.ValidFrom.Compare(b.ValidFrom))
		})
		none := []*ent.AdequacyDecision{}
		timelines, index := adequacyTimelines(map[pulid.ID][]*ent.AdequacyDecision{"JP": ds}, none)
		for _, r := range regimes {
			i, ok := index[adequacyKey{"JP", r}]
			for n := -2; n < 35; n++ {
				at := day(n).Add(time.Duration(rng.IntN(3)-1) * time.Nanosecond)
				want := []*ent.AdequacyDecision{}
				for _, d := range ds {
					if d.Regime == r && law.InForce(d, at) {
						want = append(want, d)
					}
				}
				var got []*ent.AdequacyDecision
				if ok {
					got = timelines[i].at(at)
				} else {
					got = none
				}
				if got == nil || !slices.Equal(got, want) {
					t.Fatalf("round %d, regime %s, %s: got %v, want %v", round, r, at, got, want)
				}
			}
		}
	}
}
