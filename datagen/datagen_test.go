package datagen_test

import (
	"context"
	"testing"

	"starling"
	"starling/datagen"
	"starling/sqldb/sqldbtest"
)

func TestFill(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		db := sqldbtest.MustOpen(t, engine)
		res, err := datagen.Fill(ctx, db, datagen.Options{Accounts: 300, Posts: 2000, MeanFollows: 30, Readers: 10, FeedSize: 50, Tokens: 3})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.AccountIDs) != 300 || len(res.ReaderIDs) != 10 {
			t.Fatalf("result = %d accounts, %d readers", len(res.AccountIDs), len(res.ReaderIDs))
		}
		// A power-law tail: the most followed account has many times the mean.
		if mean := res.Follows / 300; res.MaxFollowers < 4*mean {
			t.Fatalf("max followers %d is not far above the mean %d: no skew", res.MaxFollowers, mean)
		}
		top, err := db.Account(ctx, res.AccountIDs[0])
		if err != nil || top.FollowersCount != res.MaxFollowers {
			t.Fatalf("top account followers_count = %d, want %d (%v)", top.FollowersCount, res.MaxFollowers, err)
		}
		users, statuses, err := db.InstanceStats(ctx)
		if err != nil || users != 300 || statuses != 2000 {
			t.Fatalf("stats = %d users, %d statuses, %v", users, statuses, err)
		}
		feed, err := db.HomeTimeline(ctx, res.ReaderIDs[0], starling.Page{Limit: 100})
		if err != nil || len(feed) == 0 || len(feed) > 50 {
			t.Fatalf("reader's home feed = %d entries, %v; want 1..50", len(feed), err)
		}
		if _, err := db.Statuses(ctx, feed); err != nil {
			t.Fatal(err)
		}
		if u, err := db.User(ctx, res.ReaderIDs[0]); err != nil || u.FeedActiveAt.IsZero() {
			t.Fatalf("reader's feed_active_at = %v, %v; readers count as active", u, err)
		}
		if len(res.Tokens) != 3 {
			t.Fatalf("%d tokens, want 3", len(res.Tokens))
		}
		tok, err := db.TokenByHash(ctx, starling.HashSecret(res.Tokens[0]))
		if err != nil || tok.AccountID != res.ReaderIDs[0] || !tok.Scopes.Allows("write:statuses") {
			t.Fatalf("token = %+v, %v; want a full-scope token of the first reader", tok, err)
		}
	})
}
