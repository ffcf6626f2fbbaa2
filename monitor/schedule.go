package monitor

import (
	"hash/fnv"
	"math/rand/v2"
	"time"

	"github.com/pubwatch/pubwatch/config"
)

// Scheduling bounds.
const (
	// maxJitter bounds the random delay added to each next check, so that
	// sources checked together drift apart.
	maxJitter = 5 * time.Minute
	// maxBackoffFactor bounds how much less often a failing source is
	// checked: its interval doubles per failure up to this factor.
	maxBackoffFactor = 8
	// maxBackoff caps the interval of a failing source, unless its own
	// interval is longer.
	maxBackoff = 24 * time.Hour
)

// nextCheck is when a source checked at now is due again: its interval or
// schedule, stretched while it keeps failing, never before the server's
// Retry-After, plus a little jitter.
func nextCheck(src *config.Source, now time.Time, failures int, retryAfter time.Duration) time.Time {
	interval := src.Next(now).Sub(now)
	delay := interval
	if failures > 1 {
		factor := time.Duration(1) << min(failures-1, 3)
		delay = min(interval*min(factor, maxBackoffFactor), max(interval, maxBackoff))
	}
	delay = max(delay, retryAfter)
	if j := min(interval/10, maxJitter); j > 0 {
		delay += rand.N(j)
	}
	return now.Add(delay)
}

// firstDue spreads the first checks of newly configured sources over the
// first minutes (by a hash of the name, so it is stable), instead of
// firing them all at start-up.
func firstDue(src *config.Source, now time.Time) time.Time {
	window := min(src.Next(now).Sub(now), maxJitter)
	if window <= 0 {
		return now
	}
	h := fnv.New64a()
	h.Write([]byte(src.Name))
	return now.Add(time.Duration(h.Sum64() % uint64(window)))
}
