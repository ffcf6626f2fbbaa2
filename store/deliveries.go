package store

import (
	"cmp"
	"context"
	"database/sql"
	"slices"
	"strings"
	"time"
)

// Delivery states.
const (
	DeliveryPending   = "pending"
	DeliveryDelivered = "delivered"
	DeliveryGivenUp   = "given_up"
)

// Delivery is one run's events on their way to one notification target:
// the outbox of the event log.
type Delivery struct {
	ID     string
	Target string
	RunID  string
	// Filter is the target's choice of events when the delivery was made.
	Filter        string
	Events        int
	CreatedAt     time.Time
	State         string
	Attempts      int
	NextAttemptAt time.Time
	LastAttemptAt time.Time
	LastError     string
	// Response is what the target last answered.
	Response string
}

const deliveryColumns = `id, target, run_id, filter, events, created_at, state, attempts, next_attempt_at, last_attempt_at, last_error, response`

func scanDelivery(row *sql.Rows) (Delivery, error) {
	var d Delivery
	var created, next, last int64
	err := row.Scan(&d.ID, &d.Target, &d.RunID, &d.Filter, &d.Events, &created, &d.State, &d.Attempts, &next, &last, &d.LastError, &d.Response)
	d.CreatedAt, d.NextAttemptAt, d.LastAttemptAt = fromMillis(created), fromMillis(next), fromMillis(last)
	return d, err
}

// DueDeliveries lists pending deliveries due at now, oldest first. In a
// store workers share they are also claimed: no other worker sees them due
// for the store's lease, or until their attempt is recorded.
func (s *Store) DueDeliveries(ctx context.Context, now time.Time, limit int) ([]Delivery, error) {
	if !s.pg {
		return s.deliveries(ctx, `SELECT `+deliveryColumns+` FROM deliveries WHERE state = 'pending' AND next_attempt_at <= ?
			ORDER BY created_at, id LIMIT ?`, millis(now), limit)
	}
	rows, err := s.db.QueryContext(ctx, `UPDATE deliveries SET next_attempt_at = ? WHERE id IN (
		SELECT id FROM deliveries WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY created_at, id LIMIT ?
		FOR UPDATE SKIP LOCKED) RETURNING `+deliveryColumns, millis(now.Add(s.lease)), millis(now), limit)
	out, err := all(rows, err, scanDelivery)
	slices.SortFunc(out, func(a, b Delivery) int {
		return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), strings.Compare(a.ID, b.ID))
	})
	return out, err
}

// Deliveries lists a target's deliveries ("": every target's), newest
// first.
func (s *Store) Deliveries(ctx context.Context, target string, limit int) ([]Delivery, error) {
	if limit <= 0 {
		limit = noLimit
	}
	if target == "" {
		return s.deliveries(ctx, `SELECT `+deliveryColumns+` FROM deliveries ORDER BY created_at DESC, id DESC LIMIT ?`, limit)
	}
	return s.deliveries(ctx, `SELECT `+deliveryColumns+` FROM deliveries WHERE target = ? ORDER BY created_at DESC, id DESC LIMIT ?`, target, limit)
}

func (s *Store) deliveries(ctx context.Context, q string, args ...any) ([]Delivery, error) {
	rows, err := s.rdb.QueryContext(ctx, q, args...)
	return all(rows, err, scanDelivery)
}

// RecordAttempt records an attempt at a delivery: its new state, what the
// target answered or the error, and (if still pending) when to try again.
func (s *Store) RecordAttempt(ctx context.Context, id, state string, at, next time.Time, response, lastError string) error {
	_, err := s.db.ExecContext(ctx, `UPDATE deliveries SET state = ?, attempts = attempts + 1, last_attempt_at = ?,
		next_attempt_at = ?, response = ?, last_error = ? WHERE id = ?`,
		state, millis(at), millis(next), response, lastError, id)
	return err
}

// Reschedule moves a pending delivery's next attempt without counting an
// attempt (its target was not tried).
func (s *Store) Reschedule(ctx context.Context, id string, next time.Time, reason string) error {
	_, err := s.db.ExecContext(ctx, `UPDATE deliveries SET next_attempt_at = ?, last_error = ? WHERE id = ? AND state = 'pending'`,
		millis(next), reason, id)
	return err
}

// TargetStatus sums up one target's deliveries.
type TargetStatus struct {
	Target                      string
	Pending, Delivered, GivenUp int
	OldestPending               time.Time
	LastDelivered, LastAttempt  time.Time
	LastError                   string
}

// DeliveryStatus sums up the deliveries of every target the store knows.
func (s *Store) DeliveryStatus(ctx context.Context) ([]TargetStatus, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT target,
		SUM(CASE WHEN state = 'pending' THEN 1 ELSE 0 END),
		SUM(CASE WHEN state = 'delivered' THEN 1 ELSE 0 END),
		SUM(CASE WHEN state = 'given_up' THEN 1 ELSE 0 END),
		COALESCE(MIN(CASE WHEN state = 'pending' THEN created_at END), 0),
		COALESCE(MAX(CASE WHEN state = 'delivered' THEN last_attempt_at END), 0),
		MAX(last_attempt_at),
		COALESCE((SELECT d2.last_error FROM deliveries d2 WHERE d2.target = d.target AND d2.last_error <> ''
			ORDER BY d2.last_attempt_at DESC LIMIT 1), '')
		FROM deliveries d GROUP BY target ORDER BY target`)
	return all(rows, err, func(rows *sql.Rows) (TargetStatus, error) {
		var t TargetStatus
		var oldest, delivered, last int64
		err := rows.Scan(&t.Target, &t.Pending, &t.Delivered, &t.GivenUp, &oldest, &delivered, &last, &t.LastError)
		t.OldestPending, t.LastDelivered, t.LastAttempt = fromMillis(oldest), fromMillis(delivered), fromMillis(last)
		return t, err
	})
}

// NextDelivery returns when the earliest pending delivery is due; ok is
// false when none is pending.
func (s *Store) NextDelivery(ctx context.Context) (at time.Time, ok bool, err error) {
	var next sql.NullInt64
	err = s.rdb.QueryRowContext(ctx, `SELECT MIN(next_attempt_at) FROM deliveries WHERE state = 'pending'`).Scan(&next)
	if err != nil || !next.Valid {
		return time.Time{}, false, err
	}
	return fromMillis(next.Int64), true, nil
}
