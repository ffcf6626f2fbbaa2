package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
)

// startProfiles starts the CPU profile asked for with --cpuprofile.
func startProfiles(opts *Options) error {
	if opts.CPUProfile == "" {
		return nil
	}
	f, err := os.Create(opts.CPUProfile)
	if err != nil {
		return fmt.Errorf("cpu profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return fmt.Errorf("cpu profile: %w", err)
	}
	opts.cpuFile = f
	return nil
}

// stopProfiles ends the CPU profile and writes the heap profile; calling
// it again does nothing.
func stopProfiles(opts *Options) {
	if opts.cpuFile != nil {
		pprof.StopCPUProfile()
		opts.cpuFile.Close()
		opts.cpuFile = nil
	}
	if opts.MemProfile != "" {
		path := opts.MemProfile
		opts.MemProfile = ""
		f, err := os.Create(path)
		if err != nil {
			fmt.Fprintf(opts.stderr, "pubwatch: memory profile: %v\n", err)
			return
		}
		defer f.Close()
		runtime.GC()
		if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
			fmt.Fprintf(opts.stderr, "pubwatch: memory profile: %v\n", err)
		}
	}
}
