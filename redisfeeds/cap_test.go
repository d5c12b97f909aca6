package redisfeeds

import (
	"context"
	"testing"
	"time"

	"starling"
	"starling/internal/redistest"
)

// TestFeedCapped: a feed keeps its newest Size entries, and the index of
// posts shown forgets the ones trimmed away, so an old post's reblog can
// come back into the feed.
func TestFeedCapped(t *testing.T) {
	rdb := redistest.MustRedis(t)
	ctx := context.Background()
	f := New(rdb, redistest.Prefix(t, rdb), nil, starling.NewJobWorker(nil, time.Minute))
	key := f.homeKey(1)
	const posts = Size + 10
	for id := int64(1); id <= posts; id++ {
		if err := f.add(ctx, []string{key}, entry{id: id, origin: id, author: 7}); err != nil {
			t.Fatal(err)
		}
	}
	if err := rdb.Set(ctx, builtKey(key), "1", 0).Err(); err != nil {
		t.Fatal(err)
	}
	if n, _ := rdb.ZCard(ctx, key).Result(); n != Size {
		t.Fatalf("feed holds %d entries, want %d", n, Size)
	}
	if n, _ := rdb.HLen(ctx, originsKey(key)).Result(); n != Size {
		t.Fatalf("origins index holds %d posts, want %d", n, Size)
	}
	for _, k := range []string{key, originsKey(key)} {
		if left, _ := rdb.PTTL(ctx, k).Result(); left < ttl-time.Minute || left > ttl {
			t.Fatalf("%s lives %v more, want about %v: feeds nobody reads must go", k, left, ttl)
		}
	}
	ids, err := f.page(ctx, key, nil, starling.Page{Limit: 3})
	if err != nil || len(ids) != 3 || ids[0] != posts || ids[2] != posts-2 {
		t.Fatalf("newest page = %v (%v)", ids, err)
	}
	ids, err = f.page(ctx, key, nil, starling.Page{MaxID: 12, Limit: 5})
	if err != nil || len(ids) != 1 || ids[0] != 11 {
		t.Fatalf("the oldest page = %v (%v), want [11]: entries 1 to 10 were trimmed", ids, err)
	}
	// A reblog (id 1000) of post 5, trimmed away, is shown; one of post 500, still there, is not.
	_ = f.add(ctx, []string{key}, entry{id: 1000, origin: 5, author: 8})
	_ = f.add(ctx, []string{key}, entry{id: 1001, origin: 500, author: 8})
	ids, _ = f.page(ctx, key, nil, starling.Page{MinID: 999, Limit: 5})
	if len(ids) != 1 || ids[0] != 1000 {
		t.Fatalf("after the reblogs: %v, want [1000]", ids)
	}
}
