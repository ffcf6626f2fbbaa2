package monitor

import (
	"context"
	"fmt"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/pubwatch/pubwatch/config"
	"github.com/pubwatch/pubwatch/diff"
	"github.com/pubwatch/pubwatch/snapshot"

	"github.com/pubwatch/pubwatch/reports"
)

func listOf(n int, extra string) string {
	var b strings.Builder
	b.WriteString("<ul>")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, `<li><a href="/story-%d.html">Story number %d of the day</a></li>`, i, i)
	}
	return b.String() + extra + "</ul>"
}

func TestSuspectChecks(t *testing.T) {
	m, f, st := setup(t, `sources: [{name: a, url: "https://x.org/", listing: {items: li}}]`)
	ctx := context.Background()
	check := func() reports.Source { return reported(t, m) }
	f.set("https://x.org/", listOf(10, ""))
	first := check()

	// 8 of 10 items gone at once: suspect, nothing reported, baseline kept.
	f.set("https://x.org/", listOf(2, ""))
	s := check()
	if s.Status != reports.StatusSuspect || !strings.Contains(s.Reason, "shrank from 10 to 2 items") || !s.Changes.Empty() {
		t.Fatalf("mass removal: %+v", s)
	}
	if b, _ := st.Baseline(ctx, "a"); b.ID != first.SnapshotID {
		t.Fatalf("a suspect check became the baseline")
	}
	// A captcha page (with a menu that passes for a list) is suspect too.
	f.set("https://x.org/", `<html><head><title>Are you a robot?</title></head><body><p>Please complete the CAPTCHA.</p><ul><li><a href="/help">Help</a></li></ul></body></html>`)
	if s := check(); s.Status != reports.StatusSuspect || !strings.Contains(s.Reason, "CAPTCHA") {
		t.Fatalf("captcha page: %+v", s)
	}
	// Back to normal with one new item: compared with the trusted baseline.
	f.set("https://x.org/", listOf(11, ""))
	if s := check(); s.Status != reports.StatusChanged || len(s.Changes.New) != 1 || s.PreviousSnapshotID != first.SnapshotID {
		t.Fatalf("after the suspects: %+v", s)
	}
	// A site that really cut its list, and goes on changing it: accepted
	// on the third suspect check in a row, though no two were the same,
	// with everything that changed since the baseline.
	cut := []string{listOf(3, ""), listOf(3, `<li><a href="/late-1.html">A late story of the day</a></li>`),
		listOf(2, `<li><a href="/late-1.html">A late story of the day</a></li><li><a href="/late-2.html">Another late story of the day</a></li>`)}
	for i, page := range cut[:2] {
		f.set("https://x.org/", page)
		if s := check(); s.Status != reports.StatusSuspect {
			t.Fatalf("cut list, check %d: %s", i+1, s.Status)
		}
	}
	f.set("https://x.org/", cut[2])
	if s := check(); s.Status != reports.StatusChanged || len(s.Changes.Removed) != 9 || len(s.Changes.New) != 2 || !strings.Contains(s.Reason, "accepted") {
		t.Fatalf("third suspect check that agrees with the last two: %+v", s)
	}
}

// A news day replaces most of a list, or all of a small box of top
// stories: that is news, with its new and removed items, not breakage. A
// list whose headlines were replaced by menu links is breakage.
func TestTurnoverIsNews(t *testing.T) {
	m, f, _ := setup(t, `sources: [{name: a, url: "https://x.org/", listing: {items: li}}]`)
	check := func() reports.Source { return reported(t, m) }
	day := func(from, n int) string {
		var b strings.Builder
		b.WriteString("<ul>")
		for i := from; i < from+n; i++ {
			fmt.Fprintf(&b, `<li><a href="/news/story-%d.html">Cabinet approves the harbour plan number %d</a> <span>December %d, 2025</span></li>`, i, i, 1+i%28)
		}
		return b.String() + "</ul>"
	}
	f.set("https://x.org/", day(0, 41))
	check()
	// 28 of 41 replaced overnight.
	f.set("https://x.org/", day(28, 41))
	if s := check(); s.Status != reports.StatusChanged || len(s.Changes.New) != 28 || len(s.Changes.Removed) != 28 {
		t.Fatalf("overnight turnover: %s %q, %d new, %d removed", s.Status, s.Reason, len(s.Changes.New), len(s.Changes.Removed))
	}
	// A box of eight top stories, all replaced.
	f.set("https://x.org/", day(100, 8))
	check() // shrank from 41 to 8: suspect
	check()
	if s := check(); s.Status != reports.StatusChanged {
		t.Fatalf("the box accepted: %s %q", s.Status, s.Reason)
	}
	f.set("https://x.org/", day(200, 8))
	if s := check(); s.Status != reports.StatusChanged || len(s.Changes.New) != 8 || len(s.Changes.Removed) != 8 {
		t.Fatalf("the whole box replaced: %s %q", s.Status, s.Reason)
	}
	// The same number of items, but a menu: suspect.
	f.set("https://x.org/", `<ul><li><a href="/a">Home</a></li><li><a href="/b">World</a></li><li><a href="/c">Sport</a></li><li><a href="/d">Culture</a></li>
		<li><a href="/e">Opinion</a></li><li><a href="/f">Video</a></li><li><a href="/g">About</a></li><li><a href="/h">Contact</a></li></ul>`)
	if s := check(); s.Status != reports.StatusSuspect || !strings.Contains(s.Reason, "changed kind") {
		t.Fatalf("headlines replaced by a menu: %s %q", s.Status, s.Reason)
	}
}

func TestCompareVersions(t *testing.T) {
	m, f, _ := setup(t, `sources: [{name: a, url: "https://x.org/", listing: {items: li}, compare_versions: 3}]`)
	check := func() reports.Source { return reported(t, m) }
	a, b := listOf(5, ""), listOf(5, `<li><a href="/promo.html">Promoted story of the week here</a></li>`)
	f.set("https://x.org/", a)
	check()
	f.set("https://x.org/", b)
	if s := check(); s.Status != reports.StatusChanged {
		t.Fatalf("first sight of version B: %s", s.Status)
	}
	// Flipping back and forth between A and B: seen before, not reported.
	for i, page := range []string{a, b, a} {
		f.set("https://x.org/", page)
		if s := check(); s.Status != reports.StatusUnchanged || !s.Changes.Empty() {
			t.Errorf("flip %d: %s %+v", i, s.Status, s.Changes)
		}
	}
}

// An article body that shrinks to a fraction at once is a broken page
// (a truncated response, a paywall's teaser), in any language: Chinese
// and Japanese bodies are measured by their characters, not by the spaces
// they do not have.
func TestSuspectShrunkBody(t *testing.T) {
	for _, c := range []struct {
		name, sentence, stub string
	}{
		{"english", "The assembly adopted the budget for the coming year after a long debate. ", "Subscribe to read the full story."},
		{"chinese", "会议指出，实施城市更新行动是推动城市高质量发展的重要举措。", "订阅后阅读全文。"},
	} {
		t.Run(c.name, func(t *testing.T) {
			m, f, st := setup(t, `sources: [{name: a, url: "https://x.org/a.html", article: {body: "#detail"}}]`)
			ctx := context.Background()
			check := func() reports.Source { return reported(t, m) }
			page := func(body string) string {
				return `<html><head><title>Budget</title></head><body><h1>Budget</h1><div id="detail">` + body + `</div></body></html>`
			}
			f.set("https://x.org/a.html", page("<p>"+strings.Repeat(c.sentence, 12)+"</p>"))
			first := check()
			f.set("https://x.org/a.html", page("<p>"+c.stub+"</p>"))
			if s := check(); s.Status != reports.StatusSuspect || !strings.Contains(s.Reason, "shrank") {
				t.Fatalf("shrunk body: %s %q", s.Status, s.Reason)
			}
			if b, _ := st.Baseline(ctx, "a"); b.ID != first.SnapshotID {
				t.Fatalf("a suspect check became the baseline")
			}
			// An edit of a sentence is an edit.
			f.set("https://x.org/a.html", page("<p>"+strings.Repeat(c.sentence, 11)+c.stub+"</p>"))
			if s := check(); s.Status != reports.StatusChanged {
				t.Fatalf("edited body: %s %q", s.Status, s.Reason)
			}
		})
	}
}

// A source failing or suspect for attention_checks checks in a row, or for
// attention_after, whichever comes first, needs attention: one event when
// it passes the threshold, and every report leads with it until a good
// check. Failing and suspect checks count together.
func TestEscalation(t *testing.T) {
	m, f, _ := setup(t, `sources:
  - {name: counted, url: "https://x.org/a", listing: {items: li}, attention_checks: 3, attention_after: 30d}
  - {name: timed, url: "https://x.org/b", listing: {items: li}, attention_checks: 50, attention_after: 2h}`)
	now := time.Date(2025, 12, 17, 8, 0, 0, 0, time.UTC)
	m.Now = func() time.Time { return now }
	ctx := context.Background()
	type outcome struct {
		escalated []string // sources whose entry carries the attention event
		attention []string // sources the report lists as needing attention
	}
	check := func() outcome {
		t.Helper()
		run, _, err := m.WriteReports(ctx, m.Check(ctx, all(m.Config), nil))
		if err != nil {
			t.Fatal(err)
		}
		var o outcome
		for _, s := range run.Sources {
			if s.Transition == reports.TransitionAttention {
				o.escalated = append(o.escalated, s.Name)
			}
		}
		for _, a := range run.Attention {
			o.attention = append(o.attention, a.Source+" "+a.State)
		}
		return o
	}
	f.set("https://x.org/a", listOf(6, ""))
	f.set("https://x.org/b", listOf(6, ""))
	check()

	// Both break: a fails (no page), b serves a captcha (suspect).
	delete(f.pages, "https://x.org/a")
	f.set("https://x.org/b", `<html><head><title>Are you a robot?</title></head><body><p>Please complete the CAPTCHA.</p><ul><li><a href="/help">Help</a></li></ul></body></html>`)
	want := []outcome{
		{}, // 08:00 counted 1, timed 0h
		{}, // 09:00 counted 2, timed 1h
		{[]string{"counted", "timed"}, []string{"counted failing", "timed suspect"}}, // 10:00 counted 3, timed 2h
		{nil, []string{"counted failing", "timed suspect"}},                          // no second event
	}
	for i, w := range want {
		if got := check(); !reflect.DeepEqual(got, w) {
			t.Errorf("troubled check %d: %+v, want %+v", i+1, got, w)
		}
		now = now.Add(time.Hour)
	}
	// A suspect check after failing ones goes on counting.
	f.set("https://x.org/a", `<html><head><title>Access denied</title></head><body><p>Access denied.</p><ul><li><a href="/help">Help</a></li></ul></body></html>`)
	if got := check(); !reflect.DeepEqual(got.attention, []string{"counted suspect", "timed suspect"}) || got.escalated != nil {
		t.Errorf("counted turned suspect: %+v", got)
	}
	// Good again: nothing needs attention.
	f.set("https://x.org/a", listOf(6, ""))
	f.set("https://x.org/b", listOf(6, ""))
	if got := check(); got.attention != nil || got.escalated != nil {
		t.Errorf("recovered: %+v", got)
	}
}

// The suspect rules read whatever two fetches of a page hold: they never
// fail on it, and a snapshot resembles itself completely.
func FuzzSuspicious(f *testing.F) {
	f.Add([]byte(listOf(10, "")), []byte(listOf(2, "")))
	f.Add([]byte(listOf(8, "")), []byte(`<ul><li><a href="/a">Home</a></li><li><a href="https://other.example/b">World</a></li><li><a href="/c">Sport</a></li><li><a href="/d">Video</a></li></ul>`))
	f.Add([]byte(`<title>Just a moment...</title><ul><li><a href="/x">CAPTCHA</a></li></ul>`), []byte(listOf(5, "")))
	src := &config.Source{Trust: config.Trust{MaxRemovedRatio: 0.5, MinBodyRatio: 0.3, ConfirmAfter: 3}}
	base, _ := url.Parse("https://x.org/")
	rules := snapshot.Rules{AutoListing: true, AutoArticle: true}
	f.Fuzz(func(t *testing.T, before, after []byte) {
		prev, err := snapshot.Extract(before, "text/html", base, rules)
		if err != nil {
			return
		}
		cur, err := snapshot.Extract(after, "text/html", base, rules)
		if err != nil {
			return
		}
		cs := diff.Compare(prev, cur)
		_ = suspicious(src, prev, cur, cs, after, "text/html")
		if l := resemblance(cur, cur); len(cur.Items) > 0 && (l.items != 1 || l.size != 1) {
			t.Fatalf("a snapshot resembles itself by %+v", l)
		}
		if a, b := resemblance(prev, cur), resemblance(cur, prev); a != b {
			t.Fatalf("resemblance is not symmetric: %+v %+v", a, b)
		}
	})
}
