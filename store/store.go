package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/gofrs/flock"
	"github.com/klauspost/compress/zstd"
	"golang.org/x/sync/semaphore"
	_ "modernc.org/sqlite" // registers the pure-Go "sqlite" driver

	"github.com/pubwatch/pubwatch/snapshot"
)

// Check statuses, as recorded and reported.
const (
	StatusFirst     = "first"
	StatusUnchanged = "unchanged"
	StatusChanged   = "changed"
	StatusError     = "error"
	// StatusSuspect is a check that succeeded but looks broken: its
	// snapshot is kept but never becomes the baseline.
	StatusSuspect = "suspect"
)

// ErrLocked is returned by Open when another process holds the store for
// writing.
var ErrLocked = errors.New("store is in use by another pubwatch process")

// ErrNotFound is returned when a snapshot or store does not exist.
var ErrNotFound = errors.New("not found")

// Options control how a store is opened.
type Options struct {
	// Writer takes the store's writer lock: a second writer (an overlapping
	// cron run, or check beside a running daemon) gets ErrLocked.
	Writer bool
	// MustExist refuses to create a new store (for read-only commands).
	MustExist bool
	// Compression of new contents: "s2" (the default) or "zstd". Either
	// kind is read whatever this says.
	Compression string
	// Lease is how long a worker's claim on a delivery holds in a store
	// workers share (default 5 minutes): a delivery claimed by a worker
	// that died is sent by another after it.
	Lease time.Duration
}

// Store is the history store, in SQLite or PostgreSQL. It is safe for
// concurrent use.
type Store struct {
	pg bool // PostgreSQL, not SQLite
	// The leading worker's session (lease.go): a connection of its own.
	leadDB   *sql.DB
	leadMu   sync.Mutex
	leadConn *sql.Conn

	lease time.Duration // a delivery claim's (Options.Lease)

	// location is where the store is, fit to show: a file's path, or a
	// URL without its password.
	location string
	db       *sql.DB // the writer's single connection
	rdb      *sql.DB // connections that only read
	lock     *flock.Flock
	dec      *zstd.Decoder
	enc      *zstd.Encoder // with Compression "zstd"

	// The statements of the hot path, prepared once (statements.go).
	prepared map[string]*sql.Stmt

	// The writer goroutine and its queue (writer.go).
	writerOnce sync.Once
	jobs       chan *job
	writerDone chan struct{}
	pending    sync.WaitGroup // RecordAsync's checks not yet committed
	queued     *semaphore.Weighted
	closeMu    sync.RWMutex
	closed     bool
}

// readers is how many reading connections a store keeps.
const readers = 4

// Open opens (creating if needed) the store at location: a file path for
// SQLite, or a postgres:// URL for PostgreSQL (postgres.go).
func Open(ctx context.Context, location string, opts Options) (*Store, error) {
	s := &Store{location: location, lease: opts.Lease}
	if s.lease <= 0 {
		s.lease = 5 * time.Minute
	}
	var err error
	if IsURL(location) {
		s.location = Redact(location)
		err = s.openPostgres(ctx, location, opts)
		location = s.location
	} else {
		err = s.openSQLite(ctx, location, opts)
	}
	if err == nil {
		err = s.prepare(ctx)
	}
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("opening store %s: %w", location, err)
	}
	s.dec, _ = zstd.NewReader(nil, zstd.WithDecoderConcurrency(1))
	switch opts.Compression {
	case "", "s2":
	case "zstd":
		s.enc, _ = zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedDefault))
	default:
		s.Close()
		return nil, fmt.Errorf("opening store %s: unknown compression %q", location, opts.Compression)
	}
	return s, nil
}

func (s *Store) openSQLite(ctx context.Context, path string, opts Options) error {
	if opts.MustExist {
		if _, err := os.Stat(path); err != nil {
			return fmt.Errorf("%w (run 'pubwatch check' first)", ErrNotFound)
		}
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	if opts.Writer {
		s.lock = flock.New(path + ".lock")
		ok, err := s.lock.TryLock()
		if err != nil {
			return fmt.Errorf("locking: %w", err)
		}
		if !ok {
			s.lock = nil
			return fmt.Errorf("%w: another 'pubwatch check' or 'pubwatch run' is writing to it; try again when it has finished", ErrLocked)
		}
	}
	q := url.Values{}
	for _, p := range []string{"busy_timeout(10000)", "journal_mode(WAL)", "synchronous(NORMAL)", "foreign_keys(1)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return err
	}
	// One connection: SQLite has one writer anyway, and this keeps every
	// write a short transaction in a single queue.
	db.SetMaxOpenConns(1)
	s.db = db
	if err := s.migrate(ctx); err != nil {
		return err
	}
	if opts.Writer {
		if _, err := db.ExecContext(ctx, `UPDATE sources SET lease_until = 0 WHERE lease_until > 0`); err != nil {
			return err
		}
	}
	// Readers have connections of their own: in WAL mode they read the
	// last commit while the writer works, instead of queueing behind it
	// on its one connection.
	rq := url.Values{}
	for _, p := range []string{"busy_timeout(10000)", "query_only(1)", "cache_size(-256)"} {
		rq.Add("_pragma", p)
	}
	if s.rdb, err = sql.Open("sqlite", "file:"+path+"?"+rq.Encode()); err != nil {
		return err
	}
	s.rdb.SetMaxOpenConns(readers)
	s.rdb.SetMaxIdleConns(readers)
	return nil
}

// Location is where the store is: a SQLite file's path, or a PostgreSQL
// URL without its password.
func (s *Store) Location() string { return s.location }

// Size is how many bytes the store takes: its files, or its database.
func (s *Store) Size(ctx context.Context) (int64, error) {
	if s.pg {
		var n int64
		err := s.rdb.QueryRowContext(ctx, `SELECT pg_database_size(current_database())`).Scan(&n)
		return n, err
	}
	var n int64
	files, _ := filepath.Glob(s.location + "*")
	for _, f := range files {
		if fi, err := os.Stat(f); err == nil && filepath.Ext(f) != ".lock" {
			n += fi.Size()
		}
	}
	return n, nil
}

// Close closes the database and releases the writer lock.
func (s *Store) Close() error {
	s.stopWriter()
	var err error
	if s.leadConn != nil {
		s.leadConn.Close()
	}
	if s.leadDB != nil {
		s.leadDB.Close()
	}
	if s.rdb != nil {
		s.rdb.Close()
	}
	if s.db != nil {
		err = s.db.Close()
	}
	if s.dec != nil {
		s.dec.Close()
	}
	if s.enc != nil {
		s.enc.Close()
	}
	s.unlock()
	return err
}

func (s *Store) unlock() {
	if s.lock != nil {
		s.lock.Unlock()
	}
}

// schemaVersion is the version of the schema this pubwatch writes; a
// store of an older version is brought up to it on open, step by step.
const schemaVersion = "8"

// SchemaVersion is the version of the schema this pubwatch writes.
const SchemaVersion = schemaVersion

// migrations[k] takes a store from version k to k+1 (version 0: empty).
var migrations = [][]string{
	{
		`CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
		`CREATE TABLE IF NOT EXISTS contents (
		hash TEXT PRIMARY KEY,
		size BIGINT NOT NULL,
		data BLOB NOT NULL)`,
		`CREATE TABLE IF NOT EXISTS snapshots (
		id INTEGER PRIMARY KEY,
		source TEXT NOT NULL,
		taken_at BIGINT NOT NULL,
		status TEXT NOT NULL,
		url TEXT NOT NULL,
		content_type TEXT NOT NULL,
		content_hash TEXT NOT NULL,
		fingerprint TEXT NOT NULL,
		items_hash TEXT NOT NULL,
		item_count INTEGER NOT NULL,
		etag TEXT NOT NULL DEFAULT '',
		last_modified TEXT NOT NULL DEFAULT '')`,
		`CREATE INDEX IF NOT EXISTS snapshots_by_source ON snapshots (source, id)`,
		`CREATE TABLE IF NOT EXISTS checks (
		id INTEGER PRIMARY KEY,
		source TEXT NOT NULL,
		run_id TEXT NOT NULL,
		started_at BIGINT NOT NULL,
		finished_at BIGINT NOT NULL,
		status TEXT NOT NULL,
		content_hash TEXT NOT NULL,
		snapshot_id BIGINT,
		error TEXT NOT NULL)`,
		`CREATE INDEX IF NOT EXISTS checks_by_source ON checks (source, id)`,
		`CREATE TABLE IF NOT EXISTS sources (
		name TEXT PRIMARY KEY,
		baseline_id BIGINT,
		next_check_at BIGINT NOT NULL,
		last_check_at BIGINT NOT NULL DEFAULT 0,
		failures INTEGER NOT NULL DEFAULT 0,
		last_error TEXT NOT NULL DEFAULT '',
		failing_since BIGINT NOT NULL DEFAULT 0,
		active INTEGER NOT NULL DEFAULT 1)`,
		`CREATE INDEX IF NOT EXISTS sources_by_due ON sources (active, next_check_at)`,
		`CREATE TABLE IF NOT EXISTS runs (
		id TEXT PRIMARY KEY,
		started_at BIGINT NOT NULL,
		finished_at BIGINT NOT NULL,
		sources INTEGER NOT NULL,
		changed INTEGER NOT NULL,
		errors INTEGER NOT NULL,
		new_items INTEGER NOT NULL,
		changed_items INTEGER NOT NULL,
		removed_items INTEGER NOT NULL,
		report_dir TEXT NOT NULL)`,
		`CREATE INDEX IF NOT EXISTS runs_by_time ON runs (started_at)`,
	},
	// 2: the event log, runs whose reports are being written, the
	// notification outbox, and when a source became suspect.
	{
		`CREATE TABLE events (
		id INTEGER PRIMARY KEY,
		source TEXT NOT NULL,
		run_id TEXT NOT NULL,
		check_id BIGINT NOT NULL REFERENCES checks (id) ON DELETE CASCADE,
		kind TEXT NOT NULL,
		at BIGINT NOT NULL,
		check_status TEXT NOT NULL,
		snapshot_id BIGINT,
		previous_snapshot_id BIGINT,
		item_key TEXT NOT NULL,
		significance REAL NOT NULL,
		data BLOB NOT NULL,
		report_run TEXT)`,
		`CREATE INDEX events_by_report ON events (report_run, id)`,
		`CREATE INDEX events_by_source ON events (source, id)`,
		`CREATE INDEX events_by_check ON events (check_id)`,
		`ALTER TABLE runs ADD COLUMN state TEXT NOT NULL DEFAULT 'written'`,
		`ALTER TABLE runs ADD COLUMN model BLOB`,
		`CREATE INDEX runs_by_state ON runs (state)`,
		`ALTER TABLE sources ADD COLUMN suspect_since BIGINT NOT NULL DEFAULT 0`,
		`CREATE TABLE deliveries (
		id TEXT PRIMARY KEY,
		target TEXT NOT NULL,
		run_id TEXT NOT NULL,
		filter TEXT NOT NULL,
		events INTEGER NOT NULL,
		created_at BIGINT NOT NULL,
		state TEXT NOT NULL,
		attempts INTEGER NOT NULL DEFAULT 0,
		next_attempt_at BIGINT NOT NULL,
		last_attempt_at BIGINT NOT NULL DEFAULT 0,
		last_error TEXT NOT NULL DEFAULT '',
		response TEXT NOT NULL DEFAULT '')`,
		`CREATE INDEX deliveries_due ON deliveries (state, next_attempt_at)`,
		`CREATE INDEX deliveries_by_target ON deliveries (target, state)`,
	},
	// Version 3: how long, and for how many checks in a row, a source has
	// been failing or suspect, whichever it was (for the escalation).
	{
		`ALTER TABLE sources ADD COLUMN troubled_since BIGINT NOT NULL DEFAULT 0`,
		`ALTER TABLE sources ADD COLUMN troubled_checks INTEGER NOT NULL DEFAULT 0`,
		`UPDATE sources SET troubled_since = CASE WHEN failing_since > 0 THEN failing_since ELSE suspect_since END,
		troubled_checks = CASE WHEN failures > 0 THEN failures ELSE 1 END WHERE failures > 0 OR suspect_since > 0`,
	},
	// Version 4: the archive's items (the latest title and link of every
	// item an event named) and an item's events found by its key; filled
	// from the log by backfillItems.
	{
		`CREATE TABLE items (
		id INTEGER PRIMARY KEY,
		source TEXT NOT NULL,
		item_key TEXT NOT NULL,
		title TEXT NOT NULL,
		url TEXT NOT NULL,
		first_at BIGINT NOT NULL,
		last_at BIGINT NOT NULL,
		last_kind TEXT NOT NULL,
		events INTEGER NOT NULL DEFAULT 1,
		UNIQUE (source, item_key))`,
		`CREATE INDEX items_by_time ON items (last_at, id)`,
		`CREATE INDEX events_by_item ON events (source, item_key, id)`,
		`CREATE INDEX events_by_time ON events (at)`,
		`CREATE INDEX events_by_kind ON events (kind, id)`,
	},
	// Version 5: the watch list of followed articles, read again on a
	// schedule by their age after they leave their listing.
	{
		`CREATE TABLE articles (
		source TEXT NOT NULL,
		url TEXT NOT NULL,
		first_seen BIGINT NOT NULL,
		last_read BIGINT NOT NULL,
		next_read BIGINT NOT NULL,
		etag TEXT NOT NULL DEFAULT '',
		last_modified TEXT NOT NULL DEFAULT '',
		listed INTEGER NOT NULL DEFAULT 1,
		ended TEXT NOT NULL DEFAULT '',
		PRIMARY KEY (source, url))`,
	},
	// Version 6: which worker (host and process) made each check.
	{
		`ALTER TABLE checks ADD COLUMN worker TEXT NOT NULL DEFAULT ''`,
	},
	// Version 7: watched articles found by when they are due.
	{
		`CREATE INDEX articles_due ON articles (next_read) WHERE ended = ''`,
	},
	// Version 8: workers sharing a store (lease.go): which worker has
	// claimed a source, until when; the fleet's requests in flight to each
	// host, and when each host may next be asked.
	{
		`ALTER TABLE sources ADD COLUMN lease_owner TEXT NOT NULL DEFAULT ''`,
		`ALTER TABLE sources ADD COLUMN lease_until BIGINT NOT NULL DEFAULT 0`,
		`CREATE TABLE host_slots (
		host TEXT NOT NULL,
		slot INTEGER NOT NULL,
		owner TEXT NOT NULL DEFAULT '',
		until BIGINT NOT NULL DEFAULT 0,
		PRIMARY KEY (host, slot))`,
		`CREATE TABLE host_turns (host TEXT PRIMARY KEY, next_at BIGINT NOT NULL)`,
	},
}

// backfills run after a version's statements, in the same transaction:
// what SQL alone cannot fill in.
var backfills = map[int]func(context.Context, *sql.Tx) error{
	4: backfillItems,
}

func (s *Store) migrate(ctx context.Context) error {
	// An existing store of this version needs no write: read-only commands
	// must not queue behind a running writer.
	var v string
	if err := s.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'schema_version'`).Scan(&v); err == nil && v == schemaVersion {
		return nil
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if s.pg {
		// Workers starting at once migrate one after the other; the
		// later ones find the schema made.
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(?)`, migrationLock); err != nil {
			return err
		}
	}
	// The version's table first: in PostgreSQL a failed query would end
	// the transaction.
	if _, err := tx.ExecContext(ctx, s.ddl(migrations[0][0])); err != nil {
		return err
	}
	from := 0
	err = tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'schema_version'`).Scan(&v)
	switch {
	case err == nil:
		if from, err = strconv.Atoi(v); err != nil || from < 1 || from > len(migrations) {
			return fmt.Errorf("store schema version %s is not supported by this pubwatch (wants %s)", v, schemaVersion)
		}
	case errors.Is(err, sql.ErrNoRows):
	default:
		return err
	}
	for k := from; k < len(migrations); k++ {
		for _, stmt := range migrations[k] {
			if _, err := tx.ExecContext(ctx, s.ddl(stmt)); err != nil {
				return fmt.Errorf("migrating the store to schema version %d: %w", k+1, err)
			}
		}
		if fill := backfills[k+1]; fill != nil && from > 0 {
			if err := fill(ctx, tx); err != nil {
				return fmt.Errorf("migrating the store to schema version %d: %w", k+1, err)
			}
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ('schema_version', ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, schemaVersion); err != nil {
		return err
	}
	return tx.Commit()
}

// Hash returns the content hash pubwatch uses: hex SHA-256.
func Hash(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// blob is content ready to store: its hash, size and compressed bytes.
type blob struct {
	hash       string
	size       int
	compressed []byte
}

func (s *Store) newBlob(b []byte) *blob { return s.newBlobHashed(b, "") }

// newBlobHashed is newBlob for bytes whose hash may be known already.
func (s *Store) newBlobHashed(b []byte, hash string) *blob {
	if hash == "" {
		hash = Hash(b)
	}
	if s.enc != nil {
		return &blob{hash: hash, size: len(b), compressed: s.compressZstd(b)}
	}
	return &blob{hash: hash, size: len(b), compressed: compress(b)}
}

// putContent stores a blob once under its hash and returns the hash.
func (s *Store) putContent(ctx context.Context, tx *sql.Tx, b *blob) (string, error) {
	_, err := s.txExec(ctx, tx, qPutContent,
		b.hash, b.size, b.compressed)
	return b.hash, err
}

// Content returns the stored bytes with the given hash.
func (s *Store) Content(ctx context.Context, hash string) ([]byte, error) {
	var data []byte
	err := s.queryRow(ctx, qContent, hash).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("content %s: %w", hash, ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	out, err := s.decompress(data)
	if err != nil {
		return nil, fmt.Errorf("content %s: %w", hash, err)
	}
	return out, nil
}

func millis(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func fromMillis(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}

// withItemsJSON calls use with the snapshot's stored form (JSON, as
// json.Marshal writes it) in pooled memory that use must not keep.
func withItemsJSON(snap *snapshot.Snapshot, use func([]byte)) {
	withScratch(func(scratch []byte) []byte {
		scratch = appendSnapshotJSON(scratch, snap)
		use(scratch)
		return scratch
	})
}

// ItemsHash is the hash under which a snapshot's items are stored.
func ItemsHash(snap *snapshot.Snapshot) string {
	var h string
	withItemsJSON(snap, func(b []byte) { h = Hash(b) })
	return h
}
