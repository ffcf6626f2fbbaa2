package reports

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Format names, as in the reports.formats setting.
const (
	FormatHTML     = "html"
	FormatMarkdown = "markdown"
	FormatJSON     = "json"
)

// Render writes the run in one format.
func Render(w io.Writer, format string, r *Run) error {
	sk, err := newSink(w, format)
	if err != nil {
		return err
	}
	return render(r, []sink{sk})
}

// A sink writes a run in one format, a source at a time: the formats of
// one run are written side by side, in one pass over its sources, each
// source unpacked once (Pack) for all of them.
type sink interface {
	begin(r *Run) error
	source(i int, s *Source) error
	end() error
}

func newSink(w io.Writer, format string) (sink, error) {
	switch format {
	case FormatHTML:
		return htmlSink{w}, nil
	case FormatMarkdown:
		return markdownSink{bufio.NewWriter(w)}, nil
	case FormatJSON:
		return &jsonSink{w: bufio.NewWriter(w)}, nil
	}
	return nil, fmt.Errorf("unknown report format %q", format)
}

// render writes r into every sink, unpacking each source once.
func render(r *Run, sinks []sink) error {
	for _, sk := range sinks {
		if err := sk.begin(r); err != nil {
			return err
		}
	}
	for i := range r.Sources {
		s, err := r.Sources[i].Unpacked()
		if err != nil {
			return err
		}
		for _, sk := range sinks {
			if err := sk.source(i, &s); err != nil {
				return err
			}
		}
	}
	for _, sk := range sinks {
		if err := sk.end(); err != nil {
			return err
		}
	}
	return nil
}

func extension(format string) string {
	if format == FormatMarkdown {
		return "md"
	}
	return format
}

// Write renders the run into dir: <dir>/<run folder>/report.<ext> for each
// format, then latest.<ext>, then index.html from the given runs. Every
// file is written to a temporary name and renamed, so a reader (or a
// killed process) never leaves a half-written report.
func Write(dir string, r *Run, formats []string, index []IndexEntry) error {
	runDir := filepath.Join(dir, r.DirName())
	if err := os.MkdirAll(runDir, 0o755); err != nil {
		return fmt.Errorf("writing reports: %w", err)
	}
	// Rendered straight into the files, all formats in one pass: a large
	// run's report is never held in memory as a whole, and each source is
	// unpacked once.
	files := make([]*atomicFile, len(formats))
	sinks := make([]sink, len(formats))
	defer func() {
		for _, f := range files {
			f.abort() // after commit, nothing to do
		}
	}()
	for i, f := range formats {
		af, err := createAtomic(filepath.Join(runDir, "report."+extension(f)))
		if err != nil {
			return err
		}
		files[i] = af
		if sinks[i], err = newSink(af.w, f); err != nil {
			return err
		}
	}
	if err := render(r, sinks); err != nil {
		return fmt.Errorf("rendering reports: %w", err)
	}
	for i, f := range formats {
		if err := files[i].commit(); err != nil {
			return err
		}
		if err := copyAtomic(files[i].path, filepath.Join(dir, "latest."+extension(f))); err != nil {
			return err
		}
	}
	return writeAtomic(filepath.Join(dir, "index.html"), func(w io.Writer) error {
		if err := Index(w, index); err != nil {
			return fmt.Errorf("rendering report index: %w", err)
		}
		return nil
	})
}

// copyAtomic copies the file at from to path, atomically.
func copyAtomic(from, path string) error {
	return writeAtomic(path, func(w io.Writer) error {
		f, err := os.Open(from)
		if err != nil {
			return err
		}
		defer f.Close()
		_, err = io.Copy(w, f)
		return err
	})
}

// writeAtomic writes path through a temporary file beside it, renamed
// into place once complete: a reader never sees half a report.
func writeAtomic(path string, write func(io.Writer) error) error {
	af, err := createAtomic(path)
	if err != nil {
		return err
	}
	defer af.abort()
	if err := write(af.w); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return af.commit()
}

// atomicFile is a file being written under a temporary name beside path;
// commit renames it into place, abort (or a failed commit) removes it.
type atomicFile struct {
	path string
	tmp  *os.File
	w    *bufio.Writer
	done bool
}

func createAtomic(path string) (*atomicFile, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return nil, fmt.Errorf("writing %s: %w", path, err)
	}
	return &atomicFile{path: path, tmp: tmp, w: bufio.NewWriterSize(tmp, 64<<10)}, nil
}

func (f *atomicFile) commit() error {
	if f.done {
		return fmt.Errorf("writing %s: committed twice", f.path)
	}
	f.done = true
	err := f.w.Flush()
	if cerr := f.tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(f.tmp.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(f.tmp.Name(), f.path)
	}
	if err != nil {
		os.Remove(f.tmp.Name())
		return fmt.Errorf("writing %s: %w", f.path, err)
	}
	return nil
}

// abort removes a file not committed; on a nil or committed one it does
// nothing.
func (f *atomicFile) abort() {
	if f == nil || f.done {
		return
	}
	f.done = true
	f.tmp.Close()
	os.Remove(f.tmp.Name())
}
