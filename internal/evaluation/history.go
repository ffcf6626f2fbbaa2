package evaluation

import (
	"context"
	"fmt"
	"html"
	"math/rand"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"

	"github.com/pubwatch/pubwatch/reports"
)

// Long histories: news homepages over hundreds of revisions, as real ones
// go. A few stories come and go at every revision; overnight, 50 to 90% of
// a list turns over (all of a small box of top stories); lists grow and
// shrink; once, a site is redesigned with new markup and a new URL
// scheme; once, a site cuts its list for good; outages and error pages
// come between them, some lasting several revisions, while the site goes
// on changing behind them.
//
// The truth is scored as a user sees it: at each check pubwatch should
// trust, the events are the difference between the site now and the site
// at the last check that should have been trusted. A cut list is suspect
// for confirm_after-1 checks and accepted on the next one, with everything
// that changed since the old baseline; an outage reports nothing and
// becomes no baseline.

// HistoryOptions size a long-history evaluation.
type HistoryOptions struct {
	Sites     int
	Revisions int
	Seed      int64
	// Dir holds the store; a temporary folder is fine.
	Dir string
}

// HistoryResult is the outcome of a long-history evaluation.
type HistoryResult struct {
	Mode      string
	Scores    map[string]*Score
	Revisions int
	// Turnovers counts the revisions that replaced half a list or more
	// at once; Redesigns and Cuts the sites redesigned and cut.
	Turnovers, Redesigns, Cuts int
	// OutageChecks were made while a site served an error; OutageEvents
	// and OutageBaselines count what they reported and the baselines
	// they made (both must be 0).
	OutageChecks, OutageEvents, OutageBaselines int
	// Suspect counts the checks pubwatch called suspect outside
	// outages; Unexpected those of them that should have been trusted;
	// LongestSuspect is the longest run of suspect checks of one source
	// outside outages.
	Suspect, Unexpected, LongestSuspect int
	Misses                              []string
}

// Site shapes.
const (
	shapeLinks  = iota // a link-list homepage: 35-45 undated links
	shapeCards         // an agency's section: 15-25 dated cards with summaries
	shapeTopBox        // a "top news" box of 5-8 stories, followed
	shapes
)

type hstory struct {
	id      int
	slug    string // made from the first title; a retitled story keeps it
	title   string
	date    string
	summary string
	paras   []string
}

type hsite struct {
	// root is the site's folder on the server ("/site3").
	root  string
	shape int
	lang  int
	list  []*hstory
	// min and max bound the list's size.
	min, max int
	// redesigned: new URL scheme and chrome (and, in zero-config, new
	// list markup).
	redesigned bool
	// outage serves an error instead of the site: "503", "maintenance",
	// "captcha", "notfound" or "empty".
	outage string
	stamp  string
	ad     int
	views  int
}

func (s *hsite) clone() *hsite {
	c := *s
	c.list = append([]*hstory(nil), s.list...)
	return &c
}

type hgen struct {
	r       *rand.Rand
	next    int
	used    map[string]bool
	removed []*hstory // most recent last
	// post counts the revisions left after a cut in which the list only
	// churns a little, while pubwatch confirms the cut.
	post               int
	outageLeft         int
	redesignAt, cutAt  int
	turnoverEvery      int
	zeroConfig         bool
	lastNight          int
	redesigned, wasCut bool
}

var titleWords = strings.Fields(`assembly budget cabinet capital council delegation economy exports farmers festival harbour harvest hospital
	industry ministry museum orchestra parliament pension railway reform region school science ship station students summit teachers trade
	university winter workers youth bridge library treaty energy coal steel rice wheat fishing forest mountain river airport election court
	union strike floods vaccine satellite border envoy tariff`)

func (g *hgen) title() string {
	for {
		t := strings.Title(titleWords[g.r.Intn(len(titleWords))]) + " " + strings.Title(verbs[g.r.Intn(len(verbs))]) + " " +
			titleWords[g.r.Intn(len(titleWords))] + " " + titleWords[g.r.Intn(len(titleWords))]
		switch g.r.Intn(4) {
		case 0:
			t += " & " + titleWords[g.r.Intn(len(titleWords))] // an entity in the markup
		case 1:
			t = "“" + t + "”"
		}
		if !g.used[t] {
			g.used[t] = true
			return t
		}
	}
}

func (g *hgen) sentence() string { return sentenceOf(g.r, titleWords) }

var months = map[int][]string{
	0: {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
	1: {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
	2: {"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"},
}

func (g *hgen) story(s *hsite) *hstory {
	g.next++
	st := &hstory{id: 1000 + g.next, title: g.title(), summary: g.sentence()}
	st.slug = slugOf(st.title)
	day, month := 1+g.next%28, (g.next/28)%12
	switch s.lang {
	case 1:
		st.date = fmt.Sprintf("%d %s 2025", day, months[1][month])
	case 2:
		st.date = fmt.Sprintf("%d. %s 2025", day, months[2][month])
	default:
		st.date = fmt.Sprintf("%s %d, 2025", months[0][month], day)
	}
	for i := 0; i < 4+g.r.Intn(3); i++ {
		st.paras = append(st.paras, g.sentence()+" "+g.sentence())
	}
	return st
}

func slugOf(title string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(title) {
		switch {
		case r >= 'a' && r <= 'z':
			b.WriteRune(r)
		case r == ' ':
			b.WriteByte('-')
		}
	}
	return strings.Trim(strings.ReplaceAll(b.String(), "--", "-"), "-")
}

// url is a story's address on the site as it is now.
func (s *hsite) url(st *hstory) string {
	if s.redesigned {
		return fmt.Sprintf("/en/stories/%s-%d", st.slug, st.id)
	}
	return fmt.Sprintf("/news/%d-%s.html", st.id, st.slug)
}

var storyID = regexp.MustCompile(`(\d{4,})`)

// revise moves a site on by one revision and says what kind of
// revision it was.
func (g *hgen) revise(rev int, s *hsite) (kind string) {
	s.stamp = fmt.Sprintf("2025-12-%02d %02d:%02d:%02d", 1+rev/24%28, rev%24, g.r.Intn(60), g.r.Intn(60))
	s.ad, s.views = g.r.Intn(100000), s.views+g.r.Intn(300)
	if g.outageLeft > 0 {
		g.outageLeft--
		if g.outageLeft == 0 {
			s.outage = ""
		}
	}
	kind = "churn"
	switch {
	case g.post > 0:
		g.post--
		kind = "after the cut"
	case rev == g.cutAt && !g.wasCut && s.outage == "":
		// The site cuts its list to a third, for good.
		g.wasCut, g.post = true, 2
		keep := max(3, len(s.list)/3)
		for _, st := range s.list[keep:] {
			g.removed = append(g.removed, st)
		}
		s.list = s.list[:keep]
		s.min, s.max = max(3, keep-2), keep+2
		return "cut"
	case rev == g.redesignAt && !g.redesigned && s.outage == "":
		g.redesigned, s.redesigned = true, true
		// A story removed under the old scheme that came back under the
		// new one would be a new item by its address; none does.
		g.removed = nil
		return "redesign"
	case s.outage == "" && g.r.Intn(30) == 0:
		kinds := []string{"503", "maintenance", "captcha", "notfound", "empty"}
		s.outage = kinds[g.r.Intn(len(kinds))]
		g.outageLeft = 1 + g.r.Intn(4)
		if s.outage == "503" && g.r.Intn(3) == 0 {
			g.outageLeft += 4 // a long one
		}
		kind = "outage"
	}
	// Overnight: most of the list turns over.
	if kind == "churn" && rev-g.lastNight >= g.turnoverEvery {
		g.lastNight = rev
		share := 0.5 + 0.4*g.r.Float64()
		if s.shape == shapeTopBox {
			share = 0.6 + 0.4*g.r.Float64()
		}
		n, before := int(share*float64(len(s.list))+0.5), len(s.list)
		for i := 0; i < n; i++ {
			j := g.r.Intn(len(s.list))
			g.removed = append(g.removed, s.list[j])
			s.list = append(s.list[:j:j], s.list[j+1:]...)
		}
		// A list that also lost half its size would be a cut (suspect
		// until confirmed), which is a step of its own.
		size := max(s.min+g.r.Intn(s.max-s.min+1), (before+1)/2)
		for len(s.list) < size {
			s.list = append([]*hstory{g.story(s)}, s.list...)
		}
		kind = "turnover"
	} else {
		// Steady churn, behind an outage too.
		if g.r.Intn(2) == 0 && len(s.list) < s.max {
			for i := 0; i < 1+g.r.Intn(2) && len(s.list) < s.max; i++ {
				s.list = append([]*hstory{g.story(s)}, s.list...)
			}
		}
		if g.r.Intn(3) == 0 && len(s.list) > s.min {
			j := 1 + g.r.Intn(len(s.list)-1)
			g.removed = append(g.removed, s.list[j])
			s.list = append(s.list[:j:j], s.list[j+1:]...)
		}
	}
	// Edits, on a turnover's day too: a story retitled, an article that
	// stayed listed rewritten in place, a story back.
	if g.r.Intn(8) == 0 && len(s.list) > 0 {
		j := g.r.Intn(len(s.list))
		st := *s.list[j]
		st.title = g.title()
		s.list[j] = &st
	}
	if s.shape == shapeTopBox && g.r.Intn(5) == 0 && len(s.list) > 0 {
		// An article rewritten in place.
		j := g.r.Intn(len(s.list))
		st := *s.list[j]
		st.paras = append([]string(nil), st.paras...)
		st.paras[g.r.Intn(len(st.paras))] = g.sentence() + " " + g.sentence()
		s.list[j] = &st
	}
	if g.r.Intn(20) == 0 && len(g.removed) > 0 && len(s.list) < s.max {
		// A recently removed story comes back.
		j := max(0, len(g.removed)-1-g.r.Intn(min(10, len(g.removed))))
		st := g.removed[j]
		g.removed = append(g.removed[:j:j], g.removed[j+1:]...)
		if !s.has(st.id) {
			s.list = append(s.list, st)
		}
	}
	return kind
}

func (s *hsite) has(id int) bool {
	for _, st := range s.list {
		if st.id == id {
			return true
		}
	}
	return false
}

// page renders the site's front page as it is now.
func (s *hsite) page(zeroConfig bool) (int, string) {
	switch s.outage {
	case "503":
		return http.StatusServiceUnavailable, "<html><body><h1>503 Service Unavailable</h1></body></html>"
	case "captcha":
		return 200, `<html><head><title>Just a moment...</title></head><body><h1>Checking your browser before accessing the site</h1><p>Please complete the CAPTCHA to prove you are a human.</p></body></html>`
	case "maintenance":
		return 200, s.chrome("Maintenance", `<h1>Down for maintenance</h1><p>We are performing scheduled maintenance and will be right back. The site is temporarily unavailable.</p>`)
	case "notfound":
		return 200, s.chrome("Page not found", `<h1>Page not found</h1><p>The page you requested could not be found. It may have been moved or deleted.</p>`)
	}
	var b strings.Builder
	newMarkup := s.redesigned && zeroConfig
	esc := html.EscapeString
	if s.outage != "empty" {
		for _, st := range s.list {
			u, t := esc(s.root+s.url(st)), esc(st.title)
			switch {
			case s.shape == shapeLinks && newMarkup:
				fmt.Fprintf(&b, `<li class="row"><span class="rank"></span><a class="storylink" href="%s">%s</a> <span class="meta"><span class="score">%d points</span></span></li>`, u, t, s.views%97)
			case s.shape == shapeLinks:
				fmt.Fprintf(&b, `<tr class="story"><td class="title"><a href="%s">%s</a> <span class="src">(agency.example)</span></td><td class="views">%d views</td></tr>`, u, t, s.views)
			case s.shape == shapeCards && newMarkup:
				fmt.Fprintf(&b, `<article class="teaser"><a class="teaser__link" href="%s"><h3 class="teaser__title">%s</h3></a><div class="teaser__meta"><span>%s</span></div><p class="teaser__text">%s</p></article>`, u, t, esc(st.date), esc(st.summary))
			case s.shape == shapeCards:
				fmt.Fprintf(&b, `<div class="card"><a href="%s"><img src="/img/%d.jpg" alt=""></a><h3 class="headline"><a href="%s">%s</a></h3><time>%s</time><p class="summary">%s</p></div>`, u, st.id, u, t, esc(st.date), esc(st.summary))
			case newMarkup:
				fmt.Fprintf(&b, `<div class="top-item"><a href="%s"><span class="t">%s</span></a> <em>%s</em></div>`, u, t, esc(st.date))
			default:
				fmt.Fprintf(&b, `<li><a href="%s">%s</a> <span class="date">%s</span></li>`, u, t, esc(st.date))
			}
		}
	}
	var list string
	switch {
	case s.shape == shapeLinks && newMarkup:
		list = `<ol class="stories">` + b.String() + `</ol>`
	case s.shape == shapeLinks:
		list = `<table class="stories">` + b.String() + `</table>`
	case s.shape == shapeCards && newMarkup:
		list = `<section class="stream">` + b.String() + `</section>`
	case s.shape == shapeCards:
		list = `<div class="cards">` + b.String() + `</div>`
	case newMarkup:
		list = `<section class="top-news"><h2>Top News</h2>` + b.String() + `</section>`
	default:
		list = `<div class="top-news"><h2>Top News</h2><ul>` + b.String() + `</ul></div>`
	}
	return 200, s.chrome("News", list)
}

// chrome is the site's furniture around content: a menu, an ad, a most
// read box that rotates, a footer with the time the page was made.
func (s *hsite) chrome(title, content string) string {
	nav := `<nav class="menu"><ul><li><a href="/">Home</a></li><li><a href="/world/">World</a></li><li><a href="/economy/">Economy</a></li><li><a href="/sport/">Sport</a></li></ul></nav>`
	if s.redesigned {
		nav = `<div class="site-nav"><a href="/en/">Start</a> · <a href="/en/world">World</a> · <a href="/en/business">Business</a></div>`
	}
	return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>` + title + ` | Agency</title></head><body><header>` + nav + `</header>
<div class="ad" data-id="` + fmt.Sprint(s.ad) + `"><a href="https://ads.example/c?id=` + fmt.Sprint(s.ad) + `">Advertisement</a></div>
<main>` + content + `</main><footer><p>Page generated ` + s.stamp + `</p><a href="/about/">About</a></footer></body></html>`
}

// article renders a story's page: headline, a dateline under it, the
// body, and a box of other stories.
func (s *hsite) article(st *hstory) string {
	var body, more strings.Builder
	for _, p := range st.paras {
		fmt.Fprintf(&body, "<p>%s</p>", p)
	}
	n := 0
	for _, o := range s.list {
		if o != st && n < 3 {
			fmt.Fprintf(&more, `<li><a href="%s">%s</a></li>`, html.EscapeString(s.root+s.url(o)), html.EscapeString(o.title))
			n++
		}
	}
	return s.chrome(html.EscapeString(st.title), `<article><h1>`+html.EscapeString(st.title)+`</h1><p>`+html.EscapeString(st.date)+`</p>`+body.String()+
		`</article><aside class="related"><h2>Related</h2><ul>`+more.String()+`</ul></aside>`)
}

// hserver serves every site's current revision, and every story's
// article at the address of the site's scheme.
type hserver struct {
	mu         sync.Mutex
	sites      []*hsite
	stories    []map[int]*hstory // every story ever made, by site
	zeroConfig bool
}

func (sv *hserver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	sv.mu.Lock()
	defer sv.mu.Unlock()
	var n int
	if _, err := fmt.Sscanf(r.URL.Path, "/site%d/", &n); err != nil || n >= len(sv.sites) {
		http.NotFound(w, r)
		return
	}
	s := sv.sites[n]
	rest := strings.TrimPrefix(r.URL.Path, fmt.Sprintf("/site%d", n))
	if rest == "/robots.txt" {
		http.NotFound(w, r)
		return
	}
	if s.outage == "503" {
		http.Error(w, "unavailable", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if rest == "/" {
		code, body := s.page(sv.zeroConfig)
		w.WriteHeader(code)
		fmt.Fprint(w, body)
		return
	}
	if m := storyID.FindString(rest); m != "" {
		var id int
		fmt.Sscan(m, &id)
		// The page as it is now: edits to a story live in the list.
		for _, st := range s.list {
			if st.id == id && s.url(st) == rest {
				fmt.Fprint(w, s.article(st))
				return
			}
		}
		if st := sv.stories[n][id]; st != nil && s.url(st) == rest {
			fmt.Fprint(w, s.article(st))
			return
		}
	}
	http.NotFound(w, r)
}

// state is what a user would see of a site at a trusted check.
type state struct {
	list []*hstory
	url  map[int]string
}

func (s *hsite) state() state {
	st := state{list: append([]*hstory(nil), s.list...), url: map[int]string{}}
	for _, x := range s.list {
		st.url[x.id] = s.url(x)
	}
	return st
}

// expected is what changed from one trusted state to another, as
// "type kind id" strings.
func expected(from, to state, ever map[int]bool, follow bool) map[string]bool {
	out := map[string]bool{}
	was := map[int]*hstory{}
	for _, st := range from.list {
		was[st.id] = st
	}
	now := map[int]bool{}
	for _, st := range to.list {
		now[st.id] = true
		old, ok := was[st.id]
		switch {
		case !ok && ever[st.id]:
			out[fmt.Sprintf("%s listing %d", Reappeared, st.id)] = true
			if follow {
				out[fmt.Sprintf("%s article %d", Reappeared, st.id)] = true
			}
		case !ok:
			out[fmt.Sprintf("%s listing %d", New, st.id)] = true
			if follow {
				out[fmt.Sprintf("%s article %d", New, st.id)] = true
			}
		default:
			if old.title != st.title || from.url[st.id] != to.url[st.id] {
				out[fmt.Sprintf("%s listing %d", Changed, st.id)] = true
			}
			if follow && (old.title != st.title || strings.Join(old.paras, "\n") != strings.Join(st.paras, "\n")) {
				out[fmt.Sprintf("%s article %d", Changed, st.id)] = true
			}
		}
	}
	for _, st := range from.list {
		if !now[st.id] {
			out[fmt.Sprintf("%s listing %d", Removed, st.id)] = true
		}
	}
	return out
}

// historySelectors pins the selectors of a shape; they match the markup
// before and after the redesign (selectors runs keep the list markup).
func historySelectors(shape int) string {
	switch shape {
	case shapeLinks:
		return "    listing: {items: \"table.stories tr.story\", title: \"td.title a\", link: \"td.title a\"}\n"
	case shapeCards:
		return "    listing: {items: \"div.cards > div.card\", title: h3.headline, link: \"h3.headline a\", date: time, summary: p.summary}\n"
	}
	return "    listing: {items: \"div.top-news li\", title: a, link: a, date: span.date}\n"
}

// RunHistory evaluates pubwatch on long histories, in one mode.
func RunHistory(ctx context.Context, opts HistoryOptions, zeroConfig bool) (*HistoryResult, error) {
	res := &HistoryResult{Mode: "selectors", Scores: map[string]*Score{}}
	if zeroConfig {
		res.Mode = "zero-config"
	}
	for _, t := range []string{New, Changed, Removed, Reappeared} {
		res.Scores[t] = &Score{}
	}
	sv := &hserver{zeroConfig: zeroConfig}
	gens := make([]*hgen, opts.Sites)
	for i := range gens {
		r := rand.New(rand.NewSource(opts.Seed + int64(i)))
		g := &hgen{r: r, used: map[string]bool{}, turnoverEvery: 20 + r.Intn(10), zeroConfig: zeroConfig}
		s := &hsite{root: fmt.Sprintf("/site%d", i), shape: i % shapes, lang: (i / shapes) % 3, stamp: "2025-12-01 00:00:00"}
		switch s.shape {
		case shapeLinks:
			s.min, s.max = 35, 45
		case shapeCards:
			s.min, s.max = 15, 25
		default:
			s.min, s.max = 5, 8
		}
		// Some sites are redesigned, some cut their list, at a random
		// point of their history's middle.
		g.redesignAt, g.cutAt = -1, -1
		if i%2 == 0 {
			g.redesignAt = opts.Revisions/4 + r.Intn(max(1, opts.Revisions/2))
		}
		if s.shape != shapeTopBox && i%3 == 1 {
			g.cutAt = opts.Revisions/3 + r.Intn(max(1, opts.Revisions/2))
		}
		for k := 0; k < s.max; k++ {
			s.list = append(s.list, g.story(s))
		}
		gens[i] = g
		sv.sites = append(sv.sites, s)
		sv.stories = append(sv.stories, map[int]*hstory{})
	}
	remember := func() {
		for i, s := range sv.sites {
			for _, st := range s.list {
				sv.stories[i][st.id] = st
			}
		}
	}
	remember()
	srv := httptest.NewServer(sv)
	defer srv.Close()

	var yaml strings.Builder
	yaml.WriteString("reports: {formats: [json]}\nconcurrency: 4\nfetch: {host_delay: 0s, per_host: 8, retries: 0}\ndefaults: {timeout: 10s}\nsources:\n")
	for i, s := range sv.sites {
		fmt.Fprintf(&yaml, "  - name: site%d\n    url: %s/site%d/\n", i, srv.URL, i)
		if s.shape == shapeTopBox {
			// Its articles are read at every check while listed, as the
			// truth (expected) has it: the watch schedule is measured
			// by TestWatchWeek.
			yaml.WriteString("    follow: true\n    watch_for: \"off\"\n    recheck_factor: 0\n")
		}
		if !zeroConfig {
			yaml.WriteString(historySelectors(s.shape))
		}
	}
	h, err := openHarness(ctx, yaml.String(), filepath.Join(opts.Dir, "history-"+res.Mode, "pubwatch.yaml"))
	if err != nil {
		return nil, err
	}
	defer h.Close()
	confirm := h.cfg.Sources[0].Trust.ConfirmAfter
	trusted := make([]state, len(gens))
	ever := make([]map[int]bool, len(gens))
	streak := make([]int, len(gens))
	// pending counts the suspect checks a site's cut should still make.
	pending := make([]int, len(gens))
	for i, s := range sv.sites {
		trusted[i] = s.state()
		ever[i] = map[int]bool{}
		for _, x := range s.list {
			ever[i][x.id] = true
		}
	}
	for rev := 1; rev <= opts.Revisions; rev++ {
		kinds := make([]string, len(gens))
		sv.mu.Lock()
		for i, g := range gens {
			next := sv.sites[i].clone()
			kinds[i] = g.revise(rev, next)
			sv.sites[i] = next
			switch kinds[i] {
			case "turnover":
				res.Turnovers++
			case "redesign":
				res.Redesigns++
			case "cut":
				res.Cuts++
				pending[i] = confirm - 1
			}
		}
		remember()
		sv.mu.Unlock()
		out, moved, err := h.revision(ctx)
		if err != nil {
			return nil, err
		}
		res.Revisions++
		for i, src := range out.Sources {
			s := sv.sites[i]
			got, err := historyEvents(src)
			if err != nil {
				return nil, err
			}
			name := fmt.Sprintf("%s rev %d (%s)", src.Name, rev, kinds[i])
			if s.outage != "" {
				res.OutageChecks++
				res.OutageEvents += len(got)
				for e := range got {
					res.Misses = append(res.Misses, fmt.Sprintf("%s: %s outage reported %s", name, s.outage, e))
				}
				if moved(i) {
					res.OutageBaselines++
					res.Misses = append(res.Misses, fmt.Sprintf("%s: the %s page became the baseline", name, s.outage))
				}
				continue
			}
			if src.Status == reports.StatusSuspect {
				res.Suspect++
				streak[i]++
				res.LongestSuspect = max(res.LongestSuspect, streak[i])
			} else {
				streak[i] = 0
			}
			if pending[i] > 0 {
				// The cut, not yet confirmed: suspect is right, and
				// nothing is due yet.
				pending[i]--
				if src.Status != reports.StatusSuspect {
					res.Misses = append(res.Misses, fmt.Sprintf("%s: a cut list was trusted at once (%s)", name, src.Status))
				}
				scoreHistory(res, map[string]bool{}, got, name)
				continue
			}
			if src.Status == reports.StatusSuspect {
				res.Unexpected++
				res.Misses = append(res.Misses, fmt.Sprintf("%s: suspect: %s", name, src.Reason))
			}
			now := s.state()
			want := expected(trusted[i], now, ever[i], s.shape == shapeTopBox)
			scoreHistory(res, want, got, name)
			// The check should have been trusted, whatever pubwatch
			// made of it: what it missed is missed, not due again.
			trusted[i] = now
			for _, x := range s.list {
				ever[i][x.id] = true
			}
		}
	}
	return res, nil
}

// historyEvents lists what a source's report says, as "type kind id".
func historyEvents(src reports.Source) (map[string]bool, error) {
	return reportedEvents(src, func(u string) string {
		if p, err := url.Parse(u); err == nil {
			u = p.Path
		}
		if m := storyID.FindString(u); m != "" {
			return m
		}
		return u
	})
}

func scoreHistory(res *HistoryResult, want, got map[string]bool, name string) {
	res.Misses = append(res.Misses, tally(res.Scores, want, got, name)...)
}
