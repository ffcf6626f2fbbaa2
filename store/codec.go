package store

import (
	"bytes"
	"fmt"
	"io"
	"sync"

	"github.com/klauspost/compress/s2"
)

// Contents are stored as S2 streams (github.com/klauspost/compress/s2) by
// default: on this project's pages about four times as fast as zstd's
// fastest level, for three quarters of its ratio (a 48 KB page: 3.8:1
// against 5.0:1), and each block carries a CRC-32C of its data.
// Compression sits on the hot path of every changed check. A store can ask
// for zstd instead (Options.Compression), for archives where space counts
// more than time; both kinds are always read, told apart by their magic.
var (
	s2Magic   = []byte("\xff\x06\x00\x00S2sTwO")
	zstdMagic = []byte{0x28, 0xb5, 0x2f, 0xfd}
)

// compress returns b as an S2 stream, allocating only the result.
func compress(b []byte) []byte {
	var w *s2.Writer
	select {
	case w = <-s2Writers:
	default:
		w = s2.NewWriter(nil, s2.WriterConcurrency(1))
	}
	var out []byte
	withScratch(func(scratch []byte) []byte {
		buf := bytes.NewBuffer(scratch)
		w.Reset(buf)
		// EncodeBuffer does not copy b; Close flushes before b is released.
		err := w.EncodeBuffer(b)
		if err == nil {
			err = w.Close()
		}
		if err != nil {
			// Writing to a bytes.Buffer does not fail.
			panic(fmt.Sprintf("compressing content: %v", err))
		}
		out = bytes.Clone(buf.Bytes())
		return buf.Bytes()
	})
	w.Reset(nil)
	select {
	case s2Writers <- w:
	default:
	}
	return out
}

// s2Writers and s2Readers are kept across garbage collections (a
// sync.Pool would drop them, and their buffers are worth keeping).
var (
	s2Writers = make(chan *s2.Writer, 32)
	s2Readers = make(chan *s2.Reader, 32)
)

// compressZstd returns b as a zstd frame, allocating only the result.
func (s *Store) compressZstd(b []byte) []byte {
	var out []byte
	withScratch(func(scratch []byte) []byte {
		scratch = s.enc.EncodeAll(b, scratch)
		out = bytes.Clone(scratch)
		return scratch
	})
	return out
}

// withScratch lends f an empty byte slice from a pool and takes back what
// f grew it to: what is encoded on every changed check (contents, items) is
// built in reused memory and only its result is allocated.
func withScratch(f func(scratch []byte) []byte) {
	p := scratchPool.Get().(*[]byte)
	if b := f((*p)[:0]); cap(b) <= maxPooledBuffer {
		*p = b
		scratchPool.Put(p)
	}
}

var scratchPool = sync.Pool{New: func() any { return new([]byte) }}

const maxPooledBuffer = 4 << 20

// decompress reads a stored content, S2 or (from older stores) zstd.
func (s *Store) decompress(data []byte) ([]byte, error) {
	switch {
	case bytes.HasPrefix(data, s2Magic):
		var r *s2.Reader
		select {
		case r = <-s2Readers:
			r.Reset(bytes.NewReader(data))
		default:
			// A new reader allocates its block buffers: made anew for
			// every changed check's baseline, they cost a tenth of the run.
			r = s2.NewReader(bytes.NewReader(data))
		}
		out, err := io.ReadAll(r)
		r.Reset(nil)
		select {
		case s2Readers <- r:
		default:
		}
		return out, err
	case bytes.HasPrefix(data, zstdMagic):
		return s.dec.DecodeAll(data, nil)
	}
	return nil, fmt.Errorf("unknown content encoding")
}
