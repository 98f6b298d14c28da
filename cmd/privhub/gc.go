package main

import (
	"os"
	"runtime/debug"
	"strconv"
)

// serverGCPercent is the garbage collector's target in a long-running
// privhub (serve, and bench, which measures what serve answers).
const serverGCPercent = 400

// tuneGC sets the garbage collector's target to serverGCPercent, unless the
// GOGC environment variable sets one, and returns the target in force. A
// trace answer allocates about a megabyte and the caches hold a few hundred:
// at Go's default of 100, the collector runs every hundred answers or so,
// and its marking delays the answers it overlaps. 400 trades memory (the
// heap may grow to five times what is live) for a quarter of the
// collections.
func tuneGC() string {
	if v, set := os.LookupEnv("GOGC"); set {
		return v
	}
	debug.SetGCPercent(serverGCPercent)
	return strconv.Itoa(serverGCPercent)
}
