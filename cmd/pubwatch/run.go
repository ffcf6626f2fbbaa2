package main

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/pubwatch/pubwatch/reports"
)

// timeNow is the CLI's clock.
var timeNow = func() time.Time { return clockNow().UTC() }

func newRunCommand(opts *Options) *cobra.Command {
	return &cobra.Command{
		Use:   "run",
		Short: "Run as a daemon, checking each source when it is due",
		Long: `Run checks each source when its interval or schedule says it is due (the
next check time of every source is kept in the store, so a restart resumes
the schedule) and writes a report for each run that found changes or
errors. SIGINT or SIGTERM stops it: checks under way finish, are recorded
and reported, then it exits.

Exit codes: 0 stopped by a signal, 1 the daemon could not work, 2 invalid
configuration or usage.`,
		Args: rangeArgs(0, 0),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDaemon(cmd.Context(), opts)
		},
	}
}

func runDaemon(ctx context.Context, opts *Options) error {
	cfg, err := loadConfig(opts)
	if err != nil {
		return err
	}
	m, st, err := openMonitor(ctx, opts, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	if !opts.Quiet {
		fmt.Fprintf(opts.stderr, "pubwatch: watching %d sources; reports in %s\n", len(cfg.Sources), cfg.ReportsDir)
	}
	return m.Run(ctx, func(run *reports.Run) {
		if opts.JSON {
			_ = reports.JSON(opts.stdout, run)
			return
		}
		if !opts.Quiet || run.Interesting() {
			fmt.Fprintf(opts.stdout, "%s run %s: %s\n", run.FinishedAt.Format(time.RFC3339), run.ID, run.Line())
		}
	})
}
