package compliance

import (
	"context"
	stdsql "database/sql"
	"fmt"
	"math"
	"slices"
	"time"

	entsql "entgo.io/ent/dialect/sql"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/datarecord"
	"github.com/privhub/privhub/internal/pulid"
)

// recordTable is a compact copy of the data_records table with the
// purposes of each record: what the rules read of a record, never its value.
// The IDs a record points to are interned, so that a million records share
// a few thousand strings, and times are Unix nanoseconds. It reads the
// table in one ordered query, and follows inserts (see follower).
type recordTable struct {
	follower
	dialect string
	list    []record
	// ids interns the user, category, collector and purpose IDs.
	ids pulid.Interner
	// sets holds the distinct sorted purpose lists; record.purposes indexes it.
	sets   [][]pulid.ID
	setIdx map[string]int32
	keyBuf []byte
	// byUser lists each user's records (indexes in list).
	byUser map[pulid.ID][]int32
	// byCategory lists each category's records (indexes in list).
	byCategory map[pulid.ID][]int32
	// firstByVendor is, per vendor collector, its earliest collection.
	firstByVendor map[pulid.ID]int64
}

// record is what the rules read of one data record.
type record struct {
	id       pulid.ID
	user     pulid.ID
	category pulid.ID
	// holder is the collector, an organization or, when byVendor, a vendor.
	holder   pulid.ID
	purposes int32 // in recordTable.sets
	// collected and lastUsed are Unix nanoseconds; lastUsed is noTime when
	// the record was never used.
	collected, lastUsed   int64
	byVendor              bool
	legalHold, anonymized bool
}

// noTime marks an absent time.
const noTime = math.MinInt64

// unixNanos returns t in Unix nanoseconds, clamped to the years 1678 to
// 2262 that they can count.
func unixNanos(t time.Time) int64 {
	switch {
	case t.Before(time.Unix(0, math.MinInt64+1)):
		return math.MinInt64 + 1
	case t.After(time.Unix(0, math.MaxInt64)):
		return math.MaxInt64
	}
	return t.UnixNano()
}

// collectedAt returns when the record was collected.
func (r *record) collectedAt() time.Time { return time.Unix(0, r.collected).UTC() }

// lastUsedAt returns when the record was last used, or nil.
func (r *record) lastUsedAt() *time.Time {
	if r.lastUsed == noTime {
		return nil
	}
	t := time.Unix(0, r.lastUsed).UTC()
	return &t
}

// purposesOf returns the sorted purposes of a record; do not modify them.
func (t *recordTable) purposesOf(r *record) []pulid.ID { return t.sets[r.purposes] }

// loadRecords reads the whole table.
func loadRecords(ctx context.Context, c *ent.Client, dialect string) (*recordTable, error) {
	t := &recordTable{dialect: dialect, follower: follower{table: datarecord.Table}}
	return t, readAll(ctx, c, t)
}

func (t *recordTable) reset(count int64) {
	*t = recordTable{
		dialect: t.dialect, follower: follower{table: t.table},
		// Room for inserts, so that the first ones followed do not copy
		// the whole list.
		list:   make([]record, 0, count+count/16+64),
		setIdx: map[string]int32{}, byUser: map[pulid.ID][]int32{}, byCategory: map[pulid.ID][]int32{},
		firstByVendor: map[pulid.ID]int64{},
	}
}

// read appends the records with an ID in (after, upTo], in ID order, and
// returns how many it read. A record with several purposes comes as one
// row per purpose.
func (t *recordTable) read(ctx context.Context, c *ent.Client, after, upTo pulid.ID) (int, error) {
	// One row per record and purpose, in ID order, so that a record's rows
	// come together.
	d, p := entsql.Table(datarecord.Table).As("d"), entsql.Table(datarecord.PurposesTable).As("p")
	inRange := entsql.LTE(d.C(datarecord.FieldID), string(upTo))
	if after != "" {
		inRange = entsql.And(entsql.GT(d.C(datarecord.FieldID), string(after)), inRange)
	}
	query, args := entsql.Dialect(t.dialect).Select(
		d.C(datarecord.FieldID), d.C(datarecord.FieldUserID), d.C(datarecord.FieldCategoryID),
		d.C(datarecord.FieldCollectorOrganizationID), d.C(datarecord.FieldCollectorVendorID),
		d.C(datarecord.FieldCollectedAt), d.C(datarecord.FieldLastUsedAt), d.C(datarecord.FieldLegalHold),
		d.C(datarecord.FieldAnonymizedAt), p.C(datarecord.PurposesPrimaryKey[1]),
	).From(d).LeftJoin(p).On(p.C(datarecord.PurposesPrimaryKey[0]), d.C(datarecord.FieldID)).
		Where(inRange).OrderBy(d.C(datarecord.FieldID)).Query()
	rows, err := c.QueryContext(ctx, query, args...)
	if err != nil {
		return 0, fmt.Errorf("reading data records: %w", err)
	}
	defer rows.Close()
	var (
		id, user, cat, org, vnd, purpose stdsql.RawBytes
		collected                        time.Time
		lastUsed, anonymized             stdsql.NullTime
		hold                             bool
		cur                              record
		purposes                         []pulid.ID
		n                                int
	)
	flush := func() {
		if n > 0 {
			slices.Sort(purposes)
			cur.purposes = t.purposeSet(purposes)
			t.add(&cur)
		}
	}
	for rows.Next() {
		if err := rows.Scan(&id, &user, &cat, &org, &vnd, &collected, &lastUsed, &hold, &anonymized, &purpose); err != nil {
			return 0, fmt.Errorf("reading data records: %w", err)
		}
		if n == 0 || string(id) != string(cur.id) {
			flush()
			n++
			cur = record{
				id: pulid.ID(id), user: t.ids.Intern(user), category: t.ids.Intern(cat),
				collected: unixNanos(collected), lastUsed: noTime, legalHold: hold, anonymized: anonymized.Valid,
			}
			if lastUsed.Valid {
				cur.lastUsed = unixNanos(lastUsed.Time)
			}
			if len(org) > 0 {
				cur.holder = t.ids.Intern(org)
			} else {
				cur.holder, cur.byVendor = t.ids.Intern(vnd), true
			}
			purposes = purposes[:0]
		}
		if len(purpose) > 0 {
			purposes = append(purposes, t.ids.Intern(purpose))
		}
	}
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("reading data records: %w", err)
	}
	flush()
	return n, nil
}

// add appends a record and indexes it.
func (t *recordTable) add(r *record) {
	i := int32(len(t.list))
	t.list = append(t.list, *r)
	t.byUser[r.user] = append(t.byUser[r.user], i)
	t.byCategory[r.category] = append(t.byCategory[r.category], i)
	if r.byVendor {
		if first, ok := t.firstByVendor[r.holder]; !ok || r.collected < first {
			t.firstByVendor[r.holder] = r.collected
		}
	}
}

// purposeSet returns the index of a sorted purpose list, adding it when new.
func (t *recordTable) purposeSet(purposes []pulid.ID) int32 {
	t.keyBuf = t.keyBuf[:0]
	for _, p := range purposes {
		t.keyBuf = append(append(t.keyBuf, p...), ',')
	}
	if i, ok := t.setIdx[string(t.keyBuf)]; ok {
		return i
	}
	i := int32(len(t.sets))
	t.sets = append(t.sets, slices.Clone(purposes))
	t.setIdx[string(t.keyBuf)] = i
	return i
}
