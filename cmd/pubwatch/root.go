package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/pubwatch/pubwatch/config"
)

// Exit codes, decided in one place (exitCode) from the error a command
// returns.
const (
	exitOK      = 0
	exitFailed  = 1 // a source failed, or the command could not do its work
	exitInvalid = 2 // configuration or usage error
)

// Options are the global flags and the streams every command writes to.
type Options struct {
	ConfigFile string
	Quiet      bool
	JSON       bool
	Verbose    bool
	CPUProfile string
	MemProfile string

	stdout io.Writer
	stderr io.Writer
	// cpuFile is the open CPU profile.
	cpuFile *os.File
	// started is set once a command's own work begins: an error before
	// that is a usage error.
	started bool
}

// usageError marks errors in how pubwatch was called.
type usageError struct{ error }

// errSourcesFailed is returned by check when any source failed.
var errSourcesFailed = errors.New("one or more sources failed")

func exitCode(err error, opts *Options) int {
	var u usageError
	switch {
	case err == nil:
		return exitOK
	case config.IsProblems(err), errors.As(err, &u), !opts.started:
		return exitInvalid
	}
	return exitFailed
}

// Main runs pubwatch with the given arguments and returns the exit code.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	opts := &Options{stdout: stdout, stderr: stderr}
	root := newRootCommand(opts)
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	stopProfiles(opts) // also when the command failed
	if err != nil && !errors.Is(err, errSourcesFailed) {
		printError(stderr, err, opts)
	}
	return exitCode(err, opts)
}

func printError(w io.Writer, err error, opts *Options) {
	var p config.Problems
	if errors.As(err, &p) {
		for _, line := range p {
			fmt.Fprintf(w, "%s: %s\n", opts.ConfigFile, line)
		}
		fmt.Fprintf(w, "pubwatch: %d configuration problem(s)\n", len(p))
		return
	}
	fmt.Fprintf(w, "pubwatch: %v\n", err)
}

func newRootCommand(opts *Options) *cobra.Command {
	root := &cobra.Command{
		Use:   "pubwatch",
		Short: "Watch publications for new, changed and removed items",
		Long: `pubwatch snapshots web pages and files on a schedule, extracts their
articles and listing items, and reports what appeared, changed or was removed.

Exit codes: 0 success, 1 a source failed or the work could not be done,
2 invalid configuration or usage.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			opts.started = true
			return startProfiles(opts)
		},
		PersistentPostRun: func(cmd *cobra.Command, args []string) {
			stopProfiles(opts)
		},
	}
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error { return usageError{err} })
	f := root.PersistentFlags()
	f.StringVarP(&opts.ConfigFile, "config", "c", "pubwatch.yaml", "configuration file")
	f.BoolVarP(&opts.Quiet, "quiet", "q", false, "print only changes and errors; no progress")
	f.BoolVar(&opts.JSON, "json", false, "print results as JSON")
	f.BoolVarP(&opts.Verbose, "verbose", "v", false, "log each check to stderr")
	f.StringVar(&opts.CPUProfile, "cpuprofile", "", "write a CPU profile to this file")
	f.StringVar(&opts.MemProfile, "memprofile", "", "write a heap profile to this file when the command ends")
	root.AddCommand(
		newInitCommand(opts),
		newValidateCommand(opts),
		newCheckCommand(opts),
		newRunCommand(opts),
		newHistoryCommand(opts),
		newDiffCommand(opts),
		newInspectCommand(opts),
		newStatsCommand(opts),
		newPruneCommand(opts),
		newNotifyCommand(opts),
		newServeCommand(opts),
		newArticlesCommand(opts),
		newMigrateCommand(opts),
		newCopyCommand(opts),
	)
	return root
}

// loadConfig loads the configuration named by --config.
func loadConfig(opts *Options) (*config.Config, error) {
	cfg, err := config.Load(opts.ConfigFile)
	if err == nil {
		limitMemory(cfg)
	}
	return cfg, err
}

func (o *Options) logger() *slog.Logger {
	level := slog.LevelWarn
	if o.Verbose {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(o.stderr, &slog.HandlerOptions{Level: level}))
}

// interactive reports whether progress may be shown: stderr is a terminal
// and neither --quiet nor --json was given.
func (o *Options) interactive() bool {
	if o.Quiet || o.JSON {
		return false
	}
	f, ok := o.stderr.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// exactArgs and rangeArgs wrap cobra's validators so that their errors are
// usage errors.
func rangeArgs(min, max int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if err := cobra.RangeArgs(min, max)(cmd, args); err != nil {
			return usageError{err}
		}
		return nil
	}
}
