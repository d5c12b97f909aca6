package dbcopy

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// migrationsTable is where sqldb records the migrations it applied
// (sqldb/db.go). Each side keeps its own; the copy compares them but does not
// copy it.
const migrationsTable = "schema_migrations"

// table is one table to copy, as SQLite and PostgreSQL describe it.
type table struct {
	name      string
	cols      []column // the SQLite table's columns, in its order
	orderBy   []string // primary key columns, or rowid
	refs      []string // tables it refers to by foreign key, itself excluded
	total     int64    // rows in SQLite, counted in the copy's snapshot
	destEmpty bool     // PostgreSQL held no rows before this run

	sourceRows int64  // rows read from SQLite
	sourceSum  uint64 // their rowHasher sum
}

// column is a column and how its values cross over.
type column struct {
	name   string
	kind   kind
	pgType string // the PostgreSQL type, for the cast out of the staging table
}

// tables lists the tables of the SQLite schema in foreign-key order, each
// matched with its PostgreSQL counterpart.
func (c *copier) tables(ctx context.Context) ([]*table, error) {
	// table_list names real tables "table", and the shadow tables of virtual
	// ones (full-text indexes) "shadow", which belong to SQLite alone.
	rows, err := c.src.QueryContext(ctx, `SELECT name FROM pragma_table_list
		WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\' AND name <> $1 ORDER BY name`, migrationsTable)
	if err != nil {
		return nil, fmt.Errorf("list SQLite tables: %w", err)
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return nil, err
		}
		names = append(names, n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	byName := map[string]*table{}
	var all []*table
	for _, n := range names {
		t, err := c.describe(ctx, n)
		if err != nil {
			return nil, err
		}
		byName[n] = t
		all = append(all, t)
	}
	return order(all, byName), nil
}

// describe reads a table's columns, primary key and foreign keys from
// SQLite and its column types from PostgreSQL.
func (c *copier) describe(ctx context.Context, name string) (*table, error) {
	t := &table{name: name}
	pgCols, err := c.pgColumns(ctx, name)
	if err != nil {
		return nil, err
	}
	if len(pgCols) == 0 {
		return nil, fmt.Errorf("table %s is in SQLite but not in PostgreSQL, though both are at the same schema version", name)
	}
	rows, err := c.src.QueryContext(ctx, `SELECT name, pk FROM pragma_table_info($1) ORDER BY cid`, name)
	if err != nil {
		return nil, fmt.Errorf("describe %s: %w", name, err)
	}
	type pkCol struct {
		name string
		pos  int
	}
	var pk []pkCol
	for rows.Next() {
		var col string
		var pos int
		if err := rows.Scan(&col, &pos); err != nil {
			rows.Close()
			return nil, err
		}
		pg, ok := pgCols[col]
		if !ok {
			rows.Close()
			return nil, fmt.Errorf("column %s.%s is in SQLite but not in PostgreSQL", name, col)
		}
		t.cols = append(t.cols, column{name: col, kind: pg.kind, pgType: pg.pgType})
		if pos > 0 {
			pk = append(pk, pkCol{col, pos})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	slices.SortFunc(pk, func(a, b pkCol) int { return a.pos - b.pos })
	for _, p := range pk {
		t.orderBy = append(t.orderBy, quote(p.name))
	}
	if len(t.orderBy) == 0 {
		t.orderBy = []string{"rowid"}
	}
	fks, err := c.src.QueryContext(ctx, `SELECT DISTINCT "table" FROM pragma_foreign_key_list($1)`, name)
	if err != nil {
		return nil, fmt.Errorf("foreign keys of %s: %w", name, err)
	}
	defer fks.Close()
	for fks.Next() {
		var ref string
		if err := fks.Scan(&ref); err != nil {
			return nil, err
		}
		if ref != name {
			t.refs = append(t.refs, ref)
		}
	}
	return t, fks.Err()
}

type pgColumn struct {
	kind   kind
	pgType string
}

// pgColumns returns the PostgreSQL table's columns by name; none when the
// table does not exist.
func (c *copier) pgColumns(ctx context.Context, table string) (map[string]pgColumn, error) {
	rows, err := c.dst.Query(ctx, `SELECT column_name, data_type, udt_schema, udt_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = $1`, table)
	if err != nil {
		return nil, fmt.Errorf("describe %s in PostgreSQL: %w", table, err)
	}
	defer rows.Close()
	cols := map[string]pgColumn{}
	for rows.Next() {
		var name, dataType, udtSchema, udtName string
		if err := rows.Scan(&name, &dataType, &udtSchema, &udtName); err != nil {
			return nil, err
		}
		pgType := dataType
		if dataType == "ARRAY" || dataType == "USER-DEFINED" {
			pgType = quote(udtSchema) + "." + quote(udtName)
		}
		cols[name] = pgColumn{kind: kindOf(dataType), pgType: pgType}
	}
	return cols, rows.Err()
}

// order sorts tables so that each comes after the tables it refers to
// (Kahn's algorithm, ties by name). Tables in a cycle of foreign keys, which
// Starling's schema does not have, follow in name order; their rows that
// arrive too early wait and are inserted at the end (copier.pending).
func order(all []*table, byName map[string]*table) []*table {
	indegree := map[string]int{}
	users := map[string][]string{} // table → tables referring to it
	for _, t := range all {
		for _, r := range t.refs {
			if _, ok := byName[r]; !ok {
				continue
			}
			indegree[t.name]++
			users[r] = append(users[r], t.name)
		}
	}
	var ready []string
	for _, t := range all {
		if indegree[t.name] == 0 {
			ready = append(ready, t.name)
		}
	}
	var out []*table
	done := map[string]bool{}
	for len(ready) > 0 {
		slices.Sort(ready)
		n := ready[0]
		ready = ready[1:]
		out = append(out, byName[n])
		done[n] = true
		for _, u := range users[n] {
			if indegree[u]--; indegree[u] == 0 {
				ready = append(ready, u)
			}
		}
	}
	for _, t := range all { // cycles
		if !done[t.name] {
			out = append(out, t)
		}
	}
	return out
}

// quote quotes an identifier the same way for SQLite and PostgreSQL.
func quote(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}
