package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite golden files")

// binary is the pubwatch binary built once for the end-to-end tests.
var binary string

func TestMain(m *testing.M) {
	flag.Parse()
	dir, err := os.MkdirTemp("", "pubwatch-e2e")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "pubwatch")
	args := []string{"build", "-o", binary}
	if raceEnabled {
		args = append(args, "-race")
	}
	out, err := exec.Command("go", append(args, ".")...).CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "building pubwatch: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// site serves a small news site whose pages can be swapped between checks.
type site struct {
	mu    sync.Mutex
	pages map[string]string
	// hold, when set, blocks requests for that path until released.
	hold    string
	held    chan struct{}
	release chan struct{}
	srv     *httptest.Server
	// requests counts the requests for each path.
	requests map[string]int
}

func newSite(t *testing.T, pages map[string]string) *site {
	t.Helper()
	s := &site{pages: pages}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *site) set(pages map[string]string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pages = pages
}

// hits counts the requests for paths that begin with prefix.
func (s *site) hits(prefix string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for path, c := range s.requests {
		if strings.HasPrefix(path, prefix) {
			n += c
		}
	}
	return n
}

func (s *site) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	if s.requests == nil {
		s.requests = map[string]int{}
	}
	s.requests[r.URL.Path]++
	page, ok := s.pages[r.URL.Path]
	hold, held, release := s.hold, s.held, s.release
	s.mu.Unlock()
	if hold == r.URL.Path {
		close(held)
		select {
		case <-release:
		case <-r.Context().Done():
			return
		}
	}
	if !ok {
		http.NotFound(w, r)
		return
	}
	if strings.HasPrefix(page, "STATUS ") {
		var code int
		fmt.Sscanf(page, "STATUS %d", &code)
		http.Error(w, http.StatusText(code), code)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprint(w, page)
}

// project is a temporary folder with a config and the helpers to run the
// binary on it.
type project struct {
	t   *testing.T
	dir string
	// env is added to the environment of every command (PUBWATCH_CLOCK).
	env []string
}

func newProject(t *testing.T, cfg string) *project {
	t.Helper()
	p := &project{t: t, dir: t.TempDir()}
	p.write("pubwatch.yaml", cfg)
	return p
}

func (p *project) write(name, content string) {
	p.t.Helper()
	path := filepath.Join(p.dir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		p.t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		p.t.Fatal(err)
	}
}

func (p *project) command(args ...string) *exec.Cmd {
	cmd := exec.Command(binary, append([]string{"--config", filepath.Join(p.dir, "pubwatch.yaml")}, args...)...)
	cmd.Dir = p.dir
	cmd.Env = append(append(os.Environ(), "NO_COLOR=1"), p.env...)
	return cmd
}

// at sets the clock of the commands that follow (PUBWATCH_CLOCK).
func (p *project) at(t time.Time) {
	p.env = []string{"PUBWATCH_CLOCK=" + t.UTC().Format(time.RFC3339)}
}

// run runs pubwatch and returns stdout, stderr and the exit code.
func (p *project) run(args ...string) (string, string, int) {
	p.t.Helper()
	cmd := p.command(args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		p.t.Fatalf("running pubwatch %v: %v", args, err)
	}
	return stdout.String(), stderr.String(), code
}

func (p *project) mustRun(wantCode int, args ...string) string {
	p.t.Helper()
	out, errOut, code := p.run(args...)
	if code != wantCode {
		p.t.Fatalf("pubwatch %v: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", args, code, wantCode, out, errOut)
	}
	return out
}

func (p *project) read(name string) string {
	p.t.Helper()
	b, err := os.ReadFile(filepath.Join(p.dir, name))
	if err != nil {
		p.t.Fatal(err)
	}
	return string(b)
}

// jsonReport is the part of the JSON report schema the tests read.
type jsonReport struct {
	RunID   string `json:"run_id"`
	Sources []struct {
		Name               string `json:"name"`
		Status             string `json:"status"`
		Error              string `json:"error"`
		Reason             string `json:"reason"`
		SnapshotID         int64  `json:"snapshot_id"`
		PreviousSnapshotID int64  `json:"previous_snapshot_id"`
		Items              int    `json:"items"`
		Transition         string `json:"transition"`
		FoundByRun         string `json:"found_by_run"`
		FoundAt            string `json:"found_at"`
		New                []struct {
			ID, Title, URL, Date, Summary string
		} `json:"new"`
		Changed []struct {
			ID     string                         `json:"id"`
			Title  string                         `json:"title"`
			Fields []string                       `json:"fields"`
			Diffs  map[string][]map[string]string `json:"diffs"`
		} `json:"changed"`
		Removed []struct {
			ID, Title, URL string
		} `json:"removed"`
	} `json:"sources"`
}

func (p *project) report() jsonReport {
	p.t.Helper()
	var r jsonReport
	if err := json.Unmarshal([]byte(p.read("reports/latest.json")), &r); err != nil {
		p.t.Fatalf("latest.json: %v", err)
	}
	return r
}

var (
	runIDRE    = regexp.MustCompile(`\b[0-9a-f]{12}\b`)
	stampRE    = regexp.MustCompile(`\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(Z| UTC)`)
	hostPortRE = regexp.MustCompile(`127\.0\.0\.1:\d+`)
)

// normalize replaces what changes from run to run (ids, times, the test
// server's port) with fixed text, for golden comparison.
func normalize(s string) string {
	s = runIDRE.ReplaceAllString(s, "RUNID")
	s = stampRE.ReplaceAllString(s, "TIME")
	return hostPortRE.ReplaceAllString(s, "HOST")
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it)\n--- got:\n%s", name, got)
	}
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

var _ = context.Background
var _ = syscall.SIGKILL

func jsonUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }
