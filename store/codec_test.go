package store

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"

	"github.com/pubwatch/pubwatch/snapshot"
)

// Contents round-trip through S2; contents written by older versions as
// zstd frames are still read; anything else is an error, not garbage.
func TestContentEncodings(t *testing.T) {
	s, _ := openTemp(t, Options{Writer: true})
	ctx := context.Background()
	page := []byte(strings.Repeat("<li><a href=\"/a\">A headline about the budget</a></li>\n", 2000))
	put := func(hash string, data []byte) {
		t.Helper()
		if _, err := s.db.Exec(`INSERT INTO contents (hash, size, data) VALUES (?, ?, ?)`, hash, len(page), data); err != nil {
			t.Fatal(err)
		}
	}

	b := s.newBlob(page)
	if !bytes.HasPrefix(b.compressed, s2Magic) || len(b.compressed) > len(page)/4 {
		t.Fatalf("new content: %d bytes, prefix %q; want a compressed S2 stream", len(b.compressed), b.compressed[:min(10, len(b.compressed))])
	}
	put(b.hash, b.compressed)

	enc, _ := zstd.NewWriter(nil)
	put("old", enc.EncodeAll(page, nil))
	put("bad", []byte("plain text"))

	for _, hash := range []string{b.hash, "old"} {
		got, err := s.Content(ctx, hash)
		if err != nil {
			t.Fatalf("content %s: %v", hash, err)
		}
		if !bytes.Equal(got, page) {
			t.Errorf("content %s: %d bytes differ from the %d stored", hash, len(got), len(page))
		}
	}
	if _, err := s.Content(ctx, "bad"); err == nil || !strings.Contains(err.Error(), "unknown content encoding") {
		t.Errorf("unknown encoding: err = %v", err)
	}
}

// A store asked for zstd writes zstd frames, and reads what an S2 store
// wrote before.
func TestZstdStore(t *testing.T) {
	ctx := context.Background()
	path := tempLocation(t)
	page := []byte(strings.Repeat("<p>The ministry announced the harvest figures.</p>\n", 400))
	s2store, err := Open(ctx, path, Options{Writer: true})
	if err != nil {
		t.Fatal(err)
	}
	old := s2store.newBlob(page)
	if _, err := s2store.db.Exec(`INSERT INTO contents (hash, size, data) VALUES (?, ?, ?)`, "old", len(page), old.compressed); err != nil {
		t.Fatal(err)
	}
	s2store.Close()

	z, err := Open(ctx, path, Options{Writer: true, Compression: "zstd"})
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	b := z.newBlob(page)
	if !bytes.HasPrefix(b.compressed, zstdMagic) || len(b.compressed) >= len(old.compressed) {
		t.Errorf("zstd content: %d bytes (S2: %d), prefix %x", len(b.compressed), len(old.compressed), b.compressed[:4])
	}
	if _, err := z.db.Exec(`INSERT INTO contents (hash, size, data) VALUES (?, ?, ?)`, "new", len(page), b.compressed); err != nil {
		t.Fatal(err)
	}
	for _, h := range []string{"old", "new"} {
		if got, err := z.Content(ctx, h); err != nil || !bytes.Equal(got, page) {
			t.Errorf("content %s: %d bytes, %v", h, len(got), err)
		}
	}
	if _, err := Open(ctx, t.TempDir()+"/x.db", Options{Compression: "lz4"}); err == nil {
		t.Error("an unknown compression was accepted")
	}
}

func BenchmarkCompress(b *testing.B) {
	page := []byte(strings.Repeat("<li><a href=\"/a\">A headline about the budget and the harvest</a><p>Summary of the story.</p></li>\n", 500))
	b.SetBytes(int64(len(page)))
	for b.Loop() {
		compress(page)
	}
}

// Items are stored (and hashed) as json.Marshal writes them: the hashes of
// stores written before the pooled encoder must still match.
func TestItemsJSONIsMarshal(t *testing.T) {
	snap := &snapshot.Snapshot{Items: []snapshot.Item{{Kind: snapshot.KindListing, ID: "https://x.org/a?b=1&c=<2>", Title: `Tags <b> & "quotes"`, Summary: "line\nbreak"}}}
	want, err := json.Marshal(snap)
	if err != nil {
		t.Fatal(err)
	}
	var got []byte
	withItemsJSON(snap, func(b []byte) { got = append(got, b...) })
	if !bytes.Equal(got, want) {
		t.Errorf("stored form\n%s\ndiffers from json.Marshal's\n%s", got, want)
	}
	if h := ItemsHash(snap); h != Hash(want) {
		t.Errorf("ItemsHash = %s, want %s", h, Hash(want))
	}
	var empty []byte
	withItemsJSON(&snapshot.Snapshot{}, func(b []byte) { empty = append(empty, b...) })
	if string(empty) != `{"items":[]}` {
		t.Errorf("a snapshot without items is stored as %s; want an empty list, not null", empty)
	}
}

// The items' stored form is exactly json.Marshal's, whatever the text.
func FuzzSnapshotJSON(f *testing.F) {
	f.Add("listing", "https://x.org/a?b=1&c=<2>", `Tags <b> & "quotes"`, "line\nbreak\t\x01", "\u2028\xff é", "gone key", true)
	f.Add("article", "", "", "", "", "", false)
	f.Fuzz(func(t *testing.T, kind, id, title, summary, body, goneKey string, tombstone bool) {
		snap := &snapshot.Snapshot{Items: []snapshot.Item{
			{Kind: kind, ID: id, Title: title, Summary: summary, Body: body, Date: summary, URL: id, Published: title},
			{Kind: kind, ID: title},
		}}
		if goneKey != "" {
			snap.Gone = map[string]string{goneKey: body, "b": title}
		}
		if tombstone {
			snap.Tombstones = []snapshot.Item{{Kind: kind, ID: id, Title: body}}
		}
		want, err := json.Marshal(snap)
		if err != nil {
			t.Skip()
		}
		if got := appendSnapshotJSON(nil, snap); !bytes.Equal(got, want) {
			t.Fatalf("stored form\n%s\ndiffers from json.Marshal's\n%s", got, want)
		}
	})
}

// A listing of 30 teasers with summaries of a few hundred bytes, as the
// load benchmark's pages have.
func BenchmarkSnapshotJSON(b *testing.B) {
	snap := &snapshot.Snapshot{}
	for i := range 30 {
		snap.Items = append(snap.Items, snapshot.Item{Kind: snapshot.KindListing,
			ID: fmt.Sprintf("https://agency.example.org/2025/12/%02d/story-%d.html", i%28+1, i), URL: fmt.Sprintf("https://agency.example.org/2025/12/%02d/story-%d.html", i%28+1, i),
			Title: "Delegation of the ministry returns from the harvest festival", Date: "2025-12-17", Published: "2025-12-17",
			Summary: strings.Repeat("The council met farmers and workers on the budget for the railway and the harbour. ", 10)})
	}
	var buf []byte
	for b.Loop() {
		buf = appendSnapshotJSON(buf[:0], snap)
	}
	b.SetBytes(int64(len(buf)))
}
