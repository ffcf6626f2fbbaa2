// Package store keeps pubwatch's history in an embedded SQLite database or
// in PostgreSQL: fetched contents (once per distinct hash, compressed),
// snapshots, every check with its events, the runs, the notification
// outbox, and each source's scheduling state.
//
// Both run the same SQL (plain types, upserts both accept, ? placeholders
// rebound for PostgreSQL in postgres.go); workers sharing a PostgreSQL
// store divide the sources, the hosts' limits and the reporting through it
// (lease.go).
package store
