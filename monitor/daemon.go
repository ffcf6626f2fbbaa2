package monitor

import (
	"context"
	"fmt"
	"time"

	"github.com/pubwatch/pubwatch/config"
	"github.com/pubwatch/pubwatch/reports"
	"github.com/pubwatch/pubwatch/store"
)

// maxSleep bounds how long the daemon sleeps between looks at the schedule.
const maxSleep = time.Minute

// Run is the daemon: it checks each configured source when the store says
// it is due, writes reports for every run that found changes or errors, and
// calls onRun after each run. It returns nil when ctx is cancelled, after
// the checks under way have finished and been reported.
func (m *Monitor) Run(ctx context.Context, onRun func(*reports.Run)) error {
	byName := make(map[string]*config.Source, len(m.Config.Sources))
	due := make(map[string]store.Due, len(m.Config.Sources))
	now := m.now()
	for i := range m.Config.Sources {
		s := &m.Config.Sources[i]
		byName[s.Name] = s
		first := firstDue(s, now)
		due[s.Name] = store.Due{At: first, Latest: s.Next(now).Add(maxJitter)}
	}
	if err := m.Store.SyncSources(ctx, due, now); err != nil {
		return fmt.Errorf("registering sources: %w", err)
	}
	for {
		due, err := m.Store.Due(ctx, m.now(), 0)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("reading schedule: %w", err)
		}
		var batch []*config.Source
		for _, n := range due {
			if s := byName[n]; s != nil {
				batch = append(batch, s)
			}
		}
		if len(batch) > 0 {
			run := m.Check(ctx, batch, nil)
			if run.Interesting() {
				// Reports are written even while shutting down: the run's
				// checks are recorded and deserve their report.
				if _, err := m.WriteReports(context.WithoutCancel(ctx), run); err != nil {
					m.logger().Error("writing reports", "error", err)
				}
			}
			if onRun != nil {
				onRun(run)
			}
		}
		if ctx.Err() != nil {
			return nil
		}
		wait := maxSleep
		if next, ok, err := m.Store.NextDue(ctx); err == nil && ok {
			wait = min(max(next.Sub(m.now()), 50*time.Millisecond), maxSleep)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
	}
}
