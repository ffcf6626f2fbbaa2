package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/pubwatch/pubwatch/store"
)

// CopyOptions are the flags of copy.
type CopyOptions struct {
	To, From string
}

func newCopyCommand(opts *Options) *cobra.Command {
	var co CopyOptions
	cmd := &cobra.Command{
		Use:   "copy --to postgres://… | --to FILE",
		Short: "Copy the whole history into another store, and verify the copy",
		Long: `Copy copies every row of the configured store (or --from) into a new
store: a PostgreSQL database (postgres://user@host/db; the password from
PGPASSWORD or ~/.pgpass rather than the command line) or a SQLite file.
Ids, contents and pending deliveries are kept, so the copy carries on
where the original stopped: point store.url (or store.path) at it.
The copy is then read back and each table's row count and digest
compared with the original's.

Stop 'pubwatch run' first: a SQLite store is locked for the copy, and
PostgreSQL workers writing during it would make the copy differ.

Exit codes: 0 copied and verified, 1 the copy failed or differs (the
target may then hold part of it: drop it and copy again), 2 usage error.`,
		Args: rangeArgs(0, 0),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCopy(cmd.Context(), opts, co)
		},
	}
	cmd.Flags().StringVar(&co.To, "to", "", "the store to copy into: a postgres:// URL or a SQLite file")
	cmd.Flags().StringVar(&co.From, "from", "", "the store to copy from (default: the config's)")
	return cmd
}

func runCopy(ctx context.Context, opts *Options, co CopyOptions) error {
	if co.To == "" {
		return usageError{fmt.Errorf("say where to copy to: --to postgres://… or --to FILE")}
	}
	from := co.From
	if from == "" {
		cfg, err := loadConfig(opts)
		if err != nil {
			return err
		}
		from = cfg.Store()
	}
	if from == co.To {
		return usageError{fmt.Errorf("--to is the store copied from")}
	}
	src, err := store.Open(ctx, from, store.Options{Writer: true, MustExist: true})
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := store.Open(ctx, co.To, store.Options{Writer: true})
	if err != nil {
		return err
	}
	defer dst.Close()
	sums, err := store.Copy(ctx, src, dst, func(table string, rows int64) {
		if !opts.Quiet && !opts.JSON {
			fmt.Fprintf(opts.stderr, "copied %-10s %d rows\n", table, rows)
		}
	})
	if err != nil {
		return err
	}
	if opts.JSON {
		return writeJSON(opts, struct {
			From   string           `json:"from"`
			To     string           `json:"to"`
			Tables []store.TableSum `json:"tables"`
		}{src.Location(), dst.Location(), sums})
	}
	if !opts.Quiet {
		var rows int64
		for _, s := range sums {
			rows += s.Rows
		}
		fmt.Fprintf(opts.stdout, "copied %s to %s: %d rows in %d tables, each table's count and digest verified\n",
			src.Location(), dst.Location(), rows, len(sums))
	}
	return nil
}
