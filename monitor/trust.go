package monitor

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/pubwatch/pubwatch/config"
	"github.com/pubwatch/pubwatch/diff"
	"github.com/pubwatch/pubwatch/snapshot"
	"github.com/pubwatch/pubwatch/store"
)

func compareOptions(src *config.Source) diff.Options {
	return diff.Options{MinChange: src.Trust.MinChange, ReportMoves: src.Trust.ReportMoves,
		MigrationSimilarity: src.Trust.MigrationSimilarity}
}

// Reasons a check is suspect begin with one of these; a soft error (the
// page reads like an error, challenge or consent page) is never accepted
// as the site's new state, however often it comes.
const (
	reasonSoftError = "the page looks like "
	reasonShrank    = "the listing shrank from "
	reasonReshaped  = "the listing's items changed kind: "
	reasonArticle   = "the article body shrank from "
)

// suspicious tells a fetch that succeeded but looks broken: an error,
// challenge or consent page; a listing that lost more than
// max_removed_ratio of its items at once without replacing them; a listing
// whose items were replaced by items of another kind (menu links for
// headlines); an article body that shrank below min_body_ratio. A listing
// that keeps its size and kind while its items turn over is a news day,
// not breakage. It returns the reason, or "".
func suspicious(src *config.Source, prev, cur *snapshot.Snapshot, cs diff.ChangeSet, body []byte, contentType string) string {
	before, now := listed(prev.Items), listed(cur.Items)
	removed := listed(cs.Removed)
	// An error or challenge page that still shows the list loses nothing;
	// one that lost more than a tenth of it (any of a list under 10) is
	// read for what it says. A day's churn of a long list is not: reading
	// every changed page cost a changed run a twelfth of its time. (Pages
	// that lost everything fail extraction before this.)
	if len(removed) > 0 && (len(before) < 10 || 10*len(removed) > len(before)) {
		if reason := snapshot.SoftError(body, contentType); reason != "" {
			return reasonSoftError + reason
		}
	}
	ratio := src.Trust.MaxRemovedRatio
	if len(before) >= minJudgedListing && float64(len(now)) < (1-ratio)*float64(len(before)) {
		return fmt.Sprintf("%s%d to %d items at once (%d removed; more than max_removed_ratio %g of it lost)",
			reasonShrank, len(before), len(now), len(removed), ratio)
	}
	if len(before) >= minJudgedListing && float64(len(removed)) > ratio*float64(len(before)) {
		added := listed(cs.New)
		added = append(added, listed(cs.Reappeared)...)
		if why := reshaped(before, added); why != "" {
			return fmt.Sprintf("%s%d of %d items replaced, and %s", reasonReshaped, len(removed), len(before), why)
		}
	}
	for _, c := range cs.Changed {
		if c.Item.Kind != snapshot.KindArticle {
			continue
		}
		before, after := snapshot.WordCount(c.Previous.Body), snapshot.WordCount(c.Item.Body)
		if before >= 50 && float64(after) < src.Trust.MinBodyRatio*float64(before) {
			return fmt.Sprintf("%s%d to %d words (below min_body_ratio %g)", reasonArticle, before, after, src.Trust.MinBodyRatio)
		}
	}
	return ""
}

// minJudgedListing is the smallest listing whose losses are judged: a box
// of three links losing two is not a broken page.
const minJudgedListing = 4

// listed returns the listing and feed items among items.
func listed(items []snapshot.Item) []snapshot.Item {
	var out []snapshot.Item
	for _, it := range items {
		if it.Kind == snapshot.KindListing || it.Kind == snapshot.KindFeed {
			out = append(out, it)
		}
	}
	return out
}

// shape is what a listing's items look like, whatever they say.
type shape struct {
	dated, summarized, onHost float64 // shares of the items
	words                     int     // median words of a title
}

func shapeOf(items []snapshot.Item, host string) shape {
	var sh shape
	words := make([]int, 0, len(items))
	for _, it := range items {
		if it.Date != "" {
			sh.dated++
		}
		if it.Summary != "" {
			sh.summarized++
		}
		if u, err := url.Parse(it.URL); err == nil && u.Host == host {
			sh.onHost++
		}
		words = append(words, snapshot.WordCount(it.Title))
	}
	if n := float64(len(items)); n > 0 {
		sh.dated, sh.summarized, sh.onHost = sh.dated/n, sh.summarized/n, sh.onHost/n
		slices.Sort(words)
		sh.words = words[len(words)/2]
	}
	return sh
}

// reshaped tells whether the items that came in are of another kind than
// the listing they replaced: undated where the listing's items had dates,
// one-word links where they had headlines, links to other sites. It
// returns what differs, or "".
func reshaped(before, added []snapshot.Item) string {
	if len(added) == 0 {
		return ""
	}
	host := mainHost(before)
	was, is := shapeOf(before, host), shapeOf(added, host)
	switch {
	case was.dated-is.dated > 0.5:
		return fmt.Sprintf("%.0f%% of the new ones have a date against %.0f%% before", 100*is.dated, 100*was.dated)
	case was.summarized-is.summarized > 0.5:
		return fmt.Sprintf("%.0f%% of the new ones have a summary against %.0f%% before", 100*is.summarized, 100*was.summarized)
	case was.onHost-is.onHost > 0.5:
		return fmt.Sprintf("%.0f%% of the new ones link to %s against %.0f%% before", 100*is.onHost, host, 100*was.onHost)
	case was.words >= 4 && is.words*5 < was.words*2:
		return fmt.Sprintf("their titles have %d words against %d before", is.words, was.words)
	}
	return ""
}

// mainHost is the host most of the items link to.
func mainHost(items []snapshot.Item) string {
	count := map[string]int{}
	best := ""
	for _, it := range items {
		if u, err := url.Parse(it.URL); err == nil {
			if count[u.Host]++; count[u.Host] > count[best] {
				best = u.Host
			}
		}
	}
	return best
}

// confirmed reports whether a suspect check is the site's new state: the
// source's last confirm_after-1 checks were suspect too, for a reason that
// is not a soft error, and each of them resembles this one at least as
// much as the baseline does (a redesign, a new URL scheme, a list cut for
// good: the checks agree with each other, not with the past). Outages and
// error pages never confirm.
func (m *Monitor) confirmed(ctx context.Context, src *config.Source, prev, cur *snapshot.Snapshot) (bool, error) {
	n := src.Trust.ConfirmAfter - 1
	if n < 1 {
		return true, nil
	}
	checks, err := m.Store.Checks(ctx, src.Name, n)
	if err != nil || len(checks) < n {
		return false, err
	}
	for _, c := range checks {
		if c.Status != store.StatusSuspect || c.SnapshotID == 0 || strings.HasPrefix(c.Error, reasonSoftError) {
			return false, nil
		}
	}
	snaps, err := m.Store.Snapshots(ctx, src.Name, n)
	if err != nil {
		return false, err
	}
	byID := make(map[int64]*store.SnapshotInfo, len(snaps))
	for i := range snaps {
		byID[snaps[i].ID] = &snaps[i]
	}
	base := resemblance(prev, cur)
	for _, c := range checks {
		si := byID[c.SnapshotID]
		if si == nil {
			return false, nil
		}
		s, err := m.Store.Items(ctx, si)
		if err != nil {
			return false, err
		}
		if !base.closer(resemblance(s, cur)) {
			return false, nil
		}
	}
	return true, nil
}

// likeness is how much one snapshot resembles another: the Jaccard index
// of their own items (followed articles aside) with their contents, then,
// on a tie, how close their numbers of items are.
type likeness struct {
	items, size float64
}

func resemblance(a, b *snapshot.Snapshot) likeness {
	sig := func(snap *snapshot.Snapshot) map[string]bool {
		out := make(map[string]bool, len(snap.Items))
		for _, it := range snap.Items {
			if !it.Followed() {
				out[it.Key()+"\x00"+it.Title+"\x00"+it.Date+"\x00"+it.Body] = true
			}
		}
		return out
	}
	sa, sb := sig(a), sig(b)
	both := 0
	for k := range sa {
		if sb[k] {
			both++
		}
	}
	var l likeness
	if union := len(sa) + len(sb) - both; union > 0 {
		l.items = float64(both) / float64(union)
	}
	if big := max(len(sa), len(sb)); big > 0 {
		l.size = float64(min(len(sa), len(sb))) / float64(big)
	}
	return l
}

// closer reports whether o is at least as alike as l: more items shared,
// or as many and as close in number.
func (l likeness) closer(o likeness) bool {
	if o.items != l.items {
		return o.items > l.items
	}
	return o.size >= l.size
}

// seenBefore reports whether, with compare_versions N, the items equal
// those of one of the source's last N trusted snapshots (a page flipping
// between A/B versions).
func (m *Monitor) seenBefore(ctx context.Context, src *config.Source, cur *snapshot.Snapshot, base *store.SnapshotInfo) (bool, error) {
	n := src.Trust.CompareVersions
	if n <= 0 {
		return false, nil
	}
	// Items only: what is remembered beside them (tombstones) differs.
	want := store.ItemsHash(&snapshot.Snapshot{Items: cur.Items})
	snaps, err := m.Store.Snapshots(ctx, src.Name, 4*n)
	if err != nil {
		return false, err
	}
	trusted := 0
	for _, s := range snaps {
		if s.Status == store.StatusSuspect {
			continue
		}
		if trusted++; trusted > n {
			break
		}
		if s.ID == base.ID {
			continue
		}
		old, err := m.Store.Items(ctx, &s)
		if err != nil {
			return false, err
		}
		if store.ItemsHash(&snapshot.Snapshot{Items: old.Items}) == want {
			return true, nil
		}
	}
	return false, nil
}
