package diff

import (
	"fmt"
	"math/rand"
	"reflect"
	"strings"
	"testing"

	"github.com/sergi/go-diff/diffmatchpatch"
)

func TestText(t *testing.T) {
	for _, tc := range []struct {
		name string
		a, b string
		want []Op
	}{
		{"equal", "same", "same", []Op{{OpEqual, "same"}}},
		{"both empty", "", "", nil},
		{"from empty", "", "new text", []Op{{OpInsert, "new text"}}},
		{"to empty", "old text", "", []Op{{OpDelete, "old text"}}},
		{"one word", "The budget was adopted today.", "The budget was approved today.",
			[]Op{{OpEqual, "The budget was "}, {OpDelete, "adopted"}, {OpInsert, "approved"}, {OpEqual, " today."}}},
		{"paragraph added", "One.\nTwo.", "One.\nNew.\nTwo.",
			[]Op{{OpEqual, "One.\n"}, {OpInsert, "New.\n"}, {OpEqual, "Two."}}},
		{"paragraph removed", "One.\nGone.\nTwo.", "One.\nTwo.",
			[]Op{{OpEqual, "One.\n"}, {OpDelete, "Gone.\n"}, {OpEqual, "Two."}}},
		{"number in date", "December 15, 2025", "December 14, 2025",
			[]Op{{OpEqual, "December "}, {OpDelete, "15"}, {OpInsert, "14"}, {OpEqual, ", 2025"}}},
		{"non-latin words", "Пленарное заседание открылось", "Пленарное заседание закрылось",
			[]Op{{OpEqual, "Пленарное заседание "}, {OpDelete, "открылось"}, {OpInsert, "закрылось"}}},
		// Chinese and Japanese have no spaces: the characters are the words.
		{"chinese insertion", "会议要求各地制定专项规划。", "会议要求各地尽快制定专项规划。",
			[]Op{{OpEqual, "会议要求各地"}, {OpInsert, "尽快"}, {OpEqual, "制定专项规划。"}}},
		{"chinese figure", "全年增长百分之五，好于预期。", "全年增长百分之四，好于预期。",
			[]Op{{OpEqual, "全年增长百分之"}, {OpDelete, "五"}, {OpInsert, "四"}, {OpEqual, "，好于预期。"}}},
		{"thai", "รัฐบาลประกาศมาตรการใหม่", "รัฐบาลประกาศมาตรการเก่า",
			[]Op{{OpEqual, "รัฐบาลประกาศมาตรการ"}, {OpDelete, "ใหม่"}, {OpInsert, "เก่า"}}},
		{"japanese", "東京で会議が開かれた。", "大阪で会議が開かれた。",
			[]Op{{OpDelete, "東京"}, {OpInsert, "大阪"}, {OpEqual, "で会議が開かれた。"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Text(tc.a, tc.b)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Text(%q, %q)\n got %q\nwant %q", tc.a, tc.b, got, tc.want)
			}
			if Old(got) != tc.a || New(got) != tc.b {
				t.Errorf("ops do not rebuild the texts: %q", got)
			}
		})
	}
}

// article returns a long article of n words in paragraphs of 60 words.
func article(n int, seed int64) string {
	r := rand.New(rand.NewSource(seed))
	words := strings.Fields("the assembly budget meeting deputies law heritage adopted province report cabinet plan industry power metal chemical target year capital state")
	var sb strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 {
			if i%60 == 0 {
				sb.WriteString(".\n")
			} else {
				sb.WriteByte(' ')
			}
		}
		sb.WriteString(words[r.Intn(len(words))])
		fmt.Fprintf(&sb, "%d", r.Intn(100))
	}
	return sb.String() + "."
}

// A one-word edit in a 5,000-word article is that word and nothing else.
func TestTextOneWordInLongArticle(t *testing.T) {
	a := article(5000, 1)
	words := strings.Split(a, " ")
	target := words[2500]
	words[2500] = "EDITED"
	b := strings.Join(words, " ")
	ops := Text(a, b)
	var changes []Op
	for _, o := range ops {
		if o.Op != OpEqual {
			changes = append(changes, o)
		}
	}
	want := []Op{{OpDelete, target}, {OpInsert, "EDITED"}}
	if !reflect.DeepEqual(changes, want) {
		t.Errorf("changes = %q, want %q", changes, want)
	}
	if Old(ops) != a || New(ops) != b {
		t.Error("ops do not rebuild the texts")
	}
}

// In a large rewrite, paragraphs that were only edited are still diffed
// word by word, and the result is complete.
func TestTextLargeRewrite(t *testing.T) {
	a, b := article(30000, 1), article(30000, 2)
	pa := strings.Split(a, "\n")
	pb := strings.Split(b, "\n")
	// Keep paragraph 100 of a in b, with one word changed.
	kept := strings.Replace(pa[100], " ", " EDITED ", 1)
	pb[100] = kept
	b = strings.Join(pb, "\n")
	ops := Text(a, b)
	if Old(ops) != a || New(ops) != b {
		t.Fatal("ops do not rebuild the texts")
	}
	found := false
	for _, o := range ops {
		if o.Op == OpInsert && o.Text == "EDITED " {
			found = true
		}
	}
	if !found {
		t.Error("the one-word edit inside a rewritten article is not shown as such")
	}
}

func FuzzText(f *testing.F) {
	f.Add("The budget was adopted.", "The budget was approved.")
	f.Add("One.\nTwo.\nThree.", "One.\nThree.\nFour.")
	f.Add("", "x")
	f.Add("a\u00a0b  c", "a b\u200bc")
	f.Fuzz(func(t *testing.T, a, b string) {
		ops := Text(a, b)
		a, b = strings.ToValidUTF8(a, "\uFFFD"), strings.ToValidUTF8(b, "\uFFFD")
		if Old(ops) != a || New(ops) != b {
			t.Fatalf("Text(%q, %q) = %q does not rebuild the texts", a, b, ops)
		}
		for i, o := range ops {
			if o.Text == "" {
				t.Fatalf("empty op %d in %q", i, ops)
			}
			if i > 0 && ops[i-1].Op == o.Op {
				t.Fatalf("adjacent ops of one kind in %q", ops)
			}
		}
	})
}

func BenchmarkTextOneWordEdit(b *testing.B) {
	a := article(5000, 1)
	words := strings.Split(a, " ")
	words[2500] = "EDITED"
	c := strings.Join(words, " ")
	b.SetBytes(int64(len(a)))
	for b.Loop() {
		Text(a, c)
	}
}

func BenchmarkTextRewrite(b *testing.B) {
	a, c := article(5000, 1), article(5000, 2)
	b.SetBytes(int64(len(a)))
	for b.Loop() {
		Text(a, c)
	}
}

// FuzzParagraphs exercises the pairing used for large rewrites, which
// FuzzText's small inputs do not reach.
func FuzzParagraphs(f *testing.F) {
	f.Add("One two three.\nFour five six.\nSeven.", "Zero.\nOne two three!\nSeven eight.")
	f.Add("a\nb\nc\n", "c\nb\na\n")
	f.Fuzz(func(t *testing.T, a, b string) {
		a, b = strings.ToValidUTF8(a, "\uFFFD"), strings.ToValidUTF8(b, "\uFFFD")
		ops := paragraphs(diffmatchpatch.New(), a, b)
		if Old(ops) != a || New(ops) != b {
			t.Fatalf("paragraphs(%q, %q) = %q does not rebuild the texts", a, b, ops)
		}
	})
}

// A fully rewritten article of about 1 MB.
func BenchmarkTextRewrite1MB(b *testing.B) {
	benchRewrite(b, article(170000, 1), article(170000, 2))
}

// benchRewrite diffs a text of 1 MB against its rewrite c.
func benchRewrite(b *testing.B, a, c string) {
	if len(a) < 1<<20 {
		b.Fatalf("text is %d bytes, want 1 MB", len(a))
	}
	b.SetBytes(int64(len(a)))
	for b.Loop() {
		Text(a, c)
	}
}

// chineseArticle is n random characters of Chinese, in paragraphs of 120.
func chineseArticle(n int, seed int64) string {
	r := rand.New(rand.NewSource(seed))
	chars := []rune("会议指出实施城市更新行动是推动发展的重要举措各地区部门要坚持以人民为中心统筹和安全稳步老旧小区改造基础设施财政资金")
	var sb strings.Builder
	for i := 1; i <= n; i++ {
		sb.WriteRune(chars[r.Intn(len(chars))])
		if i%120 == 0 {
			sb.WriteString("。\n")
		}
	}
	return sb.String()
}

// A rewrite of a 1 MB Chinese text, a token for every character: the
// worst case of the character diff.
func BenchmarkTextRewrite1MBChinese(b *testing.B) {
	benchRewrite(b, chineseArticle(350000, 1), chineseArticle(350000, 2))
}
