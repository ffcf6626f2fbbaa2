package fetch

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestFetch(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/html", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("User-Agent") != "test-agent" {
			http.Error(w, "no agent", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=windows-1251")
		w.Write([]byte("<p>hi</p>"))
	})
	mux.HandleFunc("/sniffed", func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Content-Type"] = nil
		w.Write([]byte("<!DOCTYPE html><p>hi</p>"))
	})
	mux.HandleFunc("/image", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		w.Write([]byte("\x89PNG"))
	})
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		chunk := []byte(strings.Repeat("x", 1<<16))
		for i := 0; i < (DefaultMaxBody>>16)+2; i++ {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	mux.HandleFunc("/to-ftp", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "ftp://example.org/", http.StatusFound)
	})
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop", http.StatusFound)
	})
	mux.HandleFunc("/redirected", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/html", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/hang", func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	f := New(Options{HostDelay: -1, Retries: -1})
	ctx := context.Background()
	get := func(path string, timeout time.Duration) (*Response, error) {
		return f.Fetch(ctx, Request{URL: srv.URL + path, UserAgent: "test-agent", Timeout: timeout})
	}
	resp, err := get("/html", time.Second)
	if err != nil || string(resp.Body) != "<p>hi</p>" || resp.ContentType != "text/html; charset=windows-1251" {
		t.Errorf("/html: %+v, %v", resp, err)
	}
	if resp, err := get("/redirected", time.Second); err != nil || resp.URL != srv.URL+"/html" {
		t.Errorf("/redirected: %+v, %v", resp, err)
	}
	if resp, err := get("/sniffed", time.Second); err != nil || !strings.HasPrefix(resp.ContentType, "text/html") {
		t.Errorf("/sniffed: %+v, %v", resp, err)
	}
	for path, want := range map[string]string{
		"/image":   `content type "image/png" is not HTML`,
		"/big":     "body too large: more than 10 MiB",
		"/to-ftp":  "redirect to a ftp: URL refused",
		"/loop":    "stopped after 10 redirects",
		"/hang":    "timed out after 200ms",
		"/missing": "HTTP 404 Not Found",
	} {
		timeout := 10 * time.Second
		if path == "/hang" {
			timeout = 200 * time.Millisecond
		}
		_, err := get(path, timeout)
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), srv.URL) {
			t.Errorf("%s: error %v; want one naming the URL and %q", path, err, want)
		}
	}
}

func TestFetchFile(t *testing.T) {
	dir := t.TempDir()
	page := filepath.Join(dir, "page.html")
	os.WriteFile(page, []byte("<html><body>hi</body></html>"), 0o644)
	empty := filepath.Join(dir, "empty.html")
	os.WriteFile(empty, nil, 0o644)
	binary := filepath.Join(dir, "x.html")
	os.WriteFile(binary, []byte("%PDF-1.7\n\x00\x01"), 0o644)

	f := New(Options{HostDelay: -1, Retries: -1})
	if resp, err := f.Fetch(context.Background(), Request{File: page}); err != nil || !strings.HasPrefix(resp.ContentType, "text/html") {
		t.Errorf("page: %+v, %v", resp, err)
	}
	for path, want := range map[string]string{empty: "file is empty", binary: "is not HTML", filepath.Join(dir, "none"): "no such file"} {
		if _, err := f.Fetch(context.Background(), Request{File: path}); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", path, err, want)
		}
	}
}
