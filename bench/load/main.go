// Command load measures pubwatch check on many sources: it generates N
// synthetic publication sites (listing pages of 30–100 KB with menus,
// inline scripts and styles), serves them from a loopback server in a
// separate process, writes a pubwatch config (and, with -urlwatch, the
// equivalent urlwatch job file), and times check over revision 1 (first
// snapshots), the same revision again (unchanged) and revision 2 (a share
// of the sources changed): wall time, checks/s, CPU time, peak RSS, store
// size.
//
//	go run ./bench/load [-n 1000] [-changed 0.6] [-urlwatch] [-min-unchanged-rate 0]
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"hash/fnv"
	"math/rand"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "serve" {
		serve()
		return
	}
	n := flag.Int("n", 1000, "sources")
	changed := flag.Float64("changed", 0.6, "share of sources changed in revision 2")
	withURLWatch := flag.Bool("urlwatch", false, "also time Debian's urlwatch on the same corpus")
	minUnchanged := flag.Float64("min-unchanged-rate", 0, "exit 1 if the unchanged check runs below this many checks/s")
	keep := flag.String("dir", "", "work folder (default: a temporary one, removed)")
	daemon := flag.Duration("daemon", 0, "then run the daemon this long, every source due every -interval, sampling its memory")
	interval := flag.Duration("interval", 30*time.Second, "each source's interval for -daemon")
	history := flag.Int("history", 0, "then run this many more revisions, each changing -churn of the sources, and report the store's size")
	churn := flag.Float64("churn", 0.05, "share of sources changed in each -history revision")
	etag := flag.Bool("etag", false, "serve ETags and answer If-None-Match with 304")
	profile := flag.String("profile", "", "write CPU and heap profiles of pubwatch's runs to this folder")
	compression := flag.String("compression", "s2", "pubwatch's store.compression: s2 or zstd")
	zeroConfig := flag.Bool("zero-config", false, "give pubwatch's sources no selectors (only name and url): listings and articles found by themselves")
	against := flag.String("against", "", "also time this pubwatch binary (an earlier build) on the same corpus, taking turns, and compare")
	kills := flag.Int("kills", 0, "instead of timing: kill check this many times at random moments while revision 2 is served, then compare every event reported and delivered with a clean run's")
	seed := flag.Int64("seed", 0, "the kills' random seed (0: from the clock)")
	repeat := flag.Int("repeat", 1, "run each tool's three runs this many times, the tools taking turns from fresh stores, and compare medians")
	friendly := flag.Bool("friendly", false, "serve the old friendly pages (English, ISO dates, plain markup) instead of realistic ones")
	flag.Parse()
	if *profile != "" {
		must(os.MkdirAll(*profile, 0o755))
	}
	if _, err := exec.LookPath("urlwatch"); *withURLWatch && err != nil {
		fail(fmt.Errorf("-urlwatch: urlwatch is not installed (Debian's package: apt-get install urlwatch): %v", err))
	}

	dir := *keep
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "pubwatch-load"); err != nil {
			fail(err)
		}
		defer os.RemoveAll(dir)
	}
	bin := filepath.Join(dir, "pubwatch")
	if out, err := exec.Command("go", "build", "-o", bin, "./cmd/pubwatch").CombinedOutput(); err != nil {
		fail(fmt.Errorf("building pubwatch: %v\n%s", err, out))
	}

	// The server runs in a process of its own, so that its work is not
	// counted as pubwatch's.
	srv := exec.Command(os.Args[0], "serve", strconv.Itoa(*n), strconv.FormatFloat(*changed, 'f', -1, 64), strconv.FormatFloat(*churn, 'f', -1, 64), strconv.FormatBool(*etag),
		strconv.FormatBool(*friendly))
	srv.Stderr = os.Stderr
	// The server keeps every page in memory; GC settings meant for
	// pubwatch (GOGC, GOMEMLIMIT in this environment) are not for it.
	srv.Env = append(os.Environ(), "GOGC=100", "GOMEMLIMIT=off")
	stdout, _ := srv.StdoutPipe()
	if err := srv.Start(); err != nil {
		fail(err)
	}
	server = srv.Process
	defer srv.Process.Kill()
	buf := make([]byte, 64)
	k, _ := stdout.Read(buf)
	addr := strings.TrimSpace(string(buf[:k]))

	writeConfigs(dir, addr, *n, *compression, *zeroConfig, *friendly)
	if *against != "" {
		b, err := os.ReadFile(filepath.Join(dir, "pubwatch.yaml"))
		if err != nil {
			fail(err)
		}
		cfg := strings.Replace(strings.Replace(string(b), "path: pubwatch.db", "path: against.db", 1), "dir: reports,", "dir: reports-against,", 1)
		must(os.WriteFile(filepath.Join(dir, "against.yaml"), []byte(cfg), 0o644))
	}
	setRev := func(r int) {
		resp, err := http.Post("http://"+addr+"/rev?n="+strconv.Itoa(r), "text/plain", nil)
		if err != nil {
			fail(err)
		}
		resp.Body.Close()
	}

	fmt.Printf("%d sources, listing pages %s, %.0f%% changed in revision 2\n", *n, pageSizes(addr), 100**changed)
	if *kills > 0 {
		if *seed == 0 {
			*seed = time.Now().UnixNano()
		}
		if !killTest(dir, bin, *kills, *seed, setRev) {
			server.Kill()
			os.Exit(1)
		}
		return
	}
	fmt.Printf("%-10s %-10s %8s %9s %9s %9s %11s\n", "tool", "run", "wall", "checks/s", "CPU", "peak RSS", "store")
	ok := true
	type result struct {
		wall, cpu time.Duration
		rss       int64
	}
	runs := map[string][]result{}
	for rep := 0; rep < *repeat; rep++ {
		for _, tool := range []string{"pubwatch", "against", "urlwatch"} {
			if tool == "urlwatch" && !*withURLWatch || tool == "against" && *against == "" {
				continue
			}
			if rep > 0 {
				clearStore(dir, tool)
			}
			for _, run := range []struct {
				name string
				rev  int
			}{{"first", 1}, {"unchanged", 1}, {"changed", 2}} {
				setRev(run.rev)
				var cmd *exec.Cmd
				if tool == "pubwatch" {
					args := []string{"--config", filepath.Join(dir, "pubwatch.yaml"), "check", "--quiet"}
					if *profile != "" {
						args = append(args, "--cpuprofile", filepath.Join(*profile, run.name+".cpu"), "--memprofile", filepath.Join(*profile, run.name+".mem"))
					}
					cmd = exec.Command(bin, args...)
				} else if tool == "against" {
					cmd = exec.Command(*against, "--config", filepath.Join(dir, "against.yaml"), "check", "--quiet")
				} else {
					cmd = exec.Command("urlwatch", "--urls", filepath.Join(dir, "urls.yaml"), "--config", filepath.Join(dir, "urlwatch.yaml"),
						"--cache", filepath.Join(dir, "urlwatch-cache.db"))
					cmd.Env = append(os.Environ(), "HOME="+dir)
				}
				var out bytes.Buffer
				cmd.Stdout, cmd.Stderr = &out, &out
				start := time.Now()
				err := cmd.Run()
				wall := time.Since(start)
				if err != nil && (tool != "urlwatch" || cmd.ProcessState == nil) {
					// urlwatch's exit status is not an error; one that did
					// not start is.
					fail(fmt.Errorf("%s %s: %v\n%s", tool, run.name, err, tail(out.String())))
				}
				ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
				cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
				rate := float64(*n) / wall.Seconds()
				size := dirSize(dir, tool)
				fmt.Printf("%-10s %-10s %7.2fs %9.0f %8.2fs %7d MB %8.1f MB\n", tool, run.name, wall.Seconds(), rate, cpu.Seconds(), ru.Maxrss/1024, float64(size)/(1<<20))
				runs[tool+" "+run.name] = append(runs[tool+" "+run.name], result{wall, cpu, ru.Maxrss})
				if tool == "pubwatch" && run.name == "unchanged" && rate < *minUnchanged {
					fmt.Printf("FAIL: unchanged check at %.0f checks/s, below the floor of %.0f\n", rate, *minUnchanged)
					ok = false
				}
			}
		}
	}
	if *history > 0 {
		storeHistory(dir, bin, *n, *history, *churn, setRev)
	}
	if *daemon > 0 {
		runDaemon(dir, bin, *n, *daemon, *interval)
	}
	if *against != "" {
		fmt.Printf("\nthis build against %s (median of %d):\n", *against, *repeat)
		for _, r := range []string{"first", "unchanged", "changed"} {
			var wall, mem []float64
			for k, p := range runs["pubwatch "+r] {
				a := runs["against "+r][k]
				wall = append(wall, p.wall.Seconds()/a.wall.Seconds())
				mem = append(mem, float64(p.rss)/float64(a.rss))
			}
			fmt.Printf("%-10s this build takes %.2fx the time (%.2f–%.2fx) and %.2fx the peak memory\n", r, median(wall), slices.Min(wall), slices.Max(wall), median(mem))
		}
	}
	if *withURLWatch {
		// Each repetition's ratios come from runs minutes apart at most;
		// the median of them is the figure.
		if *repeat > 1 {
			fmt.Printf("\nmedians of %d repetitions:\n", *repeat)
		}
		for _, r := range []string{"first", "unchanged", "changed"} {
			var speed, cpu, mem []float64
			for k, p := range runs["pubwatch "+r] {
				u := runs["urlwatch "+r][k]
				speed = append(speed, u.wall.Seconds()/p.wall.Seconds())
				cpu = append(cpu, p.cpu.Seconds()/u.cpu.Seconds())
				mem = append(mem, float64(p.rss)/float64(u.rss))
			}
			fmt.Printf("%-10s pubwatch is %.1fx faster than urlwatch (wall; %.1f–%.1fx), uses %.1fx its CPU and %.2fx its peak memory (at most %.2fx)\n",
				r, median(speed), slices.Min(speed), slices.Max(speed), median(cpu), median(mem), slices.Max(mem))
		}
	}
	if !ok {
		server.Kill()
		os.Exit(1)
	}
}

// storeHistory runs revisions 3 to history+2 through pubwatch and reports
// how the store grew against the compressed size of the distinct contents,
// then what an unchanged check adds.
func storeHistory(dir, bin string, n, history int, churn float64, setRev func(int)) {
	check := func() {
		out, err := exec.Command(bin, "--config", filepath.Join(dir, "pubwatch.yaml"), "check", "--quiet").CombinedOutput()
		if err != nil {
			fail(fmt.Errorf("check: %v\n%s", err, tail(string(out))))
		}
	}
	start := time.Now()
	for r := 3; r < 3+history; r++ {
		setRev(r)
		check()
	}
	db := filepath.Join(dir, "pubwatch.db")
	stats := func() (disk, content int64) {
		out, err := exec.Command(bin, "--config", filepath.Join(dir, "pubwatch.yaml"), "stats", "--json").Output()
		if err != nil {
			fail(err)
		}
		var st struct {
			ContentBytes int64 `json:"content_bytes"`
		}
		if err := json.Unmarshal(out, &st); err != nil {
			fail(err)
		}
		fi, err := os.Stat(db)
		if err != nil {
			fail(err)
		}
		return fi.Size(), st.ContentBytes
	}
	disk, content := stats()
	fmt.Printf("\nhistory: %d more revisions, %.0f%% of the sources changing in each, in %s\n", history, 100*churn, time.Since(start).Round(time.Second))
	fmt.Printf("store %.1f MB on disk; distinct contents %.1f MB compressed: %.2fx\n", float64(disk)/(1<<20), float64(content)/(1<<20), float64(disk)/float64(content))
	const repeats = 10
	for k := 0; k < repeats; k++ {
		check() // the last revision again: every check unchanged
	}
	after, _ := stats()
	fmt.Printf("an unchanged check adds %.0f bytes to the store (%d checks of %d sources)\n", float64(after-disk)/float64(repeats*n), repeats, n)
}

// runDaemon runs pubwatch run with every source due every interval and
// samples its resident memory once a second: a day's schedule in minutes.
func runDaemon(dir, bin string, n int, d, interval time.Duration) {
	cfgPath := filepath.Join(dir, "pubwatch.yaml")
	b, err := os.ReadFile(cfgPath)
	if err != nil {
		fail(err)
	}
	daemonCfg := filepath.Join(dir, "daemon.yaml")
	must(os.WriteFile(daemonCfg, []byte(strings.Replace(string(b), "defaults: {timeout: 30s}", "defaults: {timeout: 30s, interval: "+interval.String()+"}", 1)), 0o644))
	before := countChecks(bin, daemonCfg)
	cmd := exec.Command(bin, "--config", daemonCfg, "run", "--quiet")
	if err := cmd.Start(); err != nil {
		fail(err)
	}
	var samples []int64
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		time.Sleep(time.Second)
		samples = append(samples, rssKB(cmd.Process.Pid))
	}
	cmd.Process.Signal(syscall.SIGTERM)
	cmd.Wait()
	checks := countChecks(bin, daemonCfg) - before
	var peak int64
	for _, s := range samples {
		peak = max(peak, s)
	}
	steady := append([]int64(nil), samples[len(samples)/2:]...)
	sort.Slice(steady, func(i, j int) bool { return steady[i] < steady[j] })
	fmt.Printf("\ndaemon: %d sources due every %s, run for %s: %d checks (%.0f/s); RSS peak %d MB, steady (median of the second half) %d MB\n",
		n, interval, d, checks, float64(checks)/d.Seconds(), peak/1024, steady[len(steady)/2]/1024)
}

func rssKB(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			v, _ := strconv.ParseInt(f[1], 10, 64)
			return v
		}
	}
	return 0
}

func countChecks(bin, cfg string) int64 {
	out, err := exec.Command(bin, "--config", cfg, "stats", "--json").Output()
	if err != nil {
		return 0
	}
	var st struct {
		Checks int64 `json:"checks"`
	}
	json.Unmarshal(out, &st)
	return st.Checks
}

func median(v []float64) float64 {
	v = slices.Clone(v)
	slices.Sort(v)
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}

// clearStore removes a tool's store and reports, for a fresh first run.
func clearStore(dir, tool string) {
	patterns := []string{"pubwatch.db*", "reports"}
	switch tool {
	case "urlwatch":
		patterns = []string{"urlwatch-cache.db*"}
	case "against":
		patterns = []string{"against.db*", "reports-against"}
	}
	for _, p := range patterns {
		files, _ := filepath.Glob(filepath.Join(dir, p))
		for _, f := range files {
			must(os.RemoveAll(f))
		}
	}
}

// server is the loopback server's process, killed on the way out.
var server *os.Process

func fail(err error) {
	fmt.Fprintln(os.Stderr, "load:", err)
	if server != nil {
		server.Kill()
	}
	os.Exit(2)
}

func tail(s string) string {
	if len(s) > 2000 {
		return s[len(s)-2000:]
	}
	return s
}

func writeConfigs(dir, addr string, n int, compression string, zeroConfig, friendly bool) {
	var pw, uw strings.Builder
	pw.WriteString("store: {path: pubwatch.db, compression: " + compression + "}\nreports: {dir: reports, formats: [json]}\nconcurrency: 16\n")
	pw.WriteString("fetch: {per_host: 16, host_delay: 0s, retries: 0}\ndefaults: {timeout: 30s}\nsources:\n")
	for i := 0; i < n; i++ {
		u := fmt.Sprintf("http://%s/s/%d/", addr, i)
		if zeroConfig {
			fmt.Fprintf(&pw, "  - {name: s%d, url: %q, robots: false}\n", i, u)
		} else {
			fmt.Fprintf(&pw, "  - {name: s%d, url: %q, robots: false, listing: %s}\n", i, u, listingSelectors(friendly))
		}
		fmt.Fprintf(&uw, "---\nname: s%d\nurl: %q\nfilter:\n  - css: main\n  - html2text\n", i, u)
	}
	must(os.WriteFile(filepath.Join(dir, "pubwatch.yaml"), []byte(pw.String()), 0o644))
	must(os.WriteFile(filepath.Join(dir, "urls.yaml"), []byte(uw.String()), 0o644))
	// urlwatch with its defaults, reporting to stdout without colour.
	must(os.WriteFile(filepath.Join(dir, "urlwatch.yaml"), []byte("display: {new: true, error: true, unchanged: false}\nreport:\n  stdout: {enabled: true, color: false}\n  text: {details: true, footer: false, minimal: false}\n"), 0o644))
}

func must(err error) {
	if err != nil {
		fail(err)
	}
}

func dirSize(dir, tool string) int64 {
	var total int64
	pattern := map[string]string{"pubwatch": "pubwatch.db*", "against": "against.db*", "urlwatch": "urlwatch-cache.db*"}[tool]
	files, _ := filepath.Glob(filepath.Join(dir, pattern))
	for _, f := range files {
		if fi, err := os.Stat(f); err == nil && !strings.HasSuffix(f, ".lock") {
			total += fi.Size()
		}
	}
	return total
}

func pageSizes(addr string) string {
	var min, max int
	for i := 0; i < 20; i++ {
		resp, err := http.Get(fmt.Sprintf("http://%s/s/%d/", addr, i))
		if err != nil {
			continue
		}
		var b bytes.Buffer
		b.ReadFrom(resp.Body)
		resp.Body.Close()
		if min == 0 || b.Len() < min {
			min = b.Len()
		}
		if b.Len() > max {
			max = b.Len()
		}
	}
	return fmt.Sprintf("%d–%d KB", min/1024, max/1024)
}

// serve answers for the sites, at the revision last POSTed to /rev.
// Revision 1 is every site's first version; in revision 2 the share given
// changes; from revision 3 on, each site changes with the churn given.
func serve() {
	n, _ := strconv.Atoi(os.Args[2])
	share, _ := strconv.ParseFloat(os.Args[3], 64)
	churn, _ := strconv.ParseFloat(os.Args[4], 64)
	etags, _ := strconv.ParseBool(os.Args[5])
	friendly, _ := strconv.ParseBool(os.Args[6])
	var rev atomic.Int64
	rev.Store(1)
	changed := func(i, k int) bool {
		if k == 2 {
			return float64(i%100) < share*100
		}
		h := fnv.New32a()
		fmt.Fprintf(h, "%d/%d", i, k)
		return float64(h.Sum32()%10000) < churn*10000
	}
	// A page is made once, with its ETag, as a server's cache would.
	type cached struct {
		body []byte
		etag string
	}
	var cache sync.Map // [2]int{site, version} -> cached
	page := func(i, r int) cached {
		v := 0
		for k := 2; k <= r; k++ {
			if changed(i, k) {
				v++
			}
		}
		key := [2]int{i, v}
		if c, ok := cache.Load(key); ok {
			return c.(cached)
		}
		b := realPage(i, v)
		if friendly {
			b = sitePage(i, v)
		}
		h := fnv.New64a()
		h.Write(b)
		c := cached{b, fmt.Sprintf(`"%x"`, h.Sum64())}
		cache.Store(key, c)
		return c
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/rev", func(w http.ResponseWriter, r *http.Request) {
		v, _ := strconv.Atoi(r.URL.Query().Get("n"))
		rev.Store(int64(v))
	})
	mux.HandleFunc("/s/", func(w http.ResponseWriter, r *http.Request) {
		var i int
		if _, err := fmt.Sscanf(r.URL.Path, "/s/%d/", &i); err != nil || i < 0 || i >= n {
			http.NotFound(w, r)
			return
		}
		c := page(i, int(rev.Load()))
		if etags {
			w.Header().Set("ETag", c.etag)
			if r.Header.Get("If-None-Match") == c.etag {
				w.WriteHeader(http.StatusNotModified)
				return
			}
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(c.body)
	})
	// Revisions 1 and 2 are made before the server answers, so that
	// making pages is not counted in the timed runs (it competes for the
	// same two cores).
	var wg sync.WaitGroup
	for w := 0; w < runtime.NumCPU(); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += runtime.NumCPU() {
				page(i, 1)
				page(i, 2)
			}
		}()
	}
	wg.Wait()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fail(err)
	}
	fmt.Println(ln.Addr().String())
	http.Serve(ln, mux)
}

var vocabulary = strings.Fields(`government ministry delegation assembly budget harvest railway harbour festival museum science
	school hospital workers farmers energy exports trade summit council culture sports weather region capital industry`)

// sitePage is a friendly listing page (-friendly) of realistic weight: a
// menu of 60 links, an inline script and style, 30 teasers with ISO dates,
// a footer. Each later version of a page (this one and realPage) has two
// new teasers on top, one fewer at the bottom and one retitled.
func sitePage(i int, version int) []byte {
	r := rand.New(rand.NewSource(int64(i)))
	word := func() string { return vocabulary[r.Intn(len(vocabulary))] }
	sentence := func(n int) string {
		w := make([]string, n)
		for k := range w {
			w[k] = word()
		}
		return strings.Join(w, " ")
	}
	var b strings.Builder
	b.WriteString("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Site " + strconv.Itoa(i) + "</title><style>")
	for k := 0; k < 40+r.Intn(200); k++ {
		fmt.Fprintf(&b, ".c%d{margin:%dpx;padding:%dpx;color:#%06x}", k, r.Intn(20), r.Intn(20), r.Intn(0xffffff))
	}
	b.WriteString("</style><script>window.config={")
	for k := 0; k < 80+r.Intn(300); k++ {
		fmt.Fprintf(&b, "k%d:%q,", k, sentence(3))
	}
	b.WriteString("};</script></head><body><nav class=\"menu\"><ul>")
	for k := 0; k < 60; k++ {
		fmt.Fprintf(&b, "<li><a href=\"/section/%d/\">%s</a></li>", k, sentence(2))
	}
	b.WriteString("</ul></nav><main><h1>News</h1><ul class=\"teasers\">")
	start, teasers := -2*version, 30-version
	for k := start; k < teasers; k++ {
		// Each teaser has its own random source, so that revision 2
		// changes only what it means to change.
		r = rand.New(rand.NewSource(int64(i)*1000 + int64(k) + 10))
		title := sentence(6)
		if version > 0 && k == 5-2*version {
			title += " updated"
		}
		fmt.Fprintf(&b, "<li><h3><a href=\"/s/%d/article-%d.html\">%s</a></h3><time>2025-12-%02d</time><p>%s</p></li>", i, k+1000, title, 1+(k+100)%28, sentence(90+r.Intn(120)))
	}
	r = rand.New(rand.NewSource(int64(i) + 7))
	b.WriteString("</ul></main><footer>")
	for k := 0; k < 30; k++ {
		fmt.Fprintf(&b, "<a href=\"/about/%d\">%s</a> ", k, sentence(2))
	}
	b.WriteString("</footer></body></html>")
	return []byte(b.String())
}
