package config

import (
	"encoding/json"
	"fmt"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/pubwatch/pubwatch/notify"
)

// Event kinds, as the event log records them and notify.events names
// them.
const (
	EventNew        = "new"
	EventChanged    = "changed"
	EventRemoved    = "removed"
	EventReappeared = "reappeared"
	EventMoved      = "moved"
	EventSuppressed = "suppressed"
	EventBaseline   = "baseline"
	EventFailing    = "failing"
	EventSuspect    = "suspect"
	EventRecovered  = "recovered"
	// EventAttention: a source has been failing or suspect for longer
	// than its attention_checks or attention_after.
	EventAttention = "attention"
)

// EventKinds lists every kind of event.
var EventKinds = []string{EventNew, EventChanged, EventRemoved, EventReappeared, EventMoved,
	EventSuppressed, EventBaseline, EventFailing, EventSuspect, EventRecovered, EventAttention}

// Notify is one notification target.
type Notify struct {
	notify.Target
	// Sources are name globs (path.Match); empty: every source.
	Sources []string
	// Events are the kinds delivered.
	Events []string
	// MinSignificance leaves out changed items rated below it.
	MinSignificance float64
	// MaxAge is how long a delivery is retried before it is given up.
	MaxAge time.Duration
	// Backoff is the wait before the first retry; it doubles with each
	// failure, up to an hour.
	Backoff time.Duration
}

// Wants reports whether the target delivers an event of kind found on
// source, rated significance (for changes).
func (n *Notify) Wants(source, kind string, significance float64) bool {
	if !slices.Contains(n.Events, kind) {
		return false
	}
	if kind == EventChanged && significance < n.MinSignificance {
		return false
	}
	if len(n.Sources) == 0 {
		return true
	}
	for _, g := range n.Sources {
		if ok, _ := path.Match(g, source); ok {
			return true
		}
	}
	return false
}

// filter is a target's choice of events as a delivery stores it.
type filter struct {
	Events          []string `json:"events"`
	Sources         []string `json:"sources,omitempty"`
	MinSignificance float64  `json:"min_significance,omitempty"`
}

// Filter is the target's choice of events as text (JSON), stored with
// each delivery and read back by ParseFilter: a retry sends what the
// first try did even if the config changed since.
func (n *Notify) Filter() string {
	b, _ := json.Marshal(filter{n.Events, n.Sources, n.MinSignificance})
	return string(b)
}

// ParseFilter reads a Filter back into a target's choice of events; text
// it cannot read chooses every event.
func ParseFilter(s string) *Notify {
	var f filter
	if err := json.Unmarshal([]byte(s), &f); err != nil {
		f.Events = EventKinds
	}
	return &Notify{Events: f.Events, Sources: f.Sources, MinSignificance: f.MinSignificance}
}

type rawNotify struct {
	Name            string   `mapstructure:"name"`
	URL             string   `mapstructure:"url"`
	Secret          string   `mapstructure:"secret"`
	Sources         []string `mapstructure:"sources"`
	Events          []string `mapstructure:"events"`
	MinSignificance float64  `mapstructure:"min_significance"`
	MaxAge          string   `mapstructure:"max_age"`
	Backoff         string   `mapstructure:"backoff"`
	Timeout         string   `mapstructure:"timeout"`
}

// Defaults of a notification target.
const (
	DefaultNotifyMaxAge  = 7 * 24 * time.Hour
	DefaultNotifyBackoff = 30 * time.Second
	DefaultNotifyTimeout = 30 * time.Second
)

func buildNotify(raw []rawNotify, out *[]Notify) Problems {
	var p Problems
	seen := map[string]int{}
	for i, r := range raw {
		label := fmt.Sprintf("notify[%d]", i)
		if r.Name != "" {
			label += fmt.Sprintf(" %q", r.Name)
		}
		add := func(msg string) { p = append(p, label+": "+msg) }
		n := Notify{Target: notify.Target{Name: r.Name}, Sources: r.Sources, MinSignificance: r.MinSignificance,
			MaxAge: DefaultNotifyMaxAge, Backoff: DefaultNotifyBackoff}
		n.Timeout = DefaultNotifyTimeout
		switch {
		case r.Name == "":
			add("name: required")
		case !nameRE.MatchString(r.Name):
			add(fmt.Sprintf("name: %q must match [a-z0-9][a-z0-9-_]*", r.Name))
		default:
			if j, dup := seen[r.Name]; dup {
				add(fmt.Sprintf("name: duplicate of notify[%d]", j))
			}
			seen[r.Name] = i
		}
		display := strings.TrimSpace(r.URL)
		if display == "" {
			add("url: required")
		} else if expanded, err := expand(display, &n.Secrets); err != nil {
			add("url: " + err.Error())
		} else if kind, err := notify.KindOf(expanded); err != nil {
			add("url: " + strings.ReplaceAll(err.Error(), expanded, display))
		} else {
			n.URL, n.SendURL, n.Kind = display, expanded, kind
			n.Secrets = append(n.Secrets, notify.URLSecrets(expanded)...)
		}
		if r.Secret != "" {
			secret, err := expand(r.Secret, &n.Secrets)
			if err != nil {
				add("secret: " + err.Error())
			}
			n.Secret = secret
			n.Secrets = append(n.Secrets, secret)
		}
		for _, g := range r.Sources {
			if _, err := path.Match(g, ""); err != nil {
				add(fmt.Sprintf("sources: %q is not a name pattern: %v", g, err))
			}
		}
		if len(r.Events) == 0 {
			for _, k := range EventKinds {
				if k != EventSuppressed {
					n.Events = append(n.Events, k)
				}
			}
		}
		for _, e := range r.Events {
			e = strings.ToLower(strings.TrimSpace(e))
			if !slices.Contains(EventKinds, e) {
				add(fmt.Sprintf("events: unknown event %q (%s)", e, strings.Join(EventKinds, ", ")))
				continue
			}
			if !slices.Contains(n.Events, e) {
				n.Events = append(n.Events, e)
			}
		}
		if r.MinSignificance < 0 || r.MinSignificance > 1 {
			add(fmt.Sprintf("min_significance: %g is out of range (0 to 1)", r.MinSignificance))
		}
		for _, d := range []struct {
			field, value string
			out          *time.Duration
		}{{"max_age", r.MaxAge, &n.MaxAge}, {"backoff", r.Backoff, &n.Backoff}, {"timeout", r.Timeout, &n.Timeout}} {
			if d.value == "" {
				continue
			}
			v, err := parseDuration(d.value)
			if err != nil {
				add(d.field + ": " + err.Error())
				continue
			}
			*d.out = v
		}
		if n.Timeout <= 0 {
			n.Timeout = DefaultNotifyTimeout
		}
		*out = append(*out, n)
	}
	return p
}
