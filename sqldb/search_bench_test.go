package sqldb_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"starling"
	"starling/apptest"
	"starling/datagen"
	"starling/internal/shareddata"
	"starling/sqldb"
	"starling/sqldb/sqldbtest"
	"starling/text"
)

// searchBenchEnv names the variable that turns TestSearchLatency on and
// sizes it: the number of posts to generate (1000000 for the figures in
// docs/search.md).
const searchBenchEnv = "STARLING_SEARCH_BENCH_POSTS"

// TestSearchLatency measures full-text search on a generated community:
// the time migration 0011 takes to index the posts of an existing
// database, then the latency of a mix of searches, each run many times,
// through the service (store query plus loading and checking the
// statuses found). It runs only when STARLING_SEARCH_BENCH_POSTS is set:
//
//	STARLING_SEARCH_BENCH_POSTS=1000000 STARLING_TEST_POSTGRES_URL=… \
//	  go test ./sqldb -run TestSearchLatency -v -timeout 3h
//
// It also times 5,000 posts through the service before and after the
// index exists, and measures again after them. The posts' text is
// resampled from real tweets in the shared data sets (skipped without
// them): halves of two tweets joined, so that word frequencies are natural
// and few texts repeat exactly. STARLING_SEARCH_BENCH_EXPLAIN=1 logs each
// search's plan.
func TestSearchLatency(t *testing.T) {
	posts, _ := strconv.Atoi(os.Getenv(searchBenchEnv))
	if posts <= 0 {
		t.Skipf("set %s to the number of posts to generate (1000000 for the documented figures)", searchBenchEnv)
	}
	texts := mustBenchTexts(t, 200_000)
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		dsn, dir := sqldbtest.MustDSN(t, engine), t.TempDir()
		db, err := sqldb.Open(ctx, dsn, dir)
		if err != nil {
			t.Fatal(err)
		}
		write, _ := db.SQL()
		// Fill without the index, then let the migration build it, as it
		// would on a community that upgrades.
		MustDropSearchIndex(t, write, engine)
		start := time.Now()
		res, err := datagen.Fill(ctx, db, datagen.Options{Accounts: 10_000, Posts: posts, MeanFollows: 100, Readers: 100, Seed: 42, Texts: texts})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: generated %d posts by 10,000 accounts in %v (load %s)", engine, posts, time.Since(start).Round(time.Second), loadAverage())
		// Some variety for the filters: a tenth of the posts followers-only,
		// a twentieth with an image, a twentieth of the accounts not discoverable.
		for _, stmt := range []string{
			`UPDATE statuses SET visibility = 'private' WHERE id % 10 = 3`,
			`UPDATE statuses SET media_count = 1 WHERE id % 20 = 7`,
			`UPDATE accounts SET discoverable = FALSE WHERE id % 20 = 5`,
		} {
			if _, err := write.ExecContext(ctx, stmt); err != nil {
				t.Fatal(err)
			}
		}
		if engine == "postgres" {
			if _, err := write.ExecContext(ctx, `VACUUM ANALYZE`); err != nil {
				t.Fatal(err)
			}
		}
		// Posting as the community does, without the index and (below) with
		// it, to see what keeping it in step costs a post.
		const more = 5_000
		in := apptest.Instance()
		rng := rand.New(rand.NewPCG(9, 9))
		postMore := func(svc *starling.Service) time.Duration {
			start := time.Now()
			for i := range more {
				author, err := svc.Account(ctx, res.AccountIDs[rng.IntN(len(res.AccountIDs))])
				if err != nil {
					t.Fatal(err)
				}
				if _, err := svc.PostStatus(ctx, author, starling.NewStatus{Text: texts[rng.IntN(len(texts))]}); err != nil {
					t.Fatalf("post %d: %v", i, err)
				}
			}
			return time.Since(start)
		}
		d := postMore(starling.NewService(db, text.NewProcessor(&in), apptest.FastPasswords, in, nil))
		t.Logf("%s: %d posts through the service without the index: %v, %v a post (load %s)", engine, more, d.Round(time.Millisecond), (d / more).Round(time.Microsecond), loadAverage())
		before := mustDBSize(t, db, engine)
		db.Close()

		start = time.Now()
		if db, err = sqldb.Open(ctx, dsn, dir); err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		build := time.Since(start)
		after := mustDBSize(t, db, engine)
		t.Logf("%s: migration 0011 indexed %d posts in %v; the database grew from %d MiB to %d MiB (load %s)",
			engine, posts, build.Round(time.Millisecond), before>>20, after>>20, loadAverage())

		svc := starling.NewService(db, text.NewProcessor(&in), apptest.FastPasswords, in, nil)
		viewer, err := svc.Account(ctx, res.ReaderIDs[0])
		if err != nil {
			t.Fatal(err)
		}
		// Authors by how much they post (the generator's Zipf draw): the
		// second most active (~70,000 posts), one with a few thousand, one
		// with a few hundred, one with a handful.
		accounts := map[string]int64{}
		var names []string
		for _, i := range []int{1, 30, 300, len(res.AccountIDs) - 1} {
			a, err := svc.Account(ctx, res.AccountIDs[i])
			if err != nil {
				t.Fatal(err)
			}
			accounts[a.Username] = a.ID
			names = append(names, a.Username)
			t.Logf("%s: %s has %d posts", engine, a.Username, a.StatusesCount)
		}
		mid := time.Now().UTC().AddDate(0, 0, -15).Format(time.DateOnly)
		queries := []string{
			"mcgregor",            // very common
			"the",                 // in a third of all posts (a stop word on PostgreSQL)
			"mayweather mcgregor", // two common words
			"president",           // less common
			"healthcare",          // rare
			"xylophone",           // absent
			`"the fight"`,         // common phrase
			`"las vegas"`,         // rarer phrase
			"socialcare",          // a hashtag on a fiftieth of posts
			"from:" + names[0] + " fight",
			"from:" + names[1] + " fight",
			"from:" + names[2] + " the",
			"from:" + names[3] + " fight",
			"fight has:media",
			"fight before:" + mid,
			"america great",
		}
		measure := func(phase string, rounds int) {
			type sample struct{ svc, store []time.Duration }
			times := make([]sample, len(queries))
			var all []time.Duration
			found := make([]int, len(queries))
			for round := range rounds + 2 {
				for i, q := range queries {
					// The store's query alone, then the whole search.
					f := storeSearch(q, viewer.ID, accounts)
					t0 := time.Now()
					if _, err := db.SearchStatuses(ctx, f); err != nil {
						t.Fatalf("%q: %v", q, err)
					}
					store := time.Since(t0)
					t0 = time.Now()
					r, err := svc.Search(ctx, viewer, starling.SearchQuery{Q: q, Type: "statuses", Limit: 20})
					if err != nil {
						t.Fatalf("%q: %v", q, err)
					}
					d := time.Since(t0)
					if round < 2 {
						continue // warm-up: caches, prepared statements
					}
					found[i] = len(r.Statuses)
					times[i].svc = append(times[i].svc, d)
					times[i].store = append(times[i].store, store)
					all = append(all, d)
				}
			}
			t.Logf("%s, %s: %d searches (%d rounds of %d queries, limit 20, as a member following %d accounts), load %s",
				engine, phase, len(all), rounds, len(queries), viewer.FollowingCount, loadAverage())
			t.Logf("%s, %s: all: p50 %v, p99 %v, max %v", engine, phase, pct(all, 50), pct(all, 99), pct(all, 100))
			for i, q := range queries {
				t.Logf("%s: %-28q found %2d: search p50 %9v p99 %9v | store query p50 %9v p99 %9v", engine, q, found[i],
					pct(times[i].svc, 50), pct(times[i].svc, 99), pct(times[i].store, 50), pct(times[i].store, 99))
			}
		}
		measure("index just built", 30)
		if os.Getenv("STARLING_SEARCH_BENCH_EXPLAIN") != "" {
			mustExplainSearches(t, db, engine, viewer.ID, accounts, queries)
		}

		// Then as the community goes on posting: the triggers (SQLite) or
		// the generated column (PostgreSQL) index each new post.
		d = postMore(svc)
		t.Logf("%s: %d posts through the service with the index: %v, %v a post (load %s)", engine, more, d.Round(time.Millisecond), (d / more).Round(time.Microsecond), loadAverage())
		measure(fmt.Sprintf("after %d more posts", more), 10)
	})
}

// storeSearch is the store's part of the search q, as the service asks
// for it; accounts resolves from: names.
func storeSearch(q string, viewerID int64, accounts map[string]int64) starling.StatusSearch {
	sq, _ := starling.ParseStatusQuery(q)
	f := starling.StatusSearch{Words: sq.Words, Phrases: sq.Phrases, ViewerID: viewerID, AccountID: accounts[sq.From], HasMedia: sq.HasMedia, Limit: 20}
	if !sq.Before.IsZero() {
		f.MaxID = starling.MinIDAt(sq.Before)
	}
	return f
}

// pct returns the p-th percentile of ds (p = 100: the largest).
func pct(ds []time.Duration, p int) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	i := min(len(s)*p/100, len(s)-1)
	return s[i].Round(10 * time.Microsecond)
}

func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	return strings.Join(strings.Fields(string(b))[:3], " ")
}

// mustDBSize is the space the database's data takes: pages in use on
// SQLite, the database's size on PostgreSQL.
func mustDBSize(tb testing.TB, db *sqldb.DB, engine string) int64 {
	tb.Helper()
	_, read := db.SQL()
	var n int64
	q := `SELECT (SELECT page_count FROM pragma_page_count()) - (SELECT freelist_count FROM pragma_freelist_count())`
	if engine == "postgres" {
		q = `SELECT pg_database_size(current_database())`
	}
	if err := read.QueryRow(q).Scan(&n); err != nil {
		tb.Fatal(err)
	}
	if engine == "sqlite" {
		var size int64
		if err := read.QueryRow(`SELECT page_size FROM pragma_page_size()`).Scan(&size); err != nil {
			tb.Fatal(err)
		}
		n *= size
	}
	return n
}

// mustBenchTexts returns n post texts made from real tweets: the first part
// of one and the last part of another, without links.
func mustBenchTexts(tb testing.TB, n int) []string {
	tb.Helper()
	var tweets [][]string
	for _, f := range []struct {
		name string
		col  string
	}{
		{"mayweather-mcgregor-tweets.csv", "text"},
		{"twitter-ratio-BarackObama.csv", "text"},
		{"twitter-ratio-realDonaldTrump.csv", "text"},
	} {
		for _, tw := range mustCSVColumn(tb, shareddata.Path(tb, "tweets-fivethirtyeight", f.name), f.col) {
			var words []string
			for _, w := range strings.Fields(tw) {
				if !strings.HasPrefix(w, "http") && !strings.Contains(w, "&amp;") {
					words = append(words, w)
				}
			}
			if len(words) >= 2 {
				tweets = append(tweets, words)
			}
		}
	}
	rng := rand.New(rand.NewPCG(7, 7))
	out := make([]string, n)
	for i := range out {
		a, b := tweets[rng.IntN(len(tweets))], tweets[rng.IntN(len(tweets))]
		out[i] = strings.Join(append(slices.Clone(a[:1+rng.IntN(len(a))]), b[rng.IntN(len(b)):]...), " ")
	}
	return out
}

// mustCSVColumn reads one column of a CSV file. Bytes that are not UTF-8
// (the Twitter ratio files are partly Latin-1) are read as Latin-1.
func mustCSVColumn(tb testing.TB, path, col string) []string {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.LazyQuotes = true
	header, err := r.Read()
	if err != nil {
		tb.Fatal(err)
	}
	idx := slices.Index(header, col)
	if idx < 0 {
		tb.Fatalf("%s: no column %q", path, col)
	}
	var out []string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		} else if err != nil {
			continue // a malformed row
		}
		if idx < len(rec) {
			out = append(out, latin1IfNeeded(rec[idx]))
		}
	}
	if len(out) == 0 {
		tb.Fatalf("%s: no rows", path)
	}
	return out
}

func latin1IfNeeded(s string) string {
	if strings.ToValidUTF8(s, "") == s {
		return s
	}
	r := make([]rune, len(s))
	for i := range len(s) {
		r[i] = rune(s[i])
	}
	return string(r)
}

// lastQuery remembers the last search statement the store ran.
type lastQuery struct {
	query string
	args  []any
}

func (l *lastQuery) ObserveStatement(_, query string, args []any, _ time.Duration, _ error) {
	if strings.Contains(query, "ORDER BY") && strings.Contains(query, "acc.discoverable") {
		l.query, l.args = query, slices.Clone(args)
	}
}

func (l *lastQuery) ObserveTx(time.Duration, error) {}

// mustExplainSearches logs how the engine runs each search.
func mustExplainSearches(t *testing.T, db *sqldb.DB, engine string, viewerID int64, accounts map[string]int64, queries []string) {
	ctx := context.Background()
	rec := &lastQuery{}
	db.SetObserver(rec)
	defer db.SetObserver(nil)
	_, read := db.SQL()
	for _, q := range queries {
		if _, err := db.SearchStatuses(ctx, storeSearch(q, viewerID, accounts)); err != nil {
			t.Fatal(err)
		}
		explain := "EXPLAIN QUERY PLAN "
		if engine == "postgres" {
			explain = "EXPLAIN (ANALYZE, BUFFERS) "
		}
		rows, err := read.QueryContext(ctx, explain+rec.query, rec.args...)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		var plan []string
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, fmt.Sprint(vals[len(vals)-1]))
		}
		rows.Close()
		t.Logf("%s: %q:\n%s", engine, q, strings.Join(plan, "\n"))
	}
}
