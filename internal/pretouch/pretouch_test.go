package pretouch_test

import (
	"bytes"
	"context"
	"os"
	"runtime/debug"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/privhub/privhub/internal/pretouch"
)

// minorFaults reads the process's count of minor page faults (Linux).
func minorFaults(t *testing.T) int {
	t.Helper()
	stat, err := os.ReadFile("/proc/self/stat")
	require.NoError(t, err)
	// The fields after the command name, which is in parentheses: minflt
	// is the eighth of them.
	fields := bytes.Fields(stat[bytes.LastIndexByte(stat, ')')+2:])
	n, err := strconv.Atoi(string(fields[7]))
	require.NoError(t, err)
	return n
}

var sink []byte

// churn allocates n bytes in small blocks, each dropped at once, as answers
// do.
func churn(n int) {
	for range n / (64 << 10) {
		sink = make([]byte, 64<<10)
		for i := 0; i < len(sink); i += 4096 {
			sink[i] = 1
		}
	}
	sink = nil
}

func TestHeapSparesLaterAllocationsTheirPageFaults(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	live := make([][]byte, 32) // 32 MiB live: the collector's goal is 160 MiB
	for i := range live {
		live[i] = make([]byte, 1<<20)
		live[i][0] = 1
	}

	touched := pretouch.Heap(context.Background())
	require.Greater(t, touched, uint64(64<<20), "touched up to the next collection")

	before := minorFaults(t)
	churn(96 << 20)
	faults := minorFaults(t) - before
	t.Logf("touched %d MiB; %d faults after", touched>>20, faults)
	// 96 MiB of new pages would cost 24,576 faults; without Heap, the
	// heap growing into new pages until its first collection costs this
	// churn some 14,000. After Heap, about a hundred.
	require.Less(t, faults, 24576/4, "allocations after Heap reuse its pages")
	require.NotNil(t, live)
}

func TestHeapStopsWhenTheContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	require.Zero(t, pretouch.Heap(ctx))
}
