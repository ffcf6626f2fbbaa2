package reports

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/pubwatch/pubwatch/snapshot"
)

// TestFoundByInterruptedRun: an entry of events found by an interrupted
// run says so in every format, and is not counted as one of the run's
// sources.
func TestFoundByInterruptedRun(t *testing.T) {
	at := time.Date(2025, 12, 17, 8, 0, 0, 0, time.UTC)
	r := &Run{ID: "bbbbbbbbbbbb", StartedAt: at, FinishedAt: at, Sources: []Source{
		{Name: "agency", URL: "https://news.example.org/", Status: StatusUnchanged, Items: 3, Transition: TransitionRecovered},
		{Name: "agency", URL: "https://news.example.org/", Status: StatusChanged, FoundBy: "aaaaaaaaaaaa", FoundAt: at.Add(-time.Hour)},
	}}
	r.Sources[1].Changes.New = []snapshot.Item{{Kind: snapshot.KindListing, ID: "u", URL: "https://news.example.org/1", Title: "Decree Issued"}}
	c := r.Counts()
	if c.Sources != 1 || c.Interrupted != 1 || c.New != 1 || c.Events != 2 {
		t.Errorf("counts %+v", c)
	}
	want := map[string][]string{
		FormatHTML:     {"Found by an interrupted run: aaaaaaaaaaaa at 2025-12-17 07:00:00 UTC; reported here", "Recovered:", "Decree Issued"},
		FormatMarkdown: {"*Found by an interrupted run: aaaaaaaaaaaa at 2025-12-17 07:00:00 UTC; reported here.*", "1 new, 0 changed, 0 removed\n", "Recovered:"},
		FormatJSON:     {`"found_by_run": "aaaaaaaaaaaa"`, `"found_at": "2025-12-17T07:00:00Z"`, `"transition": "recovered"`},
	}
	for format, wants := range want {
		var b bytes.Buffer
		if err := Render(&b, format, r); err != nil {
			t.Fatal(err)
		}
		for _, w := range wants {
			if !strings.Contains(b.String(), w) {
				t.Errorf("%s lacks %q:\n%s", format, w, b.String())
			}
		}
	}
}
