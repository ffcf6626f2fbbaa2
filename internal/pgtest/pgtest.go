// Package pgtest starts a throwaway PostgreSQL cluster for tests and
// benchmarks: the machine's own server (Debian's postgresql package),
// initdb and pg_ctl in a temporary folder, as an unprivileged user, on a
// free port, stopped and removed when the test ends. Where no PostgreSQL
// is installed the test is skipped with a message saying so, unless
// PUBWATCH_POSTGRES_TESTS=1 (CI) requires it.
package pgtest

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// binDir finds the folder of initdb and pg_ctl: $PG_BINDIR, the newest
// /usr/lib/postgresql/*/bin (Debian's layout), or $PATH.
func binDir() (string, error) {
	if d := os.Getenv("PG_BINDIR"); d != "" {
		return d, nil
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool {
		vi, _ := strconv.Atoi(filepath.Base(filepath.Dir(dirs[i])))
		vj, _ := strconv.Atoi(filepath.Base(filepath.Dir(dirs[j])))
		return vi > vj
	})
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p), nil
	}
	return "", errNoServer
}

// Cluster is a running throwaway cluster.
type Cluster struct {
	// DSN connects to its postgres database as its superuser.
	DSN string
	dir string
	bin string
	as  *syscall.Credential

	opts string // the server's options, to start it again

	mu        sync.Mutex
	databases int
}

// Crash stops the server at once, as a crash would (its clients' connections
// drop); Restart starts it again on the same port with the same data.
func (c *Cluster) Crash() error {
	if out, err := c.run("pg_ctl", "-D", filepath.Join(c.dir, "data"), "-m", "immediate", "-w", "-t", "30", "stop"); err != nil {
		return fmt.Errorf("pg_ctl stop: %w\n%s", err, out)
	}
	return nil
}

// Restart starts a crashed server again.
func (c *Cluster) Restart() error {
	if out, err := c.run("pg_ctl", "-D", filepath.Join(c.dir, "data"), "-o", c.opts, "-l", filepath.Join(c.dir, "log"), "-w", "-t", "60", "start"); err != nil {
		return fmt.Errorf("pg_ctl start: %w\n%s", err, out)
	}
	return nil
}

// Start starts a cluster for the test and stops it when the test ends.
func Start(t testing.TB) *Cluster {
	t.Helper()
	c, err := start()
	if errors.Is(err, errNoServer) {
		if Required() {
			t.Fatalf("PUBWATCH_POSTGRES_TESTS=1: %v", err)
		}
		t.Skipf("skipping the PostgreSQL tests: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Stop)
	return c
}

// Required reports whether the PostgreSQL tests must run (CI) rather than
// be skipped where no server is installed.
func Required() bool { return os.Getenv("PUBWATCH_POSTGRES_TESTS") == "1" }

var errNoServer = errors.New("no PostgreSQL server found (initdb): apt-get install postgresql, or set PG_BINDIR")

// New starts a cluster for a benchmark command; Stop stops it.
func New() (*Cluster, error) { return start() }

func start() (*Cluster, error) {
	bin, err := binDir()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "pubwatch-pg-")
	if err != nil {
		return nil, err
	}
	c := &Cluster{dir: dir, bin: bin}
	fail := func(err error) (*Cluster, error) {
		os.RemoveAll(dir)
		return nil, err
	}
	// initdb refuses to run as root: the cluster is then the postgres
	// user's (the package makes one), in a folder it owns.
	if os.Getuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return fail(fmt.Errorf("running as root, and no postgres user to run the cluster as: %w", err))
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		c.as = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		if err := os.Chown(dir, uid, gid); err != nil {
			return fail(err)
		}
	}
	port, err := freePort()
	if err != nil {
		return fail(err)
	}
	data := filepath.Join(dir, "data")
	if out, err := c.run("initdb", "-D", data, "-U", "pubwatch", "--auth=trust", "-E", "UTF8", "--no-sync"); err != nil {
		return fail(fmt.Errorf("initdb: %w\n%s", err, out))
	}
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300", port, dir)
	if out, err := c.run("pg_ctl", "-D", data, "-o", opts, "-l", filepath.Join(dir, "log"), "-w", "-t", "60", "start"); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "log"))
		return fail(fmt.Errorf("pg_ctl start: %w\n%s\n%s", err, out, log))
	}
	c.DSN = fmt.Sprintf("postgres://pubwatch@127.0.0.1:%d/postgres?sslmode=disable", port)
	c.opts = opts
	return c, nil
}

// Database creates an empty database on the cluster and returns its URL.
func (c *Cluster) Database(t testing.TB) string {
	t.Helper()
	dsn, err := c.NewDatabase()
	if err != nil {
		t.Fatal(err)
	}
	return dsn
}

// NewDatabase creates an empty database on the cluster and returns its URL.
func (c *Cluster) NewDatabase() (string, error) {
	c.mu.Lock()
	c.databases++
	name := fmt.Sprintf("t%d", c.databases)
	c.mu.Unlock()
	if out, err := c.run("psql", "-X", "-q", "-d", c.DSN, "-c", "CREATE DATABASE "+name); err != nil {
		return "", fmt.Errorf("creating a database: %w\n%s", err, out)
	}
	return strings.Replace(c.DSN, "/postgres?", "/"+name+"?", 1), nil
}

// The cluster a package's tests share when they run a second time on
// PostgreSQL (RunBoth).
var (
	shared   *Cluster
	postgres bool
)

// Postgres reports whether the tests run on PostgreSQL this time: their
// stores are then made with Database.
func Postgres() bool { return postgres }

// Database makes an empty database for the test on the shared cluster.
func Database(t testing.TB) string {
	t.Helper()
	if shared == nil {
		t.Fatal("pgtest.Database outside RunBoth's PostgreSQL run")
	}
	return shared.Database(t)
}

// RunBoth runs a package's tests on SQLite, then once more on a shared
// PostgreSQL cluster, where Postgres() reports true: every store test
// runs against both stores. Where no PostgreSQL is installed the second
// run is skipped with a message (a failure if Required).
func RunBoth(m *testing.M) int {
	if code := m.Run(); code != 0 {
		return code
	}
	if testing.Short() {
		return 0
	}
	c, err := start()
	if err != nil {
		fmt.Fprintf(os.Stderr, "skipping the tests on PostgreSQL: %v\n", err)
		if Required() {
			return 1
		}
		return 0
	}
	defer c.Stop()
	shared, postgres = c, true
	defer func() { shared, postgres = nil, false }()
	fmt.Fprintln(os.Stderr, "the same tests on PostgreSQL:")
	return m.Run()
}

func (c *Cluster) run(name string, args ...string) ([]byte, error) {
	cmd := exec.Command(filepath.Join(c.bin, name), args...)
	cmd.Dir = c.dir
	if c.as != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: c.as}
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.Bytes(), err
}

// Stop stops the cluster at once and removes its folder.
func (c *Cluster) Stop() {
	c.run("pg_ctl", "-D", filepath.Join(c.dir, "data"), "-m", "immediate", "-w", "-t", "30", "stop")
	for range 20 {
		if err := os.RemoveAll(c.dir); err == nil {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}
