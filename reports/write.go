package reports

import (
	"bytes"
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
		var buf bytes.Buffer
		if err := Render(&buf, f, r); err != nil {
			return fmt.Errorf("rendering %s report: %w", f, err)
		}
		name := "report." + extension(f)
		if err := writeAtomic(filepath.Join(runDir, name), buf.Bytes()); err != nil {
			return err
		}
		if err := writeAtomic(filepath.Join(dir, "latest."+extension(f)), buf.Bytes()); err != nil {
			return err
		}
	}
	var buf bytes.Buffer
	if err := Index(&buf, index); err != nil {
		return fmt.Errorf("rendering report index: %w", err)
	}
	return writeAtomic(filepath.Join(dir, "index.html"), buf.Bytes())
}

func writeAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
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
