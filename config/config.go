package config

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/pubwatch/pubwatch/reports"
	"github.com/pubwatch/pubwatch/snapshot"
)

// Version is pubwatch's version, used in the default user agent.
const Version = "0.1.0"

// DefaultUserAgent is sent when neither defaults.user_agent nor a source's
// user_agent is set.
const DefaultUserAgent = "pubwatch/" + Version + " (+https://github.com/pubwatch/pubwatch)"

// DefaultFollowLimit is how many listed items' articles are followed per
// check unless follow_limit says otherwise.
const DefaultFollowLimit = 50

// DefaultWatchFor is how long followed articles are watched unless
// watch_for says otherwise: a year, as NewsDiffs did.
const DefaultWatchFor = 365 * 24 * time.Hour

// DefaultRecheckFactor reads a watched article again when its age has
// grown by a quarter more than it was at the last read: seven or eight
// reads in its first week, ten in its first month.
const DefaultRecheckFactor = 1.25

// A source failing or suspect for DefaultAttentionChecks checks in a row,
// or for DefaultAttentionAfter, needs attention.
const (
	DefaultAttentionChecks = 4
	DefaultAttentionAfter  = 24 * time.Hour
)

// KindAuto is the kind of a source given no sections: its article and main
// listing are found automatically.
const KindAuto = "auto"

// Report formats accepted in reports.formats.
const (
	FormatHTML     = reports.FormatHTML
	FormatMarkdown = reports.FormatMarkdown
	FormatJSON     = reports.FormatJSON
)

// Config is a loaded, validated configuration. Relative paths in it have
// already been resolved against the directory of the config file.
type Config struct {
	// File is the absolute path of the config file.
	File      string
	StorePath string
	// StoreURL is a PostgreSQL store's URL, ${VAR} expanded ("": the
	// SQLite file at StorePath).
	StoreURL string
	// StoreCompression is how new contents are compressed: "s2" (fast)
	// or "zstd" (smaller).
	StoreCompression string
	ReportsDir       string
	// ReportsURL is where the reports folder is published ("": nowhere);
	// notifications link a run's report there.
	ReportsURL  string
	Formats     []string
	Concurrency int
	Defaults    Defaults
	Fetch       Fetch
	// Workers configure 'pubwatch run' processes that share a PostgreSQL
	// store.
	Workers Workers
	Sources []Source
	// Notify are the notification targets, in the order configured.
	Notify []Notify
}

// Workers are the settings of daemons that share a store.
type Workers struct {
	// Lease is how long a worker's claim on a source (and its place at a
	// host) holds if the worker dies: longer than any check takes.
	Lease time.Duration
	// Batch is how many due sources a worker claims at a time (0: twice
	// its concurrency).
	Batch int
}

// Fetch holds the settings of the fetcher shared by all sources.
type Fetch struct {
	// PerHost requests may be in flight to one host, at least HostDelay
	// apart (0: no delay).
	PerHost   int
	HostDelay time.Duration
	// MaxBody is the largest body accepted, after decompression.
	MaxBody      int64
	MaxRedirects int
	// Retries of a transient failure within the source's timeout.
	Retries int
	// RequestTimeout bounds each attempt (0: the source's timeout).
	RequestTimeout      time.Duration
	DenyPrivateNetworks bool
}

// Defaults apply to every source that does not set its own value.
type Defaults struct {
	Interval  time.Duration
	Timeout   time.Duration
	UserAgent string
}

// Source is one watched page, file or feed.
type Source struct {
	Name string
	// URL is set for web sources, as configured: ${VAR} placeholders are
	// kept, so it is safe to show. FetchURL has them expanded.
	URL      string
	FetchURL string
	// File (absolute) is set for local files.
	File string
	// BaseURL is what relative links on the page resolve against: the
	// base_url key, else the URL, else the file's file:// URL.
	BaseURL *url.URL
	// Kind is auto, listing, article, page or feed.
	Kind      string
	Interval  time.Duration
	Schedule  cron.Schedule
	Timeout   time.Duration
	UserAgent string
	// Headers and Cookies are sent with every request, ${VAR} expanded.
	Headers map[string]string
	Cookies map[string]string
	// Secrets are the values expanded from the environment, which must
	// never be shown.
	Secrets []string
	// Robots is whether robots.txt is obeyed (default true).
	Robots bool
	// Follow tracks the article page of each listed item, at most
	// FollowLimit of them per check.
	Follow      bool
	FollowLimit int
	// WatchFor is how long a followed article is read again after it
	// was first seen, listed or not (0: only while it is listed).
	WatchFor time.Duration
	// RecheckFactor is the share of a watched article's age after which
	// it is read again (at least 15 minutes, at most 30 days apart); 0
	// reads every article at every check.
	RecheckFactor float64
	Rules         snapshot.Rules
	Trust         Trust
	// Fingerprint changes whenever the extraction settings change (or
	// pubwatch's extraction, snapshot.ExtractionVersion), so a snapshot
	// taken with other rules is extracted again even when the fetched
	// bytes did not change, and its baseline read again to compare with.
	Fingerprint string
}

// Trust holds a source's settings for telling real changes from noise and
// broken fetches.
type Trust struct {
	// MinChange silences edits of fewer words (0: none silenced).
	MinChange int
	// MaxRemovedRatio: a check that removes more than this share of the
	// listing at once is suspect.
	MaxRemovedRatio float64
	// MinBodyRatio: an article body that shrinks below this share of its
	// last length is suspect.
	MinBodyRatio float64
	// ReportMoves reports items that changed place in a listing.
	ReportMoves bool
	// AttentionChecks and AttentionAfter: a source failing or suspect
	// for this many checks in a row, or this long, whichever comes first,
	// needs attention: an event says so once, and every report and
	// notification shows it at the top until a good check.
	AttentionChecks int
	AttentionAfter  time.Duration
	// ConfirmAfter: this many suspect checks in a row that resemble each
	// other more than the baseline (and are not error pages) are the
	// site's new state, and the last of them is accepted.
	ConfirmAfter int
	// CompareVersions: a state seen among the last N trusted snapshots is
	// not reported again (A/B tests).
	CompareVersions int
	// MigrationSimilarity is how alike the titles of a removed and a new
	// item with the same date must be for them to be one item whose link
	// changed.
	MigrationSimilarity float64
}

// Location is the URL or file the source reads, for messages and reports.
func (s *Source) Location() string {
	if s.URL != "" {
		return s.URL
	}
	return s.File
}

// Next returns when the source is due after a check at t.
func (s *Source) Next(t time.Time) time.Time {
	if s.Schedule != nil {
		return s.Schedule.Next(t)
	}
	return t.Add(s.Interval)
}

// Source returns the source with the given name, or nil.
func (c *Config) Source(name string) *Source {
	for i := range c.Sources {
		if c.Sources[i].Name == name {
			return &c.Sources[i]
		}
	}
	return nil
}

// fingerprint hashes everything that affects what is extracted from a page.
func fingerprint(r *rawSource, base string) string {
	h := sha256.New()
	field := func(s string) { fmt.Fprintf(h, "%d:%s;", len(s), s) }
	field(snapshot.ExtractionVersion)
	field(r.Kind)
	field(base)
	if l := r.Listing; l != nil {
		field("listing")
		for _, s := range []string{l.Items, l.Title, l.Link, l.Date, l.Summary} {
			field(s)
		}
	}
	if a := r.Article; a != nil {
		field("article")
		for _, s := range []string{a.Title, a.Body, a.Date} {
			field(s)
		}
	}
	if p := r.Page; p != nil {
		field("page")
		field(p.Select)
	}
	for _, s := range r.Ignore {
		field(s)
	}
	if r.Follow {
		field("follow")
	}
	for _, s := range r.IgnoreSelectors {
		field("ignore_selectors " + s)
	}
	for _, s := range r.TrackingParams {
		field("tracking_params " + s)
	}
	field(fmt.Sprintf("fold %v counters %v identity %s", r.FoldPunctuation, r.KeepCounters, r.Identity))
	if r.Listing != nil {
		field("listing.id " + r.Listing.ID)
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// resolvePath makes p absolute relative to dir.
func resolvePath(dir, p string) string {
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(dir, p)
}

func normalizeFormat(f string) string {
	switch strings.ToLower(strings.TrimSpace(f)) {
	case "md", "markdown":
		return FormatMarkdown
	case "html":
		return FormatHTML
	case "json":
		return FormatJSON
	}
	return ""
}

// Store is where the history is kept: the PostgreSQL URL if one is set,
// else the SQLite file.
func (c *Config) Store() string {
	if c.StoreURL != "" {
		return c.StoreURL
	}
	return c.StorePath
}
