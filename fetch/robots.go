package fetch

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/temoto/robotstxt"
)

// robotsTTL is how long a host's robots.txt is trusted.
const robotsTTL = 6 * time.Hour

// maxRobotsBody bounds the robots.txt read (Google reads 500 KiB).
const maxRobotsBody = 512 << 10

// robotsToken is the product token matched against User-agent lines.
const robotsToken = "pubwatch"

type robotsEntry struct {
	once sync.Once
	data *robotstxt.RobotsData
	err  error
	// expires is guarded by robots.mu.
	expires time.Time
}

// robots caches each host's robots.txt.
type robots struct {
	mu sync.Mutex
	m  map[string]*robotsEntry
}

// allowed reports whether u may be fetched. Following RFC 9309, a missing
// robots.txt (4xx) allows everything and an unreachable one (5xx, network
// error) disallows everything until it can be read.
func (f *Fetcher) robotsAllowed(ctx context.Context, u *url.URL, userAgent string) error {
	key := u.Scheme + "://" + u.Host
	f.robots.mu.Lock()
	e := f.robots.m[key]
	if e == nil || time.Now().After(e.expires) {
		e = &robotsEntry{expires: time.Now().Add(robotsTTL)}
		f.robots.m[key] = e
	}
	f.robots.mu.Unlock()
	e.once.Do(func() {
		e.data, e.err = f.fetchRobots(ctx, key+"/robots.txt", u.Host, userAgent)
		if e.err != nil {
			// Retry soon rather than trust a failure for hours.
			f.robots.mu.Lock()
			e.expires = time.Now().Add(time.Minute)
			f.robots.mu.Unlock()
		}
	})
	if e.err != nil {
		return fmt.Errorf("robots.txt of %s could not be read (%v), so fetching is not allowed; set robots: false on the source to skip the check", u.Host, e.err)
	}
	path := u.EscapedPath()
	if u.RawQuery != "" {
		path += "?" + u.RawQuery
	}
	if !e.data.TestAgent(path, robotsToken) {
		return fmt.Errorf("disallowed by %s/robots.txt for user agent %q; set robots: false on the source to override", key, robotsToken)
	}
	return nil
}

func (f *Fetcher) fetchRobots(ctx context.Context, robotsURL, hostKey, userAgent string) (*robotstxt.RobotsData, error) {
	permit, err := f.hosts.acquire(ctx, hostKey)
	if err != nil {
		return nil, err
	}
	defer permit.release()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, robotsURL, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", userAgent)
	resp, err := f.client.Do(req)
	permit.sent()
	if err != nil {
		return nil, unwrapURLError(err)
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode >= 500:
		return nil, fmt.Errorf("HTTP %s", resp.Status)
	case resp.StatusCode >= 400:
		return robotstxt.FromStatusAndBytes(404, nil)
	}
	// RFC 9309: at least 500 KiB must be parsed; the rest may be ignored.
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxRobotsBody))
	if err != nil {
		return nil, err
	}
	return robotstxt.FromStatusAndBytes(resp.StatusCode, body)
}
