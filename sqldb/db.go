// Package sqldb stores Starling's data in SQL: embedded SQLite by default, or
// PostgreSQL for servers that scale out. One set of queries serves both
// engines; the few places where their SQL differs are named in dialect.go.
package sqldb

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"time"

	"starling"
)

//go:embed migrations
var migrations embed.FS

// DB is an open database. Its read methods run outside transactions on the
// read pool; Update runs a read-write transaction.
type DB struct {
	*queries // reads outside a transaction

	dialect dialect
	write   *sql.DB // the pool for read-write transactions
	read    *sql.DB // the pool for reads; the same as write on PostgreSQL
	cache   *stmtCache
	rows    *caches
	obs     Observer
	batcher *batcher        // SQLite: group commit of concurrent Updates; nil on PostgreSQL
	onEvict func(Evictions) // tells other servers what this one's writes changed; nil: no one

	replicas []*replica    // a PostgreSQL read replica, if any; see replica.go
	ckpt     *checkpointer // SQLite: copies the write-ahead log back in the background
}

var _ starling.Store = (*DB)(nil)

// Open connects to dsn and brings the schema up to date. An empty dsn, or
// one starting with "sqlite:" or "file:", is a SQLite file (dataDir/starling.db
// when empty); "postgres://" and "postgresql://" are PostgreSQL.
func Open(ctx context.Context, dsn, dataDir string) (*DB, error) {
	d, err := dialectFor(dsn)
	if err != nil {
		return nil, err
	}
	write, read, err := d.open(dsn, dataDir)
	if err != nil {
		return nil, err
	}
	db := &DB{dialect: d, write: write, read: read, cache: newStmtCache(read), rows: newCaches()}
	db.queries = &queries{q: &conn{cache: db.cache}, d: d, cache: db.rows}
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if d.singleWriter() {
		db.batcher = newBatcher(db)
		db.ckpt = startCheckpointer(read)
	}
	return db, nil
}

// DropCaches empties the row caches, so the next reads go to the database:
// for tests that measure the uncached path, and after changing data behind
// the server's back.
func (db *DB) DropCaches() {
	db.rows.evict(&touched{all: true})
}

// SetObserver makes the store report every statement and transaction to obs.
// Call it before the store is used concurrently.
func (db *DB) SetObserver(obs Observer) {
	db.obs = obs
	db.queries = &queries{q: &conn{cache: db.cache, obs: obs}, d: db.dialect, cache: db.rows}
}

// Close waits for writes in progress and closes the connection pools.
func (db *DB) Close() error {
	if db.batcher != nil {
		db.batcher.stop()
	}
	if db.ckpt != nil {
		db.ckpt.stop()
	}
	for _, r := range db.replicas {
		r.close()
	}
	db.cache.close()
	err := db.write.Close()
	if db.read != db.write {
		err = errors.Join(err, db.read.Close())
	}
	return err
}

// Engine names the engine: "sqlite" or "postgres".
func (db *DB) Engine() string { return db.dialect.name() }

// SQL returns the underlying pools, for tools that fill the database in bulk
// (benchmarks, data generators). Writes must go through write.
func (db *DB) SQL() (write, read *sql.DB) { return db.write, db.read }

// Ping checks that the database answers a query.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	return db.read.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}

// Update runs fn in a read-write transaction and commits if fn returns nil;
// it returns only once the commit is durable. On SQLite, concurrent Updates
// share one transaction and one fsync (group commit, see batch.go), each
// inside its own savepoint, so one failing fn undoes only its own writes.
// fn must not call Update itself.
func (db *DB) Update(ctx context.Context, fn func(tx starling.Tx) error) error {
	if db.batcher != nil {
		return db.batcher.update(ctx, fn)
	}
	start := time.Now()
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	touch := &touched{}
	if err := fn(db.txQueries(tx, touch)); err != nil {
		db.observeTx(start, err)
		return err
	}
	err = tx.Commit()
	db.evicted(touch) // after the commit, so no read can cache the old rows again
	db.observeTx(start, err)
	if err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

func (db *DB) txQueries(tx *sql.Tx, touch *touched) *queries {
	return &queries{q: &conn{tx: tx, obs: db.obs}, d: db.dialect, touch: touch}
}

func (db *DB) observeTx(start time.Time, err error) {
	if db.obs != nil {
		db.obs.ObserveTx(time.Since(start), err)
	}
}

// migrate applies the embedded migrations for the engine that are not yet
// recorded in schema_migrations, each in its own transaction, in name order.
func (db *DB) migrate(ctx context.Context) error {
	if _, err := db.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	dir := path.Join("migrations", db.dialect.name())
	names, err := fs.Glob(migrations, dir+"/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		if err := db.migrateFile(ctx, name); err != nil {
			return fmt.Errorf("migration %s: %w", path.Base(name), err)
		}
	}
	return nil
}

func (db *DB) migrateFile(ctx context.Context, name string) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// Several app servers may start at once: only one may migrate.
	if err := db.dialect.lockMigrations(ctx, tx); err != nil {
		return err
	}
	var n int
	base := path.Base(name)
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE name = $1`, base).Scan(&n); err != nil {
		return err
	} else if n > 0 {
		return nil
	}
	body, err := fs.ReadFile(migrations, name)
	if err != nil {
		return err
	}
	for _, stmt := range splitStatements(string(body)) {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("%w\n%s", err, stmt)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (name, applied_at) VALUES ($1, $2)`, base, time.Now().UnixMilli()); err != nil {
		return err
	}
	return tx.Commit()
}

// splitStatements splits a migration on semicolons at line ends; migrations
// contain no semicolons inside strings or bodies.
func splitStatements(body string) []string {
	var out []string
	var cur strings.Builder
	for _, line := range strings.Split(body, "\n") {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "--") || trimmed == "" {
			continue
		}
		cur.WriteString(line)
		cur.WriteByte('\n')
		if strings.HasSuffix(trimmed, ";") {
			out = append(out, strings.TrimSpace(cur.String()))
			cur.Reset()
		}
	}
	if s := strings.TrimSpace(cur.String()); s != "" {
		out = append(out, s)
	}
	return out
}
