package reports

import (
	"bytes"
	"encoding/json"
	"flag"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pubwatch/pubwatch/diff"
	"github.com/pubwatch/pubwatch/snapshot"
)

var update = flag.Bool("update", false, "rewrite golden files")

func li(id, title, date, summary string) snapshot.Item {
	return snapshot.Item{Kind: snapshot.KindListing, ID: id, URL: id, Title: title, Date: date, Summary: summary}
}

// sampleRun has every kind of outcome and event, including hostile text.
func sampleRun() *Run {
	start := time.Date(2025, 12, 17, 8, 0, 0, 0, time.UTC)
	longPrev := strings.Repeat("An unchanged paragraph about the budget of the state and its provinces.\n", 6) +
		"The law was adopted by the assembly.\n" +
		strings.Repeat("Another unchanged paragraph that follows the edit in the article body.\n", 6)
	longCur := strings.Replace(longPrev, "adopted", "approved", 1)
	return &Run{
		ID: "0123456789ab", StartedAt: start, FinishedAt: start.Add(3 * time.Second),
		Sources: []Source{
			{
				Name: "agency-news", URL: "https://news.example.org/politics/", Status: StatusChanged,
				SnapshotID: 7, PreviousSnapshotID: 4, Items: 3,
				Changes: diff.ChangeSet{
					New: []snapshot.Item{
						li("https://news.example.org/d.html", `Decree <script>alert(1)</script> & "quotes"`, "December 18, 2025", "A *bold* [claim](javascript:alert(2))"),
						li("title:no link", "No <b>link</b>", "", ""),
						{Kind: snapshot.KindListing, ID: "js", URL: "javascript:alert(3)", Title: "JS"},
					},
					Changed: []diff.Change{
						{
							Item:     li("https://news.example.org/a.html", "Delegation Arrives", "December 17, 2025", ""),
							Previous: li("https://news.example.org/a.html", "Delegation Leaves", "December 17, 2025", ""),
							Fields:   []string{diff.FieldTitle},
							Diffs:    map[string][]diff.Op{diff.FieldTitle: diff.Text("Delegation Leaves", "Delegation Arrives")},
							Summary:  "headline changed", Significance: 0.55,
						},
						{
							Item:    snapshot.Item{Kind: snapshot.KindArticle, ID: "article", URL: "https://news.example.org/politics/", Title: "Plenary Meeting", Body: longCur},
							Fields:  []string{diff.FieldBody},
							Diffs:   map[string][]diff.Op{diff.FieldBody: diff.Text(longPrev, longCur)},
							Summary: "1 paragraph edited, 1 word changed", Significance: 0.05,
						},
					},
					Removed:    []snapshot.Item{li("https://news.example.org/b.html", "Trade Agreement Signed", "December 16, 2025", "")},
					Reasons:    map[string]string{"listing https://news.example.org/b.html": "no longer listed"},
					Reappeared: []snapshot.Item{li("https://news.example.org/c.html", "Meeting Marks Anniversary", "December 14, 2025", "")},
					Moved:      []diff.Move{{Item: li("https://news.example.org/e.html", "Harvest Completed", "", ""), From: 5, To: 0}},
					Suppressed: []diff.Suppressed{{Change: diff.Change{
						Item:    li("https://news.example.org/f.html", "Rail Line Opens", "December 12, 2025", ""),
						Fields:  []string{diff.FieldSummary},
						Diffs:   map[string][]diff.Op{diff.FieldSummary: diff.Text("The line opens today.", "The line opens today!")},
						Summary: "summary edited", Significance: 0.01,
					}, Reason: "0 words; under min_change 3"}},
				},
			},
			{Name: "agency-lite", URL: "https://lite.example.org/", Status: StatusSuspect, Reason: "the page looks like a CAPTCHA or bot check", Items: 0},
			{Name: "agency-home", URL: "https://news.example.org/", Status: StatusUnchanged, SnapshotID: 3, PreviousSnapshotID: 3, Items: 20},
			{Name: "new-source", URL: "/srv/pages/press.html", Status: StatusFirst, SnapshotID: 8, Items: 12},
			{Name: "broken", URL: "https://gone.example.org/", Status: StatusError, Error: `fetching https://gone.example.org/: HTTP 503 Service Unavailable <retry>`,
				FailingSince: start.Add(-time.Hour)},
		},
	}
}

func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -update creates it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it); got:\n%s", name, got)
	}
}

func TestGolden(t *testing.T) {
	for _, f := range []string{FormatHTML, FormatMarkdown, FormatJSON} {
		t.Run(f, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Render(&buf, f, sampleRun()); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, "sample."+extension(f), buf.Bytes())
		})
	}
}

func TestHTMLIsInert(t *testing.T) {
	var buf bytes.Buffer
	if err := HTML(&buf, sampleRun()); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, bad := range []string{"<script", "<b>", "onerror"} {
		if strings.Contains(out, bad) {
			t.Errorf("HTML report contains %q", bad)
		}
	}
	if !strings.Contains(out, `Decree &lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;quotes&#34;`) {
		t.Error("hostile title not shown escaped")
	}
	// Every href is an http(s) URL.
	for _, m := range regexp.MustCompile(`href="([^"]*)"`).FindAllStringSubmatch(out, -1) {
		if !strings.HasPrefix(m[1], "https://") && !strings.HasPrefix(m[1], "http://") {
			t.Errorf("link %q in the HTML report", m[1])
		}
	}
}

// Page text in any direction is set apart from the report's own: an
// Arabic or Hebrew title keeps its order, and the date and the report's
// words beside it keep theirs.
func TestHTMLIsolatesPageText(t *testing.T) {
	run := &Run{ID: "r", Sources: []Source{{Name: "sana", URL: "https://agency.example.sy/", Status: StatusChanged,
		Changes: diff.ChangeSet{
			New: []snapshot.Item{li("https://agency.example.sy/1.html", "الرئيس يستقبل وفداً (2025)", "17 ديسمبر 2025", "نص الخبر.")},
			Changed: []diff.Change{{
				Item:     li("https://agency.example.sy/2.html", "اجتماع الحكومة", "", ""),
				Previous: li("https://agency.example.sy/2.html", "اجتماع الوزراء", "", ""),
				Fields:   []string{diff.FieldTitle},
				Diffs:    map[string][]diff.Op{diff.FieldTitle: diff.Text("اجتماع الوزراء", "اجتماع الحكومة")},
				Summary:  "headline changed",
			}},
		}}}}
	var buf bytes.Buffer
	if err := HTML(&buf, run); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		`<bdi>الرئيس يستقبل وفداً (2025)</bdi></a> <bdi class="date">17 ديسمبر 2025</bdi>`,
		`<p class="summary" dir="auto">نص الخبر.</p>`,
		`<p dir="auto">اجتماع <del>`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("HTML report lacks %s", want)
		}
	}
}

func TestMarkdownIsInert(t *testing.T) {
	var buf bytes.Buffer
	if err := Markdown(&buf, sampleRun()); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if strings.Contains(out, "javascript:") && !strings.Contains(out, `\[claim\](javascript:alert(2))`) {
		t.Error("a javascript: link is live in the Markdown report")
	}
	// The report's own markup: autolinks and the suppressed section.
	own := regexp.MustCompile(`<https?://[^<>\s]*>|(?m)^<details><summary>|</summary>$|^</details>$`)
	if m := regexp.MustCompile(`(^|[^\\])<[a-zA-Z/]`).FindString(own.ReplaceAllString(out, "")); m != "" {
		t.Errorf("unescaped markup %q in the Markdown report", m)
	}
}

func TestJSONSchema(t *testing.T) {
	var buf bytes.Buffer
	if err := JSON(&buf, sampleRun()); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	src := doc["sources"].([]any)[1].(map[string]any)
	for _, key := range []string{"new", "changed", "removed"} {
		if list, ok := src[key].([]any); !ok || len(list) != 0 {
			t.Errorf("unchanged source: %q is %v, want an empty array", key, src[key])
		}
	}
	first := doc["sources"].([]any)[0].(map[string]any)["new"].([]any)
	if u := first[2].(map[string]any)["url"]; u != "" {
		t.Errorf("javascript: URL kept in JSON as %q", u)
	}
}

// An edit in a long body shows the edited paragraph with one paragraph of
// context on each side, and marks what is left out.
func TestDisplayLinesKeepContext(t *testing.T) {
	prev := "P1.\nP2.\nP3.\nThe law was adopted.\nP5.\nP6.\nP7."
	cur := strings.Replace(prev, "adopted", "approved", 1)
	lines := displayLines(diff.Text(prev, cur))
	var got []string
	for _, l := range lines {
		if l.Gap {
			got = append(got, "…")
			continue
		}
		got = append(got, diff.New(l.Ops))
	}
	want := []string{"…", "P3.", "The law was approved.", "P5.", "…"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("display lines %q, want %q", got, want)
	}
}

func FuzzMarkdownEscape(f *testing.F) {
	f.Add(`<script>alert(1)</script> [x](javascript:y) *a* _b_ \<`)
	f.Fuzz(func(t *testing.T, s string) {
		out := mdEscape(s)
		if strings.ContainsAny(out, "\n\r") {
			t.Fatalf("line break in escaped %q", out)
		}
		for i := 0; i < len(out); i++ {
			if strings.IndexByte("<>[]`*_", out[i]) >= 0 {
				// Count the backslashes before it: an odd number escapes it.
				n := 0
				for j := i - 1; j >= 0 && out[j] == '\\'; j-- {
					n++
				}
				if n%2 == 0 {
					t.Fatalf("unescaped %q at %d in %q", out[i], i, out)
				}
			}
		}
	})
}

// A run without sources (every source skipped) is still a valid report,
// with an empty list of sources, not null.
func TestJSONEmptyRun(t *testing.T) {
	var buf bytes.Buffer
	start := time.Date(2025, 12, 17, 8, 0, 0, 0, time.UTC)
	if err := JSON(&buf, &Run{ID: "r1", StartedAt: start, FinishedAt: start}); err != nil {
		t.Fatal(err)
	}
	want := "{\n  \"run_id\": \"r1\",\n  \"started_at\": \"2025-12-17T08:00:00Z\",\n  \"finished_at\": \"2025-12-17T08:00:00Z\",\n  \"attention\": [],\n  \"sources\": []\n}\n"
	if buf.String() != want {
		t.Errorf("got\n%s\nwant\n%s", buf.String(), want)
	}
}

// Packed sources render exactly as unpacked ones, count the same, and
// unpack to what they were.
func TestPackedRun(t *testing.T) {
	plain, packed := sampleRun(), sampleRun()
	for i := range packed.Sources {
		if err := packed.Sources[i].Pack(); err != nil {
			t.Fatal(err)
		}
	}
	if packed.Sources[0].packed == nil || len(packed.Sources[0].Changes.New) != 0 {
		t.Fatal("the changed source was not packed")
	}
	if got, want := packed.Counts(), plain.Counts(); got != want {
		t.Errorf("counts of the packed run %+v, want %+v", got, want)
	}
	for i := range plain.Sources {
		if got, want := packed.Sources[i].Summary(), plain.Sources[i].Summary(); got != want {
			t.Errorf("summary of source %d: %q, want %q", i, got, want)
		}
		u, err := packed.Sources[i].Unpacked()
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(u.Changes, plain.Sources[i].Changes) {
			t.Errorf("source %d unpacks to\n%+v\nwant\n%+v", i, u.Changes, plain.Sources[i].Changes)
		}
	}
	for _, f := range []string{FormatHTML, FormatMarkdown, FormatJSON} {
		var buf bytes.Buffer
		if err := Render(&buf, f, packed); err != nil {
			t.Fatal(err)
		}
		checkGolden(t, "sample."+extension(f), buf.Bytes())
	}
}

// A source Pack cannot encode keeps its changes as they are: packing only
// saves memory, it must never lose a change.
func TestPackFailureKeepsChanges(t *testing.T) {
	s := Source{Name: "odd", Status: StatusChanged, Changes: diff.ChangeSet{Changed: []diff.Change{{
		Item: li("https://x.org/a", "A", "", ""), Summary: "edited", Significance: math.NaN()}}}}
	if err := s.Pack(); err == nil {
		t.Fatal("Pack encoded a NaN significance")
	}
	if s.packed != nil || len(s.Changes.Changed) != 1 {
		t.Errorf("after a failed Pack: packed %d bytes, %d changes left", len(s.packed), len(s.Changes.Changed))
	}
	if got := s.Summary(); !strings.HasPrefix(got, "0 new, 1 changed") {
		t.Errorf("summary after a failed Pack: %q", got)
	}
}

// Write renders every format in one pass over the (packed) sources: each
// file is what Render writes for its format alone, latest.* are copies, and
// no temporary file is left.
func TestWriteAllFormats(t *testing.T) {
	dir := t.TempDir()
	r := sampleRun()
	for i := range r.Sources {
		if err := r.Sources[i].Pack(); err != nil {
			t.Fatal(err)
		}
	}
	formats := []string{FormatHTML, FormatMarkdown, FormatJSON}
	if err := Write(dir, r, formats, nil); err != nil {
		t.Fatal(err)
	}
	for _, f := range formats {
		var want bytes.Buffer
		if err := Render(&want, f, r); err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{filepath.Join(r.DirName(), "report."+extension(f)), "latest." + extension(f)} {
			got, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want.Bytes()) {
				t.Errorf("%s differs from the %s Render writes", name, f)
			}
		}
	}
	assertNoTemporaries(t, dir)
}

// A run whose reports cannot be rendered leaves no report, half or whole,
// and no temporary file.
func TestWriteFailureLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	r := sampleRun()
	r.Sources[0].packed = []byte("not S2") // unpacking fails after the first formats began
	err := Write(dir, r, []string{FormatHTML, FormatMarkdown, FormatJSON}, nil)
	if err == nil || !strings.Contains(err.Error(), "unpacking the changes of") {
		t.Fatalf("Write with a corrupt source: %v", err)
	}
	if err := Write(dir, sampleRun(), []string{FormatHTML, "pdf"}, nil); err == nil || !strings.Contains(err.Error(), `unknown report format "pdf"`) {
		t.Fatalf("Write with an unknown format: %v", err)
	}
	err = filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			t.Errorf("left behind: %s", path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func assertNoTemporaries(t *testing.T, dir string) {
	t.Helper()
	filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err == nil && strings.HasPrefix(info.Name(), ".") {
			t.Errorf("temporary file left: %s", path)
		}
		return err
	})
}

// What needs attention leads every format, with the page's words (an
// error page's text in the reason) escaped like everything else.
func TestAttentionLeadsEveryFormat(t *testing.T) {
	start := time.Date(2025, 12, 17, 8, 0, 0, 0, time.UTC)
	r := &Run{ID: "r1", StartedAt: start, FinishedAt: start,
		Attention: []Attention{{Source: "kcna", URL: "https://kcna.example/", State: "suspect", Since: start.Add(-26 * time.Hour), Checks: 5,
			Why: `the page looks like an error page: <script>alert(1)</script> *bold*`}},
		Sources: []Source{{Name: "rodong", URL: "https://rodong.example/", Status: StatusUnchanged}}}
	for _, format := range []string{FormatHTML, FormatMarkdown, FormatJSON} {
		var buf bytes.Buffer
		if err := Render(&buf, format, r); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		at, first := strings.Index(out, "kcna"), strings.Index(out, "rodong")
		if at < 0 || first < 0 || at > first {
			t.Errorf("%s: the source needing attention does not come first:\n%s", format, out)
		}
		if strings.Contains(out, "<script>") {
			t.Errorf("%s: the reason is not escaped:\n%s", format, out)
		}
		if !strings.Contains(out, "5 checks in a row") && format != FormatJSON {
			t.Errorf("%s: no count of checks:\n%s", format, out)
		}
	}
	if got := r.Line(); !strings.Contains(got, "1 needs attention") {
		t.Errorf("line: %s", got)
	}
}
