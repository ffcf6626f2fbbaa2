package main

import (
	"bytes"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestValidateReportsEveryProblem(t *testing.T) {
	p := newProject(t, `store:
  path: ""
reports:
  formats: [html, pdf]
defaults:
  interval: soon
colour: blue
sources:
  - name: Bad Name
    url: https://example.org/
    listing:
      items: "ul..li"
  - name: twice
    url: ftp://example.org/
    kind: listings
  - name: twice
    file: a.html
    url: https://example.org/a
    article:
      title: "h1"
    ignore: ["(unclosed"]
  - name: nothing
    interval: 5m
    schedule: "61 * * * *"
    extra: 1
`)
	_, stderr, code := p.run("validate")
	if code != 2 {
		t.Fatalf("validate exit %d, want 2\n%s", code, stderr)
	}
	for _, want := range []string{
		"store.path: must not be empty",
		`reports.formats: unknown format "pdf"`,
		`defaults.interval: "soon" is not a duration`,
		"colour: unknown key",
		`sources[0] "Bad Name": name: "Bad Name" must match`,
		`sources[0] "Bad Name": listing.items: selector "ul..li" does not parse`,
		`sources[1] "twice": url: "ftp://example.org/": only http and https URLs are supported`,
		`sources[1] "twice": kind: "listings" is not one of auto, listing, article, page, feed`,
		`sources[2] "twice": name: duplicate of sources[1]`,
		`sources[2] "twice": url: give one of url, feed and file`,
		`sources[2] "twice": article.body: selector required`,
		`sources[2] "twice": ignore[0]: regex "(unclosed" does not compile`,
		`sources[3] "nothing": url: a source needs url, feed or file`,
		`sources[3] "nothing": schedule: give interval or schedule, not both`,
		`sources[3] "nothing": schedule: "61 * * * *" is not a cron expression`,
		`sources[3] "nothing": extra: unknown key`,
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("validate output lacks %q", want)
		}
	}
	if t.Failed() {
		t.Logf("validate printed:\n%s", stderr)
	}
	// check refuses to work on an invalid config, with the same code.
	if _, _, code := p.run("check"); code != 2 {
		t.Errorf("check on an invalid config: exit %d, want 2", code)
	}
}

func TestInvalidYAMLAndUsage(t *testing.T) {
	p := newProject(t, "sources: [\n")
	if _, stderr, code := p.run("validate"); code != 2 || !strings.Contains(stderr, "invalid YAML") {
		t.Errorf("invalid YAML: exit %d, stderr %q; want 2 and a message", code, stderr)
	}
	if _, _, code := p.run("check", "--no-such-flag"); code != 2 {
		t.Errorf("unknown flag: exit %d, want 2", code)
	}
	s := newSite(t, revision1())
	p = newProject(t, siteConfig(s.srv.URL))
	if _, stderr, code := p.run("check", "--source", "nope"); code != 2 || !strings.Contains(stderr, `no source named "nope"`) {
		t.Errorf("unknown source: exit %d, stderr %q; want 2", code, stderr)
	}
	out := p.mustRun(0, "check", "--source", "politics")
	if !strings.Contains(out, "politics") || strings.Contains(out, "plenary") {
		t.Errorf("check --source politics printed:\n%s", out)
	}
}

func TestInitWritesAValidConfig(t *testing.T) {
	dir := t.TempDir()
	p := &project{t: t, dir: dir}
	out, stderr, code := p.run("init", dir)
	if code != 0 {
		t.Fatalf("init: exit %d\n%s%s", code, out, stderr)
	}
	if out := p.mustRun(0, "validate"); !strings.Contains(out, "valid, 4 sources") {
		t.Errorf("validate of the init config: %s", out)
	}
	if _, stderr, code := p.run("init", dir); code != 1 || !strings.Contains(stderr, "already exists") {
		t.Errorf("second init: exit %d, %q; want 1 and a refusal", code, stderr)
	}
}

// TestBadInput: each kind of broken source is an error naming it, the
// other sources carry on, and the exit code is 1.
func TestBadInput(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/ok", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(listingPage(teaser("/x", "X", "", ""))))
	})
	mux.HandleFunc("/pdf", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		w.Write([]byte("%PDF-1.4"))
	})
	mux.HandleFunc("/empty", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String() + "/"
	ln.Close()

	p := newProject(t, `concurrency: 4
sources:
  - {name: ok, url: "`+srv.URL+`/ok", listing: {items: "ul.news > li"}}
  - {name: notfound, url: "`+srv.URL+`/missing", listing: {items: "li"}}
  - {name: pdf, url: "`+srv.URL+`/pdf", listing: {items: "li"}}
  - {name: empty, url: "`+srv.URL+`/empty", listing: {items: "li"}}
  - {name: slow, url: "`+srv.URL+`/slow", timeout: 1s, listing: {items: "li"}}
  - {name: refused, url: "`+closed+`", listing: {items: "li"}}
  - {name: nomatch, url: "`+srv.URL+`/ok", listing: {items: "table.none tr"}}
  - {name: nofile, file: missing.html, listing: {items: "li"}}
`)
	out := p.mustRun(1, "check")
	want := map[string]string{
		"notfound": "HTTP 404",
		"pdf":      `content type "application/pdf" is not HTML`,
		"empty":    "empty body",
		"slow":     "timed out after 1s",
		"refused":  "connection refused",
		"nomatch":  "listing.items matched nothing",
		"nofile":   "no such file",
	}
	r := p.report()
	for _, src := range r.Sources {
		if src.Name == "ok" {
			if src.Status != "first" {
				t.Errorf("ok: status %s, want first", src.Status)
			}
			continue
		}
		if src.Status != "error" || !strings.Contains(src.Error, want[src.Name]) {
			t.Errorf("%s: status %s, error %q; want error containing %q", src.Name, src.Status, src.Error, want[src.Name])
		}
		if !strings.Contains(out, src.Name) {
			t.Errorf("check output does not name %s", src.Name)
		}
		if src.SnapshotID != 0 {
			t.Errorf("%s: a failed check produced snapshot %d", src.Name, src.SnapshotID)
		}
	}
	// A failed source has no baseline: history has no snapshot for it.
	if _, stderr, code := p.run("history", "nomatch"); code != 2 || !strings.Contains(stderr, "no snapshots") {
		t.Errorf("history of a never-good source: exit %d, %q", code, stderr)
	}
}

// TestOverlappingChecks: a second writer on the same store is refused with
// a clear message while the first is running.
func TestOverlappingChecks(t *testing.T) {
	s := newSite(t, revision1())
	s.hold, s.held, s.release = "/news/", make(chan struct{}), make(chan struct{})
	p := newProject(t, siteConfig(s.srv.URL))
	first := p.command("check")
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	<-s.held
	_, stderr, code := p.run("check")
	if code != 1 || !strings.Contains(stderr, "in use by another pubwatch process") {
		t.Errorf("overlapping check: exit %d, stderr %q; want 1 and a refusal", code, stderr)
	}
	close(s.release)
	if err := first.Wait(); err != nil && first.ProcessState.ExitCode() != 1 {
		t.Fatalf("first check: %v", err)
	}
	for _, src := range p.report().Sources {
		if src.Name != "flaky" && src.Status != "first" {
			t.Errorf("first check, %s: %s", src.Name, src.Status)
		}
	}
}

// TestKilledCheck: SIGKILL in the middle of a check leaves a usable store,
// and the next check is correct.
func TestKilledCheck(t *testing.T) {
	s := newSite(t, revision1())
	s.hold, s.held, s.release = "/news/plenary.html", make(chan struct{}), make(chan struct{})
	p := newProject(t, strings.Replace(siteConfig(s.srv.URL), "concurrency: 2", "concurrency: 1", 1))
	cmd := p.command("check")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	<-s.held // politics is done; plenary is being fetched
	// Checks are committed in the background: wait until politics' is.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		out, _, code := p.run("history", "politics", "--checks", "--json")
		var checks []map[string]any
		if code == 0 && json.Unmarshal([]byte(out), &checks) == nil && len(checks) == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("politics' check was not recorded while plenary was being fetched")
		}
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	s.mu.Lock()
	s.hold = ""
	s.mu.Unlock()
	close(s.release)

	p.mustRun(0, "check")
	got, found := map[string]string{}, map[string]string{}
	for _, src := range p.report().Sources {
		if src.FoundByRun != "" {
			found[src.Name] = src.Status
		} else {
			got[src.Name] = src.Status
		}
	}
	want := map[string]string{"politics": "unchanged", "plenary": "first", "flaky": "first"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("after a killed check, %s is %q, want %q", k, got[k], v)
		}
	}
	// The killed run's baseline of politics is reported by the next run,
	// marked as found by the killed one.
	if len(found) != 1 || found["politics"] != "first" {
		t.Errorf("events of the killed run reported as %v, want politics' baseline", found)
	}
	var checks []map[string]any
	if err := json.Unmarshal([]byte(p.mustRun(0, "history", "plenary", "--checks", "--json")), &checks); err != nil {
		t.Fatal(err)
	}
	if len(checks) != 1 {
		t.Errorf("plenary has %d checks recorded, want 1 (the killed one left none)", len(checks))
	}
}

// TestDaemon: run checks when due, reports changes, and exits cleanly on
// SIGTERM.
func TestDaemon(t *testing.T) {
	s := newSite(t, revision1())
	cfg := strings.Replace(siteConfig(s.srv.URL), "defaults:\n", "defaults:\n  interval: 1s\n", 1)
	p := newProject(t, cfg)
	cmd := p.command("run", "--verbose")
	var logs bytes.Buffer
	cmd.Stderr = &logs
	defer func() {
		if t.Failed() {
			t.Logf("daemon log:\n%s", logs.String())
		}
	}()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	// First checks are spread over the first interval, so each source's
	// baseline may come in a run of its own: collect statuses as they come.
	latest := filepath.Join(p.dir, "reports", "latest.json")
	seen := map[string]bool{}
	collect := func() {
		var r jsonReport
		b, _ := os.ReadFile(latest)
		if json.Unmarshal(b, &r) == nil {
			for _, src := range r.Sources {
				seen[src.Name+" "+src.Status] = true
			}
		}
	}
	waitFor(t, "the baselines", func() bool { collect(); return seen["politics first"] && seen["plenary first"] })
	s.set(revision2())
	waitFor(t, "reports of the revision 2 changes", func() bool {
		collect()
		return seen["politics changed"] && seen["plenary changed"]
	})
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("run after SIGTERM: %v, want exit 0", err)
	}
	// The store is free again and consistent.
	s.set(revision2())
	out := p.mustRun(1, "check")
	if !strings.Contains(out, "politics  unchanged") {
		t.Errorf("check after the daemon:\n%s", out)
	}
}
