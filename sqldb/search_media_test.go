package sqldb_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"starling"
	"starling/sqldb"
	"starling/sqldb/sqldbtest"
)

// TestSearchMediaAndPolls: search finds posts by the descriptions of their
// images and the options of their polls (migration 0019), through every
// write the store makes to them.
func TestSearchMediaAndPolls(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		f := newFixture(t, engine)
		alice, bob, carol := f.MustCreateAccount("alice"), f.MustCreateAccount("bob"), f.MustCreateAccount("carol")
		media := func(owner *starling.Account, description string) *starling.MediaAttachment {
			t.Helper()
			m := &starling.MediaAttachment{ID: f.id(), AccountID: owner.ID, Type: "image", FileKey: "k", ContentType: "image/png",
				Width: 1, Height: 1, Description: description, CreatedAt: f.now}
			f.update(func(tx starling.Tx) error { return tx.CreateMedia(ctx, m) })
			return m
		}
		found := func(t *testing.T, what string, s starling.StatusSearch, want ...*starling.Status) {
			t.Helper()
			if s.ViewerID == 0 {
				s.ViewerID = bob.ID
			}
			var ids []int64
			for _, w := range want {
				ids = append(ids, w.ID)
			}
			if diff := cmp.Diff(ids, MustSearch(t, f.db, s)); diff != "" {
				t.Errorf("%s (-want +got):\n%s", what, diff)
			}
		}
		words := func(w ...string) starling.StatusSearch { return starling.StatusSearch{Words: w} }

		heron, blank := media(alice, "A heron standing in the estuary"), media(alice, "")
		walk := f.MustPost(alice, starling.VisibilityPublic, func(s *starling.Status) {
			s.Text, s.MediaIDs = "Morning walk", []int64{heron.ID, blank.ID}
		})

		t.Run("Description", func(t *testing.T) {
			found(t, "a word only in the alt text", words("heron"), walk)
			found(t, "stemmed", words("estuaries"), walk)
			found(t, "one word in the text, one in the alt text", words("morning", "heron"), walk)
			found(t, "phrase in the alt text", starling.StatusSearch{Phrases: []string{"heron standing"}}, walk)
			found(t, "phrase from the text into the alt text", starling.StatusSearch{Phrases: []string{"walk a heron"}})
			found(t, "phrase from the text into the alt text, no stop word", starling.StatusSearch{Phrases: []string{"walk heron"}})
			found(t, "has:media", starling.StatusSearch{Words: []string{"heron"}, HasMedia: true}, walk)
			found(t, "by account", starling.StatusSearch{Words: []string{"heron"}, AccountID: alice.ID}, walk)
			found(t, "left out", starling.StatusSearch{Words: []string{"morning"}, Without: []string{"heron"}})
			found(t, "only left out, by account", starling.StatusSearch{Without: []string{"heron"}, AccountID: alice.ID})
		})
		t.Run("DescriptionChanged", func(t *testing.T) {
			heron.Description, heron.StatusID = "A grey bird by the water", walk.ID
			f.update(func(tx starling.Tx) error { return tx.UpdateMedia(ctx, heron) })
			found(t, "old description", words("heron"))
			found(t, "new description", words("grey"), walk)
			blank.Description, blank.StatusID = "Mudflats at low tide", walk.ID
			f.update(func(tx starling.Tx) error { return tx.UpdateMedia(ctx, blank) })
			found(t, "a second description", words("mudflats"), walk)
			found(t, "the first still", words("grey"), walk)
			found(t, "phrase from one description into the next", starling.StatusSearch{Phrases: []string{"water mudflats"}}, expectSpan(engine, walk)...)
		})
		t.Run("Edit", func(t *testing.T) {
			otter := media(alice, "An otter on the riverbank")
			edited := *walk
			// Reordered, one taken off, one added.
			edited.MediaIDs = []int64{otter.ID, blank.ID}
			f.update(func(tx starling.Tx) error {
				_, err := tx.SetStatusMedia(ctx, &edited)
				return err
			})
			found(t, "taken off", words("grey"))
			found(t, "kept", words("mudflats"), walk)
			found(t, "added", words("otter"), walk)
			// Taken off posts stay uploads of their own, found by nothing.
			f.update(func(tx starling.Tx) error {
				if ok, err := tx.DeleteUnattachedMedia(ctx, heron.ID); err != nil || !ok {
					return fmt.Errorf("delete the upload taken off: %v, %w", ok, err)
				}
				return nil
			})
			found(t, "after the upload is deleted", words("grey"))
			found(t, "the others stay", words("otter", "mudflats"), walk)
			edited.MediaIDs = []int64{blank.ID, otter.ID}
			f.update(func(tx starling.Tx) error {
				_, err := tx.SetStatusMedia(ctx, &edited)
				return err
			})
			found(t, "reordered", words("otter", "mudflats"), walk)
			edited.Text, edited.EditedAt = "Evening walk", f.now
			f.update(func(tx starling.Tx) error { return tx.UpdateStatus(ctx, &edited) })
			found(t, "text edited", words("evening", "otter"), walk)
			found(t, "old text", words("morning"))
			edited.MediaIDs = nil
			f.update(func(tx starling.Tx) error {
				_, err := tx.SetStatusMedia(ctx, &edited)
				return err
			})
			found(t, "all taken off", words("otter"))
			found(t, "text still", words("evening"), walk)
			edited.MediaIDs = []int64{otter.ID}
			f.update(func(tx starling.Tx) error {
				_, err := tx.SetStatusMedia(ctx, &edited)
				return err
			})
			found(t, "put back", words("otter"), walk)
		})
		t.Run("Poll", func(t *testing.T) {
			meeting := f.MustPost(carol, starling.VisibilityPublic, func(s *starling.Status) { s.Text = "Which day suits the team?" })
			p := &starling.Poll{ID: f.id(), StatusID: meeting.ID, AccountID: carol.ID, ExpiresAt: f.now.Add(24 * time.Hour), CreatedAt: f.now,
				Options: []starling.PollOption{{Title: "Tuesday afternoon"}, {Title: "Thursday morning"}, {Title: "Friday lunchtime"}}}
			f.update(func(tx starling.Tx) error { return tx.CreatePoll(ctx, p) })
			found(t, "a word only in an option", words("thursday"), meeting)
			found(t, "words in the text and an option", words("team", "lunchtime"), meeting)
			found(t, "phrase in an option", starling.StatusSearch{Phrases: []string{"thursday morning"}}, meeting)
			found(t, "phrase from the text into an option", starling.StatusSearch{Phrases: []string{"team tuesday"}})
			found(t, "phrase from one option into the next", starling.StatusSearch{Phrases: []string{"afternoon thursday"}}, expectSpan(engine, meeting)...)
			// Votes change counts, not words.
			f.update(func(tx starling.Tx) error { return tx.Vote(ctx, p, bob.ID, []int{1}, f.now) })
			found(t, "after a vote", words("thursday"), meeting)
			f.update(func(tx starling.Tx) error { return tx.DeleteStatus(ctx, meeting) })
			found(t, "deleted", words("thursday"))
		})
		t.Run("Visibility", func(t *testing.T) {
			secret := media(alice, "Badger sett location")
			private := f.MustPost(alice, starling.VisibilityPrivate, func(s *starling.Status) { s.Text, s.MediaIDs = "For followers", []int64{secret.ID} })
			found(t, "not a follower", words("badger"))
			found(t, "the author", starling.StatusSearch{Words: []string{"badger"}, ViewerID: alice.ID}, private)
		})
		t.Run("Delete", func(t *testing.T) {
			f.update(func(tx starling.Tx) error { return tx.DeleteStatus(ctx, walk) })
			found(t, "deleted post's alt text", words("otter"))
			found(t, "deleted post's alt text, by account", starling.StatusSearch{Words: []string{"otter"}, AccountID: alice.ID, ViewerID: alice.ID})
			// Its attachment is an upload of its own again (ON DELETE SET
			// NULL), and describing it finds nothing.
			m, err := f.db.Media(ctx, blank.ID)
			if err != nil || m.StatusID != 0 {
				t.Fatalf("attachment of the deleted post: %+v, %v", m, err)
			}
			m.Description = "Mudflats again"
			f.update(func(tx starling.Tx) error { return tx.UpdateMedia(ctx, m) })
			found(t, "unattached upload", words("mudflats"))
			// A new post with it is found.
			again := f.MustPost(alice, starling.VisibilityPublic, func(s *starling.Status) { s.Text, s.MediaIDs = "Second try", []int64{blank.ID} })
			found(t, "attached again", words("mudflats"), again)
			// An account's deletion takes its posts and uploads by cascade.
			f.update(func(tx starling.Tx) error { return tx.DeleteAccount(ctx, alice.ID) })
			found(t, "deleted account", words("mudflats"))
		})
	})
}

// expectSpan is what a phrase that runs from one image description or poll
// option into the next finds: the post on SQLite, where they share an FTS5
// column, nothing on PostgreSQL, where each is its own piece of the
// tsvector.
func expectSpan(engine string, s *starling.Status) []*starling.Status {
	if engine == "sqlite" {
		return []*starling.Status{s}
	}
	return nil
}

// TestSearchMediaAndPollsBackfill: migration 0019 indexes the descriptions
// and poll options of the statuses written before it.
func TestSearchMediaAndPollsBackfill(t *testing.T) {
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
		m := &starling.MediaAttachment{ID: f.id(), AccountID: alice.ID, Type: "image", FileKey: "k", ContentType: "image/png",
			Width: 1, Height: 1, Description: "Kingfisher on a branch", CreatedAt: f.now}
		f.update(func(tx starling.Tx) error { return tx.CreateMedia(ctx, m) })
		photo := f.MustPost(alice, starling.VisibilityPublic, func(s *starling.Status) { s.Text, s.MediaIDs = "Look", []int64{m.ID} })
		asked := f.MustPost(alice, starling.VisibilityPublic, func(s *starling.Status) { s.Text = "Lunch?" })
		f.update(func(tx starling.Tx) error {
			return tx.CreatePoll(ctx, &starling.Poll{ID: f.id(), StatusID: asked.ID, AccountID: alice.ID, ExpiresAt: f.now.Add(time.Hour), CreatedAt: f.now,
				Options: []starling.PollOption{{Title: "Sandwiches"}, {Title: "Noodles"}}})
		})
		plain := f.MustPost(alice, starling.VisibilityPublic, func(s *starling.Status) { s.Text = "Nothing attached, noodles" })
		db.Close()

		db, err = sqldb.Open(ctx, dsn, dir)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		for _, c := range []struct {
			word string
			want []int64
		}{{"kingfisher", []int64{photo.ID}}, {"sandwiches", []int64{asked.ID}}, {"noodles", []int64{plain.ID, asked.ID}}, {"look", []int64{photo.ID}}} {
			if got := MustSearch(t, db, starling.StatusSearch{Words: []string{c.word}}); !slices.Equal(got, c.want) {
				t.Errorf("%s: found %v, want %v", c.word, got, c.want)
			}
		}
	})
}

// TestSearchMediaConcurrent: two transactions that describe images of one
// post at once both count. On PostgreSQL the second waits for the first
// and then reads what it committed (status_search_refresh, migration 0019);
// SQLite has one writer, so they run one after the other.
func TestSearchMediaConcurrent(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		f := newFixture(t, engine)
		alice := f.MustCreateAccount("alice")
		var ms []*starling.MediaAttachment
		for _, d := range []string{"Alpha", "Bravo", "Charlie"} {
			m := &starling.MediaAttachment{ID: f.id(), AccountID: alice.ID, Type: "image", FileKey: "k", ContentType: "image/png",
				Width: 1, Height: 1, Description: d + " picture", CreatedAt: f.now}
			f.update(func(tx starling.Tx) error { return tx.CreateMedia(ctx, m) })
			ms = append(ms, m)
		}
		post := f.MustPost(alice, starling.VisibilityPublic, func(s *starling.Status) { s.Text, s.MediaIDs = "Three", []int64{ms[0].ID} })
		write, _ := f.db.SQL()
		first, err := write.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer first.Rollback()
		if _, err := first.ExecContext(ctx, `UPDATE media_attachments SET status_id = $1, position = 1 WHERE id = $2`, post.ID, ms[1].ID); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() {
			tx, err := write.BeginTx(ctx, nil)
			if err != nil {
				done <- err
				return
			}
			defer tx.Rollback()
			if _, err := tx.ExecContext(ctx, `UPDATE media_attachments SET status_id = $1, position = 2 WHERE id = $2`, post.ID, ms[2].ID); err != nil {
				done <- err
				return
			}
			done <- tx.Commit()
		}()
		// The second waits for the first (PostgreSQL: for its row lock on
		// the status; SQLite: for the one write connection).
		time.Sleep(100 * time.Millisecond)
		for deadline := time.Now().Add(10 * time.Second); engine == "postgres" && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
			var waiting int
			if err := write.QueryRowContext(ctx, `SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&waiting); err != nil {
				t.Fatal(err)
			}
			if waiting > 0 {
				break
			}
		}
		if err := first.Commit(); err != nil {
			t.Fatal(err)
		}
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		for _, w := range []string{"alpha", "bravo", "charlie"} {
			if got := MustSearch(t, f.db, starling.StatusSearch{Words: []string{w, "three"}}); !slices.Equal(got, []int64{post.ID}) {
				t.Errorf("%s: found %v, want %d", w, got, post.ID)
			}
		}
	})
}
