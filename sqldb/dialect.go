package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"starling"
)

// dialect holds what differs between the engines. Queries themselves are
// shared: both engines take $1 placeholders, RETURNING and ON CONFLICT.
type dialect interface {
	name() string
	open(dsn, dataDir string) (write, read *sql.DB, err error)
	isUniqueViolation(err error) bool
	lockMigrations(ctx context.Context, tx *sql.Tx) error
	// listAgg joins the values of expr over a group into one string, sorted by orderBy.
	listAgg(expr, sep, orderBy string) string
	// singleWriter reports whether the engine has one writer whose commits
	// wait for an fsync. Concurrent writes then share transactions (group
	// commit) and the write-ahead log is copied back in the background.
	singleWriter() bool
	// skipLocked is the clause that makes a SELECT lock the rows it returns
	// and pass over rows other transactions hold, so several servers can
	// claim jobs at once; "" where there is a single writer anyway.
	skipLocked() string
	// matchText returns what finds statuses by their words: the FROM clause
	// that names the statuses s, the condition that keeps those whose text
	// or content warning holds every word and phrase of f and none of
	// f.Without (adding its arguments to a), and the column to bound and
	// order them by ID, so the full-text index can deliver them newest
	// first. few says the other conditions leave few statuses (one
	// account's, and it has posted little), which are then better tested
	// one by one. The words and phrases are search input and reach the
	// database as data only (search.go).
	matchText(a *args, f starling.StatusSearch, few bool) (from, cond, idCol string)
	// planEachRun returns the arguments to put before a query's own so that
	// the engine plans it for its arguments each time it runs, rather than
	// reuse a plan made for any: a full-text search for a rare word is best
	// run through the index, one for a common word by reading newest first.
	planEachRun() []any
}

func dialectFor(dsn string) (dialect, error) {
	switch {
	case dsn == "", strings.HasPrefix(dsn, "sqlite:"), strings.HasPrefix(dsn, "file:"):
		return sqliteDialect{}, nil
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		return postgresDialect{}, nil
	}
	return nil, fmt.Errorf("unknown database %q: use a postgres:// URL, or leave it empty for SQLite in the data folder", redactDSN(dsn))
}

// redactDSN hides a password in a DSN so it can be logged.
func redactDSN(dsn string) string {
	if u, err := url.Parse(dsn); err == nil && u.User != nil {
		return u.Redacted()
	}
	return dsn
}

type sqliteDialect struct{}

func (sqliteDialect) name() string { return "sqlite" }

// open opens one writer connection and a pool of readers. SQLite allows one
// writer at a time; a single write connection makes writers queue in Go
// rather than spin on SQLITE_BUSY, while WAL lets readers run alongside.
func (sqliteDialect) open(dsn, dataDir string) (*sql.DB, *sql.DB, error) {
	file := strings.TrimPrefix(strings.TrimPrefix(dsn, "sqlite:"), "file:")
	if file == "" {
		if dataDir == "" {
			dataDir = "data"
		}
		file = filepath.Join(dataDir, "starling.db")
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o750); err != nil {
		return nil, nil, fmt.Errorf("create data folder: %w", err)
	}
	// WAL: readers never block the writer. synchronous=FULL: a commit is
	// fsynced before it returns, so an acknowledged write survives a power cut,
	// not only a crash. foreign_keys: SQLite leaves them off unless asked.
	// busy_timeout: another process (the admin command) may hold the lock briefly.
	// temp_store: statement journals and sorts stay in memory, off the disk.
	// mmap_size: pages are read straight from the mapped file, without a
	// system call and a copy each; the mapping is shared with the OS page
	// cache, so it costs no private memory however large the database grows.
	// wal_autocheckpoint(0): copying the log back into the database would
	// otherwise happen inside a commit, holding up every writer waiting for
	// it; the server does it in the background instead (checkpoint.go).
	common := "_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=temp_store(MEMORY)&_pragma=mmap_size(2147418112)&_pragma=wal_autocheckpoint(0)"
	// The one writer gets a 16 MiB page cache for the pages it changes; reads
	// come from the mapping. Readers keep SQLite's default 2 MiB each.
	write, err := sql.Open("sqlite", "file:"+file+"?"+common+"&_pragma=cache_size(-16384)&_txlock=immediate")
	if err != nil {
		return nil, nil, err
	}
	write.SetMaxOpenConns(1)
	write.SetConnMaxIdleTime(0)
	read, err := sql.Open("sqlite", "file:"+file+"?"+common+"&_pragma=query_only(1)")
	if err != nil {
		write.Close()
		return nil, nil, err
	}
	n := max(4, 2*runtime.NumCPU())
	read.SetMaxOpenConns(n)
	read.SetMaxIdleConns(n)
	return write, read, nil
}

func (sqliteDialect) isUniqueViolation(err error) bool {
	var e *sqlite.Error
	if errors.As(err, &e) {
		return e.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || e.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}

// lockMigrations needs nothing on SQLite: the IMMEDIATE transaction holds the write lock.
func (sqliteDialect) lockMigrations(context.Context, *sql.Tx) error { return nil }

func (sqliteDialect) singleWriter() bool { return true }

func (sqliteDialect) skipLocked() string { return "" }

// matchText queries the FTS5 table status_search, whose rowids are status
// IDs, with each word and phrase as a quoted string (fts5Query). Driving the
// join from it (CROSS JOIN fixes the order) reads matches newest first from
// the index and stops at the page's end. SQLite cannot tell how many
// statuses a word is in, so it cannot choose between that and reading an
// account's statuses first; few chooses the second, which looks each status
// up in the index: at 1,000,000 posts, "from:someone the" takes 0.5 ms
// instead of 220 ms for someone with 50 posts.
func (sqliteDialect) matchText(a *args, f starling.StatusSearch, few bool) (from, cond, idCol string) {
	if len(f.Words)+len(f.Phrases) == 0 {
		// Only words to leave out: FTS5 cannot match "none of these", so
		// each status found by the other conditions is looked up.
		return `statuses s`, `NOT EXISTS (SELECT 1 FROM status_search WHERE status_search MATCH ` + a.add(fts5Query(nil, f.Without)) +
			` AND status_search.rowid = s.id)`, `s.id`
	}
	match := a.add(fts5Query(append(f.Words[:len(f.Words):len(f.Words)], f.Phrases...), f.Without))
	if few {
		return `statuses s`, `EXISTS (SELECT 1 FROM status_search WHERE status_search MATCH ` + match + ` AND status_search.rowid = s.id)`, `s.id`
	}
	return `status_search CROSS JOIN statuses s ON s.id = status_search.rowid`, `status_search MATCH ` + match, `status_search.rowid`
}

// planEachRun needs nothing on SQLite, whose plans do not depend on the
// values bound.
func (sqliteDialect) planEachRun() []any { return nil }

func (sqliteDialect) listAgg(expr, sep, orderBy string) string {
	return "group_concat(" + expr + ", '" + sep + "' ORDER BY " + orderBy + ")"
}

type postgresDialect struct{}

func (postgresDialect) name() string { return "postgres" }

func (postgresDialect) open(dsn, _ string) (*sql.DB, *sql.DB, error) {
	db, err := sql.Open("pgx", withoutJIT(dsn))
	if err != nil {
		return nil, nil, err
	}
	db.SetMaxOpenConns(max(8, 4*runtime.NumCPU()))
	db.SetMaxIdleConns(max(8, 4*runtime.NumCPU()))
	return db, db, nil
}

// withoutJIT turns PostgreSQL's JIT compilation off for Starling's
// connections, unless the URL sets jit itself. Compiling a query takes
// 15 to 20 ms, which pays off only for analytic queries that run for
// seconds; PostgreSQL does it whenever a plan's estimated cost passes
// jit_above_cost, which a full-text search newest first can reach
// however fast it ends (a 1.6 ms search took 17 ms with it).
func withoutJIT(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return dsn
	}
	q := u.Query()
	if q.Has("jit") {
		return dsn
	}
	q.Set("jit", "off")
	u.RawQuery = q.Encode()
	return u.String()
}

func (postgresDialect) isUniqueViolation(err error) bool {
	var e *pgconn.PgError
	return errors.As(err, &e) && e.Code == "23505"
}

// singleWriter is false: PostgreSQL runs writers in parallel, commits them
// together and checkpoints by itself.
func (postgresDialect) singleWriter() bool { return false }

func (postgresDialect) skipLocked() string { return " FOR UPDATE SKIP LOCKED" }

// matchText compares the stored tsvector statuses.search (migration 0011)
// with a tsquery made by plainto_tsquery for the words and phraseto_tsquery
// for each phrase: both functions read their argument as plain text, never
// as tsquery syntax. PostgreSQL knows from its statistics how common words
// and authors are, so few makes no difference.
func (postgresDialect) matchText(a *args, f starling.StatusSearch, _ bool) (from, cond, idCol string) {
	var with, without []string
	if len(f.Words) > 0 {
		with = append(with, `plainto_tsquery('`+searchConfig+`', `+a.add(strings.Join(f.Words, " "))+`)`)
	}
	for _, p := range f.Phrases {
		with = append(with, `phraseto_tsquery('`+searchConfig+`', `+a.add(p)+`)`)
	}
	for _, p := range f.Without {
		without = append(without, `phraseto_tsquery('`+searchConfig+`', `+a.add(p)+`)`)
	}
	if len(with) == 0 {
		return `statuses s`, `NOT (s.search @@ (` + strings.Join(without, " || ") + `))`, `s.id`
	}
	for _, w := range without {
		with = append(with, `!!`+w)
	}
	return `statuses s`, `s.search @@ (` + strings.Join(with, " && ") + `)`, `s.id`
}

// planEachRun sends the query unprepared, as PostgreSQL's unnamed
// statement, with its arguments bound as ever: PostgreSQL plans it for them.
// A prepared statement gets, after five runs, a generic plan chosen without
// looking at the words, which in tests took a common word through the whole
// index (6 ms instead of 0.2 ms at 20,000 posts).
func (postgresDialect) planEachRun() []any { return []any{pgx.QueryExecModeExec} }

func (postgresDialect) listAgg(expr, sep, orderBy string) string {
	return "string_agg((" + expr + ")::text, '" + sep + "' ORDER BY " + orderBy + ")"
}

// lockMigrations takes a transaction-scoped advisory lock, so app servers
// starting together migrate one after another.
func (postgresDialect) lockMigrations(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(727465)`)
	return err
}
