package starling_test

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"starling"
	"starling/apptest"
	"starling/sqldb/sqldbtest"
)

// statementRecorder keeps the distinct statements the store runs, with the
// arguments of their first run.
type statementRecorder struct {
	mu    sync.Mutex
	seen  map[string]bool
	stmts []recorded
}

type recorded struct {
	query string
	args  []any
}

func (r *statementRecorder) ObserveStatement(_, query string, args []any, _ time.Duration, _ error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.seen == nil {
		r.seen = map[string]bool{}
	}
	if !r.seen[query] {
		r.seen[query] = true
		r.stmts = append(r.stmts, recorded{query, append([]any(nil), args...)})
	}
}

func (r *statementRecorder) ObserveTx(time.Duration, error) {}

// TestHotReadsUseIndexes runs every hot read and write, then asks the engine how it
// plans each statement: none may read a table whole, only through indexes. On
// PostgreSQL sequential scans are switched off for the question, so tiny
// test tables do not make one look cheaper than the index it would use.
func TestHotReadsUseIndexes(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		c := mustReadingCommunity(t, engine)
		token := apptest.MustToken(t, c.svc, c.reader)
		rec := &statementRecorder{}
		c.db.SetObserver(rec)
		if _, err := c.svc.Authenticate(ctx, token); err != nil { // before every request
			t.Fatal(err)
		}
		for _, r := range c.hotReads() {
			c.db.DropCaches() // so every statement of the cold path runs
			if _, err := r.read(20); err != nil {
				t.Fatal(err)
			}
		}
		// The hot writes too: posting with fan-out, replying, favouriting, reblogging.
		s := MustPost(t, c.svc, c.authors[1], "a new post #tag1 @reader", "public")
		if _, err := c.svc.PostStatus(ctx, c.reader, starling.NewStatus{Text: "@author1 a reply", InReplyToID: s.ID}); err != nil {
			t.Fatal(err)
		}
		if _, err := c.svc.Favourite(ctx, c.reader, s.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := c.svc.Reblog(ctx, c.reader, s.ID, ""); err != nil {
			t.Fatal(err)
		}
		c.db.SetObserver(nil)
		_, read := c.db.SQL()
		conn, err := read.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		explain := "EXPLAIN QUERY PLAN "
		if engine == "postgres" {
			explain = "EXPLAIN "
			if _, err := conn.ExecContext(ctx, "SET enable_seqscan = off"); err != nil {
				t.Fatal(err)
			}
		}
		// A scan that is not of an index: SQLite names the table or its
		// alias ("SCAN s"), so any such line fails, whatever the table.
		scan := regexp.MustCompile(`^(SCAN (\w+)|.*Seq Scan on (\w+))`)
		for _, st := range rec.stmts {
			plan, err := planOf(ctx, conn, explain+st.query, st.args)
			if err != nil {
				t.Fatalf("explain %s: %v", st.query, err)
			}
			// SQLite runs a subquery in FROM as a co-routine and then scans
			// its output ("CO-ROUTINE t0" … "SCAN t0"): rows already read
			// through indexes, at most the subquery's LIMIT, not a table.
			subqueries := map[string]bool{}
			for _, line := range plan {
				if name, ok := strings.CutPrefix(strings.TrimSpace(line), "CO-ROUTINE "); ok {
					subqueries[name] = true
				}
			}
			for _, line := range plan {
				m := scan.FindStringSubmatch(strings.TrimSpace(line))
				if m == nil || strings.Contains(line, "USING") || strings.Contains(line, "SCAN CONSTANT ROW") || subqueries[m[2]] {
					continue // an index search, a scan of an index, SELECT without FROM, or a subquery's rows
				}
				t.Errorf("full scan of %s:\n%s\nplan:\n%s", m[2]+m[3], st.query, strings.Join(plan, "\n"))
			}
		}
		t.Logf("%d distinct hot statements planned with indexes only", len(rec.stmts))
	})
}

// planOf returns the plan's lines: the detail column on SQLite, the single text column on PostgreSQL.
func planOf(ctx context.Context, conn *sql.Conn, query string, args []any) ([]string, error) {
	rows, err := conn.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		out = append(out, fmt.Sprint(vals[len(vals)-1]))
	}
	return out, rows.Err()
}
