// Package dbcopy moves a Starling community from its embedded SQLite
// database to PostgreSQL: every table of the schema, found in SQLite's own
// catalogue, copied in foreign-key order, converted to the PostgreSQL column
// types and then checked row count by row count and, for the common column
// types, value by value.
//
// A copy is safe to run again. Rows go in one batch per transaction: by COPY
// straight into a table that was empty when the run began, otherwise by COPY
// into a temporary staging table and INSERT … ON CONFLICT DO NOTHING from
// there. A second run adds nothing, and a run that was interrupted finishes
// where the first left off. Rows already in PostgreSQL are never
// overwritten, so the destination must be empty or hold an earlier run of
// the same copy: rows that were there before, or that changed in SQLite since
// the earlier run, show up as a mismatch in the verification and the copy
// fails.
package dbcopy

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"hash/maphash"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// DefaultBatchRows is how many rows go into PostgreSQL per transaction.
const DefaultBatchRows = 10000

// Options tunes a copy. The zero value copies DefaultJobs tables at a time
// in batches of DefaultBatchRows, silently.
type Options struct {
	BatchRows int            // rows per transaction (DefaultBatchRows)
	Jobs      int            // batches written at once, each over its own connection (DefaultJobs)
	Progress  func(Progress) // called after every batch and when a table is done, one call at a time; nil: no progress
}

// Progress reports how far the copy of one table has got.
type Progress struct {
	Table  string
	Rows   int64         // rows written so far
	Total  int64         // rows in the table in SQLite
	Took   time.Duration // since the table's copy started
	Done   bool          // the table is finished
	Direct bool          // the table was empty in PostgreSQL and was copied straight in
}

// Report says what a copy did and what the verification found.
type Report struct {
	Schema    string        // the last migration both databases have
	Tables    []TableReport // in foreign-key order (referred-to tables first)
	Sequences []string      // PostgreSQL sequences set past the copied ids, as "table.column"
	Deferred  int64         // rows that had to wait for the rows they refer to (foreign keys out of order)
	Copy      time.Duration // copying
	Verify    time.Duration // counting and comparing afterwards
}

// TableReport is one table's figures.
type TableReport struct {
	Name     string
	Source   int64         // rows in SQLite
	Dest     int64         // rows in PostgreSQL after the copy
	Inserted int64         // rows this run added (0 when a previous run copied them all)
	Same     bool          // the values of both sides hash to the same sum (see Unchecked)
	Took     time.Duration // copying the table
	// Unchecked lists columns of types the value comparison skips (only
	// their row counts are compared): everything but integers, booleans,
	// text, bytea and double precision.
	Unchecked []string
}

// OK reports whether the table arrived whole.
func (t TableReport) OK() bool { return t.Source == t.Dest && t.Same }

// Rows is the number of rows in SQLite over all tables.
func (r *Report) Rows() int64 {
	var n int64
	for _, t := range r.Tables {
		n += t.Source
	}
	return n
}

// Mismatches returns the tables that did not arrive whole.
func (r *Report) Mismatches() []TableReport {
	var bad []TableReport
	for _, t := range r.Tables {
		if !t.OK() {
			bad = append(bad, t)
		}
	}
	return bad
}

// Errors Copy returns, wrapped with the details.
var (
	// ErrSchemaVersion: the two databases are at different migrations.
	ErrSchemaVersion = errors.New("schema versions differ")
	// ErrNotEmpty: PostgreSQL holds more rows in a table than SQLite, so it
	// is not an earlier run of this copy. Nothing was written.
	ErrNotEmpty = errors.New("the PostgreSQL database is not empty")
	// ErrMismatch: the verification found the destination different from
	// the source (Report.Mismatches says where).
	ErrMismatch = errors.New("the PostgreSQL copy differs from SQLite")
)

// OpenSource opens the SQLite file for reading only: query_only, and
// mode=ro so that a missing file is an error rather than a new database.
// Stop the server first; the copy reads one consistent snapshot, but writes
// made after it would be lost.
func OpenSource(file string) (*sql.DB, error) {
	db, err := sql.Open("sqlite", "file:"+file+"?mode=ro&_pragma=busy_timeout(10000)&_pragma=query_only(1)")
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	return db, nil
}

// Copy copies every table of src, a Starling SQLite database opened with
// OpenSource, into dst, a PostgreSQL database already migrated by
// sqldb.Open. Both must have the same migrations applied. It returns a
// report also when the verification fails; the error then wraps ErrMismatch.
func Copy(ctx context.Context, src, dst *sql.DB, o Options) (*Report, error) {
	if o.BatchRows <= 0 {
		o.BatchRows = DefaultBatchRows
	}
	if o.Jobs <= 0 {
		o.Jobs = DefaultJobs()
	}
	// One read transaction for the whole copy: every table comes from the
	// same snapshot, even if something writes to the file meanwhile. The
	// workers read their tables through it side by side (database/sql
	// takes turns on the one connection; SQLite steps several statements
	// on one connection at once).
	stx, err := src.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("read SQLite: %w", err)
	}
	defer stx.Rollback()
	cp := &copier{src: stx, o: o, seed: maphash.MakeSeed()}
	var rep *Report
	// Hold o.Jobs native connections at once, each inside its Raw callback.
	var hold func(n int) error
	hold = func(n int) error {
		if n == o.Jobs {
			rep, err = cp.run(ctx)
			return err
		}
		conn, err := dst.Conn(ctx)
		if err != nil {
			return fmt.Errorf("connect to PostgreSQL: %w", err)
		}
		defer conn.Close()
		return conn.Raw(func(dc any) error {
			c, ok := dc.(*stdlib.Conn)
			if !ok {
				return fmt.Errorf("the destination is not PostgreSQL (driver connection %T)", dc)
			}
			pc := c.Conn()
			cp.dsts = append(cp.dsts, pc)
			err := hold(n + 1)
			// The connection goes back to the pool: without the staging
			// tables, and committing synchronously again.
			if _, derr := pc.Exec(context.WithoutCancel(ctx), `DISCARD TEMP; SET synchronous_commit TO DEFAULT`); derr != nil && err == nil {
				return driver.ErrBadConn
			}
			return err
		})
	}
	err = hold(0)
	return rep, err
}

// DefaultJobs is the number of connections writing at once unless
// Options.Jobs says otherwise: one per processor, between 2 and 4.
func DefaultJobs() int { return min(max(runtime.NumCPU(), 2), 4) }

type copier struct {
	src  *sql.Tx
	dsts []*pgx.Conn // one per worker; dsts[0] also does the serial steps
	dst  *pgx.Conn   // dsts[0]
	o    Options
	seed maphash.Seed

	mu      sync.Mutex
	pending []*batch // batches whose foreign keys pointed at rows not yet copied
}

func (c *copier) run(ctx context.Context) (*Report, error) {
	c.dst = c.dsts[0]
	rep := &Report{}
	var err error
	if rep.Schema, err = c.checkVersions(ctx); err != nil {
		return nil, err
	}
	tables, err := c.tables(ctx)
	if err != nil {
		return nil, err
	}
	if err := c.checkDestination(ctx, tables); err != nil {
		return nil, err
	}
	start := time.Now()
	// Commits need not wait for the disk during the copy: a crash loses
	// only the last batches, which a second run copies again. ANALYZE at
	// the end commits with the setting back on, which flushes everything
	// before it.
	for _, d := range c.dsts {
		if _, err := d.Exec(ctx, `SET synchronous_commit = off`); err != nil {
			return nil, err
		}
	}
	if rep.Tables, err = c.copyAll(ctx, tables); err != nil {
		return nil, err
	}
	if rep.Deferred, err = c.retryPending(ctx, rep); err != nil {
		return nil, err
	}
	for _, d := range c.dsts {
		if _, err := d.Exec(ctx, `SET synchronous_commit = on`); err != nil {
			return nil, err
		}
	}
	if rep.Sequences, err = c.resetSequences(ctx); err != nil {
		return nil, err
	}
	rep.Copy = time.Since(start)
	start = time.Now()
	if err := c.verifyAll(ctx, tables, rep.Tables); err != nil {
		return nil, err
	}
	// Fresh planner statistics, so the server's first queries on the new
	// database get good plans rather than waiting for autovacuum.
	if _, err := c.dst.Exec(ctx, `ANALYZE`); err != nil {
		return nil, fmt.Errorf("analyze: %w", err)
	}
	rep.Verify = time.Since(start)
	if bad := rep.Mismatches(); len(bad) > 0 {
		var names []string
		for _, t := range bad {
			names = append(names, t.Name)
		}
		return rep, fmt.Errorf("%w in %s: the destination must be an empty database or one this same copy filled before, "+
			"as rows already there are never overwritten (rows from elsewhere, or rows that changed in SQLite since an earlier run, "+
			"or rows a PostgreSQL unique index refuses); drop the database, create it again and rerun",
			ErrMismatch, strings.Join(names, ", "))
	}
	return rep, nil
}

// retryPending inserts the batches that failed on a foreign key, now that
// every table has been copied, until all are in or a round makes no
// progress (the source itself refers to rows that do not exist).
func (c *copier) retryPending(ctx context.Context, rep *Report) (int64, error) {
	var deferred int64
	for _, b := range c.pending {
		deferred += int64(len(b.rows))
	}
	for len(c.pending) > 0 {
		var left []*batch
		var lastErr error
		for _, b := range c.pending {
			if err := createStage(ctx, c.dst, b.t); err != nil {
				return 0, err
			}
			n, err := insertStaged(ctx, c.dst, b)
			if isForeignKeyViolation(err) {
				left, lastErr = append(left, b), err
				continue
			} else if err != nil {
				return 0, fmt.Errorf("copy %s: %w", b.t.name, err)
			}
			for i := range rep.Tables {
				if rep.Tables[i].Name == b.t.name {
					rep.Tables[i].Inserted += n
				}
			}
		}
		if len(left) == len(c.pending) {
			return 0, fmt.Errorf("copy %s: %d rows refer to rows that are not in the SQLite database: %w", left[0].t.name, len(left[0].rows), lastErr)
		}
		c.pending = left
	}
	return deferred, nil
}

// resetSequences moves every serial or identity column's sequence past the
// largest copied value, so new rows do not collide with copied ones.
// Starling's own schema makes ids in the application and has none.
func (c *copier) resetSequences(ctx context.Context) ([]string, error) {
	rows, err := c.dst.Query(ctx, `SELECT table_name, column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND (column_default LIKE 'nextval(%' OR is_identity = 'YES')
		ORDER BY table_name, column_name`)
	if err != nil {
		return nil, err
	}
	type col struct{ table, column string }
	cols, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (col, error) {
		var c col
		return c, r.Scan(&c.table, &c.column)
	})
	if err != nil {
		return nil, fmt.Errorf("find sequences: %w", err)
	}
	var done []string
	for _, k := range cols {
		q := fmt.Sprintf(`SELECT setval(pg_get_serial_sequence($1, $2), coalesce(max(%[1]s), 1), max(%[1]s) IS NOT NULL) FROM %[2]s`,
			quote(k.column), quote(k.table))
		if _, err := c.dst.Exec(ctx, q, quote(k.table), k.column); err != nil {
			return nil, fmt.Errorf("reset sequence of %s.%s: %w", k.table, k.column, err)
		}
		done = append(done, k.table+"."+k.column)
	}
	return done, nil
}

// checkVersions compares the migrations applied on both sides and returns
// the newest.
func (c *copier) checkVersions(ctx context.Context) (string, error) {
	var src, dst []string
	rows, err := c.src.QueryContext(ctx, `SELECT name FROM `+migrationsTable+` ORDER BY name`)
	if err != nil {
		return "", fmt.Errorf("the SQLite file is not a Starling database (no %s table): %w", migrationsTable, err)
	}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return "", err
		}
		src = append(src, n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return "", err
	}
	prows, err := c.dst.Query(ctx, `SELECT name FROM `+migrationsTable+` ORDER BY name`)
	if err != nil {
		return "", fmt.Errorf("read the PostgreSQL schema version: %w", err)
	}
	if dst, err = pgx.CollectRows(prows, pgx.RowTo[string]); err != nil {
		return "", fmt.Errorf("read the PostgreSQL schema version: %w", err)
	}
	if slices.Equal(src, dst) {
		if len(src) == 0 {
			return "", fmt.Errorf("the SQLite database has no migrations applied: not a Starling database")
		}
		return src[len(src)-1], nil
	}
	last := func(s []string) string {
		if len(s) == 0 {
			return "none"
		}
		return s[len(s)-1]
	}
	missing := diff(dst, src)
	extra := diff(src, dst)
	msg := fmt.Sprintf("SQLite is at %s, PostgreSQL (migrated by this starling) at %s", last(src), last(dst))
	if len(missing) > 0 {
		msg += fmt.Sprintf("; SQLite lacks %s: start this version of starling once on the SQLite data (starling serve --data …, then stop it) so it migrates, and run migrate-db again",
			strings.Join(missing, ", "))
	}
	if len(extra) > 0 {
		msg += fmt.Sprintf("; SQLite has %s, which this starling does not know: run migrate-db with the starling version that last served the SQLite data",
			strings.Join(extra, ", "))
	}
	return "", fmt.Errorf("%w: %s", ErrSchemaVersion, msg)
}

// diff returns the elements of a not in b.
func diff(a, b []string) []string {
	var out []string
	for _, s := range a {
		if !slices.Contains(b, s) {
			out = append(out, s)
		}
	}
	return out
}

// checkDestination refuses, before anything is written, a destination
// table that already holds more rows than the source: it cannot be this
// copy's earlier run.
func (c *copier) checkDestination(ctx context.Context, tables []*table) error {
	for _, t := range tables {
		if err := c.src.QueryRowContext(ctx, `SELECT count(*) FROM `+quote(t.name)).Scan(&t.total); err != nil {
			return fmt.Errorf("count %s in SQLite: %w", t.name, err)
		}
		var n int64
		if err := c.dst.QueryRow(ctx, `SELECT count(*) FROM `+quote(t.name)).Scan(&n); err != nil {
			return fmt.Errorf("count %s in PostgreSQL: %w", t.name, err)
		}
		if n > t.total {
			return fmt.Errorf("%w: it holds %d rows in %s, SQLite only %d; the destination must be an empty database "+
				"(or one an earlier run of this same copy filled): create a new one", ErrNotEmpty, n, t.name, t.total)
		}
		t.destEmpty = n == 0
	}
	return nil
}
