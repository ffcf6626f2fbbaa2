package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newValidateCommand(opts *Options) *cobra.Command {
	return &cobra.Command{
		Use:   "validate",
		Short: "Check the configuration and print every problem",
		Long: `Validate loads the configuration and reports every problem in it at
once, each naming the source and the field.

Exit codes: 0 valid, 2 invalid.`,
		Args: rangeArgs(0, 0),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := loadConfig(opts)
			if err != nil {
				return err
			}
			if !opts.Quiet {
				fmt.Fprintf(opts.stdout, "%s: valid, %d sources\n", opts.ConfigFile, len(cfg.Sources))
			}
			return nil
		},
	}
}
