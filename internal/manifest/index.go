package manifest

import (
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"github.com/privhub/privhub/internal/pulid"
)

// index maps natural keys to the IDs of a hub's rows.
type index struct {
	orgs, vendors, categories, purposes, rules, contracts, transfers, measures map[string]pulid.ID
	clauses                                                                    map[string]map[string]pulid.ID // by contract title, then reference
}

func newIndex() *index {
	return &index{orgs: map[string]pulid.ID{}, vendors: map[string]pulid.ID{}, categories: map[string]pulid.ID{},
		purposes: map[string]pulid.ID{}, rules: map[string]pulid.ID{}, contracts: map[string]pulid.ID{},
		transfers: map[string]pulid.ID{}, measures: map[string]pulid.ID{}, clauses: map[string]map[string]pulid.ID{}}
}

func (ix *index) categoryIDs(keys []string) []pulid.ID {
	ids := make([]pulid.ID, 0, len(keys))
	for _, k := range keys {
		ids = append(ids, ix.categories[k])
	}
	return ids
}

type timeT = time.Time

func setTime(t *time.Time, set func(time.Time)) {
	if t != nil {
		set(*t)
	}
}

func wrap(what, key string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s %q: %w", what, key, err)
}

func jsonOf(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func sortStrings(s []string) { sort.Strings(s) }

func clearIf(cond bool, clear func()) {
	if cond {
		clear()
	}
}
