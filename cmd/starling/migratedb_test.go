package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"starling"
	"starling/apptest"
	"starling/datagen"
	"starling/sqldb"
	"starling/sqldb/sqldbtest"
	"starling/text"
)

// community is what MustCommunity made: tokens to read with, and ids to ask about.
type community struct {
	tokens   []string // of members with something in every corner of the API
	accounts []int64
	statuses []int64
	listID   int64
}

// MustCommunity fills a SQLite database in dir through the service, as
// members would, on top of a small generated community, and closes it.
func MustCommunity(tb testing.TB, dir string) community {
	tb.Helper()
	ctx := context.Background()
	db, err := sqldb.Open(ctx, "", dir)
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	gen, err := datagen.Fill(ctx, db, datagen.Options{Accounts: 80, Posts: 800, MeanFollows: 10, Readers: 4, FeedSize: 100, Tokens: 2})
	if err != nil {
		tb.Fatal(err)
	}
	in := apptest.Instance()
	svc := starling.NewService(db, text.NewProcessor(&in), apptest.FastPasswords, in, nil)
	var c community
	c.tokens = append(c.tokens, gen.Tokens...)
	must := func(err error) {
		tb.Helper()
		if err != nil {
			tb.Fatal(err)
		}
	}
	staff, staffUser, err := svc.Register(ctx, starling.SignUp{Username: "ada", Email: "ada@example.org", Password: "password123",
		Admin: true, SkipApproval: true, SkipAgreement: true, AllowReserved: true})
	must(err)
	bob := apptest.MustAccount(tb, svc, "bob")
	cat := apptest.MustAccount(tb, svc, "cat")
	dan := apptest.MustAccount(tb, svc, "dan")
	locked := true
	_, err = svc.UpdateProfile(ctx, cat, starling.ProfileUpdate{Locked: &locked})
	must(err)
	for _, pair := range [][2]*starling.Account{{bob, staff}, {staff, bob}, {dan, staff}, {staff, dan}, {bob, cat}, {dan, cat}} {
		_, err := svc.Follow(ctx, pair[0], pair[1].ID, starling.FollowOptions{})
		must(err)
	}
	_, err = svc.AuthorizeFollowRequest(ctx, cat, bob.ID) // dan's stays pending
	must(err)
	_, err = svc.Follow(ctx, staff, gen.AccountIDs[0], starling.FollowOptions{})
	must(err)
	post := func(a *starling.Account, s starling.NewStatus) *starling.Status {
		tb.Helper()
		st, err := svc.PostStatus(ctx, a, s)
		must(err)
		c.statuses = append(c.statuses, st.ID)
		return st
	}
	hello := post(staff, starling.NewStatus{Text: "Welcome @bob and @dan to #AdassSpring! https://example.org/programme"})
	reply := post(bob, starling.NewStatus{Text: "@ada thank you, see you at the #adassspring reception", InReplyToID: hello.ID})
	post(dan, starling.NewStatus{Text: "@bob @ada a thread on #carers", InReplyToID: reply.ID, Visibility: starling.VisibilityUnlisted})
	post(cat, starling.NewStatus{Text: "Followers only: rota changes next week", Visibility: starling.VisibilityPrivate})
	post(staff, starling.NewStatus{Text: "@bob the minutes, privately", Visibility: starling.VisibilityDirect})
	cw := post(bob, starling.NewStatus{Text: "Safeguarding case notes discussion", SpoilerText: "safeguarding", Sensitive: true, Language: "en", IdempotencyKey: "k1"})
	edited := "Safeguarding: case notes discussion, edited"
	_, err = svc.EditStatus(ctx, bob, cw.ID, starling.StatusChange{Text: &edited})
	must(err)
	_, err = svc.Reblog(ctx, dan, hello.ID, "")
	must(err)
	for _, a := range []*starling.Account{bob, dan} {
		_, err = svc.Favourite(ctx, a, hello.ID)
		must(err)
	}
	_, err = svc.Bookmark(ctx, bob, hello.ID)
	must(err)
	_, err = svc.Pin(ctx, staff, hello.ID)
	must(err)
	list, err := svc.CreateList(ctx, staff, starling.List{Title: "Conference team"})
	must(err)
	must(svc.AddListMembers(ctx, staff, list.ID, []int64{bob.ID, dan.ID}))
	featured := true
	_, err = svc.UpdateList(ctx, staff, list.ID, starling.ListChange{Featured: &featured})
	must(err)
	c.listID = list.ID
	_, err = svc.SaveMarkers(ctx, bob, []*starling.Marker{{Timeline: "home", LastReadID: hello.ID}})
	must(err)
	must(svc.SetWallApproveFirst(ctx, staffUser, "adassspring", true))
	must(svc.ModerateWall(ctx, staffUser, "adassspring", hello.ID, starling.WallPin))
	must(svc.ModerateWall(ctx, staffUser, "adassspring", reply.ID, starling.WallHide))
	for _, a := range []*starling.Account{staff, bob, cat, dan} {
		c.tokens = append(c.tokens, apptest.MustToken(tb, svc, a))
		c.accounts = append(c.accounts, a.ID)
	}
	c.accounts = append(c.accounts, gen.AccountIDs[0], gen.AccountIDs[1])
	return c
}

// MustServe runs `starling serve` on a free port with extra flags and the
// public domain starling.test, so two servers write the same URLs, and
// returns the address it listens on.
func MustServe(tb testing.TB, extra ...string) string {
	tb.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stdout, stderr := &syncBuffer{}, &syncBuffer{}
	args := append([]string{"serve", "--listen", "127.0.0.1:0", "--domain", "starling.test", "--auth-rate", "0"}, extra...)
	done := make(chan error, 1)
	go func() { done <- run(ctx, args, func(string) string { return "" }, stdout, stderr) }()
	tb.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			tb.Errorf("server stopped with error: %v\n%s", err, stderr.String())
		}
	})
	listening := regexp.MustCompile(`listening on (\S+)\)`)
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if m := listening.FindStringSubmatch(stdout.String()); m != nil {
			MustWaitHealthy(tb, "http://"+m[1])
			return "http://" + m[1]
		}
		select {
		case err := <-done:
			tb.Fatalf("server exited early: %v\n%s", err, stderr.String())
		default:
		}
	}
	tb.Fatalf("server did not start:\n%s", stderr.String())
	return ""
}

// MustMigrate runs `starling migrate-db` and returns its output.
func MustMigrate(tb testing.TB, args ...string) string {
	tb.Helper()
	var out syncBuffer
	if err := run(context.Background(), append([]string{"migrate-db"}, args...), func(string) string { return "" }, &out, &out); err != nil {
		tb.Fatalf("migrate-db: %v\n%s", err, out.String())
	}
	return out.String()
}

// tableCounts counts every table's rows, the tables listed by SQLite.
func tableCounts(tb testing.TB, db *sql.DB, tables []string) map[string]int64 {
	tb.Helper()
	counts := map[string]int64{}
	for _, t := range tables {
		var n int64
		if err := db.QueryRow(`SELECT count(*) FROM ` + t).Scan(&n); err != nil {
			tb.Fatalf("count %s: %v", t, err)
		}
		counts[t] = n
	}
	return counts
}

// MustTables lists the SQLite file's tables, bookkeeping aside, and the
// full-text index too (a virtual table and the shadow tables named after
// it), which is SQLite's alone: PostgreSQL keeps its own, in a column.
func MustTables(tb testing.TB, db *sql.DB) []string {
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

// MustRowHashes returns, per table, the sorted md5 sums of the PostgreSQL rows.
func MustRowHashes(tb testing.TB, pg *sql.DB, tables []string) map[string]string {
	tb.Helper()
	sums := map[string]string{}
	for _, table := range tables {
		var s sql.NullString
		if err := pg.QueryRow(`SELECT string_agg(md5(t::text), ',' ORDER BY md5(t::text)) FROM ` + table + ` t`).Scan(&s); err != nil {
			tb.Fatalf("hash %s: %v", table, err)
		}
		sums[table] = s.String
	}
	return sums
}

// MustFetch GETs path with a bearer token and returns status, Link header and body.
func MustFetch(tb testing.TB, base, path, token string) string {
	tb.Helper()
	req, err := http.NewRequest("GET", base+path, nil)
	if err != nil {
		tb.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatal(err)
	}
	return fmt.Sprintf("%d\nLink: %s\n%s", resp.StatusCode, resp.Header.Get("Link"), body)
}

func TestMigrateDB(t *testing.T) {
	dsn := sqldbtest.MustDSN(t, "postgres")
	dir := t.TempDir()
	c := MustCommunity(t, dir)
	file := filepath.Join(dir, "starling.db")
	src, err := sql.Open("sqlite", "file:"+file+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	tables := MustTables(t, src)
	for _, want := range []string{"accounts", "users", "statuses", "mentions", "tags", "status_tags", "follows", "follow_requests",
		"lists", "list_members", "home_feed", "favourites", "bookmarks", "pins", "notifications", "applications", "tokens",
		"status_edits", "markers", "account_conversations", "idempotency_keys", "walls", "wall_posts"} {
		if !slices.Contains(tables, want) {
			t.Fatalf("SQLite has no table %s; tables %v", want, tables)
		}
	}
	want := tableCounts(t, src, tables)
	for _, table := range []string{"mentions", "status_tags", "follow_requests", "list_members", "favourites", "bookmarks", "pins",
		"notifications", "tokens", "status_edits", "markers", "account_conversations", "idempotency_keys", "walls", "wall_posts"} {
		if want[table] == 0 {
			t.Errorf("the test community has no %s; it should fill every table", table)
		}
	}
	pg, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()

	out := MustMigrate(t, "--from", "sqlite:"+dir, "--to", dsn, "--batch", "250")
	if !strings.Contains(out, "Every table matches") {
		t.Fatalf("migrate-db output lacks the verdict:\n%s", out)
	}
	if diff := cmp.Diff(want, tableCounts(t, pg, tables)); diff != "" {
		t.Fatalf("row counts (-SQLite +PostgreSQL):\n%s", diff)
	}
	before := MustRowHashes(t, pg, tables)

	t.Run("RunAgain", func(t *testing.T) {
		out := MustMigrate(t, "--from", "sqlite:"+file, "--to", dsn)
		if !strings.Contains(out, "Every table matches") {
			t.Fatalf("second run:\n%s", out)
		}
		total := regexp.MustCompile(`(?m)^all tables\s+(\S+)\s+(\S+)\s+(\S+)$`).FindStringSubmatch(out)
		if total == nil || total[3] != "0" {
			t.Fatalf("second run added rows (%v):\n%s", total, out)
		}
		if diff := cmp.Diff(before, MustRowHashes(t, pg, tables)); diff != "" {
			t.Fatalf("the second run changed PostgreSQL (-before +after):\n%s", diff)
		}
	})

	t.Run("SameAPI", func(t *testing.T) {
		lite := MustServe(t, "--data", dir)
		post := MustServe(t, "--data", t.TempDir(), "--db", dsn)
		var paths []string
		for _, tok := range c.tokens {
			for _, p := range []string{"/api/v1/accounts/verify_credentials", "/api/v1/timelines/home?limit=40", "/api/v1/notifications",
				"/api/v2/notifications", "/api/v1/conversations", "/api/v1/favourites", "/api/v1/bookmarks", "/api/v1/lists",
				"/api/v1/follow_requests", "/api/v1/markers?timeline[]=home", "/api/v1/timelines/list/" + fmt.Sprint(c.listID),
				"/api/v1/lists/" + fmt.Sprint(c.listID) + "/accounts", "/api/v2/search?type=statuses&q=adassspring", "/api/v2/search?type=statuses&q=from:me"} {
				paths = append(paths, tok+" "+p)
			}
		}
		for _, id := range c.accounts {
			for _, p := range []string{"", "/statuses", "/statuses?pinned=true", "/followers", "/following"} {
				paths = append(paths, c.tokens[0]+" /api/v1/accounts/"+fmt.Sprint(id)+p)
			}
		}
		for _, id := range c.statuses {
			for _, p := range []string{"", "/context", "/history", "/favourited_by", "/reblogged_by", "/source"} {
				paths = append(paths, c.tokens[len(c.tokens)-3]+" /api/v1/statuses/"+fmt.Sprint(id)+p)
			}
		}
		paths = append(paths, " /api/v1/timelines/public?local=true&limit=40", " /api/v1/timelines/tag/adassspring", " /api/v2/instance")
		ok := 0
		for _, p := range paths {
			tok, path, _ := strings.Cut(p, " ")
			a, b := MustFetch(t, lite, path, tok), MustFetch(t, post, path, tok)
			if diff := cmp.Diff(a, b); diff != "" {
				t.Errorf("GET %s differs (-SQLite +PostgreSQL):\n%s", path, diff)
			} else if strings.HasPrefix(a, "200") {
				ok++
			}
		}
		// Tokens issued on SQLite sign in on PostgreSQL: the answers above
		// would be 401s otherwise, and equal.
		if ok < len(paths)*8/10 { // the rest: others' lists and post sources, 404 on both
			t.Fatalf("only %d of %d requests answered 200", ok, len(paths))
		}
		t.Logf("%d requests answered alike, %d of them 200", len(paths), ok)
		if got := MustFetch(t, post, "/api/v1/accounts/verify_credentials", c.tokens[len(c.tokens)-1]); !strings.HasPrefix(got, "200") || !strings.Contains(got, `"username":"dan"`) {
			t.Fatalf("a SQLite token on PostgreSQL: %s", got)
		}
	})
}

func TestMigrateDBFlags(t *testing.T) {
	data := t.TempDir()
	db, err := sqldb.Open(context.Background(), "", data)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	for name, args := range map[string][]string{
		"ErrFromScheme":  {"--from", "mysql://x", "--to", "postgres://127.0.0.1/x"},
		"ErrFromMissing": {"--from", "sqlite:" + filepath.Join(data, "nothing-here"), "--to", "postgres://127.0.0.1/x"},
		"ErrFolderNoDB":  {"--from", "sqlite:" + t.TempDir(), "--to", "postgres://127.0.0.1/x"},
		"ErrToMissing":   {"--from", "sqlite:" + data},
		"ErrToSQLite":    {"--from", "sqlite:" + data, "--to", "sqlite:/tmp/x.db"},
		"ErrBatch":       {"--from", "sqlite:" + data, "--to", "postgres://127.0.0.1/x", "--batch", "0"},
		"ErrJobs":        {"--from", "sqlite:" + data, "--to", "postgres://127.0.0.1/x", "--jobs", "0"},
	} {
		t.Run(name, func(t *testing.T) {
			var out syncBuffer
			if err := run(context.Background(), append([]string{"migrate-db"}, args...), func(string) string { return "" }, &out, &out); err == nil {
				t.Fatalf("migrate-db %v succeeded", args)
			}
			if strings.Contains(out.String(), "Copying") {
				t.Fatalf("migrate-db %v started copying:\n%s", args, out.String())
			}
		})
	}
	t.Run("Help", func(t *testing.T) {
		var out syncBuffer
		err := run(context.Background(), []string{"migrate-db", "-h"}, func(string) string { return "" }, &out, &out)
		if !errors.Is(err, flag.ErrHelp) || !strings.Contains(out.String(), "Stop the server first") || !strings.Contains(out.String(), "--to") {
			t.Fatalf("migrate-db -h: %v\n%s", err, out.String())
		}
	})
	t.Run("SourceFile", func(t *testing.T) {
		file := filepath.Join(data, "starling.db")
		for _, from := range []string{"", "sqlite:", "sqlite:" + data, "sqlite:" + file, "file:" + file} {
			got, err := sourceFile(from, data)
			if err != nil || got != file {
				t.Errorf("sourceFile(%q) = %q, %v; want %q", from, got, err, file)
			}
		}
	})
}
