package config

import (
	"reflect"
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
	if len(cfg.Sources) != 3 {
		t.Fatalf("example has %d sources, want 3", len(cfg.Sources))
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
	kinds := []string{snapshot.KindListing, snapshot.KindArticle, snapshot.KindPage}
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
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.yaml), "/tmp/pubwatch.yaml")
			if err == nil || !IsProblems(err) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Parse error %v; want problems containing %q", err, tc.want)
			}
		})
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
