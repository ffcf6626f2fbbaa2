package store

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pubwatch/pubwatch/internal/pgtest"
)

func dueSources(t *testing.T, s *Store, n int) {
	t.Helper()
	due := map[string]Due{}
	for i := range n {
		due[fmt.Sprintf("s%03d", i)] = Due{At: t0.Add(time.Duration(i) * time.Second)}
	}
	if err := s.SyncSources(context.Background(), due, t0); err != nil {
		t.Fatal(err)
	}
}

// Due sources are leased to one worker at a time; a recorded check ends
// its worker's lease, a lease that ran out frees the rest.
func TestClaim(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t, Options{Writer: true})
	dueSources(t, s, 10)
	now := t0.Add(time.Minute)
	a, err := s.Claim(ctx, "a", now, 4, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(a)
	if !slices.Equal(a, []string{"s000", "s001", "s002", "s003"}) {
		t.Fatalf("a claimed %v, want the four longest due", a)
	}
	b, _ := s.Claim(ctx, "b", now, 0, time.Minute)
	if len(b) != 6 || slices.ContainsFunc(b, func(n string) bool { return slices.Contains(a, n) }) {
		t.Fatalf("b claimed %v beside a's %v", b, a)
	}
	if c, _ := s.Claim(ctx, "c", now.Add(30*time.Second), 0, time.Minute); len(c) != 0 {
		t.Fatalf("c claimed %v while every lease holds", c)
	}
	// a checks s000: the lease ends, and the source is due an hour on.
	if _, err := s.Record(ctx, CheckRecord{Source: "s000", StartedAt: now, FinishedAt: now, Status: StatusError, Error: "HTTP 503",
		NextCheckAt: now.Add(time.Hour), Worker: "a"}); err != nil {
		t.Fatal(err)
	}
	// b's check of s005, recorded after its lease ran out and c took it,
	// leaves c's lease alone.
	late := now.Add(2 * time.Minute)
	c, _ := s.ClaimSources(ctx, "c", []string{"s005", "s006"}, late, time.Minute)
	if len(c) != 2 {
		t.Fatalf("c took %v of b's expired leases", c)
	}
	if _, err := s.Record(ctx, CheckRecord{Source: "s005", StartedAt: late, FinishedAt: late, Status: StatusError, Error: "late",
		NextCheckAt: now.Add(time.Hour), Worker: "b"}); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.ClaimSources(ctx, "d", []string{"s005", "s006"}, late, time.Minute); len(got) != 0 {
		t.Errorf("d took %v under c's leases", got)
	}
	// When the leases run out, the sources still due are claimed again;
	// the one checked is not.
	again, _ := s.Claim(ctx, "d", now.Add(4*time.Minute), 0, time.Minute)
	slices.Sort(again)
	if len(again) != 8 || slices.Contains(again, "s000") || slices.Contains(again, "s005") {
		t.Errorf("after the leases: %v", again)
	}
	// A worker gives back what it did not check.
	if err := s.Release(ctx, "d", again); err != nil {
		t.Fatal(err)
	}
	if back, _ := s.Claim(ctx, "e", now.Add(4*time.Minute), 0, time.Minute); len(back) != 8 {
		t.Errorf("after d released them: %v", back)
	}
}

// Workers claiming at once never take one source twice.
func TestClaimAtOnce(t *testing.T) {
	ctx := context.Background()
	s, loc := openTemp(t, Options{Writer: true})
	dueSources(t, s, 300)
	stores := []*Store{s}
	if pgtest.Postgres() {
		for range 2 {
			o, err := Open(ctx, loc, Options{Writer: true})
			if err != nil {
				t.Fatal(err)
			}
			defer o.Close()
			stores = append(stores, o)
		}
	}
	var mu sync.Mutex
	seen := map[string]string{}
	var wg sync.WaitGroup
	for w := range 9 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			st := stores[w%len(stores)]
			name := fmt.Sprintf("w%d", w)
			for {
				got, err := st.Claim(ctx, name, t0.Add(time.Hour), 7, time.Hour)
				if err != nil {
					t.Error(err)
					return
				}
				if len(got) == 0 {
					return
				}
				mu.Lock()
				for _, n := range got {
					if other, ok := seen[n]; ok {
						t.Errorf("%s claimed by %s and %s", n, other, name)
					}
					seen[n] = name
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(seen) != 300 {
		t.Errorf("%d of 300 sources claimed", len(seen))
	}
}

// One worker leads at a time; when its store closes, another takes over.
func TestLead(t *testing.T) {
	ctx := context.Background()
	s, loc := openTemp(t, Options{Writer: true})
	if ok, err := s.Lead(ctx); !ok || err != nil {
		t.Fatalf("the first store does not lead: %v", err)
	}
	if !pgtest.Postgres() {
		return
	}
	other, err := Open(ctx, loc, Options{Writer: true})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if ok, err := other.Lead(ctx); ok || err != nil {
		t.Fatalf("a second worker leads beside the first: %v", err)
	}
	if ok, _ := s.Lead(ctx); !ok {
		t.Fatal("the leader lost the lead")
	}
	s.Close()
	// The server lets go of the closed store's lock when its backend has
	// seen the connection close, a moment later; workers ask again on
	// their next turn.
	deadline := time.Now().Add(5 * time.Second)
	for {
		ok, err := other.Lead(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no one took over the lead within 5s of the leader's store closing")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Requests through the gates of three workers keep within the host's
// slots, and their turns keep the host's delay apart.
func TestHostGate(t *testing.T) {
	if !pgtest.Postgres() {
		s, _ := openTemp(t, Options{Writer: true})
		if s.NewHostGate("a", 2, 0, time.Minute) != nil {
			t.Fatal("a SQLite store made a fleet gate")
		}
		return
	}
	ctx := context.Background()
	_, loc := openTemp(t, Options{Writer: true})
	var gates []*HostGate
	for w := range 3 {
		st, err := Open(ctx, loc, Options{Writer: true})
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		gates = append(gates, st.NewHostGate(fmt.Sprintf("w%d", w), 2, 0, time.Minute))
	}
	var inFlight, most atomic.Int32
	var wg sync.WaitGroup
	for r := range 30 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			release, err := gates[r%3].Acquire(ctx, "agency.example")
			if err != nil {
				t.Error(err)
				return
			}
			n := inFlight.Add(1)
			for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
			}
			time.Sleep(10 * time.Millisecond)
			inFlight.Add(-1)
			release()
		}()
	}
	wg.Wait()
	if m := most.Load(); m != 2 {
		t.Errorf("at most %d requests in flight, want 2 (per host)", m)
	}
	// With a delay, the fleet's requests start that far apart.
	st, _ := Open(ctx, loc, Options{Writer: true})
	defer st.Close()
	delayed := []*HostGate{st.NewHostGate("x", 5, 40*time.Millisecond, time.Minute), gates[0]}
	delayed[1] = gates[1].s.NewHostGate("y", 5, 40*time.Millisecond, time.Minute)
	var mu sync.Mutex
	var last time.Time
	begin := time.Now()
	for r := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			release, err := delayed[r%2].Acquire(ctx, "ministry.example")
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			if now := time.Now(); now.After(last) {
				last = now
			}
			mu.Unlock()
			release()
		}()
	}
	wg.Wait()
	// Each waits for its turn: the eighth's comes seven delays after the
	// first's, which came no earlier than the test began.
	if span := last.Sub(begin); span < 7*40*time.Millisecond {
		t.Errorf("8 requests 40ms apart went out within %v", span)
	}
}

// A SQLite store's leases end with the process that took them: the next
// writer to open the store (a daemon restarted after a kill) finds its
// sources free.
func TestLeasesEndWithTheSQLiteWriter(t *testing.T) {
	sqliteOnly(t)
	ctx := context.Background()
	path := tempLocation(t)
	s, err := Open(ctx, path, Options{Writer: true})
	if err != nil {
		t.Fatal(err)
	}
	dueSources(t, s, 3)
	if got, _ := s.Claim(ctx, "killed", t0.Add(time.Minute), 0, time.Hour); len(got) != 3 {
		t.Fatalf("claimed %v", got)
	}
	s.Close()
	again, err := Open(ctx, path, Options{Writer: true})
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if got, _ := again.Claim(ctx, "next", t0.Add(2*time.Minute), 0, time.Hour); len(got) != 3 {
		t.Errorf("after the restart: claimed %v, want all 3", got)
	}
}

// Workers starting at once on a new database make its schema once, one
// after the other, and all open it.
func TestMigrateAtOnce(t *testing.T) {
	if !pgtest.Postgres() {
		t.Skip("several processes open one store only on PostgreSQL")
	}
	ctx := context.Background()
	loc := tempLocation(t)
	var wg sync.WaitGroup
	errs := make([]error, 6)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := Open(ctx, loc, Options{Writer: true})
			if err == nil {
				s.Close()
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("worker %d: %v", i, err)
		}
	}
	s, err := Open(ctx, loc, Options{MustExist: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var v string
	if err := s.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'schema_version'`).Scan(&v); err != nil || v != SchemaVersion {
		t.Errorf("schema version %q, %v", v, err)
	}
}
