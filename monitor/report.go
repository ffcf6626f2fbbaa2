package monitor

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/pubwatch/pubwatch/reports"
	"github.com/pubwatch/pubwatch/store"
)

// A run's report is written from the event log, in three steps that a
// killed process can be stopped between without losing or repeating
// anything:
//
//  1. BeginReport, one transaction: every event no report holds yet (the
//     run's own, and those of runs killed before their reports) is
//     claimed by the run, the run is recorded as pending with its own
//     outcome (the model), and a delivery is queued for each notification
//     target that wants some of the claimed events;
//  2. the report files are written from the model and the claimed events;
//  3. FinishReport marks the run written.
//
// A run left pending is written again, whole, by the next process
// (RecoverReports): its files are replaced, and no other run ever claims
// its events.

// WriteReports writes the run's reports from the event log, with the
// events of interrupted runs that no report holds yet, and queues its
// notifications. It returns the run as reported (its changes read from
// the log, with those events) and its folder; run itself becomes that.
func (m *Monitor) WriteReports(ctx context.Context, run *reports.Run) (*reports.Run, string, error) {
	run.Attention = m.needsAttention(ctx)
	model, err := json.Marshal(run)
	if err != nil {
		return nil, "", fmt.Errorf("recording run: %w", err)
	}
	info := runInfo(run)
	if _, err := m.Store.BeginReport(ctx, info, model, m.deliveryTargets(), m.now()); err != nil {
		return nil, "", fmt.Errorf("recording run: %w", err)
	}
	if err := m.finishReport(ctx, run); err != nil {
		return nil, "", err
	}
	return run, run.DirName(), nil
}

// ReportWanted reports whether a run is worth a report: it found changes
// or errors, or the log holds events no report holds yet.
func (m *Monitor) ReportWanted(ctx context.Context, run *reports.Run) bool {
	if run.Interesting() {
		return true
	}
	has, err := m.Store.HasUnreported(ctx)
	if err != nil {
		m.logger().Warn("reading the event log", "error", err)
	}
	return has
}

// RecoverReports writes the reports of runs that were interrupted while
// writing them; the events they claimed are reported there and nowhere
// else. It returns the runs as reported.
func (m *Monitor) RecoverReports(ctx context.Context) ([]*reports.Run, error) {
	pending, err := m.Store.PendingRuns(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading interrupted reports: %w", err)
	}
	var out []*reports.Run
	for _, p := range pending {
		m.logger().Info("writing the report of an interrupted run", "run", p.ID)
		run := &reports.Run{}
		if err := json.Unmarshal(p.Model, run); err != nil {
			return out, fmt.Errorf("reading run %s: %w", p.ID, err)
		}
		if err := m.finishReport(ctx, run); err != nil {
			return out, fmt.Errorf("run %s: %w", p.ID, err)
		}
		out = append(out, run)
	}
	return out, nil
}

func runInfo(run *reports.Run) store.RunInfo {
	c := run.Counts()
	return store.RunInfo{ID: run.ID, StartedAt: run.StartedAt, FinishedAt: run.FinishedAt,
		Sources: c.Sources, Changed: c.Changed, Errors: c.Errors, NewItems: c.New,
		ChangedItems: c.ChangedItems, RemovedItems: c.Removed, ReportDir: run.DirName()}
}

// finishReport writes a pending run's reports from its outcome and the
// events it claimed, and marks it written.
func (m *Monitor) finishReport(ctx context.Context, run *reports.Run) error {
	if err := m.fromLog(run, m.Store.ReportEvents(ctx, run.ID), nil); err != nil {
		return fmt.Errorf("reading the events of run %s: %w", run.ID, err)
	}
	runs, err := m.Store.Runs(ctx, indexLength)
	if err != nil {
		return fmt.Errorf("listing runs: %w", err)
	}
	final := runInfo(run)
	index := make([]reports.IndexEntry, len(runs))
	for i, r := range runs {
		if r.ID == run.ID {
			r = final
		}
		index[i] = reports.IndexEntry{StartedAt: r.StartedAt, Sources: r.Sources, Changed: r.Changed,
			Errors: r.Errors, NewItems: r.NewItems, ChangedItems: r.ChangedItems,
			RemovedItems: r.RemovedItems, ReportDir: r.ReportDir}
	}
	if err := reports.Write(m.Config.ReportsDir, run, m.Config.Formats, index); err != nil {
		return err
	}
	if err := m.Store.FinishReport(ctx, final); err != nil {
		return fmt.Errorf("recording run: %w", err)
	}
	if m.AfterReport != nil {
		if err := m.AfterReport(ctx); err != nil {
			m.logger().Warn("after the reports", "run", run.ID, "err", err)
		}
	}
	return nil
}

// deliveryTargets are the configured notification targets as the store
// queues deliveries for them.
func (m *Monitor) deliveryTargets() []store.DeliveryTarget {
	out := make([]store.DeliveryTarget, len(m.Config.Notify))
	for i := range m.Config.Notify {
		n := &m.Config.Notify[i]
		out[i] = store.DeliveryTarget{Name: n.Name, Filter: n.Filter(),
			Match: func(e store.EventMeta) bool { return n.Wants(e.Source, e.Kind, e.Significance) }}
	}
	return out
}

// needsAttention lists the configured sources that have been failing or
// suspect for more checks in a row, or longer, than their attention
// thresholds, longest first. If the store cannot say, it says so in the
// log and lists none.
func (m *Monitor) needsAttention(ctx context.Context) []reports.Attention {
	troubled, err := m.Store.TroubledSources(ctx)
	if err != nil {
		m.logger().Warn("reading which sources need attention", "error", err)
		return nil
	}
	now := m.now()
	var out []reports.Attention
	for i := range m.Config.Sources {
		src := &m.Config.Sources[i]
		st := troubled[src.Name]
		if st == nil || st.TroubledChecks == 0 {
			continue
		}
		if st.TroubledChecks < src.Trust.AttentionChecks && now.Sub(st.TroubledSince) < src.Trust.AttentionAfter {
			continue
		}
		a := reports.Attention{Source: src.Name, URL: src.Location(), State: reports.TransitionSuspect,
			Since: st.TroubledSince, Checks: st.TroubledChecks, Why: st.LastError}
		if st.Failures > 0 {
			a.State = reports.TransitionFailing
		}
		out = append(out, a)
	}
	slices.SortStableFunc(out, func(a, b reports.Attention) int { return a.Since.Compare(b.Since) })
	return out
}
