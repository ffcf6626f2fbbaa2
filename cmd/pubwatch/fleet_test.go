package main

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/pubwatch/pubwatch/internal/pgtest"
)

// TestFleet: three 'pubwatch run' workers share one PostgreSQL store and
// 2,000 sources on four loopback hosts, every source due every 30 seconds,
// for two minutes; the sites change in the middle, the notification
// receiver goes down, and the leading worker (the one writing reports and
// sending notifications) is killed with SIGKILL at a random moment while
// it is down. Every source is checked in every interval after
// its first (within the interval, its jitter and the lease), none twice
// within half its interval; no host ever has more requests in flight than
// per_host, across the fleet; every event of the change is reported once
// and delivered once.
func TestFleet(t *testing.T) {
	if testing.Short() {
		t.Skip("runs three workers for two minutes")
	}
	if raceEnabled {
		t.Skip("three race-built workers over 2,000 sources outrun a small machine; .ci/run runs this test without -race")
	}
	const (
		hosts    = 4
		perFleet = 500
		perHost  = 4
		interval = 30 * time.Second
		lease    = 10 * time.Second
		jitter   = interval / 10
		workers  = 3
		changeAt = 50 * time.Second
		downAt   = 55 * time.Second
	)
	// The kill comes at a random moment between 60 and 80 s (its seed is
	// logged); the receiver is back 10 s after it.
	seed := time.Now().UnixNano()
	killAfter := 60*time.Second + time.Duration(rand.New(rand.NewPCG(uint64(seed), 0)).Int64N(int64(20*time.Second)))
	upAt := killAfter + 10*time.Second
	t.Logf("seed %d: the leader is killed at %v", seed, killAfter.Round(time.Millisecond))
	length := 2 * time.Minute
	if s := os.Getenv("PUBWATCH_FLEET_SECONDS"); s != "" { // shorter, while working on it
		var n int
		fmt.Sscan(s, &n)
		length = time.Duration(n) * time.Second
	}
	cluster := pgtest.Start(t)
	db := cluster.Database(t)
	var fleets []*fleet
	for range hosts {
		fleets = append(fleets, newFleet(t, perFleet, 30*time.Millisecond))
	}
	h := newHook(t, "fl33t")
	t.Setenv("TEST_HOOK_SECRET", h.secret)
	var cfg strings.Builder
	fmt.Fprintf(&cfg, `store: {url: %q}
reports: {dir: reports, formats: [json]}
concurrency: 16
defaults: {interval: 30s, timeout: 5s}
fetch: {host_delay: 0s, retries: 0, per_host: %d}
workers: {lease: 10s}
notify:
  - {name: newsroom, url: %q, secret: "${TEST_HOOK_SECRET}", backoff: 1ms}
sources:
`, db, perHost, h.srv.URL+"/hook")
	want := map[string]int{}
	for j, f := range fleets {
		for s := range perFleet {
			fmt.Fprintf(&cfg, "  - {name: h%d-sec%d, url: \"%s/s%d/\", listing: {items: \"ul.news > li\", title: a, link: a, date: .date, summary: p}}\n",
				j, s, f.srv.URL, s)
		}
		for k := range f.trueEvents() {
			want[fmt.Sprintf("h%d-%s", j, k)] = 1
		}
	}
	p := newProject(t, cfg.String())

	type worker struct {
		cmd  *exec.Cmd
		logs bytes.Buffer
	}
	start := func() *worker {
		w := &worker{cmd: p.command("run", "--verbose")}
		w.cmd.Stderr = &w.logs
		if err := w.cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { w.cmd.Process.Kill(); w.cmd.Wait() })
		return w
	}
	began := time.Now()
	first := start()
	// The first worker leads once it has written a report; the others
	// join it then.
	waitFor(t, "the first worker's first report", func() bool {
		_, err := os.Stat(filepath.Join(p.dir, "reports", "latest.json"))
		return err == nil
	})
	ws := []*worker{first}
	for range workers - 1 {
		ws = append(ws, start())
	}
	defer func() {
		if t.Failed() {
			for i, w := range ws {
				log := w.logs.String()
				t.Logf("worker %d's log (last 3000 bytes):\n%s", i, log[max(0, len(log)-3000):])
			}
		}
	}()
	time.Sleep(time.Until(began.Add(changeAt)))
	for _, f := range fleets {
		f.setRev(2)
	}
	time.Sleep(time.Until(began.Add(downAt)))
	h.mu.Lock()
	h.down = true
	h.mu.Unlock()
	time.Sleep(time.Until(began.Add(killAfter)))
	killed := time.Now()
	if err := first.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	first.cmd.Wait()
	time.Sleep(time.Until(began.Add(upAt)))
	h.mu.Lock()
	h.down = false
	h.mu.Unlock()
	time.Sleep(time.Until(began.Add(length)))
	end := time.Now()
	// What was found is reported and delivered by the worker that leads
	// now: wait for the outbox to empty.
	deadline := time.Now().Add(90 * time.Second)
	for {
		got, _ := h.delivered(t)
		missing := 0
		for k := range want {
			if got[k] == 0 {
				missing++
			}
		}
		if missing == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Errorf("%d of the %d events of the change were not delivered 90s after the end", missing, len(want))
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	for _, w := range ws[1:] {
		w.cmd.Process.Signal(syscall.SIGTERM)
		if err := w.cmd.Wait(); err != nil {
			t.Errorf("a worker after SIGTERM: %v, want exit 0", err)
		}
	}

	// Every event reported once, and delivered once (by delivery id).
	reported, runs := reportedEvents(t, filepath.Join(p.dir, "reports"))
	exactly(t, "the reports", reported, want, hosts*perFleet)
	delivered, deliveries := h.delivered(t)
	exactly(t, "the deliveries", delivered, want, hosts*perFleet)

	// Politeness held across the fleet.
	for j, f := range fleets {
		if m := f.most.Load(); m > perHost || m < 2 {
			t.Errorf("host %d: at most %d requests in flight at once, want 2 to %d (per_host)", j, m, perHost)
		}
	}

	// The checks, as the store recorded them.
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `SELECT source, started_at, worker FROM checks ORDER BY source, started_at`)
	if err != nil {
		t.Fatal(err)
	}
	times := map[string][]time.Time{}
	byWorker := map[string]int{}
	for rows.Next() {
		var source, w string
		var at int64
		if err := rows.Scan(&source, &at, &w); err != nil {
			t.Fatal(err)
		}
		times[source] = append(times[source], time.UnixMilli(at))
		byWorker[w]++
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(times) != hosts*perFleet || len(byWorker) != workers {
		t.Fatalf("%d sources checked, by %d workers (%v)", len(times), len(byWorker), byWorker)
	}
	// Between two checks of a source: at most the interval, its jitter
	// and a lease (the source was claimed by the killed worker), and 3 s
	// for the claim (a worker that found nothing free looks again a
	// quarter second later) and the batch's turn; at least half the
	// interval. And the last check no longer ago than that when the test
	// ended.
	most := interval + jitter + lease + 3*time.Second
	var gaps []time.Duration
	var wrong []string
	for name, ts := range times {
		for i := 1; i < len(ts); i++ {
			gap := ts[i].Sub(ts[i-1])
			gaps = append(gaps, gap)
			if gap < interval/2 || gap > most {
				wrong = append(wrong, fmt.Sprintf("%s checked %v after its previous check (at %v)", name, gap.Round(time.Millisecond), ts[i-1].Sub(began).Round(time.Millisecond)))
			}
		}
		if since := end.Sub(ts[len(ts)-1]); since > most {
			wrong = append(wrong, fmt.Sprintf("%s last checked %v before the end", name, since.Round(time.Millisecond)))
		}
	}
	slices.Sort(gaps)
	slices.Sort(wrong)
	if len(wrong) > 0 {
		t.Errorf("%d checks out of their interval:\n%s", len(wrong), strings.Join(wrong[:min(len(wrong), 20)], "\n"))
	}
	h.mu.Lock()
	requests := h.requests
	h.mu.Unlock()
	total := 0
	for _, n := range byWorker {
		total += n
	}
	t.Logf("%d checks of %d sources by %d workers %v; gaps between checks: median %v, p99 %v, most %v (allowed %v to %v); "+
		"most in flight per host %d, %d, %d, %d (per_host %d); %d runs reported, %d deliveries (%d requests, the receiver down from %v to %v); worker killed at %v",
		total, len(times), len(byWorker), byWorker, gaps[len(gaps)/2].Round(time.Millisecond), gaps[len(gaps)*99/100].Round(time.Millisecond),
		gaps[len(gaps)-1].Round(time.Millisecond), interval/2, most, fleets[0].most.Load(), fleets[1].most.Load(), fleets[2].most.Load(),
		fleets[3].most.Load(), perHost, runs, deliveries, requests, downAt, upAt.Round(time.Second), killed.Sub(began).Round(time.Millisecond))
}

// A worker outlives its database: the server crashes and comes back, and
// the worker, which went on running, checks every source again.
func TestWorkerOutlivesDatabaseRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("crashes a PostgreSQL server")
	}
	cluster := pgtest.Start(t)
	db := cluster.Database(t)
	f := newFleet(t, 20, 0)
	var cfg strings.Builder
	fmt.Fprintf(&cfg, "store: {url: %q}\nreports: {dir: reports, formats: [json]}\nconcurrency: 4\n"+
		"defaults: {interval: 2s, timeout: 5s}\nfetch: {host_delay: 0s, retries: 0}\nworkers: {lease: 5s}\nsources:\n", db)
	for s := range 20 {
		fmt.Fprintf(&cfg, "  - {name: sec%d, url: \"%s/s%d/\", listing: {items: \"ul.news > li\"}}\n", s, f.srv.URL, s)
	}
	p := newProject(t, cfg.String())
	checkedSince := func(at time.Time) int {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, db)
		if err != nil {
			return 0
		}
		defer conn.Close(ctx)
		var n int
		if conn.QueryRow(ctx, `SELECT count(DISTINCT source) FROM checks WHERE started_at > $1 AND status <> 'error'`, at.UnixMilli()).Scan(&n) != nil {
			return 0
		}
		return n
	}
	w := p.command("run", "--verbose")
	var logs bytes.Buffer
	w.Stderr = &logs
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		w.Process.Kill()
		w.Wait()
		if t.Failed() {
			t.Logf("worker's log:\n%s", logs.String())
		}
	}()
	waitFor(t, "every source's first check", func() bool { return checkedSince(time.Time{}) == 20 })
	if err := cluster.Crash(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(3 * time.Second)
	if err := cluster.Restart(); err != nil {
		t.Fatal(err)
	}
	back := time.Now()
	waitFor(t, "every source checked again after the restart", func() bool { return checkedSince(back) == 20 })
	if err := w.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := w.Wait(); err != nil {
		t.Errorf("the worker after SIGTERM: %v, want exit 0", err)
	}
	if !strings.Contains(logs.String(), "trying again") {
		t.Errorf("the worker's log does not say it could not read the schedule during the outage")
	}
}
