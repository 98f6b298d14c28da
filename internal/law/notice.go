package law

import (
	"strconv"
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/contract"
)

// A processor that has the controller's general written authorisation to
// engage subprocessors must inform the controller of each intended
// addition or replacement a period in advance, so that the controller can
// object (GDPR Art. 28(2); SCC Clause 9(a) Option 2, where the parties
// agree the period; the Commission's Art. 28(7) clauses, Clause 7.7(a)
// Option 2). The period runs in calendar days from the day the notice was
// given: a change may take effect on the day the period runs out, not
// before.

// NoticeDays returns the notice period, in days, that one contract makes a
// processor give before a subprocessor change takes effect: the SCC Clause
// 9(a) Option 2 period, or a clause's noticeDays parameter (a DPA's own
// clause), whichever is longer; 0 when the contract sets none.
func NoticeDays(c *ent.Contract, clauses []*ent.Clause) int {
	days := 0
	if c.Clause9Option != nil && *c.Clause9Option == contract.Clause9OptionGeneralAuthorisation && c.Clause9NoticeDays != nil {
		days = *c.Clause9NoticeDays
	}
	for _, cl := range clauses {
		if n := wholeNumber(cl.Parameters["noticeDays"]); n > days {
			days = n
		}
	}
	return days
}

// NoticeRunsOut returns the first day, at midnight UTC, on which a change
// notified at informed may take effect under a notice period of days.
func NoticeRunsOut(informed time.Time, days int) time.Time {
	return dateOf(informed).AddDate(0, 0, days)
}

// NoticeGiven reports whether a change taking effect at effective was
// notified at informed at least days in advance.
func NoticeGiven(informed, effective time.Time, days int) bool {
	return !dateOf(effective).Before(NoticeRunsOut(informed, days))
}

// wholeNumber reads a whole number from a clause parameter, given as a
// number or as a string; anything else is 0.
func wholeNumber(v any) int {
	switch x := v.(type) {
	case float64:
		return int(x)
	case int:
		return x
	case string:
		n, _ := strconv.Atoi(x)
		return n
	}
	return 0
}
