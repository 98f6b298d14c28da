package trace

import (
	"slices"
	"sort"
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/internal/law"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/vocab"
)

// adequacyKey names the adequacy decisions of one regime for one country.
type adequacyKey struct {
	country pulid.ID
	regime  vocab.Regime
}

// adequacyTimeline is the adequacy decisions of one regime for one country
// cut into periods in which the decisions in force do not change, so that
// finding those in force at an instant is a binary search that allocates
// nothing.
type adequacyTimeline struct {
	// bounds are the instants at which a decision comes into or goes out of
	// force, sorted and distinct. Period i runs from bounds[i-1] (the
	// beginning of time for i = 0) to bounds[i] (exclusive; no end for the
	// last period).
	bounds []time.Time
	// inForce holds, per period (len(bounds)+1 of them), the decisions in
	// force throughout it in the order of the country's decisions by
	// valid_from; lists are shared and have no spare capacity.
	inForce [][]*ent.AdequacyDecision
}

// newAdequacyTimeline cuts decisions (of one regime for one country, by
// valid_from) into periods; none is a shared empty list for periods with no
// decision in force.
func newAdequacyTimeline(decisions []*ent.AdequacyDecision, none []*ent.AdequacyDecision) *adequacyTimeline {
	t := &adequacyTimeline{}
	for _, d := range decisions {
		t.bounds = append(t.bounds, d.ValidFrom)
		if d.ValidUntil != nil {
			t.bounds = append(t.bounds, law.EndOf(*d.ValidUntil))
		}
	}
	slices.SortFunc(t.bounds, func(a, b time.Time) int { return a.Compare(b) })
	t.bounds = slices.CompactFunc(t.bounds, time.Time.Equal)
	t.inForce = make([][]*ent.AdequacyDecision, len(t.bounds)+1)
	t.inForce[0] = none // before the first bound, no decision has begun
	for i, from := range t.bounds {
		// Decisions come into or go out of force only at bounds, so those
		// in force when a period begins are in force throughout it.
		var list []*ent.AdequacyDecision
		for _, d := range decisions {
			if law.InForce(d, from) {
				list = append(list, d)
			}
		}
		if list == nil {
			list = none
		}
		t.inForce[i+1] = list[:len(list):len(list)]
	}
	return t
}

// at returns the decisions in force at instant at; the list is shared.
func (t *adequacyTimeline) at(at time.Time) []*ent.AdequacyDecision {
	i := sort.Search(len(t.bounds), func(i int) bool { return at.Before(t.bounds[i]) })
	return t.inForce[i]
}

// adequacyTimelines cuts the decisions of each country (by regime, then
// valid_from) into one timeline per country and regime. It returns them
// with an index by country and regime.
func adequacyTimelines(byCountry map[pulid.ID][]*ent.AdequacyDecision, none []*ent.AdequacyDecision) ([]*adequacyTimeline, map[adequacyKey]int32) {
	var timelines []*adequacyTimeline
	index := map[adequacyKey]int32{}
	for country, ds := range byCountry {
		for i := 0; i < len(ds); {
			j := i + 1
			for j < len(ds) && ds[j].Regime == ds[i].Regime {
				j++
			}
			index[adequacyKey{country, ds[i].Regime}] = int32(len(timelines))
			timelines = append(timelines, newAdequacyTimeline(ds[i:j], none))
			i = j
		}
	}
	return timelines, index
}
