package monitor

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pubwatch/pubwatch/config"
	"github.com/pubwatch/pubwatch/reports"
	"github.com/pubwatch/pubwatch/store"
)

// kinds lists the kinds of a source's events, oldest first.
func kinds(t *testing.T, st *store.Store, source string) []string {
	t.Helper()
	evs, err := st.Events(context.Background(), source, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i := len(evs) - 1; i >= 0; i-- {
		if evs[i].CheckID == 0 {
			t.Errorf("event %d without its check", evs[i].ID)
		}
		out = append(out, evs[i].Kind)
	}
	return out
}

// TestEventLog: each check writes its events with it; unchanged checks
// none; a source's failing, turning suspect and recovering are one event
// each however many checks they last.
func TestEventLog(t *testing.T) {
	m, f, st := setup(t, `sources: [{name: a, url: "https://x.org/", listing: {items: li}}]`)
	ctx := context.Background()
	page := func(items ...string) string {
		s := "<ul>"
		for _, it := range items {
			s += `<li><a href="/` + it + `">Story ` + it + `</a></li>`
		}
		return s + "</ul>"
	}
	ten := []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "10"}
	steps := []struct {
		page string // "" : the fetch fails
		want []string
	}{
		{page(ten...), []string{config.EventBaseline}},
		{page(ten...), nil},
		{page(append([]string{"11"}, ten[1:]...)...), []string{config.EventNew, config.EventRemoved}},
		{"", []string{config.EventFailing}},
		{"", nil},
		{page(append([]string{"11"}, ten[1:]...)...), []string{config.EventRecovered}},
		{page("11"), []string{config.EventSuspect}},
		{page("11", "2"), nil},
		{page(append([]string{"12"}, ten[1:]...)...), []string{config.EventRecovered, config.EventNew, config.EventRemoved}},
	}
	var want []string
	for k, s := range steps {
		if s.page == "" {
			delete(f.pages, "https://x.org/")
		} else {
			f.set("https://x.org/", s.page)
		}
		r := m.Check(ctx, all(m.Config), nil)
		want = append(want, s.want...)
		if got := kinds(t, st, "a"); !slices.Equal(got, want) {
			t.Fatalf("after check %d (%s): events %v, want %v", k+1, r.Sources[0].Status, got, want)
		}
	}
}

// TestInterruptedReportIsFinished: a run that claimed its events and
// died before writing its reports has them written by the next process,
// once; the next run reports the events of a run that died before its
// report, marked as found by it.
func TestInterruptedReportIsFinished(t *testing.T) {
	m, f, st := setup(t, `sources: [{name: a, url: "https://x.org/", listing: {items: li}}, {name: b, url: "https://y.org/", listing: {items: li}}]`)
	ctx := context.Background()
	f.set("https://x.org/", `<ul><li><a href="/1">One</a></li></ul>`)
	f.set("https://y.org/", `<ul><li><a href="/1">Uno</a></li></ul>`)

	// A run whose reports were begun (its events claimed) and never
	// written, as a kill between the two steps leaves it.
	run := m.Check(ctx, all(m.Config), nil)
	model, _ := json.Marshal(run)
	if _, err := st.BeginReport(ctx, runInfo(run), model, nil, time.Now()); err != nil {
		t.Fatal(err)
	}
	// A run that died after its checks, before its report.
	f.set("https://x.org/", `<ul><li><a href="/1">One</a></li><li><a href="/2">Two</a></li></ul>`)
	orphan := m.Check(ctx, all(m.Config)[:1], nil)

	recovered, err := m.RecoverReports(ctx)
	if err != nil || len(recovered) != 1 || recovered[0].ID != run.ID {
		t.Fatalf("recovered %v, %v; want run %s", recovered, err, run.ID)
	}
	if c := recovered[0].Counts(); c.First != 2 || c.Events != 2 {
		t.Errorf("the interrupted run's report: %+v", c)
	}
	if _, err := os.Stat(filepath.Join(m.Config.ReportsDir, run.DirName(), "report.json")); err != nil {
		t.Errorf("its report was not written: %v", err)
	}
	if again, _ := m.RecoverReports(ctx); len(again) != 0 {
		t.Errorf("recovered again: %d runs", len(again))
	}

	next := m.Check(ctx, all(m.Config), nil)
	reported, _, err := m.WriteReports(ctx, next)
	if err != nil {
		t.Fatal(err)
	}
	var found []reports.Source
	for _, s := range reported.Sources {
		if s.FoundBy != "" {
			found = append(found, s)
		}
	}
	if len(found) != 1 || found[0].FoundBy != orphan.ID || found[0].Name != "a" || found[0].Tally().New != 1 {
		t.Fatalf("events of the run that died before its report: %+v", found)
	}
	if c := reported.Counts(); c.Sources != 2 || c.Interrupted != 1 || c.New != 1 {
		t.Errorf("counts %+v", c)
	}
	// Nothing is reported twice.
	last, _, err := m.WriteReports(ctx, m.Check(ctx, all(m.Config), nil))
	if err != nil {
		t.Fatal(err)
	}
	if c := last.Counts(); c.Events != 0 || c.Interrupted != 0 {
		t.Errorf("a later run reports again: %+v", c)
	}
}

// TestDeliveryGivenUp: a delivery failing past its target's max_age is
// given up, with the last error, and not tried again.
func TestDeliveryGivenUp(t *testing.T) {
	m, f, st := setup(t, `notify: [{name: hook, url: "http://127.0.0.1:1/hook", max_age: 1h, backoff: 1s}]
sources: [{name: a, url: "https://x.org/", listing: {items: li}}]`)
	ctx := context.Background()
	now := time.Date(2025, 12, 17, 8, 0, 0, 0, time.UTC)
	m.Now = func() time.Time { return now }
	f.set("https://x.org/", `<ul><li><a href="/1">One</a></li></ul>`)
	if _, _, err := m.WriteReports(ctx, m.Check(ctx, all(m.Config), nil)); err != nil {
		t.Fatal(err)
	}
	if res, err := m.Deliver(ctx); err != nil || res.Failed != 1 {
		t.Fatalf("first attempt: %+v, %v", res, err)
	}
	now = now.Add(30 * time.Minute)
	if res, _ := m.Deliver(ctx); res.Failed != 1 {
		t.Fatalf("a retry within max_age: %+v", res)
	}
	now = now.Add(time.Hour)
	if res, _ := m.Deliver(ctx); res.GivenUp != 1 || res.Failed != 0 {
		t.Fatalf("past max_age: %+v", res)
	}
	if res, _ := m.Deliver(ctx); res != (DeliveryResult{}) {
		t.Errorf("tried again after giving up: %+v", res)
	}
	status, err := st.DeliveryStatus(ctx)
	if err != nil || len(status) != 1 || status[0].GivenUp != 1 || status[0].Pending != 0 ||
		!strings.Contains(status[0].LastError, "given up after 2 attempts") {
		t.Errorf("status %+v, %v", status, err)
	}
}
