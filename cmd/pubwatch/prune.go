package main

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/pubwatch/pubwatch/config"
	"github.com/pubwatch/pubwatch/store"
)

// PruneOptions are the flags of prune.
type PruneOptions struct {
	Keep     string
	KeepLast int
	Vacuum   bool
}

func newPruneCommand(opts *Options) *cobra.Command {
	var po PruneOptions
	cmd := &cobra.Command{
		Use:   "prune --keep 90d | --keep-last N",
		Short: "Delete old history; baselines are always kept",
		Long: `Prune deletes snapshots, checks and runs older than --keep (a duration:
90d, 720h), or all but the newest --keep-last snapshots of each source, or
both; then the stored contents nothing refers to any more. A snapshot that
is a source's baseline is never deleted, whatever its age. --vacuum gives
the space back to the file system.

Exit codes: 0 pruned, 1 the store could not be pruned (or is in use),
2 usage error.`,
		Args: rangeArgs(0, 0),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runPrune(cmd.Context(), opts, po)
		},
	}
	cmd.Flags().StringVar(&po.Keep, "keep", "", "keep this much history (e.g. 90d)")
	cmd.Flags().IntVar(&po.KeepLast, "keep-last", 0, "keep this many snapshots of each source")
	cmd.Flags().BoolVar(&po.Vacuum, "vacuum", false, "give the freed space back to the file system")
	return cmd
}

func runPrune(ctx context.Context, opts *Options, po PruneOptions) error {
	if po.Keep == "" && po.KeepLast <= 0 {
		return usageError{fmt.Errorf("say how much to keep: --keep 90d, --keep-last N, or both")}
	}
	var cutoff time.Time // zero: no age limit
	if po.Keep != "" {
		d, err := config.ParseDuration(po.Keep)
		if err != nil {
			return usageError{fmt.Errorf("--keep: %w", err)}
		}
		cutoff = timeNow().Add(-d)
	}
	cfg, err := loadConfig(opts)
	if err != nil {
		return err
	}
	st, err := store.Open(ctx, cfg.Store(), store.Options{Writer: true, MustExist: true})
	if err != nil {
		return err
	}
	defer st.Close()
	res, err := st.Prune(ctx, cutoff, po.KeepLast)
	if err != nil {
		return err
	}
	if po.Vacuum {
		if err := st.Vacuum(ctx); err != nil {
			return fmt.Errorf("vacuum: %w", err)
		}
	}
	if !opts.Quiet {
		fmt.Fprintf(opts.stdout, "pruned %d snapshots, %d checks, %d events, %d runs and %d contents\n", res.Snapshots, res.Checks, res.Events, res.Runs, res.Contents)
	}
	return nil
}
