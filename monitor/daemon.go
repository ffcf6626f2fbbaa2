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
	// When each source's articles were last read on their own: a source
	// whose article stays due (its check failed) waits a minute, it is
	// not read again at once.
	articlesRead := map[string]time.Time{}
	if m.Store.Shared() {
		// Of workers sharing the store, the leading one reports; its last
		// report waits for the checks under way when it was stopped.
		checksDone := make(chan struct{})
		defer close(checksDone)
		deliveries.Add(1)
		go func() {
			defer deliveries.Done()
			m.reportLoop(ctx, kick, checksDone)
		}()
	}
	// A process alone with its store reports each of its runs; of workers
	// sharing one, the leading one reports every worker's events
	// (reportLoop) and sends the notifications (deliverLoop).
	alone := !m.Store.Shared()
	// A store that cannot be read (a database restarting, a network
	// between) is asked again, less and less often, not given up on.
	retry := time.Second
	for {
		if alone {
			m.recover(ctx, onRun)
		}
		listings, due, err := m.dueWork(ctx, byName, articlesRead)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			m.logger().Error("reading the schedule; trying again", "error", err, "in", retry)
			if !sleep(ctx, retry, nil) {
				return nil
			}
			retry = min(2*retry, maxRetry)
			continue
		}
		retry = time.Second
		for i, batch := range [][]*config.Source{listings, due} {
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
			m.release(batch)
			if alone {
				m.report(ctx, run, kick)
			}
			if onRun != nil {
				onRun(run)
			}
		}
		if ctx.Err() != nil {
			return nil
		}
		least := 50 * time.Millisecond
		if m.Store.Shared() && len(listings)+len(due) == 0 {
			// Sources due now may be under other workers' leases.
			least = sharedPoll
		}
		next, ok, err := m.Store.NextDue(ctx)
		if art, aok, aerr := m.Store.NextArticleDue(ctx); aerr == nil && aok && (!ok || art.Before(next)) {
			next, ok = art, true
		}
		if !sleep(ctx, m.until(next, ok && err == nil, least, maxSleep), nil) {
			return nil
		}
	}
}

// maxRetry is the longest the daemon waits before it asks a store it could
// not read again.
const maxRetry = 30 * time.Second

// sharedReportEvery is how often the leading worker of several writes a
// report of the events all of them found.
const sharedReportEvery = 15 * time.Second

// reportLoop is the leading worker's of several: every sharedReportEvery
// it reports every worker's events since the last report, in one run (the
// worker's own batches would split them into a report every few seconds),
// beside its checks. When ctx is cancelled it waits for checksDone and
// makes a last report.
func (m *Monitor) reportLoop(ctx context.Context, kick chan<- struct{}, checksDone <-chan struct{}) {
	for {
		stopping := !sleep(ctx, sharedReportEvery, nil)
		if stopping {
			<-checksDone
		}
		wctx := context.WithoutCancel(ctx)
		if lead, err := m.Store.Lead(wctx); err == nil && lead {
			m.recover(wctx, nil)
			now := m.now()
			m.report(wctx, &reports.Run{ID: newRunID(), StartedAt: now, FinishedAt: now}, kick)
		}
		if stopping {
			return
		}
	}
}

// sharedPoll is the least time a worker sharing the store waits before it
// looks for due sources again when it found none free.
const sharedPoll = 250 * time.Millisecond

// report writes a run's reports if it is worth them, and wakes the
// notifications. Reports are written even while shutting down: the run's
// checks are recorded and deserve their report.
func (m *Monitor) report(ctx context.Context, run *reports.Run, kick chan<- struct{}) {
	wctx := context.WithoutCancel(ctx)
	if !m.ReportWanted(wctx, run) {
		return
	}
	if _, _, err := m.WriteReports(wctx, run); err != nil {
		m.logger().Error("writing reports", "error", err)
	}
	select {
	case kick <- struct{}{}:
	default:
	}
}

// release gives back the leases of a batch's sources that were not
// checked (a recorded check has ended its own).
func (m *Monitor) release(batch []*config.Source) {
	names := make([]string, len(batch))
	for i, s := range batch {
		names[i] = s.Name
	}
	if err := m.Store.Release(context.Background(), m.Worker, names); err != nil {
		m.logger().Warn("releasing sources", "error", err)
	}
}

// lease is how long this worker's claims hold.
func (m *Monitor) lease() time.Duration {
	if d := m.Config.Workers.Lease; d > 0 {
		return d
	}
	return 5 * time.Minute
}

// dueWork claims the configured sources due now: those whose listing is
// due, and, apart, those that follow their articles and have only a
// watched article due (each at most once a minute, by articlesRead). A
// worker alone with its store claims every due source at once; one of
// several claims a batch, and leaves the rest to the others.
func (m *Monitor) dueWork(ctx context.Context, byName map[string]*config.Source, articlesRead map[string]time.Time) (listings, articles []*config.Source, err error) {
	now := m.now()
	limit := 0
	if m.Store.Shared() {
		if limit = m.Config.Workers.Batch; limit <= 0 {
			limit = 2 * m.Config.Concurrency
		}
	}
	due, err := m.Store.Claim(ctx, m.Worker, now, limit, m.lease())
	if err != nil {
		return nil, nil, err
	}
	taken := map[string]bool{}
	var unknown []string
	for _, n := range due {
		if s := byName[n]; s != nil {
			listings = append(listings, s)
			taken[n] = true
		} else {
			unknown = append(unknown, n)
		}
	}
	if len(unknown) > 0 {
		// Configured in another worker's file, not in this one's.
		m.Store.Release(ctx, m.Worker, unknown)
	}
	names, err := m.Store.ArticlesDue(ctx, now)
	if err != nil {
		return nil, nil, err
	}
	var want []string
	for _, n := range names {
		if s := byName[n]; s != nil && s.Follow && !taken[n] {
			if last, ok := articlesRead[n]; !ok || now.Sub(last) >= time.Minute {
				want = append(want, n)
			}
		}
	}
	if len(want) == 0 {
		return listings, nil, nil
	}
	got, err := m.Store.ClaimSources(ctx, m.Worker, want, now, m.lease())
	if err != nil {
		return nil, nil, err
	}
	for _, n := range got {
		articles = append(articles, byName[n])
		articlesRead[n] = now
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
		// The leading worker sends (a store's one process always leads);
		// the others ask for the lead as often as the leader reports.
		lead, _ := m.Store.Lead(ctx)
		if !lead {
			wait = sharedReportEvery
		}
		if lead && len(m.Config.Notify) > 0 {
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
