package trace

import (
	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/vocab"
)

// place is where, and under which rules, a holder holds data: the country
// and regime of the last step of its chain (its own country under EU_GDPR
// when it collected the data), and the timeline of the adequacy decisions
// that apply there. A snapshot numbers the few distinct places, so that
// holdings name theirs with an int32.
type place struct {
	country  *ent.Country
	regime   vocab.Regime
	timeline int32 // in snapshot.timelines, -1 when no decision applies
}

// placeKey identifies a place while a snapshot numbers them.
type placeKey struct {
	country pulid.ID // "" when the country is unknown
	regime  vocab.Regime
}

// placeOf returns the number of the place of country and regime, adding
// it to s.places when new; index holds the numbers given so far.
func (s *snapshot) placeOf(index map[placeKey]int32, country *ent.Country, regime vocab.Regime) int32 {
	k := placeKey{regime: regime}
	if country != nil {
		k.country = country.ID
	}
	if i, ok := index[k]; ok {
		return i
	}
	i := int32(len(s.places))
	index[k] = i
	s.places = append(s.places, place{country: country, regime: regime, timeline: s.timeline(country, regime)})
	return i
}
