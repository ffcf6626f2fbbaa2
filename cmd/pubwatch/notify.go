package main

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/pubwatch/pubwatch/config"
	"github.com/pubwatch/pubwatch/monitor"
	"github.com/pubwatch/pubwatch/store"
)

func newNotifyCommand(opts *Options) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "notify",
		Short: "Test notification targets and show what was delivered",
		Args:  rangeArgs(0, 0),
		RunE: func(cmd *cobra.Command, args []string) error {
			return usageError{errors.New("name a subcommand: notify test [NAME]... or notify status")}
		},
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "test [NAME]...",
		Short: "Send a sample notification to each target (or the named ones) and print what it answered",
		Long: `Test sends a made-up run (one new and one changed item of the source
"pubwatch-test") to every notification target, or to the named ones, and
prints what each answered. Nothing is stored.

Exit codes: 0 every target accepted it, 1 any did not, 2 config or usage error.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runNotifyTest(cmd.Context(), opts, args)
		},
	})
	cmd.AddCommand(&cobra.Command{
		Use:   "status",
		Short: "List pending, delivered and given-up notifications per target",
		Long: `Status lists, for each notification target, how many deliveries are
pending, delivered and given up, the oldest pending one, the last
delivery and the last error.

Exit codes: 0 listed, 1 the store could not be read, 2 config or usage error.`,
		Args: rangeArgs(0, 0),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runNotifyStatus(cmd.Context(), opts)
		},
	})
	return cmd
}

func runNotifyTest(ctx context.Context, opts *Options, names []string) error {
	cfg, err := loadConfig(opts)
	if err != nil {
		return err
	}
	if len(cfg.Notify) == 0 {
		return usageError{fmt.Errorf("%s has no notify targets", cfg.File)}
	}
	var targets []*config.Notify
	for _, n := range names {
		found := false
		for i := range cfg.Notify {
			if cfg.Notify[i].Name == n {
				targets, found = append(targets, &cfg.Notify[i]), true
			}
		}
		if !found {
			known := make([]string, len(cfg.Notify))
			for i, t := range cfg.Notify {
				known[i] = t.Name
			}
			return usageError{fmt.Errorf("no notify target named %q (known: %s)", n, strings.Join(known, ", "))}
		}
	}
	if len(names) == 0 {
		for i := range cfg.Notify {
			targets = append(targets, &cfg.Notify[i])
		}
	}
	m := &monitor.Monitor{Config: cfg, Logger: opts.logger()}
	failed := 0
	for _, t := range targets {
		answer, err := m.TestDelivery(ctx, t)
		if err != nil {
			failed++
			fmt.Fprintf(opts.stdout, "%s  %s  FAILED: %v\n", t.Name, t.Kind, err)
			continue
		}
		fmt.Fprintf(opts.stdout, "%s  %s  ok: %s\n", t.Name, t.Kind, answer)
	}
	if failed > 0 {
		return errSourcesFailed
	}
	return nil
}

// targetStatus is a target's line of notify status, as JSON.
type targetStatus struct {
	Target        string `json:"target"`
	Kind          string `json:"kind"`
	URL           string `json:"url"`
	Pending       int    `json:"pending"`
	Delivered     int    `json:"delivered"`
	GivenUp       int    `json:"given_up"`
	OldestPending string `json:"oldest_pending,omitempty"`
	LastDelivered string `json:"last_delivered,omitempty"`
	LastError     string `json:"last_error,omitempty"`
}

func runNotifyStatus(ctx context.Context, opts *Options) error {
	cfg, st, err := openReadOnly(ctx, opts)
	if err != nil {
		return err
	}
	defer st.Close()
	stats, err := st.DeliveryStatus(ctx)
	if err != nil {
		return err
	}
	byName := map[string]store.TargetStatus{}
	for _, s := range stats {
		byName[s.Target] = s
	}
	var out []targetStatus
	for _, t := range cfg.Notify {
		s := byName[t.Name]
		delete(byName, t.Name)
		out = append(out, statusLine(s, t.Name, t.Kind, t.URL, t.Redact))
	}
	var gone []string
	for n := range byName {
		gone = append(gone, n)
	}
	sort.Strings(gone)
	for _, n := range gone {
		out = append(out, statusLine(byName[n], n, "", "(no longer configured)", func(s string) string { return s }))
	}
	if opts.JSON {
		if out == nil {
			out = []targetStatus{}
		}
		return writeJSON(opts, out)
	}
	if len(out) == 0 {
		fmt.Fprintln(opts.stdout, "no notify targets configured and no deliveries stored")
		return nil
	}
	tw := tabwriter.NewWriter(opts.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TARGET\tKIND\tPENDING\tDELIVERED\tGIVEN UP\tOLDEST PENDING\tLAST DELIVERED\tLAST ERROR")
	for _, s := range out {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%s\t%s\t%s\n", s.Target, orDash(s.Kind), s.Pending, s.Delivered, s.GivenUp,
			orDash(s.OldestPending), orDash(s.LastDelivered), orDash(s.LastError))
	}
	return tw.Flush()
}

// statusLine is a target's line; redact takes its secrets out of the last
// error (stored redacted already: a second guard).
func statusLine(s store.TargetStatus, name, kind, url string, redact func(string) string) targetStatus {
	stamp := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format(time.RFC3339)
	}
	return targetStatus{Target: name, Kind: kind, URL: url, Pending: s.Pending, Delivered: s.Delivered, GivenUp: s.GivenUp,
		OldestPending: stamp(s.OldestPending), LastDelivered: stamp(s.LastDelivered), LastError: redact(s.LastError)}
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
