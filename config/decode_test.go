package config

import (
	"reflect"
	"testing"
)

// decodeBoth decodes one source written in YAML with decodeExact and with
// mapstructure alone.
func decodeBoth(t *testing.T, text string) (exact, weak rawSource, took bool, weakErr error) {
	t.Helper()
	var m map[string]any
	if err := yamlUnmarshal([]byte(text), &m); err != nil {
		t.Skip()
	}
	took = decodeExact(m, &exact)
	weakErr = decodeWeak(m, &weak)
	return exact, weak, took, weakErr
}

func TestDecodeExact(t *testing.T) {
	// Written as people write sources: decoded directly, and the same as
	// mapstructure decodes them.
	for _, text := range []string{
		`{name: kcna, url: "https://kcnawatch.org/", interval: 30m, robots: false, follow: true, follow_limit: 20}`,
		`{name: l, url: "http://x.org/", listing: {items: "main li", title: h3, link: "h3 a", date: time, summary: p}}`,
		`{name: a, file: page.html, article: {title: h1, body: .body}, ignore: ["\\d+ views", "x"], ignore_selectors: []}`,
		`{name: h, url: "http://x.org/", headers: {X-Token: abc}, cookies: {}, max_removed_ratio: 0.5, tracking_params: [ref]}`,
		`{name: p, url: "http://x.org/", page: {select: main}, min_change: 3, identity: title, keep_counters: true}`,
	} {
		exact, weak, took, err := decodeBoth(t, text)
		if !took {
			t.Errorf("decodeExact declined %s", text)
		}
		if err != nil {
			t.Fatalf("mapstructure: %s: %v", text, err)
		}
		if !reflect.DeepEqual(exact, weak) {
			t.Errorf("%s:\nexact %+v\nweak  %+v", text, exact, weak)
		}
	}
	// Anything that needs a conversion, or a key in another case, is left
	// to mapstructure.
	for _, text := range []string{
		`{name: a, interval: 30}`,
		`{name: a, follow: "true"}`,
		`{Name: a}`,
		`{name: a, ignore: "a,b"}`,
		`{name: a, headers: {X-N: 1}}`,
		`{name: a, listing: main}`,
		`{name: a, listing: {Items: li}}`,
		`{name: a, max_removed_ratio: 1}`,
		`{name: a, url: null}`,
		`{name: a, unknown: 1}`,
	} {
		if _, _, took, _ := decodeBoth(t, text); took {
			t.Errorf("decodeExact took %s", text)
		}
	}
}

// FuzzDecodeExact holds decodeExact to mapstructure: whatever it decodes,
// mapstructure decodes without error and to the same source.
func FuzzDecodeExact(f *testing.F) {
	f.Add(`{name: kcna, url: "https://kcnawatch.org/", interval: 30m, robots: false, follow: true, follow_limit: 20}`)
	f.Add(`{name: l, listing: {items: "main li", title: h3}, headers: {A: b}, ignore: [x, y]}`)
	f.Add(`{name: a, max_removed_ratio: 0.5, min_body_ratio: 1.5, migration_similarity: .9, compare_versions: 2}`)
	f.Add(`{name: a, cookies: {}, tracking_params: [], article: {}, page: {select: x}}`)
	f.Fuzz(func(t *testing.T, text string) {
		exact, weak, took, err := decodeBoth(t, text)
		if !took {
			return
		}
		if err != nil {
			t.Fatalf("decodeExact took what mapstructure refuses (%v)", err)
		}
		if !reflect.DeepEqual(exact, weak) {
			t.Fatalf("exact %+v\nweak  %+v", exact, weak)
		}
	})
}
