package fetch

import (
	"context"
	"sync"
	"time"
)

// hosts holds the politeness state of every host: at most perHost requests
// in flight, each sent at least delay after the previous one was sent, and
// a "not before" time set by a server's Retry-After.
//
// The delay is measured from when the previous request was written to the
// connection, not from when it was allowed to go: a burst of goroutines
// that were all allowed in turn but scheduled late would otherwise reach
// the server together.
type hosts struct {
	perHost int
	delay   time.Duration
	gate    Gate // the fleet's limits, beside this process's (nil: none)

	mu sync.Mutex
	m  map[string]*host
}

type host struct {
	slots chan struct{}
	// turn is held from a request's turn until it has been sent.
	turn chan struct{}

	mu        sync.Mutex
	lastSent  time.Time
	notBefore time.Time
}

func newHosts(perHost int, delay time.Duration, gate Gate) *hosts {
	return &hosts{perHost: max(perHost, 1), delay: delay, gate: gate, m: map[string]*host{}}
}

func (hs *hosts) get(name string) *host {
	hs.mu.Lock()
	defer hs.mu.Unlock()
	h := hs.m[name]
	if h == nil {
		h = &host{slots: make(chan struct{}, hs.perHost), turn: make(chan struct{}, 1)}
		hs.m[name] = h
	}
	return h
}

// permit is a request's place at a host: sent marks it written (the next
// request's delay starts then), release frees its slot when it is done.
type permit struct {
	h        *host
	sentOnce sync.Once
	fleet    func() // frees the gate's place (nil: none)
}

// sent is called when the request has been written, or has failed before
// that; calling it again does nothing.
func (p *permit) sent() {
	p.sentOnce.Do(func() {
		p.h.mu.Lock()
		p.h.lastSent = time.Now()
		p.h.mu.Unlock()
		<-p.h.turn
	})
}

func (p *permit) release() {
	p.sent()
	if p.fleet != nil {
		p.fleet()
	}
	<-p.h.slots
}

// acquire waits for a slot on the host and then for its turn.
func (hs *hosts) acquire(ctx context.Context, name string) (*permit, error) {
	h := hs.get(name)
	select {
	case h.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	select {
	case h.turn <- struct{}{}:
	case <-ctx.Done():
		<-h.slots
		return nil, ctx.Err()
	}
	p := &permit{h: h}
	h.mu.Lock()
	wait := max(time.Until(h.notBefore), time.Until(h.lastSent.Add(hs.delay)))
	backoff := time.Until(h.notBefore)
	h.mu.Unlock()
	if wait > 0 {
		if dl, ok := ctx.Deadline(); ok && backoff > 0 && time.Until(dl) < backoff {
			p.release()
			return nil, errHostBackoff{backoff}
		}
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			p.release()
			return nil, ctx.Err()
		}
	}
	if hs.gate != nil {
		release, err := hs.gate.Acquire(ctx, name)
		if err != nil {
			p.release()
			return nil, err
		}
		p.fleet = release
	}
	return p, nil
}

// holdOff makes every request to the host wait until t.
func (hs *hosts) holdOff(name string, t time.Time) {
	h := hs.get(name)
	h.mu.Lock()
	defer h.mu.Unlock()
	if t.After(h.notBefore) {
		h.notBefore = t
	}
}

// errHostBackoff: the host asked us to wait longer than the check may.
type errHostBackoff struct{ wait time.Duration }

func (e errHostBackoff) Error() string {
	return "the server asked to wait " + e.wait.Round(time.Second).String() + " (Retry-After), longer than the check may take"
}
