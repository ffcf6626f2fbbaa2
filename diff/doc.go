// Package diff compares two snapshots of a source and produces the change
// set every report format renders: new, changed and removed items, with a
// word-level diff for each changed field.
//
// Text diffs use github.com/sergi/go-diff without a timeout: lines are
// aligned first, then changed paragraphs are diffed word by word, so a
// one-word edit in a long article shows as that word.
package diff
