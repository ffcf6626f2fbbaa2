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
	switch format {
	case FormatHTML:
		return HTML(w, r)
	case FormatMarkdown:
		return Markdown(w, r)
	case FormatJSON:
		return JSON(w, r)
	}
	return fmt.Errorf("unknown report format %q", format)
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
	for _, f := range formats {
		// Rendered straight into the file: a large run's report is never
		// held in memory as a whole.
		name := filepath.Join(runDir, "report."+extension(f))
		err := writeAtomic(name, func(w io.Writer) error {
			if err := Render(w, f, r); err != nil {
				return fmt.Errorf("rendering %s report: %w", f, err)
			}
			return nil
		})
		if err != nil {
			return err
		}
		if err := copyAtomic(name, filepath.Join(dir, "latest."+extension(f))); err != nil {
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
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	bw := bufio.NewWriterSize(tmp, 64<<10)
	if err := write(bw); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := bw.Flush(); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
