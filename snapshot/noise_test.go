package snapshot

import (
	"bytes"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"
)

func TestNoiseNormalization(t *testing.T) {
	base, _ := url.Parse("https://Agency.Example:443/news/")
	page := func(title, extra string) []byte {
		return []byte(`<ul class="news"><li><h3><a href="/a.html?utm_source=x&amp;b=2&amp;a=1&amp;ref=home#top">` + title + `</a></h3>
<span class="date">December 17, 2025 · 2 hours ago</span><p>Summary text here · 1,204 views</p><span class="share">Share ` + extra + `</span></li>
<li><h3><a href="/b.html">Second Story</a></h3></li></ul>`)
	}
	rules := Rules{
		Listing:         &ListingRules{Items: cascadia.MustCompile("ul.news > li"), Date: cascadia.MustCompile(".date"), Summary: cascadia.MustCompile("p")},
		IgnoreSelectors: []goquery.Matcher{cascadia.MustCompile(".share")},
		FoldPunctuation: true,
		TrackingParams:  []string{"ref"},
	}
	a, err := Extract(page("“Budget” adopted — at last", "12"), "text/html", base, rules)
	if err != nil {
		t.Fatal(err)
	}
	it := a.Items[0]
	if it.URL != "https://agency.example/a.html?a=1&b=2" || it.ID != it.URL {
		t.Errorf("canonical link %q (id %q)", it.URL, it.ID)
	}
	if it.Title != `"Budget" adopted - at last` || it.Date != "December 17, 2025" || it.Summary != "Summary text here" {
		t.Errorf("fields: %q / %q / %q", it.Title, it.Date, it.Summary)
	}
	// Another share count, other counters, other quotes: identical items.
	b, _ := Extract(page(`"Budget" adopted - at last`, "99"), "text/html", base, rules)
	if b.Items[0] != it {
		t.Errorf("noise changed the item:\n%+v\n%+v", it, b.Items[0])
	}
	// identity: title
	rules.Identity = IdentityTitle
	c, _ := Extract(page("Budget adopted", ""), "text/html", base, rules)
	if c.Items[0].ID != "title:budget adopted" {
		t.Errorf("identity by title: %q", c.Items[0].ID)
	}
}

func TestContainsASCIIFold(t *testing.T) {
	for _, c := range []struct {
		s    string
		want bool
	}{
		{"Updated just now", true}, {"JUST NOW", true}, {"Just Now.", true}, {"jus now", false},
		{"just", false}, {"", false}, {"adjust nowhere", true}, {"ju st now", false}, {"jjust now", true},
	} {
		if got := containsASCIIFold(c.s, "just now"); got != c.want {
			t.Errorf("containsASCIIFold(%q) = %v, want %v", c.s, got, c.want)
		}
	}
}

func TestContainsDigit(t *testing.T) {
	long := strings.Repeat("the ministry's delegation met farmers ", 4)
	for _, c := range []struct {
		s    string
		want bool
	}{
		{"", false}, {"no digits", false}, {"3 views", true}, {"views 9", true}, {"٣ views", false},
		{long, false}, {long + "0", true}, {"5" + long, true}, {long[:70] + "7" + long[70:], true},
	} {
		if got := containsDigit(c.s); got != c.want {
			t.Errorf("containsDigit(%q) = %v, want %v", c.s, got, c.want)
		}
	}
}

func FuzzContainsDigit(f *testing.F) {
	f.Add("3 views")
	f.Add(strings.Repeat("x", 100) + "9")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := containsDigit(s), strings.ContainsAny(s, "0123456789"); got != want {
			t.Fatalf("containsDigit(%q) = %v, want %v", s, got, want)
		}
	})
}

// mentionsSoftError finds what lowering the page and searching it finds
// (but for the two letters outside ASCII that lower to ASCII ones, the
// Kelvin sign and the dotted capital I).
func FuzzMentionsSoftError(f *testing.F) {
	f.Add([]byte("<title>Just a Moment...</title>"))
	f.Add([]byte("Доступ запрещён: ACCESS DENIED"))
	f.Add([]byte("nothing to see here"))
	f.Fuzz(func(t *testing.T, body []byte) {
		if bytes.ContainsRune(body, '\u212a') || bytes.ContainsRune(body, '\u0130') {
			return
		}
		lower, want := bytes.ToLower(body), false
		for _, w := range softErrorWords {
			want = want || bytes.Contains(lower, []byte(w))
		}
		if got := mentionsSoftError(body); got != want {
			t.Fatalf("%q: %v, want %v", body, got, want)
		}
	})
}
