package starling_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"starling"
	"starling/apptest"
	"starling/sqldb/sqldbtest"
	"starling/text"
)

// TestBlocksAndMutesEverywhere: ann blocks bob, mutes cat, and is blocked by
// dee; eve is a friend. Every surface then leaves out the posts (and
// reblogs of posts) of bob, cat and dee: home, public and hashtag
// timelines, threads, notifications, post search, account search (the
// blocks), the home stream; follows end both ways with a block and cannot
// start again; a timed mute ends by itself.
func TestBlocksAndMutesEverywhere(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		db := sqldbtest.MustOpen(t, engine)
		now := time.Now().UTC().Truncate(time.Millisecond)
		clock := func() time.Time { return now }
		in := apptest.Instance()
		svc := starling.NewService(db, text.NewProcessor(&in), apptest.FastPasswords, in, clock)
		worker := starling.NewJobWorker(db, time.Minute)
		worker.SetClock(clock)
		svc.HandleJobs(worker)
		tick := func() { now = now.Add(time.Millisecond) } // distinct IDs, in order
		ann, bob, cat, dee, eve := apptest.MustAccount(t, svc, "ann"), apptest.MustAccount(t, svc, "bob"),
			apptest.MustAccount(t, svc, "cat"), apptest.MustAccount(t, svc, "dee"), apptest.MustAccount(t, svc, "eve")
		for _, a := range []*starling.Account{bob, cat, dee, eve} {
			MustFollow(t, svc, ann, a)
			MustFollow(t, svc, a, ann)
		}
		thread := MustPost(t, svc, ann, "What helped your team through winter? #carers", starling.VisibilityPublic)
		posts := map[string]*starling.Status{}
		for _, a := range []*starling.Account{bob, cat, dee, eve} {
			tick()
			posts[a.Username] = MustPost(t, svc, a, "Winter pressures, from @ann's colleague "+a.Username+" #carers", starling.VisibilityPublic)
			tick()
			reply, err := svc.PostStatus(ctx, a, starling.NewStatus{Text: "@ann rota swaps, says " + a.Username, InReplyToID: thread.ID})
			if err != nil {
				t.Fatal(err)
			}
			posts[a.Username+"-reply"] = reply
		}
		tick()
		shared, err := svc.Reblog(ctx, eve, posts["bob"].ID, starling.VisibilityPublic)
		if err != nil {
			t.Fatal(err)
		}

		if _, err := svc.BlockAccount(ctx, ann, bob.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.MuteAccount(ctx, ann, cat.ID, true, 0); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.BlockAccount(ctx, dee, ann.ID); err != nil {
			t.Fatal(err)
		}
		stream, err := svc.HomeStreamFilter(ctx, ann)
		if err != nil {
			t.Fatal(err)
		}
		publicStream, err := svc.ViewerStreamFilter(ctx, ann, starling.FilterPublic)
		if err != nil {
			t.Fatal(err)
		}

		hidden := []string{"bob", "bob-reply", "cat", "cat-reply", "dee", "dee-reply"}
		check := func(surface string, list []*starling.Status, want ...string) {
			t.Helper()
			ids := map[int64]bool{}
			for _, s := range list {
				ids[s.ID] = true
			}
			for _, name := range hidden {
				if ids[posts[name].ID] {
					t.Errorf("%s shows %s's post", surface, name)
				}
			}
			if ids[shared.ID] {
				t.Errorf("%s shows eve's reblog of bob's post", surface)
			}
			for _, name := range want {
				if !ids[posts[name].ID] {
					t.Errorf("%s lacks %s's post", surface, name)
				}
			}
		}
		page := starling.Page{Limit: 40}
		home, err := svc.HomeTimeline(ctx, ann, page)
		if err != nil {
			t.Fatal(err)
		}
		check("home", home, "eve", "eve-reply")
		public, err := svc.PublicTimeline(ctx, ann, starling.PublicFilter{}, page)
		if err != nil {
			t.Fatal(err)
		}
		check("the public timeline", public, "eve")
		tagged, err := svc.TagTimeline(ctx, ann, starling.TagQuery{Any: []string{"carers"}}, starling.PublicFilter{}, page)
		if err != nil {
			t.Fatal(err)
		}
		check("the hashtag timeline", tagged, "eve")
		_, replies, err := svc.StatusContext(ctx, ann, thread.ID)
		if err != nil {
			t.Fatal(err)
		}
		check("ann's thread", replies, "eve-reply")
		found, err := svc.Search(ctx, ann, starling.SearchQuery{Q: "winter", Type: "statuses", Limit: 40})
		if err != nil {
			t.Fatal(err)
		}
		check("post search", found.Statuses, "eve")
		people, err := svc.Search(ctx, ann, starling.SearchQuery{Q: "", Type: "accounts", Limit: 40})
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range people.Accounts {
			if a.ID == bob.ID || a.ID == dee.ID {
				t.Errorf("account search finds %s", a.Username)
			}
		}
		notes, err := svc.Notifications(ctx, ann, starling.NotificationFilter{}, page)
		if err != nil {
			t.Fatal(err)
		}
		from := map[int64]bool{}
		for _, n := range notes {
			from[n.FromAccountID] = true
		}
		if from[bob.ID] || from[cat.ID] || from[dee.ID] || !from[eve.ID] {
			t.Errorf("notifications from bob %v, cat %v, dee %v, eve %v; want only eve's", from[bob.ID], from[cat.ID], from[dee.ID], from[eve.ID])
		}
		shows := func(s *starling.Status) bool {
			full, err := svc.GetStatus(ctx, nil, s.ID)
			if err != nil {
				t.Fatal(err)
			}
			return stream.Shows(&starling.Event{Kind: starling.EventUpdate, Status: full})
		}
		if shows(posts["bob"]) || shows(posts["cat"]) || shows(posts["dee"]) || !shows(posts["eve"]) {
			t.Error("the home stream does not leave out what the timeline leaves out")
		}
		onPublic := func(s *starling.Status) bool {
			full, err := svc.GetStatus(ctx, nil, s.ID)
			if err != nil {
				t.Fatal(err)
			}
			return publicStream.Shows(&starling.Event{Kind: starling.EventUpdate, Status: full})
		}
		if onPublic(posts["bob"]) || onPublic(posts["cat"]) || onPublic(posts["dee"]) || !onPublic(posts["eve"]) {
			t.Error("the public stream does not leave out what the public timeline leaves out")
		}

		// A post asked for by ID: a muted account's still opens; a blocker's does not, nor can it be favourited.
		if _, err := svc.GetStatus(ctx, ann, posts["cat"].ID); err != nil {
			t.Errorf("a muted account's post by ID: %v", err)
		}
		if _, err := svc.GetStatus(ctx, ann, posts["dee"].ID); starling.ErrorCode(err) != starling.ENOTFOUND {
			t.Errorf("the post of someone who blocks ann, by ID: %v, want not found", err)
		}
		if _, err := svc.Favourite(ctx, ann, posts["dee"].ID); starling.ErrorCode(err) != starling.ENOTFOUND {
			t.Errorf("favouriting the post of someone who blocks ann: %v, want not found", err)
		}

		// Follows end both ways with a block, and cannot start again.
		rel, err := svc.Relationship(ctx, ann, bob.ID)
		if err != nil || rel.Following || rel.FollowedBy || !rel.Blocking {
			t.Errorf("ann and bob after the block: %+v %v", rel, err)
		}
		if rel, _ := svc.Relationship(ctx, ann, dee.ID); !rel.BlockedBy || rel.Following {
			t.Errorf("ann towards dee, who blocks her: %+v", rel)
		}
		if rel, _ := svc.Relationship(ctx, ann, cat.ID); !rel.Muting || !rel.MutingNotifications || !rel.Following {
			t.Errorf("ann towards cat, muted: %+v", rel)
		}
		for _, pair := range [][2]*starling.Account{{bob, ann}, {ann, bob}, {ann, dee}} {
			if _, err := svc.Follow(ctx, pair[0], pair[1].ID, starling.FollowOptions{}); starling.ErrorCode(err) != starling.EFORBIDDEN {
				t.Errorf("%s following %s across a block: %v, want forbidden", pair[0].Username, pair[1].Username, err)
			}
		}

		// A mute that keeps notifications, for an hour.
		if _, err := svc.MuteAccount(ctx, ann, cat.ID, false, time.Hour); err != nil {
			t.Fatal(err)
		}
		notes, _ = svc.Notifications(ctx, ann, starling.NotificationFilter{}, page)
		if !slices.ContainsFunc(notes, func(n *starling.Notification) bool { return n.FromAccountID == cat.ID }) {
			t.Error("a mute without notifications hides cat's notifications")
		}
		muted, _, err := svc.Mutes(ctx, ann, starling.Page{})
		if err != nil || len(muted) != 1 || !muted[0].MuteExpiresAt.Equal(now.Add(time.Hour)) {
			t.Fatalf("mutes = %+v, %v", muted, err)
		}
		now = now.Add(time.Hour)
		if n, err := worker.RunDue(ctx); n != 1 || err != nil {
			t.Fatalf("the end of the mute: %d jobs (%v)", n, err)
		}
		if rel, _ := svc.Relationship(ctx, ann, cat.ID); rel.Muting {
			t.Error("the mute did not end after its hour")
		}
		home, _ = svc.HomeTimeline(ctx, ann, page)
		if !slices.ContainsFunc(home, func(s *starling.Status) bool { return s.ID == posts["cat"].ID }) {
			t.Error("cat's post is not back home after the mute ended")
		}

		blocked, _, err := svc.Blocks(ctx, ann, starling.Page{})
		if err != nil || len(blocked) != 1 || blocked[0].ID != bob.ID {
			t.Fatalf("blocks = %v, %v", blocked, err)
		}
		if _, err := svc.UnblockAccount(ctx, ann, bob.ID); err != nil {
			t.Fatal(err)
		}
		publicStream.Shows(&starling.Event{Kind: starling.EventUnblock, AccountID: ann.ID, TargetID: bob.ID})
		if !onPublic(posts["bob"]) {
			t.Error("the public stream still leaves bob out after the block was lifted")
		}
		if rel, _ := svc.Relationship(ctx, ann, bob.ID); rel.Following || rel.Blocking {
			t.Errorf("after unblocking: %+v; follows do not come back", rel)
		}
		if _, err := svc.BlockAccount(ctx, ann, ann.ID); starling.ErrorCode(err) != starling.EINVALID {
			t.Errorf("blocking oneself: %v", err)
		}
		if _, err := svc.MuteAccount(ctx, ann, bob.ID, true, -time.Second); starling.ErrorCode(err) != starling.EINVALID {
			t.Errorf("a negative mute: %v", err)
		}
	})
}
