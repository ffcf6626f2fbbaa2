package main

import (
	"os"
	"runtime"
	"runtime/debug"

	"github.com/pubwatch/pubwatch/config"
)

// Once the config is loaded, the heap is kept under a soft limit: 100 MiB,
// or more for a config so large that its own data needs it. A run of
// 10,000 sources, or the daemon, stays about there. GOMEMLIMIT in the
// environment overrides it (and GOGC, Go's own setting, applies as usual:
// a higher value measured no faster here, only larger).
const (
	memoryLimit = 100 << 20
	// perSource is what a run may need for each source on top of the
	// config: its outcome, and its changes packed until the reports.
	perSource = 3 << 10
)

// limitMemory sets the soft memory limit for the work after loading cfg:
// 100 MiB, or twice the live heap the config left plus perSource for each
// source when that is more. A fixed limit below what a config of 100,000
// sources holds had the collector running without pause (18 s to validate
// it instead of 5).
func limitMemory(cfg *config.Config) {
	if os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	debug.SetMemoryLimit(softLimit(ms.HeapAlloc, len(cfg.Sources)))
}

// softLimit is the memory limit for a config that left live bytes of heap
// and has the given number of sources.
func softLimit(live uint64, sources int) int64 {
	return max(memoryLimit, 2*int64(live)+int64(sources)*perSource)
}
