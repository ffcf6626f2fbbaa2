package fetch

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// hosts holds the politeness state of every host: at most perHost requests
// in flight, request starts at least delay apart (a token bucket of one),
// and a "not before" time set by a server's Retry-After.
type hosts struct {
	perHost int
	delay   time.Duration

	mu sync.Mutex
	m  map[string]*host
}

type host struct {
	slots     chan struct{}
	limiter   *rate.Limiter
	mu        sync.Mutex
	notBefore time.Time
}

func newHosts(perHost int, delay time.Duration) *hosts {
	return &hosts{perHost: max(perHost, 1), delay: delay, m: map[string]*host{}}
}

func (hs *hosts) get(name string) *host {
	hs.mu.Lock()
	defer hs.mu.Unlock()
	h := hs.m[name]
	if h == nil {
		limit := rate.Inf
		if hs.delay > 0 {
			limit = rate.Every(hs.delay)
		}
		h = &host{slots: make(chan struct{}, hs.perHost), limiter: rate.NewLimiter(limit, 1)}
		hs.m[name] = h
	}
	return h
}

// acquire waits for a slot on the host and for its turn, and returns the
// function that frees the slot.
func (hs *hosts) acquire(ctx context.Context, name string) (release func(), err error) {
	h := hs.get(name)
	select {
	case h.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	release = func() { <-h.slots }
	h.mu.Lock()
	wait := time.Until(h.notBefore)
	h.mu.Unlock()
	if wait > 0 {
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
			release()
			return nil, errHostBackoff{wait}
		}
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			release()
			return nil, ctx.Err()
		}
	}
	if err := h.limiter.Wait(ctx); err != nil {
		release()
		return nil, err
	}
	return release, nil
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
