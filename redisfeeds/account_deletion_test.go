package redisfeeds_test

import (
	"context"
	"testing"
	"time"

	"starling"
	"starling/internal/redistest"
	"starling/redisfeeds"
	"starling/sqldb/sqldbtest"
)

// TestAccountDeletion: with feeds in Redis, a deleted account's posts leave
// others' home timelines and lists at once, and the deletion job leaves no
// feed of the account, nor of its lists, in Redis and no job behind.
func TestAccountDeletion(t *testing.T) {
	rdb := redistest.MustRedis(t)
	ctx := context.Background()
	prefix := redistest.Prefix(t, rdb)
	db := sqldbtest.MustOpen(t, "sqlite")
	worker := starling.NewJobWorker(db, time.Minute)
	c := newCommunity(t, redisfeeds.New(rdb, prefix, db, worker).Wrap(db))
	c.svc.HandleJobs(worker)
	ann, bob := c.who["ann"], c.who["bob"]
	_, err := c.svc.Follow(ctx, bob, ann.ID, starling.FollowOptions{})
	c.must(err)
	_, err = c.svc.Follow(ctx, ann, bob.ID, starling.FollowOptions{})
	c.must(err)
	l, err := c.svc.CreateList(ctx, bob, starling.List{Title: "friends"})
	c.must(err)
	c.lst = l.ID
	c.must(c.svc.AddListMembers(ctx, bob, l.ID, []int64{ann.ID}))
	annList, err := c.svc.CreateList(ctx, ann, starling.List{Title: "mine"})
	c.must(err)
	c.must(c.svc.AddListMembers(ctx, ann, annList.ID, []int64{bob.ID}))
	c.post("ann", "ann says hello", starling.VisibilityPublic, "")
	c.post("bob", "bob says hello", starling.VisibilityPublic, "")
	c.timeline(func(p starling.Page) ([]*starling.Status, error) { return c.svc.HomeTimeline(ctx, ann, p) }) // ann's feed is in Redis
	u, err := db.User(ctx, ann.ID)
	c.must(err)
	c.must(c.svc.DeleteOwnAccount(ctx, ann, u, "password123", ""))

	delete(c.who, "ann")
	want := map[string][]string{"home bob": {"bob says hello"}, "home cat": nil, "home dan": nil, "bob's list": nil}
	check := func(when string) {
		got := c.everything()
		for k, w := range want {
			if len(got[k]) != len(w) || len(w) > 0 && got[k][0] != w[0] {
				t.Errorf("%s: %s = %q, want %q", when, k, got[k], w)
			}
		}
	}
	check("at once")
	for i := 0; i < 100; i++ {
		if n, err := worker.RunDue(ctx); err != nil || n == 0 {
			break
		}
	}
	check("after the job")
	for _, key := range []string{prefix + "{home:" + starling.FormatID(ann.ID) + "}", prefix + "{list:" + starling.FormatID(annList.ID) + "}"} {
		if n, _ := rdb.Exists(ctx, key).Result(); n != 0 {
			t.Errorf("%s is still in Redis", key)
		}
	}
	if st, err := db.JobStats(ctx, time.Now()); err != nil || st != (starling.JobStats{}) {
		t.Errorf("jobs left behind: %+v %v", st, err)
	}
}
