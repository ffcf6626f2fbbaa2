package main

import (
	"os"
	"runtime/debug"
)

// Garbage collector defaults, unless the environment sets its own (GOGC,
// GOMEMLIMIT). Checks make short-lived garbage (pages, parse trees), so
// the collector runs less often than Go's default (the heap may grow 150%
// over the live data instead of 100%), but it is kept under a soft limit of
// 100 MiB: a run of 10,000 sources, or the daemon, stays about there. A run
// whose live data is larger still works; the collector just runs more.
const (
	gcPercent   = 150
	memoryLimit = 100 << 20
)

func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
}
