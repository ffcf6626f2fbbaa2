package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/pubwatch/pubwatch/store"
)

func newStatsCommand(opts *Options) *cobra.Command {
	var perSource bool
	cmd := &cobra.Command{
		Use:   "stats",
		Short: "Show what the store holds: size, snapshots, distinct contents, bytes per source",
		Long: `Stats prints the store's size on disk, how many sources, checks and
snapshots it holds, how many distinct contents (each stored once,
compressed) and their size before and after compression; with
--sources, the same per source.

Exit codes: 0 printed, 1 the store could not be read, 2 usage error.`,
		Args: rangeArgs(0, 0),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runStats(cmd.Context(), opts, perSource)
		},
	}
	cmd.Flags().BoolVar(&perSource, "sources", false, "also list each source")
	return cmd
}

func runStats(ctx context.Context, opts *Options, perSource bool) error {
	_, st, err := openReadOnly(ctx, opts)
	if err != nil {
		return err
	}
	defer st.Close()
	stats, err := st.Stats(ctx)
	if err != nil {
		return err
	}
	disk, err := st.Size(ctx)
	if err != nil {
		return err
	}
	if opts.JSON {
		return writeJSON(opts, struct {
			DiskBytes int64 `json:"disk_bytes"`
			*store.Stats
		}{disk, stats})
	}
	w := opts.stdout
	fmt.Fprintf(w, "store:     %s, %s on disk\n", st.Location(), size(disk))
	fmt.Fprintf(w, "sources:   %d\nchecks:    %d\nsnapshots: %d\n", stats.Sources, stats.Checks, stats.Snapshots)
	ratio := 0.0
	if stats.ContentBytes > 0 {
		ratio = float64(stats.RawBytes) / float64(stats.ContentBytes)
	}
	fmt.Fprintf(w, "contents:  %d distinct, %s compressed from %s (%.1fx)\n", stats.Contents, size(stats.ContentBytes), size(stats.RawBytes), ratio)
	if perSource {
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "SOURCE\tCHECKS\tSNAPSHOTS\tBYTES")
		for _, s := range stats.PerSource {
			fmt.Fprintf(tw, "%s\t%d\t%d\t%s\n", s.Name, s.Checks, s.Snapshots, size(s.Bytes))
		}
		return tw.Flush()
	}
	return nil
}

func size(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
