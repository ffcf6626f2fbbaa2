package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/pubwatch/pubwatch/store"
)

func newMigrateCommand(opts *Options) *cobra.Command {
	return &cobra.Command{
		Use:   "migrate",
		Short: "Create the store, or bring its schema up to this version",
		Long: `Migrate creates the configured store, or brings an older one's schema up
to this pubwatch's, and exits. Every command does this when it opens the
store; migrate lets an upgrade of a fleet do it once, before the workers
start (workers that start at once migrate one after the other).

Exit codes: 0 the store is at this version, 1 it could not be migrated,
2 usage error.`,
		Args: rangeArgs(0, 0),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runMigrate(cmd.Context(), opts)
		},
	}
}

func runMigrate(ctx context.Context, opts *Options) error {
	cfg, err := loadConfig(opts)
	if err != nil {
		return err
	}
	st, err := store.Open(ctx, cfg.Store(), store.Options{Writer: true})
	if err != nil {
		return err
	}
	defer st.Close()
	if !opts.Quiet {
		fmt.Fprintf(opts.stdout, "%s is at schema version %s\n", st.Location(), store.SchemaVersion)
	}
	return nil
}
