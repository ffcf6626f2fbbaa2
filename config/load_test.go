package config

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pubwatch/pubwatch/snapshot"
)

func parse(t *testing.T, yaml string) *Config {
	t.Helper()
	cfg, err := Parse([]byte(yaml), "/etc/pubwatch/pubwatch.yaml")
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return cfg
}

func TestExampleIsValid(t *testing.T) {
	cfg := parse(t, Example)
	if len(cfg.Sources) != 4 {
		t.Fatalf("example has %d sources, want 4", len(cfg.Sources))
	}
	if f := cfg.Source("agency-feed"); f.Kind != "feed" || f.Robots || f.Cookies["consent"] != "yes" || f.Headers["Accept-Language"] != "en" {
		t.Errorf("agency-feed: %+v", f)
	}
	a := cfg.Source("agency-article")
	if a.Rules.Article == nil || a.Rules.Listing == nil || a.Schedule == nil || a.Timeout != 20*time.Second {
		t.Errorf("agency-article: article and listing rules, a schedule and a 20s timeout expected: %+v", a)
	}
	if p := cfg.Source("press-page"); p.File != "/etc/pubwatch/pages/press.html" || p.BaseURL.String() != "https://example.org/press/" {
		t.Errorf("press-page: file %q base %v", p.File, p.BaseURL)
	}
}

func TestDefaultsAndInference(t *testing.T) {
	cfg := parse(t, `
sources:
  - {name: l, url: "https://example.org/a#frag", listing: {items: li}}
  - {name: a, url: "https://example.org/b", article: {body: main}}
  - {name: p, file: p.html}
`)
	if cfg.StorePath != "/etc/pubwatch/pubwatch.db" || cfg.ReportsDir != "/etc/pubwatch/reports" {
		t.Errorf("paths not resolved against the config folder: %q %q", cfg.StorePath, cfg.ReportsDir)
	}
	if !reflect.DeepEqual(cfg.Formats, []string{FormatHTML, FormatMarkdown, FormatJSON}) || cfg.Concurrency != 8 {
		t.Errorf("defaults: formats %v concurrency %d", cfg.Formats, cfg.Concurrency)
	}
	kinds := []string{snapshot.KindListing, snapshot.KindArticle, KindAuto}
	for i, s := range cfg.Sources {
		if s.Kind != kinds[i] || s.Interval != time.Hour || s.Timeout != 30*time.Second || s.UserAgent != DefaultUserAgent {
			t.Errorf("source %s: kind %s interval %s timeout %s ua %q", s.Name, s.Kind, s.Interval, s.Timeout, s.UserAgent)
		}
	}
	if cfg.Sources[0].URL != "https://example.org/a" {
		t.Errorf("fragment kept in URL %q", cfg.Sources[0].URL)
	}
	if cfg.Sources[2].BaseURL.String() != "file:///etc/pubwatch/p.html" {
		t.Errorf("file source base %v", cfg.Sources[2].BaseURL)
	}
}

func TestEnvironmentOverrides(t *testing.T) {
	t.Setenv("PUBWATCH_STORE_PATH", "/var/lib/pubwatch/h.db")
	t.Setenv("PUBWATCH_REPORTS_FORMATS", "json,md")
	t.Setenv("PUBWATCH_DEFAULTS_INTERVAL", "2d")
	t.Setenv("PUBWATCH_CONCURRENCY", "3")
	cfg := parse(t, "store: {path: x.db}\nsources: [{name: a, url: 'https://example.org/'}]\n")
	if cfg.StorePath != "/var/lib/pubwatch/h.db" {
		t.Errorf("store path %q", cfg.StorePath)
	}
	if !reflect.DeepEqual(cfg.Formats, []string{FormatJSON, FormatMarkdown}) {
		t.Errorf("formats %v", cfg.Formats)
	}
	if cfg.Sources[0].Interval != 48*time.Hour || cfg.Concurrency != 3 {
		t.Errorf("interval %s concurrency %d", cfg.Sources[0].Interval, cfg.Concurrency)
	}
}

func TestSecretsFromEnvironment(t *testing.T) {
	t.Setenv("FEED_KEY", "k3y-v4lue")
	cfg := parse(t, `sources: [{name: a, feed: "https://x.org/rss?key=${FEED_KEY}", headers: {Authorization: "Bearer ${FEED_KEY}"}, cookies: {SessionID: "${FEED_KEY}"}}]`)
	s := cfg.Sources[0]
	if s.URL != "https://x.org/rss?key=${FEED_KEY}" || s.FetchURL != "https://x.org/rss?key=k3y-v4lue" {
		t.Errorf("url %q, fetch url %q", s.URL, s.FetchURL)
	}
	if s.Headers["Authorization"] != "Bearer k3y-v4lue" || s.Cookies["SessionID"] != "k3y-v4lue" {
		t.Errorf("headers %v cookies %v (cookie names keep their case)", s.Headers, s.Cookies)
	}
	if len(s.Secrets) == 0 || s.Secrets[0] != "k3y-v4lue" {
		t.Errorf("secrets %v", s.Secrets)
	}
	_, err := Parse([]byte(`sources: [{name: a, url: "https://x.org/?k=${NOT_SET_ANYWHERE}"}]`), "/tmp/p.yaml")
	if err == nil || !strings.Contains(err.Error(), `sources[0] "a": url: environment variable NOT_SET_ANYWHERE is not set`) {
		t.Errorf("unset variable: %v", err)
	}
}

func TestFetchSettings(t *testing.T) {
	cfg := parse(t, "fetch: {per_host: 4, host_delay: 250ms, max_body: 512KiB, deny_private_networks: true}\nsources: [{name: a, url: 'https://x.org/'}]")
	f := cfg.Fetch
	if f.PerHost != 4 || f.HostDelay != 250*time.Millisecond || f.MaxBody != 512<<10 || !f.DenyPrivateNetworks || f.Retries != 2 || f.MaxRedirects != 10 {
		t.Errorf("fetch settings %+v", f)
	}
	_, err := Parse([]byte("fetch: {max_body: lots, host_delay: -1s}\nsources: [{name: a, url: 'https://x.org/'}]"), "/tmp/p.yaml")
	if err == nil || !strings.Contains(err.Error(), `fetch.max_body: "lots" is not a size`) || !strings.Contains(err.Error(), "fetch.host_delay") {
		t.Errorf("bad fetch settings: %v", err)
	}
}

func TestFingerprintFollowsExtractionSettings(t *testing.T) {
	a := parse(t, "sources: [{name: a, url: 'https://example.org/', listing: {items: li}}]")
	b := parse(t, "sources: [{name: a, url: 'https://example.org/', interval: 5m, listing: {items: li}}]")
	c := parse(t, "sources: [{name: a, url: 'https://example.org/', listing: {items: 'li.x'}}]")
	if a.Sources[0].Fingerprint != b.Sources[0].Fingerprint {
		t.Error("the interval changed the extraction fingerprint")
	}
	if a.Sources[0].Fingerprint == c.Sources[0].Fingerprint {
		t.Error("a new selector left the extraction fingerprint unchanged")
	}
}

func TestProblems(t *testing.T) {
	for _, tc := range []struct {
		name, yaml, want string
	}{
		{"no sources", "store: {path: a.db}", "sources: no sources configured"},
		{"wrong type", "sources: {name: a}", "sources"},
		{"page with listing", "sources: [{name: a, url: 'https://x.org/', kind: page, listing: {items: li}}]", "kind: page tracks the page text"},
		{"bad kind", "sources: [{name: a, url: 'https://x.org/', kind: rss}]", `kind: "rss" is not one of`},
		{"negative timeout", "sources: [{name: a, url: 'https://x.org/', timeout: -1s}]", `timeout: "-1s" must be positive`},
		{"relative url", "sources: [{name: a, url: '/news'}]", "only http and https"},
		{"unknown nested", "sources: [{name: a, url: 'https://x.org/', listing: {items: li, titel: h2}}]", `sources[0] "a": listing.titel: unknown key`},
		{"concurrency", "concurrency: 0\nsources: [{name: a, url: 'https://x.org/'}]", "concurrency: 0 is out of range"},
		{"type in a source", "sources: [{name: a, url: 'https://x.org/'}, {name: b, url: 'https://x.org/b', follow_limit: many}]", `sources[1] "b": follow_limit: cannot parse value as 'int'`},
		{"list in a source", "sources: [{name: a, url: 'https://x.org/', interval: [1h]}]", `sources[0] "a": interval: expected type 'string'`},
		{"sources not a list", "sources: 5", "sources: expected a list of sources, got int"},
		{"confirm_after", "sources: [{name: a, url: 'https://x.org/', confirm_after: 0}]", `sources[0] "a": confirm_after: 0 is out of range (1 to 50)`},
		{"attention_checks", "sources: [{name: a, url: 'https://x.org/', attention_checks: 0}]", `sources[0] "a": attention_checks: 0 must be at least 1`},
		{"attention_after", "sources: [{name: a, url: 'https://x.org/', attention_after: soon}]", `sources[0] "a": attention_after: "soon" is not a positive duration`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.yaml), "/tmp/pubwatch.yaml")
			if err == nil || !IsProblems(err) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Parse error %v; want problems containing %q", err, tc.want)
			}
		})
	}
}

// The trust settings of issue 13 have their defaults, and take a value.
func TestTrustSettings(t *testing.T) {
	cfg, err := Parse([]byte(`sources:
  - {name: a, url: "https://x.org/"}
  - {name: b, url: "https://x.org/b", confirm_after: 2, attention_checks: 10, attention_after: 2d}`), "/tmp/pubwatch.yaml")
	if err != nil {
		t.Fatal(err)
	}
	a, b := cfg.Sources[0].Trust, cfg.Sources[1].Trust
	if a.ConfirmAfter != 3 || a.AttentionChecks != DefaultAttentionChecks || a.AttentionAfter != DefaultAttentionAfter {
		t.Errorf("defaults: %+v", a)
	}
	if b.ConfirmAfter != 2 || b.AttentionChecks != 10 || b.AttentionAfter != 48*time.Hour {
		t.Errorf("set: %+v", b)
	}
}

func TestWatchSettings(t *testing.T) {
	cfg, err := Parse([]byte(`sources:
  - {name: a, url: "https://x.org/", follow: true}
  - {name: b, url: "https://x.org/b", follow: true, watch_for: 30d, recheck_factor: 0.5}
  - {name: c, url: "https://x.org/c", follow: true, watch_for: "off"}`), "/tmp/pubwatch.yaml")
	if err != nil {
		t.Fatal(err)
	}
	a, b, c := cfg.Sources[0], cfg.Sources[1], cfg.Sources[2]
	if a.WatchFor != DefaultWatchFor || a.RecheckFactor != DefaultRecheckFactor || b.WatchFor != 30*24*time.Hour || b.RecheckFactor != 0.5 || c.WatchFor != 0 {
		t.Errorf("watch settings: %v %g, %v %g, %v", a.WatchFor, a.RecheckFactor, b.WatchFor, b.RecheckFactor, c.WatchFor)
	}
	_, err = Parse([]byte(`sources: [{name: d, url: "https://x.org/", watch_for: soon, recheck_factor: 20}]`), "/tmp/pubwatch.yaml")
	for _, want := range []string{`sources[0] "d": watch_for: "soon" is not a positive duration`, `sources[0] "d": recheck_factor: 20 is out of range`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v does not say %s", err, want)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(Example))
	f.Add([]byte("sources: [{name: a, url: 'https://x.org/', listing: {items: 'li:nth-child(2n+1)'}}]"))
	f.Add([]byte("sources:\n  - name: a\n    ignore: ['(?i)x+']\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := Parse(data, "/tmp/pubwatch.yaml")
		if err == nil {
			if len(cfg.Sources) == 0 {
				t.Fatal("a valid config without sources")
			}
			for _, s := range cfg.Sources {
				if s.URL == "" && s.File == "" {
					t.Fatalf("valid source %q has neither url nor file", s.Name)
				}
			}
		}
	})
}

// Sources decoded in parallel come out in order and the same as a single
// source decoded alone, whatever the worker that took them.
func TestManySourcesDecodeInOrder(t *testing.T) {
	var b strings.Builder
	b.WriteString("sources:\n")
	for i := range 2000 {
		fmt.Fprintf(&b, "  - {name: s%d, url: 'https://x.org/%d', interval: %dm, ignore: 'a%d,b', headers: {X-Id: %d}}\n", i, i, 10+i%50, i, i)
	}
	cfg, err := Parse([]byte(b.String()), "/tmp/pubwatch.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range cfg.Sources {
		if s.Name != fmt.Sprintf("s%d", i) || s.Interval != time.Duration(10+i%50)*time.Minute ||
			len(s.Rules.Ignore) != 2 || s.Headers["X-Id"] != strconv.Itoa(i) {
			t.Fatalf("source %d decoded as %q, interval %s, %d ignore patterns, headers %v", i, s.Name, s.Interval, len(s.Rules.Ignore), s.Headers)
		}
	}
}

// store.url: a PostgreSQL URL, ${VAR} expanded, or from PUBWATCH_STORE_URL;
// anything else is a problem naming the setting.
func TestStoreURL(t *testing.T) {
	t.Setenv("PG_SECRET", "s3cret")
	cfg := parse(t, "store: {url: \"postgres://pubwatch:${PG_SECRET}@db.example.org/pubwatch\"}\nworkers: {lease: 30s, batch: 64}\nsources: [{name: a, url: \"https://x.org/\"}]")
	if cfg.Store() != "postgres://pubwatch:s3cret@db.example.org/pubwatch" || cfg.Workers.Lease != 30*time.Second || cfg.Workers.Batch != 64 {
		t.Errorf("store %q, workers %+v", cfg.Store(), cfg.Workers)
	}
	t.Setenv("PUBWATCH_STORE_URL", "postgresql://other@db2.example.org/pw")
	if cfg := parse(t, `sources: [{name: a, url: "https://x.org/"}]`); cfg.Store() != "postgresql://other@db2.example.org/pw" {
		t.Errorf("from the environment: %q", cfg.Store())
	}
	t.Setenv("PUBWATCH_STORE_URL", "")
	for yaml, want := range map[string]string{
		`store: {url: "mysql://db/pw"}`:                 "store.url: must be a postgres:// URL",
		`store: {url: "postgres://u:${NOT_SET_PG}@db"}`: "store.url: environment variable NOT_SET_PG is not set",
		`workers: {lease: 1s}`:                          "workers.lease",
		`workers: {batch: -1}`:                          "workers.batch",
	} {
		_, err := Parse([]byte(yaml+"\nsources: [{name: a, url: \"https://x.org/\"}]"), "/tmp/p.yaml")
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want a problem %q", yaml, err, want)
		}
	}
	// Without a URL, the store is the SQLite file.
	if cfg := parse(t, `sources: [{name: a, url: "https://x.org/"}]`); cfg.Store() != cfg.StorePath {
		t.Errorf("no URL: %q", cfg.Store())
	}
}
