package sqldb

import (
	"context"
	"testing"
	"time"

	"starling"
)

// TestCachesSeeWrites checks the row caches never hide a committed write of
// this process, and hide another process's writes for at most the TTL.
func TestCachesSeeWrites(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := Open(ctx, "", dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var ids starling.IDGenerator
	now := time.Now()
	alice := &starling.Account{ID: ids.Next(now), Username: "alice", CreatedAt: now, UpdatedAt: now}
	s := &starling.Status{ID: ids.Next(now), AccountID: alice.ID, Text: "first", Content: "<p>first</p>", Visibility: starling.VisibilityPublic, CreatedAt: now}
	s.ConversationID = s.ID
	update := func(fn func(tx starling.Tx) error) {
		t.Helper()
		if err := db.Update(ctx, fn); err != nil {
			t.Fatal(err)
		}
	}
	update(func(tx starling.Tx) error {
		if err := tx.CreateAccount(ctx, alice, nil); err != nil {
			return err
		}
		return tx.CreateStatus(ctx, s)
	})
	read := func() *starling.Status {
		t.Helper()
		got, err := db.Status(ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	read() // now cached
	update(func(tx starling.Tx) error {
		_, err := tx.Favourite(ctx, ids.Next(now), alice.ID, s.ID, now)
		return err
	})
	if got := read(); got.FavouritesCount != 1 {
		t.Fatalf("favourites_count after a favourite = %d; the cache hid the write", got.FavouritesCount)
	}
	s.Text, s.Content, s.EditedAt = "second", "<p>second</p>", now
	update(func(tx starling.Tx) error { return tx.UpdateStatus(ctx, s) })
	if got := read(); got.Text != "second" {
		t.Fatalf("text after an edit = %q", got.Text)
	}
	if a, _ := db.Account(ctx, alice.ID); a.StatusesCount != 1 {
		t.Fatalf("statuses_count = %d", a.StatusesCount)
	}
	alice.DisplayName = "Alice A."
	update(func(tx starling.Tx) error { return tx.UpdateAccount(ctx, alice) })
	if a, _ := db.Account(ctx, alice.ID); a.DisplayName != "Alice A." {
		t.Fatalf("display name after update = %q", a.DisplayName)
	}
	// Values handed out are copies: changing one does not change the cache.
	got := read()
	got.Text = "scribbled on"
	if read().Text != "second" {
		t.Fatal("a caller's change to a returned status reached the cache")
	}

	// Another process writing to the same file is seen within the TTL.
	db.rows.statuses.ttl = 50 * time.Millisecond
	other, err := Open(ctx, "", dir)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	read()
	if err := other.Update(ctx, func(tx starling.Tx) error { return tx.DeleteStatus(ctx, s) }); err != nil {
		t.Fatal(err)
	}
	time.Sleep(60 * time.Millisecond)
	if _, err := db.Status(ctx, s.ID); starling.ErrorCode(err) != starling.ENOTFOUND {
		t.Fatalf("status deleted by another process still served after the TTL: %v", err)
	}
}
