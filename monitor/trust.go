package monitor

import (
	"context"
	"fmt"

	"github.com/pubwatch/pubwatch/config"
	"github.com/pubwatch/pubwatch/diff"
	"github.com/pubwatch/pubwatch/snapshot"
	"github.com/pubwatch/pubwatch/store"
)

func compareOptions(src *config.Source) diff.Options {
	return diff.Options{MinChange: src.Trust.MinChange, ReportMoves: src.Trust.ReportMoves,
		MigrationSimilarity: src.Trust.MigrationSimilarity}
}

// suspicious tells a fetch that succeeded but looks broken: an error,
// challenge or consent page; a listing that lost more than
// max_removed_ratio of its items at once; an article body that shrank
// below min_body_ratio. It returns the reason, or "".
func suspicious(src *config.Source, prev, cur *snapshot.Snapshot, cs diff.ChangeSet, body []byte, contentType string) string {
	listed, removed := 0, 0
	for _, it := range prev.Items {
		if it.Kind == snapshot.KindListing || it.Kind == snapshot.KindFeed {
			listed++
		}
	}
	for _, it := range cs.Removed {
		if it.Kind == snapshot.KindListing || it.Kind == snapshot.KindFeed {
			removed++
		}
	}
	// An error or challenge page that still shows the list loses nothing;
	// one that lost items is read for what it says. (Pages that lost
	// everything fail extraction before this.)
	if removed > 0 {
		if reason := snapshot.SoftError(body, contentType); reason != "" {
			return "the page looks like " + reason
		}
	}
	if listed >= 4 && float64(removed) > src.Trust.MaxRemovedRatio*float64(listed) {
		return fmt.Sprintf("%d of %d items removed at once (more than max_removed_ratio %g)", removed, listed, src.Trust.MaxRemovedRatio)
	}
	for _, c := range cs.Changed {
		if c.Item.Kind != snapshot.KindArticle {
			continue
		}
		before, after := snapshot.WordCount(c.Previous.Body), snapshot.WordCount(c.Item.Body)
		if before >= 50 && float64(after) < src.Trust.MinBodyRatio*float64(before) {
			return fmt.Sprintf("the article body shrank from %d to %d words (below min_body_ratio %g)", before, after, src.Trust.MinBodyRatio)
		}
	}
	return ""
}

// confirmCount is how many suspect checks in a row of the same content
// make it the new truth: a site that really removed most of its list.
const confirmCount = 3

// confirmed reports whether the checks before this one were suspect with
// the same content, confirmCount-1 times in a row.
func (m *Monitor) confirmed(ctx context.Context, source, contentHash string) bool {
	checks, err := m.Store.Checks(ctx, source, confirmCount-1)
	if err != nil || len(checks) < confirmCount-1 {
		return false
	}
	for _, c := range checks {
		if c.Status != store.StatusSuspect || c.ContentHash != contentHash {
			return false
		}
	}
	return true
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
