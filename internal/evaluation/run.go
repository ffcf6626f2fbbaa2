package evaluation

import (
	"context"
	"fmt"
	"math/rand"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/pubwatch/pubwatch/reports"
)

// Event types scored.
const (
	New        = "new"
	Changed    = "changed"
	Removed    = "removed"
	Reappeared = "reappeared"
)

// Score counts one event type's hits.
type Score struct {
	TP, FP, FN int
}

// Precision is TP/(TP+FP), 1 when nothing was reported.
func (s Score) Precision() float64 {
	if s.TP+s.FP == 0 {
		return 1
	}
	return float64(s.TP) / float64(s.TP+s.FP)
}

// Recall is TP/(TP+FN), 1 when nothing was expected.
func (s Score) Recall() float64 {
	if s.TP+s.FN == 0 {
		return 1
	}
	return float64(s.TP) / float64(s.TP+s.FN)
}

// Result is the outcome of one evaluation.
type Result struct {
	Mode      string // "zero-config" or "selectors"
	Scores    map[string]*Score
	Revisions int
	// NoiseRevisions had no real change; NoiseEvents counts what was
	// reported on them anyway.
	NoiseRevisions, NoiseEvents int
	// BrokenRevisions served an error, captcha or empty page;
	// BrokenBaselines counts baselines taken from them.
	BrokenRevisions, BrokenBaselines int
	// Misses describes every wrong or missing event.
	Misses []string
}

// Options size an evaluation.
type Options struct {
	Sites     int
	Revisions int
	Seed      int64
	// Dir holds the store; a temporary folder is fine.
	Dir string
}

// step is one revision: what changes and which events it should cause.
type step struct {
	name   string
	apply  func(g *generator, s *site) (expect []string)
	noise  bool
	broken bool
}

func pick(g *generator, s *site) int { return g.r.Intn(len(s.stories)) }

var steps = []step{
	{name: "new story", apply: func(g *generator, s *site) []string {
		st := g.story()
		s.stories = append([]*story{st}, s.stories...)
		return []string{New + " listing " + st.slug, New + " article " + st.slug}
	}},
	{name: "story removed", apply: func(g *generator, s *site) []string {
		i := pick(g, s)
		st := s.stories[i]
		s.stories = append(s.stories[:i:i], s.stories[i+1:]...)
		g.removed = append(g.removed, st)
		return []string{Removed + " listing " + st.slug}
	}},
	{name: "retitled", apply: func(g *generator, s *site) []string {
		i := pick(g, s)
		st := *s.stories[i]
		st.title = st.title + " After Talks"
		s.stories[i] = &st
		return []string{Changed + " listing " + st.slug, Changed + " article " + st.slug}
	}},
	{name: "URL migration", apply: func(g *generator, s *site) []string {
		i := pick(g, s)
		st := *s.stories[i]
		old := st.slug
		st.slug = "archive/" + st.slug
		s.stories[i] = &st
		g.moved[st.slug] = old
		return []string{Changed + " listing " + st.slug}
	}},
	{name: "one-word edit", apply: func(g *generator, s *site) []string {
		i := pick(g, s)
		st := *s.stories[i]
		st.paras = append([]string(nil), st.paras...)
		st.paras[1] = strings.Replace(st.paras[1], "The ", "The revised ", 1)
		s.stories[i] = &st
		return []string{Changed + " article " + st.slug}
	}},
	{name: "paragraph rewritten", apply: func(g *generator, s *site) []string {
		i := pick(g, s)
		st := *s.stories[i]
		st.paras = append([]string(nil), st.paras...)
		st.paras[0] = g.sentence() + " " + g.sentence()
		s.stories[i] = &st
		return []string{Changed + " article " + st.slug}
	}},
	{name: "paragraph moved", apply: func(g *generator, s *site) []string {
		i := pick(g, s)
		st := *s.stories[i]
		st.paras = append(append([]string(nil), st.paras[1:]...), st.paras[0])
		s.stories[i] = &st
		return []string{Changed + " article " + st.slug}
	}},
	{name: "reordered", noise: true, apply: func(g *generator, s *site) []string {
		g.r.Shuffle(len(s.stories), func(i, j int) { s.stories[i], s.stories[j] = s.stories[j], s.stories[i] })
		return nil
	}},
	{name: "reappeared", apply: func(g *generator, s *site) []string {
		if len(g.removed) == 0 {
			return nil
		}
		st := g.removed[0]
		g.removed = g.removed[1:]
		s.stories = append(s.stories, st)
		return []string{Reappeared + " listing " + st.slug, Reappeared + " article " + st.slug}
	}},
	{name: "popular box rotates", noise: true, apply: func(g *generator, s *site) []string {
		s.popular = []string{g.title(), g.title(), g.title()}
		return nil
	}},
	{name: "timestamp and ad id", noise: true, apply: func(g *generator, s *site) []string {
		s.stamp, s.adID = fmt.Sprintf("2025-12-17 10:%02d:%02d", g.r.Intn(60), g.r.Intn(60)), fmt.Sprintf("ad-%d", g.r.Intn(100000))
		return nil
	}},
	{name: "view counters", noise: true, apply: func(g *generator, s *site) []string {
		s.views += 1 + g.r.Intn(500)
		return nil
	}},
	{name: "tracking parameters", noise: true, apply: func(g *generator, s *site) []string {
		s.tracking = fmt.Sprintf("src%d", g.r.Intn(1000))
		return nil
	}},
	{name: "white space", noise: true, apply: func(g *generator, s *site) []string {
		s.spaces = !s.spaces
		return nil
	}},
	{name: "503 page", noise: true, broken: true, apply: func(g *generator, s *site) []string {
		s.status = http.StatusServiceUnavailable
		return nil
	}},
	{name: "captcha page", noise: true, broken: true, apply: func(g *generator, s *site) []string {
		s.special = "captcha"
		return nil
	}},
	{name: "empty listing", noise: true, broken: true, apply: func(g *generator, s *site) []string {
		s.special = "empty"
		return nil
	}},
}

// server serves the current revision of every site.
type server struct {
	mu    sync.Mutex
	sites []*site
}

func (sv *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	sv.mu.Lock()
	defer sv.mu.Unlock()
	var n int
	var rest string
	if _, err := fmt.Sscanf(r.URL.Path, "/site%d/", &n); err != nil || n >= len(sv.sites) {
		http.NotFound(w, r)
		return
	}
	rest = strings.TrimPrefix(r.URL.Path, fmt.Sprintf("/site%d", n))
	s := sv.sites[n]
	if rest == "/robots.txt" {
		http.NotFound(w, r)
		return
	}
	if s.status != 0 {
		http.Error(w, "unavailable", s.status)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if rest == "/news/" {
		fmt.Fprint(w, s.listing())
		return
	}
	for _, st := range s.stories {
		if rest == "/news/"+st.slug+".html" {
			fmt.Fprint(w, s.article(st))
			return
		}
	}
	http.NotFound(w, r)
}

// Run evaluates pubwatch on generated sites, in one mode.
func Run(ctx context.Context, opts Options, zeroConfig bool) (*Result, error) {
	res := &Result{Mode: "selectors", Scores: map[string]*Score{}}
	if zeroConfig {
		res.Mode = "zero-config"
	}
	for _, t := range []string{New, Changed, Removed, Reappeared} {
		res.Scores[t] = &Score{}
	}
	gens := make([]*generator, opts.Sites)
	sv := &server{sites: make([]*site, opts.Sites)}
	for i := range gens {
		gens[i] = &generator{r: rand.New(rand.NewSource(opts.Seed + int64(i))), used: map[string]bool{}, moved: map[string]string{}}
		s := &site{layout: i, stamp: "2025-12-17 10:00:00", adID: "ad-1"}
		for k := 0; k < 6; k++ {
			s.stories = append(s.stories, gens[i].story())
		}
		s.popular = []string{gens[i].title(), gens[i].title(), gens[i].title()}
		sv.sites[i] = s
	}
	srv := httptest.NewServer(sv)
	defer srv.Close()

	var yaml strings.Builder
	yaml.WriteString("reports: {formats: [json]}\nconcurrency: 4\nfetch: {host_delay: 0s, per_host: 8, retries: 0}\ndefaults: {timeout: 10s}\nsources:\n")
	for i := range gens {
		// Articles read at every check while listed, as the truth has
		// it (the watch schedule is measured by TestWatchWeek).
		fmt.Fprintf(&yaml, "  - name: site%d\n    url: %s/site%d/news/\n    follow: true\n    watch_for: \"off\"\n    recheck_factor: 0\n", i, srv.URL, i)
		if !zeroConfig {
			yaml.WriteString(selectorsFor(i))
		}
	}
	// Each revision is reported as users see it: from the event log.
	h, err := openHarness(ctx, yaml.String(), filepath.Join(opts.Dir, res.Mode, "pubwatch.yaml"))
	if err != nil {
		return nil, err
	}
	defer h.Close()
	for r := 0; r < opts.Revisions; r++ {
		expect := make([]map[string]bool, len(gens))
		kinds := make([]step, len(gens))
		sv.mu.Lock()
		for i, g := range gens {
			k := steps[g.r.Intn(len(steps))]
			// Zero-config needs three items to see a listing; keep four
			// before taking one away.
			if k.name == "reappeared" && len(g.removed) == 0 || k.name != "new story" && len(sv.sites[i].stories) < 4 {
				k = steps[0]
			}
			next := sv.sites[i].clone()
			// A broken page or a noise setting lasts one revision.
			next.status, next.special, next.tracking, next.spaces = 0, "", "", false
			kinds[i] = k
			expect[i] = map[string]bool{}
			for _, e := range k.apply(g, next) {
				expect[i][e] = true
			}
			sv.sites[i] = next
		}
		sv.mu.Unlock()
		out, moved, err := h.revision(ctx)
		if err != nil {
			return nil, err
		}
		res.Revisions++
		for i, src := range out.Sources {
			got := events(src, gens[i])
			score(res, kinds[i], expect[i], got, src.Name)
			if kinds[i].noise {
				res.NoiseRevisions++
				res.NoiseEvents += len(got)
			}
			if kinds[i].broken {
				res.BrokenRevisions++
				if moved(i) {
					res.BrokenBaselines++
					res.Misses = append(res.Misses, fmt.Sprintf("%s %s: a broken fetch became the baseline", src.Name, kinds[i].name))
				}
			}
		}
	}
	return res, nil
}

// events lists what a source's report says, as "type kind slug".
func events(src reports.Source, g *generator) map[string]bool {
	got, err := reportedEvents(src, func(u string) string {
		i := strings.Index(u, "/news/")
		if i < 0 {
			return u
		}
		return strings.TrimSuffix(strings.SplitN(u[i+len("/news/"):], "?", 2)[0], ".html")
	})
	if err != nil {
		panic(err)
	}
	return got
}

// reportedEvents lists what a source's report says, as "type kind name",
// each item named by name(its URL).
func reportedEvents(src reports.Source, name func(url string) string) (map[string]bool, error) {
	src, err := src.Unpacked()
	if err != nil {
		return nil, err
	}
	got := map[string]bool{}
	cs := src.Changes
	for _, it := range cs.New {
		got[New+" "+it.Kind+" "+name(it.URL)] = true
	}
	for _, it := range cs.Reappeared {
		got[Reappeared+" "+it.Kind+" "+name(it.URL)] = true
	}
	for _, c := range cs.Changed {
		got[Changed+" "+c.Item.Kind+" "+name(c.Item.URL)] = true
	}
	for _, it := range cs.Removed {
		got[Removed+" "+it.Kind+" "+name(it.URL)] = true
	}
	return got, nil
}

func score(res *Result, k step, want, got map[string]bool, name string) {
	res.Misses = append(res.Misses, tally(res.Scores, want, got, name+" "+k.name)...)
}

// tally scores what was reported against what was due, by event type,
// and describes every wrong or missing event.
func tally(scores map[string]*Score, want, got map[string]bool, label string) []string {
	var keys []string
	for e := range got {
		keys = append(keys, e)
	}
	for e := range want {
		if !got[e] {
			keys = append(keys, e)
		}
	}
	sort.Strings(keys)
	var misses []string
	for _, e := range keys {
		sc := scores[strings.Fields(e)[0]]
		switch {
		case want[e] && got[e]:
			sc.TP++
		case got[e]:
			sc.FP++
			misses = append(misses, fmt.Sprintf("%s: unexpected %s", label, e))
		default:
			sc.FN++
			misses = append(misses, fmt.Sprintf("%s: missed %s", label, e))
		}
	}
	return misses
}

// selectorsFor pins the selectors of a site's layout.
func selectorsFor(i int) string {
	switch i % 4 {
	case 0:
		return "    listing: {items: \"ul.news-list > li\", title: h3, link: \"h3 a\", date: .date, summary: .summary}\n"
	case 1:
		return "    listing: {items: \"div.cards > div.card\", title: .card-title, link: \".card-title a\", date: time, summary: p}\n"
	case 2:
		return "    listing: {items: \"table.releases tbody tr\", title: a, link: a, date: \"td:first-child\"}\n"
	}
	return "    listing: {items: \"main > article.post\", title: .entry-title, link: \".entry-title a\", date: time, summary: .entry-summary}\n"
}
