package monitor

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/pubwatch/pubwatch/config"
	"github.com/pubwatch/pubwatch/diff"
	"github.com/pubwatch/pubwatch/notify"
	"github.com/pubwatch/pubwatch/reports"
	"github.com/pubwatch/pubwatch/snapshot"
	"github.com/pubwatch/pubwatch/store"
)

// maxDeliveryBackoff bounds the wait between two attempts at a delivery.
const maxDeliveryBackoff = time.Hour

// DeliveryResult counts what one pass over the outbox did.
type DeliveryResult struct {
	Delivered, Failed, GivenUp int
}

// deliverBatch is how many due deliveries one pass takes.
const deliverBatch = 200

// Deliver sends the deliveries that are due: each target's in the order
// they were made, targets side by side. A target that fails is not tried
// again in this pass: its other deliveries wait for their next attempt.
// A delivery still failing past its target's max_age is given up.
func (m *Monitor) Deliver(ctx context.Context) (DeliveryResult, error) {
	var res DeliveryResult
	now := m.now()
	due, err := m.Store.DueDeliveries(ctx, now, deliverBatch)
	if err != nil {
		return res, fmt.Errorf("reading the outbox: %w", err)
	}
	byTarget := map[string][]store.Delivery{}
	var order []string
	for _, d := range due {
		if byTarget[d.Target] == nil {
			order = append(order, d.Target)
		}
		byTarget[d.Target] = append(byTarget[d.Target], d)
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, name := range order {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := m.deliverTo(ctx, name, byTarget[name])
			mu.Lock()
			res.Delivered += r.Delivered
			res.Failed += r.Failed
			res.GivenUp += r.GivenUp
			mu.Unlock()
		}()
	}
	wg.Wait()
	return res, nil
}

func (m *Monitor) target(name string) *config.Notify {
	for i := range m.Config.Notify {
		if m.Config.Notify[i].Name == name {
			return &m.Config.Notify[i]
		}
	}
	return nil
}

// deliverTo sends one target's due deliveries, in order.
func (m *Monitor) deliverTo(ctx context.Context, name string, ds []store.Delivery) DeliveryResult {
	var res DeliveryResult
	log := m.logger().With("target", name)
	t := m.target(name)
	maxAge := config.DefaultNotifyMaxAge
	if t != nil {
		maxAge = t.MaxAge
	}
	for k, d := range ds {
		if ctx.Err() != nil {
			return res
		}
		now := m.now()
		if now.Sub(d.CreatedAt) > maxAge {
			reason := fmt.Sprintf("given up after %d attempts over %s", d.Attempts, maxAge)
			if d.LastError != "" {
				reason += "; last error: " + d.LastError
			}
			if err := m.Store.RecordAttempt(ctx, d.ID, store.DeliveryGivenUp, d.LastAttemptAt, d.NextAttemptAt, d.Response, reason); err != nil {
				log.Warn("recording a delivery", "delivery", d.ID, "error", err)
			}
			log.Warn("delivery given up", "delivery", d.ID, "reason", reason)
			res.GivenUp++
			continue
		}
		if t == nil {
			// Kept while the target may come back to the config.
			_ = m.Store.Reschedule(ctx, d.ID, now.Add(maxDeliveryBackoff), "no notification target named "+name+" in the config")
			res.Failed++
			continue
		}
		answer, err := m.send(ctx, t, d)
		if err == nil {
			if err := m.Store.RecordAttempt(ctx, d.ID, store.DeliveryDelivered, now, now, answer, ""); err != nil {
				log.Warn("recording a delivery", "delivery", d.ID, "error", err)
			}
			log.Info("delivered", "delivery", d.ID, "answer", answer)
			res.Delivered++
			continue
		}
		next := now.Add(backoff(t.Backoff, d.Attempts+1))
		if err := m.Store.RecordAttempt(ctx, d.ID, store.DeliveryPending, now, next, answer, err.Error()); err != nil {
			log.Warn("recording a delivery", "delivery", d.ID, "error", err)
		}
		log.Warn("delivery failed", "delivery", d.ID, "error", err, "next", next)
		res.Failed++
		// The target is down or refusing: its other deliveries wait.
		for _, rest := range ds[k+1:] {
			if rest.NextAttemptAt.Before(next) {
				_ = m.Store.Reschedule(ctx, rest.ID, next, "waiting: "+err.Error())
			}
		}
		return res
	}
	return res
}

// backoff is the wait before attempt n+1: first doubled n-1 times, up to
// maxDeliveryBackoff, give or take a tenth.
func backoff(first time.Duration, n int) time.Duration {
	d := first
	for i := 1; i < n && d < maxDeliveryBackoff; i++ {
		d *= 2
	}
	d = min(d, maxDeliveryBackoff)
	return d + time.Duration((rand.Float64()*0.2-0.1)*float64(d))
}

// send renders a delivery from the log and sends it.
func (m *Monitor) send(ctx context.Context, t *config.Notify, d store.Delivery) (string, error) {
	run, err := m.deliveryRun(ctx, d)
	if err != nil {
		return "", err
	}
	return t.Send(ctx, notify.Delivery{ID: d.ID, Run: run, ReportLink: m.reportLink(run)})
}

// deliveryRun is the run a delivery carries: the events of its run that
// its filter picked, grouped by source.
func (m *Monitor) deliveryRun(ctx context.Context, d store.Delivery) (*reports.Run, error) {
	info, err := m.Store.Run(ctx, d.RunID)
	if err != nil {
		return nil, err
	}
	run := &reports.Run{ID: info.ID, StartedAt: info.StartedAt, FinishedAt: info.FinishedAt}
	filter := config.ParseFilter(d.Filter)
	err = m.fromLog(run, m.Store.ReportEvents(ctx, d.RunID), func(e store.Event) bool {
		return filter.Wants(e.Source, e.Kind, e.Significance)
	})
	if err != nil {
		return nil, err
	}
	if len(run.Sources) == 0 {
		return nil, errors.New("no events to deliver (pruned from the store?)")
	}
	// What needs attention now, not when the run was: every notification
	// leads with it.
	run.Attention = m.needsAttention(ctx)
	return run, nil
}

// reportLink is where a run's report is read: under reports.url, else
// its file.
func (m *Monitor) reportLink(run *reports.Run) string {
	if m.Config.ReportsURL != "" {
		return strings.TrimSuffix(m.Config.ReportsURL, "/") + "/" + run.DirName() + "/report.html"
	}
	return filepath.Join(m.Config.ReportsDir, run.DirName(), "report."+reportExtension(m.Config.Formats))
}

func reportExtension(formats []string) string {
	for _, f := range formats {
		if f == reports.FormatHTML {
			return "html"
		}
	}
	if len(formats) > 0 && formats[0] == reports.FormatMarkdown {
		return "md"
	}
	if len(formats) > 0 {
		return formats[0]
	}
	return "html"
}

// TestDelivery sends a sample run to a target, marked as a test, and
// returns what the target answered.
func (m *Monitor) TestDelivery(ctx context.Context, t *config.Notify) (string, error) {
	now := m.now()
	run := &reports.Run{ID: "test", StartedAt: now, FinishedAt: now}
	run.Sources = []reports.Source{SampleSource()}
	return t.Send(ctx, notify.Delivery{ID: fmt.Sprintf("test-%s-%d", t.Name, now.UnixNano()), Run: run, ReportLink: m.reportLink(run)})
}

// SampleSource is the source of a test notification: one new and one
// changed item of a made-up agency.
func SampleSource() reports.Source {
	title := "pubwatch test: Delegation arrives for talks"
	return reports.Source{Name: "pubwatch-test", URL: "https://news.example.org/", Status: reports.StatusChanged, Items: 2,
		Changes: diff.ChangeSet{
			New: []snapshot.Item{{Kind: snapshot.KindListing, ID: "https://news.example.org/1.html", Title: title,
				URL: "https://news.example.org/1.html", Date: "December 17, 2025", Summary: "A test notification from pubwatch."}},
			Changed: []diff.Change{{
				Item:     snapshot.Item{Kind: snapshot.KindListing, ID: "https://news.example.org/2.html", Title: "Talks begin in the capital", URL: "https://news.example.org/2.html"},
				Previous: snapshot.Item{Kind: snapshot.KindListing, ID: "https://news.example.org/2.html", Title: "Talks to begin", URL: "https://news.example.org/2.html"},
				Fields:   []string{diff.FieldTitle},
				Diffs: map[string][]diff.Op{diff.FieldTitle: {{Op: diff.OpEqual, Text: "Talks "}, {Op: diff.OpDelete, Text: "to begin"},
					{Op: diff.OpInsert, Text: "begin in the capital"}}},
				Summary: "headline changed", Significance: 0.5}},
		}}
}
