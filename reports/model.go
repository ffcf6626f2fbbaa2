package reports

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/pubwatch/pubwatch/diff"
)

// Source statuses.
const (
	StatusFirst     = "first"
	StatusUnchanged = "unchanged"
	StatusChanged   = "changed"
	StatusError     = "error"
	// StatusSuspect: the fetch worked but the page looks broken (an error
	// or captcha page, a listing that lost most of its items): nothing is
	// reported and the baseline stays.
	StatusSuspect = "suspect"
)

// Run is the outcome of checking some sources once: the one model every
// report format renders.
type Run struct {
	ID         string
	StartedAt  time.Time
	FinishedAt time.Time
	// Attention lists the sources that have been failing or suspect for
	// too long, as the store had them when the report was made: shown
	// first in every report and notification until they recover.
	Attention []Attention
	Sources   []Source
}

// Attention is a source that needs its user: failing or suspect for more
// checks in a row, or for longer, than its attention thresholds.
type Attention struct {
	Source string
	URL    string
	// State is "failing" or "suspect", as the last check left it.
	State  string
	Since  time.Time
	Checks int
	// Why is the last check's error or suspect reason.
	Why string
}

// Line says it in a sentence.
func (a Attention) Line() string {
	return fmt.Sprintf("%s: %s since %s (%s in a row): %s", a.Source, a.State,
		a.Since.UTC().Format("2006-01-02 15:04 UTC"), plural(a.Checks, "check"), a.Why)
}

// Source is one source's outcome in a run.
type Source struct {
	Name string
	// URL is the source's URL, or its file path.
	URL    string
	Status string
	Error  string
	// Reason explains a suspect check; an unchanged one that was not quite
	// (a state seen before); suspect checks accepted as the site's new
	// state; a zero-config source that watches its page's text.
	Reason string
	// FailingSince is when the source's current run of failures began;
	// Failures counts them.
	FailingSince time.Time
	Failures     int
	// SnapshotID is the snapshot this check produced or confirmed;
	// PreviousSnapshotID the one it was compared with.
	SnapshotID         int64
	PreviousSnapshotID int64
	// Items is how many items the source has now.
	Items   int
	Changes diff.ChangeSet

	// Transition is the event of the source itself this check found:
	// it began failing, turned suspect, or recovered ("": none).
	Transition string
	// FoundBy, when set, is the run that found this entry's events and
	// was interrupted before it reported them, at FoundAt: the entry is
	// reported by a later run.
	FoundBy string
	FoundAt time.Time

	// packed holds Changes, compressed, after Pack (pack.go); forgotten
	// says Forget dropped them. tally counts them either way.
	packed    []byte
	forgotten bool
	tally     Tally
}

// Transitions of a source, as events.
const (
	TransitionFailing   = "failing"
	TransitionSuspect   = "suspect"
	TransitionRecovered = "recovered"
	// TransitionAttention: the source has been failing or suspect for
	// longer than its attention thresholds.
	TransitionAttention = "attention"
)

// Counts sums up a run.
type Counts struct {
	Sources, Changed, Errors, First, Unchanged, Suspect int
	New, ChangedItems, Removed, Reappeared              int
	Moved, Suppressed                                   int
	// Baselines, Failing, TurnedSuspect, Recovered and Escalated count
	// those events in every entry, the interrupted runs' too.
	Baselines, Failing, TurnedSuspect, Recovered, Escalated int
	// Attention counts the sources that need attention.
	Attention int
	// Events counts every event the run reports; Interrupted the entries
	// found by interrupted runs (not counted as sources).
	Events, Interrupted int
}

// Counts sums up the run's sources and events.
func (r *Run) Counts() Counts {
	c := Counts{Attention: len(r.Attention)}
	for i := range r.Sources {
		s := &r.Sources[i]
		n := s.counts()
		c.New += n.New
		c.Reappeared += n.Reappeared
		c.ChangedItems += n.Changed
		c.Removed += n.Removed
		c.Moved += n.Moved
		c.Suppressed += n.Suppressed
		c.Events += n.Events()
		switch s.Transition {
		case TransitionFailing:
			c.Failing++
		case TransitionSuspect:
			c.TurnedSuspect++
		case TransitionRecovered:
			c.Recovered++
		case TransitionAttention:
			c.Escalated++
		}
		if s.Status == StatusFirst {
			c.Baselines++
		}
		if s.Transition != "" || s.Status == StatusFirst {
			c.Events++
		}
		if s.FoundBy != "" {
			c.Interrupted++
			continue
		}
		c.Sources++
		switch s.Status {
		case StatusChanged:
			c.Changed++
		case StatusError:
			c.Errors++
		case StatusFirst:
			c.First++
		case StatusUnchanged:
			c.Unchanged++
		case StatusSuspect:
			c.Suspect++
		}
	}
	return c
}

// Interesting reports whether the run found any change or error.
func (r *Run) Interesting() bool {
	c := r.Counts()
	return c.Changed > 0 || c.Errors > 0 || c.First > 0 || c.Suspect > 0 || c.Events > 0
}

// Summary is a one-line account of a source's outcome, used by the CLI and
// every report format.
func (s *Source) Summary() string {
	switch s.Status {
	case StatusError:
		return s.Error
	case StatusFirst:
		line := fmt.Sprintf("baseline: %s now tracked", plural(s.Items, "item"))
		if s.Reason != "" {
			line += "; " + s.Reason
		}
		return line
	case StatusSuspect:
		return "suspect, not trusted: " + s.Reason + "; the baseline stays"
	case StatusUnchanged:
		line := fmt.Sprintf("no changes (%s)", plural(s.Items, "item"))
		if n := s.counts().Suppressed; n > 0 {
			line += fmt.Sprintf("; %d small %s suppressed", n, map[bool]string{true: "change", false: "changes"}[n == 1])
		}
		if s.Reason != "" {
			line += "; " + s.Reason
		}
		return line
	}
	n := s.counts()
	line := fmt.Sprintf("%d new, %d changed, %d removed", n.New, n.Changed, n.Removed)
	if n.Reappeared > 0 {
		line += fmt.Sprintf(", %d reappeared", n.Reappeared)
	}
	if n.Moved > 0 {
		line += fmt.Sprintf(", %d moved", n.Moved)
	}
	if n := n.Suppressed; n > 0 {
		line += fmt.Sprintf(", %d suppressed", n)
	}
	if s.FoundBy == "" {
		// (The interrupted run's count of items is not known.)
		line += fmt.Sprintf(" (%s)", plural(s.Items, "item"))
	}
	if s.Reason != "" {
		line += "; " + s.Reason
	}
	return line
}

// Line is the run's one-line summary.
func (r *Run) Line() string {
	c := r.Counts()
	parts := []string{plural(c.Sources, "source")}
	if c.Changed > 0 {
		parts = append(parts, fmt.Sprintf("%d changed", c.Changed))
	}
	if c.First > 0 {
		parts = append(parts, fmt.Sprintf("%d new baseline", c.First))
	}
	if c.Unchanged > 0 {
		parts = append(parts, fmt.Sprintf("%d unchanged", c.Unchanged))
	}
	if c.Suspect > 0 {
		parts = append(parts, fmt.Sprintf("%d suspect", c.Suspect))
	}
	if c.Errors > 0 {
		parts = append(parts, plural(c.Errors, "error"))
	}
	if c.Attention > 0 {
		parts = append(parts, fmt.Sprintf("%d %s attention", c.Attention, map[bool]string{true: "needs", false: "need"}[c.Attention == 1]))
	}
	line := strings.Join(parts, ", ") + fmt.Sprintf("; items: %d new, %d changed, %d removed", c.New, c.ChangedItems, c.Removed)
	if c.Reappeared > 0 {
		line += fmt.Sprintf(", %d reappeared", c.Reappeared)
	}
	if c.Interrupted > 0 {
		line += fmt.Sprintf("; %d found by interrupted runs", c.Interrupted)
	}
	return line
}

// Notes are what a report says of the entry besides its status: which
// interrupted run found it, and that the source recovered.
func (s *Source) Notes() []string {
	var out []string
	if f := s.Found(); f != "" {
		out = append(out, "Found by an interrupted run: "+f[len("found by interrupted run "):]+"; reported here")
	}
	switch s.Transition {
	case TransitionRecovered:
		out = append(out, "Recovered: this check succeeded after failed or suspect ones")
	case TransitionAttention:
		out = append(out, "Needs attention: failing or suspect for longer than its attention thresholds")
	}
	return out
}

// Found says which interrupted run found the entry's events, and when
// ("" for the run's own).
func (s *Source) Found() string {
	if s.FoundBy == "" {
		return ""
	}
	return fmt.Sprintf("found by interrupted run %s at %s", s.FoundBy, s.FoundAt.UTC().Format("2006-01-02 15:04:05 UTC"))
}

func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// SafeURL returns u when it is an absolute http or https URL, else "": the
// only links a report carries.
func SafeURL(u string) string {
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
		return ""
	}
	return p.String()
}

// DirName is the folder name of a run's reports: its UTC start time, then
// its id.
func (r *Run) DirName() string {
	return r.StartedAt.UTC().Format("20060102T150405Z") + "-" + r.ID
}

// failureCount says how many checks in a row failed, when more than one.
func failureCount(n int) string {
	if n < 2 {
		return ""
	}
	return fmt.Sprintf(" (%d failed checks in a row)", n)
}

// mapped is the view of each of xs, in order: every format turns a
// change set's lists into its own types. It is never nil, so JSON lists
// are [] rather than null.
func mapped[T, U any](xs []T, view func(T) U) []U {
	out := make([]U, 0, len(xs))
	for _, x := range xs {
		out = append(out, view(x))
	}
	return out
}
