package sqldb

import (
	"context"
	"database/sql"
	"sync"
	"time"
)

// Observer is told how long each statement and transaction took, for metrics
// and for tests that count queries. Implementations must be safe for
// concurrent use and quick.
type Observer interface {
	// ObserveStatement reports one statement; op is "query" or "exec".
	// query and args must not be changed or kept beyond the call.
	ObserveStatement(op, query string, args []any, d time.Duration, err error)
	// ObserveTx reports one read-write transaction, including its commit.
	ObserveTx(d time.Duration, err error)
}

// stmtCache keeps prepared statements of the read pool by SQL text. Reads are
// the hot path, and SQLite spends a quarter of a timeline read preparing
// statements when each call prepares afresh. The number of distinct texts is
// bounded (IN lists vary only in length), but a cap keeps a bug from
// growing it without end.
type stmtCache struct {
	db    *sql.DB
	mu    sync.RWMutex
	stmts map[string]*sql.Stmt
}

const maxCachedStatements = 4096

func newStmtCache(db *sql.DB) *stmtCache {
	return &stmtCache{db: db, stmts: map[string]*sql.Stmt{}}
}

// get returns a prepared statement for query, or nil if the cache is full.
func (c *stmtCache) get(ctx context.Context, query string) (*sql.Stmt, error) {
	c.mu.RLock()
	st := c.stmts[query]
	c.mu.RUnlock()
	if st != nil {
		return st, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if st := c.stmts[query]; st != nil {
		return st, nil
	}
	if len(c.stmts) >= maxCachedStatements {
		return nil, nil
	}
	st, err := c.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	c.stmts[query] = st
	return st, nil
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.stmts {
		st.Close()
	}
	c.stmts = map[string]*sql.Stmt{}
}

// conn runs statements for queries: on a transaction (writes, never cached:
// the single SQLite writer connection is busy inside the transaction, so
// preparing on the pool would wait for itself) or on the read pool through
// the statement cache.
type conn struct {
	tx    *sql.Tx
	cache *stmtCache // read pool; nil inside a transaction
	obs   Observer
}

func (c *conn) observe(op, query string, args []any, start time.Time, err error) {
	if c.obs != nil {
		c.obs.ObserveStatement(op, query, args, time.Since(start), err)
	}
}

// QueryContext runs a query that returns rows.
func (c *conn) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	start := time.Now()
	var rows *sql.Rows
	var err error
	if c.tx != nil {
		rows, err = c.tx.QueryContext(ctx, query, args...)
	} else if st, perr := c.cache.get(ctx, query); perr != nil {
		err = perr
	} else if st != nil {
		rows, err = st.QueryContext(ctx, args...)
	} else {
		rows, err = c.cache.db.QueryContext(ctx, query, args...)
	}
	c.observe("query", query, args, start, err)
	return rows, err
}

// QueryUnpreparedContext runs a query that returns rows, never through the
// statement cache.
func (c *conn) QueryUnpreparedContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	start := time.Now()
	var rows *sql.Rows
	var err error
	if c.tx != nil {
		rows, err = c.tx.QueryContext(ctx, query, args...)
	} else {
		rows, err = c.cache.db.QueryContext(ctx, query, args...)
	}
	c.observe("query", query, args, start, err)
	return rows, err
}

// QueryRowContext runs a query that returns at most one row.
func (c *conn) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	start := time.Now()
	var row *sql.Row
	if c.tx != nil {
		row = c.tx.QueryRowContext(ctx, query, args...)
	} else if st, err := c.cache.get(ctx, query); err == nil && st != nil {
		row = st.QueryRowContext(ctx, args...)
	} else {
		row = c.cache.db.QueryRowContext(ctx, query, args...)
	}
	c.observe("query", query, args, start, row.Err())
	return row
}

// ExecContext runs a statement that returns no rows.
func (c *conn) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	start := time.Now()
	var res sql.Result
	var err error
	if c.tx != nil {
		res, err = c.tx.ExecContext(ctx, query, args...)
	} else {
		res, err = c.cache.db.ExecContext(ctx, query, args...)
	}
	c.observe("exec", query, args, start, err)
	return res, err
}
