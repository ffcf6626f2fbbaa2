// Command archive measures `pubwatch serve` on a large store: it builds a
// store of N sources with about E events (listings that turn over: new,
// removed, retitled, edited, moved items, and failing sources), checks
// it was built as asked, starts the built binary's `serve` on it, asks
// every page and API call many times with varied arguments, and prints
// each one's latency (median, p95, worst) and the server's peak memory.
//
//	go run ./bench/archive [-sources 10000] [-events 1000000] [-requests 200] [-dir DIR] [-max-p95 50ms] [-max-rss 100]
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pubwatch/pubwatch/config"
	"github.com/pubwatch/pubwatch/diff"
	"github.com/pubwatch/pubwatch/monitor"
	"github.com/pubwatch/pubwatch/snapshot"
	"github.com/pubwatch/pubwatch/store"
)

func main() {
	sources := flag.Int("sources", 10000, "sources in the store")
	events := flag.Int("events", 1000000, "events in the store (about)")
	requests := flag.Int("requests", 200, "requests of each kind")
	dir := flag.String("dir", "", "work folder; a store already built there for the same -sources and -events is reused (default: a temporary one, removed)")
	maxP95 := flag.Duration("max-p95", 0, "exit 1 if any kind of request's p95 is above this")
	maxRSS := flag.Int("max-rss", 0, "exit 1 if the server's peak RSS is above this many MB")
	flag.Parse()

	work := *dir
	if work == "" {
		var err error
		if work, err = os.MkdirTemp("", "pubwatch-archive"); err != nil {
			fail(err)
		}
		defer os.RemoveAll(work)
	}
	must(os.MkdirAll(work, 0o755))
	db := filepath.Join(work, "archive.db")
	marker := filepath.Join(work, "built")
	want := fmt.Sprintf("%d %d", *sources, *events)
	if b, err := os.ReadFile(marker); err != nil || string(b) != want {
		for _, f := range []string{db, db + "-wal", db + "-shm", marker} {
			os.Remove(f)
		}
		start := time.Now()
		n := build(db, *sources, *events)
		fi, _ := os.Stat(db)
		fmt.Printf("built a store of %d sources and %d events in %.1f s (%d MB)\n", *sources, n, time.Since(start).Seconds(), fi.Size()>>20)
		must(os.WriteFile(marker, []byte(want), 0o644))
	}
	must(os.WriteFile(filepath.Join(work, "pubwatch.yaml"), []byte("store:\n  path: archive.db\nreports:\n  dir: reports\nsources:\n  - name: s0\n    url: https://s0.example.org/\n"), 0o644))

	bin := filepath.Join(work, "pubwatch")
	if out, err := exec.Command("go", "build", "-o", bin, "./cmd/pubwatch").CombinedOutput(); err != nil {
		fail(fmt.Errorf("building pubwatch: %v\n%s", err, out))
	}
	cmd := exec.Command(bin, "--config", filepath.Join(work, "pubwatch.yaml"), "serve", "--addr", "127.0.0.1:0")
	out, _ := cmd.StdoutPipe()
	errs, _ := cmd.StderrPipe()
	started := time.Now()
	must(cmd.Start())
	// The search index is made (or brought up to date) in the background
	// when serve starts; searches are measured once it is ready.
	ready := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(errs)
		for sc.Scan() {
			if strings.Contains(sc.Text(), "search index ready") {
				ready <- sc.Text()
			} else {
				fmt.Fprintln(os.Stderr, sc.Text())
			}
		}
	}()
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		fail(fmt.Errorf("serve printed no address: %v", err))
	}
	base := regexp.MustCompile(`http://[^/\s]+`).FindString(line)
	select {
	case l := <-ready:
		fmt.Printf("search index ready %.1f s after serve started (%s)\n", time.Since(started).Seconds(), strings.TrimSpace(l[strings.Index(l, "indexed"):]))
	case <-time.After(10 * time.Minute):
		fail(fmt.Errorf("the search index was not ready after 10 minutes"))
	}

	ok := measure(base, cmd.Process.Pid, *sources, *requests, *maxP95, *maxRSS)
	if !ok {
		cmd.Process.Kill()
		os.Exit(1)
	}
}

// words are what the generated titles are made of, in several languages.
var words = strings.Fields(`government ministry delegation assembly budget harbour railway festival museum science school
	hospital workers farmers energy exports trade summit council culture weather region capital industry
	gouvernement ministère délégation budget récolte Regierung Ministerium Haushalt Hafen Verkehr
	правительство министерство делегация бюджет 政府 代表团 预算 港口 정부 대표단 예산`)

func title(r *rand.Rand) string {
	n := 4 + r.IntN(6)
	w := make([]string, n)
	for i := range w {
		w[i] = words[r.IntN(len(words))]
	}
	w[0] = strings.ToUpper(w[0][:1]) + w[0][1:]
	return strings.Join(w, " ")
}

// build writes the store: each source a first check and then changed
// checks of a listing of ten teasers, each with about eleven events, a
// few failing checks between; returns how many events it holds.
func build(path string, sources, events int) int {
	ctx := context.Background()
	st, err := store.Open(ctx, path, store.Options{Writer: true})
	must(err)
	defer st.Close()
	checks := max(events/sources/9, 1)
	var total sync.WaitGroup
	var mu sync.Mutex
	count := 0
	jobs := make(chan int)
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for w := 0; w < 32; w++ {
		total.Add(1)
		go func() {
			defer total.Done()
			for i := range jobs {
				n := buildSource(ctx, st, i, checks, t0)
				mu.Lock()
				count += n
				mu.Unlock()
			}
		}()
	}
	for i := 0; i < sources; i++ {
		jobs <- i
	}
	close(jobs)
	total.Wait()
	return count
}

func buildSource(ctx context.Context, st *store.Store, i, checks int, t0 time.Time) int {
	r := rand.New(rand.NewPCG(uint64(i), 7))
	name := "s" + strconv.Itoa(i)
	site := "https://s" + strconv.Itoa(i) + ".example.org"
	next := 0
	teaser := func() snapshot.Item {
		next++
		u := site + "/news/" + strconv.Itoa(next) + ".html"
		return snapshot.Item{Kind: snapshot.KindListing, ID: u, URL: u, Title: title(r),
			Date:    t0.AddDate(0, 0, next).Format("January 2, 2006"),
			Summary: title(r) + " " + title(r)}
	}
	var items []snapshot.Item
	for range 10 {
		items = append(items, teaser())
	}
	ev := func(kind, key string, d monitor.EventData) store.Event {
		b, _ := json.Marshal(d)
		return store.Event{Kind: kind, ItemKey: key, Significance: 1, Data: b}
	}
	n := 0
	record := func(k int, status string, evs []store.Event, prev int64) int64 {
		at := t0.Add(time.Duration(k)*6*time.Hour + time.Duration(i)*time.Second)
		rec := store.CheckRecord{Source: name, RunID: "r" + strconv.Itoa(k), StartedAt: at, FinishedAt: at, Status: status,
			NextCheckAt: at.Add(6 * time.Hour), PreviousSnapshotID: prev, Events: evs}
		if status == store.StatusError {
			rec.Error = "fetching " + site + "/: HTTP 503 Service Unavailable"
		} else {
			page := []byte("<html><body>" + items[0].Title + " " + strconv.Itoa(k) + "</body></html>")
			rec.ContentHash = store.Hash(page)
			rec.Snapshot = &store.NewSnapshot{Content: page, ContentType: "text/html", URL: site + "/",
				Snapshot: &snapshot.Snapshot{Items: slices.Clone(items)}}
		}
		id, err := st.Record(ctx, rec)
		must(err)
		n += len(evs)
		return id
	}
	prev := record(0, store.StatusFirst, []store.Event{ev(config.EventBaseline, "", monitor.EventData{URL: site + "/", Items: len(items)})}, 0)
	for k := 1; k <= checks; k++ {
		if r.IntN(12) == 0 {
			record(k, store.StatusError, []store.Event{ev(config.EventFailing, "", monitor.EventData{URL: site + "/", Error: "HTTP 503", Failures: 1})}, prev)
			continue
		}
		var evs []store.Event
		for range 2 { // two new on top, two gone at the bottom
			it := teaser()
			items = append([]snapshot.Item{it}, items...)
			evs = append(evs, ev(config.EventNew, it.Key(), monitor.EventData{URL: site + "/", Item: &it}))
			gone := items[len(items)-1]
			items = items[:len(items)-1]
			evs = append(evs, ev(config.EventRemoved, gone.Key(), monitor.EventData{URL: site + "/", Item: &gone, Reason: "no longer listed"}))
		}
		for range 5 { // retitled or edited
			j := r.IntN(len(items))
			old := items[j]
			items[j].Title = title(r)
			if r.IntN(2) == 0 {
				items[j].Summary = title(r) + " " + title(r)
			}
			if c, ok := diff.CompareItems(old, items[j]); ok {
				kind := config.EventChanged
				if r.IntN(6) == 0 {
					kind = config.EventSuppressed
				}
				evs = append(evs, ev(kind, items[j].Key(), monitor.EventData{URL: site + "/", Change: &c}))
			}
		}
		j := 1 + r.IntN(len(items)-1)
		items[0], items[j] = items[j], items[0]
		evs = append(evs, ev(config.EventMoved, items[0].Key(), monitor.EventData{URL: site + "/", Move: &diff.Move{Item: items[0], From: j, To: 0}}))
		prev = record(k, store.StatusChanged, evs, prev)
	}
	return n
}

// A request kind: its name and a way to make one request's path.
type kind struct {
	name string
	path func(r *rand.Rand) string
}

func measure(base string, pid, sources, requests int, maxP95 time.Duration, maxRSS int) bool {
	r := rand.New(rand.NewPCG(1, 2))
	src := func(r *rand.Rand) string { return "s" + strconv.Itoa(r.IntN(sources)) }
	get := func(path string) []byte {
		resp, err := http.Get(base + path)
		if err != nil {
			fail(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			fail(fmt.Errorf("GET %s: %d %s", path, resp.StatusCode, b))
		}
		return b
	}
	// Items and cursors to ask for, found through the API itself.
	var itemIDs []string
	var cursors []string
	for range 50 {
		var page struct {
			Events []struct {
				ItemID string `json:"item_id"`
			} `json:"events"`
			NextCursor string `json:"next_cursor"`
		}
		must(json.Unmarshal(get("/api/events?kind=changed&limit=20&source="+src(r)), &page))
		for _, e := range page.Events {
			itemIDs = append(itemIDs, e.ItemID)
		}
		if page.NextCursor != "" {
			cursors = append(cursors, page.NextCursor)
		}
	}
	if len(itemIDs) == 0 || len(cursors) == 0 {
		fail(fmt.Errorf("the store has no changed items to ask for"))
	}
	item := func(r *rand.Rand) string { return itemIDs[r.IntN(len(itemIDs))] }
	kinds := []kind{
		{"home", func(*rand.Rand) string { return "/" }},
		{"home, a later page of sources", func(r *rand.Rand) string { return "/?after=" + src(r) }},
		{"source", func(r *rand.Rand) string { return "/sources/" + src(r) }},
		{"item (last two versions)", func(r *rand.Rand) string { return "/items/" + item(r) }},
		{"item, versions 1 and 2", func(r *rand.Rand) string { return "/items/" + item(r) + "?from=1&to=2" }},
		{"search, a common word", func(r *rand.Rand) string { return "/search?q=" + words[r.IntN(len(words))] }},
		{"search, no match", func(r *rand.Rand) string { return "/search?q=zz" + strconv.Itoa(r.IntN(1000)) }},
		{"runs", func(*rand.Rand) string { return "/runs" }},
		{"feed, all sources", func(*rand.Rand) string { return "/feed.atom" }},
		{"feed, one source", func(r *rand.Rand) string { return "/sources/" + src(r) + "/feed.atom" }},
		{"api sources", func(r *rand.Rand) string { return "/api/sources?after=" + src(r) }},
		{"api source", func(r *rand.Rand) string { return "/api/sources/" + src(r) }},
		{"api events, newest", func(*rand.Rand) string { return "/api/events" }},
		{"api events, a source", func(r *rand.Rand) string { return "/api/events?source=" + src(r) }},
		{"api events, a kind, from a cursor", func(r *rand.Rand) string {
			return "/api/events?kind=removed&cursor=" + cursors[r.IntN(len(cursors))]
		}},
		{"api events, since a time, none", func(r *rand.Rand) string { return "/api/events?since=2025-02-20T00:00:00Z" }},
		{"api events, since a time, many", func(r *rand.Rand) string { return "/api/events?since=2025-01-01T00:00:00Z" }},
		{"api events, a rare kind", func(r *rand.Rand) string { return "/api/events?kind=attention" }},
		{"api item versions", func(r *rand.Rand) string { return "/api/items/" + item(r) + "/versions" }},
		{"api item diff", func(r *rand.Rand) string { return "/api/items/" + item(r) + "/diff" }},
	}
	ok := true
	fmt.Printf("%-36s %9s %9s %9s\n", "request", "median", "p95", "worst")
	var all []time.Duration
	for _, k := range kinds {
		var took []time.Duration
		for range requests {
			path := k.path(r)
			start := time.Now()
			get(path)
			took = append(took, time.Since(start))
		}
		slices.Sort(took)
		all = append(all, took...)
		p95 := took[len(took)*95/100]
		fmt.Printf("%-36s %9s %9s %9s\n", k.name, ms(took[len(took)/2]), ms(p95), ms(took[len(took)-1]))
		if maxP95 > 0 && p95 > maxP95 {
			fmt.Printf("FAIL: %s: p95 %s above %s\n", k.name, ms(p95), maxP95)
			ok = false
		}
	}
	slices.Sort(all)
	fmt.Printf("%-36s %9s %9s %9s\n", "every request", ms(all[len(all)/2]), ms(all[len(all)*95/100]), ms(all[len(all)-1]))
	rss := peakRSS(pid)
	fmt.Printf("server peak RSS: %d MB\n", rss>>20)
	if maxRSS > 0 && rss>>20 > int64(maxRSS) {
		fmt.Printf("FAIL: server peak RSS %d MB above %d MB\n", rss>>20, maxRSS)
		ok = false
	}
	return ok
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

// peakRSS reads a process's peak resident set (VmHWM).
func peakRSS(pid int) int64 {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "VmHWM:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	return 0
}

func must(err error) {
	if err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "archive:", err)
	os.Exit(1)
}
