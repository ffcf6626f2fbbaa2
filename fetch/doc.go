// Package fetch retrieves a source's bytes: over HTTP(S) for url sources and
// from disk for file sources. It enforces the per-check timeout, a maximum
// body size and the accepted content types, and turns HTTP failures into
// errors that name the URL and the status.
package fetch
