package monitor

import (
	"context"
	"fmt"
	"sync"
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
	// Notifications are sent on their own clock, beside the checks: a
	// target that is down never delays one.
	kick := make(chan struct{}, 1)
	var deliveries sync.WaitGroup
	deliveries.Add(1)
	go func() {
		defer deliveries.Done()
		m.deliverLoop(ctx, kick)
	}()
	defer deliveries.Wait()
	m.recover(ctx, onRun)
	// When each source's articles were last read on their own: a source
	// whose article stays due (its check failed) waits a minute, it is
	// not read again at once.
	articlesRead := map[string]time.Time{}
	for {
		listings, due, err := m.dueWork(ctx, byName)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("reading schedule: %w", err)
		}
		var articles []*config.Source
		for _, s := range due {
			if last, ok := articlesRead[s.Name]; !ok || m.now().Sub(last) >= time.Minute {
				articles = append(articles, s)
				articlesRead[s.Name] = m.now()
			}
		}
		for i, batch := range [][]*config.Source{listings, articles} {
			if len(batch) == 0 {
				continue
			}
			w := m
			if i == 1 {
				// Sources whose listing is not due but an article is:
				// only the due articles are read.
				only := *m
				only.ArticlesOnly = true
				w = &only
			}
			run := w.Check(ctx, batch, nil)
			// Reports are written even while shutting down: the run's
			// checks are recorded and deserve their report.
			wctx := context.WithoutCancel(ctx)
			if m.ReportWanted(wctx, run) {
				if _, _, err := m.WriteReports(wctx, run); err != nil {
					m.logger().Error("writing reports", "error", err)
				}
				select {
				case kick <- struct{}{}:
				default:
				}
			}
			if onRun != nil {
				onRun(run)
			}
		}
		if ctx.Err() != nil {
			return nil
		}
		m.recover(ctx, onRun)
		next, ok, err := m.Store.NextDue(ctx)
		if art, aok, aerr := m.Store.NextArticleDue(ctx); aerr == nil && aok && (!ok || art.Before(next)) {
			next, ok = art, true
		}
		if !sleep(ctx, m.until(next, ok && err == nil, 50*time.Millisecond, maxSleep), nil) {
			return nil
		}
	}
}

// dueWork returns the configured sources due now: those whose listing is
// due, and, apart, those that follow their articles and have only a
// watched article due.
func (m *Monitor) dueWork(ctx context.Context, byName map[string]*config.Source) (listings, articles []*config.Source, err error) {
	now := m.now()
	due, err := m.Store.Due(ctx, now, 0)
	if err != nil {
		return nil, nil, err
	}
	taken := map[string]bool{}
	for _, n := range due {
		if s := byName[n]; s != nil {
			listings = append(listings, s)
			taken[n] = true
		}
	}
	names, err := m.Store.ArticlesDue(ctx, now)
	if err != nil {
		return nil, nil, err
	}
	for _, n := range names {
		if s := byName[n]; s != nil && s.Follow && !taken[n] {
			articles = append(articles, s)
		}
	}
	return listings, articles, nil
}

// until is how long to wait for next (if ok), between least and most;
// most when there is no next.
func (m *Monitor) until(next time.Time, ok bool, least, most time.Duration) time.Duration {
	if !ok {
		return most
	}
	return min(max(next.Sub(m.now()), least), most)
}

// sleep waits d, or until kick (nil: never) fires; it returns false when
// ctx ended first.
func sleep(ctx context.Context, d time.Duration, kick <-chan struct{}) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-kick:
	case <-t.C:
	}
	return true
}

// recover writes the reports of runs interrupted while writing them (a
// killed process, a full disk), each once.
func (m *Monitor) recover(ctx context.Context, onRun func(*reports.Run)) {
	runs, err := m.RecoverReports(context.WithoutCancel(ctx))
	if err != nil {
		m.logger().Error("writing the reports of interrupted runs", "error", err)
	}
	for _, r := range runs {
		if onRun != nil {
			onRun(r)
		}
	}
}

// deliveryPoll is the longest the daemon waits between two looks at the
// outbox.
const deliveryPoll = time.Minute

// deliverLoop sends due notifications until ctx is cancelled: at once when
// kicked (a run queued some), else when the next retry is due.
func (m *Monitor) deliverLoop(ctx context.Context, kick <-chan struct{}) {
	for {
		wait := deliveryPoll
		if len(m.Config.Notify) > 0 {
			if _, err := m.Deliver(ctx); err != nil && ctx.Err() == nil {
				m.logger().Error("sending notifications", "error", err)
			}
			next, ok, err := m.Store.NextDelivery(ctx)
			wait = m.until(next, ok && err == nil, 20*time.Millisecond, deliveryPoll)
		}
		if !sleep(ctx, wait, kick) {
			return
		}
	}
}
