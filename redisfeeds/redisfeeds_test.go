package redisfeeds_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/redis/go-redis/v9"

	"starling"
	"starling/apptest"
	"starling/internal/redistest"
	"starling/redisfeeds"
	"starling/sqldb/sqldbtest"
	"starling/text"
)

// community is one service and its members, acted on by name.
type community struct {
	t   *testing.T
	svc *starling.Service
	who map[string]*starling.Account
	ids map[string]int64 // status text → ID
	lst int64            // bob's list
}

func newCommunity(t *testing.T, store starling.Store) *community {
	in := apptest.Instance()
	c := &community{t: t, svc: starling.NewService(store, text.NewProcessor(&in), apptest.FastPasswords, in, nil),
		who: map[string]*starling.Account{}, ids: map[string]int64{}}
	for _, name := range []string{"ann", "bob", "cat", "dan"} {
		c.who[name] = apptest.MustAccount(t, c.svc, name)
	}
	return c
}

func (c *community) must(err error) {
	c.t.Helper()
	if err != nil {
		c.t.Fatal(err)
	}
}

func (c *community) post(who, text string, vis starling.Visibility, replyTo string) {
	c.t.Helper()
	s, err := c.svc.PostStatus(context.Background(), c.who[who], starling.NewStatus{Text: text, Visibility: vis, InReplyToID: c.ids[replyTo]})
	c.must(err)
	c.ids[text] = s.ID
	time.Sleep(2 * time.Millisecond) // distinct creation times, so both runs order alike
}

// timeline reads a timeline two entries a page and returns the texts shown,
// "RT text" for reblogs.
func (c *community) timeline(read func(starling.Page) ([]*starling.Status, error)) []string {
	c.t.Helper()
	var out []string
	for p := (starling.Page{Limit: 2}); ; {
		page, err := read(p)
		c.must(err)
		if len(page) == 0 {
			return out
		}
		for _, s := range page {
			if s.Reblog != nil {
				out = append(out, "RT "+s.Reblog.Text)
			} else {
				out = append(out, s.Text)
			}
		}
		p.MaxID = page[len(page)-1].ID
	}
}

// everything returns every member's home timeline and bob's list.
func (c *community) everything() map[string][]string {
	ctx := context.Background()
	out := map[string][]string{}
	for name, a := range c.who {
		out["home "+name] = c.timeline(func(p starling.Page) ([]*starling.Status, error) { return c.svc.HomeTimeline(ctx, a, p) })
	}
	if c.lst != 0 {
		out["bob's list"] = c.timeline(func(p starling.Page) ([]*starling.Status, error) {
			return c.svc.ListTimeline(ctx, c.who["bob"], c.lst, p)
		})
	}
	return out
}

// play acts out a community's week: posts of every visibility, replies in
// and out of one's circle, reblogs with and without "show reblogs",
// follows with backfill, an unfollow, a list gaining and losing members, a
// deletion. check runs after each step.
func play(c *community, check func(step string)) {
	ctx := context.Background()
	off := false
	_, err := c.svc.Follow(ctx, c.who["bob"], c.who["ann"].ID, starling.FollowOptions{})
	c.must(err)
	_, err = c.svc.Follow(ctx, c.who["bob"], c.who["cat"].ID, starling.FollowOptions{})
	c.must(err)
	_, err = c.svc.Follow(ctx, c.who["cat"], c.who["ann"].ID, starling.FollowOptions{Reblogs: &off})
	c.must(err)
	check("follows")
	c.post("ann", "ann says hello", starling.VisibilityPublic, "")
	c.post("ann", "ann to her followers", starling.VisibilityPrivate, "")
	c.post("ann", "@bob ann to bob alone", starling.VisibilityDirect, "")
	c.post("dan", "dan posts", starling.VisibilityPublic, "")
	c.post("cat", "@ann cat answers ann", starling.VisibilityPublic, "ann says hello")
	c.post("cat", "@dan cat answers dan", starling.VisibilityPublic, "dan posts")
	check("posts")
	_, err = c.svc.Reblog(ctx, c.who["ann"], c.ids["dan posts"], starling.VisibilityPublic)
	c.must(err)
	_, err = c.svc.Reblog(ctx, c.who["cat"], c.ids["ann says hello"], starling.VisibilityPublic)
	c.must(err)
	check("reblogs")
	_, err = c.svc.Follow(ctx, c.who["bob"], c.who["dan"].ID, starling.FollowOptions{})
	c.must(err)
	check("bob follows dan")
	_, err = c.svc.Unfollow(ctx, c.who["bob"], c.who["cat"].ID)
	c.must(err)
	check("bob unfollows cat")
	l, err := c.svc.CreateList(ctx, c.who["bob"], starling.List{Title: "care leaders"})
	c.must(err)
	c.lst = l.ID
	c.must(c.svc.AddListMembers(ctx, c.who["bob"], l.ID, []int64{c.who["ann"].ID, c.who["dan"].ID}))
	c.post("dan", "dan again", starling.VisibilityPublic, "")
	check("list")
	c.must(c.svc.RemoveListMembers(ctx, c.who["bob"], l.ID, []int64{c.who["dan"].ID}))
	check("list member removed")
	_, err = c.svc.DeleteStatus(ctx, c.who["ann"], c.ids["ann to her followers"])
	c.must(err)
	c.post("ann", "ann after the deletion", starling.VisibilityPublic, "")
	check("deletion")
}

// TestFeedsMatchDatabaseFeeds plays the same week on a community whose
// feeds are in the database and on one whose feeds are in Redis, and finds
// every timeline the same after each step, page by page — and again after
// Redis loses every feed and they are rebuilt from the database.
func TestFeedsMatchDatabaseFeeds(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		rdb := redistest.MustRedis(t)
		ctx := context.Background()
		var want []map[string][]string
		play(newCommunity(t, sqldbtest.MustOpen(t, engine)), func(string) {})
		ref := newCommunity(t, sqldbtest.MustOpen(t, engine))
		play(ref, func(string) { want = append(want, ref.everything()) })

		prefix := redistest.Prefix(t, rdb)
		db := sqldbtest.MustOpen(t, engine)
		worker := starling.NewJobWorker(db, time.Minute)
		c := newCommunity(t, redisfeeds.New(rdb, prefix, db, worker).Wrap(db))
		step := 0
		play(c, func(name string) {
			if diff := cmp.Diff(want[step], c.everything()); diff != "" {
				t.Fatalf("after %s, Redis feeds differ from database feeds (-database +redis):\n%s", name, diff)
			}
			step++
		})
		if n, _ := rdb.Keys(ctx, prefix+"*").Result(); len(n) == 0 {
			t.Fatal("no feed was written to Redis")
		}
		redistest.Flush(rdb, prefix)
		if diff := cmp.Diff(want[len(want)-1], c.everything()); diff != "" {
			t.Fatalf("feeds rebuilt after Redis was wiped differ (-before +after):\n%s", diff)
		}
		if st, err := db.JobStats(ctx, time.Now()); err != nil || st != (starling.JobStats{}) {
			t.Fatalf("jobs left behind: %+v %v", st, err)
		}
	})
}

// TestRedisDownIsUnavailable: with Redis unreachable a home timeline read
// answers "unavailable" (503 on the API), not an empty timeline, and
// posting still works: its fan-out job waits in the database for a retry.
func TestRedisDownIsUnavailable(t *testing.T) {
	ctx := context.Background()
	db := sqldbtest.MustOpen(t, "sqlite")
	down := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1, DialTimeout: 50 * time.Millisecond})
	defer down.Close()
	worker := starling.NewJobWorker(db, time.Minute)
	c := newCommunity(t, redisfeeds.New(down, "x:", db, worker).Wrap(db))
	c.post("ann", "posted while Redis is down", starling.VisibilityPublic, "")
	_, err := c.svc.HomeTimeline(ctx, c.who["ann"], starling.Page{})
	if starling.ErrorCode(err) != starling.EUNAVAILABLE {
		t.Fatalf("home timeline with Redis down: %v, want EUNAVAILABLE", err)
	}
	if st, err := db.JobStats(ctx, time.Now()); err != nil || st.Later != 1 {
		t.Fatalf("jobs: %+v %v, want the fan-out waiting for a retry", st, err)
	}
}
