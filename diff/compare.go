package diff

import "github.com/pubwatch/pubwatch/snapshot"

// Fields that can change on an item, in the order reports list them.
const (
	FieldTitle   = "title"
	FieldURL     = "url"
	FieldDate    = "date"
	FieldSummary = "summary"
	FieldBody    = "body"
)

// Change is an item present in both snapshots with at least one field that
// differs.
type Change struct {
	Item     snapshot.Item
	Previous snapshot.Item
	// Fields lists the fields that differ, in the order of the Field
	// constants; Diffs holds the diff of each.
	Fields []string
	Diffs  map[string][]Op
}

// ChangeSet is what changed between two snapshots of one source.
type ChangeSet struct {
	// New items, in the order of the current snapshot.
	New []snapshot.Item
	// Changed items, in the order of the current snapshot.
	Changed []Change
	// Removed items, in the order of the previous snapshot.
	Removed []snapshot.Item
	// Reasons says, by item key, why an item was removed: a listing item
	// is "no longer listed"; a followed article may be "deleted: HTTP 404"
	// or "redirects to the home page".
	Reasons map[string]string
}

// Reason returns why an item was removed.
func (cs *ChangeSet) Reason(it snapshot.Item) string { return cs.Reasons[it.Key()] }

// Reasons for removals.
const (
	ReasonUnlisted = "no longer listed"
)

// Empty reports whether nothing changed.
func (cs *ChangeSet) Empty() bool {
	return len(cs.New) == 0 && len(cs.Changed) == 0 && len(cs.Removed) == 0
}

// Compare returns the change set from prev to cur. Items are matched by kind
// and identity; their order is not content.
func Compare(prev, cur *snapshot.Snapshot) ChangeSet {
	var cs ChangeSet
	old := make(map[string]snapshot.Item, len(prev.Items))
	for _, it := range prev.Items {
		old[it.Key()] = it
	}
	seen := make(map[string]bool, len(cur.Items))
	for _, it := range cur.Items {
		k := it.Key()
		seen[k] = true
		p, ok := old[k]
		if !ok {
			cs.New = append(cs.New, it)
			continue
		}
		if c, changed := compareItem(p, it); changed {
			cs.Changed = append(cs.Changed, c)
		}
	}
	unlisted := map[string]bool{}
	for _, it := range prev.Items {
		if !seen[it.Key()] && (it.Kind == snapshot.KindListing || it.Kind == snapshot.KindFeed) {
			unlisted[it.URL] = true
		}
	}
	for _, it := range prev.Items {
		k := it.Key()
		if seen[k] {
			continue
		}
		reason := cur.Gone[k]
		switch {
		case reason != "":
		case it.Kind == snapshot.KindListing || it.Kind == snapshot.KindFeed:
			reason = ReasonUnlisted
		case it.Followed() && unlisted[it.URL]:
			// Its item left the listing, which is the event; the article
			// itself is simply no longer followed.
			continue
		}
		cs.Removed = append(cs.Removed, it)
		if reason != "" {
			if cs.Reasons == nil {
				cs.Reasons = map[string]string{}
			}
			cs.Reasons[k] = reason
		}
	}
	return cs
}

func compareItem(prev, cur snapshot.Item) (Change, bool) {
	c := Change{Item: cur, Previous: prev}
	for _, f := range []struct {
		name     string
		old, new string
	}{
		{FieldTitle, prev.Title, cur.Title},
		{FieldURL, prev.URL, cur.URL},
		{FieldDate, prev.Date, cur.Date},
		{FieldSummary, prev.Summary, cur.Summary},
		{FieldBody, prev.Body, cur.Body},
	} {
		if f.old == f.new {
			continue
		}
		if c.Diffs == nil {
			c.Diffs = map[string][]Op{}
		}
		c.Fields = append(c.Fields, f.name)
		c.Diffs[f.name] = Text(f.old, f.new)
	}
	return c, len(c.Fields) > 0
}
