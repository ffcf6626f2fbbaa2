package store

import (
	"maps"
	"slices"
	"unicode/utf8"

	"github.com/pubwatch/pubwatch/snapshot"
)

// appendSnapshotJSON appends the snapshot as json.Marshal writes it, byte
// for byte (FuzzSnapshotJSON holds it to that), except that no items are
// [], never null. It is written without reflection: for every changed
// check, and its hash names the stored items.
func appendSnapshotJSON(dst []byte, snap *snapshot.Snapshot) []byte {
	dst = append(dst, `{"items":[`...)
	dst = appendItems(dst, snap.Items)
	if len(snap.Gone) > 0 {
		dst = append(dst, `,"gone":{`...)
		keys := slices.Sorted(maps.Keys(snap.Gone))
		for i, k := range keys {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendString(dst, k)
			dst = append(dst, ':')
			dst = appendString(dst, snap.Gone[k])
		}
		dst = append(dst, '}')
	}
	if len(snap.Tombstones) > 0 {
		dst = append(dst, `,"tombstones":[`...)
		dst = appendItems(dst, snap.Tombstones)
	}
	return append(dst, '}')
}

// appendItems appends the items of a list and closes it.
func appendItems(dst []byte, items []snapshot.Item) []byte {
	for i := range items {
		if i > 0 {
			dst = append(dst, ',')
		}
		it := &items[i]
		dst = append(dst, `{"kind":`...)
		dst = appendString(dst, it.Kind)
		dst = append(dst, `,"id":`...)
		dst = appendString(dst, it.ID)
		for _, f := range [...]struct{ name, value string }{
			{`,"title":`, it.Title}, {`,"url":`, it.URL}, {`,"date":`, it.Date},
			{`,"published":`, it.Published}, {`,"summary":`, it.Summary}, {`,"body":`, it.Body},
		} {
			if f.value != "" {
				dst = append(dst, f.name...)
				dst = appendString(dst, f.value)
			}
		}
		dst = append(dst, '}')
	}
	return append(dst, ']')
}

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string the way encoding/json does:
// HTML-safe (<, > and & escaped), invalid UTF-8 as \ufffd, U+2028 and
// U+2029 escaped.
// jsonSafe holds the ASCII bytes json.Marshal writes as they are.
var jsonSafe = func() (safe [utf8.RuneSelf]bool) {
	for b := range safe {
		safe[b] = b >= 0x20 && b != '"' && b != '\\' && b != '<' && b != '>' && b != '&'
	}
	return safe
}()

func appendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		if b := s[i]; b < utf8.RuneSelf {
			if jsonSafe[b] {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '\\', '"':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[b>>4], hexDigits[b&0xF])
			}
			i++
			start = i
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		if c == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if c == '\u2028' || c == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[c&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
