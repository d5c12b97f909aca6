package dbcopy_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"starling/datagen"
	"starling/sqldb"
	"starling/sqldb/dbcopy"
	"starling/sqldb/sqldbtest"
)

// MustSource fills a SQLite database in a temporary folder with a small
// generated community, closes it and returns the file.
func MustSource(tb testing.TB) string {
	tb.Helper()
	dir := tb.TempDir()
	db, err := sqldb.Open(context.Background(), "", dir)
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	if _, err := datagen.Fill(context.Background(), db, datagen.Options{Accounts: 60, Posts: 600, MeanFollows: 10, Readers: 5, FeedSize: 50, Tokens: 2}); err != nil {
		tb.Fatal(err)
	}
	return filepath.Join(dir, "starling.db")
}

// MustDest opens a fresh PostgreSQL database migrated by sqldb (the test
// skips without one) and returns its pool.
func MustDest(tb testing.TB) *sql.DB {
	tb.Helper()
	dsn := sqldbtest.MustDSN(tb, "postgres")
	db, err := sqldb.Open(context.Background(), dsn, "")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	write, _ := db.SQL()
	return write
}

// copyOnce runs one copy from file into dst.
func copyOnce(ctx context.Context, tb testing.TB, file string, dst *sql.DB, o dbcopy.Options) (*dbcopy.Report, error) {
	tb.Helper()
	src, err := dbcopy.OpenSource(file)
	if err != nil {
		tb.Fatal(err)
	}
	defer src.Close()
	return dbcopy.Copy(ctx, src, dst, o)
}

// MustSQLite opens the SQLite file for the test to read or change behind sqldb.
func MustSQLite(tb testing.TB, file string) *sql.DB {
	tb.Helper()
	db, err := sql.Open("sqlite", "file:"+file+"?_pragma=foreign_keys(1)&_pragma=busy_timeout(5000)")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// sqliteTables lists the tables the copy must carry, read independently of
// dbcopy. Full-text indexes (a virtual table and the shadow tables named
// after it) belong to SQLite alone: PostgreSQL keeps its own, in a column.
func sqliteTables(tb testing.TB, db *sql.DB) []string {
	tb.Helper()
	rows, err := db.Query(`SELECT name FROM sqlite_master t WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations'
		AND NOT EXISTS (SELECT 1 FROM sqlite_master v WHERE v.type = 'table' AND v.sql LIKE 'CREATE VIRTUAL TABLE%'
			AND (t.name = v.name OR t.name LIKE v.name || '\_%' ESCAPE '\'))
		ORDER BY name`)
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			tb.Fatal(err)
		}
		names = append(names, n)
	}
	return names
}

// sqliteColumns names the columns of each table in SQLite, in its order, so
// both sides are dumped alike: PostgreSQL has columns of its own (the
// search vector of statuses), which it computes.
func sqliteColumns(tb testing.TB, db *sql.DB, tables []string) map[string][]string {
	tb.Helper()
	out := map[string][]string{}
	for _, table := range tables {
		rows, err := db.Query(`SELECT name FROM pragma_table_info($1) ORDER BY cid`, table)
		if err != nil {
			tb.Fatal(err)
		}
		for rows.Next() {
			var n string
			if err := rows.Scan(&n); err != nil {
				tb.Fatal(err)
			}
			out[table] = append(out[table], `"`+n+`"`)
		}
		rows.Close()
	}
	return out
}

// MustDump returns every row of the tables, one string a row, sorted, with
// booleans written as 0 and 1 so that both engines print alike. cols, if
// given, names the columns to dump per table (default all, in SQLite order).
func MustDump(tb testing.TB, db *sql.DB, tables []string, cols map[string][]string) map[string][]string {
	tb.Helper()
	out := map[string][]string{}
	for _, table := range tables {
		sel := "*"
		if c, ok := cols[table]; ok {
			sel = strings.Join(c, ", ")
		}
		rows, err := db.Query(`SELECT ` + sel + ` FROM "` + table + `"`)
		if err != nil {
			tb.Fatalf("dump %s: %v", table, err)
		}
		n, _ := rows.Columns()
		vals := make([]any, len(n))
		ptrs := make([]any, len(n))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		lines := []string{}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				tb.Fatal(err)
			}
			var b strings.Builder
			for i, v := range vals {
				switch x := v.(type) {
				case bool:
					v = map[bool]int64{false: 0, true: 1}[x]
				case []byte:
					v = fmt.Sprintf("bytes:%x", x)
				}
				fmt.Fprintf(&b, "%s=%#v ", n[i], v)
			}
			lines = append(lines, b.String())
		}
		if err := rows.Err(); err != nil {
			tb.Fatal(err)
		}
		rows.Close()
		slices.Sort(lines)
		out[table] = lines
	}
	return out
}

func TestCopy(t *testing.T) {
	ctx := context.Background()
	dst := MustDest(t)
	file := MustSource(t)
	src := MustSQLite(t, file)
	tables := sqliteTables(t, src)
	cols := sqliteColumns(t, src, tables)
	want := MustDump(t, src, tables, cols)

	t.Run("OK", func(t *testing.T) {
		rep, err := copyOnce(ctx, t, file, dst, dbcopy.Options{BatchRows: 300})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, tr := range rep.Tables {
			got = append(got, tr.Name)
			if !tr.OK() || tr.Inserted != tr.Source {
				t.Errorf("%s: %+v; want all %d rows inserted and matching", tr.Name, tr, tr.Source)
			}
		}
		slices.Sort(got)
		if diff := cmp.Diff(tables, got); diff != "" {
			t.Fatalf("tables copied (-SQLite +report):\n%s", diff)
		}
		if rep.Rows() < 1000 {
			t.Fatalf("only %d rows copied; the test community is too small to mean much", rep.Rows())
		}
		// Before the copy's own rows, the tables it refers to.
		pos := map[string]int{}
		for i, tr := range rep.Tables {
			pos[tr.Name] = i
		}
		for _, pair := range [][2]string{{"accounts", "statuses"}, {"statuses", "home_feed"}, {"applications", "tokens"}, {"accounts", "users"}} {
			if pos[pair[0]] > pos[pair[1]] {
				t.Errorf("%s copied after %s, which refers to it", pair[0], pair[1])
			}
		}
		if diff := cmp.Diff(want, MustDump(t, dst, tables, cols)); diff != "" {
			t.Fatalf("PostgreSQL differs from SQLite (-SQLite +PostgreSQL):\n%s", diff)
		}
	})

	t.Run("RunAgain", func(t *testing.T) {
		rep, err := copyOnce(ctx, t, file, dst, dbcopy.Options{BatchRows: 300})
		if err != nil {
			t.Fatal(err)
		}
		for _, tr := range rep.Tables {
			if !tr.OK() || tr.Inserted != 0 {
				t.Errorf("%s: %+v; want nothing inserted and everything matching", tr.Name, tr)
			}
		}
		if diff := cmp.Diff(want, MustDump(t, dst, tables, cols)); diff != "" {
			t.Fatalf("a second run changed PostgreSQL (-SQLite +PostgreSQL):\n%s", diff)
		}
	})

	t.Run("ErrSourceChanged", func(t *testing.T) {
		if _, err := src.Exec(`UPDATE accounts SET display_name = 'Changed' WHERE id = (SELECT min(id) FROM accounts)`); err != nil {
			t.Fatal(err)
		}
		rep, err := copyOnce(ctx, t, file, dst, dbcopy.Options{})
		if !errors.Is(err, dbcopy.ErrMismatch) {
			t.Fatalf("copy after SQLite changed: %v; want ErrMismatch", err)
		}
		for _, tr := range rep.Mismatches() {
			if tr.Name != "accounts" || tr.Source != tr.Dest || tr.Same {
				t.Errorf("mismatch %+v; want only accounts, same count, different values", tr)
			}
		}
		if len(rep.Mismatches()) != 1 {
			t.Errorf("%d mismatching tables; want 1 (accounts)", len(rep.Mismatches()))
		}
	})
}

func TestCopyResumes(t *testing.T) {
	dst := MustDest(t)
	file := MustSource(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// Stop in the middle of the biggest table.
	_, err := copyOnce(ctx, t, file, dst, dbcopy.Options{BatchRows: 100, Jobs: 1, Progress: func(p dbcopy.Progress) {
		if p.Table == "follows" && p.Rows >= 200 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted copy: %v; want context.Canceled", err)
	}
	var partial int64
	if err := dst.QueryRow(`SELECT count(*) FROM follows`).Scan(&partial); err != nil {
		t.Fatal(err)
	}
	rep, err := copyOnce(context.Background(), t, file, dst, dbcopy.Options{BatchRows: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, tr := range rep.Tables {
		if tr.Name == "follows" && (partial == 0 || tr.Inserted != tr.Source-partial) {
			t.Errorf("follows: %d rows after the interruption, %d inserted by the second run of %d; want the rest", partial, tr.Inserted, tr.Source)
		}
	}
	src := MustSQLite(t, file)
	tables := sqliteTables(t, src)
	cols := sqliteColumns(t, src, tables)
	if diff := cmp.Diff(MustDump(t, src, tables, cols), MustDump(t, dst, tables, cols)); diff != "" {
		t.Fatalf("PostgreSQL differs from SQLite after resuming (-SQLite +PostgreSQL):\n%s", diff)
	}
}

func TestCopyRefuses(t *testing.T) {
	if os.Getenv(sqldbtest.PostgresEnv) == "" {
		t.Skip("PostgreSQL tests skipped: set " + sqldbtest.PostgresEnv)
	}
	ctx := context.Background()
	file := MustSource(t)

	t.Run("ErrOtherRows", func(t *testing.T) {
		dst := MustDest(t)
		// An account that is not in SQLite: the row counts still match in
		// the end only if the copy lost one; either way it must fail.
		if _, err := dst.Exec(`INSERT INTO accounts (id, username, created_at, updated_at) VALUES (1, 'stranger', 0, 0)`); err != nil {
			t.Fatal(err)
		}
		rep, err := copyOnce(ctx, t, file, dst, dbcopy.Options{})
		if !errors.Is(err, dbcopy.ErrMismatch) {
			t.Fatalf("copy into a database with other data: %v; want ErrMismatch", err)
		}
		if bad := rep.Mismatches(); len(bad) != 1 || bad[0].Name != "accounts" || bad[0].Dest != bad[0].Source+1 {
			t.Fatalf("mismatches %+v; want accounts with one row too many", bad)
		}
	})

	t.Run("ErrMoreRows", func(t *testing.T) {
		dst := MustDest(t)
		if _, err := dst.Exec(`INSERT INTO tags (name, display_name, created_at) SELECT 't' || g, 't' || g, 0 FROM generate_series(1, 50) g`); err != nil {
			t.Fatal(err)
		}
		if _, err := copyOnce(ctx, t, file, dst, dbcopy.Options{}); !errors.Is(err, dbcopy.ErrNotEmpty) {
			t.Fatalf("copy into a database with more tags than SQLite: %v; want ErrNotEmpty", err)
		}
		var n int
		if err := dst.QueryRow(`SELECT count(*) FROM accounts`).Scan(&n); err != nil || n != 0 {
			t.Fatalf("%d accounts written (%v); want none before refusing", n, err)
		}
	})

	t.Run("ErrSchemaVersion", func(t *testing.T) {
		dst := MustDest(t)
		old := filepath.Join(t.TempDir(), "old.db")
		if _, err := MustSQLite(t, file).Exec(`VACUUM INTO $1`, old); err != nil {
			t.Fatal(err)
		}
		if _, err := MustSQLite(t, old).Exec(`DELETE FROM schema_migrations WHERE name = (SELECT max(name) FROM schema_migrations)`); err != nil {
			t.Fatal(err)
		}
		if _, err := copyOnce(ctx, t, old, dst, dbcopy.Options{}); !errors.Is(err, dbcopy.ErrSchemaVersion) {
			t.Fatalf("copy from an older schema: %v; want ErrSchemaVersion", err)
		}
	})

	t.Run("ErrNoFile", func(t *testing.T) {
		dst := MustDest(t)
		if _, err := copyOnce(ctx, t, filepath.Join(t.TempDir(), "missing.db"), dst, dbcopy.Options{}); err == nil {
			t.Fatal("copy from a missing file succeeded")
		}
	})
}

// TestCopyGeneric copies a table no migration knows, with the column types
// a later migration might use, rows that refer to later rows of their own
// table, and an identity column, as a table added after this code was
// written would be.
func TestCopyGeneric(t *testing.T) {
	ctx := context.Background()
	dst := MustDest(t)
	file := MustSource(t)
	src := MustSQLite(t, file)
	for _, q := range []string{
		`CREATE TABLE gadgets (
			id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES gadgets (id), account_id INTEGER REFERENCES accounts (id),
			flag INTEGER NOT NULL, data BLOB, ratio REAL, label TEXT, amount TEXT, meta TEXT, seen TEXT)`,
		`INSERT INTO gadgets VALUES
			(1, 5, NULL, 1, x'00ff10', 0.25, 'one', '12.50', '{"b": 1, "a": [true]}', '2024-05-01T10:00:00Z'),
			(2, NULL, (SELECT min(id) FROM accounts), 0, NULL, NULL, 'two', NULL, NULL, NULL),
			(3, 4, NULL, 'true', x'', -1e300, '', '0', '[]', NULL),
			(4, 5, NULL, 0, NULL, 3, 'naïve – ünïcode ✓', '1e3', 'null', NULL),
			(5, NULL, NULL, 1, NULL, NULL, NULL, NULL, NULL, NULL)`,
	} {
		if _, err := src.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := dst.Exec(`CREATE TABLE gadgets (
		id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, parent_id BIGINT REFERENCES gadgets (id), account_id BIGINT REFERENCES accounts (id),
		flag BOOLEAN NOT NULL, data BYTEA, ratio DOUBLE PRECISION, label VARCHAR(40), amount NUMERIC(10, 2), meta JSONB, seen TIMESTAMPTZ)`); err != nil {
		t.Fatal(err)
	}
	// Batches of one row: rows 1, 3 and 4 arrive before the rows they refer to.
	rep, err := copyOnce(ctx, t, file, dst, dbcopy.Options{BatchRows: 1, Jobs: 2})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Deferred == 0 {
		t.Error("no rows deferred; the test means rows 1, 3 and 4 to wait for their parents")
	}
	if !slices.Contains(rep.Sequences, "gadgets.id") {
		t.Errorf("sequences reset: %v; want gadgets.id", rep.Sequences)
	}
	for _, tr := range rep.Tables {
		if tr.Name == "gadgets" {
			if diff := cmp.Diff([]string{"amount", "meta", "seen"}, tr.Unchecked); diff != "" || !tr.OK() {
				t.Errorf("gadgets: %+v; want OK with amount, meta and seen counted only (%s)", tr, diff)
			}
		}
	}
	// flag is compared below: SQLite holds one as text.
	cols := []string{"id", "parent_id", "account_id", "data", "data IS NULL AS data_null", "ratio", "label"}
	if diff := cmp.Diff(MustDump(t, src, []string{"gadgets"}, map[string][]string{"gadgets": cols}),
		MustDump(t, dst, []string{"gadgets"}, map[string][]string{"gadgets": cols})); diff != "" {
		t.Errorf("gadgets differ (-SQLite +PostgreSQL):\n%s", diff)
	}
	var got []string
	rows, err := dst.Query(`SELECT concat_ws('|', id, flag, amount, meta, seen AT TIME ZONE 'UTC') FROM gadgets ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		got = append(got, s)
	}
	rows.Close()
	want := []string{`1|t|12.50|{"a": [true], "b": 1}|2024-05-01 10:00:00`, `2|f`, `3|t|0.00|[]`, `4|f|1000.00|null`, `5|t`}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("converted values (-want +got):\n%s", diff)
	}
	// The identity sequence continues after the copied ids.
	var id int64
	if err := dst.QueryRow(`INSERT INTO gadgets (flag) VALUES (true) RETURNING id`).Scan(&id); err != nil || id != 6 {
		t.Errorf("new gadget got id %d (%v); want 6", id, err)
	}
}
