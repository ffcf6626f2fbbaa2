package evaluation

import (
	"context"
	"fmt"
	"math/rand"
	"strings"

	"github.com/pubwatch/pubwatch/config"
	"github.com/pubwatch/pubwatch/fetch"
	"github.com/pubwatch/pubwatch/monitor"
	"github.com/pubwatch/pubwatch/reports"
	"github.com/pubwatch/pubwatch/store"
)

// harness runs pubwatch over generated sites as a user would: a config,
// a store, and each run reported from the event log.
type harness struct {
	cfg     *config.Config
	st      *store.Store
	m       *monitor.Monitor
	sources []*config.Source
}

// openHarness loads the config (whose folder is path's) and opens its
// store, then takes every source's baseline: a source whose first check
// is not one is an error.
func openHarness(ctx context.Context, yaml, path string) (*harness, error) {
	cfg, err := config.Parse([]byte(yaml), path)
	if err != nil {
		return nil, err
	}
	st, err := store.Open(ctx, cfg.Store(), store.Options{Writer: true})
	if err != nil {
		return nil, err
	}
	h := &harness{cfg: cfg, st: st,
		m: &monitor.Monitor{Config: cfg, Store: st, Fetcher: fetch.New(fetch.Options{HostDelay: -1, PerHost: 8, Retries: -1})}}
	for i := range cfg.Sources {
		h.sources = append(h.sources, &cfg.Sources[i])
	}
	first, err := h.run(ctx)
	if err != nil {
		st.Close()
		return nil, err
	}
	for _, s := range first.Sources {
		if s.Status != reports.StatusFirst {
			st.Close()
			return nil, fmt.Errorf("%s: first check: %s %s", s.Name, s.Status, s.Error)
		}
	}
	return h, nil
}

// run checks every source once and returns the run as reported.
func (h *harness) run(ctx context.Context) (*reports.Run, error) {
	r, _, err := h.m.WriteReports(ctx, h.m.Check(ctx, h.sources, nil))
	return r, err
}

// revision checks every source once, as run does, and returns the run
// with a function that tells whether source i's check moved its baseline
// (a broken fetch must not).
func (h *harness) revision(ctx context.Context) (*reports.Run, func(i int) bool, error) {
	before := make([]int64, len(h.sources))
	for i, src := range h.sources {
		if b, _ := h.st.Baseline(ctx, src.Name); b != nil {
			before[i] = b.ID
		}
	}
	out, err := h.run(ctx)
	moved := func(i int) bool {
		b, _ := h.st.Baseline(ctx, h.sources[i].Name)
		return b != nil && b.ID != before[i]
	}
	return out, moved, err
}

func (h *harness) Close() error { return h.st.Close() }

// sentenceOf is a sentence of 15 to 22 of words, as generated bodies and
// summaries have them.
func sentenceOf(r *rand.Rand, words []string) string {
	var b strings.Builder
	b.WriteString("The")
	for i := 0; i < 14+r.Intn(8); i++ {
		b.WriteString(" " + words[r.Intn(len(words))])
	}
	return b.String() + "."
}
