package store

import (
	"context"
	"errors"
)

// maxBatch bounds how many checks share one transaction.
const maxBatch = 256

// job is one Record waiting for the writer.
type job struct {
	ctx            context.Context
	rec            CheckRecord
	content, items *blob
	done           chan jobResult
}

type jobResult struct {
	id  int64
	err error
}

// errClosed is returned by Record on a closed store.
var errClosed = errors.New("store is closed")

// enqueue hands a job to the writer, starting it on first use.
func (s *Store) enqueue(j *job) error {
	s.writerOnce.Do(func() {
		s.jobs = make(chan *job)
		s.writerDone = make(chan struct{})
		go s.writer()
	})
	s.closeMu.RLock()
	defer s.closeMu.RUnlock()
	if s.closed {
		return errClosed
	}
	s.jobs <- j
	return nil
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
			j.done <- jobResult{id, err}
		}
		return
	}
	for i, j := range batch {
		var id int64
		if err == nil {
			id = ids[i]
		}
		j.done <- jobResult{id, err}
	}
}

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
		if ids[i], err = s.record(j.ctx, tx, j.rec, j.content, j.items); err != nil {
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
