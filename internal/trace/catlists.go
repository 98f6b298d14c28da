package trace

import (
	"slices"

	"github.com/privhub/privhub/ent"
)

// categoryLists interns category lists: the holdings of one answer share
// few distinct sets of categories, and each set gets one list, shared by
// every holding with that set.
type categoryLists struct {
	s *snapshot
	// byHash holds, per hash of a set, its latest entry; entries of equal
	// hashes are linked through next.
	byHash  map[uint64]int32
	entries []categoryListEntry
}

// categoryListEntry is one interned set and its list.
type categoryListEntry struct {
	set  bitset
	list []*ent.DataCategory
	next int32
}

// of returns the categories of b, by key, as a list shared with every
// other set equal to b. b must not change while the interned lists are in
// use (until reset).
func (cl *categoryLists) of(b bitset) []*ent.DataCategory {
	h := hashWords(b)
	head, ok := cl.byHash[h]
	if ok {
		for i := head; i >= 0; i = cl.entries[i].next {
			if slices.Equal(cl.entries[i].set, b) {
				return cl.entries[i].list
			}
		}
	} else {
		head = -1
	}
	if cl.byHash == nil {
		cl.byHash = map[uint64]int32{}
	}
	list := cl.s.categoryList(b)
	list = list[:len(list):len(list)] // appending to a shared list copies it
	cl.byHash[h] = int32(len(cl.entries))
	cl.entries = append(cl.entries, categoryListEntry{set: b, list: list, next: head})
	return list
}

// reset forgets every interned set, keeping memory.
func (cl *categoryLists) reset() {
	clear(cl.byHash)
	clear(cl.entries) // drop the lists
	cl.entries = cl.entries[:0]
}

// hashWords hashes a bitset; a one-word set is its own hash.
func hashWords(b bitset) uint64 {
	if len(b) == 1 {
		return b[0]
	}
	h := uint64(14695981039346656037)
	for _, w := range b {
		h = (h ^ w) * 1099511628211
	}
	return h
}
