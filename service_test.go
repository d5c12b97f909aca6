package starling_test

import (
	"context"
	"crypto/sha256"
	"database/sql/driver"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"starling"
	"starling/apptest"
	"starling/sqldb/sqldbtest"
)

// ids returns the IDs of statuses, for comparing timelines.
func ids(list []*starling.Status) []int64 {
	out := make([]int64, len(list))
	for i, s := range list {
		out[i] = s.ID
	}
	return out
}

func MustPost(tb testing.TB, svc *starling.Service, a *starling.Account, text string, vis starling.Visibility) *starling.Status {
	tb.Helper()
	s, err := svc.PostStatus(context.Background(), a, starling.NewStatus{Text: text, Visibility: vis})
	if err != nil {
		tb.Fatalf("post %q: %v", text, err)
	}
	return s
}

func MustFollow(tb testing.TB, svc *starling.Service, a, b *starling.Account) {
	tb.Helper()
	if _, err := svc.Follow(context.Background(), a, b.ID, starling.FollowOptions{}); err != nil {
		tb.Fatal(err)
	}
}

func TestPostStatus(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		svc, _ := apptest.MustService(t, engine, apptest.Instance())
		alice, bob := apptest.MustAccount(t, svc, "alice"), apptest.MustAccount(t, svc, "bob")

		t.Run("OK", func(t *testing.T) {
			s := MustPost(t, svc, alice, "Ask me anything about #ADASSspring, @bob and @nobody https://example.org/report", starling.VisibilityPublic)
			if diff := cmp.Diff([]string{"adassspring"}, s.Tags); diff != "" {
				t.Errorf("tags (-want +got):\n%s", diff)
			}
			if len(s.Mentions) != 1 || s.Mentions[0].ID != bob.ID {
				t.Errorf("mentions = %v; want bob only (nobody does not exist)", s.Mentions)
			}
			if !strings.Contains(s.Content, `href="https://starling.test/@bob"`) || strings.Contains(s.Content, `/@nobody"`) {
				t.Errorf("content links the wrong mentions: %s", s.Content)
			}
			if s.Account == nil || s.Account.ID != alice.ID {
				t.Errorf("status not hydrated with its author: %+v", s.Account)
			}
		})
		for name, tc := range map[string]struct {
			in   starling.NewStatus
			code string
		}{
			"ErrBlank":       {starling.NewStatus{Text: "   \n "}, starling.EINVALID},
			"ErrTooLong":     {starling.NewStatus{Text: strings.Repeat("a", 501)}, starling.EINVALID},
			"ErrSpoilerLong": {starling.NewStatus{Text: strings.Repeat("a", 400), SpoilerText: strings.Repeat("b", 101)}, starling.EINVALID},
			"ErrInvalidUTF8": {starling.NewStatus{Text: "caf\xe9"}, starling.EINVALID},
			"ErrNUL":         {starling.NewStatus{Text: "a\x00b"}, starling.EINVALID},
			"ErrSpoilerNUL":  {starling.NewStatus{Text: "a", SpoilerText: "\x00"}, starling.EINVALID},
			"ErrKeyTooLong":  {starling.NewStatus{Text: "a", IdempotencyKey: strings.Repeat("k", 257)}, starling.EINVALID},
			"ErrKeyBinary":   {starling.NewStatus{Text: "a", IdempotencyKey: "\xff\xfe"}, starling.EINVALID},
			"ErrVisibility":  {starling.NewStatus{Text: "x", Visibility: "friends"}, starling.EINVALID},
			"ErrLanguage":    {starling.NewStatus{Text: "x", Language: "en<script>"}, starling.EINVALID},
			"ErrReplyToNone": {starling.NewStatus{Text: "x", InReplyToID: 12345}, starling.ENOTFOUND},
		} {
			t.Run(name, func(t *testing.T) {
				_, err := svc.PostStatus(ctx, alice, tc.in)
				if starling.ErrorCode(err) != tc.code {
					t.Fatalf("err = %v, want code %s", err, tc.code)
				}
			})
		}
		t.Run("URLCounts23", func(t *testing.T) {
			text := strings.Repeat("a", 470) + " https://example.org/" + strings.Repeat("x", 200)
			if _, err := svc.PostStatus(ctx, alice, starling.NewStatus{Text: text}); err != nil {
				t.Fatalf("a 494-character post by Mastodon's count was refused: %v", err)
			}
		})
		t.Run("Idempotent", func(t *testing.T) {
			a, err := svc.PostStatus(ctx, alice, starling.NewStatus{Text: "once", IdempotencyKey: "k1"})
			if err != nil {
				t.Fatal(err)
			}
			b, err := svc.PostStatus(ctx, alice, starling.NewStatus{Text: "once", IdempotencyKey: "k1"})
			if err != nil || b.ID != a.ID {
				t.Fatalf("repeat with the same key gave %v, %v; want status %d", b, err, a.ID)
			}
			// Keys are per account.
			c, err := svc.PostStatus(ctx, bob, starling.NewStatus{Text: "once", IdempotencyKey: "k1"})
			if err != nil || c.ID == a.ID {
				t.Fatalf("another account's key returned the same status")
			}
		})
	})
}

func TestVisibility(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		svc, _ := apptest.MustService(t, engine, apptest.Instance())
		alice, bob, carol := apptest.MustAccount(t, svc, "alice"), apptest.MustAccount(t, svc, "bob"), apptest.MustAccount(t, svc, "carol")
		MustFollow(t, svc, bob, alice)
		public := MustPost(t, svc, alice, "public", starling.VisibilityPublic)
		unlisted := MustPost(t, svc, alice, "unlisted", starling.VisibilityUnlisted)
		private := MustPost(t, svc, alice, "followers only", starling.VisibilityPrivate)
		direct := MustPost(t, svc, alice, "@carol just you", starling.VisibilityDirect)

		for name, tc := range map[string]struct {
			viewer *starling.Account
			want   []int64
		}{
			"SignedOut": {nil, []int64{unlisted.ID, public.ID}},
			"Author":    {alice, []int64{direct.ID, private.ID, unlisted.ID, public.ID}},
			"Follower":  {bob, []int64{private.ID, unlisted.ID, public.ID}},
			"Mentioned": {carol, []int64{direct.ID, unlisted.ID, public.ID}},
		} {
			t.Run(name, func(t *testing.T) {
				got, err := svc.AccountStatuses(ctx, tc.viewer, alice.ID, starling.AccountStatusesFilter{}, starling.Page{Limit: 40})
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(tc.want, ids(got)); diff != "" {
					t.Fatalf("profile as seen (-want +got):\n%s", diff)
				}
				for _, s := range []*starling.Status{public, unlisted, private, direct} {
					_, err := svc.GetStatus(ctx, tc.viewer, s.ID)
					visible := contains(tc.want, s.ID)
					if visible && err != nil || !visible && starling.ErrorCode(err) != starling.ENOTFOUND {
						t.Errorf("GetStatus(%s) err = %v; visible = %v", s.Text, err, visible)
					}
				}
			})
		}
		t.Run("Timelines", func(t *testing.T) {
			pub, _ := svc.PublicTimeline(ctx, nil, starling.PublicFilter{}, starling.Page{})
			if diff := cmp.Diff([]int64{public.ID}, ids(pub)); diff != "" {
				t.Errorf("public timeline (-want +got):\n%s", diff)
			}
			home, _ := svc.HomeTimeline(ctx, carol, starling.Page{})
			if len(home) != 0 {
				t.Errorf("carol follows nobody, but her home holds %v (a DM goes to conversations, not a non-follower's home)", ids(home))
			}
			convs, err := svc.Conversations(ctx, carol, starling.Page{})
			if err != nil || len(convs) != 1 || convs[0].LastStatus == nil || convs[0].LastStatus.ID != direct.ID || !convs[0].Unread {
				t.Fatalf("carol's conversations = %+v, %v", convs, err)
			}
		})
		t.Run("ReplyToHidden", func(t *testing.T) {
			_, err := svc.PostStatus(ctx, carol, starling.NewStatus{Text: "sneaky", InReplyToID: private.ID})
			if starling.ErrorCode(err) != starling.ENOTFOUND {
				t.Fatalf("reply to a status carol cannot see: err = %v, want ENOTFOUND", err)
			}
		})
		t.Run("NoReblogOfPrivate", func(t *testing.T) {
			_, err := svc.Reblog(ctx, bob, private.ID, "")
			if starling.ErrorCode(err) != starling.EFORBIDDEN {
				t.Fatalf("reblog of a followers-only status: err = %v, want EFORBIDDEN", err)
			}
			_, err = svc.Favourite(ctx, carol, private.ID)
			if starling.ErrorCode(err) != starling.ENOTFOUND {
				t.Fatalf("favourite of an unseen status: err = %v, want ENOTFOUND", err)
			}
		})
	})
}

func contains(list []int64, x int64) bool {
	for _, y := range list {
		if y == x {
			return true
		}
	}
	return false
}

func TestInteractions(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		svc, _ := apptest.MustService(t, engine, apptest.Instance())
		alice, bob, carol := apptest.MustAccount(t, svc, "alice"), apptest.MustAccount(t, svc, "bob"), apptest.MustAccount(t, svc, "carol")
		MustFollow(t, svc, carol, bob)
		s := MustPost(t, svc, alice, "worth sharing", starling.VisibilityPublic)

		r, err := svc.Reblog(ctx, bob, s.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		if r.Reblog == nil || r.Reblog.ID != s.ID || !r.Viewer.Reblogged || r.Reblog.ReblogsCount != 1 {
			t.Fatalf("reblog = %+v", r)
		}
		again, err := svc.Reblog(ctx, bob, r.ID, "") // reblogging the reblog means the original
		if err != nil || again.ID != r.ID {
			t.Fatalf("second reblog = %v, %v; want the first (%d)", again, err, r.ID)
		}
		home, _ := svc.HomeTimeline(ctx, carol, starling.Page{})
		if diff := cmp.Diff([]int64{r.ID}, ids(home)); diff != "" {
			t.Fatalf("carol's home shows bob's reblog (-want +got):\n%s", diff)
		}
		f, err := svc.Favourite(ctx, carol, r.ID) // favouriting through a reblog favourites the original
		if err != nil || f.ID != s.ID || f.FavouritesCount != 1 || !f.Viewer.Favourited {
			t.Fatalf("favourite = %+v, %v", f, err)
		}
		if _, err := svc.Favourite(ctx, carol, s.ID); err != nil {
			t.Fatal(err)
		}
		if got, _ := svc.GetStatus(ctx, nil, s.ID); got.FavouritesCount != 1 {
			t.Fatalf("favouriting twice counted %d", got.FavouritesCount)
		}
		notes, err := svc.Notifications(ctx, alice, starling.NotificationFilter{}, starling.Page{})
		if err != nil {
			t.Fatal(err)
		}
		var types []starling.NotificationType
		for _, n := range notes {
			types = append(types, n.Type)
		}
		if diff := cmp.Diff([]starling.NotificationType{starling.NotifyFavourite, starling.NotifyReblog}, types); diff != "" {
			t.Fatalf("alice's notifications (-want +got):\n%s", diff)
		}
		who, _, err := svc.FavouritedBy(ctx, nil, s.ID, starling.Page{})
		if err != nil || len(who) != 1 || who[0].ID != carol.ID {
			t.Fatalf("favourited_by = %v, %v", who, err)
		}

		t.Run("UnfavouriteRemovesNotification", func(t *testing.T) {
			if _, err := svc.Unfavourite(ctx, carol, s.ID); err != nil {
				t.Fatal(err)
			}
			notes, _ := svc.Notifications(ctx, alice, starling.NotificationFilter{Types: []starling.NotificationType{starling.NotifyFavourite}}, starling.Page{})
			if len(notes) != 0 {
				t.Fatalf("favourite notification outlived the favourite")
			}
		})
		t.Run("Unreblog", func(t *testing.T) {
			got, err := svc.Unreblog(ctx, bob, s.ID)
			if err != nil || got.ID != s.ID || got.Viewer.Reblogged || got.ReblogsCount != 0 {
				t.Fatalf("unreblog = %+v, %v", got, err)
			}
			if home, _ := svc.HomeTimeline(ctx, carol, starling.Page{}); len(home) != 0 {
				t.Fatalf("carol's home still shows the withdrawn reblog: %v", ids(home))
			}
		})
		t.Run("Bookmarks", func(t *testing.T) {
			if _, err := svc.Bookmark(ctx, bob, s.ID); err != nil {
				t.Fatal(err)
			}
			list, refs, err := svc.Bookmarks(ctx, bob, starling.Page{})
			if err != nil || len(list) != 1 || len(refs) != 1 || !list[0].Viewer.Bookmarked {
				t.Fatalf("bookmarks = %v, %v", list, err)
			}
		})
		t.Run("Pins", func(t *testing.T) {
			for i := 0; i < starling.MaxPins; i++ {
				p := MustPost(t, svc, bob, "pin me", starling.VisibilityPublic)
				if _, err := svc.Pin(ctx, bob, p.ID); err != nil {
					t.Fatal(err)
				}
			}
			extra := MustPost(t, svc, bob, "one too many", starling.VisibilityPublic)
			if _, err := svc.Pin(ctx, bob, extra.ID); starling.ErrorCode(err) != starling.EINVALID {
				t.Fatalf("pin #%d: err = %v, want EINVALID", starling.MaxPins+1, err)
			}
			if _, err := svc.Pin(ctx, bob, s.ID); starling.ErrorCode(err) != starling.EINVALID {
				t.Fatalf("pinning someone else's status: err = %v, want EINVALID", err)
			}
			pinned, _ := svc.AccountStatuses(ctx, nil, bob.ID, starling.AccountStatusesFilter{Pinned: true}, starling.Page{})
			if len(pinned) != starling.MaxPins {
				t.Fatalf("pinned statuses = %d", len(pinned))
			}
		})
	})
}

func TestEditAndDelete(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		svc, _ := apptest.MustService(t, engine, apptest.Instance())
		alice, bob, carol := apptest.MustAccount(t, svc, "alice"), apptest.MustAccount(t, svc, "bob"), apptest.MustAccount(t, svc, "carol")
		s := MustPost(t, svc, alice, "first #draft", starling.VisibilityPublic)
		if _, err := svc.Reblog(ctx, bob, s.ID, ""); err != nil {
			t.Fatal(err)
		}
		text := "second version @carol #final"
		edited, err := svc.EditStatus(ctx, alice, s.ID, starling.StatusChange{Text: &text})
		if err != nil {
			t.Fatal(err)
		}
		if edited.EditedAt.IsZero() || !cmp.Equal(edited.Tags, []string{"final"}) || len(edited.Mentions) != 1 {
			t.Fatalf("edited = %+v", edited)
		}
		history, _, err := svc.StatusHistory(ctx, nil, s.ID)
		if err != nil || len(history) != 2 || history[0].Text != "first #draft" || history[1].Text != text {
			t.Fatalf("history = %+v, %v", history, err)
		}
		if _, err := svc.EditStatus(ctx, bob, s.ID, starling.StatusChange{Text: &text}); starling.ErrorCode(err) != starling.ENOTFOUND {
			t.Fatalf("bob editing alice's status: err = %v, want ENOTFOUND", err)
		}
		for who, typ := range map[*starling.Account]starling.NotificationType{bob: starling.NotifyUpdate, carol: starling.NotifyMention} {
			notes, _ := svc.Notifications(ctx, who, starling.NotificationFilter{}, starling.Page{})
			if len(notes) != 1 || notes[0].Type != typ {
				t.Errorf("@%s's notifications after the edit = %v; want one %s", who.Username, notes, typ)
			}
		}
		if _, err := svc.DeleteStatus(ctx, bob, s.ID); starling.ErrorCode(err) != starling.ENOTFOUND {
			t.Fatalf("bob deleting alice's status: err = %v, want ENOTFOUND", err)
		}
		gone, err := svc.DeleteStatus(ctx, alice, s.ID)
		if err != nil || gone.Text != text {
			t.Fatalf("delete = %+v, %v; want the source text for redrafting", gone, err)
		}
		if _, err := svc.GetStatus(ctx, alice, s.ID); starling.ErrorCode(err) != starling.ENOTFOUND {
			t.Fatalf("deleted status still readable: %v", err)
		}
		for _, a := range []*starling.Account{alice, bob} {
			got, _ := svc.Account(ctx, a.ID)
			if got.StatusesCount != 0 {
				t.Errorf("@%s statuses_count = %d after delete; want 0", a.Username, got.StatusesCount)
			}
		}
	})
}

func TestFollowsAndLists(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		svc, _ := apptest.MustService(t, engine, apptest.Instance())
		alice, bob, carol := apptest.MustAccount(t, svc, "alice"), apptest.MustAccount(t, svc, "bob"), apptest.MustAccount(t, svc, "carol")
		locked := true
		if _, err := svc.UpdateProfile(ctx, alice, starling.ProfileUpdate{Locked: &locked}); err != nil {
			t.Fatal(err)
		}
		old := MustPost(t, svc, alice, "before the follow", starling.VisibilityPrivate)

		rel, err := svc.Follow(ctx, bob, alice.ID, starling.FollowOptions{})
		if err != nil || rel.Following || !rel.Requested {
			t.Fatalf("follow of a locked account = %+v, %v; want requested", rel, err)
		}
		if _, err := svc.GetStatus(ctx, bob, old.ID); starling.ErrorCode(err) != starling.ENOTFOUND {
			t.Fatalf("a pending follower read a private status: %v", err)
		}
		reqs, _, err := svc.FollowRequests(ctx, alice, starling.Page{})
		if err != nil || len(reqs) != 1 || reqs[0].ID != bob.ID {
			t.Fatalf("follow requests = %v, %v", reqs, err)
		}
		if rel, err = svc.AuthorizeFollowRequest(ctx, alice, bob.ID); err != nil || !rel.FollowedBy {
			t.Fatalf("authorize = %+v, %v", rel, err)
		}
		home, _ := svc.HomeTimeline(ctx, bob, starling.Page{})
		if diff := cmp.Diff([]int64{old.ID}, ids(home)); diff != "" {
			t.Fatalf("bob's home after approval should hold alice's earlier private post (-want +got):\n%s", diff)
		}
		if _, err := svc.Follow(ctx, bob, bob.ID, starling.FollowOptions{}); starling.ErrorCode(err) != starling.EFORBIDDEN {
			t.Fatalf("self-follow: err = %v", err)
		}

		l, err := svc.CreateList(ctx, bob, starling.List{Title: "  People in social care worth following "})
		if err != nil || l.Title != "People in social care worth following" || l.RepliesPolicy != "list" {
			t.Fatalf("create list = %+v, %v", l, err)
		}
		if err := svc.AddListMembers(ctx, bob, l.ID, []int64{carol.ID}); starling.ErrorCode(err) != starling.EINVALID {
			t.Fatalf("adding an account bob does not follow: err = %v, want EINVALID", err)
		}
		if err := svc.AddListMembers(ctx, bob, l.ID, []int64{alice.ID}); err != nil {
			t.Fatal(err)
		}
		fresh := MustPost(t, svc, alice, "for the list", starling.VisibilityPublic)
		tl, err := svc.ListTimeline(ctx, bob, l.ID, starling.Page{})
		if err != nil || !cmp.Equal(ids(tl), []int64{fresh.ID, old.ID}) {
			t.Fatalf("list timeline = %v, %v", ids(tl), err)
		}
		if _, err := svc.ListTimeline(ctx, carol, l.ID, starling.Page{}); starling.ErrorCode(err) != starling.ENOTFOUND {
			t.Fatalf("carol read bob's list: err = %v", err)
		}
		exclusive := true
		if _, err := svc.UpdateList(ctx, bob, l.ID, starling.ListChange{Exclusive: &exclusive}); err != nil {
			t.Fatal(err)
		}
		listOnly := MustPost(t, svc, alice, "only in the exclusive list", starling.VisibilityPublic)
		if home, _ := svc.HomeTimeline(ctx, bob, starling.Page{Limit: 1}); len(home) == 1 && home[0].ID == listOnly.ID {
			t.Fatal("a post by a member of an exclusive list reached bob's home timeline")
		}
		if tl, _ := svc.ListTimeline(ctx, bob, l.ID, starling.Page{Limit: 1}); len(tl) != 1 || tl[0].ID != listOnly.ID {
			t.Fatalf("exclusive list timeline = %v; want the new post first", ids(tl))
		}
		if _, err := svc.Unfollow(ctx, bob, alice.ID); err != nil {
			t.Fatal(err)
		}
		if home, _ := svc.HomeTimeline(ctx, bob, starling.Page{}); len(home) != 0 {
			t.Fatalf("bob's home after unfollow = %v", ids(home))
		}
		if members, _ := svc.ListMembers(ctx, bob, l.ID, starling.Page{}); len(members) != 0 {
			t.Fatalf("unfollowed account stays in the list: %v", members)
		}
	})
}

func TestContext(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		svc, _ := apptest.MustService(t, engine, apptest.Instance())
		alice, bob, carol := apptest.MustAccount(t, svc, "alice"), apptest.MustAccount(t, svc, "bob"), apptest.MustAccount(t, svc, "carol")
		root := MustPost(t, svc, alice, "What helps most at discharge?", starling.VisibilityPublic)
		reply := func(a *starling.Account, to *starling.Status, vis starling.Visibility) *starling.Status {
			s, err := svc.PostStatus(ctx, a, starling.NewStatus{Text: "@" + to.Account.Username + " a reply", InReplyToID: to.ID, Visibility: vis})
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
		r1 := reply(bob, root, starling.VisibilityPublic)
		r2 := reply(alice, r1, starling.VisibilityPublic)
		r3 := reply(carol, root, starling.VisibilityPublic)
		// Followers-only, mentioning alice: alice may read it, carol may not.
		hidden, err := svc.PostStatus(ctx, bob, starling.NewStatus{Text: "@alice between us", InReplyToID: r1.ID, Visibility: starling.VisibilityPrivate})
		if err != nil {
			t.Fatal(err)
		}

		up, down, err := svc.StatusContext(ctx, carol, r2.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]int64{root.ID, r1.ID}, ids(up)); diff != "" {
			t.Errorf("ancestors (-want +got):\n%s", diff)
		}
		if len(down) != 0 {
			t.Errorf("descendants of r2 = %v", ids(down))
		}
		_, down, _ = svc.StatusContext(ctx, carol, root.ID)
		if diff := cmp.Diff([]int64{r1.ID, r2.ID, r3.ID}, ids(down)); diff != "" {
			t.Errorf("descendants as carol (-want +got):\n%s", diff)
		}
		_, down, _ = svc.StatusContext(ctx, alice, root.ID)
		if diff := cmp.Diff([]int64{r1.ID, r2.ID, hidden.ID, r3.ID}, ids(down)); diff != "" {
			t.Errorf("descendants as alice (-want +got):\n%s", diff)
		}
		if got, _ := svc.GetStatus(ctx, nil, root.ID); got.RepliesCount != 2 {
			t.Errorf("replies_count = %d, want 2", got.RepliesCount)
		}
	})
}

func TestRegistrationAndAuth(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		in := apptest.Instance()
		in.Registrations = starling.RegistrationsApproval
		svc, _ := apptest.MustService(t, engine, in)
		admin, _, err := svc.Register(ctx, starling.SignUp{Username: "admin", Email: "admin@example.org", Password: "password123", Admin: true, SkipApproval: true, AllowReserved: true, SkipAgreement: true})
		if err != nil {
			t.Fatal(err)
		}
		for name, su := range map[string]starling.SignUp{
			"ErrReserved":  {Username: "support", Email: "s@example.org", Password: "password123", Agreement: true},
			"ErrUsername":  {Username: "no spaces", Email: "x@example.org", Password: "password123", Agreement: true},
			"ErrEmail":     {Username: "x1", Email: "not-an-email", Password: "password123", Agreement: true},
			"ErrPassword":  {Username: "x2", Email: "x2@example.org", Password: "short", Agreement: true},
			"ErrAgreement": {Username: "x3", Email: "x3@example.org", Password: "password123"},
			"ErrTaken":     {Username: "ADMIN", Email: "x4@example.org", Password: "password123", Agreement: true, AllowReserved: true},
		} {
			t.Run(name, func(t *testing.T) {
				if _, _, err := svc.Register(ctx, su); starling.ErrorCode(err) != starling.EINVALID {
					t.Fatalf("err = %v, want EINVALID", err)
				}
			})
		}
		dana, _, err := svc.Register(ctx, starling.SignUp{Username: "dana", Email: "dana@example.org", Password: "password123", Agreement: true, Reason: "I run a day centre"})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := svc.SignIn(ctx, "dana@example.org", "password123"); starling.ErrorCode(err) != starling.EFORBIDDEN {
			t.Fatalf("pending user signed in: err = %v, want EFORBIDDEN", err)
		}
		adminUser, _ := svc.Store().User(ctx, admin.ID)
		pending, _, err := svc.PendingSignUps(ctx, adminUser)
		if err != nil || len(pending) != 1 || pending[0].Reason != "I run a day centre" {
			t.Fatalf("pending = %v, %v", pending, err)
		}
		notes, _ := svc.Notifications(ctx, admin, starling.NotificationFilter{}, starling.Page{})
		if len(notes) != 1 || notes[0].Type != starling.NotifyAdminSignUp {
			t.Fatalf("admin notifications = %v; want one admin.sign_up", notes)
		}
		danaUser, _ := svc.Store().User(ctx, dana.ID)
		if err := svc.ApproveSignUp(ctx, danaUser, dana.ID); starling.ErrorCode(err) != starling.EFORBIDDEN {
			t.Fatalf("self-approval: err = %v", err)
		}
		if err := svc.ApproveSignUp(ctx, adminUser, dana.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := svc.SignIn(ctx, "DANA@example.org", "password123"); err != nil {
			t.Fatalf("approved user cannot sign in: %v", err)
		}
		if _, _, err := svc.SignIn(ctx, "dana", "wrong password"); starling.ErrorCode(err) != starling.EUNAUTHORIZED {
			t.Fatalf("wrong password: err = %v", err)
		}
		if _, _, err := svc.SignIn(ctx, "nobody@example.org", "password123"); starling.ErrorCode(err) != starling.EUNAUTHORIZED {
			t.Fatalf("unknown user: err = %v", err)
		}

		in.Registrations = starling.RegistrationsClosed
		closed, _ := apptest.MustService(t, engine, in)
		if _, _, err := closed.Register(ctx, starling.SignUp{Username: "eve", Email: "e@example.org", Password: "password123", Agreement: true}); starling.ErrorCode(err) != starling.EFORBIDDEN {
			t.Fatalf("sign-up while closed: err = %v", err)
		}
	})
}

func pkce(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

func TestOAuth(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		svc, _ := apptest.MustService(t, engine, apptest.Instance())
		alice := apptest.MustAccount(t, svc, "alice")
		app, secret, err := svc.CreateApplication(ctx, starling.NewApplication{Name: "Ivory", RedirectURIs: []string{"ivory://cb\nhttp://127.0.0.1:9/cb"}, Scopes: "read write:statuses follow"})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]string{"ivory://cb", "http://127.0.0.1:9/cb"}, app.RedirectURIs); diff != "" {
			t.Fatalf("redirect URIs (-want +got):\n%s", diff)
		}
		verifier := strings.Repeat("v", 50)
		req := starling.AuthorizationRequest{ClientID: app.ClientID, RedirectURI: "ivory://cb", Scope: "read write:statuses",
			CodeChallenge: pkce(verifier), CodeChallengeMethod: "S256"}
		for name, bad := range map[string]func(r *starling.AuthorizationRequest){
			"ErrRedirect":  func(r *starling.AuthorizationRequest) { r.RedirectURI = "https://evil.example/cb" },
			"ErrScope":     func(r *starling.AuthorizationRequest) { r.Scope = "read admin:write" },
			"ErrMethod":    func(r *starling.AuthorizationRequest) { r.CodeChallengeMethod = "plain" },
			"ErrClient":    func(r *starling.AuthorizationRequest) { r.ClientID = "nope" },
			"ErrWebClient": func(r *starling.AuthorizationRequest) { r.ClientID = starling.WebClientID },
		} {
			t.Run(name, func(t *testing.T) {
				r := req
				bad(&r)
				if _, _, err := svc.CheckAuthorization(ctx, r); err == nil {
					t.Fatal("bad authorisation request accepted")
				}
			})
		}
		code, redirect, err := svc.Authorize(ctx, alice, req)
		if err != nil || redirect != "ivory://cb" {
			t.Fatalf("authorize = %q, %q, %v", code, redirect, err)
		}
		exchange := starling.TokenRequest{GrantType: "authorization_code", ClientID: app.ClientID, Code: code, RedirectURI: "ivory://cb", CodeVerifier: "wrong" + verifier}
		if _, err := svc.ExchangeToken(ctx, exchange); err == nil {
			t.Fatal("wrong PKCE verifier accepted")
		}
		// The failed attempt used the code up.
		code, _, _ = svc.Authorize(ctx, alice, req)
		exchange.Code, exchange.CodeVerifier = code, verifier
		g, err := svc.ExchangeToken(ctx, exchange) // a public client: no secret, PKCE instead
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.ExchangeToken(ctx, exchange); err == nil {
			t.Fatal("an authorisation code worked twice")
		}
		auth, err := svc.Authenticate(ctx, g.AccessToken)
		if err != nil || auth.Account.ID != alice.ID || !auth.Allows("write:statuses") || auth.Allows("write:follows") || !auth.Allows("read:lists") {
			t.Fatalf("token auth = %+v, %v", auth, err)
		}
		refreshed, err := svc.ExchangeToken(ctx, starling.TokenRequest{GrantType: "refresh_token", ClientID: app.ClientID, ClientSecret: secret, RefreshToken: g.RefreshToken})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Authenticate(ctx, g.AccessToken); starling.ErrorCode(err) != starling.EUNAUTHORIZED {
			t.Fatalf("old token after refresh: err = %v", err)
		}
		if _, err := svc.Authenticate(ctx, refreshed.AccessToken); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.ExchangeToken(ctx, starling.TokenRequest{GrantType: "client_credentials", ClientID: app.ClientID, ClientSecret: "wrong"}); err == nil {
			t.Fatal("client_credentials with a wrong secret accepted")
		}
		cc, err := svc.ExchangeToken(ctx, starling.TokenRequest{GrantType: "client_credentials", ClientID: app.ClientID, ClientSecret: secret, Scope: "read"})
		if err != nil {
			t.Fatal(err)
		}
		if a, _ := svc.Authenticate(ctx, cc.AccessToken); a.Account != nil {
			t.Fatal("an app token carries an account")
		}
		if err := svc.RevokeToken(ctx, app.ClientID, secret, refreshed.AccessToken); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Authenticate(ctx, refreshed.AccessToken); starling.ErrorCode(err) != starling.EUNAUTHORIZED {
			t.Fatalf("revoked token still works: %v", err)
		}
	})
}

func TestScopes(t *testing.T) {
	for name, tc := range map[string]struct {
		have     starling.Scopes
		required string
		want     bool
	}{
		"Exact":            {starling.Scopes{"read:statuses"}, "read:statuses", true},
		"Parent":           {starling.Scopes{"read"}, "read:statuses", true},
		"Sibling":          {starling.Scopes{"read:accounts"}, "read:statuses", false},
		"ChildNotParent":   {starling.Scopes{"read:statuses"}, "read", false},
		"FollowLegacy":     {starling.Scopes{"follow"}, "write:follows", true},
		"FollowNotStatus":  {starling.Scopes{"follow"}, "write:statuses", false},
		"WriteNotRead":     {starling.Scopes{"write"}, "read:statuses", false},
		"AdminParent":      {starling.Scopes{"admin:read"}, "admin:read:accounts", true},
		"PrefixNotParent":  {starling.Scopes{"rea"}, "read:statuses", false},
		"ProfileNotRead":   {starling.Scopes{"profile"}, "read:accounts", false},
		"EmptyGrantsNone":  {nil, "read", false},
		"AdminNotFromRead": {starling.Scopes{"read"}, "admin:read", false},
	} {
		t.Run(name, func(t *testing.T) {
			if got := tc.have.Allows(tc.required); got != tc.want {
				t.Fatalf("%v.Allows(%q) = %v, want %v", tc.have, tc.required, got, tc.want)
			}
		})
	}
	if _, err := starling.ParseScopes("read bogus", nil); starling.ErrorCode(err) != starling.EINVALID {
		t.Fatalf("unknown scope parsed: %v", err)
	}
}

// TestUnreachableIsUnavailable: a dependency that cannot be reached is a
// 503-class error with a message that says so, not an internal one.
func TestUnreachableIsUnavailable(t *testing.T) {
	_, dialErr := net.DialTimeout("tcp", "127.0.0.1:1", time.Second)
	if dialErr == nil {
		t.Skip("something listens on port 1")
	}
	for _, err := range []error{fmt.Errorf("read statuses: %w", dialErr), fmt.Errorf("query: %w", driver.ErrBadConn)} {
		if starling.ErrorCode(err) != starling.EUNAVAILABLE || !strings.Contains(starling.ErrorMessage(err), "unavailable") {
			t.Errorf("%v: code %s, message %q", err, starling.ErrorCode(err), starling.ErrorMessage(err))
		}
	}
	if starling.ErrorCode(errors.New("nil map")) != starling.EINTERNAL {
		t.Error("an ordinary error is no longer internal")
	}
}
