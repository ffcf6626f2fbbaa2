package reports

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/pubwatch/pubwatch/diff"
	"github.com/pubwatch/pubwatch/snapshot"
)

// Markdown writes the run as Markdown: readable as plain text, rendered by
// common forges. Page text is escaped so that it can neither format nor
// inject HTML; deletions show as ~~struck~~ and insertions as **bold**.
func Markdown(w io.Writer, r *Run) error { return Render(w, FormatMarkdown, r) }

type markdownSink struct{ w *bufio.Writer }

func (m markdownSink) begin(r *Run) error {
	fmt.Fprintf(m.w, "# pubwatch report\n\n")
	fmt.Fprintf(m.w, "Run `%s`, %s to %s. %s.\n", r.ID, mdTime(r.StartedAt), mdTime(r.FinishedAt), r.Line())
	if len(r.Attention) > 0 {
		fmt.Fprintf(m.w, "\n## Needs attention\n\n")
		for _, a := range r.Attention {
			fmt.Fprintf(m.w, "- **%s**: %s since %s (%s in a row): %s\n", mdEscape(a.Source), a.State, mdTime(a.Since), plural(a.Checks, "check"), mdEscape(a.Why))
		}
	}
	return nil
}

func (m markdownSink) source(_ int, s *Source) error {
	writeMarkdownSource(m.w, s)
	return nil
}

func (m markdownSink) end() error { return m.w.Flush() }

func mdTime(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05 UTC") }

func writeMarkdownSource(w *bufio.Writer, s *Source) {
	fmt.Fprintf(w, "\n## %s: %s\n\n", mdEscape(s.Name), s.Status)
	for _, n := range s.Notes() {
		fmt.Fprintf(w, "*%s.*\n\n", mdEscape(n))
	}
	loc := mdEscape(s.URL)
	if u := SafeURL(s.URL); u != "" {
		loc = "<" + mdURL(u) + ">"
	}
	if s.Status == StatusSuspect {
		fmt.Fprintf(w, "%s\n\n> **Suspect, not trusted:** %s. Nothing is reported from this check and the baseline stays.\n", loc, mdEscape(s.Reason))
		return
	}
	if s.Status == StatusError {
		fmt.Fprintf(w, "%s\n\n> **Error:** %s\n", loc, mdEscape(s.Error))
		if !s.FailingSince.IsZero() {
			fmt.Fprintf(w, ">\n> Failing since %s%s.\n", mdTime(s.FailingSince), failureCount(s.Failures))
		}
		return
	}
	fmt.Fprintf(w, "%s: %s\n", loc, mdEscape(s.Summary()))
	cs := &s.Changes
	if len(cs.New) > 0 {
		fmt.Fprintf(w, "\n### New\n\n")
		for _, it := range cs.New {
			fmt.Fprintf(w, "- %s%s\n", mdItem(it), mdDate(it.Date))
			if it.Summary != "" {
				fmt.Fprintf(w, "  %s\n", mdEscape(it.Summary))
			}
		}
	}
	if len(cs.Reappeared) > 0 {
		fmt.Fprintf(w, "\n### Reappeared\n\n")
		for _, it := range cs.Reappeared {
			fmt.Fprintf(w, "- %s%s\n", mdItem(it), mdDate(it.Date))
		}
	}
	if len(cs.Changed) > 0 {
		fmt.Fprintf(w, "\n### Changed\n\n")
		for _, c := range cs.Changed {
			fmt.Fprintf(w, "- %s: %s\n", mdItem(c.Item), mdEscape(c.Summary))
			for _, f := range c.Fields {
				writeMarkdownDiff(w, f, c.Diffs[f])
			}
		}
	}
	if len(cs.Moved) > 0 {
		fmt.Fprintf(w, "\n### Moved\n\n")
		for _, m := range cs.Moved {
			fmt.Fprintf(w, "- %s: from place %d to %d\n", mdItem(m.Item), m.From+1, m.To+1)
		}
	}
	if len(cs.Removed) > 0 {
		fmt.Fprintf(w, "\n### Removed\n\n")
		for _, it := range cs.Removed {
			reason := ""
			if r := cs.Reason(it); r != "" {
				reason = ": " + mdEscape(r)
			}
			fmt.Fprintf(w, "- %s%s%s\n", mdItem(it), mdDate(it.Date), reason)
		}
	}
	if len(cs.Suppressed) > 0 {
		fmt.Fprintf(w, "\n<details><summary>Suppressed: %s</summary>\n\n", plural(len(cs.Suppressed), "small change"))
		for _, c := range cs.Suppressed {
			fmt.Fprintf(w, "- %s: %s (%s)\n", mdItem(c.Item), mdEscape(c.Summary), mdEscape(c.Reason))
		}
		fmt.Fprintf(w, "\n</details>\n")
	}
}

func writeMarkdownDiff(w *bufio.Writer, field string, ops []diff.Op) {
	lines := displayLines(ops)
	if len(lines) == 1 && !lines[0].Gap {
		fmt.Fprintf(w, "  - %s: %s\n", field, mdOps(lines[0].Ops))
		return
	}
	fmt.Fprintf(w, "  - %s:\n", field)
	for _, l := range lines {
		if l.Gap {
			fmt.Fprintf(w, "    > …\n    >\n")
			continue
		}
		fmt.Fprintf(w, "    > %s\n    >\n", mdOps(l.Ops))
	}
}

func mdOps(ops []diff.Op) string {
	var sb strings.Builder
	for _, o := range ops {
		text := mdEscape(o.Text)
		if o.Op == diff.OpEqual || strings.TrimSpace(text) == "" {
			if o.Op != diff.OpDelete {
				sb.WriteString(text)
			}
			continue
		}
		// Emphasis must hug its text: keep edge spaces outside the markers.
		core := strings.TrimSpace(text)
		lead := text[:strings.Index(text, core)]
		trail := text[len(lead)+len(core):]
		mark := "**"
		if o.Op == diff.OpDelete {
			mark = "~~"
		}
		sb.WriteString(lead + mark + core + mark + trail)
	}
	return sb.String()
}

func mdItem(it snapshot.Item) string {
	label := mdEscape(itemLabel(it))
	if u := SafeURL(it.URL); u != "" {
		return "[" + label + "](" + mdURL(u) + ")"
	}
	return label
}

func mdDate(d string) string {
	if d == "" {
		return ""
	}
	return " (" + mdEscape(d) + ")"
}

// mdEscape makes page text literal in Markdown: characters that could start
// formatting, links or HTML are backslash-escaped, and line breaks become
// spaces.
func mdEscape(s string) string {
	var sb strings.Builder
	sb.Grow(len(s))
	for _, r := range s {
		switch r {
		case '\\', '`', '*', '_', '[', ']', '<', '>', '~', '|', '#', '!', '{', '}':
			sb.WriteByte('\\')
			sb.WriteRune(r)
		case '\n', '\r':
			sb.WriteByte(' ')
		default:
			sb.WriteRune(r)
		}
	}
	return sb.String()
}

// mdURL escapes the characters that would end a Markdown link destination.
func mdURL(u string) string {
	return strings.NewReplacer("(", "%28", ")", "%29", "<", "%3C", ">", "%3E", " ", "%20").Replace(u)
}
