package trace

import (
	"strings"
	"testing"
)

// TestCensusNumbersUsers checks that users are numbered once each, whether
// their IDs fit a shortID or not, and that each gets a ledger.
func TestCensusNumbersUsers(t *testing.T) {
	cs := newCensus(0)
	long := "usr_" + strings.Repeat("x", 40)
	ids := []string{"usr_a", long, "usr_b", "usr_a", long + "y", long, "", "usr_b"}
	want := []int32{0, 1, 2, 0, 3, 1, 4, 2}
	for i, id := range ids {
		if got := cs.user([]byte(id)); got != want[i] {
			t.Fatalf("user %q: got %d, want %d", id, got, want[i])
		}
	}
	if cs.users != 5 || len(cs.ledgers) != 5 {
		t.Fatalf("%d users, %d ledgers; want 5 of each", cs.users, len(cs.ledgers))
	}
	p, r := cs.ref([]byte("pur_1")), cs.ref([]byte("vnd_1"))
	cs.ledgers[1] = append(cs.ledgers[1], ledgerEntry{purpose: p, recipient: r, refusal: true, at: 5, seq: 6},
		ledgerEntry{purpose: cs.ref([]byte("pur_1")), recipient: -1, at: 7, seq: 8})
	got := cs.ledger(1)
	if len(got) != 2 || got[0].purpose != "pur_1" || got[0].recipient != "vnd_1" || !got[0].refusal ||
		got[0].at != 5 || got[0].seq != 6 || got[1].purpose != "pur_1" || got[1].recipient != "" || got[1].refusal {
		t.Fatalf("ledger of user 1: %+v", got)
	}
}
