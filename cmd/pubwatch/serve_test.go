package main

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mmcdole/gofeed/atom"
)

// archive is a running `pubwatch serve`.
type archive struct {
	t    *testing.T
	cmd  *exec.Cmd
	base string
}

// serveArchive starts `pubwatch serve` on the project's store and waits
// for its address.
func serveArchive(t *testing.T, p *project, args ...string) *archive {
	t.Helper()
	cmd := p.command(append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	a := &archive{t: t, cmd: cmd}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("serve printed no address: %v", err)
	}
	m := regexp.MustCompile(`http://[^/\s]+`).FindString(line)
	if m == "" {
		t.Fatalf("serve printed %q, not its address", line)
	}
	a.base = m
	go io.Copy(io.Discard, out)
	return a
}

// servedRevisions checks the test site's two revisions into a store and
// serves it.
func servedRevisions(t *testing.T) (*project, *archive) {
	t.Helper()
	s := newSite(t, revision1())
	p := newProject(t, siteConfig(s.srv.URL))
	p.mustRun(0, "check")
	s.set(revision2())
	p.mustRun(1, "check")
	return p, serveArchive(t, p)
}

// get fetches a path and returns the status, the body and the headers.
func (a *archive) get(path string, header ...string) (int, string, http.Header) {
	a.t.Helper()
	req, _ := http.NewRequest("GET", a.base+path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		a.t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

func (a *archive) mustGet(path string) string {
	a.t.Helper()
	code, body, h := a.get(path)
	if code != http.StatusOK {
		a.t.Fatalf("GET %s: %d\n%s", path, code, body)
	}
	if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "script-src") {
		a.t.Errorf("GET %s: Content-Security-Policy %q lets something run", path, csp)
	}
	return body
}

func (a *archive) getJSON(path string, v any) {
	a.t.Helper()
	body := a.mustGet(path)
	if err := json.Unmarshal([]byte(body), v); err != nil {
		a.t.Fatalf("GET %s: %v\n%s", path, err, body)
	}
}

// apiEvent is an event as the API documents it.
type apiEvent struct {
	ID     int64  `json:"id"`
	Source string `json:"source"`
	Kind   string `json:"kind"`
	At     string `json:"at"`
	RunID  string `json:"run_id"`
	ItemID string `json:"item_id"`
	Title  string `json:"title"`
	URL    string `json:"url"`
	Change *struct {
		Fields []string                               `json:"fields"`
		Diffs  map[string][]struct{ Op, Text string } `json:"diffs"`
	} `json:"change"`
	Item *struct {
		Title string `json:"title"`
		URL   string `json:"url"`
	} `json:"item"`
}

type eventsPage struct {
	Events     []apiEvent `json:"events"`
	NextCursor string     `json:"next_cursor"`
}

// A store made by real checks of the test site, served: the pages, the
// API in its documented shapes, the feeds, what watched pages planted.
func TestServeArchive(t *testing.T) {
	p, a := servedRevisions(t)

	// Home: the failing source first, the latest events, every source.
	home := a.mustGet("/")
	troubled := strings.Index(home, "Failing or suspect")
	if troubled < 0 || !strings.Contains(home[troubled:], `href="/sources/flaky"`) {
		t.Errorf("home does not list flaky as failing:\n%s", home)
	}
	for _, want := range []string{`href="/sources/politics"`, `href="/sources/plenary"`, "Latest events", `href="/style.css"`} {
		if !strings.Contains(home, want) {
			t.Errorf("home lacks %s", want)
		}
	}

	// The API: sources, with flaky's state.
	var sources struct {
		Sources []struct {
			Name        string `json:"name"`
			Status      string `json:"status"`
			LastError   string `json:"last_error"`
			Failures    int    `json:"failures"`
			LastCheckAt string `json:"last_check_at"`
		} `json:"sources"`
		Next string `json:"next"`
	}
	a.getJSON("/api/sources", &sources)
	states := map[string]string{}
	for _, src := range sources.Sources {
		states[src.Name] = src.Status
		if _, err := time.Parse(time.RFC3339, src.LastCheckAt); err != nil {
			t.Errorf("source %s: last_check_at %q is not RFC 3339", src.Name, src.LastCheckAt)
		}
		if src.Name == "flaky" && (src.Failures != 1 || !strings.Contains(src.LastError, "500")) {
			t.Errorf("flaky: failures %d, last_error %q; want 1 and the HTTP 500", src.Failures, src.LastError)
		}
	}
	if states["flaky"] != "error" || states["politics"] != "ok" || states["plenary"] != "ok" || len(states) != 3 {
		t.Errorf("sources' states %v", states)
	}
	var pageOne struct {
		Sources []struct {
			Name string `json:"name"`
		} `json:"sources"`
		Next string `json:"next"`
	}
	a.getJSON("/api/sources?limit=2", &pageOne)
	if len(pageOne.Sources) != 2 || pageOne.Next != pageOne.Sources[1].Name {
		t.Errorf("sources page of 2: %+v", pageOne)
	}

	// Events, paged one at a time by cursor: every event once, newest
	// first, the same as in one page.
	var all eventsPage
	a.getJSON("/api/events?source=politics&limit=500", &all)
	var paged []apiEvent
	for cursor, n := "", 0; n < 50; n++ {
		var pg eventsPage
		a.getJSON("/api/events?source=politics&limit=1&cursor="+cursor, &pg)
		paged = append(paged, pg.Events...)
		if cursor = pg.NextCursor; cursor == "" {
			break
		}
	}
	if len(all.Events) == 0 || len(paged) != len(all.Events) {
		t.Fatalf("politics: %d events in one page, %d paged", len(all.Events), len(paged))
	}
	for i := range paged {
		if paged[i].ID != all.Events[i].ID || i > 0 && paged[i].ID >= paged[i-1].ID {
			t.Errorf("paged event %d: id %d, want %d (newest first)", i, paged[i].ID, all.Events[i].ID)
		}
	}
	byTitle := map[string]apiEvent{}
	for _, ev := range all.Events {
		if ev.Source != "politics" || ev.RunID == "" {
			t.Errorf("event %d: source %q, run %q", ev.ID, ev.Source, ev.RunID)
		}
		byTitle[ev.Kind+" "+ev.Title] = ev
	}
	changed, ok := byTitle["changed Delegation Arrives for Talks"]
	if !ok || changed.Change == nil || len(changed.Change.Fields) != 1 || changed.Change.Fields[0] != "title" {
		t.Fatalf("no title change of the delegation teaser among %v", keys(byTitle))
	}
	var kinds eventsPage
	a.getJSON("/api/events?kind=removed,new&limit=500", &kinds)
	for _, ev := range kinds.Events {
		if ev.Kind != "removed" && ev.Kind != "new" {
			t.Errorf("kind=removed,new gave a %s event", ev.Kind)
		}
	}
	if code, body, _ := a.get("/api/events?kind=exploded"); code != http.StatusBadRequest || !strings.Contains(body, `"error"`) {
		t.Errorf("an unknown kind: %d %s; want 400 with an error", code, body)
	}

	// The item's versions and the diff between them.
	var versions struct {
		ItemID   string `json:"item_id"`
		Source   string `json:"source"`
		Title    string `json:"title"`
		Versions []struct {
			N          int    `json:"version"`
			SnapshotID int64  `json:"snapshot_id"`
			At         string `json:"at"`
			Kind       string `json:"kind"`
		} `json:"versions"`
	}
	a.getJSON("/api/items/"+changed.ItemID+"/versions", &versions)
	if len(versions.Versions) != 2 || versions.Versions[0].Kind != "first" || versions.Versions[1].Kind != "changed" ||
		versions.Source != "politics" || versions.Title != "Delegation Arrives for Talks" {
		t.Errorf("versions of the delegation teaser: %+v", versions)
	}
	var d struct {
		Same   bool                  `json:"same"`
		From   struct{ Version int } `json:"from"`
		Change struct {
			Fields []string                               `json:"fields"`
			Diffs  map[string][]struct{ Op, Text string } `json:"diffs"`
		} `json:"change"`
	}
	a.getJSON("/api/items/"+changed.ItemID+"/diff?from=1&to=2", &d)
	if d.Same || len(d.Change.Fields) != 1 || !strings.Contains(jsonString(d.Change.Diffs), `"Leaves"`) {
		t.Errorf("diff of the delegation teaser: %+v", d)
	}
	if code, _, _ := a.get("/api/items/" + changed.ItemID + "/diff?from=9"); code != http.StatusBadRequest {
		t.Errorf("a version that is not there: %d, want 400", code)
	}
	if code, _, _ := a.get("/api/items/bm90IGFuIGl0ZW0/versions"); code != http.StatusNotFound {
		t.Errorf("an unknown item: %d, want 404", code)
	}

	// The item's page shows the words that changed, paragraph by paragraph.
	item := a.mustGet("/items/" + changed.ItemID)
	for _, want := range []string{"<del>Leaves</del>", "<ins>Arrives</ins>", "Version 1", "as captured"} {
		if !strings.Contains(item, want) {
			t.Errorf("the item page lacks %s", want)
		}
	}
	// The article's body: every version, compared.
	var plenary eventsPage
	a.getJSON("/api/events?source=plenary&kind=changed", &plenary)
	var article string
	for _, ev := range plenary.Events {
		if ev.Change != nil && slicesContain(ev.Change.Fields, "body") {
			article = ev.ItemID
		}
	}
	if article == "" {
		t.Fatalf("no body change of the plenary article among %+v", plenary.Events)
	}
	if page := a.mustGet("/items/" + article); !strings.Contains(page, "<del>adopted</del>") || !strings.Contains(page, "<ins>approved</ins>") {
		t.Errorf("the article's page does not show adopted → approved")
	}

	// The stored page as captured: plain text, sandboxed.
	page := regexp.MustCompile(`/items/[^/"]+/page/\d+`).FindString(item)
	code, body, h := a.get(page)
	if code != http.StatusOK || !strings.HasPrefix(h.Get("Content-Type"), "text/plain") || !strings.Contains(h.Get("Content-Security-Policy"), "sandbox") ||
		!strings.Contains(body, "Delegation") {
		t.Errorf("GET %s: %d %q %q", page, code, h.Get("Content-Type"), h.Get("Content-Security-Policy"))
	}

	// The source's page: its timeline, current items and checks.
	src := a.mustGet("/sources/politics")
	for _, want := range []string{"Timeline", "Current items", "Checks", "<ins>Arrives</ins>", "/sources/politics/feed.atom"} {
		if !strings.Contains(src, want) {
			t.Errorf("the source page lacks %s", want)
		}
	}
	if code, _, _ := a.get("/sources/nosuch"); code != http.StatusNotFound {
		t.Errorf("an unknown source: %d, want 404", code)
	}

	// Search over titles and links.
	if found := a.mustGet("/search?q=arrives"); !strings.Contains(found, "/items/"+changed.ItemID) {
		t.Errorf("searching 'arrives' does not find the delegation teaser")
	}

	// Runs and their reports.
	runs := a.mustGet("/runs")
	report := regexp.MustCompile(`/runs/[^"]+/report\.html`).FindString(runs)
	if report == "" {
		t.Fatalf("the runs page links no report:\n%s", runs)
	}
	if r := a.mustGet(report); !strings.Contains(r, "pubwatch report") {
		t.Errorf("GET %s is not the report", report)
	}

	// Nothing a watched page planted runs anywhere.
	for _, path := range []string{"/", "/sources/politics", "/search?q=decree", "/items/" + byTitle["new "+newDecreeTitle(all)].ItemID, "/feed.atom"} {
		body := a.mustGet(path)
		for _, bad := range []string{"<script", "onerror=", "onclick=", `href="javascript:`, "<img src=x"} {
			if strings.Contains(strings.ToLower(body), strings.ToLower(bad)) {
				t.Errorf("GET %s holds %s from a watched page", path, bad)
			}
		}
	}

	// The feeds: valid Atom, an entry per event with stable ids.
	for _, path := range []string{"/feed.atom", "/sources/politics/feed.atom"} {
		code, body, h := a.get(path)
		if code != http.StatusOK || !strings.HasPrefix(h.Get("Content-Type"), "application/atom+xml") {
			t.Fatalf("GET %s: %d %s", path, code, h.Get("Content-Type"))
		}
		feed, err := (&atom.Parser{}).Parse(strings.NewReader(body))
		if err != nil {
			t.Fatalf("GET %s: not Atom: %v", path, err)
		}
		checkAtom(t, path, feed)
		again, _ := (&atom.Parser{}).Parse(strings.NewReader(a.mustGet(path)))
		if len(again.Entries) != len(feed.Entries) || again.Entries[0].ID != feed.Entries[0].ID {
			t.Errorf("GET %s: entry ids changed between two reads", path)
		}
	}
	var feed *atom.Feed
	feed, _ = (&atom.Parser{}).Parse(strings.NewReader(a.mustGet("/sources/politics/feed.atom")))
	if len(feed.Entries) != len(all.Events) {
		t.Errorf("politics' feed has %d entries, the log %d events", len(feed.Entries), len(all.Events))
	}

	// The reports folder's own feed, for a folder published as files: its
	// entries link the reports that hold their events.
	static, err := (&atom.Parser{}).Parse(strings.NewReader(p.read("reports/feed.atom")))
	if err != nil {
		t.Fatalf("reports/feed.atom: %v", err)
	}
	checkAtom(t, "reports/feed.atom", static)
	if len(static.Entries) != len(feed.Entries)+countEvents(a, "plenary")+countEvents(a, "flaky") {
		t.Errorf("reports/feed.atom has %d entries", len(static.Entries))
	}
	for _, e := range static.Entries {
		if link := e.Links[0].Href; !strings.HasSuffix(link, "/report.html") || p.read("reports/"+link) == "" {
			t.Errorf("entry %s links %q, not a report in the folder", e.ID, link)
		}
	}

	// Read-only.
	resp, err := http.Post(a.base+"/", "text/plain", strings.NewReader("x"))
	if err != nil || resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST: %v %v, want 405", resp.Status, err)
	}

	// SIGTERM stops it cleanly.
	a.cmd.Process.Signal(syscall.SIGTERM)
	if err := a.cmd.Wait(); err != nil {
		t.Errorf("serve after SIGTERM: %v, want exit 0", err)
	}
}

func countEvents(a *archive, source string) int {
	var page eventsPage
	a.getJSON("/api/events?limit=500&source="+source, &page)
	return len(page.Events)
}

// newDecreeTitle finds the planted teaser's title as the log has it.
func newDecreeTitle(page eventsPage) string {
	for _, ev := range page.Events {
		if ev.Kind == "new" && strings.Contains(ev.Title, "Decree") {
			return ev.Title
		}
	}
	return ""
}

// checkAtom checks what RFC 4287 requires of a feed and its entries.
func checkAtom(t *testing.T, path string, f *atom.Feed) {
	t.Helper()
	if f.ID == "" || f.Title == "" || f.UpdatedParsed == nil || len(f.Authors) == 0 {
		t.Errorf("%s: feed id %q, title %q, updated %q, %d authors", path, f.ID, f.Title, f.Updated, len(f.Authors))
	}
	self := false
	for _, l := range f.Links {
		self = self || l.Rel == "self"
	}
	if !self {
		t.Errorf("%s: no self link", path)
	}
	if len(f.Entries) == 0 {
		t.Fatalf("%s: no entries", path)
	}
	ids := map[string]bool{}
	for _, e := range f.Entries {
		if e.ID == "" || e.Title == "" || e.UpdatedParsed == nil || e.Content == nil || len(e.Links) == 0 {
			t.Errorf("%s: entry %q lacks a required element (title %q, updated %q)", path, e.ID, e.Title, e.Updated)
		}
		if _, err := url.Parse(e.ID); err != nil || ids[e.ID] {
			t.Errorf("%s: entry id %q is not a unique IRI", path, e.ID)
		}
		ids[e.ID] = true
	}
}

// A token guards an archive served beyond loopback.
func TestServeToken(t *testing.T) {
	s := newSite(t, revision1())
	p := newProject(t, siteConfig(s.srv.URL))
	p.mustRun(0, "check")
	if _, errOut, code := p.run("serve", "--addr", "0.0.0.0:0"); code != 2 || !strings.Contains(errOut, "--token") {
		t.Errorf("serve on 0.0.0.0 without a token: exit %d, %q; want 2 asking for --token", code, errOut)
	}
	a := serveArchive(t, p, "--token", "s3cret")
	if code, _, _ := a.get("/api/sources"); code != http.StatusUnauthorized {
		t.Errorf("without the token: %d, want 401", code)
	}
	if code, _, _ := a.get("/api/sources", "Authorization", "Bearer wrong"); code != http.StatusUnauthorized {
		t.Errorf("a wrong token: %d, want 401", code)
	}
	if code, _, _ := a.get("/api/sources", "Authorization", "Bearer s3cret"); code != http.StatusOK {
		t.Errorf("the bearer token: %d, want 200", code)
	}
	code, _, h := a.get("/sources/politics?token=s3cret")
	cookie := h.Get("Set-Cookie")
	if code != http.StatusSeeOther || h.Get("Location") != "/sources/politics" || !strings.Contains(cookie, "HttpOnly") {
		t.Fatalf("?token=: %d to %q, cookie %q; want a redirect without it and an HttpOnly cookie", code, h.Get("Location"), cookie)
	}
	if code, _, _ := a.get("/sources/politics", "Cookie", strings.Split(cookie, ";")[0]); code != http.StatusOK {
		t.Errorf("with the cookie: %d, want 200", code)
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func slicesContain(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func jsonString(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// The archive is served beside the daemon that writes the store, and
// shows what it writes as it writes it.
func TestServeBesideDaemon(t *testing.T) {
	s := newSite(t, revision1())
	cfg := strings.Replace(siteConfig(s.srv.URL), "defaults:\n", "defaults:\n  interval: 1s\n", 1)
	p := newProject(t, cfg)
	p.mustRun(0, "check") // the store exists before serve opens it
	daemon := p.command("run", "--quiet")
	if err := daemon.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { daemon.Process.Kill(); daemon.Wait() }()
	a := serveArchive(t, p)
	s.set(revision2())
	waitFor(t, "the daemon's new events in the archive", func() bool {
		var page eventsPage
		a.getJSON("/api/events?source=politics&kind=changed", &page)
		for _, ev := range page.Events {
			if ev.Title == "Delegation Arrives for Talks" {
				return true
			}
		}
		return false
	})
	if found := a.mustGet("/search?q=Arrives"); !strings.Contains(found, "Delegation Arrives for Talks") {
		t.Errorf("search does not find what the daemon just wrote")
	}
	if err := daemon.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := daemon.Wait(); err != nil {
		t.Errorf("the daemon beside serve: %v, want exit 0", err)
	}
}
