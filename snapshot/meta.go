package snapshot

import (
	"encoding/json"
	"html"
	"regexp"
	"strings"
	"unicode"

	"github.com/PuerkitoBio/goquery"
)

// pageMeta is what a page says about itself: JSON-LD, <meta> tags and the
// <title>, read before the article text is extracted.
type pageMeta struct {
	Title     string
	Byline    string
	Published string
}

var (
	// Separators between a headline and the site's name in <title>.
	titleSeparator   = regexp.MustCompile(` [|\-–—\\/>»] `)
	titleHierarchy   = regexp.MustCompile(` [\\/>»] `)
	titleBeforeLast  = regexp.MustCompile(`(.*)[|\-–—\\/>»] .*`)
	titleAfterFirst  = regexp.MustCompile(`[^|\-–—\\/>»]*[|\-–—\\/>»](.*)`)
	titleAnySep      = regexp.MustCompile(`[|\-–—\\/>»]+`)
	metaPropertyName = regexp.MustCompile(`(?i)\s*(article|dc|dcterm|og|twitter)\s*:\s*(author|creator|description|published_time|title|site_name)\s*`)
	metaNameName     = regexp.MustCompile(`(?i)^\s*(?:(dc|dcterm|og|twitter|parsely|weibo:(article|webpage))\s*[-.:]\s*)?(author|creator|pub-date|description|title|site_name)\s*$`)
	jsonLDArticle    = regexp.MustCompile(`^(Article|AdvertiserContentArticle|NewsArticle|AnalysisNewsArticle|AskPublicNewsArticle|BackgroundNewsArticle|OpinionNewsArticle|ReportageNewsArticle|ReviewNewsArticle|Report|SatiricalArticle|ScholarlyArticle|MedicalScholarlyArticle|SocialMediaPosting|BlogPosting|LiveBlogPosting|DiscussionForumPosting|TechArticle|APIReference)$`)
	schemaOrg        = regexp.MustCompile(`^https?://schema\.org/?$`)
)

// readMeta reads a page's title, byline and publication date the way
// Mozilla Readability does: JSON-LD first, then Dublin Core, Open Graph and
// other <meta> tags, then the <title> with the site name trimmed off.
func readMeta(doc *goquery.Document) pageMeta {
	ld := jsonLD(doc)
	values := map[string]string{}
	doc.Find("meta[content]").Each(func(_ int, m *goquery.Selection) {
		content := strings.TrimSpace(m.AttrOr("content", ""))
		if content == "" {
			return
		}
		if prop := m.AttrOr("property", ""); prop != "" {
			if found := metaPropertyName.FindAllString(prop, -1); len(found) > 0 {
				for i := len(found) - 1; i >= 0; i-- {
					values[strings.Join(strings.Fields(strings.ToLower(found[i])), "")] = content
				}
				return
			}
		}
		if name := m.AttrOr("name", ""); name != "" && metaNameName.MatchString(name) {
			key := strings.ReplaceAll(strings.Join(strings.Fields(strings.ToLower(name)), ""), ".", ":")
			values[key] = content
		}
	})
	m := pageMeta{
		Title: first(ld["title"], values["dc:title"], values["dcterm:title"], values["og:title"],
			values["weibo:article:title"], values["weibo:webpage:title"], values["title"],
			values["twitter:title"], values["parsely-title"]),
		Byline: first(ld["byline"], values["dc:creator"], values["dcterm:creator"], values["author"], values["parsely-author"]),
		Published: first(ld["datePublished"], values["article:published_time"], values["dcterms:available"],
			values["dcterms:created"], values["dcterms:issued"], values["weibo:article:create_at"], values["parsely-pub-date"]),
	}
	if m.Title == "" {
		m.Title = documentTitle(doc)
	}
	if a := values["article:author"]; m.Byline == "" && !strings.HasPrefix(a, "http") {
		m.Byline = a
	}
	m.Title = html.UnescapeString(m.Title)
	m.Byline = html.UnescapeString(m.Byline)
	return m
}

func first(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

// documentTitle is the page's <title> without the site name around it.
func documentTitle(doc *goquery.Document) string {
	orig := strings.TrimSpace(doc.Find("title").First().Text())
	cur := orig
	hierarchical := false
	switch {
	case titleSeparator.MatchString(cur):
		hierarchical = titleHierarchy.MatchString(cur)
		cur = titleBeforeLast.ReplaceAllString(orig, "$1")
		if WordCount(cur) < 3 {
			cur = titleAfterFirst.ReplaceAllString(orig, "$1")
		}
	case strings.Contains(cur, ": "):
		full := false
		doc.Find("h1, h2").EachWithBreak(func(_ int, h *goquery.Selection) bool {
			full = strings.TrimSpace(h.Text()) == cur
			return !full
		})
		if !full {
			cur = orig[strings.LastIndex(orig, ":")+1:]
			if WordCount(cur) < 3 {
				cur = orig[strings.Index(orig, ":")+1:]
			} else if WordCount(orig[:strings.Index(orig, ":")]) > 5 {
				cur = orig
			}
		}
	case titleAfterHeading(doc, orig) != "":
		// "国务院常务会议部署推进城市更新工作-新华网": Chinese and Japanese
		// sites put no spaces around the separator.
		cur = titleAfterHeading(doc, orig)
	case len([]rune(cur)) > 150 || len([]rune(cur)) < 15:
		if h1 := doc.Find("h1"); h1.Length() == 1 {
			cur = h1.Text()
		}
	}
	cur = strings.TrimSpace(multiSpace.ReplaceAllString(cur, " "))
	n := WordCount(cur)
	if n <= 4 && (!hierarchical || n != WordCount(titleAnySep.ReplaceAllString(orig, ""))-1) {
		cur = orig
	}
	return cur
}

// titleAfterHeading returns the page's only <h1> if the title is that
// heading followed by a separator and the site's name.
func titleAfterHeading(doc *goquery.Document, title string) string {
	h1 := doc.Find("h1")
	if h1.Length() != 1 {
		return ""
	}
	h := strings.TrimSpace(h1.Text())
	rest, ok := strings.CutPrefix(title, h)
	rest = strings.TrimSpace(rest)
	if !ok || h == "" || rest == "" || !strings.ContainsRune("|-–—_\\/>»·", []rune(rest)[0]) {
		return ""
	}
	return h
}

var multiSpace = regexp.MustCompile(`\s{2,}`)

// jsonLD reads the first schema.org article in the page's JSON-LD.
func jsonLD(doc *goquery.Document) map[string]string {
	var out map[string]string
	doc.Find(`script[type="application/ld+json"]`).EachWithBreak(func(_ int, s *goquery.Selection) bool {
		text := strings.NewReplacer("<![CDATA[", "", "]]>", "").Replace(s.Text())
		var parsed any
		if json.Unmarshal([]byte(text), &parsed) != nil {
			return true
		}
		obj := articleObject(parsed)
		if obj == nil {
			return true
		}
		out = map[string]string{}
		name, _ := obj["name"].(string)
		headline, _ := obj["headline"].(string)
		switch {
		case name != "" && headline != "" && name != headline:
			t := documentTitle(doc)
			if similarity(headline, t) > 0.75 && similarity(name, t) <= 0.75 {
				out["title"] = headline
			} else {
				out["title"] = name
			}
		case name != "":
			out["title"] = strings.TrimSpace(name)
		case headline != "":
			out["title"] = strings.TrimSpace(headline)
		}
		switch a := obj["author"].(type) {
		case map[string]any:
			if n, ok := a["name"].(string); ok {
				out["byline"] = strings.TrimSpace(n)
			}
		case []any:
			var names []string
			for _, e := range a {
				if m, ok := e.(map[string]any); ok {
					if n, ok := m["name"].(string); ok {
						names = append(names, strings.TrimSpace(n))
					}
				}
			}
			out["byline"] = strings.Join(names, ", ")
		}
		if d, ok := obj["datePublished"].(string); ok {
			out["datePublished"] = d
		}
		return false
	})
	return out
}

// articleObject finds the schema.org article object in parsed JSON-LD.
func articleObject(parsed any) map[string]any {
	var obj map[string]any
	switch p := parsed.(type) {
	case []any:
		for _, e := range p {
			if m, ok := e.(map[string]any); ok {
				if t, _ := m["@type"].(string); jsonLDArticle.MatchString(t) {
					obj = m
					break
				}
			}
		}
	case map[string]any:
		obj = p
	}
	if obj == nil {
		return nil
	}
	switch c := obj["@context"].(type) {
	case string:
		if !schemaOrg.MatchString(c) {
			return nil
		}
	case map[string]any:
		if v, _ := c["@vocab"].(string); !schemaOrg.MatchString(v) {
			return nil
		}
	default:
		return nil
	}
	if _, ok := obj["@type"]; !ok {
		graph, _ := obj["@graph"].([]any)
		for _, g := range graph {
			if m, ok := g.(map[string]any); ok {
				if t, _ := m["@type"].(string); jsonLDArticle.MatchString(t) {
					obj = m
					break
				}
			}
		}
	}
	if t, _ := obj["@type"].(string); !jsonLDArticle.MatchString(t) {
		return nil
	}
	return obj
}

// similarity is 1 minus the share of b's text made of words a lacks.
func similarity(a, b string) float64 {
	words := func(s string) []string {
		return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_' })
	}
	wa, wb := words(a), words(b)
	if len(wa) == 0 || len(wb) == 0 {
		return 0
	}
	inA := map[string]bool{}
	for _, w := range wa {
		inA[w] = true
	}
	var uniq []string
	for _, w := range wb {
		if !inA[w] {
			uniq = append(uniq, w)
		}
	}
	return 1 - float64(len(strings.Join(uniq, " ")))/float64(len(strings.Join(wb, " ")))
}
