// Package reports renders the outcome of a run as HTML, Markdown and JSON.
//
// One model (Run) feeds every format. Everything that came from a watched
// page is untrusted: it is escaped in every format, and links are kept only
// when they are http or https.
package reports
