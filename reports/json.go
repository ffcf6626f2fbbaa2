package reports

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"time"

	"github.com/pubwatch/pubwatch/diff"
	"github.com/pubwatch/pubwatch/snapshot"
)

// The JSON report schema. Field names and meanings are stable; new fields
// may be added. Lists are always arrays, never null.
type jsonRun struct {
	RunID      string          `json:"run_id"`
	StartedAt  string          `json:"started_at"`
	FinishedAt string          `json:"finished_at"`
	Attention  []jsonAttention `json:"attention"`
	Sources    []jsonSource    `json:"sources"`
}

type jsonAttention struct {
	Source string `json:"source"`
	URL    string `json:"url"`
	State  string `json:"state"`
	Since  string `json:"since"`
	Checks int    `json:"checks"`
	Why    string `json:"why"`
}

type jsonSource struct {
	Name               string        `json:"name"`
	URL                string        `json:"url"`
	Status             string        `json:"status"`
	Error              string        `json:"error"`
	Reason             string        `json:"reason,omitempty"`
	FailingSince       string        `json:"failing_since,omitempty"`
	Failures           int           `json:"failures,omitempty"`
	SnapshotID         int64         `json:"snapshot_id"`
	PreviousSnapshotID int64         `json:"previous_snapshot_id"`
	Items              int           `json:"items"`
	Transition         string        `json:"transition,omitempty"`
	FoundByRun         string        `json:"found_by_run,omitempty"`
	FoundAt            string        `json:"found_at,omitempty"`
	New                []jsonItem    `json:"new"`
	Changed            []jsonChange  `json:"changed"`
	Removed            []jsonRemoved `json:"removed"`
	Reappeared         []jsonItem    `json:"reappeared"`
	Moved              []jsonMove    `json:"moved"`
	Suppressed         []jsonChange  `json:"suppressed"`
}

type jsonMove struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	URL   string `json:"url"`
	From  int    `json:"from"`
	To    int    `json:"to"`
}

type jsonItem struct {
	ID        string `json:"id"`
	Kind      string `json:"kind"`
	Title     string `json:"title"`
	URL       string `json:"url"`
	Date      string `json:"date"`
	Published string `json:"published,omitempty"`
	Summary   string `json:"summary"`
}

type jsonChange struct {
	ID           string               `json:"id"`
	Kind         string               `json:"kind"`
	Title        string               `json:"title"`
	URL          string               `json:"url"`
	Fields       []string             `json:"fields"`
	Summary      string               `json:"summary"`
	Significance float64              `json:"significance"`
	Reason       string               `json:"reason,omitempty"`
	Diffs        map[string][]diff.Op `json:"diffs"`
}

func toJSONChange(c diff.Change, reason string) jsonChange {
	return jsonChange{ID: c.Item.ID, Kind: c.Item.Kind, Title: c.Item.Title, URL: SafeURL(c.Item.URL), Fields: c.Fields,
		Summary: c.Summary, Significance: float64(int(c.Significance*100+0.5)) / 100, Reason: reason, Diffs: c.Diffs}
}

func toJSONItem(it snapshot.Item) jsonItem {
	return jsonItem{ID: it.ID, Kind: it.Kind, Title: it.Title, URL: SafeURL(it.URL), Date: it.Date, Published: it.Published, Summary: it.Summary}
}

type jsonRemoved struct {
	ID     string `json:"id"`
	Kind   string `json:"kind"`
	Title  string `json:"title"`
	URL    string `json:"url"`
	Reason string `json:"reason,omitempty"`
}

func jsonTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func toJSONSource(s Source) jsonSource {
	cs := s.Changes
	// Lists are never null in the JSON: mapped gives empty ones.
	return jsonSource{
		Name: s.Name, URL: s.URL, Status: s.Status, Error: s.Error, Reason: s.Reason,
		FailingSince: jsonTime(s.FailingSince), Failures: s.Failures,
		SnapshotID: s.SnapshotID, PreviousSnapshotID: s.PreviousSnapshotID, Items: s.Items,
		Transition: s.Transition, FoundByRun: s.FoundBy, FoundAt: jsonTime(s.FoundAt),
		New:        mapped(cs.New, toJSONItem),
		Reappeared: mapped(cs.Reappeared, toJSONItem),
		Changed:    mapped(cs.Changed, func(c diff.Change) jsonChange { return toJSONChange(c, "") }),
		Suppressed: mapped(cs.Suppressed, func(c diff.Suppressed) jsonChange { return toJSONChange(c.Change, c.Reason) }),
		Moved: mapped(cs.Moved, func(m diff.Move) jsonMove {
			return jsonMove{ID: m.Item.ID, Title: m.Item.Title, URL: SafeURL(m.Item.URL), From: m.From, To: m.To}
		}),
		Removed: mapped(cs.Removed, func(it snapshot.Item) jsonRemoved {
			return jsonRemoved{ID: it.ID, Kind: it.Kind, Title: it.Title, URL: SafeURL(it.URL), Reason: cs.Reason(it)}
		}),
	}
}

// JSON writes the run as JSON in the documented schema (jsonRun), indented
// by two spaces. It writes one source at a time, so that a run of thousands
// of changed sources is not held in memory a second time as JSON.
func JSON(w io.Writer, r *Run) error { return Render(w, FormatJSON, r) }

type jsonSink struct {
	w       *bufio.Writer
	sources int // how many the run has
}

func (j *jsonSink) begin(r *Run) error {
	j.sources = len(r.Sources)
	attention := make([]jsonAttention, len(r.Attention))
	for i, a := range r.Attention {
		attention[i] = jsonAttention{Source: a.Source, URL: a.URL, State: a.State, Since: jsonTime(a.Since), Checks: a.Checks, Why: a.Why}
	}
	head, err := json.Marshal(jsonRun{RunID: r.ID, StartedAt: jsonTime(r.StartedAt), FinishedAt: jsonTime(r.FinishedAt), Attention: attention})
	if err != nil {
		return err
	}
	// head ends with "sources":null}; what comes before it is the run's
	// own fields.
	head = head[:bytes.LastIndexByte(head[:len(head)-1], ',')]
	var fields bytes.Buffer
	if err := json.Indent(&fields, append(head, '}'), "", "  "); err != nil {
		return err
	}
	j.w.Write(fields.Bytes()[:fields.Len()-2]) // without "\n}"
	if j.sources == 0 {
		j.w.WriteString(",\n  \"sources\": []")
	} else {
		j.w.WriteString(",\n  \"sources\": [\n")
	}
	return nil
}

func (j *jsonSink) source(i int, s *Source) error {
	b, err := json.MarshalIndent(toJSONSource(*s), "    ", "  ")
	if err != nil {
		return err
	}
	j.w.WriteString("    ")
	j.w.Write(b)
	if i < j.sources-1 {
		j.w.WriteByte(',')
	}
	j.w.WriteByte('\n')
	return nil
}

func (j *jsonSink) end() error {
	if j.sources > 0 {
		j.w.WriteString("  ]")
	}
	j.w.WriteString("\n}\n")
	return j.w.Flush()
}

// itemLabel is what reports call an item: its title, else its link, else
// its identity.
// ItemLabel is how reports name an item: its title, else its link, else
// its id.
func ItemLabel(it snapshot.Item) string { return itemLabel(it) }

func itemLabel(it snapshot.Item) string {
	switch {
	case it.Title != "":
		return it.Title
	case it.URL != "":
		return it.URL
	case it.Kind == snapshot.KindArticle:
		return "(article without title)"
	}
	return it.ID
}
