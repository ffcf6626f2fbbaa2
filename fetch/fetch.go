package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"strings"
	"time"
)

// DefaultMaxBody is the largest body read from a source.
const DefaultMaxBody = 10 << 20

// Request says what to fetch. Exactly one of URL and File is set.
type Request struct {
	URL       string
	File      string
	UserAgent string
	// Timeout bounds the whole fetch, body included.
	Timeout time.Duration
}

// Response is a successfully fetched body.
type Response struct {
	Body []byte
	// ContentType is the served (or, for files, sniffed) media type with
	// its parameters, e.g. "text/html; charset=windows-1251".
	ContentType string
	// URL is the final URL after redirects; empty for files.
	URL    string
	Status int
}

// Fetcher fetches sources. Its zero value is not usable; call New.
type Fetcher struct {
	client  *http.Client
	maxBody int64
}

// New returns a Fetcher whose HTTP client reuses connections across
// sources and follows at most 10 redirects, to http(s) URLs only.
func New() *Fetcher {
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConnsPerHost = 4
	return &Fetcher{
		client: &http.Client{
			Transport: transport,
			CheckRedirect: func(req *http.Request, via []*http.Request) error {
				if len(via) >= 10 {
					return errors.New("stopped after 10 redirects")
				}
				if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
					return fmt.Errorf("redirect to %s URL refused", req.URL.Scheme)
				}
				return nil
			},
		},
		maxBody: DefaultMaxBody,
	}
}

// Fetch retrieves the request's body, or an error that names what failed.
func (f *Fetcher) Fetch(ctx context.Context, req Request) (*Response, error) {
	if req.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, req.Timeout)
		defer cancel()
	}
	if req.File != "" {
		return f.fetchFile(req.File)
	}
	return f.fetchURL(ctx, req)
}

func (f *Fetcher) fetchFile(path string) (*Response, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	defer fh.Close()
	body, err := readLimited(fh, f.maxBody)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	if len(body) == 0 {
		return nil, fmt.Errorf("reading %s: file is empty", path)
	}
	ct := http.DetectContentType(body)
	if err := checkContentType(ct); err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	return &Response{Body: body, ContentType: ct}, nil
}

func (f *Fetcher) fetchURL(ctx context.Context, req Request) (*Response, error) {
	hreq, err := http.NewRequestWithContext(ctx, http.MethodGet, req.URL, nil)
	if err != nil {
		return nil, fmt.Errorf("fetching %s: %w", req.URL, err)
	}
	if req.UserAgent != "" {
		hreq.Header.Set("User-Agent", req.UserAgent)
	}
	hreq.Header.Set("Accept", "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.5,*/*;q=0.1")
	resp, err := f.client.Do(hreq)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return nil, fmt.Errorf("fetching %s: timed out after %s", req.URL, req.Timeout)
		}
		return nil, fmt.Errorf("fetching %s: %w", req.URL, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, fmt.Errorf("fetching %s: HTTP %s", req.URL, resp.Status)
	}
	body, err := readLimited(resp.Body, f.maxBody)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return nil, fmt.Errorf("fetching %s: timed out after %s reading the body", req.URL, req.Timeout)
		}
		return nil, fmt.Errorf("fetching %s: reading body: %w", req.URL, err)
	}
	if len(body) == 0 {
		return nil, fmt.Errorf("fetching %s: empty body", req.URL)
	}
	ct := resp.Header.Get("Content-Type")
	if ct == "" {
		ct = http.DetectContentType(body)
	}
	if err := checkContentType(ct); err != nil {
		return nil, fmt.Errorf("fetching %s: %w", req.URL, err)
	}
	return &Response{Body: body, ContentType: ct, URL: resp.Request.URL.String(), Status: resp.StatusCode}, nil
}

func readLimited(r io.Reader, max int64) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(body)) > max {
		return nil, fmt.Errorf("body larger than %d bytes", max)
	}
	return body, nil
}

// checkContentType accepts HTML, XHTML and plain text.
func checkContentType(ct string) error {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		mt = strings.ToLower(strings.TrimSpace(strings.Split(ct, ";")[0]))
	}
	switch mt {
	case "text/html", "application/xhtml+xml", "text/plain":
		return nil
	}
	return fmt.Errorf("content type %q is not HTML or text", mt)
}
