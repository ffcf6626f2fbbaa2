package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/pubwatch/pubwatch/config"
	"github.com/pubwatch/pubwatch/fetch"
	"github.com/pubwatch/pubwatch/monitor"
	"github.com/pubwatch/pubwatch/reports"
	"github.com/pubwatch/pubwatch/store"
	"github.com/pubwatch/pubwatch/web"
)

// CheckOptions are the flags of check.
type CheckOptions struct {
	Sources []string
	// Articles reads only the due followed articles (--articles).
	Articles bool
}

func newCheckCommand(opts *Options) *cobra.Command {
	var co CheckOptions
	cmd := &cobra.Command{
		Use:   "check [--source NAME]...",
		Short: "Check all (or the named) sources now and write a report",
		Long: `Check fetches every source (or those named with --source) now, whatever
their schedule, stores the snapshots, writes one report for the run and
prints one line per source. Under --quiet only changed and failed sources
are printed, so cron mails only news; --json prints the JSON report.

Sources with follow: true read their watched articles that are due, by
age (see the README); with --articles a check reads only those, and not
the listings, so that a cron line can re-read articles more often than
it checks the front pages.

Exit codes: 0 every source was checked, 1 any source failed (the others
are still checked and reported), 2 invalid configuration or usage.`,
		Args: rangeArgs(0, 0),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCheck(cmd.Context(), opts, co)
		},
	}
	cmd.Flags().StringArrayVarP(&co.Sources, "source", "s", nil, "check only this source (repeatable)")
	cmd.Flags().BoolVar(&co.Articles, "articles", false, "only read again the followed articles that are due, not the listings (sources with follow: true)")
	return cmd
}

func runCheck(ctx context.Context, opts *Options, co CheckOptions) error {
	cfg, err := loadConfig(opts)
	if err != nil {
		return err
	}
	sources, err := selectSources(cfg, co.Sources)
	if err != nil {
		return err
	}
	if co.Articles {
		following := sources[:0]
		for _, s := range sources {
			if s.Follow {
				following = append(following, s)
			}
		}
		if sources = following; len(sources) == 0 {
			return usageError{fmt.Errorf("--articles: no source follows its articles (follow: true)")}
		}
	}
	m, st, err := openMonitor(ctx, opts, cfg)
	if err != nil {
		return err
	}
	m.ArticlesOnly = co.Articles
	defer st.Close()
	now := timeNow()
	due := map[string]store.Due{}
	for _, n := range sourceNames(cfg) {
		due[n] = store.Due{At: now}
	}
	if err := st.SyncSources(ctx, due, now); err != nil {
		return fmt.Errorf("registering sources: %w", err)
	}
	var progress monitor.Progress
	if opts.interactive() {
		progress = func(done, total, failed int) {
			fmt.Fprintf(opts.stderr, "\r\033[Kchecked %d/%d, %d failed", done, total, failed)
			if done == total {
				fmt.Fprint(opts.stderr, "\r\033[K")
			}
		}
	}
	// A run killed while writing its reports left them to this one. If
	// they still cannot be written (a full disk), the sources are checked
	// all the same, and the next run tries again.
	wctx := context.WithoutCancel(ctx)
	if _, err := m.RecoverReports(wctx); err != nil {
		fmt.Fprintf(opts.stderr, "pubwatch: the report of an interrupted run is not written yet: %v\n", err)
	}
	run := m.Check(ctx, sources, progress)
	run, _, err = m.WriteReports(wctx, run)
	if err != nil {
		return err
	}
	printRun(opts, run, cfg)
	if len(cfg.Notify) > 0 {
		// After the report: a target that is down delays no check, and
		// what it missed waits in the store for the next run.
		res, err := m.Deliver(ctx)
		if err != nil {
			return err
		}
		if res.Failed > 0 && !opts.Quiet {
			fmt.Fprintf(opts.stderr, "pubwatch: %d notifications not delivered; they are retried later ('pubwatch notify status')\n", res.Failed)
		}
	}
	if run.Counts().Errors > 0 {
		return errSourcesFailed
	}
	return nil
}

// printRun prints the run's outcome: the JSON report, or a line per source
// and where the reports are.
func printRun(opts *Options, run *reports.Run, cfg *config.Config) {
	if opts.JSON {
		_ = reports.JSON(opts.stdout, run)
		return
	}
	for _, a := range run.Attention {
		// First, and even under --quiet: what is not being watched.
		fmt.Fprintf(opts.stdout, "NEEDS ATTENTION  %s\n", a.Line())
	}
	width := 0
	for _, s := range run.Sources {
		width = max(width, len(s.Name))
	}
	for _, s := range run.Sources {
		if opts.Quiet && s.Status != reports.StatusChanged && s.Status != reports.StatusError {
			continue
		}
		fmt.Fprintf(opts.stdout, "%-*s  %-9s  %s\n", width, s.Name, s.Status, s.Summary())
	}
	c := run.Counts()
	if !opts.Quiet || c.Changed > 0 || c.Errors > 0 {
		latest := filepath.Join(cfg.ReportsDir, "latest."+reportExt(cfg.Formats))
		fmt.Fprintf(opts.stdout, "%s. Report: %s\n", run.Line(), latest)
	}
}

func reportExt(formats []string) string {
	for _, f := range formats {
		if f == reports.FormatHTML {
			return "html"
		}
	}
	if formats[0] == reports.FormatMarkdown {
		return "md"
	}
	return formats[0]
}

// openMonitor opens the store for writing and builds the monitor over it.
// The caller closes the store.
func openMonitor(ctx context.Context, opts *Options, cfg *config.Config) (*monitor.Monitor, *store.Store, error) {
	st, err := store.Open(ctx, cfg.Store(), store.Options{Writer: true, Compression: cfg.StoreCompression, Lease: cfg.Workers.Lease})
	if err != nil {
		return nil, nil, err
	}
	worker := workerName()
	fo := fetchOptions(cfg)
	if gate := st.NewHostGate(worker, cfg.Fetch.PerHost, cfg.Fetch.HostDelay, cfg.Workers.Lease); gate != nil {
		// Workers sharing the store share the hosts' limits too.
		fo.Gate = gate
	}
	m := &monitor.Monitor{Config: cfg, Store: st, Fetcher: fetch.New(fo), Logger: opts.logger(), Now: clock(),
		Worker: worker}
	m.AfterReport = func(ctx context.Context) error { return writeFeed(ctx, cfg, st) }
	return m, st, nil
}

// workerName names this process in the checks it records: host and
// process id.
func workerName() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "unknown-host"
	}
	return fmt.Sprintf("%s:%d", host, os.Getpid())
}

// clock is the monitor's clock: the system's, or, for tests of schedules
// that span days, the time PUBWATCH_CLOCK gives (RFC 3339) when the
// process started, running on from there.
func clock() func() time.Time {
	at, err := time.Parse(time.RFC3339, os.Getenv("PUBWATCH_CLOCK"))
	if err != nil {
		return nil
	}
	start := time.Now()
	return func() time.Time { return at.Add(time.Since(start)) }
}

// writeFeed writes feed.atom into the reports folder: the latest events
// as Atom, for a folder published as static files. It is written to a
// temporary name and renamed, as the reports are.
func writeFeed(ctx context.Context, cfg *config.Config, st *store.Store) error {
	f, err := os.CreateTemp(cfg.ReportsDir, ".feed-*.atom")
	if err != nil {
		return fmt.Errorf("writing feed.atom: %w", err)
	}
	defer os.Remove(f.Name())
	if err := web.WriteFeed(ctx, f, st, cfg.ReportsURL); err != nil {
		f.Close()
		return fmt.Errorf("writing feed.atom: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("writing feed.atom: %w", err)
	}
	if err := os.Chmod(f.Name(), 0o644); err != nil {
		return fmt.Errorf("writing feed.atom: %w", err)
	}
	return os.Rename(f.Name(), filepath.Join(cfg.ReportsDir, "feed.atom"))
}

func fetchOptions(cfg *config.Config) fetch.Options {
	f := cfg.Fetch
	o := fetch.Options{MaxBody: f.MaxBody, MaxRedirects: f.MaxRedirects, PerHost: f.PerHost, HostDelay: f.HostDelay,
		Retries: f.Retries, RequestTimeout: f.RequestTimeout, DenyPrivateNetworks: f.DenyPrivateNetworks}
	if o.HostDelay == 0 {
		o.HostDelay = -1 // configured as none
	}
	return o
}

func selectSources(cfg *config.Config, names []string) ([]*config.Source, error) {
	if len(names) == 0 {
		out := make([]*config.Source, len(cfg.Sources))
		for i := range cfg.Sources {
			out[i] = &cfg.Sources[i]
		}
		return out, nil
	}
	var out []*config.Source
	seen := map[string]bool{}
	for _, n := range names {
		s := cfg.Source(n)
		if s == nil {
			known := sourceNames(cfg)
			sort.Strings(known)
			return nil, usageError{fmt.Errorf("no source named %q (known: %s)", n, strings.Join(known, ", "))}
		}
		if !seen[n] {
			seen[n] = true
			out = append(out, s)
		}
	}
	return out, nil
}

func sourceNames(cfg *config.Config) []string {
	out := make([]string, len(cfg.Sources))
	for i, s := range cfg.Sources {
		out[i] = s.Name
	}
	return out
}
