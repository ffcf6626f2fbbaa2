package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"
)

// killTest is the test at full size: the sources take a baseline
// of revision 1; a copy of that store checks revision 2 once, cleanly,
// and its report is the truth; the store itself checks revision 2 while
// being killed (SIGKILL) kills times at random moments of a run, then
// once more to the end. The union of its run reports, and of the
// deliveries a webhook receiver got (once per delivery id), must hold
// every event of the truth exactly once.
func killTest(dir, bin string, kills int, seed int64, setRev func(int)) bool {
	hook := newReceiver()
	defer hook.srv.Close()
	cfg := filepath.Join(dir, "pubwatch.yaml")
	b, err := os.ReadFile(cfg)
	if err != nil {
		fail(err)
	}
	main := strings.Replace(string(b), "sources:\n", "notify: [{name: hook, url: \"http://"+hook.addr+"/hook\", backoff: 1s}]\nsources:\n", 1)
	must(os.WriteFile(filepath.Join(dir, "kills.yaml"), []byte(main), 0o644))
	ref := strings.Replace(strings.Replace(string(b), "path: pubwatch.db", "path: ref.db", 1), "dir: reports,", "dir: reports-ref,", 1)
	must(os.WriteFile(filepath.Join(dir, "ref.yaml"), []byte(ref), 0o644))
	for _, p := range []string{"pubwatch.db*", "reports", "ref.db*", "reports-ref"} {
		files, _ := filepath.Glob(filepath.Join(dir, p))
		for _, f := range files {
			must(os.RemoveAll(f))
		}
	}
	check := func(config string) {
		if out, err := exec.Command(bin, "--config", config, "check", "--quiet").CombinedOutput(); err != nil {
			fail(fmt.Errorf("check: %v\n%s", err, tail(string(out))))
		}
	}
	setRev(1)
	start := time.Now()
	check(filepath.Join(dir, "kills.yaml"))
	span := time.Since(start)
	// The reference starts from the same baseline: a copy of the store
	// (its writer has exited, so the files are whole).
	files, _ := filepath.Glob(filepath.Join(dir, "pubwatch.db*"))
	for _, f := range files {
		if strings.HasSuffix(f, ".lock") {
			continue
		}
		b, err := os.ReadFile(f)
		must(err)
		must(os.WriteFile(strings.Replace(f, "pubwatch.db", "ref.db", 1), b, 0o644))
	}
	setRev(2)
	// The reference's run is the changed run the kills interrupt: its
	// span is what they are drawn within.
	start = time.Now()
	check(filepath.Join(dir, "ref.yaml"))
	span = time.Since(start)
	truth, _ := reportEvents(filepath.Join(dir, "reports-ref"))

	rng := rand.New(rand.NewSource(seed))
	caught := 0
	for k := 0; k < kills; k++ {
		cmd := exec.Command(bin, "--config", filepath.Join(dir, "kills.yaml"), "check", "--quiet")
		must(cmd.Start())
		// Within the span of a changed run: once one run of revision 2
		// has finished, the later ones have nothing to change and finish
		// in a fifth of it.
		time.Sleep(span/10 + time.Duration(rng.Int63n(int64(span*4/5))))
		cmd.Process.Signal(syscall.SIGKILL)
		if err := cmd.Wait(); err != nil {
			caught++
		}
	}
	check(filepath.Join(dir, "kills.yaml"))
	got, runs := reportEvents(filepath.Join(dir, "reports"))
	delivered := hook.events()
	fmt.Printf("\nkills: %d sources, a changed run of %s; %d of %d runs killed mid-run (seed %d); %d run reports, %d deliveries\n",
		len(strings.Split(string(b), "- {name:"))-1, span.Round(time.Millisecond), caught, kills, seed, runs, hook.count())
	ok := true
	for _, c := range []struct {
		what string
		got  map[string]int
	}{{"run reports", got}, {"webhook deliveries", delivered}} {
		missing, extra, twice := compareEvents(c.got, truth)
		fmt.Printf("%-18s %d true events: %d reported once, %d missing, %d more than once, %d not true\n",
			c.what, len(truth), len(truth)-missing-twice, missing, twice, extra)
		if missing+twice+extra > 0 {
			ok = false
		}
	}
	if !ok {
		fmt.Println("FAIL: the kills lost or repeated events")
	}
	return ok
}

// compareEvents counts the true events missing from got, those in it
// more than once, and those in it that are not true.
func compareEvents(got, truth map[string]int) (missing, extra, twice int) {
	for k := range truth {
		switch got[k] {
		case 0:
			missing++
		case 1:
		default:
			twice++
		}
	}
	for k := range got {
		if truth[k] == 0 {
			extra++
		}
	}
	return
}

// reportEvents counts the item events of every run report in a folder.
func reportEvents(dir string) (map[string]int, int) {
	files, _ := filepath.Glob(filepath.Join(dir, "*", "report.json"))
	out := map[string]int{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		must(err)
		for _, k := range itemEvents(b) {
			out[k]++
		}
	}
	return out, len(files)
}

// itemEvents lists a JSON report's item events as "source kind id".
func itemEvents(body []byte) []string {
	var r struct {
		Sources []struct {
			Name                              string
			New, Changed, Removed, Reappeared []struct{ ID string }
		}
	}
	if err := json.Unmarshal(body, &r); err != nil {
		fail(fmt.Errorf("report: %v", err))
	}
	var out []string
	for _, s := range r.Sources {
		for kind, items := range map[string][]struct{ ID string }{"new": s.New, "changed": s.Changed, "removed": s.Removed, "reappeared": s.Reappeared} {
			for _, it := range items {
				out = append(out, s.Name+" "+kind+" "+it.ID)
			}
		}
	}
	sort.Strings(out)
	return out
}

// receiver is a webhook receiver keeping each delivery's body by its id.
type receiver struct {
	mu     sync.Mutex
	bodies map[string][]byte
	srv    *http.Server
	addr   string
}

func newReceiver() *receiver {
	r := &receiver{bodies: map[string][]byte{}}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	must(err)
	r.addr = l.Addr().String()
	r.srv = &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		b, err := io.ReadAll(req.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		id := req.Header.Get("X-Pubwatch-Delivery")
		r.mu.Lock()
		if prev, ok := r.bodies[id]; ok && !bytes.Equal(prev, b) {
			fmt.Printf("delivery %s sent again with another body\n", id)
		}
		r.bodies[id] = b
		r.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	})}
	go r.srv.Serve(l)
	return r
}

func (r *receiver) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.bodies)
}

// events counts the item events of the deliveries, each delivery once.
func (r *receiver) events() map[string]int {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := map[string]int{}
	for _, b := range r.bodies {
		for _, k := range itemEvents(b) {
			out[k]++
		}
	}
	return out
}
