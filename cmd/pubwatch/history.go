package main

import (
	"context"
	"encoding/json"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/pubwatch/pubwatch/config"
	"github.com/pubwatch/pubwatch/store"
)

// HistoryOptions are the flags of history.
type HistoryOptions struct {
	Checks bool
	Limit  int
}

func newHistoryCommand(opts *Options) *cobra.Command {
	var ho HistoryOptions
	cmd := &cobra.Command{
		Use:   "history NAME",
		Short: "List a source's stored snapshots (or, with --checks, every check)",
		Long: `History lists a source's stored snapshots, newest first: id, time,
status, number of items and content hash. With --checks it lists every
check instead, including unchanged and failed ones with their errors.

Exit codes: 0 listed, 1 the store could not be read, 2 usage error.`,
		Args: rangeArgs(1, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runHistory(cmd.Context(), opts, ho, args[0])
		},
	}
	cmd.Flags().BoolVar(&ho.Checks, "checks", false, "list every check, not only snapshots")
	cmd.Flags().IntVarP(&ho.Limit, "limit", "n", 50, "list at most this many (0: all)")
	return cmd
}

func runHistory(ctx context.Context, opts *Options, ho HistoryOptions, name string) error {
	_, st, err := openReadOnly(ctx, opts)
	if err != nil {
		return err
	}
	defer st.Close()
	if ho.Checks {
		checks, err := st.Checks(ctx, name, ho.Limit)
		if err != nil {
			return err
		}
		if len(checks) == 0 {
			return usageError{fmt.Errorf("no checks of source %q in the store", name)}
		}
		if opts.JSON {
			return writeJSON(opts, checks)
		}
		tw := tabwriter.NewWriter(opts.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "CHECK\tTIME\tSTATUS\tSNAPSHOT\tHASH\tWORKER\tERROR")
		for _, c := range checks {
			worker := c.Worker
			if worker == "" {
				worker = "-"
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", c.ID, c.FinishedAt.Format(time.RFC3339), c.Status,
				idOrDash(c.SnapshotID), short(c.ContentHash), worker, c.Error)
		}
		return tw.Flush()
	}
	snaps, err := st.Snapshots(ctx, name, ho.Limit)
	if err != nil {
		return err
	}
	if len(snaps) == 0 {
		return usageError{fmt.Errorf("no snapshots of source %q in the store", name)}
	}
	if opts.JSON {
		return writeJSON(opts, snaps)
	}
	tw := tabwriter.NewWriter(opts.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tTIME\tSTATUS\tITEMS\tHASH")
	for _, s := range snaps {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%s\n", s.ID, s.TakenAt.Format(time.RFC3339), s.Status, s.Items, short(s.ContentHash))
	}
	return tw.Flush()
}

// openReadOnly loads the config and opens its store for reading; the store
// must exist. The caller closes it.
func openReadOnly(ctx context.Context, opts *Options) (*config.Config, *store.Store, error) {
	cfg, err := loadConfig(opts)
	if err != nil {
		return nil, nil, err
	}
	st, err := store.Open(ctx, cfg.Store(), store.Options{MustExist: true})
	if err != nil {
		return nil, nil, err
	}
	return cfg, st, nil
}

func writeJSON(opts *Options, v any) error {
	enc := json.NewEncoder(opts.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func short(hash string) string {
	if len(hash) > 12 {
		return hash[:12]
	}
	if hash == "" {
		return "-"
	}
	return hash
}

func idOrDash(id int64) string {
	if id == 0 {
		return "-"
	}
	return fmt.Sprint(id)
}
