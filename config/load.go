package config

import (
	"errors"
	"fmt"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"
	"github.com/go-viper/mapstructure/v2"
	"github.com/robfig/cron/v3"
	"github.com/spf13/viper"

	"github.com/pubwatch/pubwatch/snapshot"
)

// The raw structs mirror the YAML file. Durations are strings here so that a
// bad one becomes a problem naming its source, not a decoder error.
type rawConfig struct {
	Store struct {
		Path        string `mapstructure:"path"`
		URL         string `mapstructure:"url"`
		Compression string `mapstructure:"compression"`
	} `mapstructure:"store"`
	Reports struct {
		Dir     string   `mapstructure:"dir"`
		Formats []string `mapstructure:"formats"`
		URL     string   `mapstructure:"url"`
	} `mapstructure:"reports"`
	Concurrency int `mapstructure:"concurrency"`
	Defaults    struct {
		Interval  string `mapstructure:"interval"`
		Timeout   string `mapstructure:"timeout"`
		UserAgent string `mapstructure:"user_agent"`
	} `mapstructure:"defaults"`
	Fetch struct {
		PerHost             int    `mapstructure:"per_host"`
		HostDelay           string `mapstructure:"host_delay"`
		MaxBody             string `mapstructure:"max_body"`
		MaxRedirects        int    `mapstructure:"max_redirects"`
		Retries             int    `mapstructure:"retries"`
		RequestTimeout      string `mapstructure:"request_timeout"`
		DenyPrivateNetworks bool   `mapstructure:"deny_private_networks"`
	} `mapstructure:"fetch"`
	Workers struct {
		Lease string `mapstructure:"lease"`
		Batch int    `mapstructure:"batch"`
	} `mapstructure:"workers"`
	Sources []rawSource `mapstructure:"sources"`
	Notify  []rawNotify `mapstructure:"notify"`
}

type rawSource struct {
	Name      string   `mapstructure:"name"`
	URL       string   `mapstructure:"url"`
	Feed      string   `mapstructure:"feed"`
	File      string   `mapstructure:"file"`
	BaseURL   string   `mapstructure:"base_url"`
	Kind      string   `mapstructure:"kind"`
	Interval  string   `mapstructure:"interval"`
	Schedule  string   `mapstructure:"schedule"`
	Timeout   string   `mapstructure:"timeout"`
	UserAgent string   `mapstructure:"user_agent"`
	Ignore    []string `mapstructure:"ignore"`
	Robots    *bool    `mapstructure:"robots"`
	Follow    bool     `mapstructure:"follow"`
	// Noise and trust settings.
	IgnoreSelectors     []string `mapstructure:"ignore_selectors"`
	FoldPunctuation     bool     `mapstructure:"fold_punctuation"`
	KeepCounters        bool     `mapstructure:"keep_counters"`
	TrackingParams      []string `mapstructure:"tracking_params"`
	Identity            string   `mapstructure:"identity"`
	MinChange           int      `mapstructure:"min_change"`
	MaxRemovedRatio     *float64 `mapstructure:"max_removed_ratio"`
	MinBodyRatio        *float64 `mapstructure:"min_body_ratio"`
	ReportMoves         bool     `mapstructure:"report_moves"`
	CompareVersions     int      `mapstructure:"compare_versions"`
	ConfirmAfter        *int     `mapstructure:"confirm_after"`
	AttentionChecks     *int     `mapstructure:"attention_checks"`
	AttentionAfter      string   `mapstructure:"attention_after"`
	MigrationSimilarity *float64 `mapstructure:"migration_similarity"`
	// FollowLimit is a pointer to tell "not set" from 0.
	FollowLimit   *int     `mapstructure:"follow_limit"`
	WatchFor      string   `mapstructure:"watch_for"`
	RecheckFactor *float64 `mapstructure:"recheck_factor"`
	// Headers and cookies are read from the YAML directly: viper folds
	// map keys to lower case, and cookie names are case-sensitive.
	Headers map[string]string `mapstructure:"headers"`
	Cookies map[string]string `mapstructure:"cookies"`
	Listing *struct {
		Items   string `mapstructure:"items"`
		Title   string `mapstructure:"title"`
		Link    string `mapstructure:"link"`
		Date    string `mapstructure:"date"`
		Summary string `mapstructure:"summary"`
		ID      string `mapstructure:"id"`
	} `mapstructure:"listing"`
	Article *struct {
		Title string `mapstructure:"title"`
		Body  string `mapstructure:"body"`
		Date  string `mapstructure:"date"`
	} `mapstructure:"article"`
	Page *struct {
		Select string `mapstructure:"select"`
	} `mapstructure:"page"`
}

// Compressions of stored contents.
const (
	CompressionS2   = "s2"
	CompressionZstd = "zstd"
)

// envKeys are the top-level settings that PUBWATCH_* environment variables
// override: store.path is PUBWATCH_STORE_PATH, and so on.
var envKeys = []string{
	"store.path", "store.url", "store.compression", "reports.dir", "reports.formats", "concurrency",
	"defaults.interval", "defaults.timeout", "defaults.user_agent",
	"fetch.per_host", "fetch.host_delay", "fetch.max_body", "fetch.max_redirects",
	"fetch.retries", "fetch.request_timeout", "fetch.deny_private_networks", "workers.lease", "workers.batch",
}

// Problems is every problem found in a configuration. Load returns it as
// its error; its message has one problem per line.
type Problems []string

func (p Problems) Error() string { return strings.Join(p, "\n") }

// IsProblems reports whether err is (or wraps) a configuration problem list.
func IsProblems(err error) bool {
	var p Problems
	return errors.As(err, &p)
}

// Load reads, checks and compiles the configuration at path. A returned
// error is of type Problems when the file was read but is not valid.
func Load(path string) (*Config, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(abs)
	if err != nil {
		return nil, Problems{fmt.Sprintf("reading config: %v (create one with 'pubwatch init')", err)}
	}
	return Parse(data, abs)
}

// Parse checks and compiles a configuration read from file (an absolute
// path that relative paths in it resolve against).
func Parse(data []byte, file string) (*Config, error) {
	v := viper.New()
	v.SetConfigType("yaml")
	v.SetDefault("store.path", "pubwatch.db")
	v.SetDefault("store.compression", CompressionS2)
	v.SetDefault("reports.dir", "reports")
	v.SetDefault("reports.formats", []string{FormatHTML, FormatMarkdown, FormatJSON})
	v.SetDefault("concurrency", 8)
	v.SetDefault("defaults.interval", "1h")
	v.SetDefault("defaults.timeout", "30s")
	v.SetDefault("defaults.user_agent", DefaultUserAgent)
	v.SetDefault("fetch.per_host", 2)
	v.SetDefault("fetch.host_delay", "1s")
	v.SetDefault("workers.lease", "5m")
	v.SetDefault("fetch.max_body", "10MiB")
	v.SetDefault("fetch.max_redirects", 10)
	v.SetDefault("fetch.retries", 2)
	v.SetDefault("fetch.request_timeout", "0s")
	v.SetDefault("fetch.deny_private_networks", false)
	v.SetEnvPrefix("PUBWATCH")
	v.SetEnvKeyReplacer(strings.NewReplacer(".", "_"))
	for _, k := range envKeys {
		if err := v.BindEnv(k); err != nil {
			return nil, err
		}
	}
	// The YAML is parsed once, here, and handed to viper as a map: a
	// config of many thousands of sources is read in a fraction of the
	// time and memory of parsing it twice.
	var fileSettings map[string]any
	if err := yamlUnmarshal(data, &fileSettings); err != nil {
		return nil, Problems{fmt.Sprintf("%s: invalid YAML: %v", filepath.Base(file), err)}
	}
	if fileSettings == nil {
		fileSettings = map[string]any{}
	}
	var problems Problems
	// Unknown keys are checked on the file alone: viper's merged view also
	// holds defaults, which are known by construction.
	problems = append(problems, unknownKeys(fileSettings, reflect.TypeOf(rawConfig{}), "")...)
	// Viper folds map keys to lower case in place; keep the headers and
	// cookies as written first.
	cased := casedMaps(fileSettings)
	// The sources are decoded apart from viper, which handles the
	// top-level settings (with their defaults and environment variables):
	// a list of 10,000 sources costs viper more than decoding it, and the
	// sources decode in parallel.
	sourceList, hasSources := fileSettings["sources"]
	delete(fileSettings, "sources")
	if err := v.MergeConfigMap(fileSettings); err != nil {
		return nil, Problems{fmt.Sprintf("%s: %v", filepath.Base(file), err)}
	}

	var raw rawConfig
	var decodeProblems []string
	if err := v.Unmarshal(&raw, func(dc *mapstructureConfig) { dc.ZeroFields = true }); err != nil {
		decodeProblems = decodeErrors(err, "")
	}
	if hasSources {
		sources, more := decodeSources(sourceList)
		raw.Sources = sources
		decodeProblems = append(decodeProblems, more...)
	}
	if len(decodeProblems) > 0 {
		return nil, append(problems, decodeProblems...)
	}
	applyCasedMaps(&raw, cased)
	cfg, more := build(&raw, file)
	problems = append(problems, more...)
	if len(problems) > 0 {
		return nil, problems
	}
	return cfg, nil
}

// decodeErrors turns a decoding error into problems, one per key, written
// like every other problem: "sources[3] "agency": follow_limit: cannot
// parse value as 'int': ...", or without the label for a top-level key.
func decodeErrors(err error, label string) []string {
	var out []string
	for _, line := range strings.Split(err.Error(), "\n") {
		line = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "* "))
		if line == "" || strings.HasPrefix(line, "decoding failed") {
			continue
		}
		// mapstructure writes "'key' message".
		if rest, ok := strings.CutPrefix(line, "'"); ok {
			if key, msg, ok := strings.Cut(rest, "' "); ok {
				line = key + ": " + msg
			}
		}
		if label != "" {
			line = label + ": " + line
		}
		out = append(out, line)
	}
	return out
}

// itemLabel names list[i] (sources[3]) in problems, with its name when it
// has one.
func itemLabel(list string, i int, m map[string]any) string {
	label := fmt.Sprintf("%s[%d]", list, i)
	if name, ok := m["name"].(string); ok && name != "" {
		label += fmt.Sprintf(" %q", name)
	}
	return label
}

// decodeSources decodes the sources list as viper would (weakly typed,
// durations and comma-separated lists from strings), each source on its
// own and the list split among the machine's cores.
func decodeSources(list any) ([]rawSource, []string) {
	items, ok := list.([]any)
	if !ok {
		if list == nil {
			return nil, nil
		}
		return nil, []string{fmt.Sprintf("sources: expected a list of sources, got %T", list)}
	}
	out := make([]rawSource, len(items))
	problems := make([][]string, len(items))
	workers := min(runtime.GOMAXPROCS(0), max(1, len(items)/256))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(items); i += workers {
				if err := decodeSource(items[i], &out[i]); err != nil {
					m, _ := items[i].(map[string]any)
					problems[i] = decodeErrors(err, itemLabel("sources", i, m))
				}
			}
		}()
	}
	wg.Wait()
	return out, slices.Concat(problems...)
}

// decodeSource decodes one source into out (a zero rawSource): directly
// when its values need only assigning (decodeExact), else with
// mapstructure, weakly typed, durations and comma-separated lists read
// from strings.
func decodeSource(item any, out *rawSource) error {
	if m, ok := item.(map[string]any); ok && decodeExact(m, out) {
		return nil
	}
	*out = rawSource{}
	return decodeWeak(item, out)
}

func decodeWeak(item any, out *rawSource) error {
	dec, err := mapstructure.NewDecoder(&mapstructure.DecoderConfig{
		WeaklyTypedInput: true,
		ZeroFields:       true,
		DecodeHook: mapstructure.ComposeDecodeHookFunc(
			mapstructure.StringToTimeDurationHookFunc(),
			mapstructure.StringToSliceHookFunc(","),
		),
		Result: out,
	})
	if err != nil {
		return err
	}
	return dec.Decode(item)
}

var nameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)

func build(raw *rawConfig, file string) (*Config, Problems) {
	var p Problems
	dir := filepath.Dir(file)
	cfg := &Config{
		File:        file,
		StorePath:   resolvePath(dir, raw.Store.Path),
		ReportsDir:  resolvePath(dir, raw.Reports.Dir),
		Concurrency: raw.Concurrency,
	}
	if raw.Store.Path == "" {
		p = append(p, "store.path: must not be empty")
	}
	if raw.Store.URL != "" {
		var secrets []string
		u, err := expand(raw.Store.URL, &secrets)
		switch {
		case err != nil:
			p = append(p, fmt.Sprintf("store.url: %v", err))
		case !strings.HasPrefix(u, "postgres://") && !strings.HasPrefix(u, "postgresql://"):
			p = append(p, "store.url: must be a postgres:// URL (a SQLite store is store.path)")
		default:
			cfg.StoreURL = u
		}
	}
	switch cfg.StoreCompression = strings.ToLower(raw.Store.Compression); cfg.StoreCompression {
	case CompressionS2, CompressionZstd:
	default:
		p = append(p, fmt.Sprintf("store.compression: %q is not one of s2, zstd", raw.Store.Compression))
	}
	if raw.Reports.Dir == "" {
		p = append(p, "reports.dir: must not be empty")
	}
	if cfg.Concurrency < 1 || cfg.Concurrency > 1024 {
		p = append(p, fmt.Sprintf("concurrency: %d is out of range (1 to 1024)", cfg.Concurrency))
	}
	seenFormat := map[string]bool{}
	for _, f := range raw.Reports.Formats {
		n := normalizeFormat(f)
		if n == "" {
			p = append(p, fmt.Sprintf("reports.formats: unknown format %q (html, markdown, json)", f))
			continue
		}
		if !seenFormat[n] {
			seenFormat[n] = true
			cfg.Formats = append(cfg.Formats, n)
		}
	}
	if len(raw.Reports.Formats) == 0 {
		p = append(p, "reports.formats: name at least one of html, markdown, json")
	}
	var err error
	if cfg.Defaults.Interval, err = parseDuration(raw.Defaults.Interval); err != nil {
		p = append(p, "defaults.interval: "+err.Error())
	}
	if cfg.Defaults.Timeout, err = parseDuration(raw.Defaults.Timeout); err != nil {
		p = append(p, "defaults.timeout: "+err.Error())
	}
	cfg.Defaults.UserAgent = raw.Defaults.UserAgent
	p = append(p, buildFetch(raw, &cfg.Fetch)...)
	if d, err := parseNonNegativeDuration(raw.Workers.Lease); err != nil || d < 5*time.Second {
		p = append(p, fmt.Sprintf("workers.lease: %q is not a duration of at least 5s", raw.Workers.Lease))
	} else {
		cfg.Workers.Lease = d
	}
	if cfg.Workers.Batch = raw.Workers.Batch; cfg.Workers.Batch < 0 || cfg.Workers.Batch > 100000 {
		p = append(p, fmt.Sprintf("workers.batch: %d is out of range (0 to 100000)", raw.Workers.Batch))
	}
	if raw.Reports.URL != "" {
		if u, err := parseHTTPURL(raw.Reports.URL); err != nil {
			p = append(p, "reports.url: "+err.Error())
		} else {
			cfg.ReportsURL = u.String()
		}
	}
	p = append(p, buildNotify(raw.Notify, &cfg.Notify)...)

	if len(raw.Sources) == 0 {
		p = append(p, "sources: no sources configured")
	}
	names := map[string]int{}
	cache := &compiled{selectors: map[string]cascadia.Selector{}, regexes: map[string]*regexp.Regexp{}}
	for i := range raw.Sources {
		rs := &raw.Sources[i]
		src, sp := buildSource(rs, dir, cfg.Defaults, cache)
		label := fmt.Sprintf("sources[%d]", i)
		if rs.Name != "" {
			label += fmt.Sprintf(" %q", rs.Name)
		}
		if j, dup := names[rs.Name]; dup && rs.Name != "" {
			sp = append(sp, fmt.Sprintf("name: duplicate of sources[%d]", j))
		} else {
			names[rs.Name] = i
		}
		for _, msg := range sp {
			p = append(p, label+": "+msg)
		}
		cfg.Sources = append(cfg.Sources, src)
	}
	return cfg, p
}

// compiled holds the selectors and regexes compiled so far: sources of one
// site share theirs, and a config of thousands compiles each once.
type compiled struct {
	selectors map[string]cascadia.Selector
	regexes   map[string]*regexp.Regexp
}

func (c *compiled) selector(s string) (cascadia.Selector, error) {
	return memo(c.selectors, s, cascadia.Compile)
}

func (c *compiled) regex(s string) (*regexp.Regexp, error) {
	return memo(c.regexes, s, regexp.Compile)
}

// memo returns what compile makes of s, compiled once into cache.
func memo[T any](cache map[string]T, s string, compile func(string) (T, error)) (T, error) {
	if v, ok := cache[s]; ok {
		return v, nil
	}
	v, err := compile(s)
	if err == nil {
		cache[s] = v
	}
	return v, err
}

func buildSource(r *rawSource, dir string, d Defaults, cache *compiled) (Source, []string) {
	var p []string
	src := Source{Name: r.Name, Kind: r.Kind, UserAgent: r.UserAgent}
	switch {
	case r.Name == "":
		p = append(p, "name: required")
	case !nameRE.MatchString(r.Name):
		p = append(p, fmt.Sprintf("name: %q must match [a-z0-9][a-z0-9-_]*", r.Name))
	}

	locations := 0
	for _, l := range []string{r.URL, r.Feed, r.File} {
		if l != "" {
			locations++
		}
	}
	switch {
	case locations == 0:
		p = append(p, "url: a source needs url, feed or file")
	case locations > 1:
		p = append(p, "url: give one of url, feed and file")
	case r.URL != "" || r.Feed != "":
		field, display := "url", r.URL
		if r.Feed != "" {
			field, display = "feed", r.Feed
		}
		display, _, _ = strings.Cut(strings.TrimSpace(display), "#")
		expanded, err := expand(display, &src.Secrets)
		if err != nil {
			p = append(p, field+": "+err.Error())
			break
		}
		u, err := parseHTTPURL(expanded)
		if err != nil {
			// The message must not show the expanded secret.
			p = append(p, field+": "+strings.ReplaceAll(err.Error(), expanded, display))
			break
		}
		src.URL, src.FetchURL, src.BaseURL = display, u.String(), u
		if len(src.Secrets) > 0 {
			// Links resolved against the page must not carry secrets.
			src.BaseURL, _ = url.Parse(display)
		}
	default:
		src.File = resolvePath(dir, r.File)
		src.BaseURL = &url.URL{Scheme: "file", Path: filepath.ToSlash(src.File)}
	}
	if r.BaseURL != "" {
		if u, err := parseHTTPURL(r.BaseURL); err != nil {
			p = append(p, "base_url: "+err.Error())
		} else {
			src.BaseURL = u
		}
	}
	src.Robots = r.Robots == nil || *r.Robots
	for _, kv := range []struct {
		field string
		in    map[string]string
		out   *map[string]string
	}{{"headers", r.Headers, &src.Headers}, {"cookies", r.Cookies, &src.Cookies}} {
		for k, v := range kv.in {
			ev, err := expand(v, &src.Secrets)
			if err != nil {
				p = append(p, fmt.Sprintf("%s.%s: %v", kv.field, k, err))
				continue
			}
			if *kv.out == nil {
				*kv.out = map[string]string{}
			}
			(*kv.out)[k] = ev
		}
	}
	if src.UserAgent == "" {
		src.UserAgent = d.UserAgent
	}

	src.Interval = d.Interval
	if r.Interval != "" && r.Schedule != "" {
		p = append(p, "schedule: give interval or schedule, not both")
	}
	if r.Interval != "" {
		var err error
		if src.Interval, err = parseDuration(r.Interval); err != nil {
			p = append(p, "interval: "+err.Error())
		}
	}
	if r.Schedule != "" {
		s, err := cron.ParseStandard(r.Schedule)
		if err != nil {
			p = append(p, fmt.Sprintf("schedule: %q is not a cron expression: %v", r.Schedule, err))
		}
		src.Schedule = s
	}
	src.Timeout = d.Timeout
	if r.Timeout != "" {
		var err error
		if src.Timeout, err = parseDuration(r.Timeout); err != nil {
			p = append(p, "timeout: "+err.Error())
		}
	}

	if src.Kind == "" {
		switch {
		case r.Feed != "":
			src.Kind = snapshot.KindFeed
		case r.Listing != nil:
			src.Kind = snapshot.KindListing
		case r.Article != nil:
			src.Kind = snapshot.KindArticle
		case r.Page != nil:
			src.Kind = snapshot.KindPage
		default:
			src.Kind = KindAuto
		}
	}
	switch src.Kind {
	case KindAuto:
		// Nothing given: find the article and the main listing, or read
		// the page as a feed if it is one.
		if r.Listing != nil || r.Article != nil {
			p = append(p, "kind: auto finds the listing and article by itself; remove the sections or set kind listing or article")
		}
		src.Rules.AutoListing, src.Rules.AutoArticle, src.Rules.AutoFeed = true, true, true
	case snapshot.KindListing:
		src.Rules.AutoListing = r.Listing == nil
	case snapshot.KindArticle:
		src.Rules.AutoArticle = r.Article == nil
	case snapshot.KindPage:
		if r.Listing != nil || r.Article != nil {
			p = append(p, "kind: page tracks the page text; remove the listing/article sections or set kind listing or article")
		}
	case snapshot.KindFeed:
		if r.Listing != nil || r.Article != nil {
			p = append(p, "kind: a feed's entries are its items; remove the listing/article sections")
		}
		src.Rules.Feed = true
	default:
		p = append(p, fmt.Sprintf("kind: %q is not one of auto, listing, article, page, feed", src.Kind))
	}

	sel := func(field, s string, required bool) goquery.Matcher {
		if s == "" {
			if required {
				p = append(p, field+": selector required")
			}
			return nil
		}
		m, err := cache.selector(s)
		if err != nil {
			p = append(p, fmt.Sprintf("%s: selector %q does not parse: %v", field, s, err))
			return nil
		}
		return m
	}
	if l := r.Listing; l != nil {
		src.Rules.Listing = &snapshot.ListingRules{
			Items:   sel("listing.items", l.Items, true),
			Title:   sel("listing.title", l.Title, false),
			Link:    sel("listing.link", l.Link, false),
			Date:    sel("listing.date", l.Date, false),
			Summary: sel("listing.summary", l.Summary, false),
			ID:      sel("listing.id", l.ID, r.Identity == snapshot.IdentitySelector),
		}
	}
	if a := r.Article; a != nil {
		src.Rules.Article = &snapshot.ArticleRules{
			Title: sel("article.title", a.Title, false),
			Body:  sel("article.body", a.Body, true),
			Date:  sel("article.date", a.Date, false),
		}
	}
	if src.Kind == snapshot.KindPage {
		src.Rules.Page = &snapshot.PageRules{}
		if r.Page != nil {
			src.Rules.Page.Select = sel("page.select", r.Page.Select, false)
		}
	} else if r.Page != nil {
		p = append(p, "page: only for kind page")
	}
	src.Follow, src.FollowLimit, src.WatchFor = r.Follow, DefaultFollowLimit, DefaultWatchFor
	src.RecheckFactor = DefaultRecheckFactor
	if f := r.RecheckFactor; f != nil {
		if *f != 0 && (*f < 0.05 || *f > 10) {
			p = append(p, fmt.Sprintf("recheck_factor: %g is out of range (0.05 to 10, or 0: at every check)", *f))
		} else {
			src.RecheckFactor = *f
		}
	}
	switch r.WatchFor {
	case "":
	case "off", "0":
		src.WatchFor = 0
	default:
		if d, err := parseDuration(r.WatchFor); err != nil || d <= 0 {
			p = append(p, fmt.Sprintf("watch_for: %q is not a positive duration (\"30d\", \"365d\") or off", r.WatchFor))
		} else {
			src.WatchFor = d
		}
	}
	if r.FollowLimit != nil {
		src.FollowLimit = *r.FollowLimit
		if src.FollowLimit < 1 || src.FollowLimit > 1000 {
			p = append(p, fmt.Sprintf("follow_limit: %d is out of range (1 to 1000)", src.FollowLimit))
		}
	}
	if r.Follow && src.Kind != snapshot.KindListing && src.Kind != snapshot.KindFeed && src.Kind != KindAuto {
		p = append(p, "follow: only listing, feed and auto sources have items to follow")
	}
	for i, css := range r.IgnoreSelectors {
		if m := sel(fmt.Sprintf("ignore_selectors[%d]", i), css, true); m != nil {
			src.Rules.IgnoreSelectors = append(src.Rules.IgnoreSelectors, m)
		}
	}
	src.Rules.FoldPunctuation, src.Rules.KeepCounters, src.Rules.TrackingParams = r.FoldPunctuation, r.KeepCounters, r.TrackingParams
	switch r.Identity {
	case "", snapshot.IdentityLink, snapshot.IdentityTitle:
	case snapshot.IdentitySelector:
		if r.Listing == nil || r.Listing.ID == "" {
			p = append(p, "identity: selector needs listing.id, the selector of the identifying element")
		}
	default:
		p = append(p, fmt.Sprintf("identity: %q is not one of link, title, selector", r.Identity))
	}
	src.Rules.Identity = r.Identity
	src.Trust = Trust{MinChange: r.MinChange, MaxRemovedRatio: 0.5, MinBodyRatio: 0.3, ReportMoves: r.ReportMoves,
		CompareVersions: r.CompareVersions, MigrationSimilarity: 0.9, ConfirmAfter: 3,
		AttentionChecks: DefaultAttentionChecks, AttentionAfter: DefaultAttentionAfter}
	ratio := func(field string, v *float64, dst *float64) {
		if v == nil {
			return
		}
		if *v < 0 || *v > 1 {
			p = append(p, fmt.Sprintf("%s: %g is out of range (0 to 1)", field, *v))
			return
		}
		*dst = *v
	}
	ratio("max_removed_ratio", r.MaxRemovedRatio, &src.Trust.MaxRemovedRatio)
	ratio("min_body_ratio", r.MinBodyRatio, &src.Trust.MinBodyRatio)
	ratio("migration_similarity", r.MigrationSimilarity, &src.Trust.MigrationSimilarity)
	if r.MinChange < 0 {
		p = append(p, "min_change: must not be negative")
	}
	if r.ConfirmAfter != nil {
		if *r.ConfirmAfter < 1 || *r.ConfirmAfter > 50 {
			p = append(p, fmt.Sprintf("confirm_after: %d is out of range (1 to 50)", *r.ConfirmAfter))
		} else {
			src.Trust.ConfirmAfter = *r.ConfirmAfter
		}
	}
	if r.AttentionChecks != nil {
		if *r.AttentionChecks < 1 {
			p = append(p, fmt.Sprintf("attention_checks: %d must be at least 1", *r.AttentionChecks))
		} else {
			src.Trust.AttentionChecks = *r.AttentionChecks
		}
	}
	if r.AttentionAfter != "" {
		if d, err := parseDuration(r.AttentionAfter); err != nil || d <= 0 {
			p = append(p, fmt.Sprintf("attention_after: %q is not a positive duration (\"12h\", \"2d\")", r.AttentionAfter))
		} else {
			src.Trust.AttentionAfter = d
		}
	}
	if r.CompareVersions < 0 || r.CompareVersions > 50 {
		p = append(p, fmt.Sprintf("compare_versions: %d is out of range (0 to 50)", r.CompareVersions))
	}
	for i, expr := range r.Ignore {
		re, err := cache.regex(expr)
		if err != nil {
			p = append(p, fmt.Sprintf("ignore[%d]: regex %q does not compile: %v", i, expr, err))
			continue
		}
		src.Rules.Ignore = append(src.Rules.Ignore, re)
	}
	base := ""
	if src.BaseURL != nil {
		base = src.BaseURL.String()
	}
	src.Fingerprint = fingerprint(r, base)
	return src, p
}

func parseHTTPURL(s string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil {
		return nil, fmt.Errorf("%q is not a URL: %v", s, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("%q: only http and https URLs are supported", s)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("%q has no host", s)
	}
	u.Fragment = ""
	return u, nil
}

// parseDuration accepts Go durations ("90s", "1h30m") and whole days ("2d").
func parseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, errors.New("must not be empty")
	}
	var d time.Duration
	var err error
	if days, ok := strings.CutSuffix(s, "d"); ok {
		var n int
		if _, err = fmt.Sscanf(days, "%d", &n); err == nil && fmt.Sprint(n) == days {
			d = time.Duration(n) * 24 * time.Hour
		} else {
			err = fmt.Errorf("%q is not a duration (e.g. 30m, 1h, 2d)", s)
		}
	} else if d, err = time.ParseDuration(s); err != nil {
		err = fmt.Errorf("%q is not a duration (e.g. 30m, 1h, 2d)", s)
	}
	if err != nil {
		return 0, err
	}
	if d <= 0 {
		return 0, fmt.Errorf("%q must be positive", s)
	}
	return d, nil
}

// fieldTypes maps a struct type's mapstructure keys to its field types,
// worked out once per type: unknownKeys asks for every source.
func fieldTypes(t reflect.Type) map[string]reflect.Type {
	if f, ok := fieldTypeCache.Load(t); ok {
		return f.(map[string]reflect.Type)
	}
	fields := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		fields[f.Tag.Get("mapstructure")] = f.Type
	}
	fieldTypeCache.Store(t, fields)
	return fields
}

var fieldTypeCache sync.Map

// unknownKeys lists the keys of m that the struct type t has no field for,
// recursing into nested sections and lists of sources.
func unknownKeys(m map[string]any, t reflect.Type, path string) []string {
	fields := fieldTypes(t)
	keys := slices.Sorted(maps.Keys(m))
	var p []string
	for _, k := range keys {
		full := k
		if path != "" {
			full = path + "." + k
		}
		ft, ok := fields[k]
		if !ok {
			p = append(p, fmt.Sprintf("%s: unknown key", full))
			continue
		}
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		switch ft.Kind() {
		case reflect.Struct:
			if sub, ok := m[k].(map[string]any); ok {
				p = append(p, unknownKeys(sub, ft, full)...)
			}
		case reflect.Slice:
			if ft.Elem().Kind() != reflect.Struct {
				continue
			}
			list, _ := m[k].([]any)
			for i, e := range list {
				sub, ok := e.(map[string]any)
				if !ok {
					continue
				}
				msgs := unknownKeys(sub, ft.Elem(), "")
				if len(msgs) == 0 {
					continue
				}
				label := itemLabel(full, i, sub)
				for _, msg := range msgs {
					p = append(p, label+": "+msg)
				}
			}
		}
	}
	return p
}
