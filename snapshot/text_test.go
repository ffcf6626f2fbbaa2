package snapshot

import (
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/unicode/norm"
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

func FuzzAppendCollapsed(f *testing.F) {
	for _, s := range []string{"", " ", "a  b", " a\u00a0b ", "\xff\xfe x", "x\u200dy", "one two three", "one two  three ", "a b\tc d\u00a0e f", "word \xffword", "Привет,  мир", "2025年12月9日\u3000発表", "é\u2028x\u00adz", "한국어 \ufeff텍스트", "日本\xe3\x81語"} {
		f.Add("prefix", s)
	}
	f.Fuzz(func(t *testing.T, dst, s string) {
		got := string(appendCollapsed([]byte(dst), []byte(s)))
		if want := dst + collapseReference(s); got != want {
			t.Fatalf("appendCollapsed(%q, %q) = %q, want %q", dst, s, got, want)
		}
	})
}

// Teaser summaries: sentences of ASCII words, with a line break or two
// from the page's indentation.
func BenchmarkAppendCollapsed(b *testing.B) {
	text := []byte("\n      " + strings.Repeat("The council met farmers and workers on the budget for the railway. ", 15) + "\n    ")
	b.SetBytes(int64(len(text)))
	var out []byte
	for b.Loop() {
		out = appendCollapsed(out[:0], text)
	}
}

func FuzzWordCount(f *testing.F) {
	for _, s := range []string{"", " ", "one", " two  words ", "a\u00a0b", "\xff x", "tab\tand\nnewline", "x\u2003y\u0085z"} {
		f.Add(s)
	}
	for _, s := range []string{"会议指出，实施城市更新行动。", "Kindle書籍を読む", "「脱獄」とは iPhone の", "ＡＢＣ　ｄｅｆ", "รัฐบาล ประกาศ", "ຂ່າວ ລາວ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := WordCount(s), referenceWordCount(s); got != want {
			t.Fatalf("WordCount(%q) = %d, want %d", s, got, want)
		}
	})
}

// referenceWordCount is WordCount the slow way: CJK punctuation made
// spaces, ideographs and Southeast Asian letters taken out of the fields
// and counted a word per two and per three.
func referenceWordCount(s string) int {
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r >= 0x3000 && unicode.IsPunct(r) && !Ideograph(r) {
			return ' '
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
	words, ideographs, letters := 0, 0, 0
	for _, f := range strings.Fields(s) {
		words += len(strings.FieldsFunc(f, func(r rune) bool {
			switch {
			case Unspaced(r):
				if !unicode.IsMark(r) {
					letters++
				}
				return true
			case Ideograph(r):
				ideographs++
				return true
			}
			return false
		}))
	}
	return words + (ideographs+1)/2 + (letters+2)/3
}

func TestWordCount(t *testing.T) {
	for _, c := range []struct {
		s    string
		want int
	}{
		{"", 0},
		{"two  words", 2},
		{"a , b", 3},
		{"会议还研究了其他事项。", 5}, // ten characters
		{"会议指出，实施城市更新行动", 6},           // four and eight
		{"Kindle書籍を読む場合は", 5},          // a word and eight characters
		{"国务院常务会议部署推进城市更新工作-新华网", 11},  // 17 and 3 characters, and a hyphen
		{"서울 시청 앞", 3},                 // Korean has spaces
		{"รัฐบาลประกาศมาตรการใหม่", 7}, // 21 letters and 2 marks
	} {
		if got := WordCount(c.s); got != c.want {
			t.Errorf("WordCount(%q) = %d, want %d", c.s, got, c.want)
		}
	}
}

// nfc's shortcut for Latin text must give what the norm package gives.
func FuzzNFC(f *testing.F) {
	for _, s := range []string{"Cafe\u0301", "Café – „Zitat“ …", "\u0995\u09df", "\u1100\u1161", "\u212b", "plain", "\xff\u0301", "\u2000\u2026\u2028"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := nfc(s), norm.NFC.String(s); got != want {
			t.Fatalf("nfc(%q) = %q, want %q", s, got, want)
		}
	})
}
