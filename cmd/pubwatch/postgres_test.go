package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pubwatch/pubwatch/internal/pgtest"
)

// copyResult is what copy --json prints.
type copyResult struct {
	From, To string
	Tables   []struct {
		Table  string
		Rows   int64
		Digest string
	}
}

// roundTrip copies the project's store into a new PostgreSQL database and
// from there into a new SQLite file, and checks that the three read the
// same, table by table. It returns the database's URL.
func roundTrip(t *testing.T, p *project, cluster *pgtest.Cluster) string {
	t.Helper()
	db := cluster.Database(t)
	var there, back copyResult
	if err := jsonUnmarshal(p.mustRun(0, "--json", "copy", "--to", db), &there); err != nil {
		t.Fatal(err)
	}
	if err := jsonUnmarshal(p.mustRun(0, "--json", "copy", "--from", db, "--to", filepath.Join(p.dir, "back.db")), &back); err != nil {
		t.Fatal(err)
	}
	if len(there.Tables) != 9 || !reflect.DeepEqual(there.Tables, back.Tables) {
		t.Fatalf("to PostgreSQL %+v, and back %+v", there.Tables, back.Tables)
	}
	for _, tb := range there.Tables {
		if tb.Rows == 0 && tb.Table != "deliveries" && tb.Table != "articles" {
			t.Errorf("no rows of %s were copied", tb.Table)
		}
	}
	t.Logf("copied and back: %+v", there.Tables)
	// Copying into a store with a history is refused; so is a missing one.
	if _, errOut, code := p.run("copy", "--to", db); code != 1 || !strings.Contains(errOut, "already holds a history") {
		t.Errorf("copy into a store with a history: exit %d, %s", code, errOut)
	}
	return db
}

// The README's offline example, copied to PostgreSQL and back, reads the
// same; and a check on the PostgreSQL copy carries on from its baselines.
func TestCopyExampleStore(t *testing.T) {
	cluster := pgtest.Start(t)
	dir := t.TempDir()
	copyTree(t, "../../examples", dir)
	os.Remove(filepath.Join(dir, "pubwatch.db"))
	os.RemoveAll(filepath.Join(dir, "reports"))
	p := &project{t: t, dir: dir}
	p.mustRun(0, "check")
	page := filepath.Join(dir, "site/news/politics.html")
	b, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(b), "</h3>", " (updated)</h3>", 1)
	if edited == string(b) {
		t.Fatal("the example's listing has no headline to edit")
	}
	if err := os.WriteFile(page, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	p.mustRun(0, "check")
	db := roundTrip(t, p, cluster)

	// The copy is a store to carry on with: nothing changed since.
	p.env = append(p.env, "PUBWATCH_STORE_URL="+db)
	p.mustRun(0, "check")
	if r := p.report(); r.Sources[0].Status != "unchanged" || r.Sources[1].Status != "unchanged" {
		t.Errorf("the first check on the copy: %+v", r.Sources)
	}
	out := p.mustRun(0, "history", "--checks", "agency-politics")
	if n := strings.Count(out, "unchanged"); n != 1 || !strings.Contains(out, "changed") {
		t.Errorf("history of the copy:\n%s", out)
	}
	if out := p.mustRun(0, "stats"); !strings.Contains(out, "postgres://pubwatch@127.0.0.1") {
		t.Errorf("stats on PostgreSQL:\n%s", out)
	}
	// The archive reads the PostgreSQL store; its search index is kept in
	// the user's cache folder.
	cache := t.TempDir()
	p.env = append(p.env, "XDG_CACHE_HOME="+cache)
	a := serveArchive(t, p)
	var list struct {
		Sources []struct{ Name, Status string } `json:"sources"`
	}
	a.getJSON("/api/sources", &list)
	if len(list.Sources) != 2 || list.Sources[0].Name != "agency-article" || list.Sources[1].Status != "ok" {
		t.Errorf("/api/sources on PostgreSQL: %+v", list.Sources)
	}
	if page := a.mustGet("/search?q=updated"); !strings.Contains(page, "(updated)") {
		t.Errorf("searching the PostgreSQL store for the edited headline:\n%s", page)
	}
	waitFor(t, "the search index in the cache folder", func() bool {
		found, _ := filepath.Glob(filepath.Join(cache, "pubwatch", "*.search"))
		return len(found) == 1
	})
}

// A history of 1,000 sources over several checks, with turnovers, edits
// and an outage, copied to PostgreSQL and back, reads the same.
func TestCopyThousandSources(t *testing.T) {
	if testing.Short() {
		t.Skip("1,000 sources")
	}
	cluster := pgtest.Start(t)
	const n = 1000
	var revision atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var i int
		fmt.Sscanf(r.URL.Path, "/s%d", &i)
		rev := int(revision.Load())
		if rev == 2 && i%10 == 3 {
			http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, "<html><body><h1>Agency %d</h1><ul>", i)
		// Every revision a fifth of the sources take a new item and drop
		// their oldest; a twentieth retitle one.
		first := 0
		if i%5 == 0 {
			first = rev
		}
		for k := first; k < first+8; k++ {
			title := fmt.Sprintf("Décision n° %d du ministère &amp; «budget» %d", k, i)
			if i%20 == 1 && k == 2 && rev > 0 {
				title += fmt.Sprintf(" (mis à jour %d)", rev)
			}
			fmt.Fprintf(w, `<li><a href="/a/%d/%d">%s</a> <span class="date">%d décembre 2025</span></li>`, i, k, title, k+1)
		}
		fmt.Fprint(w, "</ul></body></html>")
	}))
	defer srv.Close()
	var cfg strings.Builder
	cfg.WriteString("concurrency: 32\nfetch: {host_delay: 0s, per_host: 32, retries: 0}\nsources:\n")
	for i := range n {
		fmt.Fprintf(&cfg, "  - {name: s%d, url: %q, listing: {items: li, date: .date}}\n", i, fmt.Sprintf("%s/s%d", srv.URL, i))
	}
	p := newProject(t, cfg.String())
	start := time.Date(2025, 12, 9, 8, 0, 0, 0, time.UTC)
	for rev := range 4 {
		revision.Store(int32(rev))
		p.at(start.Add(time.Duration(rev) * time.Hour))
		_, errOut, code := p.run("check")
		if code > 1 {
			t.Fatalf("check %d: exit %d\n%s", rev, code, errOut)
		}
	}
	roundTrip(t, p, cluster)
}
