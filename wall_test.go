package starling_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"starling"
	"starling/apptest"
	"starling/events"
	"starling/sqldb/sqldbtest"
	"starling/text"
)

// wallFixture is a community with a conference hashtag: a member who
// posts, a moderator and an admin, and the events the service publishes.
type wallFixture struct {
	svc        *starling.Service
	hub        *events.Hub
	member     *starling.Account
	memberUser *starling.User
	staff      *starling.User // an admin
	moderator  *starling.User
	ctx        context.Context
}

// MustWallFixture builds a wallFixture on engine. Its clock moves a second
// each time it is read, so pins made one after another have distinct times.
func MustWallFixture(t *testing.T, engine string) *wallFixture {
	t.Helper()
	in := apptest.Instance()
	db := sqldbtest.MustOpen(t, engine)
	var mu sync.Mutex
	clock := time.Date(2026, 3, 4, 9, 0, 0, 0, time.UTC)
	now := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		clock = clock.Add(time.Second)
		return clock
	}
	svc := starling.NewService(db, text.NewProcessor(&in), apptest.FastPasswords, in, now)
	hub := events.NewHub(0)
	t.Cleanup(hub.Close)
	svc.SetEvents(hub)
	f := &wallFixture{svc: svc, hub: hub, ctx: context.Background()}
	f.member = apptest.MustAccount(t, svc, "mo")
	var err error
	if f.memberUser, err = db.User(f.ctx, f.member.ID); err != nil {
		t.Fatal(err)
	}
	_, f.staff, err = svc.Register(f.ctx, starling.SignUp{Username: "organiser", Email: "organiser@example.org", Password: "password123",
		Admin: true, SkipApproval: true, SkipAgreement: true, AllowReserved: true})
	if err != nil {
		t.Fatal(err)
	}
	mod := apptest.MustAccount(t, svc, "moderator")
	if f.moderator, err = db.User(f.ctx, mod.ID); err != nil {
		t.Fatal(err)
	}
	f.moderator.Role = starling.RoleModerator
	if err := db.Update(f.ctx, func(tx starling.Tx) error { return tx.UpdateUser(f.ctx, f.moderator) }); err != nil {
		t.Fatal(err)
	}
	return f
}

// post publishes text as the member, publicly unless vis says otherwise.
func (f *wallFixture) post(t *testing.T, text string, vis starling.Visibility) *starling.Status {
	t.Helper()
	return MustPost(t, f.svc, f.member, text, vis)
}

// wall returns the IDs of what the #adassspring wall shows: pins, then posts.
func (f *wallFixture) wall(t *testing.T) (pinned, posts []int64) {
	t.Helper()
	feed, err := f.svc.WallPosts(f.ctx, "adassspring", 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	return ids(feed.Pinned), ids(feed.Posts)
}

func (f *wallFixture) mustModerate(t *testing.T, s *starling.Status, action starling.WallAction) {
	t.Helper()
	if err := f.svc.ModerateWall(f.ctx, f.staff, "adassspring", s.ID, action); err != nil {
		t.Fatalf("%s %d: %v", action, s.ID, err)
	}
}

func TestWallPosts(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		f := MustWallFixture(t, engine)
		first := f.post(t, "Keynote starting #adassspring", starling.VisibilityPublic)
		f.post(t, "Not for the wall #somethingelse", starling.VisibilityPublic)
		f.post(t, "Quiet one #adassspring", starling.VisibilityUnlisted)
		f.post(t, "Followers only #adassspring", starling.VisibilityPrivate)
		second := f.post(t, "Workforce panel next #ADASSspring", starling.VisibilityPublic)
		if _, err := f.svc.Reblog(f.ctx, f.moderatorAccount(t), first.ID, starling.VisibilityPublic); err != nil {
			t.Fatal(err)
		}

		t.Run("OK", func(t *testing.T) {
			feed, err := f.svc.WallPosts(f.ctx, "#AdassSpring", 0, 0)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]int64{second.ID, first.ID}, ids(feed.Posts)); diff != "" {
				t.Errorf("posts (-want +got):\n%s", diff)
			}
			if feed.Wall.Tag != "adassspring" || feed.Wall.ApproveFirst || len(feed.Pinned) != 0 {
				t.Errorf("wall %+v, pinned %v", feed.Wall, feed.Pinned)
			}
			if a := feed.Posts[0].Account; a == nil || a.ID != f.member.ID {
				t.Errorf("posts not hydrated with their author: %+v", a)
			}
		})
		t.Run("SinceID", func(t *testing.T) {
			feed, err := f.svc.WallPosts(f.ctx, "adassspring", first.ID, 0)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]int64{second.ID}, ids(feed.Posts)); diff != "" {
				t.Errorf("posts since the first (-want +got):\n%s", diff)
			}
		})
		t.Run("Limit", func(t *testing.T) {
			feed, err := f.svc.WallPosts(f.ctx, "adassspring", 0, 1)
			if err != nil || len(feed.Posts) != 1 || feed.Posts[0].ID != second.ID {
				t.Errorf("limit 1: %v, %v", feed, err)
			}
		})
		t.Run("ErrNotAHashtag", func(t *testing.T) {
			if _, err := f.svc.WallPosts(f.ctx, "no spaces", 0, 0); starling.ErrorCode(err) != starling.ENOTFOUND {
				t.Errorf("err = %v; want ENOTFOUND", err)
			}
		})
	})
}

// moderatorAccount returns the moderator's account.
func (f *wallFixture) moderatorAccount(t *testing.T) *starling.Account {
	t.Helper()
	a, err := f.svc.Store().Account(f.ctx, f.moderator.AccountID)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestModerateWall(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		f := MustWallFixture(t, engine)
		var posts []*starling.Status // oldest first
		for _, text := range []string{"one", "two", "three", "four", "five"} {
			posts = append(posts, f.post(t, text+" #adassspring", starling.VisibilityPublic))
		}
		p1, p2, p3, p4, p5 := posts[0], posts[1], posts[2], posts[3], posts[4]

		t.Run("HideAndUnhide", func(t *testing.T) {
			f.mustModerate(t, p3, starling.WallHide)
			if _, got := f.wall(t); !cmp.Equal(got, []int64{p5.ID, p4.ID, p2.ID, p1.ID}) {
				t.Errorf("after hiding three: %v", got)
			}
			f.mustModerate(t, p3, starling.WallUnhide)
			if _, got := f.wall(t); len(got) != 5 {
				t.Errorf("after unhiding three: %v", got)
			}
		})
		t.Run("PinsNewestFirst", func(t *testing.T) {
			f.mustModerate(t, p4, starling.WallPin)
			f.mustModerate(t, p1, starling.WallPin)
			pinned, rest := f.wall(t)
			if diff := cmp.Diff([]int64{p1.ID, p4.ID}, pinned); diff != "" {
				t.Errorf("pins, newest pin first (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]int64{p5.ID, p3.ID, p2.ID}, rest); diff != "" {
				t.Errorf("the others, without the pins (-want +got):\n%s", diff)
			}
			// Pinning again changes nothing, not even the order.
			f.mustModerate(t, p4, starling.WallPin)
			if pinned, _ := f.wall(t); !cmp.Equal(pinned, []int64{p1.ID, p4.ID}) {
				t.Errorf("pinning again moved the pins: %v", pinned)
			}
		})
		t.Run("ErrTooManyPins", func(t *testing.T) {
			f.mustModerate(t, p2, starling.WallPin)
			err := f.svc.ModerateWall(f.ctx, f.staff, "adassspring", p5.ID, starling.WallPin)
			if starling.ErrorCode(err) != starling.EINVALID {
				t.Fatalf("a fourth pin: err = %v; want EINVALID", err)
			}
			f.mustModerate(t, p2, starling.WallUnpin)
			if pinned, rest := f.wall(t); !cmp.Equal(pinned, []int64{p1.ID, p4.ID}) || !cmp.Equal(rest, []int64{p5.ID, p3.ID, p2.ID}) {
				t.Errorf("after unpinning: pinned %v, rest %v", pinned, rest)
			}
		})
		t.Run("HidingUnpins", func(t *testing.T) {
			f.mustModerate(t, p4, starling.WallHide)
			pinned, rest := f.wall(t)
			if !cmp.Equal(pinned, []int64{p1.ID}) || !cmp.Equal(rest, []int64{p5.ID, p3.ID, p2.ID}) {
				t.Errorf("after hiding a pinned post: pinned %v, rest %v", pinned, rest)
			}
			f.mustModerate(t, p4, starling.WallUnhide)
			if pinned, _ := f.wall(t); !cmp.Equal(pinned, []int64{p1.ID}) {
				t.Errorf("unhiding pinned it again: %v", pinned)
			}
		})
		t.Run("ModeratorMay", func(t *testing.T) {
			if err := f.svc.ModerateWall(f.ctx, f.moderator, "adassspring", p5.ID, starling.WallHide); err != nil {
				t.Fatal(err)
			}
			f.mustModerate(t, p5, starling.WallUnhide)
		})
		for name, tc := range map[string]struct {
			staff  *starling.User
			id     int64
			action starling.WallAction
			code   string
		}{
			"ErrMember":        {f.memberUser, p1.ID, starling.WallHide, starling.EFORBIDDEN},
			"ErrSignedOut":     {nil, p1.ID, starling.WallHide, starling.EFORBIDDEN},
			"ErrUnknownAction": {f.staff, p1.ID, "delete", starling.EINVALID},
			"ErrNoSuchPost":    {f.staff, 12345, starling.WallHide, starling.ENOTFOUND},
			"ErrNotTagged":     {f.staff, f.post(t, "no tag here", starling.VisibilityPublic).ID, starling.WallPin, starling.ENOTFOUND},
			"ErrNotPublic":     {f.staff, f.post(t, "#adassspring followers only", starling.VisibilityPrivate).ID, starling.WallApprove, starling.ENOTFOUND},
		} {
			t.Run(name, func(t *testing.T) {
				err := f.svc.ModerateWall(f.ctx, tc.staff, "adassspring", tc.id, tc.action)
				if got := starling.ErrorCode(err); got != tc.code {
					t.Errorf("err = %v; want %s", err, tc.code)
				}
			})
		}
		t.Run("MemberCannotReview", func(t *testing.T) {
			if _, err := f.svc.ReviewWall(f.ctx, f.memberUser, "adassspring"); starling.ErrorCode(err) != starling.EFORBIDDEN {
				t.Errorf("err = %v; want EFORBIDDEN", err)
			}
		})
		t.Run("Review", func(t *testing.T) {
			f.mustModerate(t, p3, starling.WallHide)
			r, err := f.svc.ReviewWall(f.ctx, f.moderator, "adassspring")
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Pinned) != 1 || r.Pinned[0].Status.ID != p1.ID || !r.Pinned[0].Moderation.Pinned() || !r.Pinned[0].Shown {
				t.Errorf("pinned: %+v", r.Pinned)
			}
			if len(r.Recent) != 4 {
				t.Fatalf("recent lists %d posts; want the 4 not pinned, hidden ones too", len(r.Recent))
			}
			for _, e := range r.Recent {
				hidden := e.Status.ID == p3.ID
				if e.Moderation.Hidden != hidden || e.Shown == hidden || e.Moderation.StatusID != e.Status.ID {
					t.Errorf("post %d: %+v, shown %v", e.Status.ID, e.Moderation, e.Shown)
				}
			}
		})
	})
}

func TestWallApproveFirst(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		f := MustWallFixture(t, engine)
		early := f.post(t, "early #adassspring", starling.VisibilityPublic)
		late := f.post(t, "late #adassspring", starling.VisibilityPublic)
		pinned := f.post(t, "pinned #adassspring", starling.VisibilityPublic)
		f.mustModerate(t, pinned, starling.WallPin)

		t.Run("ErrMember", func(t *testing.T) {
			err := f.svc.SetWallApproveFirst(f.ctx, f.memberUser, "adassspring", true)
			if starling.ErrorCode(err) != starling.EFORBIDDEN {
				t.Errorf("err = %v; want EFORBIDDEN", err)
			}
		})
		t.Run("OnlyApprovedShow", func(t *testing.T) {
			if err := f.svc.SetWallApproveFirst(f.ctx, f.staff, "AdassSpring", true); err != nil {
				t.Fatal(err)
			}
			if w, err := f.svc.Wall(f.ctx, "adassspring"); err != nil || !w.ApproveFirst || w.UpdatedBy != f.staff.AccountID {
				t.Fatalf("wall %+v, %v", w, err)
			}
			pins, rest := f.wall(t)
			if !cmp.Equal(pins, []int64{pinned.ID}) || len(rest) != 0 {
				t.Errorf("before any approval: pins %v (a pin is approved), rest %v", pins, rest)
			}
			f.mustModerate(t, early, starling.WallApprove)
			if _, rest := f.wall(t); !cmp.Equal(rest, []int64{early.ID}) {
				t.Errorf("after approving one: %v", rest)
			}
			fresh := f.post(t, "fresh #adassspring", starling.VisibilityPublic)
			if _, rest := f.wall(t); !cmp.Equal(rest, []int64{early.ID}) {
				t.Errorf("a new post showed before approval: %v", rest)
			}
			f.mustModerate(t, fresh, starling.WallApprove)
			f.mustModerate(t, early, starling.WallHide) // hiding withdraws the approval
			if _, rest := f.wall(t); !cmp.Equal(rest, []int64{fresh.ID}) {
				t.Errorf("after approving the new one and hiding the first: %v", rest)
			}
			f.mustModerate(t, early, starling.WallUnhide)
			if _, rest := f.wall(t); !cmp.Equal(rest, []int64{fresh.ID}) {
				t.Errorf("unhiding approved it: %v", rest)
			}
		})
		t.Run("OffShowsAllButHidden", func(t *testing.T) {
			f.mustModerate(t, late, starling.WallHide)
			if err := f.svc.SetWallApproveFirst(f.ctx, f.moderator, "adassspring", false); err != nil {
				t.Fatal(err)
			}
			_, rest := f.wall(t)
			if len(rest) != 2 || rest[1] != early.ID {
				t.Errorf("approve-first off: %v; want the new post and the early one", rest)
			}
		})
	})
}

// TestWallChangedEvents checks open walls are told of moderation once it
// is stored, and not of decisions that change nothing.
func TestWallChangedEvents(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		f := MustWallFixture(t, engine)
		s := f.post(t, "hello #adassspring", starling.VisibilityPublic)
		sub := f.hub.Subscribe(starling.TopicWall("adassspring"))
		defer sub.Close()
		next := func() *starling.Event {
			select {
			case ev := <-sub.C():
				return ev
			case <-time.After(100 * time.Millisecond):
				return nil
			}
		}
		f.mustModerate(t, s, starling.WallHide)
		if ev := next(); ev == nil || ev.Kind != starling.EventWallChanged {
			t.Fatalf("after hiding: event %+v; want wall.changed", ev)
		}
		f.mustModerate(t, s, starling.WallHide)
		if ev := next(); ev != nil {
			t.Errorf("hiding again published %+v", ev)
		}
		if err := f.svc.SetWallApproveFirst(f.ctx, f.staff, "adassspring", true); err != nil {
			t.Fatal(err)
		}
		if ev := next(); ev == nil || ev.Kind != starling.EventWallChanged {
			t.Errorf("after approve-first: event %+v; want wall.changed", ev)
		}
		if err := f.svc.ModerateWall(f.ctx, f.memberUser, "adassspring", s.ID, starling.WallUnhide); err == nil {
			t.Fatal("a member moderated the wall")
		}
		if ev := next(); ev != nil {
			t.Errorf("a refused decision published %+v", ev)
		}
	})
}
