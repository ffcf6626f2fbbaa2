package diff

import (
	"reflect"
	"strings"
	"testing"

	"github.com/pubwatch/pubwatch/snapshot"
)

func item(id, title, date string) snapshot.Item {
	return snapshot.Item{Kind: snapshot.KindListing, ID: id, URL: id, Title: title, Date: date}
}

func keys(items []snapshot.Item) []string {
	var out []string
	for _, it := range items {
		out = append(out, it.ID)
	}
	return out
}

func TestCompare(t *testing.T) {
	prev := &snapshot.Snapshot{Items: []snapshot.Item{
		item("https://x.org/a", "A", "1 Dec"),
		item("https://x.org/b", "B", "2 Dec"),
		item("https://x.org/c", "C", "3 Dec"),
		{Kind: snapshot.KindArticle, ID: "article", Title: "T", Body: "One.\nTwo."},
	}}
	cur := &snapshot.Snapshot{Items: []snapshot.Item{
		item("https://x.org/d", "D", "4 Dec"),
		item("https://x.org/c", "C", "3 Dec"), // moved up: not an event
		item("https://x.org/a", "A retitled", "1 Dec"),
		{Kind: snapshot.KindArticle, ID: "article", Title: "T", Body: "One.\nTwo!"},
		// Same identity but another kind: a separate item.
		{Kind: snapshot.KindArticle, ID: "https://x.org/c", Title: "C article"},
	}}
	cs := Compare(prev, cur)
	if got := keys(cs.New); !reflect.DeepEqual(got, []string{"https://x.org/d", "https://x.org/c"}) {
		t.Errorf("new = %v", got)
	}
	if got := keys(cs.Removed); !reflect.DeepEqual(got, []string{"https://x.org/b"}) {
		t.Errorf("removed = %v", got)
	}
	if len(cs.Changed) != 2 {
		t.Fatalf("changed = %+v, want 2", cs.Changed)
	}
	a, art := cs.Changed[0], cs.Changed[1]
	if a.Item.ID != "https://x.org/a" || !reflect.DeepEqual(a.Fields, []string{FieldTitle}) ||
		!reflect.DeepEqual(a.Diffs[FieldTitle], []Op{{OpEqual, "A"}, {OpInsert, " retitled"}}) {
		t.Errorf("retitled item: %+v", a)
	}
	if art.Item.ID != "article" || !reflect.DeepEqual(art.Fields, []string{FieldBody}) || art.Previous.Body != "One.\nTwo." {
		t.Errorf("article change: %+v", art)
	}
	if cs.Empty() {
		t.Error("Empty() on a change set with events")
	}
	if same := Compare(prev, prev); !same.Empty() {
		t.Errorf("a snapshot compared with itself: %+v", same)
	}
}

func TestReappearedMovesAndMinChange(t *testing.T) {
	a, b, c := item("https://x.org/a", "Alpha Story Here", "1 Dec"), item("https://x.org/b", "Beta Story Here", "2 Dec"), item("https://x.org/c", "Gamma Story Here", "3 Dec")
	s1 := &snapshot.Snapshot{Items: []snapshot.Item{a, b, c}}
	d := item("https://x.org/d", "Delta Story Here", "4 Dec")
	s1.Items = append(s1.Items, d)
	s2 := &snapshot.Snapshot{Items: []snapshot.Item{a, c, d}}
	cs := Compare(s1, s2)
	s2.Tombstones = Tombstones(s1, cs)
	if len(cs.Removed) != 1 || len(s2.Tombstones) != 1 {
		t.Fatalf("removal: %+v, tombstones %+v", cs.Removed, s2.Tombstones)
	}
	s3 := &snapshot.Snapshot{Items: []snapshot.Item{b, c, d, a}}
	cs = CompareWith(s2, s3, Options{ReportMoves: true})
	if len(cs.New) != 0 || len(cs.Reappeared) != 1 || cs.Reappeared[0].ID != b.ID {
		t.Errorf("b came back: new %+v reappeared %+v", cs.New, cs.Reappeared)
	}
	if len(cs.Moved) != 1 || cs.Moved[0].Item.ID != a.ID {
		t.Errorf("moves: %+v, want a moved behind c and d", cs.Moved)
	}
	if Compare(s2, s3).Moved != nil {
		t.Error("moves reported without ReportMoves")
	}

	// A one-word summary edit under min_change 3 is suppressed, with the
	// reason; a retitle is not.
	s4 := &snapshot.Snapshot{Items: []snapshot.Item{b, c, d, a}}
	s4.Items[0].Summary, s4.Items[1].Title = "x", "Gamma Story Here Revised Twice Over"
	s3.Items[0].Summary = "y"
	cs = CompareWith(s3, s4, Options{MinChange: 3})
	if len(cs.Suppressed) != 1 || cs.Suppressed[0].Item.ID != b.ID || !strings.Contains(cs.Suppressed[0].Reason, "min_change 3") {
		t.Errorf("suppressed: %+v", cs.Suppressed)
	}
	if len(cs.Changed) != 1 || cs.Changed[0].Summary != "headline changed" {
		t.Errorf("changed: %+v", cs.Changed)
	}
}

func TestURLMigration(t *testing.T) {
	prev := &snapshot.Snapshot{Items: []snapshot.Item{item("https://x.org/old/a.html", "Delegation Returns Home After Talks", "2 Dec"), item("https://x.org/b", "Other", "3 Dec")}}
	cur := &snapshot.Snapshot{Items: []snapshot.Item{item("https://x.org/new/a.html", "Delegation Returns Home After Talks", "2 Dec"), item("https://x.org/b", "Other", "3 Dec")}}
	cs := Compare(prev, cur)
	if len(cs.New) != 0 || len(cs.Removed) != 0 || len(cs.Changed) != 1 || !reflect.DeepEqual(cs.Changed[0].Fields, []string{FieldURL}) {
		t.Errorf("migration: %+v", cs)
	}
	// Another date: two different items.
	cur.Items[0].Date = "9 Dec"
	if cs := Compare(prev, cur); len(cs.New) != 1 || len(cs.Removed) != 1 {
		t.Errorf("not a migration: %+v", cs)
	}
}

// Compatibility forms are noise: a full-width question mark is a question
// mark.
func TestNFKCIsNotAChange(t *testing.T) {
	prev := &snapshot.Snapshot{Items: []snapshot.Item{item("https://x.org/a", "宇航员在太空中喝酒会怎么样？", "")}}
	cur := &snapshot.Snapshot{Items: []snapshot.Item{item("https://x.org/a", "宇航员在太空中喝酒会怎么样?", "")}}
	if cs := Compare(prev, cur); !cs.Empty() {
		t.Errorf("NFKC-equal titles reported: %+v", cs.Changed)
	}
}

func TestMovedParagraph(t *testing.T) {
	a := "First paragraph about the budget.\nSecond paragraph about the harbour.\nThird paragraph about the railway.\nFourth paragraph about the school."
	b := "First paragraph about the budget.\nThird paragraph about the railway.\nFourth paragraph about the school.\nSecond paragraph about the harbour."
	prev := &snapshot.Snapshot{Items: []snapshot.Item{{Kind: snapshot.KindArticle, ID: "article", Body: a}}}
	cur := &snapshot.Snapshot{Items: []snapshot.Item{{Kind: snapshot.KindArticle, ID: "article", Body: b}}}
	cs := Compare(prev, cur)
	if len(cs.Changed) != 1 || cs.Changed[0].Summary != "1 paragraph moved" || cs.Changed[0].Words != 0 {
		t.Errorf("moved paragraph: %+v", cs.Changed)
	}
	cs = CompareWith(prev, cur, Options{MinChange: 1})
	if len(cs.Suppressed) != 1 {
		t.Errorf("a move with min_change is a suppressed change: %+v", cs)
	}
}

// Paragraphs broken otherwise, with the same words, are the same text: an
// extractor's or a site's new line breaks are not an edit.
func TestSameIgnoresWhiteSpace(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"One paragraph. Another one.", "One paragraph.\nAnother one.", true},
		{"  lead\tand\u00a0tail \n", "lead and tail", true},
		{"", " \n ", true},
		{"word", "words", false},
		{"two words", "twowords", false},
		{"a b", "a b c", false},
		{"ﬁnance", "finance", true}, // NFKC
	} {
		if got := same(c.a, c.b); got != c.want {
			t.Errorf("same(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}

func FuzzSameWords(f *testing.F) {
	f.Add("One paragraph. Another one.", "One paragraph.\nAnother one.")
	f.Add(" a\u00a0b ", "a b")
	f.Fuzz(func(t *testing.T, a, b string) {
		if got, want := sameWords(a, b), strings.Join(strings.Fields(a), " ") == strings.Join(strings.Fields(b), " "); got != want {
			t.Fatalf("sameWords(%q, %q) = %v, want %v", a, b, got, want)
		}
	})
}
