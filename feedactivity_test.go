package starling_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"starling"
	"starling/apptest"
	"starling/sqldb/sqldbtest"
	"starling/text"
)

// TestAwayMembersTimelineRebuilt: fan-out skips members who have not read
// their home timeline for two weeks; when they come back, the timeline is
// rebuilt from the accounts they follow, and fan-out reaches them again.
func TestAwayMembersTimelineRebuilt(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		db := sqldbtest.MustOpen(t, engine)
		now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		in := apptest.Instance()
		svc := starling.NewService(db, text.NewProcessor(&in), apptest.FastPasswords, in, func() time.Time { return now })
		alice, bob := apptest.MustAccount(t, svc, "alice"), apptest.MustAccount(t, svc, "bob")
		MustFollow(t, svc, bob, alice)
		before := MustPost(t, svc, alice, "before bob went away", starling.VisibilityPublic)
		if home, _ := svc.HomeTimeline(ctx, bob, starling.Page{}); len(home) != 1 {
			t.Fatalf("bob's home = %v", ids(home))
		}

		now = now.Add(15 * 24 * time.Hour)
		away := MustPost(t, svc, alice, "while bob was away", starling.VisibilityPublic)
		stored, err := db.HomeTimeline(ctx, bob.ID, starling.Page{Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]int64{before.ID}, stored); diff != "" {
			t.Fatalf("fan-out wrote to an away member's timeline (-want +got):\n%s", diff)
		}
		home, err := svc.HomeTimeline(ctx, bob, starling.Page{})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]int64{away.ID, before.ID}, ids(home)); diff != "" {
			t.Fatalf("bob's rebuilt home (-want +got):\n%s", diff)
		}
		now = now.Add(time.Minute)
		back := MustPost(t, svc, alice, "now that bob is back", starling.VisibilityPublic)
		if home, _ := svc.HomeTimeline(ctx, bob, starling.Page{Limit: 1}); len(home) != 1 || home[0].ID != back.ID {
			t.Fatalf("fan-out did not reach bob after his return: %v", ids(home))
		}
	})
}
