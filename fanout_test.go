package starling_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"starling"
	"starling/apptest"
	"starling/sqldb/sqldbtest"
)

// TestLargeAccountsMergedAtRead: posts by an account above the fan-out
// limit are written to no follower's feed, yet each follower's home
// timeline shows them, merged in order with fanned-out posts, by the same
// rules (private to followers, direct to those mentioned, replies only
// between people one follows) and page by page.
func TestLargeAccountsMergedAtRead(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		svc, db := apptest.MustService(t, engine, apptest.Instance())
		svc.SetFanOutLimit(1) // two followers make an account large
		star := apptest.MustAccount(t, svc, "star")
		bob, carol, dave, erin := apptest.MustAccount(t, svc, "bob"), apptest.MustAccount(t, svc, "carol"),
			apptest.MustAccount(t, svc, "dave"), apptest.MustAccount(t, svc, "erin")
		MustFollow(t, svc, bob, star)
		MustFollow(t, svc, carol, star)
		MustFollow(t, svc, bob, dave)
		star, err := svc.Store().Account(ctx, star.ID) // with its follower count
		if err != nil {
			t.Fatal(err)
		}

		var want []int64 // bob's home, oldest first
		want = append(want, MustPost(t, svc, star, "one from the large account", starling.VisibilityPublic).ID)
		want = append(want, MustPost(t, svc, dave, "one from dave", starling.VisibilityPublic).ID)
		want = append(want, MustPost(t, svc, star, "for followers", starling.VisibilityPrivate).ID)
		MustPost(t, svc, star, "@carol just for carol", starling.VisibilityDirect)
		if _, err := svc.PostStatus(ctx, star, starling.NewStatus{Text: "@erin a reply bob does not follow", Visibility: starling.VisibilityPublic,
			InReplyToID: MustPost(t, svc, erin, "erin asks", starling.VisibilityPublic).ID}); err != nil {
			t.Fatal(err)
		}
		want = append(want, MustPost(t, svc, dave, "two from dave", starling.VisibilityPublic).ID)
		want = append(want, MustPost(t, svc, star, "two from the large account", starling.VisibilityPublic).ID)
		slices.Reverse(want)

		stored, err := db.HomeTimeline(ctx, bob.ID, starling.Page{Limit: 40})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]int64{want[1], want[3]}, stored); diff != "" {
			t.Fatalf("bob's stored feed should hold dave's posts only (-want +got):\n%s", diff)
		}
		home, err := svc.HomeTimeline(ctx, bob, starling.Page{})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, ids(home)); diff != "" {
			t.Fatalf("bob's home (-want +got):\n%s", diff)
		}
		var paged []int64
		for p := (starling.Page{Limit: 2}); ; {
			page, err := svc.HomeTimeline(ctx, bob, p)
			if err != nil {
				t.Fatal(err)
			}
			if len(page) == 0 {
				break
			}
			paged = append(paged, ids(page)...)
			p.MaxID = page[len(page)-1].ID
		}
		if diff := cmp.Diff(want, paged); diff != "" {
			t.Fatalf("bob's home two at a time (-want +got):\n%s", diff)
		}
		if page, _ := svc.HomeTimeline(ctx, bob, starling.Page{MinID: want[4], Limit: 2}); !cmp.Equal(want[2:4], ids(page)) {
			t.Fatalf("min_id page = %v, want %v", ids(page), want[2:4])
		}
		carolHome, err := svc.HomeTimeline(ctx, carol, starling.Page{})
		if err != nil {
			t.Fatal(err)
		}
		if len(carolHome) != 4 || !slices.ContainsFunc(carolHome, func(s *starling.Status) bool { return strings.Contains(s.Text, "just for carol") }) {
			t.Fatalf("carol's home = %v: want the large account's four posts to her, the direct one included", ids(carolHome))
		}
		if erinHome, _ := svc.HomeTimeline(ctx, erin, starling.Page{}); len(erinHome) != 1 {
			t.Fatalf("erin follows nobody, yet her home shows %d posts", len(erinHome))
		}
	})
}
