package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/pubwatch/pubwatch/config"
)

// InitOptions are the flags of init.
type InitOptions struct {
	Force bool
}

func newInitCommand(opts *Options) *cobra.Command {
	var io InitOptions
	cmd := &cobra.Command{
		Use:   "init [DIR]",
		Short: "Write a commented example configuration",
		Long: `Init writes DIR/pubwatch.yaml (DIR defaults to the current folder): an
example configuration that documents every key. It does not overwrite an
existing file unless --force is given.

Exit codes: 0 written, 1 not written, 2 usage error.`,
		Args: rangeArgs(0, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := "."
			if len(args) == 1 {
				dir = args[0]
			}
			return runInit(opts, io, dir)
		},
	}
	cmd.Flags().BoolVar(&io.Force, "force", false, "overwrite an existing pubwatch.yaml")
	return cmd
}

func runInit(opts *Options, io InitOptions, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	path := filepath.Join(dir, "pubwatch.yaml")
	flags := os.O_WRONLY | os.O_CREATE | os.O_EXCL
	if io.Force {
		flags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	}
	f, err := os.OpenFile(path, flags, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s already exists; use --force to overwrite it", path)
	}
	if err != nil {
		return err
	}
	if _, err := f.WriteString(config.Example); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if !opts.Quiet {
		fmt.Fprintf(opts.stdout, "wrote %s; edit its sources, then run: pubwatch --config %s check\n", path, path)
	}
	return nil
}
