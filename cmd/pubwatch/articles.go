package main

import (
	"context"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/pubwatch/pubwatch/config"
	"github.com/pubwatch/pubwatch/snapshot"
	"github.com/pubwatch/pubwatch/store"
)

func newArticlesCommand(opts *Options) *cobra.Command {
	var ended bool
	cmd := &cobra.Command{
		Use:   "articles [SOURCE]",
		Short: "List the followed articles being watched: age, last and next read, versions",
		Long: `Articles lists the watch list of sources that follow their articles
(follow: true): each article with its age (since first seen), whether its
listing still lists it, when it was last read and is next due, and how many
versions of it the store holds. With --ended it lists those no longer
watched too (deleted, or past watch_for), with why.

Exit codes: 0 listed, 1 the store could not be read, 2 usage error.`,
		Args: rangeArgs(0, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			source := ""
			if len(args) == 1 {
				source = args[0]
			}
			return runArticles(cmd.Context(), opts, source, ended)
		},
	}
	cmd.Flags().BoolVar(&ended, "ended", false, "also list articles no longer watched")
	return cmd
}

// watchedArticle is an article as the command prints it.
type watchedArticle struct {
	store.ArticleState
	AgeDays  float64 `json:"age_days"`
	Versions int     `json:"versions"`
}

func runArticles(ctx context.Context, opts *Options, source string, ended bool) error {
	cfg, st, err := openReadOnly(ctx, opts)
	if err != nil {
		return err
	}
	defer st.Close()
	if source != "" && cfg.Source(source) == nil {
		return usageError{fmt.Errorf("no source named %q", source)}
	}
	list, err := st.Articles(ctx, source)
	if err != nil {
		return err
	}
	now := clockNow()
	out := []watchedArticle{}
	for _, a := range list {
		if a.Ended != "" && !ended {
			continue
		}
		w := watchedArticle{ArticleState: a, AgeDays: now.Sub(a.FirstSeen).Hours() / 24, Versions: 1}
		// A version for the first reading and one for each change.
		evs, err := st.ItemEvents(ctx, a.Source, snapshot.Item{Kind: snapshot.KindArticle, ID: a.URL}.Key())
		if err != nil {
			return err
		}
		for _, ev := range evs {
			if ev.Kind == config.EventChanged || ev.Kind == config.EventSuppressed {
				w.Versions++
			}
		}
		out = append(out, w)
	}
	if opts.JSON {
		return writeJSON(opts, out)
	}
	if len(out) == 0 {
		fmt.Fprintln(opts.stdout, "no watched articles (sources watch the articles they follow: follow: true)")
		return nil
	}
	tw := tabwriter.NewWriter(opts.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SOURCE\tAGE\tLISTED\tLAST READ\tNEXT READ\tVERSIONS\tURL")
	for _, a := range out {
		listed, next := "yes", a.NextRead.Format(time.DateTime)
		if !a.Listed {
			listed = "no"
		}
		if a.Ended != "" {
			next = "ended: " + a.Ended
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%s\n", a.Source, age(now.Sub(a.FirstSeen)), listed,
			a.LastRead.Format(time.DateTime), next, a.Versions, a.URL)
	}
	return tw.Flush()
}

// age says a duration as people say ages: minutes, hours or days.
func age(d time.Duration) string {
	switch {
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh", int(d.Hours()))
	}
	return fmt.Sprintf("%dd", int(d.Hours()/24))
}

// clockNow is the time as the monitor's clock has it (PUBWATCH_CLOCK in
// tests).
func clockNow() time.Time {
	if c := clock(); c != nil {
		return c()
	}
	return time.Now()
}
