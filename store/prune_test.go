package store

import (
	"context"
	"fmt"
	"testing"
	"time"
)

func TestPruneKeepsBaselines(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t, Options{Writer: true})
	var ids []int64
	for i := 0; i < 5; i++ {
		at := t0.Add(time.Duration(i) * 24 * time.Hour)
		id, err := s.Record(ctx, CheckRecord{Source: "a", StartedAt: at, FinishedAt: at, Status: StatusChanged,
			NextCheckAt: at.Add(time.Hour), Snapshot: &NewSnapshot{Content: []byte(fmt.Sprintf("page %d", i)), Fingerprint: "f", Snapshot: snap(fmt.Sprint(i))}})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	// Source b's only snapshot is old, and its baseline: it stays.
	if _, err := s.Record(ctx, CheckRecord{Source: "b", StartedAt: t0, FinishedAt: t0, Status: StatusFirst, NextCheckAt: t0,
		Snapshot: &NewSnapshot{Content: []byte("b page"), Fingerprint: "f", Snapshot: snap("b")}}); err != nil {
		t.Fatal(err)
	}
	res, err := s.Prune(ctx, t0.Add(2*24*time.Hour), 0)
	if err != nil {
		t.Fatal(err)
	}
	if res.Snapshots != 2 || res.Contents != 4 || res.Checks != 3 {
		t.Errorf("pruned %+v; want the 2 old snapshots of a, their 4 contents and 3 checks", res)
	}
	if b, _ := s.Baseline(ctx, "b"); b == nil {
		t.Fatal("b's baseline was pruned")
	}
	if res, _ = s.Prune(ctx, time.Time{}, 1); res.Snapshots != 2 {
		t.Errorf("keep-last 1 pruned %d snapshots, want 2", res.Snapshots)
	}
	if b, _ := s.Baseline(ctx, "a"); b == nil || b.ID != ids[4] {
		t.Fatalf("a's baseline after pruning: %+v", b)
	}
	if _, err := s.Items(ctx, mustSnapshot(t, s, ids[4])); err != nil {
		t.Errorf("the baseline's items are gone: %v", err)
	}
	if err := s.Vacuum(ctx); err != nil {
		t.Fatal(err)
	}
}

func mustSnapshot(t *testing.T, s *Store, id int64) *SnapshotInfo {
	t.Helper()
	si, err := s.Snapshot(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return si
}
