package sqldb_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"starling"
	"starling/sqldb/sqldbtest"
)

// TestHiddenTrendReviews: the staff page lists hidden tags with the latest
// decision about each, newest first; a tag put back leaves the list, and a
// decision whose reviewer is unknown keeps its tag with no reviewer.
func TestHiddenTrendReviews(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		f := newFixture(t, engine)
		ann, bob := f.MustCreateAccount("ann"), f.MustCreateAccount("bob")
		base := f.now
		at := func(minutes int) time.Time {
			return base.Add(time.Duration(minutes) * time.Minute).Truncate(time.Millisecond)
		}
		set := func(tag string, hidden bool, by int64, when time.Time) {
			t.Helper()
			f.update(func(tx starling.Tx) error { return tx.SetTrendTagHidden(ctx, tag, hidden, by, when) })
		}

		if got, err := f.db.HiddenTrendReviews(ctx); err != nil || len(got) != 0 {
			t.Fatalf("before any decision: %v, %v", got, err)
		}
		set("bargains", true, ann.ID, at(1))
		set("nwforum", true, ann.ID, at(2))
		set("nwforum", false, bob.ID, at(3)) // put back
		set("bargains", true, bob.ID, at(4)) // hidden again: the later decision counts
		set("janesmith", true, 0, at(5))

		got, err := f.db.HiddenTrendReviews(ctx)
		if err != nil {
			t.Fatal(err)
		}
		// Newest first, which is not the tags' alphabetical (key) order.
		want := []starling.TrendReview{
			{Tag: "janesmith", ReviewedBy: 0, ReviewedAt: at(5)},
			{Tag: "bargains", ReviewedBy: bob.ID, ReviewedAt: at(4)},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("hidden reviews differ (-want +got):\n%s", diff)
		}
		// The trends computation reads the other method: both must agree.
		hidden, err := f.db.HiddenTrendTags(ctx)
		if err != nil || !cmp.Equal(hidden, map[string]bool{"bargains": true, "janesmith": true}) {
			t.Fatalf("HiddenTrendTags = %v, %v", hidden, err)
		}
	})
}
