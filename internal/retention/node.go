package retention

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/datarecord"
	"github.com/privhub/privhub/internal/pulid"
)

// IDPrefix is the type prefix of retention items' global IDs ("rti_...");
// no stored entity uses it.
const IDPrefix = "rti"

// ItemID returns the global ID of the retention item of a data record: the
// record's own ID under the item prefix, so that it is stable and decodes
// back to the record.
func ItemID(record pulid.ID) pulid.ID {
	_, rest, _ := strings.Cut(string(record), "_")
	return pulid.ID(IDPrefix + "_" + rest)
}

// recordOf decodes a retention item's global ID into its record's ID.
func recordOf(id pulid.ID) (pulid.ID, bool) {
	p, rest, ok := strings.Cut(string(id), "_")
	if !ok || p != IDPrefix || rest == "" {
		return "", false
	}
	return pulid.ID(ent.IDPrefix("data_records") + "_" + rest), true
}

// ID returns the item's global ID (see ItemID).
func (it *Item) ID() pulid.ID { return ItemID(it.Record.ID) }

// IsNode marks an item as a Relay node: node(id:) refetches it by its ID.
func (*Item) IsNode() {}

// Find returns the retention item with the given global ID as of at: the
// record, if it is past its retention then and not under legal hold, with
// the rule that governs it; nil when there is none. It costs a few queries
// for the one record, not a scan.
func Find(ctx context.Context, c *ent.Client, at time.Time, id pulid.ID) (*Item, error) {
	recID, ok := recordOf(id)
	if !ok {
		return nil, nil
	}
	r, err := c.DataRecord.Query().Where(datarecord.ID(recID)).
		WithPurposes().Only(ctx)
	if ent.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("retention: reading data record %s: %w", recID, err)
	}
	if r.LegalHold || r.AnonymizedAt != nil || r.CollectedAt.After(at) {
		return nil, nil
	}
	policy, err := LoadPolicy(ctx, c)
	if err != nil {
		return nil, err
	}
	optOuts, err := readOptOuts(ctx, c, policy, at, []*ent.DataRecord{r})
	if err != nil {
		return nil, err
	}
	purposes := make([]pulid.ID, 0, len(r.Edges.Purposes))
	for _, p := range r.Edges.Purposes {
		purposes = append(purposes, p.ID)
	}
	slices.Sort(purposes)
	rule, expiry, ok := policy.Expired(Record{User: r.UserID, Category: r.CategoryID, Purposes: purposes,
		CollectedAt: r.CollectedAt, LastUsedAt: r.LastUsedAt}, at, optOuts)
	if !ok {
		return nil, nil
	}
	return &Item{Record: r, Rule: rule, Action: rule.Action, ExpiredAt: expiry}, nil
}
