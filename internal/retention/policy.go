package retention

import (
	"cmp"
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/datacategory"
	"github.com/privhub/privhub/ent/retentionrule"
	"github.com/privhub/privhub/internal/pulid"
)

// Policy decides when a data record's retention runs out under a set of
// retention rules. It is pure: it reads only what it is given, so the
// compliance checker, the sweep and erasure all decide the same way.
//
// A record is kept for each of its purposes: it is past retention only when
// every one of its purposes has a rule (for its category or the nearest
// ancestor, for that purpose before any purpose) and every such rule has run
// out. The binding rule is the one that ran out last. A rule whose trigger
// has not occurred (an account still open, no opt-out) keeps the record.
type Policy struct {
	rules   map[ruleKey]*ent.RetentionRule
	periods map[*ent.RetentionRule]span // each rule's period, parsed once
	parents map[pulid.ID]pulid.ID
	optOut  []pulid.ID // purposes of the rules an opt-out triggers, sorted
}

// ruleKey identifies the rule of a category for a purpose ("" for any).
type ruleKey struct{ category, purpose pulid.ID }

// NewPolicy returns the policy of the rules over a category taxonomy given
// as a map from each category to its parent (categories without a parent
// may be left out). When two rules name the same category and purpose, the
// one with the greater ID counts.
func NewPolicy(rules []*ent.RetentionRule, parents map[pulid.ID]pulid.ID) *Policy {
	p := &Policy{rules: make(map[ruleKey]*ent.RetentionRule, len(rules)), parents: parents,
		periods: make(map[*ent.RetentionRule]span, len(rules))}
	for _, r := range rules {
		k := ruleKey{r.CategoryID, deref(r.PurposeID)}
		if old := p.rules[k]; old == nil || old.ID < r.ID {
			p.rules[k] = r
		}
	}
	for _, r := range p.rules {
		p.periods[r] = parseSpan(r.Period)
		if r.Trigger == retentionrule.TriggerOptOut && r.PurposeID != nil && !slices.Contains(p.optOut, *r.PurposeID) {
			p.optOut = append(p.optOut, *r.PurposeID)
		}
	}
	slices.Sort(p.optOut)
	return p
}

// LoadPolicy reads every retention rule, with its category and purpose, and
// the category taxonomy, and returns their policy.
func LoadPolicy(ctx context.Context, c *ent.Client) (*Policy, error) {
	rules, err := c.RetentionRule.Query().WithCategory().WithPurpose().All(ctx)
	if err != nil {
		return nil, fmt.Errorf("retention: reading the rules: %w", err)
	}
	cats, err := c.DataCategory.Query().Where(datacategory.ParentIDNotNil()).
		Select(datacategory.FieldParentID).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("retention: reading the categories: %w", err)
	}
	parents := make(map[pulid.ID]pulid.ID, len(cats))
	for _, c := range cats {
		parents[c.ID] = *c.ParentID
	}
	return NewPolicy(rules, parents), nil
}

// Rules returns the policy's rules, ordered by ID.
func (p *Policy) Rules() []*ent.RetentionRule {
	out := make([]*ent.RetentionRule, 0, len(p.rules))
	for _, r := range p.rules {
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b *ent.RetentionRule) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

// OptOutPurposes returns the purposes whose rules run from an opt-out: the
// only ones an OptOuts function is ever asked about.
func (p *Policy) OptOutPurposes() []pulid.ID { return p.optOut }

// Record is what the policy reads of a data record.
type Record struct {
	// User is whose data it is.
	User pulid.ID
	// Category is the record's data category.
	Category pulid.ID
	// Purposes are the purposes it is kept for; ties between rules that ran
	// out at the same instant go to the first purpose, so pass them sorted
	// (by ID) for a stable answer.
	Purposes []pulid.ID
	// CollectedAt is when it was collected.
	CollectedAt time.Time
	// LastUsedAt is when it was last used, if known; for an event
	// registration it records the end of the event.
	LastUsedAt *time.Time
}

// OptOuts tells when a user opted out of a purpose, or withdrew consent for
// it: the time of the user's effective choice for the purpose as a whole (no
// recipient) as of the instant evaluated, and false when that choice is not
// a refusal or when there is none.
type OptOuts func(user, purpose pulid.ID) (time.Time, bool)

// Expired reports whether the retention of r ran out by at, with the
// binding rule (the one that ran out last among those that govern the
// record) and when it ran out. A record collected after at is not held yet
// and never expired. optOuts may be nil when no rule runs from an opt-out.
func (p *Policy) Expired(r Record, at time.Time, optOuts OptOuts) (*ent.RetentionRule, time.Time, bool) {
	if r.CollectedAt.After(at) {
		return nil, time.Time{}, false
	}
	purposes := r.Purposes
	if len(purposes) == 0 {
		purposes = []pulid.ID{""}
	}
	var binding *ent.RetentionRule
	var last time.Time
	for _, purpose := range purposes {
		rule := p.RuleFor(r.Category, purpose)
		if rule == nil {
			return nil, time.Time{}, false
		}
		exp, ok := expiry(rule, p.periods[rule], r, optOuts)
		if !ok || exp.After(at) {
			return nil, time.Time{}, false
		}
		if binding == nil || exp.After(last) {
			binding, last = rule, exp
		}
	}
	return binding, last, true
}

// RuleFor returns the rule that governs a category for a purpose ("" for a
// record kept for none): the rule for the category and the purpose, else
// the category's rule for any purpose, else the same for the nearest
// ancestor; nil when there is none.
func (p *Policy) RuleFor(category, purpose pulid.ID) *ent.RetentionRule {
	for c, n := category, 0; c != "" && n <= len(p.parents); n++ {
		if r := p.rules[ruleKey{c, purpose}]; r != nil {
			return r
		}
		if r := p.rules[ruleKey{c, ""}]; r != nil {
			return r
		}
		c = p.parents[c]
	}
	return nil
}

// Expiry returns when rule's retention of r runs out, and false when the
// rule's trigger has not occurred. A period runs from collection; from the
// last use, or the end of the event, both falling back to collection; from
// 1 January after collection for the end of the fiscal year; from the
// user's opt-out of the rule's purpose (a rule for any purpose has no
// opt-out to run from). Account closure never triggers: privhub records no
// closure date. optOuts may be nil, which counts as no opt-out.
func Expiry(rule *ent.RetentionRule, r Record, optOuts OptOuts) (time.Time, bool) {
	return expiry(rule, parseSpan(rule.Period), r, optOuts)
}

// span is a parsed retention period; ok is false when it did not parse.
type span struct {
	years, months, days int
	ok                  bool
}

func parseSpan(period string) span {
	y, m, d, ok := ParsePeriod(period)
	return span{y, m, d, ok}
}

// expiry is Expiry with the rule's period parsed.
func expiry(rule *ent.RetentionRule, sp span, r Record, optOuts OptOuts) (time.Time, bool) {
	var start time.Time
	switch rule.Trigger {
	case retentionrule.TriggerCollection:
		start = r.CollectedAt
	case retentionrule.TriggerLastUse, retentionrule.TriggerEventEnd:
		start = r.CollectedAt
		if r.LastUsedAt != nil {
			start = *r.LastUsedAt
		}
	case retentionrule.TriggerFiscalYearEnd:
		start = time.Date(r.CollectedAt.UTC().Year()+1, time.January, 1, 0, 0, 0, 0, time.UTC)
	case retentionrule.TriggerOptOut:
		if rule.PurposeID == nil || optOuts == nil {
			return time.Time{}, false
		}
		at, ok := optOuts(r.User, *rule.PurposeID)
		if !ok {
			return time.Time{}, false
		}
		start = at
	default: // account closure: privhub records no closure date
		return time.Time{}, false
	}
	if !sp.ok {
		return time.Time{}, false
	}
	// AddDate normalises: 31 December plus P2M is 3 March (2 in a leap year).
	return start.AddDate(sp.years, sp.months, sp.days), true
}

var period = regexp.MustCompile(`^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$`)

// ParsePeriod reads an ISO 8601 period of years, months, weeks and days,
// e.g. P7Y, P2M, P3W or P1Y6M; weeks come back as days. It reports false
// for anything else, time parts included.
func ParsePeriod(s string) (years, months, days int, ok bool) {
	m := period.FindStringSubmatch(s)
	if m == nil || s == "P" {
		return 0, 0, 0, false
	}
	n := func(x string) int {
		v, _ := strconv.Atoi(x)
		return v
	}
	return n(m[1]), n(m[2]), 7*n(m[3]) + n(m[4]), true
}

// TriggerText says in words what a retention period runs from, e.g. "the
// end of the fiscal year".
func TriggerText(t retentionrule.Trigger) string {
	switch t {
	case retentionrule.TriggerCollection:
		return "collection"
	case retentionrule.TriggerLastUse:
		return "last use"
	case retentionrule.TriggerAccountClosure:
		return "account closure"
	case retentionrule.TriggerFiscalYearEnd:
		return "the end of the fiscal year"
	case retentionrule.TriggerOptOut:
		return "the opt-out"
	}
	return "the end of the event"
}

func deref(id *pulid.ID) pulid.ID {
	if id == nil {
		return ""
	}
	return *id
}
