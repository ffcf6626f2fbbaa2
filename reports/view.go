package reports

import (
	"bytes"
	"html/template"

	"github.com/pubwatch/pubwatch/diff"
	"github.com/pubwatch/pubwatch/snapshot"
)

// What other pages (the archive's) take from the reports: the look, and
// a change drawn as a report draws it.

// CSS is the reports' style sheet.
func CSS() string { return string(css) }

// ChangeHTML draws a change as a report does: its fields' diffs,
// paragraph-aligned with the changed words marked, every text escaped.
func ChangeHTML(c diff.Change) (template.HTML, error) {
	var b bytes.Buffer
	if err := templates.ExecuteTemplate(&b, "change", viewChange(c, "")); err != nil {
		return "", err
	}
	// html/template escaped every text the change holds.
	return template.HTML(b.String()), nil
}

// ChangeJSON is a change in the JSON report schema's form ("changed"
// entries).
func ChangeJSON(c diff.Change, reason string) any { return toJSONChange(c, reason) }

// ItemJSON is an item in the JSON report schema's form ("new" entries).
func ItemJSON(it snapshot.Item) any { return toJSONItem(it) }
