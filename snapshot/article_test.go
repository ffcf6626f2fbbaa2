package snapshot

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/text/unicode/norm"
)

// prose is n paragraphs of distinct sentences, as an article's are, each
// words long (the same seed gives the same text).
func prose(seed string, n, words int) []string {
	var out []string
	for p := 0; p < n; p++ {
		var ws []string
		for w := 0; w < words; w++ {
			ws = append(ws, fmt.Sprintf("%s%dw%d", seed, p, w))
		}
		out = append(out, strings.Join(ws, " ")+".")
	}
	return out
}

func lines(parts ...[]string) string {
	var all []string
	for _, p := range parts {
		all = append(all, p...)
	}
	return strings.Join(all, "\n")
}

// The choice between go-trafilatura's body (first) and go-readability's
// (second), in each of the ways the first fails and the ways it does not.
func TestPreferSecond(t *testing.T) {
	article := prose("story", 8, 30)
	notice := prose("consent", 2, 20)
	related := prose("related", 6, 8)
	// A page of quotes: readability took the column, trafilatura the
	// page's own, each under the same line of share buttons.
	posts := prose("quote", 7, 60)
	share := "Whatsapp Facebook Pint Download"
	column := []string{"Messages » Self-esteem » Only who loves himself"}
	for _, p := range posts {
		column = append(column, share, p, "Messages of self-esteem, reflections on life")
	}
	// An article with a line of advertising between every two or three
	// paragraphs, where trafilatura stopped at the first.
	long := prose("story", 10, 30)
	var withAds []string
	for i, p := range long {
		withAds = append(withAds, p)
		if i%3 == 1 {
			withAds = append(withAds, "Advertisement")
		}
	}
	for _, c := range []struct {
		name          string
		first, second string
		want          bool
	}{
		{"second took the column of posts the first's is the first of", posts[0], lines(column), false},
		{"second read on past the advertising first stopped at", lines(long[:2]), lines(withAds), true},
		{"the same text", lines(article), lines(article), false},
		{"first stopped early", lines(article[:3]), lines(article), true},
		{"first read a consent notice, second the article", lines(notice), lines(article), true},
		{"first read a box that shares a little with the article", lines(article[:1], notice), lines(article), true},
		{"second a little longer, with its own boilerplate", lines(article), lines(article, notice[:1]), false},
		{"first took in related links", lines(article, related), lines(article), true},
		{"second kept only the end of a letter: first's long paragraphs stand", lines(article), lines(article[5:]), false},
		{"second dropped two long paragraphs and the links", lines(article[:2], related, article[2:]), lines(article[2:]), true},
		{"second too short to judge", lines(notice), lines(article[:1]), false},
		{"second only added short lines around a short report (section, author, date, print, permalink)",
			lines(prose("brief", 3, 20)), lines([]string{"Environment"}, prose("brief", 3, 20), prose("meta", 14, 4)), false},
	} {
		if got := preferSecond(c.first, c.second); got != c.want {
			t.Errorf("%s: preferSecond = %v, want %v", c.name, got, c.want)
		}
	}
}

// What trafilatura dropped of an article readability kept is put back:
// a lede above the text and paragraphs that lost their first sentences;
// not a caption readability ran into a paragraph, nor anything when the
// two read different texts.
func TestMended(t *testing.T) {
	story := prose("story", 6, 30)
	lede := prose("lede", 1, 25)
	cut := strings.Join(strings.Fields(story[1])[12:], " ")
	captioned := story[2] + " Photo of the harbour at dawn by the staff photographer."
	related := prose("related", 8, 30)
	for _, c := range []struct {
		name          string
		first, second string
		want          string
	}{
		{"lede above the text", lines(story), lines(lede, story), lines(lede, story)},
		{"paragraph cut short", lines(story[:1], []string{cut}, story[2:]), lines(story), lines(story)},
		{"caption run into a paragraph", lines(story), lines(story[:2], []string{captioned}, story[3:]), lines(story)},
		{"short line above is no lede", lines(story), lines([]string{"Share this"}, lede, story), lines(story)},
		{"another text", lines(story), lines(lede, related), lines(story)},
		{"nothing from readability", lines(story), "", lines(story)},
		{"paragraph broken after its first words", lines(story[:1], []string{strings.Join(strings.Fields(story[1])[:5], " "), cut}, story[2:]), lines(story), lines(story)},
		{"paragraph broken in two", lines(story[:1], []string{strings.Join(strings.Fields(story[1])[:10], " "), strings.Join(strings.Fields(story[1])[10:], " ")}, story[2:]), lines(story), lines(story)},
		{"a paragraph repeated", lines(story[:2], story[1:]), lines(story[:2], story[1:]), lines(story[:2], story[1:])},
		{"furniture only trafilatura has, under the text", lines(story, []string{"Share this article", "Siguenos en Telegram y Twitter", "Kategorien"}), lines(story), lines(story)},
		{"a line only trafilatura has, inside the text", lines(story[:3], []string{"Share this article"}, story[3:]), lines(story), lines(story[:3], []string{"Share this article"}, story[3:])},
		{"a deck above the text kept", lines([]string{"The harbour opens its new quay"}, story, []string{"Kategorien"}), lines(story), lines([]string{"The harbour opens its new quay"}, story)},
		{"short lines readability has too", lines(story[:3], []string{"The new quay"}, story[3:]), lines(story[:3], []string{"The new quay"}, story[3:]), lines(story[:3], []string{"The new quay"}, story[3:])},
		{"headings kept", lines(story[:2], []string{"The harbour"}, story[2:]), lines(story), lines(story[:2], []string{"The harbour"}, story[2:])},
	} {
		if got := mended(c.first, c.second); got != c.want {
			t.Errorf("%s: mended =\n%s\nwant\n%s", c.name, got, c.want)
		}
	}
}

func TestCutShort(t *testing.T) {
	for _, c := range []struct {
		part, whole string
		want        bool
	}{
		{"DigiTimes . A preview was shared.", "Apple plans a new model, according to DigiTimes. A preview was shared.", true},
		{"Apple plans a new model.", "Apple plans a new model. Photo: Apple", false},
		{"The same text.", "The same text.", false},
		{"", "Anything.", false},
	} {
		if got := cutShort(c.part, c.whole); got != c.want {
			t.Errorf("cutShort(%q, %q) = %v, want %v", c.part, c.whole, got, c.want)
		}
	}
}

// go-trafilatura strips inline elements and leaves their texts side by
// side; those join as its own text output joins them, while texts apart
// in the tree keep a space between them.
func TestSpacedParagraphsJoinStrippedInlines(t *testing.T) {
	p := &html.Node{Type: html.ElementNode, Data: "p", DataAtom: atom.P}
	for _, n := range []*html.Node{
		{Type: html.TextNode, Data: `liest du in unserem Artikel "`},
		{Type: html.TextNode, Data: "Warum wird das Erdöl knapp?"},
		{Type: html.TextNode, Data: `".`},
		{Type: html.ElementNode, Data: "br", DataAtom: atom.Br},
		{Type: html.TextNode, Data: "Mehr"},
	} {
		p.AppendChild(n)
	}
	b := &html.Node{Type: html.ElementNode, Data: "b", DataAtom: atom.B}
	b.AppendChild(&html.Node{Type: html.TextNode, Data: "Bericht"})
	p.AppendChild(b)
	p.AppendChild(&html.Node{Type: html.TextNode, Data: "lesen"})
	got := spacedParagraphs([]*html.Node{p})
	want := "liest du in unserem Artikel \"Warum wird das Erdöl knapp?\".\nMehr Bericht lesen"
	if got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

// firstMatch finds what FindMatcher(m).First() finds, from every element
// of a teaser list, for the selectors listings use.
func TestFirstMatchIsFindFirst(t *testing.T) {
	page := `<main><ul class="teasers">
<li><article><a href="/k">Kicker</a><h3><a href="/a">First <em>story</em></a></h3><span class="date">9 December 2025</span>
<p class="summary">One <a href="/x">link</a>.</p><p>Second p</p><time datetime="2025-12-09">Dec 9</time></article></li>
<li><h2>Outer</h2><div><h3>Inner <a href="/b">b</a></h3><h3><a href="/c">c</a></h3></div><p>only p</p></li>
<li></li></ul><h3>after</h3></main>`
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, sel := range []string{"h3", "h3 a", "a[href]", ".date", "p.summary", "p", "time", "h1, h2, h3", "li > *", "em", "nothing"} {
		m := cascadia.MustCompile(sel)
		doc.Find("*").Add("html").Each(func(_ int, s *goquery.Selection) {
			want, got := s.FindMatcher(m).First(), firstMatch(s, m)
			if want.Length() != got.Length() || want.Length() == 1 && want.Nodes[0] != got.Nodes[0] {
				t.Errorf("%q from <%s>: firstMatch %v, FindMatcher().First() %v", sel, goquery.NodeName(s), got.Nodes, want.Nodes)
			}
			checked++
		})
	}
	if got := firstMatch(doc.Selection, cascadia.MustCompile("h3 a")); got.Text() != "First story" {
		t.Errorf("first h3 a of the document: %q", got.Text())
	}
	t.Logf("%d selections compared", checked)
}

// Whatever two extractors return, mending invents nothing: every line it
// gives is one of trafilatura's or a paragraph of readability's.
func FuzzMended(f *testing.F) {
	story := prose("story", 4, 12)
	f.Add(lines(story), lines(prose("lede", 1, 25), story))
	f.Add(lines(story[:1], []string{"cut short here"}, story[2:]), lines(story))
	f.Add(lines(story, []string{"Temas"}), lines(story))
	f.Add("a\n\nb", "")
	f.Fuzz(func(t *testing.T, first, second string) {
		got := mended(first, second)
		known := map[string]bool{}
		for _, l := range strings.Split(first, "\n") {
			known[l] = true
		}
		for _, p := range strings.Split(second, "\n") {
			known[p] = true
		}
		for _, l := range strings.Split(got, "\n") {
			if !known[l] {
				t.Fatalf("mended(%q, %q) gave the line %q, in neither", first, second, l)
			}
		}
		if second == "" && got != first {
			t.Fatalf("mended changed %q with nothing to mend it from", first)
		}
	})
}

// A broadcaster's video page carries its sign-in dialog in the HTML, a
// line per error message in panels of an <article>; its own text is the
// description under the video. Both extractors read the dialog. A page
// wrapped in one form, with a sign-in box in its header, keeps its
// article.
func TestSignInDialog(t *testing.T) {
	messages := []string{
		"Zu dieser E-Mail-Adresse ist kein Konto vorhanden oder das angegebene Passwort ist falsch.",
		"Bitte trage eine E-Mail-Adresse ein, damit wir dir einen Link schicken können.",
		"Diese E-Mail-Adresse ist bereits bei uns registriert. Bist du vielleicht schon angemeldet?",
		"Diese E-Mail-Adresse scheint nicht korrekt zu sein, sie muss ein @ beinhalten und eine existierende Domain haben.",
		"Das Passwort muss mindestens acht Zeichen lang sein und einen Großbuchstaben enthalten.",
		"Leider hat die Registrierung nicht funktioniert. Bitte überprüfe deine Angaben und versuche es noch einmal.",
	}
	var dialog strings.Builder
	dialog.WriteString(`<div class="b-dialog x-dialog-login" id="aria-login-dialog"><div class="b-login">`)
	for panel := range 3 {
		fmt.Fprintf(&dialog, `<article class="login-modal" id="panel-%d"><form action="#"><h2>Anmelden</h2><fieldset>`, panel)
		for _, m := range messages {
			fmt.Fprintf(&dialog, `<p class="form-field-error" role="alert"><span>%s</span></p>`, m)
		}
		dialog.WriteString(`<input type="email" name="email"><input type="password" name="password"><button>Anmelden</button></fieldset></form></article>`)
	}
	dialog.WriteString(`</div></div>`)
	description := "New York ist das Epizentrum der Pandemie in den Vereinigten Staaten. Auch der Sport ist dort zum Stillstand gekommen, die Stadien bleiben leer. " +
		"Die Anteilnahme in den großen Ligen ist groß, Spieler spenden für Krankenhäuser. Wie es sportlich weitergeht, weiß im Moment niemand, und die Vereine planen von Woche zu Woche."
	page := `<html><head><title>Sport in Zeiten der Pandemie</title></head><body>` + dialog.String() +
		`<main><div class="player" data-player="video"></div><div class="item-caption"><h2>Sport in Zeiten der Pandemie</h2><span>von Andreas Beispiel</span><p class="item-description">` +
		description + `</p></div></main></body></html>`
	art, err := AutoArticle([]byte(page), "text/html", mustParse("https://tv.example.de/sport/sport-pandemie-100.html"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(art.Body, "Passwort") || strings.Contains(art.Body, "E-Mail-Adresse") {
		t.Errorf("the sign-in dialog was read as the article:\n%s", art.Body)
	}
	if !strings.Contains(art.Body, "Epizentrum der Pandemie") {
		t.Errorf("the description is missing:\n%s", art.Body)
	}

	paras := prose("report", 5, 70)
	wrapped := `<html><head><title>Council adopts the budget</title></head><body><form id="aspnetForm" action="/default.aspx">` +
		`<div class="login">` + `<input type="text" name="user"><input type="password" name="pass"><button>Sign in</button></div>` +
		`<h1>Council adopts the budget</h1><div class="content"><p>` + strings.Join(paras, "</p><p>") + `</p></div></form></body></html>`
	art, err = AutoArticle([]byte(wrapped), "text/html", mustParse("https://city.example.org/news/council-adopts-the-budget.aspx"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(art.Body, paras[0]) || !strings.Contains(art.Body, paras[4]) {
		t.Errorf("the page wrapped in a form lost its article:\n%s", art.Body)
	}
}

// A short notice beside a newsletter's sign-up form: the form's labels
// and consent lines outweigh the notice, and are no article.
func TestNewsletterForm(t *testing.T) {
	notice := "To listen to her interview again, click the icon below. The spokeswoman of the association was the guest of the morning show to speak about the launch of the petition against the sale of the airports."
	form := `<div class="newsletter-box"><form method="post" action="/news/interview">` +
		`<label>Your e-mail address (required)</label><input type="email" name="mail">` +
		`<label>First name</label><input type="text" name="first"><label>Name</label><input type="text" name="name">` +
		`<label>Postcode (required)</label><input type="text" name="postcode"><label>Country (required)</label><input type="text" name="country">` +
		`<p><input type="checkbox" name="letter">Receive the association's letter and its calls to action (two or three e-mails a month at most)</p>` +
		`<p><input type="checkbox" name="local">Receive local news: the next events of the local group nearest to where I live</p>` +
		`<p><input type="checkbox" name="act">Take part in the association's actions: news of the next actions of civil disobedience and of the trainings for them</p>` +
		`<p>By filling in this form you will be put on our mailing list. You may unsubscribe at any time with the link at the end of every e-mail we send. Your data will not be given to third parties.</p>` +
		`<button>Subscribe</button></form></div>`
	page := `<html><head><title>The privatisations serve private interests</title></head><body>` +
		`<h1>The privatisations serve private interests</h1><div class="text"><p>` + notice + `</p></div>` + form + `</body></html>`
	art, err := AutoArticle([]byte(page), "text/html", mustParse("file:///saved/page.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(art.Body, "launch of the petition") || strings.Contains(art.Body, "mailing list") {
		t.Errorf("got the body\n%s\nwant the notice without the sign-up form", art.Body)
	}
}

// Text is kept in one Unicode form (NFC): a page that writes "é" as one
// character on one visit and as "e" and an accent on the next has not
// changed, nor has a Bengali page that writes "য়" either way.
func TestNormalizedText(t *testing.T) {
	decomposed := "Cafe\u0301 owners meet the council"
	paras := prose("cafe", 4, 30)
	page := `<html><head><title>` + decomposed + `</title></head><body><h1>` + decomposed + `</h1><p>` +
		strings.Join(paras, "</p><p>") + " The cafe\u0301 stays open.</p></body></html>"
	art, err := AutoArticle([]byte(page), "text/html", mustParse("https://news.example.org/2025/12/17/cafe-owners-meet-council"))
	if err != nil {
		t.Fatal(err)
	}
	if art.Title != "Caf\u00e9 owners meet the council" || !strings.Contains(art.Body, "caf\u00e9 stays open") || strings.Contains(art.Body, "\u0301") {
		t.Errorf("got title %q and body\n%q\nwant both in NFC", art.Title, art.Body)
	}

	var list strings.Builder
	for i := range 5 {
		fmt.Fprintf(&list, "<li><a href=\"/news/%d\">\u0995\u09c1\u09b7\u09cd\u099f\u09bf\u09df\u09be story number %d of the day</a></li>", i, i)
	}
	snap, err := Extract([]byte(`<html><body><ul>`+list.String()+`</ul></body></html>`), "text/html", mustParse("https://news.example.org/"), Rules{AutoListing: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range snap.Items {
		if it.Title != norm.NFC.String(it.Title) || !strings.Contains(it.Title, "\u09af\u09bc") {
			t.Errorf("item title %q is not in NFC", it.Title)
		}
	}
	if len(snap.Items) != 5 {
		t.Errorf("%d items, want 5", len(snap.Items))
	}
}

// A page that writes its text in with a script, or behind a paywall's
// prompt, may state the whole article in its JSON-LD: that is its body
// where the extractors found only the prompt and a teaser. A stated
// teaser does not replace the page's text.
func TestStatedBody(t *testing.T) {
	ld := func(body string) string {
		b, _ := json.Marshal(map[string]any{"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Snow weighs on the panels", "articleBody": body})
		return `<script type="application/ld+json">` + string(b) + `</script>`
	}
	full := prose("snow", 6, 40)
	teaser := "A blanket of snow on a solar plant lowers its yield. The weight strains the modules too."
	paywall := `<h1>Snow weighs on the panels</h1><p>` + teaser + `</p><div class="offer"><p>Read on with top plus</p>` +
		`<p>All the expert knowledge of arable farming, cattle and pig keeping and farm management, every week in your inbox and on every device you own.</p>` +
		`<p>The digital yearly subscription gives you every article, the archive of all issues since 1995, the weekly market reports and the price alerts for grain, milk and meat.</p>` +
		`<p>The print and digital subscription adds the monthly magazine in your letterbox, with the special issues on machinery, energy and buildings, at a price of a coffee a week.</p>` +
		`<p>Already a subscriber? Sign in with your customer number to read on.</p></div>`
	base := mustParse("https://farm.example.de/energy/news/snow-weighs-on-the-panels-1055.html")

	art, err := AutoArticle([]byte(`<html><head><title>Snow weighs on the panels</title>`+ld(teaser+"\n"+strings.Join(full, "\n"))+`</head><body>`+paywall+`</body></html>`), "text/html", base)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(art.Body, full[5]) || strings.Contains(art.Body, "subscription") {
		t.Errorf("behind the paywall: got\n%s\nwant the stated article", art.Body)
	}

	page := `<html><head><title>Snow weighs on the panels</title>` + ld(teaser) + `</head><body><h1>Snow weighs on the panels</h1><p>` + strings.Join(full, "</p><p>") + `</p></body></html>`
	if art, err = AutoArticle([]byte(page), "text/html", base); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(art.Body, full[0]) || !strings.Contains(art.Body, full[5]) {
		t.Errorf("a stated teaser replaced the page's text:\n%s", art.Body)
	}

	for in, want := range map[string]string{
		"<p>First paragraph.</p><p>Second &amp; last.</p>": "First paragraph.\nSecond & last.",
		"First line.\n\n  Second   line &amp; more.":       "First line.\nSecond line & more.",
		"  ": "",
	} {
		if got := statedText(in); got != want {
			t.Errorf("statedText(%q) = %q, want %q", in, got, want)
		}
	}
}

// Readers' comments under a post are not the post, though the page sets
// them inside its article's container (Drupal's "comment" blocks).
func TestWithoutComments(t *testing.T) {
	paras := prose("privacy", 5, 50)
	var comments strings.Builder
	for i, c := range prose("reader", 3, 60) {
		fmt.Fprintf(&comments, `<a id="comment-%d"></a><div class="clear-block comment comment-by-anonymous odd"><div class="comment-content"><div class="content">`+
			`<span class="username">Anonymous</span><div class="field-comment-body text-area"><p>%s</p></div>`+
			`<div class="meta"><ul class="links inline"><li class="date first">April %d, 2018</li><li class="time last">6:32 PM</li></ul></div>`+
			`<ul class="links"><li><a href="/comment/reply/%d">reply</a></li></ul></div></div></div>`, 1000+i, c, 5+i, 1000+i)
	}
	page := `<html><head><title>Your social media posts and the police</title></head><body><div id="content"><div class="node">` +
		`<h1>Your social media posts and the police</h1><div class="body"><p>` + strings.Join(paras, "</p><p>") + `</p></div>` +
		`<div id="comment-wrapper"><h2>Comments</h2>` + comments.String() + `</div></div></div></body></html>`
	art, err := AutoArticle([]byte(page), "text/html", mustParse("https://civil.example.org/blog/social-media-posts-and-police"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(art.Body, paras[4]) || strings.Contains(art.Body, "reader0w1") || strings.Contains(art.Body, "reply") {
		t.Errorf("got the body\n%s\nwant the post without its comments", art.Body)
	}
}

func TestAnyClass(t *testing.T) {
	for class, want := range map[string]bool{
		"clear-block comment odd": true,
		"\tComments-Area\n":       true,
		"comment-by-anonymous":    false,
		"nocomment comments2":     false,
		"":                        false,
		"   ":                     false,
	} {
		if got := anyClass(class, commentNames); got != want {
			t.Errorf("anyClass(%q) = %v, want %v", class, got, want)
		}
	}
}

// A paragraph that is a label and a link to another story goes from the
// body; a sentence with a link in it, a source of one or two words and a
// link to a paragraph of the page itself stay.
func TestWithoutRelatedLinks(t *testing.T) {
	paras := prose("plague", 5, 40)
	related := []string{
		`<p><strong>READ MORE: <a href="/news/world/1203410/china-plague-outbreak">China plague outbreak confirmed: Two diagnosed in Beijing</a></strong></p>`,
		`<p><em>Read more</em>: <a href="/en/recognizing-colonial-crimes/a-36043532">Recognizing colonial crimes: Work in progress</a></p>`,
		`<p><strong>Related: </strong><a href="https://www.science.example/65471-photo-timeline.html"><u><strong>From Big Bang to Present: Snapshots of Our Universe</strong></u></a></p>`,
		`<p>Lesen Sie auch: <a href="/sport/spielabbruch-in-der-kreisliga">Spielabbruch in der Kreisliga zwischen zwei Mannschaften</a></p>`,
		`<p>Lea también: <a href="/nacion/impiden-ingreso-a-reportero">Impiden ingreso a reportero y camarógrafo</a></p>`,
	}
	kept := []string{
		`<p>The ministry said, as <a href="/news/earlier-report">our earlier report showed</a>, that the outbreak is contained.</p>`,
		`<p>Source: <a href="https://www.mojo.example/">Office Mojo</a></p>`,
		`<p>See below: <a href="#symptoms">symptoms of the plague</a></p>`,
		`<p>Contact: <a href="mailto:press@health.example">press office of the ministry</a></p>`,
	}
	page := `<html><head><title>Plague cases confirmed</title></head><body><article><h1>Plague cases confirmed</h1>` +
		`<p>` + paras[0] + `</p>` + related[0] + `<p>` + paras[1] + `</p>` + related[1] + related[2] + `<p>` + paras[2] + `</p>` +
		related[3] + `<p>` + paras[3] + `</p>` + related[4] + kept[0] + kept[1] + kept[2] + kept[3] + `<p>` + paras[4] + `</p></article></body></html>`
	art, err := AutoArticle([]byte(page), "text/html", mustParse("https://news.example/world/plague-cases-confirmed"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range paras {
		if !strings.Contains(art.Body, p) {
			t.Errorf("the body lost %q:\n%s", p, art.Body)
		}
	}
	for _, gone := range []string{"China plague outbreak", "Recognizing colonial crimes", "From Big Bang", "Spielabbruch", "Impiden ingreso"} {
		if strings.Contains(art.Body, gone) {
			t.Errorf("the body kept the link to %q:\n%s", gone, art.Body)
		}
	}
	for _, stays := range []string{"our earlier report showed", "Office Mojo", "symptoms of the plague", "press office of the ministry"} {
		if !strings.Contains(art.Body, stays) {
			t.Errorf("the body lost %q:\n%s", stays, art.Body)
		}
	}
}

// A card the page shows over a name in its text (a photo, the person's
// latest stories) is not the text; the word it explains stays, and so
// does a paragraph named for a tooltip as a whole.
func TestWithoutPopups(t *testing.T) {
	card := `<span class="rollover-people-block"><span class="rollover-block"><img src="/omar.jpg" alt=""><a class="name" href="/people/ilhan-omar">Ilhan Omar</a>` +
		`<a href="/policy/471175-progressives-oppose-funding-bill">Progressives oppose funding bill over surveillance authority and location tracking</a>` +
		`<a href="/policy/471161-stopgap">Progressives oppose stopgap funding measure</a></span></span>`
	page := `<html><body><article><h1>Man pleads guilty to threatening lawmaker</h1>` +
		`<p>A man pleaded guilty to charges he threatened to kill Rep. <span class="rollover-people"><a class="rollover-people-link" href="/people/ilhan-omar">Ilhan Omar</a>` + card + `</span> (D-Minn.), the office said on Monday afternoon in a statement to reporters.</p>` +
		`<p>The <a class="lexicon tooltip-link" href="/glossary/greenhouse-gas">greenhouse gas</a> figures were published alongside the ruling, which the court made public on Tuesday.</p>` +
		`<p class="tooltip-note">This paragraph is named for a tooltip as a whole and is still part of the article's text for its readers.</p>` +
		`<p>` + strings.Join(prose("court", 3, 30), "</p><p>") + `</p></article></body></html>`
	art, err := AutoArticle([]byte(page), "text/html", mustParse("https://news.example/blogs/471031-man-pleads-guilty"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(art.Body, "Progressives oppose") {
		t.Errorf("the body kept the card over the name:\n%s", art.Body)
	}
	for _, want := range []string{"threatened to kill Rep. Ilhan Omar (D-Minn.)", "The greenhouse gas figures", "named for a tooltip as a whole"} {
		if !strings.Contains(art.Body, want) {
			t.Errorf("the body lost %q:\n%s", want, art.Body)
		}
	}
}

// A custom element inside a paragraph (a citation's link in
// "<hl-trusted-source>", a web component's word) gives way to what it
// holds: go-trafilatura drops a tag it does not know with its text. An
// empty one (a script's counter) and a namespaced one ("fb:comments-count")
// are left to the extractors, which leave their paragraphs out.
func TestCustomElementsInText(t *testing.T) {
	cite := func(n int) string {
		return fmt.Sprintf(` (<hl-trusted-source source="PubMed Central"><a href="https://www.ncbi.nlm.nih.gov/pmc/articles/PMC%d/" class="content-link">%d</a></hl-trusted-source>). `, 4000+n, n)
	}
	paras := prose("binge", 5, 30)
	var b strings.Builder
	b.WriteString(`<html><body><article><h1>How to overcome binge eating</h1>`)
	for i, p := range paras {
		fmt.Fprintf(&b, `<p>%s%s</p>`, strings.TrimSuffix(p, "."), cite(i+1))
	}
	b.WriteString(`<p><fb:comments-count href="https://health.example/binge"></fb:comments-count> comments</p></article></body></html>`)
	art, err := AutoArticle([]byte(b.String()), "text/html", mustParse("https://health.example/nutrition/how-to-overcome-binge-eating"))
	if err != nil {
		t.Fatal(err)
	}
	for i := range paras {
		if want := fmt.Sprintf("binge%dw29 (%d).", i, i+1); !strings.Contains(art.Body, want) {
			t.Errorf("the body lost the citation %q:\n%s", want, art.Body)
		}
	}
	if strings.Contains(art.Body, "comments") {
		t.Errorf("the body kept the comment counter's line:\n%s", art.Body)
	}
}

// A text whose paragraphs are parted by two <br> is read once, a
// paragraph a line (go-trafilatura gave the text whole, then the
// headline, then its paragraphs again); a box's short lines parted by
// breaks stay as they are.
func TestBrokenParagraphs(t *testing.T) {
	paras := []string{
		"The delegation of the ministry of agriculture signed a trade accord with the provincial government in the capital on Tuesday, after two days of talks.",
		"Officials said the accord would double the trade between the two sides within three years and open the regional markets to the farmers of the north.",
		"The opposition said the accord had been negotiated behind closed doors and asked for a debate in the assembly before it comes into force next spring.",
		"Farmers' unions welcomed the accord but warned that the price of fertiliser, which rose by a third this year, would eat up much of the gain.",
		"The accord is the third the ministry has signed this year; the first two, with the coastal provinces, came into force in the summer.",
	}
	page := `<html><head><title>Delegation signs trade accord in the capital | Agency</title></head><body><main><article>` +
		`<h1>Delegation signs trade accord in the capital</h1><div class="byline">By Jane Smith</div>` +
		`<div class="article-body">` + strings.Join(paras, "<br><br>\n") + `<br><br></div></article></main></body></html>`
	art, err := AutoArticle([]byte(page), "text/html", mustParse("https://agency.example.org/politics/2025/12/09/delegation-signs-trade-accord.html"))
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.Join(paras, "\n"); art.Body != want {
		t.Errorf("body\n%s\nwant\n%s", art.Body, want)
	}

	box := `<div class="box"><p class="small">Anzeige</p><br><br><b>Shop tip:</b> <a href="https://shop.example.com/x">Use the music functions</a><br><br><span>Source: House of Clio</span></div>`
	root, err := html.Parse(strings.NewReader(box))
	if err != nil {
		t.Fatal(err)
	}
	var before strings.Builder
	html.Render(&before, root)
	withoutAsides(root)
	var after strings.Builder
	html.Render(&after, root)
	if before.String() != after.String() {
		t.Errorf("a box's short lines were made paragraphs:\n%s", after.String())
	}
}

// A short report whose text go-trafilatura takes whole from its
// <article>, headline and date glued to it without a space, is read as
// readability reads it: its paragraphs, a line each.
func TestGluedShortReport(t *testing.T) {
	paras := []string{
		"政府は９日の閣議で、来年度予算案を決定した。一般会計の総額は過去最大の１１５兆円となり、防衛費と社会保障費の増加が全体を押し上げた。",
		"財務省によると、新たに発行する国債は２８兆円で、今年度当初予算から減少した。税収は企業業績の回復を受けて過去最高を見込む。",
	}
	page := `<html><head><title>来年度予算案を閣議決定　過去最大の１１５兆円 - 毎日新聞</title></head><body><main><article>` +
		`<h1>来年度予算案を閣議決定　過去最大の１１５兆円</h1><time>2025/12/9 10:32</time><div class="articledetail-body"><p>` +
		strings.Join(paras, "</p><p>") + `</p></div><div class="share"><a href="/comment">コメントを書く</a><span>この記事をシェア</span></div></article></main></body></html>`
	art, err := AutoArticle([]byte(page), "text/html", mustParse("https://news.example.jp/articles/20251209/k00/00m/010/123000c"))
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.Join(paras, "\n"); art.Body != want {
		t.Errorf("body\n%s\nwant\n%s", art.Body, want)
	}
}
