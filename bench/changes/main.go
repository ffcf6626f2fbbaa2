// Command changes measures change detection: it runs the evaluation
// harness (generated sites and revision sequences with known events and
// noise, zero-config and with selectors) and reports event precision and
// recall per event type; then long histories (news homepages over hundreds
// of revisions: churn, overnight turnovers, a redesign, a cut list,
// outages), scored the same way; then runs pubwatch over the corpus's
// edgi-diff before/after pairs and prints what it reports for each.
//
//	go run ./bench/changes [-sites 12] [-revisions 60] [-history-sites 12] [-history-revisions 300] [-corpus ../shared/corpus]
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/pubwatch/pubwatch/config"
	"github.com/pubwatch/pubwatch/diff"
	"github.com/pubwatch/pubwatch/fetch"
	"github.com/pubwatch/pubwatch/internal/evaluation"
	"github.com/pubwatch/pubwatch/monitor"
	"github.com/pubwatch/pubwatch/store"
)

func main() {
	sites := flag.Int("sites", 12, "generated sites")
	revisions := flag.Int("revisions", 60, "revisions of each site")
	seed := flag.Int64("seed", 7, "random seed")
	corpus := flag.String("corpus", "../shared/corpus", "the corpus folder")
	historySites := flag.Int("history-sites", 12, "sites with a long history (0: none)")
	historyRevisions := flag.Int("history-revisions", 300, "revisions of each long history")
	strict := flag.Bool("strict", false, "exit 1 unless precision and recall are 1 (0.99 on the long histories), no noise or outage made an event or a baseline, and no source was suspect more than 3 checks in a row outside outages")
	flag.Parse()
	ok := true
	for _, zero := range []bool{true, false} {
		dir, _ := os.MkdirTemp("", "pubwatch-eval")
		res, err := evaluation.Run(context.Background(), evaluation.Options{Sites: *sites, Revisions: *revisions, Seed: *seed, Dir: dir}, zero)
		os.RemoveAll(dir)
		if err != nil {
			fmt.Fprintln(os.Stderr, "changes:", err)
			os.Exit(2)
		}
		fmt.Printf("%s: %d sites x %d revisions; %d noise-only revisions with %d events; %d broken fetches, %d became baselines\n",
			res.Mode, *sites, *revisions, res.NoiseRevisions, res.NoiseEvents, res.BrokenRevisions, res.BrokenBaselines)
		types := make([]string, 0, len(res.Scores))
		for t := range res.Scores {
			types = append(types, t)
		}
		sort.Strings(types)
		for _, t := range types {
			s := res.Scores[t]
			fmt.Printf("  %-10s expected %4d  precision %.3f  recall %.3f\n", t, s.TP+s.FN, s.Precision(), s.Recall())
			if s.Precision() < 1 || s.Recall() < 1 {
				ok = false
			}
		}
		for _, m := range res.Misses {
			fmt.Println("  miss:", m)
		}
		if res.NoiseEvents > 0 || res.BrokenBaselines > 0 {
			ok = false
		}
	}
	for _, zero := range []bool{true, false} {
		if *historySites == 0 {
			break
		}
		dir, _ := os.MkdirTemp("", "pubwatch-history")
		res, err := evaluation.RunHistory(context.Background(), evaluation.HistoryOptions{Sites: *historySites, Revisions: *historyRevisions, Seed: *seed, Dir: dir}, zero)
		os.RemoveAll(dir)
		if err != nil {
			fmt.Fprintln(os.Stderr, "changes:", err)
			os.Exit(2)
		}
		fmt.Printf("\nlong histories, %s: %d sites x %d revisions; %d turnovers, %d redesigns, %d cuts; %d checks during outages with %d events and %d baselines; "+
			"%d suspect checks (%d where trust was due), longest run %d\n",
			res.Mode, *historySites, res.Revisions, res.Turnovers, res.Redesigns, res.Cuts, res.OutageChecks, res.OutageEvents, res.OutageBaselines,
			res.Suspect, res.Unexpected, res.LongestSuspect)
		for _, t := range sortedKeys(res.Scores) {
			s := res.Scores[t]
			fmt.Printf("  %-10s expected %5d  precision %.3f  recall %.3f\n", t, s.TP+s.FN, s.Precision(), s.Recall())
			if s.Precision() < 0.99 || s.Recall() < 0.99 {
				ok = false
			}
		}
		for i, m := range res.Misses {
			if i == 40 {
				fmt.Printf("  … %d more misses\n", len(res.Misses)-i)
				break
			}
			fmt.Println("  miss:", m)
		}
		if res.OutageEvents > 0 || res.OutageBaselines > 0 || res.LongestSuspect > 3 {
			ok = false
		}
	}
	if dir := filepath.Join(*corpus, "changes/edgi-diff/example_data"); exists(dir) {
		if err := edgi(dir); err != nil {
			fmt.Fprintln(os.Stderr, "changes:", err)
			os.Exit(2)
		}
	}
	if *strict && !ok {
		os.Exit(1)
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func exists(p string) bool { _, err := os.Stat(p); return err == nil }

// edgi runs each before/after pair through pubwatch as a page source and
// prints the change it reports.
func edgi(dir string) error {
	befores, _ := filepath.Glob(filepath.Join(dir, "*.before"))
	sort.Strings(befores)
	fmt.Println("\nedgi-diff pairs (kind: page):")
	for _, b := range befores {
		name := strings.TrimSuffix(filepath.Base(b), ".before")
		after := strings.TrimSuffix(b, ".before") + ".after"
		got, err := pair(b, after)
		if err != nil {
			got = "error: " + err.Error()
		}
		fmt.Printf("  %-26s %s\n", name, got)
	}
	return nil
}

func pair(before, after string) (string, error) {
	tmp, err := os.MkdirTemp("", "pubwatch-edgi")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	page := filepath.Join(tmp, "page.html")
	copyFile := func(from string) error {
		b, err := os.ReadFile(from)
		if err != nil {
			return err
		}
		return os.WriteFile(page, b, 0o644)
	}
	if err := copyFile(before); err != nil {
		return "", err
	}
	cfg, err := config.Parse([]byte("sources: [{name: pair, file: page.html, kind: page}]"), filepath.Join(tmp, "pubwatch.yaml"))
	if err != nil {
		return "", err
	}
	ctx := context.Background()
	st, err := store.Open(ctx, cfg.Store(), store.Options{Writer: true})
	if err != nil {
		return "", err
	}
	defer st.Close()
	m := &monitor.Monitor{Config: cfg, Store: st, Fetcher: fetch.New(fetch.Options{})}
	src := []*config.Source{&cfg.Sources[0]}
	if r := m.Check(ctx, src, nil); r.Sources[0].Status != "first" {
		return "", fmt.Errorf("before: %s %s", r.Sources[0].Status, r.Sources[0].Error)
	}
	if err := copyFile(after); err != nil {
		return "", err
	}
	// Read back from the event log, as the reports have it.
	run, _, err := m.WriteReports(ctx, m.Check(ctx, src, nil))
	if err != nil {
		return "", err
	}
	r, err := run.Sources[0].Unpacked()
	if err != nil {
		return "", err
	}
	if r.Status == "error" {
		return "", fmt.Errorf("after: %s", r.Error)
	}
	var out []string
	for _, c := range r.Changes.Changed {
		for _, f := range c.Fields {
			var del, ins []string
			for _, o := range c.Diffs[f] {
				switch o.Op {
				case diff.OpDelete:
					del = append(del, strings.TrimSpace(o.Text))
				case diff.OpInsert:
					ins = append(ins, strings.TrimSpace(o.Text))
				}
			}
			out = append(out, fmt.Sprintf("%s: -%q +%q", f, strings.Join(del, " | "), strings.Join(ins, " | ")))
		}
	}
	if len(out) == 0 {
		return "no change (" + r.Status + ")", nil
	}
	return strings.Join(out, "; "), nil
}
