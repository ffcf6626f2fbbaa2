package monitor

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pubwatch/pubwatch/config"
	"github.com/pubwatch/pubwatch/store"
)

func TestRecheckSchedule(t *testing.T) {
	t0 := time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		age    time.Duration
		factor float64
		want   time.Duration
	}{{0, 1.25, 15 * time.Minute}, {10 * time.Minute, 1.25, 15 * time.Minute}, {4 * time.Hour, 1.25, 5 * time.Hour},
		{4 * 24 * time.Hour, 1.25, 5 * 24 * time.Hour}, {4 * 24 * time.Hour, 0.5, 2 * 24 * time.Hour}, {200 * 24 * time.Hour, 1.25, 30 * 24 * time.Hour}} {
		if got := recheckAfter(c.age, c.factor); got != c.want {
			t.Errorf("recheckAfter(%v, %g) = %v, want %v", c.age, c.factor, got, c.want)
		}
		// The jitter keeps within a tenth, and differs by address.
		spread := map[time.Time]bool{}
		for i := range 20 {
			next := nextRead(fmt.Sprintf("https://x.org/%d.html", i), t0, t0.Add(c.age), c.factor)
			d := next.Sub(t0.Add(c.age))
			if d < c.want*9/10 || d > c.want*11/10 {
				t.Errorf("nextRead at age %v: after %v, want %v ± a tenth", c.age, d, c.want)
			}
			spread[next] = true
		}
		if len(spread) < 15 {
			t.Errorf("at age %v, 20 articles fall due at %d times only", c.age, len(spread))
		}
	}
}

// A simulated week of a 50-item listing checked every 30 minutes, two
// new stories every two hours, and 60 edits drawn across the articles'
// ages (some long after they left the listing): the age-based schedule
// reads a tenth of the articles (or fewer) that re-reading every listed
// article at every check would, and every edit is still found.
func TestWatchWeek(t *testing.T) {
	if testing.Short() {
		t.Skip("a simulated week")
	}
	m, f, st := setup(t, `sources: [{name: a, url: "https://x.org/", listing: {items: li}, follow: true, follow_limit: 50}]`)
	r := rand.New(rand.NewPCG(17, 5))
	t0 := time.Date(2025, 12, 1, 6, 0, 0, 0, time.UTC)
	now := t0
	m.Now = func() time.Time { return now }

	var order []int // listed articles, newest first
	bodies := map[int][]string{}
	next := 0
	page := func(n int) string {
		return fmt.Sprintf(`<html><head><title>Story %d</title></head><body><article><h1>Story number %d of the week</h1><p>%s</p></article></body></html>`,
			n, n, strings.Join(bodies[n], "</p><p>"))
	}
	publish := func() {
		n := next
		next++
		bodies[n] = []string{
			fmt.Sprintf("The delegation met the council about the harbour budget, story %d, and the ministry said the railway plan would reach the capital before the festival.", n),
			"Farmers and workers from the region asked for the exports of the harvest to be counted in the trade figures of the year, which the council agreed to consider.",
			"The museum and the school of science will open their doors to visitors during the summit, the culture office said in a statement on Tuesday."}
		order = append([]int{n}, order...)
		if len(order) > 50 {
			order = order[:50]
		}
		f.set(fmt.Sprintf("https://x.org/a/%d.html", n), page(n))
		var li []string
		for _, k := range order {
			li = append(li, fmt.Sprintf(`<li><a href="/a/%d.html">Story number %d of the week</a></li>`, k, k))
		}
		f.set("https://x.org/", "<html><body><ul>"+strings.Join(li, "")+"</ul></body></html>")
	}
	for range 50 {
		publish()
	}

	// The edits: at times drawn across the week, each to an article
	// drawn among those published by then, young or old.
	const checks = 7 * 48
	type edit struct {
		at      time.Time
		article int
	}
	var edits []edit
	for range 60 {
		at := t0.Add(time.Duration(r.Int64N(int64(checks * 30 * time.Minute))))
		edits = append(edits, edit{at: at})
	}
	slices.SortFunc(edits, func(a, b edit) int { return a.at.Compare(b.at) })

	check := func() {
		t.Helper()
		for _, s := range m.Check(context.Background(), all(m.Config), nil).Sources {
			if s.Status == "error" || s.Status == "suspect" {
				t.Fatalf("check at %v: %s %s %s", now, s.Status, s.Error, s.Reason)
			}
		}
	}
	e := 0
	for i := 0; i < checks; i++ {
		now = t0.Add(time.Duration(i) * 30 * time.Minute)
		if i > 0 && i%4 == 0 {
			publish()
			publish()
		}
		for ; e < len(edits) && !edits[e].at.After(now); e++ {
			n := r.IntN(next)
			edits[e].article = n
			bodies[n] = append(bodies[n], fmt.Sprintf("Correction %d: an earlier version of this story gave the wrong figure for the budget.", e))
			f.set(fmt.Sprintf("https://x.org/a/%d.html", n), page(n))
		}
		check()
	}
	weekReads := f.hitsUnder("https://x.org/a/")

	everyCheck := checks * 50 // what re-reading every listed article at every check costs

	// Checks go on until each edit has been read (old articles are read
	// every two days); none is lost.
	found := func() (int, []time.Duration) {
		evs, err := st.FindEvents(context.Background(), store.EventFilter{Source: "a", Kinds: []string{config.EventChanged}, Limit: 100000})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		var lags []time.Duration
		for _, ed := range edits {
			key := fmt.Sprintf("article https://x.org/a/%d.html", ed.article)
			for _, ev := range slices.Backward(evs) {
				if ev.ItemKey == key && !ev.At.Before(ed.at) {
					n++
					lags = append(lags, ev.At.Sub(ed.at))
					break
				}
			}
		}
		return n, lags
	}
	extra := 0
	for n, _ := found(); n < len(edits) && extra < 21*48; n, _ = found() {
		extra++
		now = t0.Add(time.Duration(checks+extra) * 30 * time.Minute)
		check()
	}
	n, lags := found()
	// How many were found within the week itself.
	inWeek := 0
	if n == len(edits) {
		for i, ed := range edits {
			if !ed.at.Add(lags[i]).After(t0.Add(checks * 30 * time.Minute)) {
				inWeek++
			}
		}
	}
	slices.Sort(lags)
	t.Logf("a week of %d checks: %d article reads against %d re-reading every listed article (%.1fx fewer); %d of %d edits found (%d within the week), lag median %v, worst %v; %d articles published",
		checks, weekReads, everyCheck, float64(everyCheck)/float64(weekReads), n, len(edits), inWeek, lags[len(lags)/2], lags[len(lags)-1], next)
	if weekReads*10 > everyCheck {
		t.Errorf("%d article reads in the week, more than a tenth of %d", weekReads, everyCheck)
	}
	if n != len(edits) {
		t.Errorf("%d of %d edits found", n, len(edits))
	}
}

// An article page that now says it is not found is a deletion; a bot
// check or a maintenance page in its place is a read that failed.
func TestSoftErrorArticles(t *testing.T) {
	m, f, _ := setup(t, `sources: [{name: a, url: "https://x.org/", listing: {items: li}, follow: true}]`)
	src := &m.Config.Sources[0]
	for page, want := range map[string]string{
		`<html><head><title>Page not found</title></head><body><h1>Page not found</h1><p>Sorry.</p></body></html>`:                 "gone",
		`<html><head><title>Just a moment...</title></head><body><p>Checking your browser before accessing.</p></body></html>`:     "error",
		`<html><head><title>Maintenance</title></head><body><p>The site is down for maintenance. Be right back.</p></body></html>`: "error",
	} {
		f.set("https://x.org/a.html", page)
		read, err := m.followOne(context.Background(), src, "https://x.org/a.html", store.ArticleState{}, true)
		got := "read"
		switch {
		case err != nil:
			got = "error"
		case read.gone != "":
			got = "gone"
		}
		if got != want {
			t.Errorf("%.40s…: %s (%q, %v), want %s", page, got, read.gone, err, want)
		}
	}
}

func TestAgeWords(t *testing.T) {
	for d, want := range map[time.Duration]string{time.Minute: "1 minute", 20 * time.Minute: "20 minutes", 5 * time.Hour: "5 hours",
		47 * time.Hour: "47 hours", 9*24*time.Hour + 3*time.Hour: "9 days"} {
		if got := ageWords(d); got != want {
			t.Errorf("ageWords(%v) = %q, want %q", d, got, want)
		}
	}
}

// The daemon reads a watched article when it falls due even when its
// listing is not due: only the article, not the listing.
func TestDaemonReadsDueArticles(t *testing.T) {
	ctx := context.Background()
	m, f, _ := setup(t, `sources: [{name: a, url: "https://x.org/", listing: {items: li}, follow: true, interval: 6h}]`)
	t0 := time.Date(2025, 12, 1, 6, 0, 0, 0, time.UTC)
	now := t0
	m.Now = func() time.Time { return now }
	article := `<html><body><article><h1>Story</h1><p>` + strings.Repeat("The delegation met the council about the harbour budget and the railway plan. ", 6) + `</p></article></body></html>`
	f.set("https://x.org/", `<ul><li><a href="/a/1.html">Story one of the day here</a></li><li><a href="/a/2.html">Story two of the day here</a></li></ul>`)
	f.set("https://x.org/a/1.html", article)
	f.set("https://x.org/a/2.html", article)
	m.Check(ctx, all(m.Config), nil)
	byName := map[string]*config.Source{"a": &m.Config.Sources[0]}

	now = t0.Add(20 * time.Minute)
	listings, articles, err := m.dueWork(ctx, byName, map[string]time.Time{})
	if err != nil || len(listings) != 0 || len(articles) != 1 {
		t.Fatalf("20 minutes on: listings %v, articles %v, %v; want the source's articles only", listings, articles, err)
	}
	calls := f.calls
	only := *m
	only.ArticlesOnly = true
	only.Check(ctx, articles, nil)
	if got := f.calls - calls; got != 2 {
		t.Errorf("the articles-only check fetched %d pages, want the 2 articles and not the listing", got)
	}
	now = t0.Add(25 * time.Minute)
	if listings, articles, _ := m.dueWork(ctx, byName, map[string]time.Time{}); len(listings)+len(articles) != 0 {
		t.Errorf("5 minutes after the read: listings %v, articles %v due; want none", listings, articles)
	}
	now = t0.Add(6*time.Hour + 10*time.Minute) // past the listing's interval and its jitter (up to 5 minutes)
	if listings, articles, _ := m.dueWork(ctx, byName, map[string]time.Time{}); len(listings) != 1 || len(articles) != 0 {
		t.Errorf("6 hours on: listings %v, articles %v; want the listing (which reads its due articles too)", listings, articles)
	}
}
