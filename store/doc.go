// Package store keeps pubwatch's history in an embedded SQLite database:
// fetched contents (once per distinct hash, zstd-compressed), snapshots,
// every check, the runs, and each source's scheduling state.
//
// The SQL is kept portable (plain types, no SQLite-only syntax beyond
// upserts both SQLite and PostgreSQL accept) so that a PostgreSQL store for
// several workers can implement the same methods.
package store
