package fetch

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"mime"
	"strings"
	"sync"

	"github.com/andybalholm/brotli"
)

// errTooLarge is wrapped by errors for bodies over the size limit.
var errTooLarge = errors.New("body too large")

// decodedBody undoes the Content-Encoding of a response body. The size
// limit applies to what comes out, so a small compressed bomb cannot
// expand past it.
func decodedBody(body io.Reader, encoding string) (io.Reader, error) {
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "", "identity":
		return body, nil
	case "gzip", "x-gzip":
		return gzip.NewReader(body)
	case "deflate":
		// "deflate" is zlib-wrapped by the standard, raw on some servers.
		return newDeflateReader(body)
	case "br":
		return brotli.NewReader(body), nil
	}
	return nil, fmt.Errorf("unsupported Content-Encoding %q", encoding)
}

func newDeflateReader(r io.Reader) (io.Reader, error) {
	br := bufio.NewReader(r)
	head, err := br.Peek(2)
	if err == nil && head[0]&0x0f == 8 && (uint16(head[0])<<8|uint16(head[1]))%31 == 0 {
		return zlib.NewReader(br)
	}
	return flate.NewReader(br), nil
}

// readLimited reads at most max bytes and fails if there are more.
func readLimited(r io.Reader, max int64) ([]byte, error) {
	buf := bodyBuffers.Get().(*bytes.Buffer)
	defer func() {
		if buf.Cap() <= maxPooledBuffer {
			bodyBuffers.Put(buf)
		}
	}()
	buf.Reset()
	if _, err := buf.ReadFrom(io.LimitReader(r, max+1)); err != nil {
		return nil, err
	}
	if int64(buf.Len()) > max {
		return nil, fmt.Errorf("%w: more than %s", errTooLarge, formatBytes(max))
	}
	return append([]byte{}, buf.Bytes()...), nil
}

// Bodies are read into pooled buffers and copied out at their exact size:
// reading straight into a growing slice allocated about three times each
// page's size.
var bodyBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

const maxPooledBuffer = 4 << 20

func formatBytes(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// Accepted media types.
var acceptedTypes = map[string]bool{
	"text/html": true, "application/xhtml+xml": true, "text/plain": true,
	"application/rss+xml": true, "application/atom+xml": true, "application/rdf+xml": true,
	"application/xml": true, "text/xml": true,
	"application/feed+json": true, "application/json": true,
}

// checkContentType accepts HTML, XHTML, XML and JSON feeds and plain text.
func checkContentType(ct string) error {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		mt = strings.ToLower(strings.TrimSpace(strings.Split(ct, ";")[0]))
	}
	if acceptedTypes[mt] {
		return nil
	}
	return fmt.Errorf("content type %q is not HTML, a feed or text", mt)
}
