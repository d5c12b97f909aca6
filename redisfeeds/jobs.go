package redisfeeds

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"starling"
)

// The kinds of jobs that write feeds. Each can run twice without harm:
// adding an entry that is there, or removing one that is gone, changes
// nothing.
const (
	jobFanOut     = "feeds.fan_out"     // a new status into its audience's feeds
	jobUnfanOut   = "feeds.unfan_out"   // a deleted status out of them
	jobHomeAdd    = "feeds.home_add"    // a followed account's recent posts into a home feed
	jobHomeRemove = "feeds.home_remove" // an unfollowed account's posts out of it
	jobListAdd    = "feeds.list_add"    // a new member's recent posts into a list feed
	jobListRemove = "feeds.list_remove" // a removed member's posts out of it
	jobForget     = "feeds.forget"      // drop a feed: rebuilt on its next read, or gone with its list
	jobListNew    = "feeds.list_new"    // a new list's feed: built, and empty
)

type fanOutArgs struct {
	Status      int64 `json:"status"`
	ActiveSince int64 `json:"active_since"` // ms
	AuthorOnly  bool  `json:"author_only"`
}

type unfanOutArgs struct {
	Status int64 `json:"status"`
	Origin int64 `json:"origin"`
	Author int64 `json:"author"`
}

type pairArgs struct {
	Feed   int64 `json:"feed"` // account ID for home, list ID for lists
	Author int64 `json:"author"`
	Limit  int   `json:"limit,omitempty"`
}

type forgetArgs struct {
	Home int64 `json:"home,omitempty"`
	List int64 `json:"list,omitempty"`
}

func (f *Feeds) handleJobs() {
	handle := func(kind string, fn func(ctx context.Context, args []byte) error) {
		f.worker.Handle(kind, func(ctx context.Context, j *starling.Job) error { return fn(ctx, j.Args) })
	}
	handle(jobFanOut, f.fanOut)
	handle(jobUnfanOut, f.unfanOut)
	handle(jobHomeAdd, f.homeAdd)
	handle(jobHomeRemove, func(ctx context.Context, b []byte) error {
		var a pairArgs
		if err := decode(b, &a); err != nil {
			return err
		}
		return f.remove(ctx, f.homeKey(a.Feed), func(e entry) bool { return e.author == a.Author })
	})
	handle(jobListAdd, f.listAdd)
	handle(jobListRemove, func(ctx context.Context, b []byte) error {
		var a pairArgs
		if err := decode(b, &a); err != nil {
			return err
		}
		return f.remove(ctx, f.listKey(a.Feed), func(e entry) bool { return e.author == a.Author })
	})
	handle(jobForget, func(ctx context.Context, b []byte) error {
		var a forgetArgs
		if err := decode(b, &a); err != nil {
			return err
		}
		key := f.homeKey(a.Home)
		if a.List != 0 {
			key = f.listKey(a.List)
		}
		return f.rdb.Del(ctx, key, builtKey(key), originsKey(key)).Err()
	})
	// Marking a new list's feed built lets members' posts in as they are
	// added, in order, as the database feeds take them.
	handle(jobListNew, func(ctx context.Context, b []byte) error {
		var a forgetArgs
		if err := decode(b, &a); err != nil {
			return err
		}
		return f.rdb.Set(ctx, builtKey(f.listKey(a.List)), "1", ttl).Err()
	})
}

func decode(b []byte, v any) error {
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("feeds job arguments: %w", err)
	}
	return nil
}

// fanOut writes a status into the feeds of its audience, as the database's
// FanOut would have.
func (f *Feeds) fanOut(ctx context.Context, b []byte) error {
	var a fanOutArgs
	if err := decode(b, &a); err != nil {
		return err
	}
	s, err := f.db.Status(ctx, a.Status)
	if starling.ErrorCode(err) == starling.ENOTFOUND {
		return nil // deleted before its fan-out ran
	} else if err != nil {
		return err
	}
	scope := starling.FanOutScope{ActiveSince: time.UnixMilli(a.ActiveSince), AuthorOnly: a.AuthorOnly}
	homes, lists, err := f.db.FanOutTargets(ctx, s, scope)
	if err != nil {
		return err
	}
	keys := make([]string, 0, len(homes)+len(lists))
	for _, id := range homes {
		keys = append(keys, f.homeKey(id))
	}
	for _, id := range lists {
		keys = append(keys, f.listKey(id))
	}
	return f.add(ctx, keys, entryOf(s))
}

// unfanOut removes a deleted status from the feeds of those who follow its
// author now. Feeds it stays in (someone unfollowed since) show nothing for
// it: timelines skip statuses that are gone.
func (f *Feeds) unfanOut(ctx context.Context, b []byte) error {
	var a unfanOutArgs
	if err := decode(b, &a); err != nil {
		return err
	}
	// The audience of any post by the author, deleted or not: its followers,
	// active or not, and the lists that include the author.
	probe := &starling.Status{ID: a.Status, AccountID: a.Author, Visibility: starling.VisibilityPublic}
	homes, lists, err := f.db.FanOutTargets(ctx, probe, starling.FanOutScope{})
	if err != nil {
		return err
	}
	e := entry{id: a.Status, origin: a.Origin, author: a.Author}
	edits := make([]edit, 0, len(homes)+len(lists))
	for _, id := range homes {
		edits = append(edits, edit{feed: f.homeKey(id), e: e, remove: true})
	}
	for _, id := range lists {
		edits = append(edits, edit{feed: f.listKey(id), e: e, remove: true})
	}
	return f.apply(ctx, edits)
}

// homeAdd brings a newly followed account's recent posts into a built home
// feed. An unbuilt one gets them when it is built.
func (f *Feeds) homeAdd(ctx context.Context, b []byte) error {
	var a pairArgs
	if err := decode(b, &a); err != nil {
		return err
	}
	ids, err := f.db.HomeFromAuthors(ctx, a.Feed, []int64{a.Author}, starling.Page{Limit: max(a.Limit, 1)})
	if err != nil {
		return err
	}
	return f.addIDs(ctx, f.homeKey(a.Feed), ids)
}

// listAdd brings a new member's recent posts into a built list feed.
func (f *Feeds) listAdd(ctx context.Context, b []byte) error {
	var a pairArgs
	if err := decode(b, &a); err != nil {
		return err
	}
	ids, err := f.db.ListFromMembers(ctx, a.Feed, []int64{a.Author}, starling.Page{Limit: max(a.Limit, 1)})
	if err != nil {
		return err
	}
	return f.addIDs(ctx, f.listKey(a.Feed), ids)
}

// addIDs adds statuses to one feed if the feed is built.
func (f *Feeds) addIDs(ctx context.Context, key string, ids []int64) error {
	if n, err := f.rdb.Exists(ctx, builtKey(key)).Result(); err != nil || n == 0 {
		return err
	}
	entries, err := f.entries(ctx, ids)
	if err != nil {
		return err
	}
	edits := make([]edit, 0, len(entries))
	for _, e := range firstPerPost(entries, Size) {
		edits = append(edits, edit{feed: key, e: e})
	}
	return f.apply(ctx, edits)
}

// entries reads the statuses with the given IDs as feed entries; missing
// ones are left out.
func (f *Feeds) entries(ctx context.Context, ids []int64) ([]entry, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	byID, err := f.db.Statuses(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]entry, 0, len(ids))
	for _, id := range ids {
		if s, ok := byID[id]; ok { // the map holds the posts reblogged, too
			out = append(out, entryOf(s))
		}
	}
	return out, nil
}
