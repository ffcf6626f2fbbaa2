// Package snapshot turns a fetched page into the items pubwatch tracks.
//
// It parses HTML with goquery and extracts listing items (title, link, date,
// summary), an article (title, date, body) or the text of a whole page,
// according to compiled Rules. Snapshots are plain values: this package
// never fetches, stores or renders.
package snapshot
