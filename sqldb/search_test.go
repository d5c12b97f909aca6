package sqldb_test

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"starling"
	"starling/sqldb"
	"starling/sqldb/sqldbtest"
)

// MustSearch runs a store search and returns the IDs found.
func MustSearch(tb testing.TB, db *sqldb.DB, f starling.StatusSearch) []int64 {
	tb.Helper()
	if f.Limit == 0 {
		f.Limit = 40
	}
	ids, err := db.SearchStatuses(context.Background(), f)
	if err != nil {
		tb.Fatalf("search %+v: %v", f, err)
	}
	return ids
}

func TestSearchStatuses(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		f := newFixture(t, engine)
		alice, bob, carol := f.MustCreateAccount("alice"), f.MustCreateAccount("bob"), f.MustCreateAccount("carol")
		hidden := f.MustCreateAccount("hidden")
		hidden.Discoverable = false
		f.update(func(tx starling.Tx) error { return tx.UpdateAccount(ctx, hidden) })
		text := func(s string) func(*starling.Status) { return func(st *starling.Status) { st.Text = s } }

		carers := f.MustPost(alice, starling.VisibilityPublic, text("Support for Carers in Leeds this week #AdassSpring"))
		discharge := f.MustPost(alice, starling.VisibilityPublic, text("What works for hospital discharge? Keen to hear views."))
		reversed := f.MustPost(bob, starling.VisibilityPublic, text("Discharge from hospital went well today"))
		warned := f.MustPost(bob, starling.VisibilityPublic, text("Long thread inside"), func(s *starling.Status) { s.SpoilerText = "Safeguarding review" })
		unlisted := f.MustPost(bob, starling.VisibilityUnlisted, text("An unlisted note about safeguarding"))
		private := f.MustPost(bob, starling.VisibilityPrivate, text("Followers only: safeguarding training dates"))
		mention := f.MustPost(bob, starling.VisibilityDirect, text("@carol safeguarding question for you"), func(s *starling.Status) { s.MentionIDs = []int64{carol.ID} })
		shy := f.MustPost(hidden, starling.VisibilityPublic, text("Safeguarding thoughts from a private person"))
		reblog := f.MustPost(carol, starling.VisibilityPublic, func(s *starling.Status) { s.ReblogOfID = carers.ID; s.Text = "" })

		search := func(viewer *starling.Account, words ...string) []int64 {
			t.Helper()
			s := starling.StatusSearch{Words: words, Limit: 40}
			if viewer != nil {
				s.ViewerID = viewer.ID
			}
			return MustSearch(t, f.db, s)
		}
		want := func(ss ...*starling.Status) []int64 {
			out := make([]int64, len(ss))
			for i, s := range ss {
				out[i] = s.ID
			}
			return out
		}
		check := func(t *testing.T, what string, want, got []int64) {
			t.Helper()
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", what, diff)
			}
		}

		t.Run("Words", func(t *testing.T) {
			check(t, "stemmed and any case", want(carers), search(carol, "CARER"))
			check(t, "hashtag as a word", want(carers), search(carol, "adassspring"))
			check(t, "all words", want(carers), search(carol, "support", "leeds"))
			check(t, "a missing word", nil, search(carol, "support", "manchester"))
			check(t, "newest first", want(reversed, discharge), search(carol, "hospital"))
			check(t, "content warning", want(warned), search(alice, "review"))
		})
		t.Run("Without", func(t *testing.T) {
			got := MustSearch(t, f.db, starling.StatusSearch{Words: []string{"hospital"}, Without: []string{"views"}, ViewerID: carol.ID})
			check(t, "a word left out", want(reversed), got)
			got = MustSearch(t, f.db, starling.StatusSearch{Words: []string{"hospital"}, Without: []string{"hear views", "went well"}, ViewerID: carol.ID})
			check(t, "phrases left out", nil, got)
			got = MustSearch(t, f.db, starling.StatusSearch{Words: []string{"hospital"}, Without: []string{"views hear"}, ViewerID: carol.ID})
			check(t, "a phrase not there", want(reversed, discharge), got)
			got = MustSearch(t, f.db, starling.StatusSearch{Without: []string{"leeds"}, AccountID: alice.ID, ViewerID: carol.ID})
			check(t, "only left out, by account", want(discharge), got)
			got = MustSearch(t, f.db, starling.StatusSearch{Without: []string{"leeds", "keen"}, AccountID: alice.ID, ViewerID: carol.ID})
			check(t, "two left out, by account", nil, got)
		})
		t.Run("Phrases", func(t *testing.T) {
			got := MustSearch(t, f.db, starling.StatusSearch{Phrases: []string{"hospital discharge"}, ViewerID: carol.ID})
			check(t, "phrase", want(discharge), got)
			got = MustSearch(t, f.db, starling.StatusSearch{Words: []string{"views"}, Phrases: []string{"discharge from hospital"}, ViewerID: carol.ID})
			check(t, "phrase and word", nil, got)
		})
		t.Run("Filters", func(t *testing.T) {
			got := MustSearch(t, f.db, starling.StatusSearch{Words: []string{"hospital"}, AccountID: bob.ID, ViewerID: carol.ID})
			check(t, "by account", want(reversed), got)
			got = MustSearch(t, f.db, starling.StatusSearch{AccountID: alice.ID, ViewerID: carol.ID})
			check(t, "by account alone", want(discharge, carers), got)
			got = MustSearch(t, f.db, starling.StatusSearch{Words: []string{"hospital"}, MaxID: reversed.ID, ViewerID: carol.ID})
			check(t, "max id", want(discharge), got)
			got = MustSearch(t, f.db, starling.StatusSearch{Words: []string{"hospital"}, MinID: discharge.ID, ViewerID: carol.ID})
			check(t, "min id", want(reversed), got)
			got = MustSearch(t, f.db, starling.StatusSearch{Words: []string{"hospital"}, Limit: 1, Offset: 1, ViewerID: carol.ID})
			check(t, "offset", want(discharge), got)
		})
		// Accounts that post a lot are searched from the index's matches,
		// others status by status: both find the same.
		t.Run("BusyAccount", func(t *testing.T) {
			busy := f.MustCreateAccount("busy")
			var needle *starling.Status
			f.update(func(tx starling.Tx) error {
				for i := range 520 {
					id := f.id()
					s := &starling.Status{ID: id, AccountID: busy.ID, Text: fmt.Sprintf("Filler post %d", i), Visibility: starling.VisibilityPublic, ConversationID: id, CreatedAt: f.now}
					if i == 7 {
						s.Text, needle = "A needle in the haystack", s
					}
					if err := tx.CreateStatus(ctx, s); err != nil {
						return err
					}
				}
				return nil
			})
			quiet := f.MustPost(carol, starling.VisibilityPublic, text("Another needle"))
			for _, who := range []struct {
				acc  *starling.Account
				want []int64
			}{{busy, want(needle)}, {carol, want(quiet)}} {
				got := MustSearch(t, f.db, starling.StatusSearch{Words: []string{"needle"}, AccountID: who.acc.ID, ViewerID: alice.ID})
				check(t, who.acc.Username, who.want, got)
			}
			got := MustSearch(t, f.db, starling.StatusSearch{Words: []string{"filler"}, AccountID: busy.ID, ViewerID: alice.ID, Limit: 3})
			if len(got) != 3 || !(got[0] > got[1] && got[1] > got[2]) {
				t.Errorf("three newest filler posts: %v", got)
			}
			check(t, "nobody", nil, MustSearch(t, f.db, starling.StatusSearch{Words: []string{"needle"}, AccountID: 12345}))
			f.update(func(tx starling.Tx) error { return tx.DeleteAccount(ctx, busy.ID) })
			f.update(func(tx starling.Tx) error { return tx.DeleteStatus(ctx, quiet) })
		})
		t.Run("Media", func(t *testing.T) {
			m := &starling.MediaAttachment{ID: f.id(), AccountID: alice.ID, Type: "image", FileKey: "k", ContentType: "image/png", Width: 1, Height: 1, CreatedAt: f.now}
			f.update(func(tx starling.Tx) error { return tx.CreateMedia(ctx, m) })
			photo := f.MustPost(alice, starling.VisibilityPublic, text("A photo of the carers' garden"), func(s *starling.Status) { s.MediaIDs = []int64{m.ID} })
			got := MustSearch(t, f.db, starling.StatusSearch{Words: []string{"carers"}, HasMedia: true, ViewerID: bob.ID})
			check(t, "with media", want(photo), got)
			check(t, "without the filter", want(photo, carers), search(bob, "carers"))
			f.update(func(tx starling.Tx) error { return tx.DeleteStatus(ctx, photo) })
		})
		t.Run("Visibility", func(t *testing.T) {
			// Others find public posts of discoverable accounts only.
			check(t, "alice", want(warned), search(alice, "safeguarding"))
			check(t, "signed out", want(warned), search(nil, "safeguarding"))
			// The author finds everything of their own.
			check(t, "bob", want(mention, private, unlisted, warned), search(bob, "safeguarding"))
			check(t, "hidden", want(shy), search(hidden, "private", "person"))
			f.MustFollow(carol, hidden)
			check(t, "follower of hidden", nil, search(carol, "private", "person"))
			// The mentioned account finds the direct message.
			check(t, "carol", want(mention, warned), search(carol, "safeguarding"))
			// Followers find unlisted and followers-only posts too.
			f.MustFollow(alice, bob)
			check(t, "alice following bob", want(private, unlisted, warned), search(alice, "safeguarding"))
			f.update(func(tx starling.Tx) error { _, err := tx.DeleteFollow(ctx, alice.ID, bob.ID); return err })
			// Kept posts are found whatever their visibility.
			f.update(func(tx starling.Tx) error {
				if _, err := tx.Favourite(ctx, f.id(), alice.ID, private.ID, f.now); err != nil {
					return err
				}
				_, err := tx.Bookmark(ctx, f.id(), alice.ID, shy.ID, f.now)
				return err
			})
			check(t, "alice's favourite and bookmark", want(shy, private, warned), search(alice, "safeguarding"))
		})
		t.Run("Reblogs", func(t *testing.T) {
			if got := search(carol, "carers"); slices.Contains(got, reblog.ID) || !slices.Contains(got, carers.ID) {
				t.Errorf("found %v: want the original %d, not the reblog %d", got, carers.ID, reblog.ID)
			}
		})
		t.Run("EditAndDelete", func(t *testing.T) {
			edited := *reversed
			edited.Text, edited.EditedAt = "Discharge to assess pathway update", f.now
			f.update(func(tx starling.Tx) error { return tx.UpdateStatus(ctx, &edited) })
			check(t, "old words", want(discharge), search(carol, "hospital"))
			check(t, "new words", want(reversed), search(carol, "pathway"))
			f.update(func(tx starling.Tx) error { return tx.DeleteStatus(ctx, &edited) })
			check(t, "deleted", nil, search(carol, "pathway"))
			// An account's deletion takes its statuses out by cascade.
			f.update(func(tx starling.Tx) error { return tx.DeleteAccount(ctx, hidden.ID) })
			check(t, "deleted account", nil, search(alice, "person"))
		})
		t.Run("SearchSyntaxIsText", func(t *testing.T) {
			f.MustPost(alice, starling.VisibilityPublic, text(`Quotes "inside" and NEAR(a b) and col:val and ^x, a OR b`))
			for _, w := range []string{`"`, `"unterminated`, `NEAR(a b)`, `a OR`, `OR`, `AND`, `NOT`, `*`, `a*`, `^x`, `col:val`, `text:x`,
				`'; DROP TABLE statuses; --`, `\`, `\"`, `''`, `(`, `)`, `{a b}`, `a:b:c`, `-x`, `+`, `!`, `&`, `|`, `<->`, `:*`, `x:*A`,
				"\u00e9\u0301", "🙂", strings.Repeat("ab ", 3500)} {
				for _, s := range []starling.StatusSearch{{Words: []string{w}}, {Phrases: []string{w}}, {Words: []string{"quotes", w}, Phrases: []string{w + " x"}},
					{Words: []string{"quotes"}, Without: []string{w}}, {Without: []string{w, "a"}, AccountID: alice.ID}} {
					s.ViewerID, s.Limit = alice.ID, 5
					if _, err := f.db.SearchStatuses(ctx, s); err != nil {
						t.Errorf("search %+v: %v", s, err)
					}
				}
			}
			if n := len(search(alice, "col:val")); n != 1 {
				t.Errorf("col:val found %d statuses, want the one with those words", n)
			}
			if n := len(search(alice, "NEAR(a", "b)")); n != 1 {
				t.Errorf("NEAR(a b) found %d statuses, want the one with those words", n)
			}
		})
	})
}

// TestSearchIndexBackfill: migration 0011 indexes the statuses written before it.
func TestSearchIndexBackfill(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		dsn, dir := sqldbtest.MustDSN(t, engine), t.TempDir()
		db, err := sqldb.Open(ctx, dsn, dir)
		if err != nil {
			t.Fatal(err)
		}
		write, _ := db.SQL()
		MustDropSearchIndex(t, write, engine)
		f := &fixture{t: t, db: db, now: time.Date(2026, 5, 12, 9, 0, 0, 0, time.UTC)}
		alice := f.MustCreateAccount("alice")
		old := f.MustPost(alice, starling.VisibilityPublic, func(s *starling.Status) { s.Text = "Written before the search index" })
		db.Close()

		db, err = sqldb.Open(ctx, dsn, dir)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if got := MustSearch(t, db, starling.StatusSearch{Words: []string{"index"}}); !slices.Equal(got, []int64{old.ID}) {
			t.Errorf("found %v, want %d", got, old.ID)
		}
	})
}

// MustDropSearchIndex undoes migrations 0011 and 0019, so the next
// sqldb.Open applies them again, over the statuses written meanwhile.
func MustDropSearchIndex(tb testing.TB, write *sql.DB, engine string) {
	tb.Helper()
	stmts := map[string][]string{
		"sqlite": {`DROP TRIGGER status_search_insert`, `DROP TRIGGER status_search_update`, `DROP TRIGGER status_search_delete`,
			`DROP TRIGGER media_search_insert`, `DROP TRIGGER media_search_update`, `DROP TRIGGER media_search_delete`,
			`DROP TRIGGER poll_options_search_insert`, `DROP TRIGGER poll_options_search_update`, `DROP TRIGGER poll_options_search_delete`,
			`DROP TRIGGER polls_search_delete`, `DROP TRIGGER polls_search_update`, `DROP TABLE status_search`},
		"postgres": {`DROP FUNCTION media_attachments_search() CASCADE`, `DROP FUNCTION poll_options_search() CASCADE`, `DROP FUNCTION polls_search() CASCADE`,
			`DROP FUNCTION status_search_refresh(BIGINT[])`, `DROP FUNCTION status_search_extra(BIGINT)`, `DROP AGGREGATE status_search_concat(tsvector)`,
			`ALTER TABLE statuses DROP COLUMN search`, `ALTER TABLE statuses DROP COLUMN search_extra`},
	}[engine]
	for _, s := range append(stmts, `DELETE FROM schema_migrations WHERE name IN ('0011_search.sql', '0019_search_media_polls.sql')`) {
		if _, err := write.Exec(s); err != nil {
			tb.Fatalf("%s: %v", s, err)
		}
	}
}

// TestPostgresJITOff: Starling's PostgreSQL connections do not JIT-compile
// queries (dialect.go, withoutJIT).
func TestPostgresJITOff(t *testing.T) {
	db := sqldbtest.MustOpen(t, "postgres")
	_, read := db.SQL()
	var jit string
	if err := read.QueryRow(`SHOW jit`).Scan(&jit); err != nil || jit != "off" {
		t.Fatalf("jit = %q, %v; want off", jit, err)
	}
}
