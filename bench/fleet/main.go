// Command fleet measures workers sharing a PostgreSQL store, on a
// throwaway cluster of the machine's PostgreSQL.
//
//	go run ./bench/fleet [-sources 3000] [-hosts 30] [-page-delay 100ms] [-seconds 20] [-workers 3]
//	                     [-claim-sources 100000] [-claims 1000] [-min-ratio 2.5] [-max-claim-p95 5ms]
//
// Throughput: sources on many loopback hosts whose pages each take
// -page-delay to answer, every source always due; one worker, then
// -workers workers on a new database, each for -seconds; the checks each
// made in the window after the first -warmup, and the ratio.
//
// The claim: -claim-sources sources in a store, all due, claimed -batch at
// a time as a worker does (each batch then checked, as a recorded check
// leaves it: due an interval later, its lease ended); the query's latency
// (median, p95, worst).
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/pubwatch/pubwatch/internal/pgtest"
	"github.com/pubwatch/pubwatch/store"
)

func main() {
	sources := flag.Int("sources", 3000, "sources for the throughput runs")
	hosts := flag.Int("hosts", 30, "loopback hosts the sources are spread over")
	pageDelay := flag.Duration("page-delay", 100*time.Millisecond, "how long each page takes to answer")
	seconds := flag.Int("seconds", 20, "how long each throughput run lasts")
	warmup := flag.Duration("warmup", 5*time.Second, "the start of each run left out of its count")
	workers := flag.Int("workers", 3, "workers of the second run")
	concurrency := flag.Int("concurrency", 16, "each worker's concurrency")
	claimSources := flag.Int("claim-sources", 100000, "sources in the store for the claim measurement (0: none)")
	claims := flag.Int("claims", 1000, "claims measured")
	batch := flag.Int("batch", 32, "sources a claim takes")
	minRatio := flag.Float64("min-ratio", 0, "exit 1 if the workers check less than this many times what one checks")
	maxClaim := flag.Duration("max-claim-p95", 0, "exit 1 if the claim's p95 is above this")
	flag.Parse()

	cluster, err := pgtest.New()
	must(err)
	defer cluster.Stop()
	work, err := os.MkdirTemp("", "pubwatch-fleet")
	must(err)
	defer os.RemoveAll(work)
	bin := filepath.Join(work, "pubwatch")
	if out, err := exec.Command("go", "build", "-o", bin, "./cmd/pubwatch").CombinedOutput(); err != nil {
		fail(fmt.Errorf("building pubwatch: %v\n%s", err, out))
	}
	failed := false

	if *seconds > 0 {
		var servers []*httptest.Server
		for range *hosts {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				time.Sleep(*pageDelay)
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				fmt.Fprintf(w, `<html><body><ul class="news">`)
				for k := range 12 {
					fmt.Fprintf(w, `<li><a href="%s/story-%d.html">Ministry statement %d on %s</a> <span class="date">December %d, 2025</span></li>`,
						r.URL.Path, k, k, r.URL.Path, 1+k)
				}
				fmt.Fprint(w, `</ul></body></html>`)
			}))
			defer srv.Close()
			servers = append(servers, srv)
		}
		window := time.Duration(*seconds)*time.Second - *warmup
		one := throughput(cluster, work, bin, servers, *sources, *concurrency, 1, *seconds, *warmup)
		many := throughput(cluster, work, bin, servers, *sources, *concurrency, *workers, *seconds, *warmup)
		ratio := float64(many) / float64(one)
		fmt.Printf("throughput, pages answering in %v, %d sources on %d hosts, concurrency %d a worker, %v counted:\n", *pageDelay, *sources, *hosts, *concurrency, window)
		fmt.Printf("  1 worker:  %6d checks, %7.1f checks/s\n", one, float64(one)/window.Seconds())
		fmt.Printf("  %d workers: %6d checks, %7.1f checks/s  (%.2f× one worker)\n", *workers, many, float64(many)/window.Seconds(), ratio)
		if *minRatio > 0 && ratio < *minRatio {
			fmt.Printf("FAIL: %d workers checked %.2f× what one did, below %.2f×\n", *workers, ratio, *minRatio)
			failed = true
		}
	}
	if *claimSources > 0 {
		p50, p95, worst := claimLatency(cluster, *claimSources, *claims, *batch)
		fmt.Printf("claim of %d due sources among %d, as a worker claims (%d claims): median %v, p95 %v, worst %v\n",
			*batch, *claimSources, *claims, p50, p95, worst)
		if *maxClaim > 0 && p95 > *maxClaim {
			fmt.Printf("FAIL: the claim's p95 %v is above %v\n", p95, *maxClaim)
			failed = true
		}
	}
	if failed {
		os.Exit(1)
	}
}

// throughput runs n workers over a new database for the given seconds and
// returns the checks started in the window after warmup.
func throughput(cluster *pgtest.Cluster, work, bin string, servers []*httptest.Server, sources, concurrency, n, seconds int, warmup time.Duration) int {
	db, err := cluster.NewDatabase()
	must(err)
	dir := filepath.Join(work, fmt.Sprintf("run-%d", n))
	must(os.MkdirAll(dir, 0o755))
	var cfg strings.Builder
	fmt.Fprintf(&cfg, `store: {url: %q}
reports: {dir: reports, formats: [json]}
concurrency: %d
defaults: {interval: 1s, timeout: 10s}
fetch: {host_delay: 0s, retries: 0, per_host: 8}
workers: {lease: 30s}
sources:
`, db, concurrency)
	for i := range sources {
		fmt.Fprintf(&cfg, "  - {name: s%d, url: \"%s/s%d/\", listing: {items: \"ul.news > li\", title: a, link: a, date: .date}}\n",
			i, servers[i%len(servers)].URL, i)
	}
	conf := filepath.Join(dir, "pubwatch.yaml")
	must(os.WriteFile(conf, []byte(cfg.String()), 0o644))
	// The schema first, as a fleet's upgrade does.
	if out, err := exec.Command(bin, "--config", conf, "migrate").CombinedOutput(); err != nil {
		fail(fmt.Errorf("migrate: %v\n%s", err, out))
	}
	start := time.Now()
	var cmds []*exec.Cmd
	logs := make([]bytes.Buffer, n)
	for i := range n {
		cmd := exec.Command(bin, "--config", conf, "--quiet", "run")
		cmd.Dir = dir
		cmd.Stderr = &logs[i]
		must(cmd.Start())
		cmds = append(cmds, cmd)
	}
	time.Sleep(time.Duration(seconds) * time.Second)
	end := time.Now()
	for _, c := range cmds {
		c.Process.Signal(syscall.SIGTERM)
	}
	for i, c := range cmds {
		if err := c.Wait(); err != nil {
			fail(fmt.Errorf("worker %d of %d: %v\n%s", i+1, n, err, logs[i].String()))
		}
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, db)
	must(err)
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `SELECT worker, status, count(*) FROM checks WHERE started_at >= $1 AND started_at < $2
		GROUP BY worker, status ORDER BY worker, status`, start.Add(warmup).UnixMilli(), end.UnixMilli())
	must(err)
	count := 0
	var each []string
	for rows.Next() {
		var w, status string
		var c int
		must(rows.Scan(&w, &status, &c))
		count += c
		each = append(each, fmt.Sprintf("%s %s %d", w, status, c))
	}
	must(rows.Err())
	fmt.Fprintf(os.Stderr, "%d workers: %s\n", n, strings.Join(each, ", "))
	return count
}

// claimLatency times Store.Claim over a store of n due sources: each
// claimed batch is then checked (due an hour on, its lease ended), so the
// claims walk the schedule as workers do.
func claimLatency(cluster *pgtest.Cluster, n, claims, batch int) (p50, p95, worst time.Duration) {
	ctx := context.Background()
	db, err := cluster.NewDatabase()
	must(err)
	st, err := store.Open(ctx, db, store.Options{Writer: true})
	must(err)
	defer st.Close()
	now := time.Now()
	due := make(map[string]store.Due, n)
	for i := range n {
		due[fmt.Sprintf("source-%06d", i)] = store.Due{At: now.Add(-time.Duration(n-i) * time.Millisecond)}
	}
	must(st.SyncSources(ctx, due, now))
	conn, err := pgx.Connect(ctx, db)
	must(err)
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, `ANALYZE sources`)
	must(err)
	var took []time.Duration
	for i := range claims {
		t := time.Now()
		names, err := st.Claim(ctx, fmt.Sprintf("worker-%d", i%3), now, batch, time.Minute)
		took = append(took, time.Since(t))
		must(err)
		if len(names) != batch {
			fail(fmt.Errorf("claim %d took %d sources, want %d", i, len(names), batch))
		}
		_, err = conn.Exec(ctx, `UPDATE sources SET next_check_at = $1, lease_until = 0 WHERE name = ANY($2)`,
			now.Add(time.Hour).UnixMilli(), names)
		must(err)
	}
	slices.Sort(took)
	return took[len(took)/2], took[len(took)*95/100], took[len(took)-1]
}

func must(err error) {
	if err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "fleet:", err)
	os.Exit(1)
}
