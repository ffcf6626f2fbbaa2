package fetch

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// faultServer serves one misbehaviour per path.
func faultServer(t *testing.T) *httptest.Server {
	t.Helper()
	page := "<html><body><ul><li><a href='/x'>X</a></li></ul></body></html>"
	mux := http.NewServeMux()
	mux.HandleFunc("/ok", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, page) })
	mux.HandleFunc("/slow-headers", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(10 * time.Second):
		case <-r.Context().Done():
		}
	})
	mux.HandleFunc("/trickle", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		for i := 0; i < 60; i++ {
			if _, err := w.Write([]byte("<")); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-time.After(time.Second):
			case <-r.Context().Done():
				return
			}
		}
	})
	mux.HandleFunc("/reset", func(w http.ResponseWriter, r *http.Request) {
		conn, buf, _ := w.(http.Hijacker).Hijack()
		buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n<html><body>partial")
		buf.Flush()
		time.Sleep(50 * time.Millisecond)
		conn.(*net.TCPConn).SetLinger(0)
		conn.Close()
	})
	mux.HandleFunc("/truncated", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Content-Length", "1000")
		w.Write([]byte("<html><body>only part of it"))
	})
	mux.HandleFunc("/500", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "boom", 500) })
	mux.HandleFunc("/503", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "120")
		http.Error(w, "maintenance", 503)
	})
	mux.HandleFunc("/429", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "60")
		http.Error(w, "slow down", 429)
	})
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop", http.StatusFound) })
	mux.HandleFunc("/to-javascript", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", "javascript:alert(1)")
		w.WriteHeader(http.StatusFound)
	})
	mux.HandleFunc("/50mib", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		chunk := bytes.Repeat([]byte("<p>x</p>"), 8192)
		for sent := 0; sent < 50<<20; sent += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	bomb := gzipBomb()
	mux.HandleFunc("/gzip-bomb", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(bomb)
	})
	for path, ct := range map[string]string{"/image": "image/jpeg", "/pdf": "application/pdf", "/octet": "application/octet-stream"} {
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", ct)
			w.Write([]byte("\xff\xd8\xff\xe0 binary"))
		})
	}
	mux.HandleFunc("/invalid-utf8", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte("<html><body><h1>Caf\xc3\xa9 \xff\xfe broken</h1></body></html>"))
	})
	mux.HandleFunc("/gzip", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Content-Encoding", "gzip")
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		zw.Write([]byte(page))
		zw.Close()
		w.Write(b.Bytes())
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// gzipBomb is 64 MiB of zeros in about 64 KiB of gzip, made once.
var gzipBomb = sync.OnceValue(func() []byte {
	var b bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&b, gzip.BestSpeed)
	zeros := make([]byte, 1<<20)
	for i := 0; i < 64; i++ {
		zw.Write(zeros)
	}
	zw.Close()
	return b.Bytes()
})

func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// TestFaults: every fault gives a clear error naming the URL (or correct
// content) within the deadline.
func TestFaults(t *testing.T) {
	srv := faultServer(t)
	tlsSrv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	t.Cleanup(tlsSrv.Close) // parallel subtests outlive this function
	// A Retry-After holds off every request to its host, so those faults
	// get hosts of their own.
	srv503, srv429 := faultServer(t), faultServer(t)
	f := New(Options{HostDelay: -1, Retries: 1, MaxBody: 4 << 20})
	const deadline = 2 * time.Second
	for _, tc := range []struct {
		name, url, want string
	}{
		{"connection refused", "http://" + closedPort(t) + "/", "connection refused"},
		{"DNS failure", "http://does-not-exist.invalid/", "lookup does-not-exist.invalid"},
		{"TLS error", tlsSrv.URL + "/", "certificate"},
		{"slow headers", srv.URL + "/slow-headers", "timed out after 2s"},
		{"trickling body", srv.URL + "/trickle", "timed out after 2s"},
		{"reset mid-body", srv.URL + "/reset", "reading body"},
		{"truncated body", srv.URL + "/truncated", "unexpected EOF"},
		{"500", srv.URL + "/500", "HTTP 500 Internal Server Error (after 2 attempts)"},
		{"503 with Retry-After", srv503.URL + "/503", "HTTP 503 Service Unavailable, retry after 2m0s"},
		{"429", srv429.URL + "/429", "HTTP 429 Too Many Requests, retry after 1m0s"},
		{"redirect loop", srv.URL + "/loop", "stopped after 10 redirects"},
		{"redirect to javascript:", srv.URL + "/to-javascript", "redirect to a javascript: URL refused"},
		{"50 MiB body", srv.URL + "/50mib", "body too large: more than 4 MiB"},
		{"gzip bomb", srv.URL + "/gzip-bomb", "body too large: more than 4 MiB"},
		{"image", srv.URL + "/image", `content type "image/jpeg" is not HTML, a feed or text`},
		{"PDF", srv.URL + "/pdf", `content type "application/pdf" is not HTML`},
		{"octet-stream", srv.URL + "/octet", `content type "application/octet-stream" is not HTML`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			start := time.Now()
			resp, err := f.Fetch(context.Background(), Request{URL: tc.url, UserAgent: "test", Timeout: deadline, IgnoreRobots: true})
			took := time.Since(start)
			if err == nil {
				t.Fatalf("no error; got %d bytes", len(resp.Body))
			}
			if !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.url) {
				t.Errorf("error %q; want one naming %s and saying %q", err, tc.url, tc.want)
			}
			if took > deadline+time.Second {
				t.Errorf("took %s, past the %s deadline", took, deadline)
			}
		})
	}
}

// Large and compressed bodies are refused without holding them in memory.
func TestFaultMemoryBounded(t *testing.T) {
	srv := faultServer(t)
	f := New(Options{HostDelay: -1, Retries: -1, MaxBody: 1 << 20})
	for _, path := range []string{"/50mib", "/gzip-bomb"} {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := f.Fetch(context.Background(), Request{URL: srv.URL + path, Timeout: 10 * time.Second, IgnoreRobots: true})
		runtime.ReadMemStats(&after)
		if err == nil || !strings.Contains(err.Error(), "body too large") {
			t.Errorf("%s: %v", path, err)
		}
		if grown := after.TotalAlloc - before.TotalAlloc; grown > 16<<20 {
			t.Errorf("%s: allocated %d MiB to refuse a body over 1 MiB", path, grown>>20)
		}
	}
}

func TestContentDecoded(t *testing.T) {
	srv := faultServer(t)
	f := New(Options{HostDelay: -1})
	resp, err := f.Fetch(context.Background(), Request{URL: srv.URL + "/gzip", Timeout: 5 * time.Second, IgnoreRobots: true})
	if err != nil || !strings.Contains(string(resp.Body), "<li>") {
		t.Errorf("gzip: %v %+v", err, resp)
	}
	resp, err = f.Fetch(context.Background(), Request{URL: srv.URL + "/invalid-utf8", Timeout: 5 * time.Second, IgnoreRobots: true})
	if err != nil || !bytes.Contains(resp.Body, []byte("\xff\xfe")) {
		t.Errorf("invalid UTF-8 is passed on unchanged for the extractor: %v", err)
	}
}

func TestDenyPrivateNetworks(t *testing.T) {
	srv := faultServer(t)
	f := New(Options{HostDelay: -1, DenyPrivateNetworks: true})
	_, err := f.Fetch(context.Background(), Request{URL: srv.URL + "/ok", Timeout: 5 * time.Second, IgnoreRobots: true})
	if err == nil || !strings.Contains(err.Error(), "refusing to connect to 127.0.0.1: private or local address") {
		t.Errorf("loopback with deny_private_networks: %v", err)
	}
	if fe, _ := AsError(err); fe == nil || fe.Attempts != 1 {
		t.Errorf("a refused address was retried: %+v", fe)
	}
	open := New(Options{HostDelay: -1})
	if _, err := open.Fetch(context.Background(), Request{URL: srv.URL + "/ok", Timeout: 5 * time.Second, IgnoreRobots: true}); err != nil {
		t.Errorf("without the option: %v", err)
	}
}

func TestSecretsNeverShown(t *testing.T) {
	f := New(Options{HostDelay: -1, Retries: -1})
	secret := "s3cr3t-token-value"
	_, err := f.Fetch(context.Background(), Request{
		URL:        "http://" + closedPort(t) + "/feed?token=" + secret,
		DisplayURL: "http://example/feed?token=${TOKEN}",
		Headers:    map[string]string{"Authorization": "Bearer " + secret},
		Timeout:    2 * time.Second, IgnoreRobots: true, Secrets: []string{secret},
	})
	if err == nil || strings.Contains(err.Error(), secret) || !strings.Contains(err.Error(), "${TOKEN}") {
		t.Errorf("error %q shows the secret or not the configured URL", err)
	}
}

func TestRobots(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "User-agent: *\nDisallow: /private/\n\nUser-agent: pubwatch\nDisallow: /nopubwatch/\n")
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "<p>ok</p>") })
	srv := httptest.NewServer(mux)
	defer srv.Close()
	broken := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.Error(w, "down", 503)
			return
		}
		fmt.Fprint(w, "<p>ok</p>")
	}))
	defer broken.Close()
	f := New(Options{HostDelay: -1, Retries: -1})
	get := func(u string, ignore bool) error {
		_, err := f.Fetch(context.Background(), Request{URL: u, UserAgent: "pubwatch/test", Timeout: 5 * time.Second, IgnoreRobots: ignore})
		return err
	}
	if err := get(srv.URL+"/private/x", false); err != nil {
		t.Errorf("the pubwatch group allows /private/: %v", err)
	}
	if err := get(srv.URL+"/nopubwatch/x", false); err == nil || !strings.Contains(err.Error(), "disallowed by") {
		t.Errorf("robots.txt disallow ignored: %v", err)
	}
	if err := get(srv.URL+"/nopubwatch/x", true); err != nil {
		t.Errorf("robots: false did not override: %v", err)
	}
	if err := get(broken.URL+"/page", false); err == nil || !strings.Contains(err.Error(), "robots.txt of") {
		t.Errorf("unreachable robots.txt (503) must disallow (RFC 9309): %v", err)
	}
}
