package main

import (
	"context"
	"fmt"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/pubwatch/pubwatch/diff"
	"github.com/pubwatch/pubwatch/reports"
	"github.com/pubwatch/pubwatch/store"
)

// DiffOptions are the flags of diff.
type DiffOptions struct {
	Format string
}

func newDiffCommand(opts *Options) *cobra.Command {
	var do DiffOptions
	cmd := &cobra.Command{
		Use:   "diff NAME [FROM [TO]]",
		Short: "Show the changes between two stored snapshots of a source",
		Long: `Diff prints the change set between two stored snapshots of a source
(ids from 'pubwatch history NAME'): by default the last two, with FROM
alone from FROM to the latest. Markdown by default; --format html|json|
markdown.

Exit codes: 0 printed, 1 the store could not be read, 2 usage error.`,
		Args: rangeArgs(1, 3),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDiff(cmd.Context(), opts, do, args)
		},
	}
	cmd.Flags().StringVarP(&do.Format, "format", "f", "markdown", "output format: markdown, html or json")
	return cmd
}

func runDiff(ctx context.Context, opts *Options, do DiffOptions, args []string) error {
	format := do.Format
	if opts.JSON {
		format = reports.FormatJSON
	}
	switch format {
	case "md":
		format = reports.FormatMarkdown
	case reports.FormatMarkdown, reports.FormatHTML, reports.FormatJSON:
	default:
		return usageError{fmt.Errorf("unknown format %q (markdown, html, json)", do.Format)}
	}
	name := args[0]
	ids := make([]int64, 0, 2)
	for _, a := range args[1:] {
		id, err := strconv.ParseInt(a, 10, 64)
		if err != nil || id <= 0 {
			return usageError{fmt.Errorf("%q is not a snapshot id", a)}
		}
		ids = append(ids, id)
	}
	_, st, err := openReadOnly(ctx, opts)
	if err != nil {
		return err
	}
	defer st.Close()

	from, to, err := pickSnapshots(ctx, st, name, ids)
	if err != nil {
		return err
	}
	prev, err := st.Items(ctx, from)
	if err != nil {
		return err
	}
	cur, err := st.Items(ctx, to)
	if err != nil {
		return err
	}
	src := reports.Source{Name: name, URL: to.URL, SnapshotID: to.ID, PreviousSnapshotID: from.ID,
		Items: to.Items, Changes: diff.Compare(prev, cur), Status: reports.StatusChanged}
	if src.Changes.Empty() {
		src.Status = reports.StatusUnchanged
	}
	run := &reports.Run{ID: fmt.Sprintf("%s-%d-%d", name, from.ID, to.ID), StartedAt: from.TakenAt,
		FinishedAt: to.TakenAt, Sources: []reports.Source{src}}
	return reports.Render(opts.stdout, format, run)
}

// pickSnapshots resolves the FROM and TO arguments of diff.
func pickSnapshots(ctx context.Context, st *store.Store, name string, ids []int64) (from, to *store.SnapshotInfo, err error) {
	if len(ids) < 2 {
		latest, err := st.Snapshots(ctx, name, 2)
		if err != nil {
			return nil, nil, err
		}
		switch {
		case len(latest) == 0:
			return nil, nil, usageError{fmt.Errorf("no snapshots of source %q in the store", name)}
		case len(ids) == 0 && len(latest) < 2:
			return nil, nil, usageError{fmt.Errorf("source %q has only one snapshot; nothing to compare", name)}
		case len(ids) == 0:
			ids = []int64{latest[1].ID, latest[0].ID}
		default:
			ids = append(ids, latest[0].ID)
		}
	}
	var snaps [2]*store.SnapshotInfo
	for i, id := range ids {
		si, err := st.Snapshot(ctx, id)
		if err != nil {
			return nil, nil, usageError{err}
		}
		if si.Source != name {
			return nil, nil, usageError{fmt.Errorf("snapshot %d belongs to source %q, not %q", id, si.Source, name)}
		}
		snaps[i] = si
	}
	return snaps[0], snaps[1], nil
}
