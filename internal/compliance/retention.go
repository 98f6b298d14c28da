package compliance

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/retentionrule"
	"github.com/privhub/privhub/ent/user"
	"github.com/privhub/privhub/internal/pulid"
)

// checkRetention reports, per holder and retention rule, the data records
// held at e.at past their retention and not under legal hold. A record is
// kept for each of its purposes: it is past retention only when every one
// of its purposes has a rule (for its category or the nearest ancestor, for
// that purpose or for any) and every such rule has run out. The finding is
// filed under the rule that ran out last. A rule whose trigger has not
// occurred (an account still open, no opt-out) keeps the record.
func (e *eval) checkRetention() {
	rules := map[[2]pulid.ID]*ent.RetentionRule{}
	for _, r := range e.retention {
		rules[[2]pulid.ID{r.CategoryID, either(r.PurposeID, nil)}] = r
	}
	type group struct {
		holder  pulid.ID
		rule    *ent.RetentionRule
		records []*Evidence // the first maxEvidence records
		count   int         // all the records
		users   map[pulid.ID]bool
		first   time.Time // earliest expiry
	}
	groups := map[[2]pulid.ID]*group{}
	for _, r := range e.records {
		if r.LegalHold || r.CollectedAt.After(e.at) {
			continue
		}
		purposes := e.rpurposes[r.ID]
		if len(purposes) == 0 {
			purposes = []pulid.ID{""}
		}
		var binding *ent.RetentionRule
		var expiry time.Time
		for _, p := range purposes {
			rr := e.retentionRuleFor(rules, r.CategoryID, p)
			if rr == nil {
				binding = nil
				break
			}
			exp, ok := e.expiry(rr, r)
			if !ok || exp.After(e.at) {
				binding = nil
				break
			}
			if binding == nil || exp.After(expiry) {
				binding, expiry = rr, exp
			}
		}
		if binding == nil {
			continue
		}
		if u, ok := e.users[r.UserID]; ok && binding.Action == retentionrule.ActionAnonymize && u.Status == user.StatusAnonymized {
			continue
		}
		holder := either(r.CollectorOrganizationID, r.CollectorVendorID)
		k := [2]pulid.ID{holder, binding.ID}
		g := groups[k]
		if g == nil {
			g = &group{holder: holder, rule: binding, users: map[pulid.ID]bool{}, first: expiry}
			groups[k] = g
		}
		g.users[r.UserID] = true
		if expiry.Before(g.first) {
			g.first = expiry
		}
		if g.count++; len(g.records) == maxEvidence {
			continue
		}
		g.records = append(g.records, &Evidence{Kind: TargetDataRecord, ID: r.ID, Label: fmt.Sprintf(
			"%s: %s collected %s, retention ran out %s", e.userLabel(r.UserID), e.categoryKey(r.CategoryID), day(r.CollectedAt), day(expiry))})
	}
	list := make([]*group, 0, len(groups))
	for _, g := range groups {
		list = append(list, g)
	}
	slices.SortFunc(list, func(a, b *group) int {
		return cmp.Or(cmp.Compare(e.holderName(a.holder), e.holderName(b.holder)),
			cmp.Compare(e.categoryKey(a.rule.CategoryID), e.categoryKey(b.rule.CategoryID)), cmp.Compare(a.rule.ID, b.rule.ID))
	})
	for _, g := range list {
		sortEvidence(g.records)
		scope := "any purpose"
		if g.rule.PurposeID != nil {
			scope = "purpose " + e.purposeKey(*g.rule.PurposeID)
		}
		f := e.add(RuleRetentionExpired, e.holderTarget(g.holder), string(g.rule.ID), fmt.Sprintf(
			"%s holds %s of %s past their retention: the rule for %s and %s keeps them %s from %s, then %s; the first ran out on %s.",
			e.holderName(g.holder), countRecords(g.count), countUsers(len(g.users)), e.categoryKey(g.rule.CategoryID), scope,
			g.rule.Period, triggerText(g.rule.Trigger), actionText(g.rule.Action), day(g.first)))
		f.Since = ptr(g.first)
		f.Evidence = g.records
		f.relate(g.rule.ID, g.rule.CategoryID)
	}
}

// retentionRuleFor returns the rule that governs a category for a purpose
// ("" for a record with none): the rule for the category and the purpose,
// else the category's rule for any purpose, else the same for the nearest
// ancestor; nil when there is none.
func (e *eval) retentionRuleFor(rules map[[2]pulid.ID]*ent.RetentionRule, cat, purpose pulid.ID) *ent.RetentionRule {
	for c, n := cat, 0; c != "" && n <= len(e.cats); n++ {
		if r := rules[[2]pulid.ID{c, purpose}]; r != nil {
			return r
		}
		if r := rules[[2]pulid.ID{c, ""}]; r != nil {
			return r
		}
		parent := e.cats[c]
		if parent == nil || parent.ParentID == nil {
			break
		}
		c = *parent.ParentID
	}
	return nil
}

// expiry returns when a rule's retention of a record runs out, and false
// when the rule's trigger has not occurred by e.at. The last use of an
// event registration records the end of the event.
func (e *eval) expiry(rr *ent.RetentionRule, r *ent.DataRecord) (time.Time, bool) {
	var start time.Time
	switch rr.Trigger {
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
		if rr.PurposeID == nil {
			return time.Time{}, false
		}
		c := e.choice(r.UserID, *rr.PurposeID, "", e.at, true, true)
		if !refusal(c) {
			return time.Time{}, false
		}
		start = c.RecordedAt
	default: // account closure: privhub records no closure date
		return time.Time{}, false
	}
	y, m, d, ok := parsePeriod(rr.Period)
	if !ok {
		return time.Time{}, false
	}
	return start.AddDate(y, m, d), true
}

var period = regexp.MustCompile(`^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$`)

// parsePeriod reads an ISO 8601 period of years, months, weeks and days.
func parsePeriod(s string) (years, months, days int, ok bool) {
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

// triggerText says in words what a retention period runs from.
func triggerText(t retentionrule.Trigger) string {
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

// actionText says in words what happens when retention runs out.
func actionText(a retentionrule.Action) string {
	if a == retentionrule.ActionAnonymize {
		return "anonymises them"
	}
	return "deletes them"
}
