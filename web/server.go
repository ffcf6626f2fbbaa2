// Package web is pubwatch's archive in a browser (`pubwatch serve`): the
// sources with their state, each source's timeline, every version of an
// item with the diff between any two, the run reports, Atom feeds of the
// events and a JSON API. It only reads the store, so it runs beside a
// `pubwatch run` daemon that writes it.
//
// Everything shown comes from watched pages and is untrusted: pages are
// html/template's, escaped; links are only http(s); no page runs a script
// (a Content-Security-Policy forbids them); stored pages are served as
// inert text.
package web

import (
	"context"
	"crypto/subtle"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/pubwatch/pubwatch/reports"
	"github.com/pubwatch/pubwatch/store"
)

// Options configure a Server.
type Options struct {
	// ReportsDir is the folder of the run reports, served under /runs/
	// ("": not served).
	ReportsDir string
	// Token, when set, must come with every request: as a bearer token,
	// the pubwatch_token cookie, or once as ?token= (which sets the
	// cookie).
	Token string
	// BaseURL is the server's public address, for the feeds' links
	// ("": taken from each request).
	BaseURL string
	// Log receives request errors (nil: discarded).
	Log *slog.Logger
	// SearchIndex is the file of the archive's search index ("": none;
	// searches read the store, slowly on a large one).
	SearchIndex string
}

// Server serves the archive of one store.
type Server struct {
	st    *store.Store
	opts  Options
	mux   *http.ServeMux
	log   *slog.Logger
	index *searchIndex
	stop  context.CancelFunc
	done  chan struct{}
}

//go:embed templates
var templateFS embed.FS

var pages = template.Must(template.New("").Funcs(template.FuncMap{
	"time": func(t time.Time) string {
		if t.IsZero() {
			return "never"
		}
		return t.UTC().Format("2006-01-02 15:04 UTC")
	},
	"safeURL": reports.SafeURL,
	"itemID":  store.ItemID,
}).ParseFS(templateFS, "templates/*.html"))

// style is the reports' sheet and the archive's few additions.
var style = reports.CSS() + `
nav.top{display:flex;flex-wrap:wrap;gap:.75rem;align-items:center;font-size:.95rem;border-bottom:1px solid #ddd;padding-bottom:.5rem}
nav.top form{margin-left:auto}input[type=search]{font:inherit;padding:.2rem .4rem;max-width:12rem}
.kind{display:inline-block;font-size:.75rem;padding:0 .4rem;border-radius:.5rem;background:#eee}
.pager{margin:1rem 0;display:flex;gap:1rem}.versions td:first-child{white-space:nowrap}
pre.page{white-space:pre-wrap;overflow-wrap:anywhere;font-size:.85rem}
td{overflow-wrap:anywhere}table{display:block;overflow-x:auto}.status,.kind{white-space:nowrap;overflow-wrap:normal}
@media (prefers-color-scheme:dark){nav.top{border-color:#333}.kind{background:#333}}
`

// New returns the archive's server for the store. With a search index,
// it keeps the index up to date in the background until Close.
func New(st *store.Store, opts Options) *Server {
	s := &Server{st: st, opts: opts, mux: http.NewServeMux(), log: opts.Log, done: make(chan struct{})}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	s.routes()
	ctx, cancel := context.WithCancel(context.Background())
	s.stop = cancel
	if opts.SearchIndex == "" {
		close(s.done)
		return s
	}
	index, err := openSearch(ctx, opts.SearchIndex, st, s.log)
	if err != nil {
		s.log.Warn("no search index: searches read the store", "err", err)
		close(s.done)
		return s
	}
	s.index = index
	go func() {
		defer close(s.done)
		index.keepUp(ctx, 5*time.Second)
	}()
	return s
}

// Close stops keeping the search index up to date and closes it.
func (s *Server) Close() error {
	s.stop()
	<-s.done
	if s.index != nil {
		return s.index.Close()
	}
	return nil
}

func (s *Server) routes() {
	page := func(pattern string, h func(http.ResponseWriter, *http.Request) error) {
		s.mux.HandleFunc("GET "+pattern, func(w http.ResponseWriter, r *http.Request) { s.serve(w, r, h) })
	}
	page("/{$}", s.home)
	page("/search", s.search)
	page("/sources/{name}", s.source)
	page("/items/{id}", s.item)
	page("/items/{id}/page/{snapshot}", s.storedPage)
	page("/runs", s.runs)
	page("/feed.atom", s.feed)
	page("/sources/{name}/feed.atom", s.feed)
	page("/api/sources", s.apiSources)
	page("/api/sources/{name}", s.apiSource)
	page("/api/events", s.apiEvents)
	page("/api/items/{id}/versions", s.apiVersions)
	page("/api/items/{id}/diff", s.apiDiff)
	s.mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	s.mux.HandleFunc("GET /style.css", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
		w.Header().Set("Cache-Control", "max-age=3600")
		fmt.Fprint(w, style)
	})
	if s.opts.ReportsDir != "" {
		files := http.StripPrefix("/runs/", http.FileServer(reportFiles{http.Dir(s.opts.ReportsDir)}))
		s.mux.HandleFunc("GET /runs/", func(w http.ResponseWriter, r *http.Request) {
			// The reports carry their style inline, and nothing else.
			w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
			files.ServeHTTP(w, r)
		})
	}
}

// ServeHTTP checks the token, sets the headers every answer carries and
// routes the request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	// Nothing runs: no scripts, no frames, no plugins; only our own style
	// sheet; forms only to ourselves.
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Allow", "GET, HEAD")
		http.Error(w, "the archive is read-only", http.StatusMethodNotAllowed)
		return
	}
	if s.opts.Token != "" && !s.authorized(w, r) {
		return
	}
	s.mux.ServeHTTP(w, r)
}

// authorized checks the request's token; a ?token= that matches sets the
// cookie and redirects to the same page without it, so that the token
// does not stay in the address bar or the history.
func (s *Server) authorized(w http.ResponseWriter, r *http.Request) bool {
	same := func(got string) bool {
		return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(s.opts.Token)) == 1
	}
	if auth, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok && same(auth) {
		return true
	}
	if c, err := r.Cookie("pubwatch_token"); err == nil && same(c.Value) {
		return true
	}
	if q := r.URL.Query(); same(q.Get("token")) {
		http.SetCookie(w, &http.Cookie{Name: "pubwatch_token", Value: s.opts.Token, Path: "/", HttpOnly: true,
			SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil})
		q.Del("token")
		u := *r.URL
		u.RawQuery = q.Encode()
		http.Redirect(w, r, u.RequestURI(), http.StatusSeeOther)
		return false
	}
	w.Header().Set("WWW-Authenticate", `Bearer realm="pubwatch"`)
	http.Error(w, "a token is needed (Authorization: Bearer, or ?token= once)", http.StatusUnauthorized)
	return false
}

// httpError is an error with the status it answers with.
type httpError struct {
	status int
	msg    string
}

func (e httpError) Error() string { return e.msg }

func notFound(format string, args ...any) error {
	return httpError{http.StatusNotFound, fmt.Sprintf(format, args...)}
}

func badRequest(format string, args ...any) error {
	return httpError{http.StatusBadRequest, fmt.Sprintf(format, args...)}
}

// serve runs a handler and answers its error: as JSON under /api/, as a
// page otherwise.
func (s *Server) serve(w http.ResponseWriter, r *http.Request, h func(http.ResponseWriter, *http.Request) error) {
	ctx, cancel := context.WithTimeout(r.Context(), 20*time.Second)
	defer cancel()
	err := h(w, r.WithContext(ctx))
	if err == nil {
		return
	}
	status, msg := http.StatusInternalServerError, "the store could not be read"
	var he httpError
	switch {
	case errors.As(err, &he):
		status, msg = he.status, he.msg
	case store.IsNotFound(err):
		status, msg = http.StatusNotFound, err.Error()
	default:
		s.log.Error("serving", "path", r.URL.Path, "err", err)
	}
	if strings.HasPrefix(r.URL.Path, "/api/") {
		writeJSON(w, status, map[string]string{"error": msg})
		return
	}
	w.WriteHeader(status)
	s.render(w, "error", "Error", struct {
		Status  int
		Message string
	}{status, msg})
}

// render writes a page of the layout.
func (s *Server) render(w http.ResponseWriter, name, title string, data any) error {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	var body strings.Builder
	if err := pages.ExecuteTemplate(&body, name, data); err != nil {
		return err
	}
	return pages.ExecuteTemplate(w, "layout", struct {
		Title string
		Body  template.HTML
	}{title, template.HTML(body.String())}) // html/template escaped the body
}

// reportFiles serves the reports folder without listing folders other
// than through their index.html.
type reportFiles struct{ fs http.FileSystem }

func (f reportFiles) Open(name string) (http.File, error) {
	file, err := f.fs.Open(name)
	if err != nil {
		return nil, err
	}
	if st, err := file.Stat(); err == nil && st.IsDir() {
		index, err := f.fs.Open(strings.TrimSuffix(name, "/") + "/index.html")
		if err != nil {
			file.Close()
			return nil, err
		}
		index.Close()
	}
	return file, nil
}
