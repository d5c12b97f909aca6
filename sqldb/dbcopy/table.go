package dbcopy

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// batch is a run of rows of one table, converted for PostgreSQL.
type batch struct {
	t    *table
	rows [][]any
}

// read passes the table's rows, converted, in primary-key order to send, a
// batch at a time, and records their count and hash sum.
func (c *copier) read(ctx context.Context, t *table, send func(*batch) error) error {
	names := make([]string, len(t.cols))
	for i, col := range t.cols {
		names[i] = quote(col.name)
	}
	rows, err := c.src.QueryContext(ctx, `SELECT `+strings.Join(names, ", ")+` FROM `+quote(t.name)+` ORDER BY `+strings.Join(t.orderBy, ", "))
	if err != nil {
		return fmt.Errorf("read SQLite: %w", err)
	}
	defer rows.Close()
	vals := make([]any, len(t.cols))
	ptrs := make([]any, len(t.cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	h := newRowHasher(c.seed, t.cols)
	b := &batch{t: t}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		row := make([]any, len(t.cols))
		for i, v := range vals {
			if row[i], err = t.cols[i].kind.convert(v); err != nil {
				return fmt.Errorf("row %d, column %s: %w", h.count+1, t.cols[i].name, err)
			}
		}
		h.add(row)
		b.rows = append(b.rows, row)
		if len(b.rows) == c.o.BatchRows {
			if err := send(b); err != nil {
				return err
			}
			b = &batch{t: t}
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(b.rows) > 0 {
		if err := send(b); err != nil {
			return err
		}
	}
	t.sourceRows, t.sourceSum = h.count, h.sum
	return nil
}

func (t *table) stageName() string { return "dbcopy_stage_" + t.name }

func (t *table) colNames() []string {
	names := make([]string, len(t.cols))
	for i, col := range t.cols {
		names[i] = col.name
	}
	return names
}

// createStage makes the temporary table batches pass through; it empties
// itself at every commit.
func createStage(ctx context.Context, conn *pgx.Conn, t *table) error {
	defs := make([]string, len(t.cols))
	for i, col := range t.cols {
		defs[i] = quote(col.name) + " " + col.stageType()
	}
	_, err := conn.Exec(ctx, `CREATE TEMPORARY TABLE IF NOT EXISTS `+quote(t.stageName())+` (`+strings.Join(defs, ", ")+`) ON COMMIT DELETE ROWS`)
	if err != nil {
		return fmt.Errorf("create staging table: %w", err)
	}
	return nil
}

// insertStaged copies the batch into the staging table and from there into
// the table, skipping rows already present, in one transaction. It returns
// the rows added.
func insertStaged(ctx context.Context, conn *pgx.Conn, b *batch) (int64, error) {
	t := b.t
	tx, err := conn.Begin(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback(ctx)
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{t.stageName()}, t.colNames(), pgx.CopyFromRows(b.rows)); err != nil {
		return 0, fmt.Errorf("stage rows: %w", err)
	}
	cols := make([]string, len(t.cols))
	from := make([]string, len(t.cols))
	for i, col := range t.cols {
		cols[i] = quote(col.name)
		from[i] = col.fromStage()
	}
	// OVERRIDING SYSTEM VALUE: copied ids go in even where PostgreSQL would
	// always make them itself (GENERATED ALWAYS AS IDENTITY).
	tag, err := tx.Exec(ctx, `INSERT INTO `+quote(t.name)+` (`+strings.Join(cols, ", ")+`) OVERRIDING SYSTEM VALUE SELECT `+strings.Join(from, ", ")+
		` FROM `+quote(t.stageName())+` ON CONFLICT DO NOTHING`)
	if err != nil {
		return 0, err
	}
	return tag.RowsAffected(), tx.Commit(ctx)
}

// insertDirect copies the batch straight into the table, for tables that
// were empty when the run began.
func insertDirect(ctx context.Context, conn *pgx.Conn, b *batch) (int64, error) {
	tx, err := conn.Begin(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback(ctx)
	n, err := tx.CopyFrom(ctx, pgx.Identifier{b.t.name}, b.t.colNames(), pgx.CopyFromRows(b.rows))
	if err != nil {
		return 0, err
	}
	return n, tx.Commit(ctx)
}

// verify counts the table's rows in PostgreSQL and sums their hashes.
func (c *copier) verify(ctx context.Context, conn *pgx.Conn, t *table, rep *TableReport) error {
	names := make([]string, len(t.cols))
	for i, col := range t.cols {
		if col.kind == kindOther {
			names[i] = "NULL" // not compared
		} else {
			names[i] = quote(col.name)
		}
	}
	rows, err := conn.Query(ctx, `SELECT `+strings.Join(names, ", ")+` FROM `+quote(t.name))
	if err != nil {
		return err
	}
	defer rows.Close()
	h := newRowHasher(c.seed, t.cols)
	for rows.Next() {
		vals, err := rows.Values()
		if err != nil {
			return err
		}
		h.add(vals)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rep.Dest = h.count
	rep.Same = h.sum == t.sourceSum && h.count == t.sourceRows
	return nil
}

func isForeignKeyViolation(err error) bool {
	var e *pgconn.PgError
	return errors.As(err, &e) && e.Code == "23503"
}

func isUniqueViolation(err error) bool {
	var e *pgconn.PgError
	return errors.As(err, &e) && e.Code == "23505"
}
