package store

import (
	"context"
	"fmt"
	"time"
)

// PruneResult counts what Prune deleted.
type PruneResult struct {
	Snapshots, Checks, Contents, Runs, Events int64
}

// Prune deletes history: snapshots taken before olderThan (if not zero)
// and all but the newest keepLast snapshots of each source (if keepLast >
// 0), the checks before olderThan, and the contents no snapshot refers to
// any more. A snapshot that is a source's baseline is never deleted,
// whatever its age: the next check is compared with it.
func (s *Store) Prune(ctx context.Context, olderThan time.Time, keepLast int) (PruneResult, error) {
	var res PruneResult
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return res, err
	}
	defer tx.Rollback()
	protected := `id NOT IN (SELECT baseline_id FROM sources WHERE baseline_id IS NOT NULL)`
	count := func(q string, args ...any) (int64, error) {
		r, err := tx.ExecContext(ctx, q, args...)
		if err != nil {
			return 0, err
		}
		return r.RowsAffected()
	}
	if !olderThan.IsZero() {
		n, err := count(`DELETE FROM snapshots WHERE taken_at < ? AND `+protected, millis(olderThan))
		if err != nil {
			return res, fmt.Errorf("pruning snapshots: %w", err)
		}
		res.Snapshots += n
		// Events go with their checks, except those not yet reported or
		// not yet delivered: the checks that found them stay too.
		keep := `(report_run IS NULL OR report_run IN (SELECT run_id FROM deliveries WHERE state = 'pending')
			OR report_run IN (SELECT id FROM runs WHERE state = 'pending'))`
		if _, err := count(`DELETE FROM deliveries WHERE created_at < ? AND state <> 'pending'`, millis(olderThan)); err != nil {
			return res, fmt.Errorf("pruning deliveries: %w", err)
		}
		if res.Events, err = count(`DELETE FROM events WHERE at < ? AND NOT `+keep, millis(olderThan)); err != nil {
			return res, fmt.Errorf("pruning events: %w", err)
		}
		if res.Checks, err = count(`DELETE FROM checks WHERE finished_at < ? AND id NOT IN (SELECT check_id FROM events)`, millis(olderThan)); err != nil {
			return res, fmt.Errorf("pruning checks: %w", err)
		}
		if res.Runs, err = count(`DELETE FROM runs WHERE started_at < ? AND state <> 'pending'
			AND id NOT IN (SELECT run_id FROM deliveries)`, millis(olderThan)); err != nil {
			return res, fmt.Errorf("pruning runs: %w", err)
		}
	}
	if keepLast > 0 {
		n, err := count(`DELETE FROM snapshots WHERE `+protected+` AND id NOT IN (
			SELECT id FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY source ORDER BY id DESC) AS k FROM snapshots) AS ranked WHERE k <= ?)`, keepLast)
		if err != nil {
			return res, fmt.Errorf("pruning snapshots: %w", err)
		}
		res.Snapshots += n
	}
	// Checks that confirmed a deleted snapshot lose the link, not the record.
	if _, err := tx.ExecContext(ctx, `UPDATE checks SET snapshot_id = NULL WHERE snapshot_id IS NOT NULL
		AND snapshot_id NOT IN (SELECT id FROM snapshots)`); err != nil {
		return res, err
	}
	if res.Contents, err = count(`DELETE FROM contents WHERE hash NOT IN (SELECT content_hash FROM snapshots)
		AND hash NOT IN (SELECT items_hash FROM snapshots)`); err != nil {
		return res, fmt.Errorf("pruning contents: %w", err)
	}
	return res, tx.Commit()
}

// Vacuum gives the space freed back to the file system.
func (s *Store) Vacuum(ctx context.Context) error {
	_, err := s.db.ExecContext(ctx, `VACUUM`)
	return err
}
