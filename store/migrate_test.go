package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/klauspost/compress/s2"
)

// TestMigrateFromVersion1: a store written by the pubwatch before the
// event log is brought up to the current schema on open, its history
// kept, and takes events at once.
func TestMigrateFromVersion1(t *testing.T) {
	sqliteOnly(t)
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	for _, stmt := range migrations[0] {
		if _, err := db.Exec(stmt); err != nil {
			t.Fatal(err)
		}
	}
	for _, stmt := range []string{
		`INSERT INTO meta (key, value) VALUES ('schema_version', '1')`,
		`INSERT INTO sources (name, next_check_at, failures, failing_since) VALUES ('a', 1, 2, 1000)`,
		`INSERT INTO checks (source, run_id, started_at, finished_at, status, content_hash, error) VALUES ('a', 'r1', 1, 2, 'error', '', 'HTTP 503')`,
		`INSERT INTO runs (id, started_at, finished_at, sources, changed, errors, new_items, changed_items, removed_items, report_dir) VALUES ('r1', 1, 2, 1, 0, 1, 0, 0, 0, 'x-r1')`,
	} {
		if _, err := db.Exec(stmt); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	s, err := Open(ctx, path, Options{Writer: true})
	if err != nil {
		t.Fatalf("opening a version 1 store: %v", err)
	}
	defer s.Close()
	var v string
	if err := s.db.QueryRow(`SELECT value FROM meta WHERE key = 'schema_version'`).Scan(&v); err != nil || v != schemaVersion {
		t.Fatalf("schema version %q, %v", v, err)
	}
	troubled, err := s.TroubledSources(ctx)
	if err != nil || troubled["a"] == nil || troubled["a"].Failures != 2 {
		t.Fatalf("source state kept: %+v, %v", troubled, err)
	}
	// Version 3: its failures count as troubled checks since they began.
	if a := troubled["a"]; a.TroubledChecks != 2 || !a.TroubledSince.Equal(time.UnixMilli(1000).UTC()) {
		t.Errorf("troubled since %v for %d checks, want since the first failure for 2", a.TroubledSince, a.TroubledChecks)
	}
	if pending, err := s.PendingRuns(ctx); err != nil || len(pending) != 0 {
		t.Errorf("old runs taken for pending ones: %v, %v", pending, err)
	}
	now := time.Now()
	rec := CheckRecord{Source: "a", RunID: "r2", StartedAt: now, FinishedAt: now, Status: StatusError, Error: "HTTP 503",
		Events: []Event{{Kind: "failing", Data: []byte(`{"error":"HTTP 503"}`)}}}
	if _, err := s.Record(ctx, rec); err != nil {
		t.Fatalf("recording a check with an event: %v", err)
	}
	if st, err := s.SourceState(ctx, "a"); err != nil || st.TroubledChecks != 3 || st.Failures != 3 {
		t.Errorf("after one more failure: %+v, %v", st, err)
	}
	evs, err := s.Events(ctx, "a", 0)
	if err != nil || len(evs) != 1 || string(evs[0].Data) != `{"error":"HTTP 503"}` || evs[0].CheckID == 0 {
		t.Errorf("events %+v, %v", evs, err)
	}
}

// TestPruneKeepsUnreportedEvents: prune never deletes an event no report
// holds yet, nor one a pending delivery will send, nor their checks.
func TestPruneKeepsUnreportedEvents(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, tempLocation(t), Options{Writer: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	old := time.Now().Add(-48 * time.Hour)
	rec := CheckRecord{Source: "a", RunID: "r1", StartedAt: old, FinishedAt: old, Status: StatusError, Error: "HTTP 503",
		Events: []Event{{Kind: "failing", Data: []byte(`{}`)}}}
	if _, err := s.Record(ctx, rec); err != nil {
		t.Fatal(err)
	}
	count := func() (events, checks int) {
		s.db.QueryRow(`SELECT COUNT(*) FROM events`).Scan(&events)
		s.db.QueryRow(`SELECT COUNT(*) FROM checks`).Scan(&checks)
		return
	}
	prune := func() {
		if _, err := s.Prune(ctx, time.Now().Add(-time.Hour), 0); err != nil {
			t.Fatal(err)
		}
	}
	prune()
	if e, c := count(); e != 1 || c != 1 {
		t.Fatalf("unreported: %d events, %d checks left, want 1 and 1", e, c)
	}
	run := RunInfo{ID: "r1", StartedAt: old, FinishedAt: old}
	target := DeliveryTarget{Name: "hook", Filter: "", Match: func(EventMeta) bool { return true }}
	if _, err := s.BeginReport(ctx, run, []byte(`{}`), []DeliveryTarget{target}, old); err != nil {
		t.Fatal(err)
	}
	if err := s.FinishReport(ctx, run); err != nil {
		t.Fatal(err)
	}
	prune()
	if e, c := count(); e != 1 || c != 1 {
		t.Fatalf("reported, not delivered: %d events, %d checks left, want 1 and 1", e, c)
	}
	if err := s.RecordAttempt(ctx, DeliveryID("r1", "hook"), DeliveryDelivered, old, old, "204", ""); err != nil {
		t.Fatal(err)
	}
	prune()
	if e, c := count(); e != 0 || c != 0 {
		t.Errorf("reported and delivered: %d events, %d checks left, want none", e, c)
	}
}

// TestMigrateFillsItems: a version 3 store's events name items; opened,
// the archive's items table holds each with its latest title and link,
// found by search.
func TestMigrateFillsItems(t *testing.T) {
	sqliteOnly(t)
	ctx := context.Background()
	defer func(n int) { backfillBatch = n }(backfillBatch)
	backfillBatch = 2 // the three item events in two batches
	path := filepath.Join(t.TempDir(), "v3.db")
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=foreign_keys(0)")
	if err != nil {
		t.Fatal(err)
	}
	for _, version := range migrations[:3] {
		for _, stmt := range version {
			if _, err := db.Exec(stmt); err != nil {
				t.Fatal(err)
			}
		}
	}
	data := func(json string) []byte { return s2.Encode(nil, []byte(json)) }
	for _, e := range []struct {
		kind, key string
		at        int64
		data      []byte
	}{
		{"new", "listing https://a.example/1", 1000, data(`{"item":{"kind":"listing","id":"https://a.example/1","title":"Harbour budget agreed","url":"https://a.example/1"}}`)},
		{"changed", "listing https://a.example/1", 2000, data(`{"change":{"item":{"kind":"listing","id":"https://a.example/1","title":"Harbour budget approved","url":"https://a.example/1"}}}`)},
		{"baseline", "", 500, data(`{"items":3}`)},
		{"removed", "listing https://a.example/2", 3000, []byte("not s2")},
	} {
		if _, err := db.Exec(`INSERT INTO events (source, run_id, check_id, kind, at, check_status, item_key, significance, data)
			VALUES ('a', 'r', 1, ?, ?, 'changed', ?, 1, ?)`, e.kind, e.at, e.key, e.data); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Exec(`INSERT INTO meta (key, value) VALUES ('schema_version', '3')`); err != nil {
		t.Fatal(err)
	}
	db.Close()

	s, err := Open(ctx, path, Options{Writer: true})
	if err != nil {
		t.Fatalf("opening a version 3 store: %v", err)
	}
	defer s.Close()
	it, err := s.Item(ctx, "a", "listing https://a.example/1")
	if err != nil || it.Title != "Harbour budget approved" || it.URL != "https://a.example/1" || it.Events != 2 ||
		it.LastKind != "changed" || !it.FirstAt.Equal(time.UnixMilli(1000).UTC()) || !it.LastAt.Equal(time.UnixMilli(2000).UTC()) {
		t.Errorf("item after the backfill: %+v, %v", it, err)
	}
	// An event whose data cannot be read still names its item.
	if it, err := s.Item(ctx, "a", "listing https://a.example/2"); err != nil || it.LastKind != "removed" {
		t.Errorf("item of an unreadable event: %+v, %v", it, err)
	}
	found, err := s.SearchItems(ctx, "budget app", time.Time{}, 10)
	if err != nil || len(found) != 1 || found[0].ID() != ItemID("a", "listing https://a.example/1") {
		t.Errorf("search: %+v, %v", found, err)
	}
	if found, _ := s.SearchItems(ctx, "100%", time.Time{}, 10); len(found) != 0 {
		t.Errorf("a search for %q matched %d items: its %% was read as a wildcard", "100%", len(found))
	}
}
