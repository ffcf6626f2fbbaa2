package snapshot

import (
	"regexp"
	"strings"
)

// counters are texts in teasers that change without the news changing:
// relative times, view, comment and share counts, reading times.
var counters = regexp.MustCompile(`(?i)\b(\d+\s*(seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?)\s+ago|just now|[\d.,]+\s*[km]?\s+(views?|comments?|shares?|reads?|likes?|reactions?|replies)|\d+\s*(min|minute)s?\s+read|views?:\s*[\d.,]+|comments?:\s*[\d.,]+)\b`)

// counterWords are in every text counters match.
var counterWords = []string{"ago", "just now", "view", "comment", "share", "read", "like", "reaction", "repl"}

// dropCounters removes relative times and counters from a listing field.
func dropCounters(s string) string {
	// Every counter has a digit, except "just now", and one of a few
	// words: most texts need no regular expression at all.
	if s == "" {
		return s
	}
	if !containsDigit(s) && !containsASCIIFold(s, "just now") {
		return s
	}
	lower := strings.ToLower(s)
	hit := false
	for _, w := range counterWords {
		if strings.Contains(lower, w) {
			hit = true
			break
		}
	}
	if !hit {
		return s
	}
	out := counters.ReplaceAllString(s, "")
	if out == s {
		return s
	}
	// The separators that stood beside the counter go with it.
	return strings.Trim(collapse(out), " ·•|–-,;:/")
}

// containsDigit reports whether s has an ASCII digit. Listing summaries
// run to hundreds of bytes, mostly without one: ten IndexByte scans (in
// vector instructions) beat a byte-by-byte look at each.
func containsDigit(s string) bool {
	if len(s) < 64 {
		for i := 0; i < len(s); i++ {
			if '0' <= s[i] && s[i] <= '9' {
				return true
			}
		}
		return false
	}
	for d := byte('0'); d <= '9'; d++ {
		if strings.IndexByte(s, d) >= 0 {
			return true
		}
	}
	return false
}

// containsASCIIFold reports whether s contains word (lower-case ASCII
// letters and spaces) in any case, without copying s. It looks only where
// word's first letter is, which IndexByte finds quickly.
func containsASCIIFold(s, word string) bool {
	for _, first := range []byte{word[0], word[0] - 'a' + 'A'} {
		for rest := s; ; {
			i := strings.IndexByte(rest, first)
			if i < 0 || len(rest)-i < len(word) {
				break
			}
			if strings.EqualFold(rest[i:i+len(word)], word) {
				return true
			}
			rest = rest[i+1:]
		}
	}
	return false
}

var punctuationFolder = strings.NewReplacer(
	"“", `"`, "”", `"`, "„", `"`, "‟", `"`, "«", `"`, "»", `"`, "″", `"`,
	"‘", "'", "’", "'", "‚", "'", "‛", "'", "′", "'", "‹", "'", "›", "'",
	"–", "-", "—", "-", "―", "-", "‒", "-", "−", "-", "‐", "-", "‑", "-",
	"…", "...",
)

// foldPunctuation makes typographic quotes and dashes plain, so that a
// newsroom's change of style is not an edit.
func foldPunctuation(s string) string { return punctuationFolder.Replace(s) }

// softErrors are what error, challenge and consent pages say in place of
// the content. They are looked for on short pages only.
var softErrors = []struct {
	re     *regexp.Regexp
	reason string
}{
	{regexp.MustCompile(`(?i)\b(captcha|are you (a )?(robot|human)|verify (that )?you are (a )?human|prove you('| a)re (not a robot|human))\b`), "a CAPTCHA or bot check"},
	{regexp.MustCompile(`(?i)(checking your browser|just a moment\.\.\.|enable javascript and cookies to continue|attention required|ddos protection by)`), "a browser challenge"},
	{regexp.MustCompile(`(?i)\b(access denied|403 forbidden|you don't have permission to access|request blocked|you have been blocked)\b`), `an "access denied" page`},
	{regexp.MustCompile(`(?i)\b(under maintenance|down for maintenance|scheduled maintenance|temporarily unavailable|service unavailable|be right back)\b`), "a maintenance page"},
	{regexp.MustCompile(`(?i)\b(we value your privacy|before you continue|accept (all )?cookies to (continue|access)|consent to (the use of )?cookies)\b`), "a consent wall"},
	{regexp.MustCompile(`(?i)\b(404 not found|page not found|the page you requested (could not|cannot) be found)\b`), "a not-found page"},
}

// softErrorWords are in every text softErrors match (lowercase).
var softErrorWords = []string{"captcha", "robot", "human", "browser", "just a moment", "javascript", "attention required",
	"ddos", "denied", "forbidden", "permission", "blocked", "maintenance", "unavailable", "be right back", "privacy",
	"before you continue", "cookies", "consent", "not found", "could not be found", "cannot be found"}

// softErrorFirst lists softErrorWords by their first letter.
var softErrorFirst = func() (t [256][]string) {
	for _, w := range softErrorWords {
		t[w[0]] = append(t[w[0]], w)
	}
	return t
}()

// mentionsSoftError reports whether body holds one of softErrorWords, in
// any case: one pass, without lowering a copy of the page (which, in a
// language other than English, costs a pass of its own rune by rune).
func mentionsSoftError(body []byte) bool {
	for i, c := range body {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		for _, w := range softErrorFirst[c] {
			if hasPrefixFold(body[i:], w) {
				return true
			}
		}
	}
	return false
}

// hasPrefixFold reports whether b begins with the lowercase ASCII word w,
// in any case.
func hasPrefixFold(b []byte, w string) bool {
	if len(b) < len(w) {
		return false
	}
	for k := 0; k < len(w); k++ {
		c := b[k]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != w[k] {
			return false
		}
	}
	return true
}

// SoftError reports whether a page that was served successfully is in fact
// an error, challenge, maintenance or consent page, and which. Only short
// pages (under 400 words of text) are judged: a real article that mentions
// "access denied" is not one.
func SoftError(body []byte, contentType string) string {
	// Most pages say none of these words at all; only those that do are
	// parsed and read.
	if !mentionsSoftError(body) {
		return ""
	}
	doc, err := Parse(body, contentType)
	if err != nil {
		return ""
	}
	text := inline(doc.Find("body").Nodes)
	title := inline(doc.Find("title").Nodes)
	if WordCount(text) >= 400 {
		return ""
	}
	for _, s := range softErrors {
		if s.re.MatchString(title) || s.re.MatchString(text) {
			return s.reason
		}
	}
	return ""
}
