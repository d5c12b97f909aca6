package starling_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"starling"
	"starling/apptest"
	"starling/sqldb/sqldbtest"
)

// TestFollowedTags: public posts with a hashtag a member follows are in
// their home timeline and home stream from the moment they follow it, and
// leave both when they unfollow; other visibilities, reblogs and a post
// already shown as a reblog never come in twice.
func TestFollowedTags(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		svc, _ := apptest.MustService(t, engine, apptest.Instance())
		ann, bob, cat, dee := apptest.MustAccount(t, svc, "ann"), apptest.MustAccount(t, svc, "bob"),
			apptest.MustAccount(t, svc, "cat"), apptest.MustAccount(t, svc, "dee")
		MustFollow(t, svc, ann, dee)

		before := MustPost(t, svc, bob, "Posted before ann followed the tag #AdassSpring", starling.VisibilityPublic)
		home := func() []int64 {
			t.Helper()
			list, err := svc.HomeTimeline(ctx, ann, starling.Page{Limit: 40})
			if err != nil {
				t.Fatal(err)
			}
			ids := make([]int64, len(list))
			for i, s := range list {
				ids[i] = s.ID
			}
			return ids
		}
		if slices.Contains(home(), before.ID) {
			t.Fatal("a tagged post is home before the tag is followed")
		}
		if _, err := svc.FollowTag(ctx, ann, "#adassSPRING"); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.FollowTag(ctx, ann, "AdassSpring"); err != nil {
			t.Fatalf("following twice: %v", err)
		}
		for _, bad := range []string{"", "#", "not a tag", "#--"} {
			if _, err := svc.FollowTag(ctx, ann, bad); starling.ErrorCode(err) != starling.EINVALID {
				t.Errorf("following %q: err = %v, want EINVALID", bad, err)
			}
		}
		info, err := svc.TagFor(ctx, ann, "ADASSSPRING")
		if err != nil || !info.Following || info.Name != "adassspring" {
			t.Fatalf("tag = %+v, %v", info, err)
		}
		followed, err := svc.FollowedTags(ctx, ann, starling.Page{})
		if err != nil || len(followed) != 1 || followed[0].Name != "adassspring" {
			t.Fatalf("followed = %+v, %v", followed, err)
		}

		stream, err := svc.HomeStreamFilter(ctx, ann)
		if err != nil {
			t.Fatal(err)
		}
		public := MustPost(t, svc, cat, "Slides from the #adassspring keynote", starling.VisibilityPublic)
		unlisted := MustPost(t, svc, cat, "Quietly: #adassspring lunch queue", starling.VisibilityUnlisted)
		private := MustPost(t, svc, cat, "Followers only #adassspring", starling.VisibilityPrivate)
		other := MustPost(t, svc, cat, "Nothing to do with it #dementiacare", starling.VisibilityPublic)
		reblog, err := svc.Reblog(ctx, bob, other.ID, starling.VisibilityPublic)
		if err != nil {
			t.Fatal(err)
		}
		got := home()
		for _, s := range []*starling.Status{before, public} {
			if !slices.Contains(got, s.ID) {
				t.Errorf("home lacks %q", s.Text)
			}
		}
		for _, s := range []*starling.Status{unlisted, private, other, reblog} {
			if slices.Contains(got, s.ID) {
				t.Errorf("home shows %q (%s)", s.Text, s.Visibility)
			}
		}
		// The stream shows what the timeline shows.
		shows := func(s *starling.Status) bool {
			full, err := svc.GetStatus(ctx, nil, s.ID)
			if err != nil {
				t.Fatal(err)
			}
			return stream.Shows(&starling.Event{Kind: starling.EventUpdate, Status: full})
		}
		if !shows(public) || shows(unlisted) || shows(other) {
			t.Error("the home stream does not follow the tag as the timeline does")
		}

		// dee, whom ann follows, reblogs a tagged post: it shows once, as the reblog.
		tagged := MustPost(t, svc, cat, "Carers' stories at #adassspring", starling.VisibilityPublic)
		shared, err := svc.Reblog(ctx, dee, tagged.ID, starling.VisibilityPublic)
		if err != nil {
			t.Fatal(err)
		}
		got = home()
		if !slices.Contains(got, shared.ID) || slices.Contains(got, tagged.ID) {
			t.Errorf("a tagged post reblogged by a followed account: reblog shown %v, post shown %v; want only the reblog",
				slices.Contains(got, shared.ID), slices.Contains(got, tagged.ID))
		}

		// Paging: 25 tagged posts and 5 of dee's, 10 at a time, newest first, none twice.
		var want []int64
		for i := range 25 {
			want = append(want, MustPost(t, svc, cat, strings.Repeat("x", i+1)+" #AdassSpring", starling.VisibilityPublic).ID)
			if i%5 == 0 {
				want = append(want, MustPost(t, svc, dee, "from dee", starling.VisibilityPublic).ID)
			}
		}
		slices.Reverse(want)
		var paged []int64
		p := starling.Page{Limit: 10}
		for len(paged) < len(want) {
			page, err := svc.HomeTimeline(ctx, ann, p)
			if err != nil || len(page) == 0 {
				t.Fatalf("page after %d: %d, %v", len(paged), len(page), err)
			}
			for _, s := range page {
				paged = append(paged, s.ID)
			}
			p.MaxID = page[len(page)-1].ID
		}
		if !slices.Equal(paged[:len(want)], want) {
			t.Errorf("paged home = %v\nwant %v", paged[:len(want)], want)
		}

		if _, err := svc.UnfollowTag(ctx, ann, "adassspring"); err != nil {
			t.Fatal(err)
		}
		stream.Shows(&starling.Event{Kind: starling.EventUnfollowTag, AccountID: ann.ID, Tag: "adassspring"})
		got = home()
		if slices.Contains(got, public.ID) || !slices.Contains(got, shared.ID) {
			t.Error("after unfollowing: tagged posts stay, or dee's reblog went")
		}
		if shows(public) {
			t.Error("the home stream still follows the tag")
		}
		if info, _ := svc.TagFor(ctx, ann, "adassspring"); info.Following {
			t.Error("still following after unfollowing")
		}
		if _, err := svc.TagFor(ctx, nil, "neverused"); starling.ErrorCode(err) != starling.ENOTFOUND {
			t.Errorf("a tag never used: %v, want ENOTFOUND", err)
		}
	})
}
