package compliance

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/retentionrule"
	"github.com/privhub/privhub/ent/user"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/retention"
)

// checkRetention reports, per holder and retention rule, the data records
// held at e.at past their retention and not under legal hold, as decided by
// the retention policy (see retention.Policy): the finding is filed under
// the rule that ran out last. An anonymised record is no longer personal
// data: no retention applies to it.
func (e *eval) checkRetention() {
	parents := make(map[pulid.ID]pulid.ID, len(e.cats))
	for id, c := range e.cats {
		if c.ParentID != nil {
			parents[id] = *c.ParentID
		}
	}
	policy := retention.NewPolicy(e.retention, parents)
	optOuts := func(u, p pulid.ID) (time.Time, bool) {
		c := e.choice(u, p, "", e.at, true, true)
		if !refusal(c) {
			return time.Time{}, false
		}
		return c.RecordedAt, true
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
	for i := range e.records.list {
		r := &e.records.list[i]
		if r.legalHold || r.anonymized || r.collected > e.atNanos {
			continue
		}
		binding, expiry, expired := policy.Expired(retention.Record{
			User: r.user, Category: r.category, Purposes: e.records.purposesOf(r),
			CollectedAt: r.collectedAt(), LastUsedAt: r.lastUsedAt(),
		}, e.at, optOuts)
		if !expired {
			continue
		}
		if u, ok := e.users.byID[r.user]; ok && binding.Action == retentionrule.ActionAnonymize && u.Status == user.StatusAnonymized {
			continue
		}
		holder := r.holder
		k := [2]pulid.ID{holder, binding.ID}
		g := groups[k]
		if g == nil {
			g = &group{holder: holder, rule: binding, users: map[pulid.ID]bool{}, first: expiry}
			groups[k] = g
		}
		g.users[r.user] = true
		if expiry.Before(g.first) {
			g.first = expiry
		}
		if g.count++; len(g.records) == maxEvidence {
			continue
		}
		g.records = append(g.records, &Evidence{Kind: TargetDataRecord, ID: r.id, Label: fmt.Sprintf(
			"%s: %s collected %s, retention ran out %s", e.userLabel(r.user), e.categoryKey(r.category), day(r.collectedAt()), day(expiry))})
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
			g.rule.Period, retention.TriggerText(g.rule.Trigger), actionText(g.rule.Action), day(g.first)))
		f.Since = ptr(g.first)
		f.Evidence = g.records
		f.relate(g.rule.ID, g.rule.CategoryID)
	}
}

// actionText says in words what happens when retention runs out.
func actionText(a retentionrule.Action) string {
	if a == retentionrule.ActionAnonymize {
		return "anonymises them"
	}
	return "deletes them"
}
