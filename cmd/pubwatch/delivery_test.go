package main

import (
	"crypto/hmac"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/pubwatch/pubwatch/notify"
)

// fleet is a set of news sections served with some latency, each a
// listing of teasers dated in words, in two revisions: the second adds
// two stories, retitles one and drops one in every section.
type fleet struct {
	n     int
	mu    sync.Mutex
	rev   int
	srv   *httptest.Server
	delay time.Duration
	// inFlight counts the requests being answered; most is the most
	// there ever were at once.
	inFlight, most atomic.Int32
}

func newFleet(t *testing.T, n int, delay time.Duration) *fleet {
	f := &fleet{n: n, rev: 1, delay: delay}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fleet) setRev(r int) {
	f.mu.Lock()
	f.rev = r
	f.mu.Unlock()
}

// story is one teaser of section s.
type story struct{ href, title, date string }

var months = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}

func (f *fleet) stories(s, rev int) []story {
	var out []story
	for k := 0; k < 10; k++ {
		title := fmt.Sprintf("Section %d reports on matter %d of the week", s, k)
		if rev == 2 && k == 3 {
			title = fmt.Sprintf("Section %d reports on matter %d of the week, corrected", s, k)
		}
		if rev == 2 && k == 7 {
			continue // dropped
		}
		out = append(out, story{fmt.Sprintf("/s%d/story-%d.html", s, k), title, fmt.Sprintf("%s %d, 2025", months[(s+k)%12], 1+k)})
	}
	if rev == 2 {
		out = append([]story{
			{fmt.Sprintf("/s%d/story-new-a.html", s), fmt.Sprintf("Section %d opens a new chapter", s), "December 9, 2025"},
			{fmt.Sprintf("/s%d/story-new-b.html", s), fmt.Sprintf("Section %d welcomes visitors &amp; guests", s), "December 9, 2025"},
		}, out...)
	}
	return out
}

// trueEvents are the events revision 2 brings, as "source kind url".
func (f *fleet) trueEvents() map[string]int {
	out := map[string]int{}
	for s := 0; s < f.n; s++ {
		name := fmt.Sprintf("sec%d", s)
		base := f.srv.URL
		out[fmt.Sprintf("%s new %s/s%d/story-new-a.html", name, base, s)] = 1
		out[fmt.Sprintf("%s new %s/s%d/story-new-b.html", name, base, s)] = 1
		out[fmt.Sprintf("%s changed %s/s%d/story-3.html", name, base, s)] = 1
		out[fmt.Sprintf("%s removed %s/s%d/story-7.html", name, base, s)] = 1
	}
	return out
}

func (f *fleet) serve(w http.ResponseWriter, r *http.Request) {
	var s int
	if _, err := fmt.Sscanf(r.URL.Path, "/s%d/", &s); err != nil || s >= f.n {
		http.NotFound(w, r)
		return
	}
	n := f.inFlight.Add(1)
	defer f.inFlight.Add(-1)
	for m := f.most.Load(); n > m && !f.most.CompareAndSwap(m, n); m = f.most.Load() {
	}
	f.mu.Lock()
	rev := f.rev
	f.mu.Unlock()
	if f.delay > 0 {
		time.Sleep(time.Duration(rand.Int64N(int64(f.delay))))
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<!DOCTYPE html><html><head><title>Section %d | Agency</title></head><body>
<nav><a href="/">Home</a></nav><main><h1>Section %d</h1><ul class="news">`, s, s)
	for _, st := range f.stories(s, rev) {
		fmt.Fprintf(&b, `<li><a href="%s">%s</a> <span class="date">%s</span><p>Summary of %s.</p></li>`+"\n", st.href, st.title, st.date, st.title)
	}
	b.WriteString(`</ul></main><footer>© Agency</footer></body></html>`)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	io.WriteString(w, b.String())
}

func (f *fleet) config(hook, extra string) string {
	var b strings.Builder
	b.WriteString(`store: {path: state/pubwatch.db}
reports: {dir: reports, formats: [json, html]}
concurrency: 4
defaults: {timeout: 10s}
fetch: {host_delay: 0s, retries: 0, per_host: 8}
`)
	if hook != "" {
		b.WriteString("notify:\n  - name: newsroom\n    url: " + hook + "\n    secret: ${TEST_HOOK_SECRET}\n    backoff: 1ms\n" + extra)
	}
	b.WriteString("sources:\n")
	for s := 0; s < f.n; s++ {
		fmt.Fprintf(&b, "  - name: sec%d\n    url: %s/s%d/\n    listing: {items: \"ul.news > li\", title: a, link: a, date: .date, summary: p}\n", s, f.srv.URL, s)
	}
	return b.String()
}

// eventKeys are a JSON report's item events, as "source kind url", and
// its baselines, as "source baseline".
func eventKeys(t *testing.T, body []byte) []string {
	t.Helper()
	var r struct {
		Sources []struct {
			Name, Status                      string
			New, Changed, Removed, Reappeared []struct {
				URL string `json:"url"`
			}
		} `json:"sources"`
	}
	if err := json.Unmarshal(body, &r); err != nil {
		t.Fatalf("report: %v", err)
	}
	var out []string
	for _, s := range r.Sources {
		if s.Status == "first" {
			out = append(out, s.Name+" baseline")
		}
		for _, l := range []struct {
			kind  string
			items []struct {
				URL string `json:"url"`
			}
		}{{"new", s.New}, {"changed", s.Changed}, {"removed", s.Removed}, {"reappeared", s.Reappeared}} {
			for _, it := range l.items {
				out = append(out, s.Name+" "+l.kind+" "+it.URL)
			}
		}
	}
	return out
}

// reportedEvents counts the events of every run report in the folder.
func reportedEvents(t *testing.T, dir string) (map[string]int, int) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*", "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range eventKeys(t, b) {
			out[k]++
		}
	}
	return out, len(files)
}

// hook is a webhook receiver: it keeps each delivery's body by its id,
// checks the signature, and can be down or fail every other request.
type hook struct {
	t      *testing.T
	secret string
	mu     sync.Mutex
	bodies map[string][]byte
	// down refuses every request (the connection is dropped); flaky fails
	// every other one with a 500.
	down, flaky bool
	requests    int
	srv         *httptest.Server
}

func newHook(t *testing.T, secret string) *hook {
	h := &hook{t: t, secret: secret, bodies: map[string][]byte{}}
	h.srv = httptest.NewServer(http.HandlerFunc(h.serve))
	t.Cleanup(h.srv.Close)
	return h
}

func (h *hook) serve(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.requests++
	if h.down {
		if hj, ok := w.(http.Hijacker); ok {
			if c, _, err := hj.Hijack(); err == nil {
				c.Close()
				return
			}
		}
		http.Error(w, "down", http.StatusServiceUnavailable)
		return
	}
	if h.flaky && h.requests%2 == 1 {
		http.Error(w, "try again", http.StatusInternalServerError)
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "reading", http.StatusBadRequest)
		return
	}
	id := r.Header.Get(notify.HeaderDelivery)
	if id == "" {
		h.t.Errorf("a delivery without %s", notify.HeaderDelivery)
	}
	if sig := r.Header.Get(notify.HeaderSignature); !hmac.Equal([]byte(sig), []byte(notify.Sign(h.secret, body))) {
		h.t.Errorf("delivery %s: signature %q does not match its body", id, sig)
	}
	if prev, ok := h.bodies[id]; ok && string(prev) != string(body) {
		h.t.Errorf("delivery %s sent again with another body", id)
	}
	h.bodies[id] = body
	w.WriteHeader(http.StatusNoContent)
}

// delivered counts the events of the deliveries received, each delivery
// once however often it was sent.
func (h *hook) delivered(t *testing.T) (map[string]int, int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := map[string]int{}
	for _, b := range h.bodies {
		for _, k := range eventKeys(t, b) {
			out[k]++
		}
	}
	return out, len(h.bodies)
}

// exactly compares the item events counted with the true ones: each once,
// no other; baselines, one per source.
func exactly(t *testing.T, what string, got, want map[string]int, sources int) {
	t.Helper()
	var wrong []string
	baselines := 0
	for k, n := range got {
		if strings.HasSuffix(k, " baseline") {
			baselines++
			if n != 1 {
				wrong = append(wrong, fmt.Sprintf("%s %d times", k, n))
			}
			continue
		}
		if want[k] == 0 {
			wrong = append(wrong, "not a true event: "+k)
		} else if n != 1 {
			wrong = append(wrong, fmt.Sprintf("%s %d times", k, n))
		}
	}
	for k := range want {
		if got[k] == 0 {
			wrong = append(wrong, "missing: "+k)
		}
	}
	if baselines != sources {
		wrong = append(wrong, fmt.Sprintf("%d baselines, want %d", baselines, sources))
	}
	sort.Strings(wrong)
	if len(wrong) > 0 {
		t.Errorf("%s: %d problems:\n%s", what, len(wrong), strings.Join(wrong[:min(len(wrong), 30)], "\n"))
	}
}

// TestKillsLoseNoEvent: check is killed (SIGKILL) at random moments while
// the sites change; after one clean check, the run reports together hold
// every true event exactly once, and so do the webhook's deliveries,
// counted once per delivery id.
func TestKillsLoseNoEvent(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a dozen runs")
	}
	const sources, kills = 24, 8
	f := newFleet(t, sources, 80*time.Millisecond)
	h := newHook(t, "s3cret-k3y")
	p := newProject(t, f.config(h.srv.URL+"/hook", ""))
	t.Setenv("TEST_HOOK_SECRET", h.secret)

	start := time.Now()
	p.mustRun(0, "check")
	span := time.Since(start)
	f.setRev(2)
	seed := time.Now().UnixNano()
	rng := rand.New(rand.NewPCG(uint64(seed), 0))
	t.Logf("seed %d; a run takes about %s", seed, span.Round(time.Millisecond))
	finished := 0
	for k := 0; k < kills; k++ {
		cmd := p.command("check", "--quiet")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Anywhere in the run, from its checks to its report and
		// notifications; rarely after it ended.
		time.Sleep(span/10 + time.Duration(rng.Int64N(int64(span))))
		cmd.Process.Signal(syscall.SIGKILL)
		if err := cmd.Wait(); err == nil {
			finished++
		}
	}
	p.mustRun(0, "check")

	got, runs := reportedEvents(t, filepath.Join(p.dir, "reports"))
	t.Logf("%d of %d runs killed; %d run reports", kills-finished, kills, runs)
	exactly(t, "run reports", got, f.trueEvents(), sources)
	delivered, n := h.delivered(t)
	t.Logf("%d deliveries", n)
	exactly(t, "webhook deliveries", delivered, f.trueEvents(), sources)

	var status []targetStatus
	if err := json.Unmarshal([]byte(p.mustRun(0, "notify", "status", "--json")), &status); err != nil {
		t.Fatal(err)
	}
	if len(status) != 1 || status[0].Pending != 0 || status[0].Delivered != n {
		t.Errorf("notify status %+v, want nothing pending and %d delivered", status, n)
	}
}

// TestReceiverDownThenFlaky: a webhook receiver down for the first runs,
// then failing every other request, ends up with every event, each once;
// the secret never shows.
func TestReceiverDownThenFlaky(t *testing.T) {
	const sources = 6
	f := newFleet(t, sources, 0)
	h := newHook(t, "an0ther-s3cret")
	h.down = true
	p := newProject(t, f.config(h.srv.URL+"/hook?token=${TEST_HOOK_SECRET}", ""))
	t.Setenv("TEST_HOOK_SECRET", h.secret)

	_, stderr, _ := p.run("check")
	f.setRev(2)
	_, stderr2, _ := p.run("check")
	for _, out := range []string{stderr, stderr2, p.mustRun(0, "notify", "status")} {
		if strings.Contains(out, h.secret) {
			t.Errorf("the secret shows:\n%s", out)
		}
	}
	if !strings.Contains(stderr2, "not delivered") {
		t.Errorf("a check whose notifications failed says nothing of it:\n%s", stderr2)
	}
	var status []targetStatus
	json.Unmarshal([]byte(p.mustRun(0, "notify", "status", "--json")), &status)
	if len(status) != 1 || status[0].Pending != 2 || status[0].LastError == "" {
		t.Fatalf("while the receiver is down: %+v, want 2 pending with the last error", status)
	}

	h.mu.Lock()
	h.down, h.flaky = false, true
	h.mu.Unlock()
	for k := 0; k < 10; k++ {
		p.mustRun(0, "check", "--quiet")
		json.Unmarshal([]byte(p.mustRun(0, "notify", "status", "--json")), &status)
		if status[0].Pending == 0 {
			break
		}
	}
	if status[0].Pending != 0 {
		t.Fatalf("still pending after 10 runs: %+v", status)
	}
	delivered, _ := h.delivered(t)
	exactly(t, "webhook deliveries", delivered, f.trueEvents(), sources)
}

// TestDaemonRetriesOnItsOwnClock: the daemon retries a delivery when its
// back-off ends, not only when a source is due and changes.
func TestDaemonRetriesOnItsOwnClock(t *testing.T) {
	f := newFleet(t, 3, 0)
	h := newHook(t, "s3cret")
	h.down = true
	cfg := strings.Replace(f.config(h.srv.URL+"/hook", ""), "defaults: {timeout: 10s}", "defaults: {timeout: 10s, interval: 2s}", 1)
	p := newProject(t, strings.Replace(cfg, "backoff: 1ms", "backoff: 300ms", 1))
	t.Setenv("TEST_HOOK_SECRET", h.secret)
	cmd := p.command("run", "--quiet")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	// Every baseline made and waiting: from here on the checks find no
	// change, and nothing but the daemon's own clock sends the retries.
	waitFor(t, "the three baselines' deliveries, failed", func() bool {
		out, _, code := p.run("notify", "status", "--json")
		var status []targetStatus
		return code == 0 && json.Unmarshal([]byte(out), &status) == nil && len(status) == 1 &&
			status[0].Pending+status[0].Delivered == 3 && status[0].LastError != ""
	})
	h.mu.Lock()
	h.down = false
	h.mu.Unlock()
	waitFor(t, "the delivery, retried", func() bool {
		got, _ := h.delivered(t)
		return len(got) == 3
	})
	cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Errorf("run after SIGTERM: %v", err)
	}
	// The first checks are spread, so the baselines may come in several
	// runs, each with its delivery.
	got, n := h.delivered(t)
	for k, c := range got {
		if c != 1 {
			t.Errorf("%s delivered %d times", k, c)
		}
	}
	if len(got) != 3 {
		t.Errorf("%d deliveries of %v, want the 3 baselines", n, got)
	}
}

// TestNotifyTestCommand: notify test sends a sample to the target and
// says what it answered; a target that refuses makes exit code 1.
func TestNotifyTestCommand(t *testing.T) {
	f := newFleet(t, 1, 0)
	h := newHook(t, "s3cret")
	p := newProject(t, f.config(h.srv.URL+"/hook", ""))
	t.Setenv("TEST_HOOK_SECRET", h.secret)
	out := p.mustRun(0, "notify", "test")
	if !strings.Contains(out, "newsroom  webhook  ok: 204 No Content") {
		t.Errorf("notify test:\n%s", out)
	}
	got, n := h.delivered(t)
	if n != 1 || got["pubwatch-test new https://news.example.org/1.html"] != 1 {
		t.Errorf("the receiver got %d deliveries: %v", n, got)
	}
	h.mu.Lock()
	h.down = true
	h.mu.Unlock()
	if out, _, code := p.run("notify", "test", "newsroom"); code != 1 || !strings.Contains(out, "FAILED") || strings.Contains(out, h.secret) {
		t.Errorf("notify test of a target that is down: exit %d\n%s", code, out)
	}
	if _, stderr, code := p.run("notify", "test", "nosuch"); code != 2 || !strings.Contains(stderr, `no notify target named "nosuch"`) {
		t.Errorf("an unknown target: exit %d\n%s", code, stderr)
	}
}

// TestReportsCannotBeWritten: while the reports folder cannot be written
// (here a file stands in its place, as a full disk would fail the
// writes), checks go on and fail loudly; once it can, the next check
// writes the stuck run's report, and every event is reported once.
func TestReportsCannotBeWritten(t *testing.T) {
	const sources = 4
	f := newFleet(t, sources, 0)
	p := newProject(t, f.config("", ""))
	p.mustRun(0, "check")
	f.setRev(2)
	reportsDir := filepath.Join(p.dir, "reports")
	saved := filepath.Join(p.dir, "saved-reports")
	if err := os.Rename(reportsDir, saved); err != nil {
		t.Fatal(err)
	}
	p.write("reports", "not a folder")
	_, stderr, code := p.run("check")
	if code != 1 || !strings.Contains(stderr, "reports") {
		t.Fatalf("check with its reports folder blocked: exit %d\n%s", code, stderr)
	}
	_, stderr, code = p.run("check")
	if code != 1 || !strings.Contains(stderr, "the report of an interrupted run is not written yet") {
		t.Fatalf("a second check, still blocked: exit %d\n%s", code, stderr)
	}
	var checks []map[string]any
	if err := json.Unmarshal([]byte(p.mustRun(0, "history", "sec0", "--checks", "--json")), &checks); err != nil || len(checks) != 3 {
		t.Fatalf("sec0 has %d checks, want 3 (the blocked runs checked all the same): %v", len(checks), err)
	}
	if err := os.Remove(reportsDir); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(saved, reportsDir); err != nil {
		t.Fatal(err)
	}
	p.mustRun(0, "check")
	got, runs := reportedEvents(t, reportsDir)
	if runs != 4 {
		t.Errorf("%d run reports, want 4 (baseline, the two blocked runs written late, the last)", runs)
	}
	exactly(t, "run reports", got, f.trueEvents(), sources)
}

// A source that stays broken is never silent: once it has failed
// attention_checks times in a row, check prints it first, every report
// leads with it, and every notification too (the one that says so, and
// those of later runs about other sources), until it recovers.
func TestAttentionLeadsReportsAndNotifications(t *testing.T) {
	pages := map[string]string{
		"/a/": `<ul class="news"><li><a href="/a/1.html">Talks Begin in the Capital</a></li><li><a href="/a/2.html">Delegation Arrives for Summit</a></li></ul>`,
		"/b/": `<ul class="news"><li><a href="/b/1.html">Harbour Bridge Opens</a></li></ul>`,
	}
	s := newSite(t, pages)
	h := newHook(t, "s3cret")
	t.Setenv("TEST_HOOK_SECRET", h.secret)
	p := newProject(t, `store: {path: state/pubwatch.db}
reports: {dir: reports, formats: [json, html, markdown]}
fetch: {host_delay: 0s, retries: 0}
notify:
  - {name: newsroom, url: "`+h.srv.URL+`/hook", secret: "${TEST_HOOK_SECRET}", backoff: 1ms}
sources:
  - {name: broken, url: "`+s.srv.URL+`/a/", listing: {items: "ul.news > li"}, attention_checks: 3}
  - {name: fine, url: "`+s.srv.URL+`/b/", listing: {items: "ul.news > li"}}
`)
	p.mustRun(0, "check")
	delete(pages, "/a/")
	for i := 1; i <= 2; i++ {
		s.set(pages)
		if out, _, _ := p.run("check"); strings.Contains(out, "NEEDS ATTENTION") {
			t.Fatalf("failure %d already needs attention:\n%s", i, out)
		}
	}
	out, _, _ := p.run("check")
	if !strings.HasPrefix(out, "NEEDS ATTENTION  broken: failing since ") || !strings.Contains(out, "(3 checks in a row): ") {
		t.Fatalf("the third failure does not lead the output:\n%s", out)
	}
	var r struct {
		Attention []struct {
			Source, State, Since, Why string
			Checks                    int
		} `json:"attention"`
		Sources []struct {
			Name, Transition string
		} `json:"sources"`
	}
	if err := json.Unmarshal([]byte(p.read("reports/latest.json")), &r); err != nil {
		t.Fatal(err)
	}
	if len(r.Attention) != 1 || r.Attention[0].Source != "broken" || r.Attention[0].State != "failing" || r.Attention[0].Checks != 3 ||
		!strings.Contains(r.Attention[0].Why, "404") {
		t.Fatalf("latest.json attention: %+v", r.Attention)
	}
	if html := p.read("reports/latest.html"); strings.Index(html, "Needs attention") > strings.Index(html, `id="source-`) {
		t.Error("the HTML report does not lead with what needs attention")
	}
	if md := p.read("reports/latest.md"); !strings.Contains(md, "## Needs attention\n\n- **broken**: failing since") {
		t.Errorf("the Markdown report:\n%s", md)
	}

	// A later run with news of another source: its notification leads
	// with the broken one too.
	pages["/b/"] = `<ul class="news"><li><a href="/b/2.html">Railway Line Reopens</a></li><li><a href="/b/1.html">Harbour Bridge Opens</a></li></ul>`
	s.set(pages)
	p.run("check")

	h.mu.Lock()
	defer h.mu.Unlock()
	escalations, leading := 0, 0
	for _, body := range h.bodies {
		var d struct {
			Attention []struct{ Source string } `json:"attention"`
			Sources   []struct {
				Name, Transition string
				New              []struct{ URL string } `json:"new"`
			} `json:"sources"`
		}
		if err := json.Unmarshal(body, &d); err != nil {
			t.Fatal(err)
		}
		for _, s := range d.Sources {
			if s.Transition == "attention" {
				escalations++
			}
			if s.Name == "fine" && len(s.New) == 1 && len(d.Attention) == 1 && d.Attention[0].Source == "broken" {
				leading++
			}
		}
	}
	if escalations != 1 || leading != 1 {
		t.Errorf("deliveries: %d attention events (want 1), %d later notifications leading with the broken source (want 1)", escalations, leading)
	}
}
