package main

import "testing"

// The soft limit is 100 MiB for the configs people have, and grows with a
// config whose own data would otherwise leave the collector no room (the
// measured live heaps of 1,000, 10,000 and 100,000 generated sources).
func TestSoftLimit(t *testing.T) {
	for _, c := range []struct {
		live    uint64
		sources int
		want    int64
	}{
		{7 << 20, 1000, 100 << 20},
		{15 << 20, 10000, 100 << 20},
		{91 << 20, 100000, 182<<20 + 100000*3<<10},
	} {
		if got := softLimit(c.live, c.sources); got != c.want {
			t.Errorf("softLimit(%d MiB, %d sources) = %d MiB, want %d MiB", c.live>>20, c.sources, got>>20, c.want>>20)
		}
	}
}
