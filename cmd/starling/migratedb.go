package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"starling/sqldb"
	"starling/sqldb/dbcopy"
)

const migrateDBHelp = `Usage: starling migrate-db --from sqlite:DATA --to postgres://user@host/db [flags]

Copies a community from its embedded SQLite database to PostgreSQL: every
table, then checks that each holds the same rows on both sides.

  --from sqlite:DATA   the data folder holding starling.db (or the file itself);
                       "sqlite:" alone, or no --from, means --data
  --to postgres://…    an empty PostgreSQL database; migrate-db creates the
                       schema, at the same version as the SQLite data

Stop the server first: migrate-db reads the SQLite file read-only, from one
consistent snapshot, so anything posted while it runs would not be copied.
The SQLite data must be at the schema version of this starling (start this
version on it once if it is older).

The destination must be empty, or filled by an earlier run of this same
migration: running it again is safe and adds only what is missing, so an
interrupted run is finished by running the same command again. If the
SQLite data changed since an earlier run, or the database held other data,
the check fails: drop the database, create it again and start over.

Afterwards start the server with --db postgres://… (STARLING_DB). The SQLite
file is left as it was.

Flags:
`

// runMigrateDB copies the SQLite database to PostgreSQL (docs/migrate-db.md).
func runMigrateDB(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	start := time.Now()
	from, to, data, batch, jobs := "", "", DefaultConfig().Data, dbcopy.DefaultBatchRows, dbcopy.DefaultJobs()
	f := newFlags("migrate-db", getenv, stderr)
	f.str(&from, "from", "the SQLite data to copy: sqlite:DATA-FOLDER or sqlite:FILE; empty: the --data folder")
	f.str(&to, "to", "the PostgreSQL database to fill: postgres://user@host/db")
	f.str(&data, "data", "data folder whose starling.db is copied when --from names none")
	f.integer(&batch, "batch", "rows per transaction")
	f.integer(&jobs, "jobs", "PostgreSQL connections writing batches at once")
	f.Usage = func() {
		fmt.Fprint(f.Output(), migrateDBHelp)
		f.PrintDefaults()
	}
	if err := f.parse(args); err != nil {
		return err
	}
	file, err := sourceFile(from, data)
	if err != nil {
		return err
	}
	if !strings.HasPrefix(to, "postgres://") && !strings.HasPrefix(to, "postgresql://") {
		return fmt.Errorf("--to must be a postgres:// URL of the database to fill, not %q", redact(to))
	}
	if batch < 1 || jobs < 1 {
		return fmt.Errorf("--batch and --jobs must be at least 1")
	}
	fmt.Fprintf(stdout, "Copying %s to %s (the server must be stopped).\n", file, redact(to))
	dst, err := sqldb.Open(ctx, to, "")
	if err != nil {
		return fmt.Errorf("open PostgreSQL: %w", err)
	}
	defer dst.Close()
	src, err := dbcopy.OpenSource(file)
	if err != nil {
		return fmt.Errorf("open SQLite: %w", err)
	}
	defer src.Close()
	write, _ := dst.SQL()
	p := &progressPrinter{w: stdout, every: 2 * time.Second}
	rep, err := dbcopy.Copy(ctx, src, write, dbcopy.Options{BatchRows: batch, Jobs: jobs, Progress: p.print})
	if rep != nil {
		printCopyReport(stdout, rep, time.Since(start))
	}
	if errors.Is(err, context.Canceled) {
		return fmt.Errorf("interrupted: what was copied is kept; run the same command again to finish")
	}
	return err
}

// sourceFile finds the SQLite file as sqldb.Open does (DATA/starling.db),
// also accepting the data folder itself after "sqlite:".
func sourceFile(from, data string) (string, error) {
	path := from
	switch {
	case from == "":
	case strings.HasPrefix(from, "sqlite:"):
		path = strings.TrimPrefix(from, "sqlite:")
	case strings.HasPrefix(from, "file:"):
		path = strings.TrimPrefix(from, "file:")
	default:
		return "", fmt.Errorf("--from must be sqlite:DATA-FOLDER or sqlite:FILE, not %q", redact(from))
	}
	if path == "" {
		path = data
	}
	st, err := os.Stat(path)
	if err != nil {
		return "", fmt.Errorf("no SQLite data at %s: %w", path, err)
	}
	if st.IsDir() {
		path = filepath.Join(path, "starling.db")
		if _, err := os.Stat(path); err != nil {
			return "", fmt.Errorf("the folder has no starling.db: %w", err)
		}
	}
	return path, nil
}

// redact hides a password in a database URL.
func redact(dsn string) string {
	if u, err := url.Parse(dsn); err == nil && u.User != nil {
		return u.Redacted()
	}
	return dsn
}

// progressPrinter prints a line when a table is done, and in between every
// so often for long tables. Tables are copied side by side, so it locks.
type progressPrinter struct {
	mu    sync.Mutex
	w     io.Writer
	every time.Duration
	last  time.Time
}

func (p *progressPrinter) print(pr dbcopy.Progress) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !pr.Done && time.Since(p.last) < p.every {
		return
	}
	p.last = time.Now()
	rate := float64(pr.Rows) / max(pr.Took.Seconds(), 1e-3)
	if pr.Done {
		fmt.Fprintf(p.w, "  %-24s %12s rows %8.1f s %10s rows/s\n", pr.Table, thousands(pr.Rows), pr.Took.Seconds(), thousands(int64(rate)))
		return
	}
	fmt.Fprintf(p.w, "  %-24s %12s of %s rows (%d%%), %s rows/s…\n", pr.Table, thousands(pr.Rows), thousands(pr.Total),
		pr.Rows*100/max(pr.Total, 1), thousands(int64(rate)))
}

// printCopyReport prints the row counts of both sides and the times.
func printCopyReport(w io.Writer, rep *dbcopy.Report, total time.Duration) {
	fmt.Fprintf(w, "\n%-26s %12s %12s %12s\n", "table", "SQLite", "PostgreSQL", "added")
	var src, dst, added int64
	for _, t := range rep.Tables {
		verdict := "ok"
		switch {
		case t.Source != t.Dest:
			verdict = "ROW COUNTS DIFFER"
		case !t.Same:
			verdict = "VALUES DIFFER"
		}
		if len(t.Unchecked) > 0 && t.OK() {
			verdict += " (counted only: " + strings.Join(t.Unchecked, ", ") + ")"
		}
		fmt.Fprintf(w, "%-26s %12s %12s %12s  %s\n", t.Name, thousands(t.Source), thousands(t.Dest), thousands(t.Inserted), verdict)
		src, dst, added = src+t.Source, dst+t.Dest, added+t.Inserted
	}
	fmt.Fprintf(w, "%-26s %12s %12s %12s\n\n", "all tables", thousands(src), thousands(dst), thousands(added))
	fmt.Fprintf(w, "Schema %s. Copied %s rows in %.1f s (%s rows/s), verified in %.1f s; %.1f s in all.\n",
		rep.Schema, thousands(src), rep.Copy.Seconds(), thousands(int64(float64(src)/max(rep.Copy.Seconds(), 1e-3))),
		rep.Verify.Seconds(), total.Seconds())
	if rep.Deferred > 0 {
		fmt.Fprintf(w, "%s rows came before the rows they refer to and were inserted at the end.\n", thousands(rep.Deferred))
	}
	if len(rep.Sequences) > 0 {
		fmt.Fprintf(w, "Sequences set past the copied ids: %s.\n", strings.Join(rep.Sequences, ", "))
	}
	if len(rep.Mismatches()) == 0 {
		fmt.Fprintln(w, "Every table matches. Start the server with --db and the PostgreSQL URL.")
	}
}

// thousands formats n with thousands separators: 1234567 → "1,234,567".
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
