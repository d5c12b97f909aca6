// Package sqldbtest opens throw-away databases for tests: a SQLite file in a
// temporary folder, and, when STARLING_TEST_POSTGRES_URL is set, a fresh
// PostgreSQL database that is dropped when the test ends.
package sqldbtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"starling/sqldb"
)

// PostgresEnv names the variable holding the PostgreSQL server to test against,
// e.g. postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable.
const PostgresEnv = "STARLING_TEST_POSTGRES_URL"

// Engines lists the engines to run a suite on: always "sqlite", and
// "postgres" when PostgresEnv is set.
func Engines() []string {
	if os.Getenv(PostgresEnv) != "" {
		return []string{"sqlite", "postgres"}
	}
	return []string{"sqlite"}
}

// ForEachEngine runs fn as a subtest per engine. Without PostgresEnv the
// PostgreSQL subtest is skipped with a message saying how to enable it.
func ForEachEngine(t *testing.T, fn func(t *testing.T, engine string)) {
	t.Helper()
	for _, e := range []string{"sqlite", "postgres"} {
		t.Run(e, func(t *testing.T) {
			if e == "postgres" && os.Getenv(PostgresEnv) == "" {
				t.Skip("PostgreSQL tests skipped: set " + PostgresEnv + " (for example postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable)")
			}
			fn(t, e)
		})
	}
}

// MustOpen opens a fresh, migrated database of the given engine and closes
// (and for PostgreSQL drops) it when the test ends.
func MustOpen(tb testing.TB, engine string) *sqldb.DB {
	tb.Helper()
	dsn := MustDSN(tb, engine)
	db, err := sqldb.Open(context.Background(), dsn, tb.TempDir())
	if err != nil {
		tb.Fatalf("open %s: %v", engine, err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// MustDSN returns a DSN for a fresh database of the engine: "" (SQLite in the
// data folder) or a PostgreSQL database created for this test and dropped after it.
func MustDSN(tb testing.TB, engine string) string {
	tb.Helper()
	if engine == "sqlite" {
		return ""
	}
	base := os.Getenv(PostgresEnv)
	if base == "" {
		tb.Skip("PostgreSQL tests skipped: set " + PostgresEnv)
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatalf("connect to PostgreSQL: %v", err)
	}
	defer admin.Close()
	var b [6]byte
	_, _ = rand.Read(b[:])
	name := "starling_test_" + hex.EncodeToString(b[:])
	if _, err := admin.Exec(`CREATE DATABASE ` + name); err != nil {
		tb.Fatalf("create test database: %v", err)
	}
	tb.Cleanup(func() {
		admin, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer admin.Close()
		_, _ = admin.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`)
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("parse %s: %v", PostgresEnv, err)
	}
	u.Path = "/" + name
	return u.String()
}
