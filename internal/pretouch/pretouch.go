// Package pretouch makes the memory of the Go heap resident before requests
// need it.
//
// After a start, the heap grows up to the garbage collector's goal (with
// GOGC=400, five times what is live) before a collection frees anything to
// reuse, so every page of that growth is new to the process, and the kernel
// takes a page fault on its first touch. In a small virtual machine a fault
// costs about ten microseconds: an answer that allocates a few hundred
// kilobytes pays a millisecond or more, until the heap has grown once.
// Heap pays that once, at start-up, as the JVM's -XX:+AlwaysPreTouch does
// for its heap.
package pretouch

import (
	"context"
	"os"
	"runtime"
	"runtime/metrics"
)

// block is the size of the allocations that touch the heap.
const block = 1 << 20

// maxTouch bounds what Heap touches, and so the memory and the time it
// takes (a quarter of a million faults a gigabyte, some seconds where they
// are slow), whatever the collector's goal (with GOGC=off, unbounded).
const maxTouch = 1 << 30

// Heap collects garbage, then touches the heap's memory up to where the
// collector next runs, in blocks it drops at once; the collection that
// ends it finds them dead, and later allocations reuse their resident
// pages. It returns how many bytes it touched. It stops early when ctx
// ends.
func Heap(ctx context.Context) uint64 {
	runtime.GC()
	samples := []metrics.Sample{
		{Name: "/gc/cycles/total:gc-cycles"},
		{Name: "/gc/heap/goal:bytes"},
		{Name: "/memory/classes/heap/objects:bytes"},
	}
	metrics.Read(samples)
	cycles, goal, live := samples[0].Value.Uint64(), samples[1].Value.Uint64(), samples[2].Value.Uint64()
	if goal <= live {
		return 0
	}
	budget := min(goal-live, maxTouch)
	page := os.Getpagesize()
	var touched uint64
	for touched < budget && ctx.Err() == nil {
		b := make([]byte, block)
		// Fresh pages from the kernel are known to be zero: the allocation
		// alone does not touch them.
		for i := 0; i < len(b); i += page {
			b[i] = 1
		}
		touched += block
		metrics.Read(samples[:1])
		if samples[0].Value.Uint64() != cycles {
			break // a collection ran: what was touched is free for reuse
		}
	}
	return touched
}
