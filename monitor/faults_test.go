package monitor

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pubwatch/pubwatch/config"
	"github.com/pubwatch/pubwatch/fetch"
	"github.com/pubwatch/pubwatch/reports"
)

// TestFaultsKeepBaselines: when pages that had good baselines start to
// misbehave, each source fails on its own, the good source in the same run
// is unaffected, the run ends within the deadline, no baseline is
// replaced, and recovery is compared with the last good snapshot.
func TestFaultsKeepBaselines(t *testing.T) {
	var broken atomic.Bool
	good := `<ul><li><a href="/a">A</a></li><li><a href="/b">B</a></li></ul>`
	faults := map[string]http.HandlerFunc{
		"/500": func(w http.ResponseWriter, r *http.Request) { http.Error(w, "x", 500) },
		"/404": func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) },
		"/image": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "image/png")
			w.Write([]byte("\x89PNG"))
		},
		"/empty":    func(w http.ResponseWriter, r *http.Request) { w.Header().Set("Content-Type", "text/html") },
		"/no-items": func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "<p>Access denied</p>") },
		"/truncated": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", "5000")
			fmt.Fprint(w, good)
		},
		"/trickle": func(w http.ResponseWriter, r *http.Request) {
			for {
				if _, err := w.Write([]byte(" ")); err != nil {
					return
				}
				w.(http.Flusher).Flush()
				select {
				case <-time.After(300 * time.Millisecond):
				case <-r.Context().Done():
					return
				}
			}
		},
		"/reset": func(w http.ResponseWriter, r *http.Request) {
			conn, buf, _ := w.(http.Hijacker).Hijack()
			buf.WriteString("HTTP/1.1 200 OK\r\nContent-Length: 9999\r\n\r\n<ul><li>")
			buf.Flush()
			conn.(*net.TCPConn).SetLinger(0)
			conn.Close()
		},
		"/bomb": func(w http.ResponseWriter, r *http.Request) {
			var b bytes.Buffer
			zw := gzip.NewWriter(&b)
			zw.Write(make([]byte, 8<<20))
			zw.Close()
			w.Header().Set("Content-Type", "text/html")
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(b.Bytes())
		},
		"/loop": func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, r.URL.Path, http.StatusFound) },
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h, ok := faults[r.URL.Path]; ok && broken.Load() {
			h(w, r)
			return
		}
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		fmt.Fprint(w, good)
	}))
	defer srv.Close()
	// A Retry-After holds off its whole host, so this fault has its own.
	busy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if broken.Load() {
			w.Header().Set("Retry-After", "3600")
			http.Error(w, "x", 503)
			return
		}
		fmt.Fprint(w, good)
	}))
	defer busy.Close()

	var yaml strings.Builder
	yaml.WriteString("concurrency: 16\nfetch: {host_delay: 0s, per_host: 16, retries: 1, max_body: 1MiB}\ndefaults: {timeout: 2s}\nsources:\n")
	yaml.WriteString(fmt.Sprintf("  - {name: good, url: %q, listing: {items: li}}\n", srv.URL+"/good"))
	yaml.WriteString(fmt.Sprintf("  - {name: \"503\", url: %q, listing: {items: li}}\n", busy.URL+"/503"))
	for path := range faults {
		yaml.WriteString(fmt.Sprintf("  - {name: %s, url: %q, listing: {items: li}}\n", strings.Trim(path, "/"), srv.URL+path))
	}
	cfg, err := config.Parse([]byte(yaml.String()), filepath.Join(t.TempDir(), "pubwatch.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	st := openStore(t, cfg.StorePath)
	defer st.Close()
	m := &Monitor{Config: cfg, Store: st, Fetcher: fetch.New(fetch.Options{HostDelay: -1, PerHost: 16, Retries: 1, MaxBody: 1 << 20})}
	ctx := context.Background()

	baselines := map[string]int64{}
	for _, s := range m.Check(ctx, all(cfg), nil).Sources {
		if s.Status != reports.StatusFirst {
			t.Fatalf("%s: %s %s", s.Name, s.Status, s.Error)
		}
		baselines[s.Name] = s.SnapshotID
	}

	broken.Store(true)
	start := time.Now()
	run := m.Check(ctx, all(cfg), nil)
	if took := time.Since(start); took > 4*time.Second {
		t.Errorf("the run took %s; each source's deadline is 2s", took)
	}
	for _, s := range run.Sources {
		if s.Name == "good" {
			if s.Status != reports.StatusUnchanged {
				t.Errorf("good source in a run of failures: %s %s", s.Status, s.Error)
			}
			continue
		}
		if s.Status != reports.StatusError || !strings.Contains(s.Error, srv.URL+"/"+s.Name) && !strings.Contains(s.Error, "/"+s.Name) {
			t.Errorf("%s: status %s, error %q; want an error naming the source's URL", s.Name, s.Status, s.Error)
		}
		if b, _ := st.Baseline(ctx, s.Name); b == nil || b.ID != baselines[s.Name] {
			t.Errorf("%s: the baseline was replaced by a failed check", s.Name)
		}
	}

	// Recovery: compared with the last good snapshot, nothing changed.
	// (The host that sent Retry-After is still held off, as it asked.)
	broken.Store(false)
	for _, s := range m.Check(ctx, all(cfg), nil).Sources {
		if s.Name == "503" {
			if s.Status != reports.StatusError || !strings.Contains(s.Error, "Retry-After") {
				t.Errorf("503 host asked to be left alone for an hour, but: %s %s", s.Status, s.Error)
			}
			continue
		}
		if s.Status != reports.StatusUnchanged || s.PreviousSnapshotID != baselines[s.Name] {
			t.Errorf("%s after recovery: %s against snapshot %d, want unchanged against %d", s.Name, s.Status, s.PreviousSnapshotID, baselines[s.Name])
		}
	}
}
