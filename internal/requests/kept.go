package requests

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/datacategory"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/retention"
	"github.com/privhub/privhub/internal/vocab"
)

// keptBack picks out of a user's records those a retention rule keeps
// despite erasure (Art. 17(3)(b)): a record is kept when the rule governing
// it for one of its purposes overrides erasure. It returns the kept record
// IDs and, per category, until when (the last day of the longest retention)
// and why.
func keptBack(ctx context.Context, c *ent.Client, records []*ent.DataRecord) (map[pulid.ID]bool, []vocab.Retained, error) {
	policy, err := retention.LoadPolicy(ctx, c)
	if err != nil {
		return nil, nil, fmt.Errorf("loading the retention rules: %w", err)
	}
	kept := map[pulid.ID]bool{}
	type hold struct {
		until  *time.Time
		reason string
	}
	byCategory := map[pulid.ID]*hold{}
	for _, r := range records {
		purposes := []pulid.ID{""}
		if len(r.Edges.Purposes) > 0 {
			purposes = purposes[:0]
			for _, p := range r.Edges.Purposes {
				purposes = append(purposes, p.ID)
			}
			slices.Sort(purposes)
		}
		facts := retention.Record{User: r.UserID, Category: r.CategoryID, Purposes: purposes, CollectedAt: r.CollectedAt, LastUsedAt: r.LastUsedAt}
		for _, p := range purposes {
			rule := policy.RuleFor(r.CategoryID, p)
			if rule == nil || !rule.OverridesErasure {
				continue
			}
			kept[r.ID] = true
			h := byCategory[r.CategoryID]
			if h == nil {
				h = &hold{reason: rule.LegalBasis}
				if h.reason == "" {
					h.reason = retention.Reason(rule)
				}
				byCategory[r.CategoryID] = h
			}
			if end, ok := retention.Expiry(rule, facts, nil); ok {
				last := end.Add(-time.Second)
				if h.until == nil || last.After(*h.until) {
					h.until = &last
				}
			}
		}
	}
	if len(byCategory) == 0 {
		return kept, nil, nil
	}
	ids := make([]pulid.ID, 0, len(byCategory))
	for id := range byCategory {
		ids = append(ids, id)
	}
	cats, err := c.DataCategory.Query().Where(datacategory.IDIn(ids...)).All(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("reading the kept categories: %w", err)
	}
	retained := make([]vocab.Retained, 0, len(cats))
	for _, cat := range cats {
		h := byCategory[cat.ID]
		retained = append(retained, vocab.Retained{CategoryKey: cat.Key, Until: h.until, Reason: h.reason})
	}
	slices.SortFunc(retained, func(a, b vocab.Retained) int { return cmp.Compare(a.CategoryKey, b.CategoryKey) })
	return kept, retained, nil
}
