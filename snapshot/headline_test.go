package snapshot

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// articlePage is an article page as news sites lay one out: a site header
// with its menu, the headline, the body, a sidebar after it.
func articlePage(head, headline, sidebar string) []byte {
	var body strings.Builder
	for i := range 6 {
		fmt.Fprintf(&body, "<p>Paragraph %d of the report: the delegation from the ministry met the council on the harbour budget, and the farmers' union said the railway plan would reach the capital before the festival season ended.</p>\n", i+1)
	}
	return []byte(`<!doctype html><html><head>` + head + `</head><body>
<header><a href="/">Home</a> <nav><a href="/world">World</a> <a href="/sport">Sport</a></nav></header>
<main><article>` + headline + `
<p class="byline">By A. Reporter</p>
` + body.String() + `</article></main>
<aside>` + sidebar + `<ul><li><a href="/a">Another story about the harbour</a></li><li><a href="/b">Yet another story about trade</a></li></ul></aside>
</body></html>`)
}

func TestHeadline(t *testing.T) {
	base, _ := url.Parse("https://news.example.org/2025/12/09/story")
	cases := []struct {
		name, head, headline, sidebar, want string
	}{
		{"the heading the title is made of, with its typographic quotes",
			`<title>Box Office: It's Good to Be 'Peculiar' | Fandom powered by Wikia</title>`,
			`<h1>Box Office: It’s Good to Be ‘Peculiar’</h1>`, "",
			"Box Office: It’s Good to Be ‘Peculiar’"},
		{"a section after the headline",
			`<title>Standing Rock protesters hold out against police violence | Dakota Access pipeline</title>`,
			`<h1>Standing Rock protesters hold out against police violence</h1>`, "",
			"Standing Rock protesters hold out against police violence"},
		{"a blog's name in the heading is not the headline",
			`<title>Silicon Exposed: Open Verilog flow for programmable logic devices</title>`,
			`<h1>Silicon Exposed</h1>`, "",
			"Open Verilog flow for programmable logic devices"},
		{"the page's own headline over a title written for search engines",
			`<title>Amazon Alexa: 6 Can’t-Miss Gadgets Powered by the Digital Assistant</title><meta property="og:title" content="Amazon Alexa: 6 Can’t-Miss Gadgets Powered by the Digital Assistant">`,
			`<h1>Here Are 6 Can’t-Miss Gadgets Powered by Amazon’s Alexa Assistant</h1>`, "",
			"Here Are 6 Can’t-Miss Gadgets Powered by Amazon’s Alexa Assistant"},
		{"a section's name in an <h1> away from the body",
			`<title>Babies Who Eat Peanuts Early May Avoid Allergy</title>`,
			`<h2>Babies Who Eat Peanuts Early May Avoid Allergy</h2>`, `<h1>Allergies Health Center</h1>`,
			"Babies Who Eat Peanuts Early May Avoid Allergy"},
		{"an <h1> that names the site",
			`<title>Grim global outlook for IMF-World Bank meetings - POLITICO</title><link rel="canonical" href="https://www.politico.com/story/1">`,
			`<h1>POLITICO Politico Logo</h1><h2>Grim global outlook for IMF-World Bank meetings</h2>`, "",
			"Grim global outlook for IMF-World Bank meetings"},
		{"the site's name cut from a stated title",
			`<title>atg 1700 - Pastebin.com</title><meta property="og:title" content="atg 1700 - Pastebin.com"><meta property="og:site_name" content="Pastebin">`,
			`<h2>atg 1700</h2>`, "",
			"atg 1700"},
		{"a hyphen in a word is not a separator",
			`<meta property="og:title" content="Government Sparks Fury Over Covid-19 Ad"><meta property="og:site_name" content="19">`,
			`<h2>Government Sparks Fury Over Covid-19 Ad</h2>`, "",
			"Government Sparks Fury Over Covid-19 Ad"},
		{"a kicker over the headline inside its <h1>",
			`<title>Olympic Games in Paris - Drinks reach the centre by boat - Trade Weekly</title>`,
			`<h1> <span class="subtitle">Olympic Games in Paris</span> Drinks reach the centre by boat </h1>`, "",
			"Drinks reach the centre by boat"},
		{"a kicker and a line break in a wrapper",
			`<title>Drill of the week | Medley pyramid with endurance sets - SWIM</title>`,
			`<h1 class="single-post-title"><span class="post-title"><small>Drill of the week</small><br>Medley pyramid with endurance sets</span></h1>`, "",
			"Medley pyramid with endurance sets"},
		{"a date over the headline, the title the headline alone",
			`<title>Minister opens the harbour tender - Federal Chancellery</title>`,
			`<h1><span class="supertitle"><time datetime="2022-02-01">1 February 2022</time></span> <span class="title">Minister opens the harbour tender</span></h1>`, "",
			"Minister opens the harbour tender"},
		{"a quoted name and a colon are one headline",
			`<title>Fantastic Beasts: A Nice Place to Visit</title>`,
			`<h1><em>Fantastic Beasts</em>: A Nice Place to Visit</h1>`, "",
			"Fantastic Beasts: A Nice Place to Visit"},
		{"the heading before a long name of the site",
			`<title>All things have their time | Marketplace for a good life</title><meta property="og:site_name" content="Marketplace for a good life">`,
			`<h1>All things have their time</h1>`, "",
			"All things have their time"},
		{"the site's name before the title, after a hierarchy",
			`<title>Four Years Remaining » Blog Archive » Interning of small integers in Python</title><link rel="canonical" href="http://fouryears.eu/2019/10/21/interning/">`,
			`<h2>Interning of small integers in Python</h2>`, `<h1><a href="/">Four Years Remaining</a></h1>`,
			"Interning of small integers in Python"},
		{"the post's <h1> beside the site's",
			`<title>Painting minions with stencils - with a roller and bright paint</title><meta property="og:site_name" content="Papaganda">`,
			`<h1 class="post-title">Painting minions with stencils – with a roller and bright colours</h1>`, `<h1 class="site-title"><a href="/">Papaganda</a></h1>`,
			"Painting minions with stencils – with a roller and bright colours"},
		{"a kicker the title repeats before the headline",
			`<title>Corona pandemic - „It also matters how people die“ | Cicero Online</title><meta property="og:title" content="Corona pandemic - „It also matters how people die“">`,
			`<h1><span class="kicker">Corona pandemic</span> <span class="visually-hidden"> - </span> <span class="h1">„It also matters how people die“</span></h1>`, "",
			"„It also matters how people die“"},
		{"a kicker ending in a colon is the headline's first part",
			`<title>Editor’s Letter: bye OC Baby, hi Bernsi Baby!</title>`,
			`<h1><span class="label">Editor’s Letter:</span> bye OC Baby, hi Bernsi Baby!</h1>`, "",
			"Editor’s Letter: bye OC Baby, hi Bernsi Baby!"},
		{"a line of date and categories under the headline",
			`<title>Spectators return to the clubs of the region | HVW - Handball Association</title>`,
			`<h1> Spectators return to the clubs of the region<br><small>02.02.2022 • Association, Press</small></h1>`, "",
			"Spectators return to the clubs of the region"},
		{"a hidden <h1> that is the whole <title>",
			`<title>EU taxonomy: nuclear power and gas are not sustainable | Umweltbundesamt</title><meta property="og:site_name" content="Umweltbundesamt">`,
			`<h1 class="visuallyhidden">EU taxonomy: nuclear power and gas are not sustainable | Umweltbundesamt</h1>`, "",
			"EU taxonomy: nuclear power and gas are not sustainable"},
		{"the site's name after a colon is the headline's",
			`<title>Best of Houzz 2022: the most popular projects on Houzz</title><meta property="og:site_name" content="Houzz">`,
			`<h1>Best of Houzz 2022: the most popular projects on Houzz</h1>`, "",
			"Best of Houzz 2022: the most popular projects on Houzz"},
		{"one word in a second <h1> is no headline",
			`<title>Media of October: what I read, saw and heard</title>`,
			`<h2>Media of October: what I read, saw and heard</h2>`, `<h1>Categories</h1><h1>Archives</h1>`,
			"Media of October: what I read, saw and heard"},
		{"the site's logo in an <h1> that links home is no headline",
			`<title>Files between Linux and the C64 with the XUM1541</title>`,
			`<h1><a href="../index.html">Jan Grosser Online</a></h1>`, "",
			"Files between Linux and the C64 with the XUM1541"},
		{"a post's title in an <h2>, the blog's name before it in the title",
			`<title>Gregor's Digital Home | Mercurial's journey to Python 3</title>`,
			`<h2 class="post-title"><a href="/blog/2020/01/13/mercurial-journey" rel="bookmark">Mercurial's journey to Python 3</a></h2>`, "",
			"Mercurial's journey to Python 3"},
		{"the site's name hidden in the heading for screen readers",
			`<title>What we would rather not hear | INTERSCENAR.IO</title><meta property="og:title" content="What we would rather not hear">`,
			`<h1 class="title">What we would rather not hear<span class="element-invisible"> | FASSETTE.NET</span></h1>`, "",
			"What we would rather not hear"},
		{"a one-word headline before the site's name",
			`<title>Penny - Stardew Valley Wiki</title><meta property="og:site_name" content="Stardew Valley Wiki">`,
			`<h1 id="firstHeading">Penny</h1>`, "",
			"Penny"},
		{"a section's one word before the site's name, over the headline's <h1>",
			`<title>News - Water Institute</title><meta property="og:title" content="The first electron counts"><meta property="og:site_name" content="Water Institute">`,
			`<h1 class="pagetitle hidden">News</h1><h1>The first electron counts</h1>`, "",
			"The first electron counts"},
		{"two words before the site's name, among the site's <h1> and the post's",
			`<title>Sheep Lore | Mascot the Sheep – Webcomic</title>`,
			`<h1 class="entry-title">Sheep Lore</h1>`, `<h1 id="site-title"><a href="/">Mascot the Sheep – Webcomic</a></h1>`,
			"Sheep Lore"},
		{"an <h1> that is the name ending the title, linked to an archived home",
			`<title>What is viral marketing? | DimidoBlog</title>`,
			`<h2><a href="/web/2008/http://www.dimido.example/2008/07/29/viral/" rel="bookmark">What is viral marketing?</a></h2>`, `<h1><a href="/web/2008/http://www.dimido.example/">DimidoBlog</a></h1>`,
			"What is viral marketing?"},
		{"the headline at the end of the title, after the site and section",
			`<title>BKA - Press releases 2022 - Messengers are no lawless space</title>`,
			`<h1>Messengers are no lawless space</h1>`, `<h1 class="aural">Federal Police Office (BKA)</h1>`,
			"Messengers are no lawless space"},
		{"JSON-LD's name the site's, ending the title the headline begins",
			`<title>Haylage: better than its name? - feeding - training - Rider Review International</title><script type="application/ld+json">{"@context":"http://schema.org","@type":"Article","name":"Rider Review International","headline":"Haylage: better than its name?"}</script>`,
			`<h1 itemprop="headline">Haylage: better than its name?</h1>`, `<h1 class="sr-only">Rider Review</h1><h1 class="sr-only">Rider Review International</h1>`,
			"Haylage: better than its name?"},
		{"of several <h1>, the one the title begins with",
			`<title>Made up: courier flies to Singapore, Thailand</title>`,
			`<h1 class="page-title">Made up: courier flies to Singapore</h1>`, `<h1>Readers' comments <a href="/login">Sign-in required</a></h1>`,
			"Made up: courier flies to Singapore"},
		{"an <h2> that is the whole title, under a section's <h1>",
			`<title>Superbugs: What They Are and How You Get Them</title>`,
			`<h1>Information and Resources</h1><h2>Superbugs: What They Are and How You Get Them</h2>`, "",
			"Superbugs: What They Are and How You Get Them"},
		{"the <h1> over an <h2> with the title's other wording",
			`<title>Leslie Clio presents the album Brave New Woman</title>`,
			`<h1>Leslie Clio: Brave New Woman</h1><h2>Leslie Clio presents the album Brave New Woman</h2>`, "",
			"Leslie Clio: Brave New Woman"},
		{"a heading's link to itself",
			`<title>Evolve: Shared Mutable History — evolve extension for Mercurial</title>`,
			`<h1>Evolve: Shared Mutable History<a class="headerlink" href="#evolve-shared-mutable-history">¶</a></h1>`, "",
			"Evolve: Shared Mutable History"},
		{"a section's name before the site's, without a heading",
			`<title>Delegation signs trade accord in the capital | Politics | The Daily Planet</title>`,
			`<div class="headline">Delegation signs trade accord in the capital</div>`, "",
			"Delegation signs trade accord in the capital"},
		{"a date in the <h1> after the headline",
			`<title>Delegation signs trade accord in the capital | Agency</title>`,
			`<h1>Delegation signs trade accord in the capital <span class="date">December 9, 2025</span></h1>`, "",
			"Delegation signs trade accord in the capital"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			art, err := AutoArticle(articlePage(c.head, c.headline, c.sidebar), "text/html", base)
			if err != nil {
				t.Fatal(err)
			}
			if art.Title != c.want {
				t.Errorf("title %q, want %q", art.Title, c.want)
			}
		})
	}
}

func TestWithoutSiteName(t *testing.T) {
	names := []string{"pastebin", "phpspot開発日誌", "example", "xinhua", "tass"}
	for in, want := range map[string]string{
		"atg 1700 - Pastebin.com": "atg 1700",
		"マインドマップ風のツリーを描画できる「Treeviz」:phpspot開発日誌": "マインドマップ風のツリーを描画できる「Treeviz」",
		"Example: a headline":                                   "Example: a headline",
		"News of the day | Example | World":                     "News of the day",
		"News of the day | World | Example":                     "News of the day",
		"Harbour budget | news | Example":                       "Harbour budget | news",
		"News of the day | The Harbour Budget Debate | Example": "News of the day | The Harbour Budget Debate",
		"x - Example": "x - Example",
		// A section of words and an ampersand; the site's name after a
		// hyphen without spaces, and only the site's name.
		"Government approves budget for the coming year - Russian Politics & Diplomacy - TASS": "Government approves budget for the coming year",
		"Xi meets Vietnamese leader in Beijing on Tuesday-Xinhua":                              "Xi meets Vietnamese leader in Beijing on Tuesday",
		"Vaccines against Covid-19 reach the northern provinces-Xinhua news":                   "Vaccines against Covid-19 reach the northern provinces-Xinhua news",
		// Names by their form: a domain, a legal form; not after a colon,
		// nor a phrase that ends in a word like one.
		"Was wir über uns nicht hören wollen | FASSETTE.NET":                          "Was wir über uns nicht hören wollen",
		"Norddeutschland findet seine Meister - Berliner Leichtathletik Verband e.V.": "Norddeutschland findet seine Meister",
		"Harbour tender opens – Harbour Media GmbH":                                   "Harbour tender opens",
		"Das steckt dahinter: Nachhaltigkeit bei der Spessart Tourismus GmbH":         "Das steckt dahinter: Nachhaltigkeit bei der Spessart Tourismus GmbH",
		"Why the harbour matters - a view from the AG":                                "Why the harbour matters - a view from the AG",
		"Noticias del puerto de hoy - Lo que se":                                      "Noticias del puerto de hoy - Lo que se",
	} {
		if got := withoutSiteName(in, names); got != want {
			t.Errorf("withoutSiteName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWithoutLeadingSiteName(t *testing.T) {
	names := []string{"bmas", "fouryears", "jvndb", "microsoft"}
	for in, want := range map[string]string{
		"BMAS - Changes to the proof of vaccination":                  "Changes to the proof of vaccination",
		"Four Years Remaining » Blog Archive » Interning of integers": "Interning of integers",
		"JVNDB-2018-013542 - JVN iPedia - vulnerability database":     "JVNDB-2018-013542 - JVN iPedia - vulnerability database",
		"Microsoft: a new chief":                                      "Microsoft: a new chief",
		"Microsoft Teams | Microsoft":                                 "Microsoft Teams | Microsoft",
		"Budget adopted - BMAS":                                       "Budget adopted - BMAS",
		"BMAS - x":                                                    "BMAS - x",
	} {
		if got := withoutLeadingSiteName(in, names); got != want {
			t.Errorf("withoutLeadingSiteName(%q) = %q, want %q", in, got, want)
		}
	}
}

// Open Graph's article tags are read from a name attribute as from
// property, and a tag's value from value= where it has no content=.
func TestMetaByNameAndValue(t *testing.T) {
	base, _ := url.Parse("https://news.example.org/2016/12/19/story")
	page := articlePage(`<title>Site</title><meta name="og:title" value="The councils agree on the harbour budget"><meta name="article:published_time" content="2016-12-20T00:08:44+00:00">`,
		`<h2>Elsewhere</h2>`, "")
	art, err := AutoArticle(page, "text/html", base)
	if err != nil {
		t.Fatal(err)
	}
	if art.Title != "The councils agree on the harbour budget" {
		t.Errorf("title %q", art.Title)
	}
	if got := art.Published.UTC().Format(time.RFC3339); got != "2016-12-20T00:08:44Z" {
		t.Errorf("published %s, want 2016-12-20T00:08:44Z", got)
	}
}

// The name that ends a title after a separator is the site's: a few
// words, shorter than the headline before it, with spaces around the
// separator or, in Chinese and Japanese, none.
func TestEndsTitle(t *testing.T) {
	for _, c := range []struct {
		text, title string
		want        bool
	}{
		{"DimidoBlog", "Was ist Virales Marketing? | DimidoBlog", true},
		{"Reiterrevue International", "Heulage: Besser als ihr Ruf? - fuetterung - Reiterrevue International", true},
		{"好奇心日报", "这个约会软件，想用你和对方的相似好恶来帮你找对象_智能_好奇心日报", true},
		// A headline after the site's name and section.
		{"Messengerdienste sind kein rechtsfreier Raum", "BKA - Listenseite für Pressemitteilungen 2022 - Messengerdienste sind kein rechtsfreier Raum", false},
		// Longer than what comes before it.
		{"Penny Stardew Valley", "Wiki - Penny Stardew Valley", false},
		// A hyphen within a word is no separator.
		{"Aging", "The science of Anti-Aging", false},
		{"Ad", "Government Sparks Fury Over Covid-19 Ad", false},
	} {
		if got := endsTitle(c.text, c.title); got != c.want {
			t.Errorf("endsTitle(%q, %q) = %v, want %v", c.text, c.title, got, c.want)
		}
	}
}

// A title from the page's metadata that is not the headline: og:title
// cut where the headline quotes a word (the page did not escape its
// quotes), a section's name, or the second of two og:title tags. Its
// <title> has the whole headline.
func TestMetaTitleNotHeadline(t *testing.T) {
	base, _ := url.Parse("https://news.example.org/internacional/125703/senador-califica-a-biden")
	for _, c := range []struct{ head, want string }{
		{`<title>Senador republicano califica a Biden de "incapacitado"</title><meta property="og:title" content="Senador republicano califica a Biden de "incapacitado"" />`,
			`Senador republicano califica a Biden de "incapacitado"`},
		{`<title>Senador republicano califica a Biden de "incapacitado" | El Diario</title><meta property="og:title" content="Senador republicano califica a Biden de "incapacitado"" />`,
			`Senador republicano califica a Biden de "incapacitado"`},
		// A template that repeats og:title with the section's name
		// after the article's.
		{`<title>Repair café on 31 January: City of Ahlen</title><meta property="og:title" content="Repair café on 31 January" /><meta property="og:title" content="News">`,
			`Repair café on 31 January`},
		// og:title the section's name alone, the <title> the headline.
		{`<title>Vaccines and boosters are still available everywhere until the end of February</title><meta property="og:title" content="Medienmitteilungen"/>`,
			`Vaccines and boosters are still available everywhere until the end of February`},
		// One word the <title> holds is the headline, hyphen and all.
		{`<title>Bienenstich-Muffins Rezept | Dr. Oetker</title><meta property="og:title" content="Bienenstich-Muffins" />`,
			`Bienenstich-Muffins`},
		// A title that goes on with the site's name is no cut one.
		{`<title>Senador republicano califica a Biden | El Diario</title><meta property="og:title" content="Senador republicano califica a Biden" />`,
			`Senador republicano califica a Biden`},
	} {
		page := articlePage(c.head, `<h2>Elsewhere</h2>`, "")
		art, err := AutoArticle(page, "text/html", base)
		if err != nil {
			t.Fatal(err)
		}
		if art.Title != c.want {
			t.Errorf("title %q, want %q", art.Title, c.want)
		}
	}
}

// The short lines above an article that are not the article go; the
// article's own first lines stay.
func TestLeadingFurniture(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Lesezeit von 4 Minuten\nVon Daniel Weinmann\nDer Rat beschloss den Haushalt.", "Der Rat beschloss den Haushalt."},
		{"Foto: M. Rädel\n© 2012 APA/AP\nAktualisiert am 19.02.2020\nThe council met.", "The council met."},
		{"5 min read\nBy Jane Doe\nUpdated on 9 December 2025\n2 hours ago\nThe council met.", "The council met."},
		{"By the river, the delegation met the council.\nMore text.", "By the river, the delegation met the council.\nMore text."},
		{"Updated guidance on the harbour budget\nThe council met.", "Updated guidance on the harbour budget\nThe council met."},
		{"Von Berlin aus fuhr der Zug\nweiter.", "Von Berlin aus fuhr der Zug\nweiter."},
		{"By the river\nThe council met.", "By the river\nThe council met."},
		{"BY JANE DOE\nThe council met.", "The council met."},
		{"By Jane Doe", "By Jane Doe"}, // nothing but furniture: kept, not emptied
		// The same lines in the other languages of the pages watched.
		{"Tempo di lettura: 3 minuti\nDi Mario Rossi\nAggiornato il 9 dicembre 2025\n2 ore fa\nIl consiglio si è riunito.", "Il consiglio si è riunito."},
		{"Leestijd 4 minuten\nDoor Anna Jansen\nBijgewerkt op 9 december 2025\n3 uur geleden\nDe raad kwam bijeen.", "De raad kwam bijeen."},
		{"Güncelleme: 09.12.2025 14:30\n2 saat önce\nMeclis toplandı.", "Meclis toplandı."},
		{"Af Nuka Olsen\nOpdateret den 9. december 2025\nfor 2 timer siden\nKommunalbestyrelsen mødtes.", "Kommunalbestyrelsen mødtes."},
		{"Av Per Olsen\nUppdaterad 9 december 2025\nför 2 timmar sedan\nFullmäktige sammanträdde.", "Fullmäktige sammanträdde."},
		{"Czas czytania: 5 min\nAktualizacja: 9.12.2025\n2 godziny temu\nRada się zebrała.", "Rada się zebrała."},
		{"5 minutos de leitura\nAtualizado em 9/12/2025\nhá 2 horas\nO conselho reuniu-se.", "O conselho reuniu-se."},
		{"Continue Reading Below\nOrder Reprints\nThe council met.", "The council met."},
		{"• Publiziert vor einer Stunde\nDer Rat tagte.", "Der Rat tagte."},
		{"Hauptinhalt\nDer Rat tagte.", "Der Rat tagte."},
		{"Print\nSave\nShare\nThe council met.", "The council met."},
		{"Suche...\nVergrößern\nDer Rat tagte.", "Der Rat tagte."},
		{"Listen to this article\nThe council met.", "The council met."},
		{"Share prices fell after the council met.\nMore.", "Share prices fell after the council met.\nMore."},
		{"Der Rat tagte.\nVergrößern\nDer Haushalt steht.\nMehr.", "Der Rat tagte.\nDer Haushalt steht.\nMehr."},
		{"Published an hour ago\nUpdated 5 minutes ago\nThe council met.", "The council met."},
		{"il y a une heure\nLe conseil s'est réuni.", "Le conseil s'est réuni."},
		{"Vor einer Stunde hat der Rat getagt.\nMehr.", "Vor einer Stunde hat der Rat getagt.\nMehr."},
		{"Auteur : Kossivi Tiassou\nArticle mis à jour le 7 janvier 2020.\nLe conseil s'est réuni.", "Le conseil s'est réuni."},
		{"5343 mal gelesen | 32 Kommentare\n(2 Bewertungen)\nAbgelegt unter: Canon Powershot S110, Fotografie |\nKategorie: News\nDer Rat tagte.", "Der Rat tagte."},
		{"5 comments on the budget were read out.\nMore text.", "5 comments on the budget were read out.\nMore text."},
		{"Estimated reading time: 6 minutes\nSubmitted by admin on Tue, 12/17/2025 - 10:12\nThe council met.", "The council met."},
		{"Publicado por: Clarissa Borba\nGespeichert von human am\nEl consejo se reunió.", "El consejo se reunió."},
		// Labelled lines under a kicker or a subtitle, which is text.
		{"Ultium Cells\nAutor: Die Redaktion\nVeröffentlicht am 06.12.2022\nDer Rat tagte.\nMehr.", "Ultium Cells\nDer Rat tagte.\nMehr."},
		{"Nacionales\nPublicado: Jueves, 21 Abril 2022 04:45\nEscrito por Jose Pablo Segura Vargas\nEl consejo se reunió.\nMás.", "Nacionales\nEl consejo se reunió.\nMás."},
		{"Pressemitteilung\nDatum 25.01.2022\nDer Rat tagte.\nMehr.", "Pressemitteilung\nDer Rat tagte.\nMehr."},
		{"Kicker\nPublished research shows 12 March 2024 was the warmest day.\nMore.", "Kicker\nPublished research shows 12 March 2024 was the warmest day.\nMore."},
		{"https://www.news.example/news/article/Cat-found-after-going-missing-14848175.php\nThe cat was found.", "The cat was found."},
		// A player's duration, an advertising notice, reading times in
		// French and Russian, a time alone, photo agencies' credits
		// without a label, a reporter's and an editor's labels.
		{"Listen to this article · 6:12 min\nStory continues below advertisement\nThe council met.", "The council met."},
		{"Lecture 3 min.\nLe conseil s'est réuni.", "Le conseil s'est réuni."},
		{"Время чтения: 4 мин\nСовет собрался.", "Совет собрался."},
		{"14:32\nAFP via Getty Images\nThe council met.", "The council met."},
		{"picture alliance / dpa | Max Muster\nDer Rat tagte.", "Der Rat tagte."},
		{"Muhabir: Ahmet Yılmaz\nMeclis toplandı.", "Meclis toplandı."},
		{"Source: Xinhua\nEditor: Li Ming\nThe council met.", "The council met."},
		{"Getty Images said on Monday it would sell its archive.\nMore.", "Getty Images said on Monday it would sell its archive.\nMore."},
		{"14:32 was the time the council met.\nMore.", "14:32 was the time the council met.\nMore."},
		{"The cat was found.\nhttps://www.news.example/cats\nMore text.", "The cat was found.\nhttps://www.news.example/cats\nMore text."},
		// Text that begins so stays.
		{"Di notte il consiglio si è riunito e ha approvato il bilancio.\nAltro.", "Di notte il consiglio si è riunito e ha approvato il bilancio.\nAltro."},
		{"For 20 years the council met in the harbour hall.\nMore text.", "For 20 years the council met in the harbour hall.\nMore text."},
		// Dates, with a time or a section between bars.
		{"24. März 2004, 19:49 | Genesis\nDer Rat beschloss den Haushalt.", "Der Rat beschloss den Haushalt."},
		{"January 13, 2020 at 08:45 AM | categories: Python, Mercurial | View Comments\nThe council met.", "The council met."},
		{"23.10.2018\nThe council met.", "The council met."},
		{"The meeting was held on 12 March 2024.\nThe council met.", "The meeting was held on 12 March 2024.\nThe council met."},
		{"On 12 March 2024 the council met in the harbour hall and adopted the budget\nMore text.", "On 12 March 2024 the council met in the harbour hall and adopted the budget\nMore text."},
		// Credits, captions ending in one and advertising notices among
		// the first lines, after text too.
		{"The council met.\nGdP-Vize und Tarifexperte René Klemmer. Foto: GdP/Hagen Immel\nThe budget passed.\nMore text.", "The council met.\nThe budget passed.\nMore text."},
		{"Lead.\nCristina Kirchner y Alberto Fernández, el 1 de marzo, en el Congreso (Foto: Natacha Pisarenko/Pool via REUTERS).\nText.\nMore text.", "Lead.\nText.\nMore text."},
		{"This post contains references to products from one or more of our advertisers. We may receive compensation when you click on links to those products.\nThe council met.", "The council met."},
		{"Anzeige, enthält Affiliate Links\nDer Rat tagte.", "Der Rat tagte."},
		{"Lead.\nText.\nThe photographer said: I was there.\nMore text.", "Lead.\nText.\nThe photographer said: I was there.\nMore text."},
		// A byline of several authors under the lede.
		{"Der Konzern ist von einem Datenleck betroffen.\nVon Volkmar Kabisch, Jan Lukas Strozyk und Benedikt Strunz, NDR\nText.\nMore text.", "Der Konzern ist von einem Datenleck betroffen.\nText.\nMore text."},
		{"Lead.\nBy Jane Doe and John Roe\nText.\nMore text.", "Lead.\nText.\nMore text."},
		{"Lead.\nVon Berlin aus fuhr der Zug nach Hamburg\nText.\nMore text.", "Lead.\nVon Berlin aus fuhr der Zug nach Hamburg\nText.\nMore text."},
		{"Lead.\nBy Jane Doe, who covers the harbour\nText.\nMore text.", "Lead.\nBy Jane Doe, who covers the harbour\nText.\nMore text."},
		// A short report's last line is its own.
		{"Lead.\nText.\nMore.\n© 2019 Associated Press. All Rights Reserved.\nLast.", "Lead.\nText.\nMore.\n© 2019 Associated Press. All Rights Reserved.\nLast."},
	} {
		if got := withoutLeadingFurniture(c.in); got != c.want {
			t.Errorf("withoutLeadingFurniture(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestWithoutHeadline(t *testing.T) {
	const head = "Council adopts the harbour budget"
	for _, c := range []struct{ in, want string }{
		{head + "\nThe council met.", "The council met."},
		{"COUNCIL ADOPTS THE  HARBOUR BUDGET\nThe council met.", "The council met."},
		// Under a kicker and a date line, still above the text.
		{"Politics\n9 December 2025\n" + head + "\nThe council met.", "Politics\n9 December 2025\nThe council met."},
		// Below the first line of text it is the text's: a conclusion
		// that repeats the headline.
		{"The council met on Monday after a long debate about the port and its debts.\n" + head + "\nMore.", "The council met on Monday after a long debate about the port and its debts.\n" + head + "\nMore."},
		// A body that is only its headline keeps it.
		{head, head},
		{"Council adopts the harbour budget again\nThe council met.", "Council adopts the harbour budget again\nThe council met."},
		// After a kicker on the same line, with or without a space.
		{"Harbour finances " + head + "\nThe council met.", "The council met."},
		{"Harbour finances:" + head + "\nThe council met.", "The council met."},
		{"The mayor said on Monday that she welcomed the vote and " + head + "\nThe council met.", "The mayor said on Monday that she welcomed the vote and " + head + "\nThe council met."},
		// Before the site's name, as a heading carries it for screen
		// readers; not before a sentence of its own.
		{head + " | HARBOUR-NEWS.NET\nThe council met.", "The council met."},
		{head + " - and the mayor says it will pay for the port and the station\nThe council met.", head + " - and the mayor says it will pay for the port and the station\nThe council met."},
		// A short report's text above the headline and again below it,
		// as go-trafilatura may give it: the page from the headline down.
		{"The council met on Monday after a long debate about the port and its debts.\n" + head + "\nHarbour finances\nThe council met on Monday after a long debate about the port and its debts.",
			"Harbour finances\nThe council met on Monday after a long debate about the port and its debts."},
		{"The council met.\nThe mayor spoke.\nThe vote was close.\n" + head + "\nThe council met.\nThe mayor spoke.\nThe vote was close.\nMore.",
			"The council met.\nThe mayor spoke.\nThe vote was close.\nMore."},
	} {
		if got := withoutHeadline(c.in, head); got != c.want {
			t.Errorf("withoutHeadline(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	if got := withoutHeadline(head+"\nText.", ""); got != head+"\nText." {
		t.Errorf("withoutHeadline without a headline changed the body: %q", got)
	}
}

// The short lines under an article that are not the article go; its own
// last lines stay.
func TestTrailingFurniture(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"The council met.\n© 2021 kath.net | Impressum | Datenschutz", "The council met."},
		{"The council met.\nCzytaj też: Ten region Polski zanotował najniższe bezrobocie\nTags:Uncategorized", "The council met."},
		{"Der Rat tagte.\nFoto: MDR/Bernd Cramer\nTeilen auf\nWeitere Artikel", "Der Rat tagte."},
		{"The council met.\nCopyright 2019 Hawaii News Now. All rights reserved.", "The council met."},
		{"The council met.\nShare this story with everyone you know who cares about the harbour budget and its future today", "The council met.\nShare this story with everyone you know who cares about the harbour budget and its future today"},
		{"The council met.\nSubscribers asked the council about the budget.", "The council met.\nSubscribers asked the council about the budget."},
		{"The council met.\nRelated to this, the mayor resigned.", "The council met.\nRelated to this, the mayor resigned."},
		{"© Reuters", "© Reuters"}, // nothing but furniture: kept, not emptied
		// Whom to follow and how to reach the author, however long.
		{"The council met.\nEmail Tariq Malik at tmalik@space.example or follow him @tariqjmalik . Follow us on Twitter @Spacedotcom and on Facebook .", "The council met."},
		{"The council met.\nHave a tip? Amy Kuperinsky may be reached at akuperinsky@news.example . Follow her on Twitter @AmyKup or on Facebook .", "The council met."},
		{"The council met.\nWrite to Al Root at allen.root@news.example\nYou may also like...", "The council met."},
		{"The council met.\nFollow the council's debate on the harbour budget as it unfolds tonight.", "The council met.\nFollow the council's debate on the harbour budget as it unfolds tonight."},
		// Who edited it, as agencies sign their reports.
		{"The council met.\nEditor: huaxia", "The council met."},
		{"理事会召开了会议。\n【责任编辑：张三】", "理事会召开了会议。"},
		{"政府は予算案を決定した。\nコメントを書くこの記事をシェア", "政府は予算案を決定した。"},
		{"理事会召开了会议。\n分享到：\n【纠错】", "理事会召开了会议。"},
		{"The council met.\nEditorial boards of three papers backed the budget on Monday.", "The council met.\nEditorial boards of three papers backed the budget on Monday."},
		// Who else reported is the article's.
		{"The council met.\n(Reporting by Will Dunham; Editing by Tom Brown)", "The council met.\n(Reporting by Will Dunham; Editing by Tom Brown)"},
	} {
		if got := withoutTrailingFurniture(c.in); got != c.want {
			t.Errorf("withoutTrailingFurniture(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// Cutting a site's name from a title only ever cuts: what is left is a
// part of the title, and never empty when the title was not.
func FuzzTitleCuts(f *testing.F) {
	f.Add("Four Years Remaining » Blog Archive » Interning of integers", "fouryears")
	f.Add("BMAS - Änderung der Anforderungen", "bmas")
	f.Add("atg 1700 - Pastebin.com", "pastebin")
	f.Add("x -", "x")
	f.Add("武汉的声音：有英勇的你，才有英雄的城！-新华网", "")
	f.Add("指紋認証でマウスを発売。 | サンワサプライ株式会社", "")
	f.Fuzz(func(t *testing.T, title, name string) {
		if !utf8.ValidString(title) {
			// Read as runes, an invalid byte comes back as U+FFFD.
			t.Skip()
		}
		names := []string{titleKey(name)}
		for _, got := range []string{withoutLeadingSiteName(title, names), withoutSiteName(title, names), withoutIdeographSiteName(title)} {
			if !strings.Contains(title, strings.TrimSpace(got)) {
				t.Fatalf("%q is no part of %q", got, title)
			}
			if strings.TrimSpace(title) != "" && strings.TrimSpace(got) == "" {
				t.Fatalf("%q cut to nothing", title)
			}
		}
	})
}

func TestWithoutIdeographSiteName(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"武汉的声音：有英勇的你，才有英雄的城！-新华网", "武汉的声音：有英勇的你，才有英雄的城！"},
		{"指紋認証でWindows 10にサインインできる指紋認証機能付きマウスを発売。 | サンワサプライ株式会社", "指紋認証でWindows 10にサインインできる指紋認証機能付きマウスを発売"},
		{"海外留学生看两会：出国前后关注点大不同_教育频道_中国青年网", "海外留学生看两会：出国前后关注点大不同"},
		// A headline too short to stand alone, a tail that is a sentence,
		// and titles in other scripts are left.
		{"新华网-首页", "新华网-首页"},
		{"国务院常务会议部署推进城市更新工作-会议强调，要加大财政资金支持力度", "国务院常务会议部署推进城市更新工作-会议强调，要加大财政资金支持力度"},
		{"Council adopts the harbour budget - Agency", "Council adopts the harbour budget - Agency"},
		{"Covid-19", "Covid-19"},
	} {
		if got := withoutIdeographSiteName(c.in); got != c.want {
			t.Errorf("withoutIdeographSiteName(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
