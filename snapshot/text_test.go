package snapshot

import (
	"strings"
	"testing"
	"unicode"
)

// collapseReference is collapse written plainly, rune by rune: the fast
// paths of collapse must agree with it on every input.
func collapseReference(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r) || r == '\u00a0' || r == '\u200b' || r == '\ufeff':
			space = true
			continue
		case r == '\u200c' || r == '\u200d' || r == '\u2060' || r == '\u00ad':
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

func FuzzCollapse(f *testing.F) {
	for _, s := range []string{"", " ", "a", "a b", "a  b", " a", "a ", "a\tb", "a\nb", "a\u00a0b", "a\u200db", "\xff a", "x\u2003 y", "already fine text", "a \r\n b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := collapse(s), collapseReference(s); got != want {
			t.Fatalf("collapse(%q) = %q, want %q", s, got, want)
		}
	})
}
