package store

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"time"
)

// Workers that share a store (several 'pubwatch run' processes on one
// PostgreSQL database) divide the work through it:
//
//   - a due source is claimed by one worker, with a lease: Claim marks it
//     the worker's until the lease runs out, and recording its check ends
//     the lease. A worker killed mid-check loses its sources when their
//     leases run out, and the others claim them then;
//   - one worker at a time leads (Lead): it writes the reports and sends
//     the notifications. Its claim is a PostgreSQL session lock, which
//     the server drops when the leader's connection goes;
//   - the hosts' politeness limits hold for the fleet (HostGate).
//
// A SQLite store has one worker, which claims as the others would and
// always leads; the leases a killed process left are ended when the next
// one opens the store (it holds the file's lock: no other is checking).

// claimLock says FOR UPDATE SKIP LOCKED in PostgreSQL: two workers
// claiming at once take different sources, neither waits for the other.
func (s *Store) claimLock() string {
	if s.pg {
		return " FOR UPDATE SKIP LOCKED"
	}
	return ""
}

// Claim leases up to limit of the active sources due at now to worker,
// until now+lease, the longest overdue first, skipping those another
// worker's lease holds. It returns their names.
func (s *Store) Claim(ctx context.Context, worker string, now time.Time, limit int, lease time.Duration) ([]string, error) {
	if limit <= 0 {
		limit = noLimit
	}
	rows, err := s.db.QueryContext(ctx, `UPDATE sources SET lease_owner = ?, lease_until = ? WHERE name IN (
		SELECT name FROM sources WHERE active = 1 AND next_check_at <= ? AND lease_until <= ?
		ORDER BY next_check_at LIMIT ?`+s.claimLock()+`) RETURNING name`,
		worker, millis(now.Add(lease)), millis(now), millis(now), limit)
	return all(rows, err, func(rows *sql.Rows) (string, error) {
		var n string
		return n, rows.Scan(&n)
	})
}

// ClaimSources leases those of names that no other worker's lease holds
// to worker, whether due or not (a source whose watched articles are due
// is read between its listing's checks), and returns them.
func (s *Store) ClaimSources(ctx context.Context, worker string, names []string, now time.Time, lease time.Duration) ([]string, error) {
	if len(names) == 0 {
		return nil, nil
	}
	args := []any{worker, millis(now.Add(lease))}
	for _, n := range names {
		args = append(args, n)
	}
	args = append(args, millis(now), worker)
	rows, err := s.db.QueryContext(ctx, `UPDATE sources SET lease_owner = ?, lease_until = ? WHERE name IN (
		SELECT name FROM sources WHERE name IN (?`+strings.Repeat(", ?", len(names)-1)+`) AND (lease_until <= ? OR lease_owner = ?)`+
		s.claimLock()+`) RETURNING name`, args...)
	return all(rows, err, func(rows *sql.Rows) (string, error) {
		var n string
		return n, rows.Scan(&n)
	})
}

// Release ends worker's leases on the named sources that it did not check
// (a check that was never made records nothing, and so releases nothing).
func (s *Store) Release(ctx context.Context, worker string, names []string) error {
	for len(names) > 0 {
		batch := names[:min(len(names), 500)]
		names = names[len(batch):]
		args := []any{worker}
		for _, n := range batch {
			args = append(args, n)
		}
		if _, err := s.db.ExecContext(ctx, `UPDATE sources SET lease_until = 0 WHERE lease_owner = ? AND name IN (?`+
			strings.Repeat(", ?", len(batch)-1)+`)`, args...); err != nil {
			return err
		}
	}
	return nil
}

// leaderLock is the session lock the leading worker holds.
const leaderLock = 0x70756278

// Lead reports whether this process leads the workers sharing the store,
// taking the lead if no one holds it. A SQLite store's one process always
// leads. The lead is kept until the store is closed or its connection to
// the server is lost (then Lead reports false, and tries again next time).
func (s *Store) Lead(ctx context.Context) (bool, error) {
	if !s.pg {
		return true, nil
	}
	s.leadMu.Lock()
	defer s.leadMu.Unlock()
	if s.leadConn != nil {
		if err := s.leadConn.PingContext(ctx); err == nil {
			return true, nil
		}
		s.leadConn.Close()
		s.leadConn = nil
	}
	conn, err := s.leadDB.Conn(ctx)
	if err != nil {
		return false, err
	}
	var ok bool
	if err := conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock(?)`, leaderLock).Scan(&ok); err != nil || !ok {
		conn.Close()
		return false, err
	}
	s.leadConn = conn
	return true, nil
}

// HostGate holds the fleet's requests to each host within perHost in flight
// and delay apart, whichever worker sends them. Its slots are leased too:
// a killed worker's run out after lease.
type HostGate struct {
	s       *Store
	worker  string
	perHost int
	delay   time.Duration
	lease   time.Duration

	made sync.Map // hosts whose slot rows exist
}

// NewHostGate returns the store's gate for worker's requests, or nil for a
// SQLite store (one process: its own limits are the fleet's).
func (s *Store) NewHostGate(worker string, perHost int, delay, lease time.Duration) *HostGate {
	if !s.pg {
		return nil
	}
	return &HostGate{s: s, worker: worker, perHost: max(perHost, 1), delay: max(delay, 0), lease: lease}
}

// gatePoll is how long a request waits before asking again for a slot on a
// host whose slots are all taken.
const gatePoll = 20 * time.Millisecond

// Acquire waits until a request to host may be sent: a slot of the host's
// is this worker's, and the host's turn has come. release frees the slot.
func (g *HostGate) Acquire(ctx context.Context, host string) (release func(), err error) {
	if _, ok := g.made.Load(host); !ok {
		if _, err := g.s.db.ExecContext(ctx, `INSERT INTO host_slots (host, slot) SELECT ?, g FROM generate_series(0, ? - 1) AS g
			ON CONFLICT (host, slot) DO NOTHING`, host, g.perHost); err != nil {
			return nil, fmt.Errorf("host slots: %w", err)
		}
		g.made.Store(host, true)
	}
	var slot int
	for {
		now := time.Now()
		err := g.s.db.QueryRowContext(ctx, `UPDATE host_slots SET owner = ?, until = ? WHERE host = ? AND slot = (
			SELECT slot FROM host_slots WHERE host = ? AND slot < ? AND until < ? ORDER BY slot LIMIT 1 FOR UPDATE SKIP LOCKED)
			RETURNING slot`, g.worker, millis(now.Add(g.lease)), host, host, g.perHost, millis(now)).Scan(&slot)
		if err == nil {
			break
		}
		if err != sql.ErrNoRows {
			return nil, fmt.Errorf("host slots: %w", err)
		}
		t := time.NewTimer(gatePoll/2 + rand.N(gatePoll))
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
	}
	release = func() {
		g.s.db.ExecContext(context.WithoutCancel(ctx), `UPDATE host_slots SET until = 0 WHERE host = ? AND slot = ? AND owner = ?`,
			host, slot, g.worker)
	}
	if g.delay <= 0 {
		return release, nil
	}
	// The host's turns are handed out in order, delay apart: this
	// request's is the later of now and the last one's plus delay.
	var next int64
	now := millis(time.Now())
	if err := g.s.db.QueryRowContext(ctx, `INSERT INTO host_turns (host, next_at) VALUES (?, ?)
		ON CONFLICT (host) DO UPDATE SET next_at = GREATEST(host_turns.next_at, ?) + ? RETURNING next_at`,
		host, now+g.delay.Milliseconds(), now, g.delay.Milliseconds()).Scan(&next); err != nil {
		release()
		return nil, fmt.Errorf("host turns: %w", err)
	}
	if wait := time.Until(fromMillis(next - g.delay.Milliseconds())); wait > 0 {
		t := time.NewTimer(wait)
		defer t.Stop()
		select {
		case <-ctx.Done():
			release()
			return nil, ctx.Err()
		case <-t.C:
		}
	}
	return release, nil
}

// Shared reports whether several workers may share the store (PostgreSQL).
func (s *Store) Shared() bool { return s.pg }
