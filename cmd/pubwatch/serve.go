package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/pubwatch/pubwatch/config"
	"github.com/pubwatch/pubwatch/store"
	"github.com/pubwatch/pubwatch/web"
)

// ServeOptions are the flags of serve.
type ServeOptions struct {
	Addr    string
	Token   string
	BaseURL string
}

func newServeCommand(opts *Options) *cobra.Command {
	so := ServeOptions{Addr: "127.0.0.1:8080"}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the archive in a browser: sources, timelines, every version of an item, feeds, a JSON API",
		Long: `Serve reads the store (never writing it, so it runs beside 'pubwatch
run') and serves the archive: the sources with their state, failing and
suspect ones first; each source's timeline; every version of an item with
the diff between any two; the run reports; Atom feeds (/feed.atom and
/sources/NAME/feed.atom); and the JSON API under /api/ (see the README).

It listens on 127.0.0.1:8080 unless --addr says otherwise. Any address
other than a loopback one needs --token (or PUBWATCH_SERVE_TOKEN): every
request must then bring it, as "Authorization: Bearer TOKEN" or once as
?token=TOKEN in a browser (which sets a cookie). SIGTERM or Ctrl-C stops
it after the requests in flight.

Exit codes: 0 stopped, 1 the store could not be read or the address not
listened on, 2 usage error.`,
		Args: rangeArgs(0, 0),
		RunE: func(cmd *cobra.Command, args []string) error {
			if so.Token == "" {
				so.Token = os.Getenv("PUBWATCH_SERVE_TOKEN")
			}
			return runServe(cmd.Context(), opts, so)
		},
	}
	f := cmd.Flags()
	f.StringVar(&so.Addr, "addr", so.Addr, "address to listen on (host:port)")
	f.StringVar(&so.Token, "token", "", "token every request must bring (needed off loopback; default $PUBWATCH_SERVE_TOKEN)")
	f.StringVar(&so.BaseURL, "base-url", "", "the archive's public address, for the feeds' links (default: each request's host)")
	return cmd
}

// loopback reports whether addr's host is a loopback address or name.
func loopback(addr string) (bool, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false, fmt.Errorf("--addr %q: %w", addr, err)
	}
	if host == "localhost" {
		return true, nil
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback(), nil
}

func runServe(ctx context.Context, opts *Options, so ServeOptions) error {
	local, err := loopback(so.Addr)
	if err != nil {
		return usageError{err}
	}
	if !local && so.Token == "" {
		return usageError{fmt.Errorf("--addr %s is not a loopback address: give --token (or PUBWATCH_SERVE_TOKEN) so that only those who have it can read the archive", so.Addr)}
	}
	cfg, st, err := openReadOnly(ctx, opts)
	if err != nil {
		return err
	}
	defer st.Close()
	log := slog.New(slog.NewTextHandler(opts.stderr, nil))
	archive := web.New(st, web.Options{ReportsDir: cfg.ReportsDir, Token: so.Token, BaseURL: so.BaseURL, Log: log,
		SearchIndex: searchIndexPath(cfg)})
	defer archive.Close()
	srv := &http.Server{
		Handler: archive,
		// Slow or large requests are cut off: the archive answers GETs.
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    32 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	ln, err := net.Listen("tcp", so.Addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	fmt.Fprintf(opts.stdout, "pubwatch: serving the archive of %s on http://%s/\n", st.Location(), ln.Addr())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shut); err != nil {
		return fmt.Errorf("serve: stopping: %w", err)
	}
	if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}

// searchIndexPath is where serve keeps its search index: beside a SQLite
// store, or for a PostgreSQL one in the user's cache, one file a database.
func searchIndexPath(cfg *config.Config) string {
	if cfg.StoreURL == "" {
		return cfg.StorePath + ".search"
	}
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	sum := sha256.Sum256([]byte(store.Redact(cfg.StoreURL)))
	return filepath.Join(dir, "pubwatch", hex.EncodeToString(sum[:8])+".search")
}
