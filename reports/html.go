package reports

import (
	"embed"
	"html/template"
	"io"
	"strings"
	"time"

	"github.com/pubwatch/pubwatch/diff"
	"github.com/pubwatch/pubwatch/snapshot"
)

//go:embed templates
var templateFS embed.FS

var templates = template.Must(template.New("").Funcs(template.FuncMap{
	"time":     func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05 UTC") },
	"join":     strings.Join,
	"failures": failureCount,
}).ParseFS(templateFS, "templates/*.html"))

var css = func() template.CSS {
	b, err := templateFS.ReadFile("templates/style.css")
	if err != nil {
		panic(err)
	}
	return template.CSS(b)
}()

// The view types hold what the templates show, with links already reduced
// to safe ones. html/template escapes every string in them.
type htmlItem struct {
	Label, Href, Date, Summary, Reason string
}

type htmlDiff struct {
	Field string
	Lines []diffLine
}

type htmlChange struct {
	Item    htmlItem
	Fields  []string
	Summary string
	Reason  string
	Diffs   []htmlDiff
}

type htmlMove struct {
	Item     htmlItem
	From, To int
}

type htmlSource struct {
	*Source
	Href       string
	New        []htmlItem
	Reappeared []htmlItem
	Changed    []htmlChange
	Removed    []htmlItem
	Moved      []htmlMove
	Suppressed []htmlChange
}

func viewChange(c diff.Change, reason string) htmlChange {
	hc := htmlChange{Item: viewItem(c.Item), Fields: c.Fields, Summary: c.Summary, Reason: reason}
	for _, f := range c.Fields {
		hc.Diffs = append(hc.Diffs, htmlDiff{Field: f, Lines: displayLines(c.Diffs[f])})
	}
	return hc
}

func viewItem(it snapshot.Item) htmlItem {
	return htmlItem{Label: itemLabel(it), Href: SafeURL(it.URL), Date: it.Date, Summary: it.Summary}
}

// HTML writes the run as one self-contained HTML page: inline CSS, no
// scripts, no external assets; a Content-Security-Policy forbids both.
func HTML(w io.Writer, r *Run) error { return Render(w, FormatHTML, r) }

// htmlSink writes the page a part at a time, so that a large run is never
// held (or viewed) as a whole.
type htmlSink struct{ w io.Writer }

func (h htmlSink) begin(r *Run) error {
	return templates.ExecuteTemplate(h.w, "report-head", struct {
		Run *Run
		CSS template.CSS
	}{r, css})
}

func (h htmlSink) source(_ int, s *Source) error {
	return templates.ExecuteTemplate(h.w, "report-source", viewSource(s))
}

func (h htmlSink) end() error { return templates.ExecuteTemplate(h.w, "report-foot", nil) }

func viewSource(s *Source) htmlSource {
	cs := s.Changes
	return htmlSource{Source: s, Href: SafeURL(s.URL),
		New:        mapped(cs.New, viewItem),
		Reappeared: mapped(cs.Reappeared, viewItem),
		Changed:    mapped(cs.Changed, func(c diff.Change) htmlChange { return viewChange(c, "") }),
		Suppressed: mapped(cs.Suppressed, func(c diff.Suppressed) htmlChange { return viewChange(c.Change, c.Reason) }),
		Moved:      mapped(cs.Moved, func(m diff.Move) htmlMove { return htmlMove{viewItem(m.Item), m.From + 1, m.To + 1} }),
		Removed: mapped(cs.Removed, func(it snapshot.Item) htmlItem {
			v := viewItem(it)
			v.Reason = cs.Reason(it)
			return v
		}),
	}
}

// IndexEntry is one run in the index of reports.
type IndexEntry struct {
	StartedAt    time.Time
	Sources      int
	Changed      int
	Errors       int
	NewItems     int
	ChangedItems int
	RemovedItems int
	// ReportDir is the run's folder, relative to the reports dir.
	ReportDir string
}

// Index writes the page that lists runs, newest first.
func Index(w io.Writer, runs []IndexEntry) error {
	return templates.ExecuteTemplate(w, "index.html", struct {
		CSS  template.CSS
		Runs []IndexEntry
	}{css, runs})
}
