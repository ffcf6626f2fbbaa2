package diff

import (
	"reflect"
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
