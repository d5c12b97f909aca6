package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"starling"
)

// querier is what *sql.DB and *sql.Tx have in common, and a way round the
// statement cache (conn).
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	// QueryUnpreparedContext is QueryContext without preparing the
	// statement, for queries whose args start with options for the driver
	// (dialect.planEachRun).
	QueryUnpreparedContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// queries implements starling.Tx over a querier: the read pool (through the
// statement cache) outside transactions, a transaction inside Update.
type queries struct {
	q     querier
	d     dialect
	cache *caches  // outside transactions: the row caches
	touch *touched // inside transactions: what to evict from them after commit
}

var _ starling.Tx = (*queries)(nil)

// ms converts a time to the stored form: milliseconds since the epoch, 0 for the zero time.
func ms(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

// fromMS converts the stored form back; 0 is the zero time.
func fromMS(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMilli(v).UTC()
}

// nullID stores 0 as NULL, for optional references.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// args collects query arguments and hands out their placeholders.
type args []any

// add appends v and returns its placeholder ("$3").
func (a *args) add(v any) string {
	*a = append(*a, v)
	return "$" + strconv.Itoa(len(*a))
}

// in appends the IDs and returns a parenthesised placeholder list.
func (a *args) in(ids []int64) string { return inList(a, ids) }

// inStrings is in for strings.
func (a *args) inStrings(ss []string) string { return inList(a, ss) }

func inList[T any](a *args, vals []T) string {
	var b strings.Builder
	b.WriteByte('(')
	for i, v := range vals {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(a.add(v))
	}
	b.WriteByte(')')
	return b.String()
}

// page returns the WHERE conditions (each starting with " AND") and the
// ORDER BY … LIMIT clause that select p on column col, and whether the rows
// come back oldest first (min_id paging) and must be reversed.
func (a *args) page(col string, p starling.Page) (where, order string, reversed bool) {
	var w strings.Builder
	if p.MaxID > 0 {
		fmt.Fprintf(&w, " AND %s < %s", col, a.add(p.MaxID))
	}
	limit := p.Limit
	if limit <= 0 {
		limit = 20
	}
	if p.MinID > 0 {
		fmt.Fprintf(&w, " AND %s > %s", col, a.add(p.MinID))
		return w.String(), fmt.Sprintf(" ORDER BY %s ASC LIMIT %d", col, limit), true
	}
	if p.SinceID > 0 {
		fmt.Fprintf(&w, " AND %s > %s", col, a.add(p.SinceID))
	}
	return w.String(), fmt.Sprintf(" ORDER BY %s DESC LIMIT %d", col, limit), false
}

// maxID stands for "no upper bound" where a query needs one.
const maxID = math.MaxInt64

// ids runs a query that returns one ID column.
func (q *queries) ids(ctx context.Context, query string, a args) ([]int64, error) {
	rows, err := q.q.QueryContext(ctx, query, a...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// pagedIDs runs a paged query for one ID column and returns newest first.
func (q *queries) pagedIDs(ctx context.Context, query string, a args, reversed bool) ([]int64, error) {
	out, err := q.ids(ctx, query, a)
	if reversed {
		reverse(out)
	}
	return out, err
}

// refs runs a query returning (row ID, other ID) pairs, newest first.
func (q *queries) refs(ctx context.Context, query string, a args, reversed bool) ([][2]int64, error) {
	rows, err := q.q.QueryContext(ctx, query, a...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out [][2]int64
	for rows.Next() {
		var r [2]int64
		if err := rows.Scan(&r[0], &r[1]); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	if reversed {
		reverse(out)
	}
	return out, rows.Err()
}

func (q *queries) accountRefs(ctx context.Context, query string, a args, reversed bool) ([]starling.AccountRef, error) {
	rs, err := q.refs(ctx, query, a, reversed)
	out := make([]starling.AccountRef, len(rs))
	for i, r := range rs {
		out[i] = starling.AccountRef{RowID: r[0], AccountID: r[1]}
	}
	return out, err
}

func (q *queries) statusRefs(ctx context.Context, query string, a args, reversed bool) ([]starling.StatusRef, error) {
	rs, err := q.refs(ctx, query, a, reversed)
	out := make([]starling.StatusRef, len(rs))
	for i, r := range rs {
		out[i] = starling.StatusRef{RowID: r[0], StatusID: r[1]}
	}
	return out, err
}

func reverse[T any](s []T) {
	for i, j := 0, len(s)-1; i < j; i, j = i+1, j-1 {
		s[i], s[j] = s[j], s[i]
	}
}

// exec runs a statement and returns the number of rows it changed.
func (q *queries) exec(ctx context.Context, query string, a ...any) (int64, error) {
	res, err := q.q.ExecContext(ctx, query, a...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// notFound turns sql.ErrNoRows into ENOTFOUND.
func notFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return starling.Errorf(starling.ENOTFOUND, "Record not found")
	}
	return err
}
