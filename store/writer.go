package store

import (
	"context"
	"errors"

	"golang.org/x/sync/semaphore"
)

// maxBatch bounds how many checks share one transaction; as many can wait
// in the queue, holding at most maxQueued bytes of compressed contents
// (the rest wait to queue): a first run of thousands of pages does not
// hold hundreds of them in memory while the writer catches up.
const (
	maxBatch  = 512
	maxQueued = 4 << 20
)

// job is one check waiting for the writer; later hears how it went.
type job struct {
	ctx            context.Context
	rec            CheckRecord
	content, items *blob
	events         [][]byte    // the check's events' data, compressed
	named          []itemNamed // the title and link of the item each event names
	later          func(snapshotID int64, err error)
}

// errClosed is returned by Record on a closed store.
var errClosed = errors.New("store is closed")

// enqueue hands a job to the writer, starting it on first use.
func (s *Store) enqueue(j *job) error {
	s.writerOnce.Do(func() {
		s.queued = semaphore.NewWeighted(maxQueued)
		s.jobs = make(chan *job, maxBatch)
		s.writerDone = make(chan struct{})
		go s.writer()
	})
	if err := s.queued.Acquire(context.Background(), j.weight()); err != nil {
		return err
	}
	s.closeMu.RLock()
	defer s.closeMu.RUnlock()
	if s.closed {
		s.queued.Release(j.weight())
		return errClosed
	}
	s.jobs <- j
	return nil
}

// weight is what a queued job counts against maxQueued.
func (j *job) weight() int64 {
	n := int64(256)
	for _, e := range j.events {
		n += int64(len(e))
	}
	for _, b := range []*blob{j.content, j.items} {
		if b != nil {
			n += int64(len(b.compressed))
		}
	}
	return min(n, maxQueued)
}

// writer commits queued checks: each transaction takes every check that
// queued while the previous one committed (group commit), so a run of
// many checks pays for far fewer transactions than checks.
func (s *Store) writer() {
	defer close(s.writerDone)
	for first := range s.jobs {
		batch := []*job{first}
	collect:
		for len(batch) < maxBatch {
			select {
			case j, ok := <-s.jobs:
				if !ok {
					break collect
				}
				batch = append(batch, j)
			default:
				break collect
			}
		}
		s.commit(batch)
	}
}

// commit writes a batch; if it fails, each check is tried alone, so that
// one bad record (or a cancelled context) costs no other its place.
func (s *Store) commit(batch []*job) {
	ids, err := s.commitBatch(batch)
	if err != nil && len(batch) > 1 {
		for _, j := range batch {
			ids, err := s.commitBatch([]*job{j})
			var id int64
			if err == nil {
				id = ids[0]
			}
			s.finish(j, id, err)
		}
		return
	}
	for i, j := range batch {
		var id int64
		if err == nil {
			id = ids[i]
		}
		s.finish(j, id, err)
	}
}

// finish tells a job's caller how it went.
func (s *Store) finish(j *job, id int64, err error) {
	s.queued.Release(j.weight())
	j.later(id, err)
	s.pending.Done()
}

// RecordAsync queues a check and returns at once; later is called, from
// the writer, with the check's new snapshot (if it made one) once it is
// committed, or with the error that stopped it. Checks queued while a
// transaction commits share the next one, by the hundred when callers do
// not wait (Record waits). Flush waits for them all.
func (s *Store) RecordAsync(ctx context.Context, rec CheckRecord, later func(snapshotID int64, err error)) error {
	j, err := s.newJob(ctx, rec)
	if err != nil {
		return err
	}
	j.later = later
	s.pending.Add(1)
	if err := s.enqueue(j); err != nil {
		s.pending.Done()
		return err
	}
	return nil
}

// Flush waits until every check queued with RecordAsync is committed (or
// has failed) and its later has returned.
func (s *Store) Flush() { s.pending.Wait() }

func (s *Store) commitBatch(batch []*job) ([]int64, error) {
	tx, err := s.db.BeginTx(context.Background(), nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	ids := make([]int64, len(batch))
	for i, j := range batch {
		if err := j.ctx.Err(); err != nil {
			return nil, err
		}
		if ids[i], err = s.record(j.ctx, tx, j.rec, j.content, j.items, j.events, j.named); err != nil {
			return nil, err
		}
	}
	return ids, tx.Commit()
}

// stopWriter lets queued checks finish and stops the writer.
func (s *Store) stopWriter() {
	s.closeMu.Lock()
	if s.closed {
		s.closeMu.Unlock()
		return
	}
	s.closed = true
	started := s.jobs != nil
	if started {
		close(s.jobs)
	}
	s.closeMu.Unlock()
	if started {
		<-s.writerDone
	}
}
