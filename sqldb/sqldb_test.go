package sqldb_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"starling"
	"starling/sqldb"
	"starling/sqldb/sqldbtest"
)

// fixture builds rows for one store test; IDs come from a real generator so
// they are time-ordered like production IDs.
type fixture struct {
	t   *testing.T
	db  *sqldb.DB
	ids starling.IDGenerator
	now time.Time
}

func newFixture(t *testing.T, engine string) *fixture {
	return &fixture{t: t, db: sqldbtest.MustOpen(t, engine), now: time.Date(2026, 5, 12, 9, 0, 0, 0, time.UTC)}
}

func (f *fixture) id() int64 {
	f.now = f.now.Add(time.Millisecond)
	return f.ids.Next(f.now)
}

func (f *fixture) update(fn func(tx starling.Tx) error) {
	f.t.Helper()
	if err := f.db.Update(context.Background(), fn); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) MustCreateAccount(username string) *starling.Account {
	f.t.Helper()
	a := &starling.Account{ID: f.id(), Username: username, CreatedAt: f.now, UpdatedAt: f.now, Discoverable: true,
		Fields: []starling.Field{{Name: "Role", Value: "Social worker"}}}
	u := &starling.User{AccountID: a.ID, Email: username + "@example.org", PasswordHash: "x", Role: starling.RoleUser, Approved: true, Confirmed: true, CreatedAt: f.now}
	f.update(func(tx starling.Tx) error { return tx.CreateAccount(context.Background(), a, u) })
	return a
}

func (f *fixture) MustFollow(a, b *starling.Account) {
	f.t.Helper()
	f.update(func(tx starling.Tx) error {
		_, err := tx.CreateFollow(context.Background(), &starling.Follow{ID: f.id(), AccountID: a.ID, TargetAccountID: b.ID, ShowReblogs: true, CreatedAt: f.now})
		return err
	})
}

func (f *fixture) MustPost(author *starling.Account, vis starling.Visibility, mut ...func(*starling.Status)) *starling.Status {
	f.t.Helper()
	id := f.id()
	s := &starling.Status{ID: id, AccountID: author.ID, Text: "hello", Content: "<p>hello</p>", Visibility: vis, ConversationID: id, CreatedAt: f.now}
	for _, m := range mut {
		m(s)
	}
	f.update(func(tx starling.Tx) error {
		if err := tx.CreateStatus(context.Background(), s); err != nil {
			return err
		}
		return tx.FanOut(context.Background(), s, starling.FanOutScope{}) // every follower counts as active
	})
	return s
}

func TestAccounts(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		f := newFixture(t, engine)
		alice := f.MustCreateAccount("Alice")

		t.Run("OK", func(t *testing.T) {
			got, err := f.db.AccountByUsername(ctx, "alice", "")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(alice, got); diff != "" {
				t.Fatalf("account differs (-want +got):\n%s", diff)
			}
			u, err := f.db.UserByEmail(ctx, "ALICE@example.org")
			if err != nil || u.AccountID != alice.ID {
				t.Fatalf("UserByEmail = %+v, %v", u, err)
			}
		})
		t.Run("ErrUsernameTaken", func(t *testing.T) {
			a := &starling.Account{ID: f.id(), Username: "ALICE", CreatedAt: f.now, UpdatedAt: f.now}
			err := f.db.Update(ctx, func(tx starling.Tx) error { return tx.CreateAccount(ctx, a, nil) })
			if starling.ErrorCode(err) != starling.EINVALID {
				t.Fatalf("duplicate username: err = %v, want EINVALID", err)
			}
		})
		t.Run("ErrEmailTaken", func(t *testing.T) {
			a := &starling.Account{ID: f.id(), Username: "alice2", CreatedAt: f.now, UpdatedAt: f.now}
			u := &starling.User{AccountID: a.ID, Email: "Alice@Example.org", PasswordHash: "x", Role: starling.RoleUser, CreatedAt: f.now}
			err := f.db.Update(ctx, func(tx starling.Tx) error { return tx.CreateAccount(ctx, a, u) })
			if starling.ErrorCode(err) != starling.EINVALID {
				t.Fatalf("duplicate email: err = %v, want EINVALID", err)
			}
			// The failed transaction left no account behind.
			if _, err := f.db.AccountByUsername(ctx, "alice2", ""); starling.ErrorCode(err) != starling.ENOTFOUND {
				t.Fatalf("account of failed sign-up: err = %v, want ENOTFOUND", err)
			}
		})
		t.Run("ErrNotFound", func(t *testing.T) {
			if _, err := f.db.Account(ctx, 42); starling.ErrorCode(err) != starling.ENOTFOUND {
				t.Fatalf("err = %v, want ENOTFOUND", err)
			}
		})
		t.Run("Search", func(t *testing.T) {
			f.MustCreateAccount("alison")
			bob := f.MustCreateAccount("bob_100%")
			got, err := f.db.SearchAccounts(ctx, "ali", 10, 0)
			if err != nil || len(got) != 2 {
				t.Fatalf("SearchAccounts(ali) = %d accounts, %v; want 2", len(got), err)
			}
			// LIKE wildcards in the query are literal.
			got, err = f.db.SearchAccounts(ctx, "bob_100%", 10, 0)
			if err != nil || len(got) != 1 || got[0].ID != bob.ID {
				t.Fatalf("SearchAccounts(bob_100%%) = %v, %v", got, err)
			}
			if got, _ := f.db.SearchAccounts(ctx, "%", 10, 0); len(got) != 0 {
				t.Fatalf("SearchAccounts(%%) matched %d accounts; want 0", len(got))
			}
		})
		t.Run("WriteOutsideUpdateFails", func(t *testing.T) {
			if engine != "sqlite" {
				t.Skip("only SQLite has read-only read connections")
			}
			a := &starling.Account{ID: f.id(), Username: "sneaky", CreatedAt: f.now, UpdatedAt: f.now}
			if err := f.db.CreateAccount(ctx, a, nil); err == nil {
				t.Fatal("write through the read pool succeeded; want an error")
			}
		})
	})
}

func TestStatuses(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		f := newFixture(t, engine)
		alice, bob := f.MustCreateAccount("alice"), f.MustCreateAccount("bob")
		s := f.MustPost(alice, starling.VisibilityPublic, func(s *starling.Status) {
			s.Tags = []string{"adassspring", "care"}
			s.MentionIDs = []int64{bob.ID}
		})
		reply := f.MustPost(bob, starling.VisibilityPublic, func(r *starling.Status) {
			r.InReplyToID, r.InReplyToAccountID, r.ConversationID = s.ID, alice.ID, s.ConversationID
		})

		got, err := f.db.Status(ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]string{"adassspring", "care"}, got.Tags); diff != "" {
			t.Errorf("tags (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]int64{bob.ID}, got.MentionIDs); diff != "" {
			t.Errorf("mentions (-want +got):\n%s", diff)
		}
		if got.RepliesCount != 1 {
			t.Errorf("replies_count = %d, want 1", got.RepliesCount)
		}
		if a, _ := f.db.Account(ctx, alice.ID); a.StatusesCount != 1 || a.LastStatusAt.IsZero() {
			t.Errorf("alice statuses_count = %d, last_status_at = %v", a.StatusesCount, a.LastStatusAt)
		}
		ids, err := f.db.ConversationStatuses(ctx, s.ConversationID, 10)
		if err != nil || !cmp.Equal(ids, []int64{s.ID, reply.ID}) {
			t.Errorf("ConversationStatuses = %v, %v", ids, err)
		}

		t.Run("ReblogOnce", func(t *testing.T) {
			r := &starling.Status{ID: f.id(), AccountID: bob.ID, ReblogOfID: s.ID, Visibility: starling.VisibilityPublic, ConversationID: s.ConversationID, CreatedAt: f.now}
			f.update(func(tx starling.Tx) error { return tx.CreateStatus(ctx, r) })
			again := &starling.Status{ID: f.id(), AccountID: bob.ID, ReblogOfID: s.ID, Visibility: starling.VisibilityPublic, ConversationID: s.ConversationID, CreatedAt: f.now}
			err := f.db.Update(ctx, func(tx starling.Tx) error { return tx.CreateStatus(ctx, again) })
			if starling.ErrorCode(err) != starling.EINVALID {
				t.Fatalf("second reblog: err = %v, want EINVALID", err)
			}
			states, err := f.db.ViewerStates(ctx, bob.ID, []int64{s.ID})
			if err != nil || !states[s.ID].Reblogged {
				t.Fatalf("ViewerStates = %+v, %v; want reblogged", states, err)
			}
			if got, _ := f.db.Status(ctx, s.ID); got.ReblogsCount != 1 {
				t.Fatalf("reblogs_count = %d, want 1", got.ReblogsCount)
			}
		})

		t.Run("DeleteCascades", func(t *testing.T) {
			f.update(func(tx starling.Tx) error {
				if _, err := tx.Favourite(ctx, f.id(), bob.ID, s.ID, f.now); err != nil {
					return err
				}
				_, err := tx.CreateNotification(ctx, &starling.Notification{ID: f.id(), AccountID: alice.ID, FromAccountID: bob.ID, Type: starling.NotifyFavourite, StatusID: s.ID, CreatedAt: f.now})
				return err
			})
			f.update(func(tx starling.Tx) error { return tx.DeleteStatus(ctx, s) })
			if _, err := f.db.Status(ctx, s.ID); starling.ErrorCode(err) != starling.ENOTFOUND {
				t.Fatalf("deleted status: err = %v", err)
			}
			if ids, _ := f.db.HomeTimeline(ctx, bob.ID, starling.Page{Limit: 10}); cmp.Equal(ids, nil) || contains(ids, s.ID) {
				t.Fatalf("bob's home after delete = %v; want the reply only", ids)
			}
			if n, _ := f.db.Notifications(ctx, alice.ID, starling.NotificationFilter{}, starling.Page{Limit: 10}); len(n) != 0 {
				t.Fatalf("notifications about a deleted status remain: %d", len(n))
			}
			a, _ := f.db.Account(ctx, alice.ID)
			b, _ := f.db.Account(ctx, bob.ID)
			if a.StatusesCount != 0 || b.StatusesCount != 1 { // bob keeps his reply; his reblog went with the status
				t.Fatalf("statuses_count alice=%d bob=%d; want 0 and 1", a.StatusesCount, b.StatusesCount)
			}
			// The reply survives its parent.
			if _, err := f.db.Status(ctx, reply.ID); err != nil {
				t.Fatalf("reply after parent deleted: %v", err)
			}
		})
	})
}

func contains(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

func TestFeedsAndPaging(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		f := newFixture(t, engine)
		alice, bob, carol := f.MustCreateAccount("alice"), f.MustCreateAccount("bob"), f.MustCreateAccount("carol")
		f.MustFollow(bob, alice)
		var posts []int64
		for i := 0; i < 7; i++ {
			posts = append(posts, f.MustPost(alice, starling.VisibilityPublic).ID)
		}
		private := f.MustPost(alice, starling.VisibilityPrivate)
		direct := f.MustPost(alice, starling.VisibilityDirect, func(s *starling.Status) { s.MentionIDs = []int64{carol.ID} })
		// A reply to carol, whom bob does not follow, stays out of bob's home.
		toCarol := f.MustPost(alice, starling.VisibilityPublic, func(s *starling.Status) { s.InReplyToID, s.InReplyToAccountID = direct.ID, carol.ID })

		home, err := f.db.HomeTimeline(ctx, bob.ID, starling.Page{Limit: 40})
		if err != nil {
			t.Fatal(err)
		}
		want := []int64{private.ID}
		for i := len(posts) - 1; i >= 0; i-- {
			want = append(want, posts[i])
		}
		if diff := cmp.Diff(want, home); diff != "" {
			t.Fatalf("bob's home (-want +got):\n%s", diff)
		}
		for _, id := range []int64{direct.ID, toCarol.ID} {
			if contains(home, id) {
				t.Fatalf("bob's home holds %d, which he must not see there", id)
			}
		}
		if own, _ := f.db.HomeTimeline(ctx, alice.ID, starling.Page{Limit: 40}); len(own) != 10 {
			t.Fatalf("alice's own home has %d statuses; want all 10 of hers", len(own))
		}

		for name, tc := range map[string]struct {
			p    starling.Page
			want []int64
		}{
			"Limit":   {starling.Page{Limit: 2}, want[:2]},
			"MaxID":   {starling.Page{MaxID: want[2], Limit: 2}, want[3:5]},
			"SinceID": {starling.Page{SinceID: want[5], Limit: 2}, want[:2]},
			"MinID":   {starling.Page{MinID: want[5], Limit: 2}, want[3:5]},
			"Range":   {starling.Page{MaxID: want[1], SinceID: want[4], Limit: 10}, want[2:4]},
		} {
			t.Run(name, func(t *testing.T) {
				got, err := f.db.HomeTimeline(ctx, bob.ID, tc.p)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(tc.want, got); diff != "" {
					t.Fatalf("page %+v (-want +got):\n%s", tc.p, diff)
				}
			})
		}

		t.Run("ReblogShownOnce", func(t *testing.T) {
			f.MustFollow(bob, carol)
			r := f.MustPost(carol, starling.VisibilityPublic, func(s *starling.Status) { s.ReblogOfID = posts[0] })
			got, _ := f.db.HomeTimeline(ctx, bob.ID, starling.Page{Limit: 40})
			if contains(got, r.ID) {
				t.Fatal("a reblog of a status already in bob's home was added again")
			}
		})

		t.Run("UnfollowRemoves", func(t *testing.T) {
			f.update(func(tx starling.Tx) error {
				if _, err := tx.DeleteFollow(ctx, bob.ID, alice.ID); err != nil {
					return err
				}
				return tx.RemoveFromHome(ctx, bob.ID, alice.ID)
			})
			got, _ := f.db.HomeTimeline(ctx, bob.ID, starling.Page{Limit: 40})
			if len(got) != 0 {
				t.Fatalf("bob's home after unfollow = %v; want empty", got)
			}
			f.update(func(tx starling.Tx) error { return tx.AddToHome(ctx, bob.ID, alice.ID, 3) })
			if got, _ := f.db.HomeTimeline(ctx, bob.ID, starling.Page{Limit: 40}); len(got) != 3 {
				t.Fatalf("after AddToHome(3) bob's home has %d statuses", len(got))
			}
		})

		t.Run("Public", func(t *testing.T) {
			got, err := f.db.PublicTimeline(ctx, starling.PublicFilter{LocalOnly: true}, starling.Page{Limit: 40})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 7 { // public posts only: not private, direct, the reply to carol or the reblog
				t.Fatalf("public timeline has %d statuses; want 7", len(got))
			}
		})
		t.Run("TwoReblogsShownOnce", func(t *testing.T) {
			dave, erin, zed := f.MustCreateAccount("dave"), f.MustCreateAccount("erin"), f.MustCreateAccount("zed")
			f.MustFollow(bob, dave)
			f.MustFollow(bob, erin)
			p := f.MustPost(zed, starling.VisibilityPublic) // bob does not follow zed
			r1 := f.MustPost(dave, starling.VisibilityPublic, func(s *starling.Status) { s.ReblogOfID = p.ID })
			r2 := f.MustPost(erin, starling.VisibilityPublic, func(s *starling.Status) { s.ReblogOfID = p.ID })
			got, _ := f.db.HomeTimeline(ctx, bob.ID, starling.Page{Limit: 40})
			if !contains(got, r1.ID) || contains(got, r2.ID) {
				t.Fatalf("bob's home holds first reblog: %v, second: %v; want only the first", contains(got, r1.ID), contains(got, r2.ID))
			}
		})

	})
}

func TestRelationshipsAndRequests(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		f := newFixture(t, engine)
		alice, bob, carol := f.MustCreateAccount("alice"), f.MustCreateAccount("bob"), f.MustCreateAccount("carol")
		f.MustFollow(alice, bob)
		f.MustFollow(bob, alice)
		f.update(func(tx starling.Tx) error {
			_, err := tx.CreateFollowRequest(ctx, &starling.FollowRequest{ID: f.id(), AccountID: carol.ID, TargetAccountID: alice.ID, ShowReblogs: true, CreatedAt: f.now})
			return err
		})
		rels, err := f.db.Relationships(ctx, alice.ID, []int64{bob.ID, carol.ID})
		if err != nil {
			t.Fatal(err)
		}
		want := map[int64]*starling.Relationship{
			bob.ID:   {ID: bob.ID, Following: true, ShowingReblogs: true, FollowedBy: true},
			carol.ID: {ID: carol.ID, RequestedBy: true},
		}
		if diff := cmp.Diff(want, rels); diff != "" {
			t.Fatalf("relationships (-want +got):\n%s", diff)
		}
		a, _ := f.db.Account(ctx, alice.ID)
		if a.FollowersCount != 1 || a.FollowingCount != 1 {
			t.Fatalf("alice counts followers=%d following=%d", a.FollowersCount, a.FollowingCount)
		}
		reqs, err := f.db.FollowRequests(ctx, alice.ID, starling.Page{Limit: 10})
		if err != nil || len(reqs) != 1 || reqs[0].AccountID != carol.ID {
			t.Fatalf("FollowRequests = %v, %v", reqs, err)
		}
		var got *starling.FollowRequest
		f.update(func(tx starling.Tx) (err error) { got, err = tx.DeleteFollowRequest(ctx, carol.ID, alice.ID); return })
		if got.AccountID != carol.ID {
			t.Fatalf("deleted request = %+v", got)
		}
		err = f.db.Update(ctx, func(tx starling.Tx) error { _, err := tx.DeleteFollowRequest(ctx, carol.ID, alice.ID); return err })
		if starling.ErrorCode(err) != starling.ENOTFOUND {
			t.Fatalf("deleting a request twice: err = %v, want ENOTFOUND", err)
		}
	})
}

func TestNotificationsOnce(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		f := newFixture(t, engine)
		alice, bob := f.MustCreateAccount("alice"), f.MustCreateAccount("bob")
		for i := 0; i < 2; i++ {
			f.update(func(tx starling.Tx) error {
				_, err := tx.CreateNotification(ctx, &starling.Notification{ID: f.id(), AccountID: alice.ID, FromAccountID: bob.ID, Type: starling.NotifyFollow, CreatedAt: f.now})
				return err
			})
		}
		list, err := f.db.Notifications(ctx, alice.ID, starling.NotificationFilter{}, starling.Page{Limit: 10})
		if err != nil || len(list) != 1 {
			t.Fatalf("two identical follow notifications stored as %d, %v; want 1", len(list), err)
		}
		n, err := f.db.CountNotifications(ctx, alice.ID, 0, starling.NotificationFilter{ExcludeTypes: []starling.NotificationType{starling.NotifyFollow}}, 100)
		if err != nil || n != 0 {
			t.Fatalf("CountNotifications excluding follows = %d, %v", n, err)
		}
	})
}

func TestTokens(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		f := newFixture(t, engine)
		alice := f.MustCreateAccount("alice")
		app := &starling.Application{ID: f.id(), Name: "Tusky", RedirectURIs: []string{"https://a.example/cb", starling.OOBRedirectURI},
			Scopes: starling.Scopes{"read", "write"}, ClientID: "cid", ClientSecretHash: "h", CreatedAt: f.now}
		tok := &starling.Token{ID: f.id(), TokenHash: "t1", RefreshHash: "r1", ApplicationID: app.ID, AccountID: alice.ID, Scopes: app.Scopes, CreatedAt: f.now}
		appTok := &starling.Token{ID: f.id(), TokenHash: "t2", ApplicationID: app.ID, Scopes: starling.Scopes{"read"}, CreatedAt: f.now}
		f.update(func(tx starling.Tx) error {
			if err := tx.CreateApplication(ctx, app); err != nil {
				return err
			}
			if err := tx.CreateToken(ctx, tok); err != nil {
				return err
			}
			return tx.CreateToken(ctx, appTok)
		})
		gotApp, err := f.db.ApplicationByClientID(ctx, "cid")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(app, gotApp); diff != "" {
			t.Fatalf("application (-want +got):\n%s", diff)
		}
		got, err := f.db.TokenByRefreshHash(ctx, "r1")
		if err != nil || got.ID != tok.ID {
			t.Fatalf("TokenByRefreshHash = %+v, %v", got, err)
		}
		got, err = f.db.TokenByHash(ctx, "t2")
		if err != nil || got.AccountID != 0 || got.RefreshHash != "" {
			t.Fatalf("app token = %+v, %v", got, err)
		}
		code := &starling.AuthCode{CodeHash: "c1", ApplicationID: app.ID, AccountID: alice.ID, RedirectURI: starling.OOBRedirectURI, Scopes: app.Scopes, ExpiresAt: time.Now().Add(time.Minute)}
		f.update(func(tx starling.Tx) error { return tx.CreateAuthCode(ctx, code) })
		for i, want := range []string{"", starling.ENOTFOUND} {
			err := f.db.Update(ctx, func(tx starling.Tx) error { _, err := tx.TakeAuthCode(ctx, "c1"); return err })
			if starling.ErrorCode(err) != want {
				t.Fatalf("TakeAuthCode #%d: err = %v, want code %q (codes are single-use)", i+1, err, want)
			}
		}
	})
}

func TestListsAndConversations(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		f := newFixture(t, engine)
		alice, bob, carol := f.MustCreateAccount("alice"), f.MustCreateAccount("bob"), f.MustCreateAccount("carol")
		f.MustFollow(alice, bob)
		l := &starling.List{ID: f.id(), AccountID: alice.ID, Title: "Worth following", RepliesPolicy: "list"}
		f.update(func(tx starling.Tx) error {
			if err := tx.CreateList(ctx, l); err != nil {
				return err
			}
			_, err := tx.AddListMember(ctx, l.ID, bob.ID)
			return err
		})
		p := f.MustPost(bob, starling.VisibilityPublic)
		ids, err := f.db.ListTimeline(ctx, l.ID, starling.Page{Limit: 10})
		if err != nil || !cmp.Equal(ids, []int64{p.ID}) {
			t.Fatalf("list timeline = %v, %v; want [%d]", ids, err, p.ID)
		}

		dm := f.MustPost(alice, starling.VisibilityDirect, func(s *starling.Status) { s.MentionIDs = []int64{carol.ID} })
		f.update(func(tx starling.Tx) error { return tx.TouchConversation(ctx, dm, []int64{alice.ID, carol.ID}) })
		cs, err := f.db.Conversations(ctx, carol.ID, starling.Page{Limit: 10})
		if err != nil || len(cs) != 1 || !cs[0].Unread || cs[0].LastStatusID != dm.ID {
			t.Fatalf("carol's conversations = %+v, %v", cs, err)
		}
		if cs, _ := f.db.Conversations(ctx, alice.ID, starling.Page{Limit: 10}); len(cs) != 1 || cs[0].Unread {
			t.Fatalf("alice's conversations = %+v; want one, read", cs)
		}
		f.update(func(tx starling.Tx) error { return tx.DeleteStatus(ctx, dm) })
		if cs, _ := f.db.Conversations(ctx, carol.ID, starling.Page{Limit: 10}); len(cs) != 0 {
			t.Fatalf("conversation with no messages left remains: %+v", cs)
		}
	})
}
