package fetch

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/cenkalti/backoff/v5"
)

// Defaults for Options.
const (
	DefaultMaxBody      = 10 << 20
	DefaultMaxRedirects = 10
	DefaultPerHost      = 2
	DefaultHostDelay    = time.Second
	DefaultRetries      = 2
)

// Options configure a Fetcher. Zero values take the defaults above, except
// HostDelay, where a negative value means no delay.
type Options struct {
	// MaxBody is the largest body accepted, after decompression.
	MaxBody int64
	// MaxRedirects bounds the redirects followed.
	MaxRedirects int
	// PerHost is how many requests may be in flight to one host.
	PerHost int
	// HostDelay is the least time between two requests to one host.
	HostDelay time.Duration
	// Retries is how many times a transient failure is retried.
	Retries int
	// RequestTimeout bounds each attempt; the request's Timeout bounds them
	// all. Zero: each attempt may use all the time left.
	RequestTimeout time.Duration
	// DenyPrivateNetworks refuses loopback, private and link-local targets.
	DenyPrivateNetworks bool
	// Gate, if set, shares PerHost and HostDelay with other processes:
	// each request waits for its own limits and then for the gate's.
	Gate Gate
}

// Gate holds hosts' limits for several processes (workers sharing a
// store): Acquire returns when a request to host may be sent, with the
// function that frees its place when it is done.
type Gate interface {
	Acquire(ctx context.Context, host string) (release func(), err error)
}

func (o *Options) setDefaults() {
	if o.MaxBody <= 0 {
		o.MaxBody = DefaultMaxBody
	}
	if o.MaxRedirects <= 0 {
		o.MaxRedirects = DefaultMaxRedirects
	}
	if o.PerHost <= 0 {
		o.PerHost = DefaultPerHost
	}
	switch {
	case o.HostDelay == 0:
		o.HostDelay = DefaultHostDelay
	case o.HostDelay < 0:
		o.HostDelay = 0
	}
	if o.Retries < 0 {
		o.Retries = 0
	}
}

// Request says what to fetch. Exactly one of URL and File is set.
type Request struct {
	// URL is what is requested, with secrets expanded; DisplayURL is the
	// same URL as configured, safe to show.
	URL        string
	DisplayURL string
	File       string
	UserAgent  string
	Headers    map[string]string
	Cookies    map[string]string
	// Timeout bounds the whole fetch: robots.txt, retries and body.
	Timeout time.Duration
	// ETag and LastModified are the validators the server sent with the
	// content we hold; with them a 304 costs no body.
	ETag         string
	LastModified string
	// IgnoreRobots skips the robots.txt check.
	IgnoreRobots bool
	// Secrets are values that must not appear in any error message.
	Secrets []string
}

// Response is a successfully fetched body, or a 304.
type Response struct {
	Body []byte
	// NotModified is set when the server answered 304 to a conditional
	// request: Body is empty and the held content is current.
	NotModified bool
	// ContentType is the served (or sniffed) media type with parameters.
	ContentType string
	// URL is the final URL after redirects; empty for files.
	URL string
	// Redirects lists the URLs redirected through, in order.
	Redirects    []string
	Status       int
	ETag         string
	LastModified string
	Attempts     int
}

// Fetcher fetches sources politely. It is safe for concurrent use and is
// meant to be shared by all the checks of a process.
type Fetcher struct {
	opts   Options
	client *http.Client
	hosts  *hosts
	robots robots
}

type redirectsKey struct{}

// New returns a Fetcher with its own connection pool.
func New(opts Options) *Fetcher {
	opts.setDefaults()
	dialer := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}
	if opts.DenyPrivateNetworks {
		dialer.Control = denyPrivate
	}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.DialContext = dialer.DialContext
	transport.MaxIdleConnsPerHost = opts.PerHost
	transport.MaxConnsPerHost = opts.PerHost + 1 // robots.txt may share the host
	// We ask for and decode gzip, deflate and br ourselves, so that the
	// size limit applies after decompression.
	transport.DisableCompression = true
	transport.ResponseHeaderTimeout = 0
	if opts.DenyPrivateNetworks {
		// A proxy would dial on our behalf, past the check.
		transport.Proxy = nil
	}
	f := &Fetcher{opts: opts, hosts: newHosts(opts.PerHost, opts.HostDelay, opts.Gate), robots: robots{m: map[string]*robotsEntry{}}}
	f.client = &http.Client{
		Transport: transport,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > opts.MaxRedirects {
				return &policyError{fmt.Sprintf("stopped after %d redirects", opts.MaxRedirects)}
			}
			if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
				return &policyError{fmt.Sprintf("redirect to a %s: URL refused", req.URL.Scheme)}
			}
			if rec, ok := req.Context().Value(redirectsKey{}).(*[]string); ok {
				*rec = append(*rec, req.URL.String())
			}
			return nil
		},
	}
	return f
}

// Fetch retrieves the request's body. Its error is an *Error naming the
// display URL.
func (f *Fetcher) Fetch(ctx context.Context, req Request) (*Response, error) {
	if req.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, req.Timeout)
		defer cancel()
	}
	if req.File != "" {
		return f.fetchFile(req.File)
	}
	if req.DisplayURL == "" {
		req.DisplayURL = req.URL
	}
	red := redactor(req.Secrets)
	resp, err := f.fetchURL(ctx, req)
	if err != nil {
		fe, ok := AsError(err)
		if !ok {
			fe = &Error{Err: err}
		}
		fe.URL = req.DisplayURL
		if errors.Is(fe.Err, context.DeadlineExceeded) {
			fe.Err = fmt.Errorf("timed out after %s", req.Timeout)
		}
		fe.Err = red.Error(fe.Err)
		return nil, fe
	}
	return resp, nil
}

func (f *Fetcher) fetchFile(path string) (*Response, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	defer fh.Close()
	body, err := readLimited(fh, f.opts.MaxBody)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	if len(body) == 0 {
		return nil, fmt.Errorf("reading %s: file is empty", path)
	}
	ct := sniff(body)
	if err := checkContentType(ct); err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	return &Response{Body: body, ContentType: ct}, nil
}

func (f *Fetcher) fetchURL(ctx context.Context, req Request) (*Response, error) {
	u, err := url.Parse(req.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, &Error{Err: errors.New("not an http or https URL")}
	}
	if !req.IgnoreRobots {
		if err := f.robotsAllowed(ctx, u, req.UserAgent); err != nil {
			return nil, &Error{Err: err}
		}
	}
	attempts := 0
	op := func() (*Response, error) {
		attempts++
		resp, err := f.attempt(ctx, u, req)
		if err == nil {
			resp.Attempts = attempts
			return resp, nil
		}
		fe, _ := AsError(err)
		fe.Attempts = attempts
		switch {
		case fe.RetryAfter > 0:
			return nil, &retryAfter{fe}
		case fe.Temporary && ctx.Err() == nil:
			return nil, fe
		}
		return nil, backoff.Permanent(fe)
	}
	b := backoff.NewExponentialBackOff()
	b.InitialInterval = 500 * time.Millisecond
	b.MaxInterval = 10 * time.Second
	opts := []backoff.RetryOption{backoff.WithBackOff(b), backoff.WithMaxTries(uint(f.opts.Retries + 1))}
	if dl, ok := ctx.Deadline(); ok {
		opts = append(opts, backoff.WithMaxElapsedTime(time.Until(dl)))
	}
	resp, err := backoff.Retry(ctx, op, opts...)
	if err != nil {
		var ra *retryAfter
		if errors.As(err, &ra) {
			return nil, ra.err
		}
		if fe, ok := AsError(err); ok {
			return nil, fe
		}
		return nil, &Error{Err: err, Attempts: attempts}
	}
	return resp, nil
}

// retryAfter carries a server's Retry-After into the back-off loop, which
// then waits exactly that long.
type retryAfter struct{ err *Error }

func (r *retryAfter) Error() string { return r.err.Error() }

func (r *retryAfter) Unwrap() []error {
	return []error{r.err, &backoff.RetryAfterError{Duration: r.err.RetryAfter}}
}

// attempt makes one request. Its errors are *Error.
func (f *Fetcher) attempt(ctx context.Context, u *url.URL, req Request) (*Response, error) {
	if f.opts.RequestTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, f.opts.RequestTimeout)
		defer cancel()
	}
	permit, err := f.hosts.acquire(ctx, u.Host)
	if err != nil {
		var hb errHostBackoff
		if errors.As(err, &hb) {
			return nil, &Error{Err: err, RetryAfter: hb.wait}
		}
		return nil, &Error{Err: err}
	}
	defer permit.release()

	var redirects []string
	ctx = context.WithValue(ctx, redirectsKey{}, &redirects)
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		WroteRequest: func(httptrace.WroteRequestInfo) { permit.sent() },
	})
	hreq, err := http.NewRequestWithContext(ctx, http.MethodGet, req.URL, nil)
	if err != nil {
		return nil, &Error{Err: err}
	}
	hreq.Header.Set("User-Agent", req.UserAgent)
	hreq.Header.Set("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,application/rss+xml;q=0.9,application/atom+xml;q=0.9,application/feed+json;q=0.9,text/plain;q=0.5,*/*;q=0.1")
	hreq.Header.Set("Accept-Encoding", "gzip, deflate, br")
	for k, v := range req.Headers {
		hreq.Header.Set(k, v)
	}
	for k, v := range req.Cookies {
		hreq.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	if req.ETag != "" {
		hreq.Header.Set("If-None-Match", req.ETag)
	}
	if req.LastModified != "" {
		hreq.Header.Set("If-Modified-Since", req.LastModified)
	}
	resp, err := f.client.Do(hreq)
	permit.sent()
	if err != nil {
		err = unwrapURLError(err)
		return nil, &Error{Err: err, Temporary: temporaryNetError(err)}
	}
	defer resp.Body.Close()

	out := &Response{URL: resp.Request.URL.String(), Redirects: redirects, Status: resp.StatusCode,
		ETag: resp.Header.Get("ETag"), LastModified: resp.Header.Get("Last-Modified")}
	switch {
	case resp.StatusCode == http.StatusNotModified && (req.ETag != "" || req.LastModified != ""):
		out.NotModified = true
		return out, nil
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable:
		fe := &Error{Status: resp.StatusCode, Err: fmt.Errorf("HTTP %s", resp.Status), Temporary: true}
		if d, ok := parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
			fe.RetryAfter = d
			fe.Err = fmt.Errorf("HTTP %s, retry after %s", resp.Status, d.Round(time.Second))
			f.hosts.holdOff(u.Host, time.Now().Add(d))
		}
		return nil, fe
	case resp.StatusCode >= 500:
		return nil, &Error{Status: resp.StatusCode, Err: fmt.Errorf("HTTP %s", resp.Status), Temporary: true}
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		return nil, &Error{Status: resp.StatusCode, Err: fmt.Errorf("HTTP %s", resp.Status)}
	}

	body, err := decodedBody(resp.Body, resp.Header.Get("Content-Encoding"))
	if err != nil {
		return nil, &Error{Status: resp.StatusCode, Err: err}
	}
	data, err := readLimited(body, f.opts.MaxBody)
	if err != nil {
		if errors.Is(err, errTooLarge) {
			return nil, &Error{Status: resp.StatusCode, Err: err}
		}
		err = unwrapURLError(err)
		return nil, &Error{Status: resp.StatusCode, Err: fmt.Errorf("reading body: %w", err), Temporary: ctx.Err() == nil}
	}
	if len(data) == 0 {
		return nil, &Error{Status: resp.StatusCode, Err: errors.New("empty body")}
	}
	ct := resp.Header.Get("Content-Type")
	if ct == "" {
		ct = sniff(data)
	}
	if err := checkContentType(ct); err != nil {
		return nil, &Error{Status: resp.StatusCode, Err: err}
	}
	out.Body, out.ContentType = data, ct
	return out, nil
}

// sniff guesses a body's media type, recognising feeds as well as HTML.
func sniff(body []byte) string {
	ct := http.DetectContentType(body)
	if strings.HasPrefix(ct, "text/xml") || strings.HasPrefix(ct, "text/plain") {
		head := strings.ToLower(string(body[:min(len(body), 1024)]))
		switch {
		case strings.Contains(head, "<rss") || strings.Contains(head, "<rdf:rdf"):
			return "application/rss+xml"
		case strings.Contains(head, "<feed"):
			return "application/atom+xml"
		case strings.Contains(head, "jsonfeed.org"):
			return "application/feed+json"
		}
	}
	return ct
}

// unwrapURLError drops net/http's "Get \"URL\":" prefix, which would
// repeat the URL with its secrets.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// temporaryNetError tells network errors worth retrying from those that
// will not go away by themselves: certificate and TLS failures, refused
// private addresses, bad redirects, unknown hosts.
func temporaryNetError(err error) bool {
	var (
		dnsErr     *net.DNSError
		verifyErr  *tls.CertificateVerificationError
		unknownCA  x509.UnknownAuthorityError
		hostErr    x509.HostnameError
		invalidErr x509.CertificateInvalidError
		recordErr  tls.RecordHeaderError
		policyErr  *policyError
	)
	switch {
	case errors.Is(err, context.Canceled):
		return false
	case errors.As(err, &dnsErr):
		return dnsErr.IsTemporary || dnsErr.IsTimeout
	case errors.As(err, &verifyErr), errors.As(err, &unknownCA), errors.As(err, &hostErr),
		errors.As(err, &invalidErr), errors.As(err, &recordErr), errors.As(err, &policyErr):
		return false
	}
	return true
}

// policyError is a request pubwatch refused to make: a redirect it does
// not follow, or a private address.
type policyError struct{ msg string }

func (e *policyError) Error() string { return e.msg }

// parseRetryAfter reads a Retry-After header: seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return time.Duration(n) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}
