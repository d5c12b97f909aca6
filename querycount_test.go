package starling_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"starling"
	"starling/apptest"
	"starling/sqldb"
	"starling/sqldb/sqldbtest"
)

// statementCounter counts the statements the store runs.
type statementCounter struct{ n atomic.Int64 }

func (c *statementCounter) ObserveStatement(string, string, []any, time.Duration, error) { c.n.Add(1) }
func (c *statementCounter) ObserveTx(time.Duration, error)                               {}

// readingCommunity is a reader following 8 authors who posted 30 statuses:
// public and followers-only, with mentions, hashtags, reblogs and favourites.
type readingCommunity struct {
	svc     *starling.Service
	db      *sqldb.DB
	reader  *starling.Account
	authors []*starling.Account
	tagFan  *starling.Account // follows no one, only #tag1 and #tag2
}

func mustReadingCommunity(t *testing.T, engine string) *readingCommunity {
	t.Helper()
	ctx := context.Background()
	svc, db := apptest.MustService(t, engine, apptest.Instance())
	reader := apptest.MustAccount(t, svc, "reader")
	var authors []*starling.Account
	for i := 0; i < 8; i++ {
		a := apptest.MustAccount(t, svc, fmt.Sprintf("author%d", i))
		MustFollow(t, svc, reader, a)
		authors = append(authors, a)
	}
	for i := 0; i < 30; i++ {
		a := authors[i%len(authors)]
		vis := starling.VisibilityPublic
		if i%4 == 0 {
			vis = starling.VisibilityPrivate // needs the follow check
		}
		s := MustPost(t, svc, a, fmt.Sprintf("post %d @reader @author%d #tag%d", i, (i+1)%8, i%3), vis)
		if i%5 == 0 && vis == starling.VisibilityPublic {
			if _, err := svc.Reblog(ctx, authors[(i+3)%len(authors)], s.ID, ""); err != nil {
				t.Fatal(err)
			}
		}
		if i%3 == 0 {
			if _, err := svc.Favourite(ctx, reader, s.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	tagFan := apptest.MustAccount(t, svc, "tagfan")
	for _, tag := range []string{"tag1", "tag2"} {
		if _, err := svc.FollowTag(ctx, tagFan, tag); err != nil {
			t.Fatal(err)
		}
	}
	return &readingCommunity{svc: svc, db: db, reader: reader, authors: authors, tagFan: tagFan}
}

// hotReads are the reads members make all day, each reading a page of limit.
func (c *readingCommunity) hotReads() []struct {
	name string
	read func(limit int) (int, error)
} {
	ctx := context.Background()
	svc, reader, authors := c.svc, c.reader, c.authors
	return []struct {
		name string
		read func(limit int) (int, error)
	}{
		{"Home", func(limit int) (int, error) {
			l, err := svc.HomeTimeline(ctx, reader, starling.Page{Limit: limit})
			return len(l), err
		}},
		{"HomeFollowedTags", func(limit int) (int, error) {
			l, err := svc.HomeTimeline(ctx, c.tagFan, starling.Page{Limit: limit})
			return len(l), err
		}},
		{"Tag", func(limit int) (int, error) {
			l, err := svc.TagTimeline(ctx, reader, starling.TagQuery{Any: []string{"tag1"}}, starling.PublicFilter{}, starling.Page{Limit: limit})
			return len(l), err
		}},
		{"Account", func(limit int) (int, error) {
			l, err := svc.AccountStatuses(ctx, reader, authors[0].ID, starling.AccountStatusesFilter{}, starling.Page{Limit: limit})
			return len(l), err
		}},
		{"Public", func(limit int) (int, error) {
			l, err := svc.PublicTimeline(ctx, reader, starling.PublicFilter{LocalOnly: true}, starling.Page{Limit: limit})
			return len(l), err
		}},
		{"Notifications", func(limit int) (int, error) {
			l, err := svc.Notifications(ctx, reader, starling.NotificationFilter{}, starling.Page{Limit: limit})
			return len(l), err
		}},
	}
}

// TestReadsRunFixedQueries guards against N+1 queries: reading a page of a
// timeline costs the same small number of statements however many statuses,
// authors, reblogs, mentions and private posts the page holds.
func TestReadsRunFixedQueries(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		c := mustReadingCommunity(t, engine)
		counter := &statementCounter{}
		c.db.SetObserver(counter)
		const budget = 8
		for _, tc := range c.hotReads() {
			t.Run(tc.name, func(t *testing.T) {
				var counts []int64
				if _, err := tc.read(1); err != nil { // once-an-hour work (marking the reader active) is not per page
					t.Fatal(err)
				}
				for _, limit := range []int{10, 30} {
					c.db.DropCaches() // measure the cold path: the worst case
					counter.n.Store(0)
					n, err := tc.read(limit)
					if err != nil || n == 0 {
						t.Fatalf("read %d: %d statuses, %v", limit, n, err)
					}
					counts = append(counts, counter.n.Load())
				}
				if counts[1] > budget || counts[1] != counts[0] {
					t.Fatalf("statements for a page of 10 and of 30: %v; want the same, at most %d", counts, budget)
				}
				t.Logf("%d statements per page", counts[1])
			})
		}
	})
}
