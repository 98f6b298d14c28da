package law_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/contract"
	"github.com/privhub/privhub/internal/law"
)

func TestNoticeDays(t *testing.T) {
	general, specific := contract.Clause9OptionGeneralAuthorisation, contract.Clause9OptionSpecificAuthorisation
	thirty, sixty := 30, 60
	cases := []struct {
		name    string
		c       *ent.Contract
		clauses []*ent.Clause
		want    int
	}{
		{"SCC Clause 9(a) Option 2", &ent.Contract{Clause9Option: &general, Clause9NoticeDays: &thirty}, nil, 30},
		{"Option 1 sets no notice period", &ent.Contract{Clause9Option: &specific, Clause9NoticeDays: &thirty}, nil, 0},
		{"a DPA's own clause, as a string", &ent.Contract{}, []*ent.Clause{{Parameters: map[string]any{"noticeDays": "45"}}}, 45},
		{"the longer of the two", &ent.Contract{Clause9Option: &general, Clause9NoticeDays: &sixty},
			[]*ent.Clause{{Parameters: map[string]any{"noticeDays": float64(30)}}}, 60},
		{"none", &ent.Contract{}, []*ent.Clause{{Parameters: map[string]any{"country": "BE"}}}, 0},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, law.NoticeDays(c.c, c.clauses), c.name)
	}
}

func TestNoticeGiven(t *testing.T) {
	informed := day(2026, 6, 1).Add(17 * time.Hour)
	assert.Equal(t, day(2026, 7, 1), law.NoticeRunsOut(informed, 30), "calendar days from the day of the notice")
	assert.True(t, law.NoticeGiven(informed, day(2026, 7, 1), 30), "on the day the period runs out")
	assert.True(t, law.NoticeGiven(informed, day(2026, 7, 1).Add(time.Hour), 30))
	assert.False(t, law.NoticeGiven(informed, day(2026, 6, 30).Add(23*time.Hour), 30), "the day before")
	assert.True(t, law.NoticeGiven(informed, informed, 0), "no period")
}
