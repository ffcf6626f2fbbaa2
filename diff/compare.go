package diff

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/pubwatch/pubwatch/snapshot"
)

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
	// Summary says what changed in a few words ("1 paragraph edited,
	// 12 words changed, headline changed"); Significance rates it from
	// 0 (trivial) to 1; Words counts the words inserted or deleted.
	Summary      string
	Significance float64
	Words        int
}

// Move is an item that changed place in a listing.
type Move struct {
	Item     snapshot.Item
	From, To int
}

// Suppressed is a change too small to report, kept with the reason.
type Suppressed struct {
	Change
	Reason string
}

// ChangeSet is what changed between two snapshots of one source.
type ChangeSet struct {
	// New items, in the order of the current snapshot.
	New []snapshot.Item
	// Reappeared items were removed before and are back.
	Reappeared []snapshot.Item
	// Changed items, in the order of the current snapshot.
	Changed []Change
	// Removed items, in the order of the previous snapshot.
	Removed []snapshot.Item
	// Moved items (with Options.ReportMoves only).
	Moved []Move
	// Suppressed changes, smaller than Options.MinChange.
	Suppressed []Suppressed
	// Unfollowed are followed articles whose item left the listing: no
	// event of their own, but remembered in case they come back.
	Unfollowed []snapshot.Item
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

// Empty reports whether nothing worth reporting changed. Suppressed changes
// do not count.
func (cs *ChangeSet) Empty() bool {
	return len(cs.New) == 0 && len(cs.Changed) == 0 && len(cs.Removed) == 0 && len(cs.Reappeared) == 0 && len(cs.Moved) == 0
}

// Options tune Compare.
type Options struct {
	// MinChange: changes of fewer words are suppressed (0: none are).
	MinChange int
	// ReportMoves reports items that changed place.
	ReportMoves bool
	// MigrationSimilarity: a removed and a new listing item with the same
	// date and titles at least this alike (0 to 1) are one item whose link
	// changed. 0 turns matching off.
	MigrationSimilarity float64
}

// DefaultOptions are the options of a source that sets none.
var DefaultOptions = Options{MigrationSimilarity: 0.9}

// Compare returns the change set from prev to cur with the default options.
func Compare(prev, cur *snapshot.Snapshot) ChangeSet { return CompareWith(prev, cur, DefaultOptions) }

// CompareWith returns the change set from prev to cur. Items are matched
// by kind and identity; order is not content unless ReportMoves is set.
func CompareWith(prev, cur *snapshot.Snapshot, opts Options) ChangeSet {
	var cs ChangeSet
	old := make(map[string]snapshot.Item, len(prev.Items))
	for _, it := range prev.Items {
		old[it.Key()] = it
	}
	buried := make(map[string]bool, len(prev.Tombstones))
	for _, it := range prev.Tombstones {
		buried[it.Key()] = true
	}
	seen := make(map[string]bool, len(cur.Items))
	var changed []Change
	for _, it := range cur.Items {
		k := it.Key()
		seen[k] = true
		p, ok := old[k]
		switch {
		case !ok && buried[k]:
			cs.Reappeared = append(cs.Reappeared, it)
		case !ok:
			cs.New = append(cs.New, it)
		default:
			if c, diff := compareItem(p, it); diff {
				changed = append(changed, c)
			}
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
			cs.Unfollowed = append(cs.Unfollowed, it)
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
	if opts.MigrationSimilarity > 0 {
		changed = append(changed, matchMigrations(&cs, opts.MigrationSimilarity)...)
	}
	for _, c := range changed {
		if opts.MinChange > 0 && c.Words < opts.MinChange && !slices.Contains(c.Fields, FieldURL) {
			cs.Suppressed = append(cs.Suppressed, Suppressed{c, fmt.Sprintf("%s; under min_change %d", plural(c.Words, "word"), opts.MinChange)})
			continue
		}
		cs.Changed = append(cs.Changed, c)
	}
	if opts.ReportMoves {
		cs.Moved = moves(prev, cur)
	}
	return cs
}

// matchMigrations pairs removed and new listing items that are one item
// whose link changed: same date, titles at least threshold alike, and no
// other candidate as good. The pairs leave New and Removed and come back
// as changes.
func matchMigrations(cs *ChangeSet, threshold float64) []Change {
	var out []Change
	usedNew := map[int]bool{}
	moved := map[string]string{} // new URL -> old URL
	keepRemoved := cs.Removed[:0:0]
	for _, r := range cs.Removed {
		if r.Kind != snapshot.KindListing || r.Title == "" {
			keepRemoved = append(keepRemoved, r)
			continue
		}
		best, bestScore, ties := -1, 0.0, 0
		for i, n := range cs.New {
			if usedNew[i] || n.Kind != snapshot.KindListing || n.Date != r.Date {
				continue
			}
			s := titleSimilarity(r.Title, n.Title)
			switch {
			case s > bestScore:
				best, bestScore, ties = i, s, 1
			case s == bestScore:
				ties++
			}
		}
		if best < 0 || bestScore < threshold || ties > 1 {
			keepRemoved = append(keepRemoved, r)
			continue
		}
		usedNew[best] = true
		c, _ := compareItem(r, cs.New[best])
		out = append(out, c)
		delete(cs.Reasons, r.Key())
		moved[cs.New[best].URL] = r.URL
	}
	cs.Removed = keepRemoved
	// The followed article of a migrated item moved with it: compare it
	// with the article at the old address, which was left unfollowed.
	oldArticles := map[string]snapshot.Item{}
	keepUnfollowed := cs.Unfollowed[:0:0]
	for _, a := range cs.Unfollowed {
		oldArticles[a.URL] = a
	}
	var keepNew []snapshot.Item
	for i, n := range cs.New {
		if usedNew[i] {
			continue
		}
		if old, ok := oldArticles[moved[n.URL]]; ok && n.Followed() {
			delete(oldArticles, old.URL)
			old.ID, old.URL = n.ID, n.URL
			if c, diff := compareItem(old, n); diff {
				out = append(out, c)
			}
			continue
		}
		keepNew = append(keepNew, n)
	}
	for _, a := range cs.Unfollowed {
		if _, ok := oldArticles[a.URL]; ok {
			keepUnfollowed = append(keepUnfollowed, a)
		}
	}
	cs.Unfollowed = keepUnfollowed
	cs.New = keepNew
	return out
}

// titleSimilarity is the Jaccard index of two titles' lowercased words.
func titleSimilarity(a, b string) float64 {
	wa, wb := strings.Fields(strings.ToLower(a)), strings.Fields(strings.ToLower(b))
	if len(wa) == 0 || len(wb) == 0 {
		return 0
	}
	set := map[string]int{}
	for _, w := range wa {
		set[w] |= 1
	}
	for _, w := range wb {
		set[w] |= 2
	}
	both := 0
	for _, v := range set {
		if v == 3 {
			both++
		}
	}
	return float64(both) / float64(len(set))
}

// moves finds listing items present in both snapshots whose order changed:
// those outside the longest run kept in the same order.
func moves(prev, cur *snapshot.Snapshot) []Move {
	pos := map[string]int{}
	for i, it := range prev.Items {
		pos[it.Key()] = i
	}
	type entry struct {
		item     snapshot.Item
		from, to int
	}
	var common []entry
	for i, it := range cur.Items {
		if p, ok := pos[it.Key()]; ok && it.Kind != snapshot.KindArticle {
			common = append(common, entry{it, p, i})
		}
	}
	// Longest increasing subsequence of previous positions.
	tails, prevIdx := []int{}, make([]int, len(common))
	idx := []int{}
	for i, e := range common {
		j := sort.SearchInts(tails, e.from)
		if j == len(tails) {
			tails, idx = append(tails, e.from), append(idx, i)
		} else {
			tails[j], idx[j] = e.from, i
		}
		prevIdx[i] = -1
		if j > 0 {
			prevIdx[i] = idx[j-1]
		}
	}
	inOrder := map[int]bool{}
	if len(idx) > 0 {
		for i := idx[len(idx)-1]; i >= 0; i = prevIdx[i] {
			inOrder[i] = true
		}
	}
	var out []Move
	for i, e := range common {
		if !inOrder[i] {
			out = append(out, Move{Item: e.item, From: e.from, To: e.to})
		}
	}
	return out
}

// CompareItems returns the change from one version of an item to
// another, as a report shows it; false if they read the same.
func CompareItems(prev, cur snapshot.Item) (Change, bool) { return compareItem(prev, cur) }

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
		if same(f.old, f.new) {
			continue
		}
		if c.Diffs == nil {
			c.Diffs = map[string][]Op{}
		}
		c.Fields = append(c.Fields, f.name)
		c.Diffs[f.name] = Text(f.old, f.new)
	}
	if len(c.Fields) == 0 {
		return c, false
	}
	summarize(&c)
	return c, true
}

// same reports whether two texts are equal once compatibility forms
// (full-width letters and punctuation, ligatures, ½) are read as what they
// stand for (Unicode NFKC), and white space as white space, whatever it
// is: paragraphs broken otherwise, with the same words, are the same
// text. Reports show the texts as the page wrote them.
func same(a, b string) bool {
	return a == b || sameWords(a, b) || sameWords(norm.NFKC.String(a), norm.NFKC.String(b))
}

// sameWords reports whether a and b have the same words (runs of
// anything but white space) in the same order.
func sameWords(a, b string) bool {
	i, j := 0, 0
	for {
		var wa, wb string
		wa, i = nextWord(a, i)
		wb, j = nextWord(b, j)
		if wa != wb {
			return false
		}
		if wa == "" {
			return true
		}
	}
}

// nextWord returns the word of s at or after i, and where it ends; "" at
// the end of s.
func nextWord(s string, i int) (string, int) {
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsSpace(r) {
			break
		}
		i += n
	}
	start := i
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			break
		}
		i += n
	}
	return s[start:i], i
}

// summarize writes a change's summary and significance.
func summarize(c *Change) {
	var parts []string
	total := 0
	for _, f := range c.Fields {
		ops := c.Diffs[f]
		words := countWords(ops)
		c.Words += words
		switch f {
		case FieldTitle:
			parts = append(parts, "headline changed")
		case FieldURL:
			parts = append(parts, "link changed")
		case FieldDate:
			parts = append(parts, "date changed")
		case FieldSummary:
			parts = append(parts, "summary edited")
		case FieldBody:
			moved, movedWords := movedParagraphs(ops)
			words -= movedWords
			c.Words -= movedWords
			paras := changedParagraphs(ops) - 2*moved
			total += snapshot.WordCount(New(ops))
			var body []string
			if paras > 0 || words > 0 {
				body = append(body, plural(max(paras, 1), "paragraph")+" edited", plural(words, "word")+" changed")
			}
			if moved > 0 {
				body = append(body, plural(moved, "paragraph")+" moved")
			}
			parts = append(body, parts...)
		}
	}
	c.Summary = strings.Join(parts, ", ")
	sig := float64(c.Words) / float64(max(total, 20))
	if slices.Contains(c.Fields, FieldTitle) {
		sig += 0.5
	}
	if slices.Contains(c.Fields, FieldDate) || slices.Contains(c.Fields, FieldURL) {
		sig += 0.2
	}
	c.Significance = min(sig, 1)
}

// movedParagraphs finds whole paragraphs deleted in one place and inserted
// unchanged in another: a move, not an edit. It returns how many, and how
// many words they hold.
func movedParagraphs(ops []Op) (n, words int) {
	whole := func(op string) map[string]int {
		m := map[string]int{}
		for _, l := range wholeLines(ops, op) {
			m[l]++
		}
		return m
	}
	del, ins := whole(OpDelete), whole(OpInsert)
	for l, k := range del {
		if m := min(k, ins[l]); m > 0 {
			n += m
			words += m * snapshot.WordCount(l)
		}
	}
	return n, words
}

// wholeLines lists the lines, of the old text for deletions or of the new
// one for insertions, that the operation covers entirely.
func wholeLines(ops []Op, op string) []string {
	var lines []string
	var cur strings.Builder
	all := true
	flush := func() {
		if l := strings.TrimSuffix(cur.String(), "\n"); all && strings.TrimSpace(l) != "" {
			lines = append(lines, l)
		}
		cur.Reset()
		all = true
	}
	for _, o := range ops {
		if o.Op != OpEqual && o.Op != op {
			continue // the other text's
		}
		for _, part := range strings.SplitAfter(o.Text, "\n") {
			if part == "" {
				continue
			}
			cur.WriteString(part)
			all = all && o.Op == op
			if strings.HasSuffix(part, "\n") {
				flush()
			}
		}
	}
	if cur.Len() > 0 {
		flush()
	}
	return lines
}

// countWords counts the words inserted or deleted, whichever is more.
func countWords(ops []Op) int {
	ins, del := 0, 0
	for _, o := range ops {
		switch o.Op {
		case OpInsert:
			ins += snapshot.WordCount(o.Text)
		case OpDelete:
			del += snapshot.WordCount(o.Text)
		}
	}
	return max(ins, del)
}

// changedParagraphs counts the lines of the new text that an edit touches.
func changedParagraphs(ops []Op) int {
	n, touched := 0, false
	for _, o := range ops {
		parts := strings.Split(o.Text, "\n")
		for i, p := range parts {
			if i > 0 {
				if touched {
					n++
				}
				touched = false
			}
			if o.Op != OpEqual && p != "" {
				touched = true
			}
		}
	}
	if touched {
		n++
	}
	return n
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// maxTombstones bounds how many removed items a source remembers, to
// report them as reappeared if they come back.
const maxTombstones = 500

// Tombstones returns the removed items the next snapshot remembers: this
// change set's removals, then the older ones, less those that came back.
func Tombstones(prev *snapshot.Snapshot, cs ChangeSet) []snapshot.Item {
	back := map[string]bool{}
	for _, it := range cs.Reappeared {
		back[it.Key()] = true
	}
	var out []snapshot.Item
	seen := map[string]bool{}
	for _, list := range [][]snapshot.Item{cs.Removed, cs.Unfollowed, prev.Tombstones} {
		for _, it := range list {
			k := it.Key()
			if back[k] || seen[k] || len(out) >= maxTombstones {
				continue
			}
			seen[k] = true
			// Only what identifies an item is kept; bodies would make
			// every snapshot heavy.
			out = append(out, snapshot.Item{Kind: it.Kind, ID: it.ID, Title: it.Title, URL: it.URL})
		}
	}
	return out
}
