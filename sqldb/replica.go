package sqldb

import (
	"context"
	"database/sql"
	"fmt"

	"starling"
)

// replica is a PostgreSQL read replica: its own pool, prepared statements
// and row caches. Rows read from a replica may lag the primary, so they are
// never mixed into the primary's caches.
type replica struct {
	pool  *sql.DB
	cache *stmtCache
	rows  *caches
	q     *queries
}

func (r *replica) close() {
	r.cache.close()
	r.pool.Close()
}

// AddReplica connects to a read replica of this PostgreSQL database. The
// replica is not migrated (it follows the primary); it must answer. For
// several replicas, name them all in one URL, as pgx takes it:
// postgres://h1,h2,h3/db?load_balance_hosts=random. Call it before the
// store is used concurrently, and after SetObserver.
func (db *DB) AddReplica(ctx context.Context, dsn string) error {
	if len(db.replicas) > 0 {
		return fmt.Errorf("one replica URL only: name several hosts in it")
	}
	if db.dialect.name() != "postgres" {
		return fmt.Errorf("read replicas need PostgreSQL (--db postgres://…)")
	}
	if d, err := dialectFor(dsn); err != nil || d.name() != "postgres" {
		return fmt.Errorf("replica %q: not a postgres:// URL", redactDSN(dsn))
	}
	pool, _, err := db.dialect.open(dsn, "")
	if err != nil {
		return fmt.Errorf("replica %s: %w", redactDSN(dsn), err)
	}
	var one int
	if err := pool.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		pool.Close()
		return fmt.Errorf("replica %s: %w", redactDSN(dsn), err)
	}
	r := &replica{pool: pool, cache: newStmtCache(pool), rows: newCaches()}
	r.q = &queries{q: &conn{cache: r.cache, obs: db.obs}, d: db.dialect, cache: r.rows}
	db.replicas = append(db.replicas, r)
	return nil
}

// Replica returns a read-only view of the replica, or of the primary when
// there is none: for reads that may lag a little, such as public timelines
// and profiles shown to visitors.
func (db *DB) Replica() starling.Tx {
	if len(db.replicas) == 0 {
		return db.queries
	}
	return db.replicas[0].q
}
