package demo_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"starling"
	"starling/demo"
	"starling/password"
	"starling/sqldb/sqldbtest"
	"starling/text"
)

var testInstance = starling.Instance{Domain: "care.test", BaseURL: "https://care.test", Registrations: starling.RegistrationsClosed, MaxChars: 500}

// MustService returns a Service over store that checks passwords as the server does.
func MustService(store starling.Store) *starling.Service {
	in := testInstance
	return starling.NewService(store, text.NewProcessor(&in), password.Hasher{}, in, nil)
}

// MustSeed seeds store and fails the test on error.
func MustSeed(tb testing.TB, store starling.Store, opts demo.Options) *demo.Result {
	tb.Helper()
	res, err := demo.Seed(context.Background(), store, testInstance, opts)
	if err != nil {
		tb.Fatalf("seed: %v", err)
	}
	return res
}

// census counts what the demo accounts hold, for comparing before and after a run.
type census struct {
	Accounts, Follows, Statuses, Reblogs, Favourites int
}

func MustCensus(tb testing.TB, store starling.Store) census {
	tb.Helper()
	var c census
	for _, a := range MustDemoAccounts(tb, store) {
		c.Accounts++
		c.Follows += a.FollowingCount
		counted := 0
		for _, st := range MustStatuses(tb, store, a) {
			c.Statuses++
			if st.Visibility != starling.VisibilityDirect { // direct messages are not counted on the profile
				counted++
			}
			c.Reblogs += st.ReblogsCount
			c.Favourites += st.FavouritesCount
		}
		if counted != a.StatusesCount {
			tb.Errorf("@%s has %d statuses, but its counter says %d", a.Username, counted, a.StatusesCount)
		}
	}
	return c
}

// MustDemoAccounts returns the accounts whose e-mail addresses mark them as demo accounts.
func MustDemoAccounts(tb testing.TB, store starling.Store) []*starling.Account {
	tb.Helper()
	ctx := context.Background()
	accounts, err := store.SearchAccounts(ctx, "", 1000, 0)
	if err != nil {
		tb.Fatal(err)
	}
	var out []*starling.Account
	for _, a := range accounts {
		u, err := store.User(ctx, a.ID)
		if err != nil {
			tb.Fatal(err)
		}
		if demo.IsDemoEmail(u.Email) {
			out = append(out, a)
		}
	}
	return out
}

func MustStatuses(tb testing.TB, store starling.Store, a *starling.Account) []*starling.Status {
	tb.Helper()
	ctx := context.Background()
	all := []starling.Visibility{starling.VisibilityPublic, starling.VisibilityUnlisted, starling.VisibilityPrivate, starling.VisibilityDirect}
	ids, err := store.AccountStatuses(ctx, a.ID, starling.AccountStatusesFilter{Visibilities: all}, starling.Page{Limit: 1000})
	if err != nil {
		tb.Fatal(err)
	}
	byID, err := store.Statuses(ctx, ids)
	if err != nil {
		tb.Fatal(err)
	}
	var out []*starling.Status
	for _, id := range ids {
		out = append(out, byID[id])
	}
	return out
}

func MustAccount(tb testing.TB, store starling.Store, username string) *starling.Account {
	tb.Helper()
	a, err := store.AccountByUsername(context.Background(), username, "")
	if err != nil {
		tb.Fatalf("account %s: %v", username, err)
	}
	return a
}

// failingStore fails every transaction after the first n, like a process
// stopped half-way through.
type failingStore struct {
	starling.Store
	n int
}

var errStopped = errors.New("stopped")

func (s *failingStore) Update(ctx context.Context, fn func(tx starling.Tx) error) error {
	if s.n <= 0 {
		return errStopped
	}
	s.n--
	return s.Store.Update(ctx, fn)
}

// TestSeed follows one database through the life of the demo: refused
// because of a real member, forced, interrupted, resumed, checked, and
// seeded again. (A full seeding takes a few seconds, so the tests share one.)
func TestSeed(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		t.Parallel()
		ctx := context.Background()
		db := sqldbtest.MustOpen(t, engine)
		svc := MustService(db)
		now := time.Now().UTC()

		// A real member who happens to have a demo person's username.
		jo, _, err := svc.Register(ctx, starling.SignUp{Username: "priya_sharma", Email: "priya@example.org", Password: "correct horse battery",
			SkipApproval: true, SkipAgreement: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.PostStatus(ctx, jo, starling.NewStatus{Text: "My first post"}); err != nil {
			t.Fatal(err)
		}
		joUser, _ := db.User(ctx, jo.ID)
		jo, _ = db.Account(ctx, jo.ID)

		t.Run("ErrRealMembers", func(t *testing.T) {
			_, err := demo.Seed(ctx, db, testInstance, demo.Options{Now: now})
			if !errors.Is(err, demo.ErrRealMembers) {
				t.Fatalf("err = %v; want ErrRealMembers", err)
			}
			if n := len(MustDemoAccounts(t, db)); n != 0 {
				t.Errorf("a refused run created %d accounts", n)
			}
		})

		t.Run("Interrupted", func(t *testing.T) {
			_, err := demo.Seed(ctx, &failingStore{Store: db, n: 800}, testInstance, demo.Options{Now: now, Force: true})
			if !errors.Is(err, errStopped) {
				t.Fatalf("interrupted seeding: %v", err)
			}
			if _, err := demo.Seed(ctx, db, testInstance, demo.Options{Now: now}); !errors.Is(err, demo.ErrRealMembers) {
				t.Fatalf("resuming without Force beside a real member: %v; want ErrRealMembers", err)
			}
		})

		res, err := demo.Seed(ctx, db, testInstance, demo.Options{Now: now.Add(3 * time.Minute), Force: true})
		if err != nil {
			t.Fatalf("resume: %v", err)
		}

		t.Run("Resumed", func(t *testing.T) {
			if !res.Resumed || res.AlreadySeeded || res.Accounts != 0 {
				t.Errorf("result = %+v; want Resumed, with every account made by the first run", res)
			}
			// A resumed run counts everything in the plan, whether it or an
			// earlier run did it, so nothing may have been done twice.
			c := MustCensus(t, db)
			want := census{Accounts: c.Accounts, Follows: res.Follows, Statuses: res.Statuses(), Reblogs: res.Reblogs, Favourites: res.Favourites}
			if diff := cmp.Diff(want, c); diff != "" {
				t.Errorf("the database differs from the plan (-want +got):\n%s", diff)
			}
		})

		t.Run("Counts", func(t *testing.T) {
			c := MustCensus(t, db)
			if c.Accounts < 45 || c.Accounts > 60 {
				t.Errorf("%d accounts; want about fifty", c.Accounts)
			}
			if c.Statuses < 250 {
				t.Errorf("%d statuses; want a few hundred", c.Statuses)
			}
			if res.FollowRequests == 0 || res.Replies < 30 || res.Reblogs < 30 || res.Favourites < 200 || res.Bookmarks < 10 || res.Edits < 2 {
				t.Errorf("result %+v; want requests, replies, reblogs, favourites, bookmarks and edits", res)
			}
		})

		t.Run("SpreadOverWeeks", func(t *testing.T) {
			var first, last time.Time
			for _, a := range MustDemoAccounts(t, db) {
				for _, st := range MustStatuses(t, db, a) {
					if first.IsZero() || st.CreatedAt.Before(first) {
						first = st.CreatedAt
					}
					if st.CreatedAt.After(last) {
						last = st.CreatedAt
					}
					if starling.IDTime(st.ID).Sub(st.CreatedAt).Abs() > time.Second {
						t.Fatalf("status %d made at %v has an ID of %v", st.ID, st.CreatedAt, starling.IDTime(st.ID))
					}
				}
			}
			if last.Sub(first) < 21*24*time.Hour || last.After(now) || now.Sub(first) > 31*24*time.Hour {
				t.Errorf("statuses from %v to %v; want three to four weeks up to %v", first, last, now)
			}
		})

		t.Run("Hashtag", func(t *testing.T) {
			list, err := svc.TagTimeline(ctx, nil, starling.TagQuery{Any: []string{demo.Hashtag}}, starling.PublicFilter{}, starling.Page{Limit: 40})
			if err != nil {
				t.Fatal(err)
			}
			recent := 0
			for _, st := range list {
				if now.Sub(st.CreatedAt) < 8*24*time.Hour {
					recent++
				}
			}
			if recent < 20 {
				t.Errorf("%d of the newest %d #%s posts are from the last eight days", recent, len(list), demo.Hashtag)
			}
		})

		t.Run("Threads", func(t *testing.T) {
			owner := MustAccount(t, db, res.ListOwner)
			threads := 0
			for _, st := range MustStatuses(t, db, owner) {
				if st.ReblogOfID != 0 || st.InReplyToID != 0 || st.RepliesCount == 0 {
					continue
				}
				_, desc, err := svc.StatusContext(ctx, nil, st.ID)
				if err != nil {
					t.Fatal(err)
				}
				if len(desc) < st.RepliesCount {
					t.Errorf("status %q has %d replies but %d descendants", st.Text, st.RepliesCount, len(desc))
				}
				if len(desc) >= 5 {
					threads++
				}
			}
			if threads == 0 {
				t.Error("no thread of five or more replies under the sector body's posts")
			}
		})

		t.Run("ReactionCounters", func(t *testing.T) {
			for _, a := range MustDemoAccounts(t, db) {
				for _, st := range MustStatuses(t, db, a) {
					if st.ReblogOfID != 0 || st.Visibility == starling.VisibilityDirect || st.FavouritesCount+st.ReblogsCount == 0 {
						continue
					}
					viewer := a // the author may always read the status
					favs, _, err := svc.FavouritedBy(ctx, viewer, st.ID, starling.Page{Limit: 80})
					if err != nil {
						t.Fatal(err)
					}
					reblogs, _, err := svc.RebloggedBy(ctx, viewer, st.ID, starling.Page{Limit: 80})
					if err != nil {
						t.Fatal(err)
					}
					if len(favs) != st.FavouritesCount || len(reblogs) != st.ReblogsCount {
						t.Errorf("status %q counts %d favourites and %d reblogs; lists have %d and %d",
							st.Text, st.FavouritesCount, st.ReblogsCount, len(favs), len(reblogs))
					}
				}
			}
		})

		t.Run("List", func(t *testing.T) {
			owner := MustAccount(t, db, res.ListOwner)
			lists, err := svc.Lists(ctx, owner)
			if err != nil || len(lists) != 1 || lists[0].Title != demo.ListTitle {
				t.Fatalf("lists of @%s = %v, %v", owner.Username, lists, err)
			}
			members, err := svc.ListMembers(ctx, owner, lists[0].ID, starling.Page{Limit: 80})
			if err != nil || len(members) < 8 || len(members) != res.ListMembers {
				t.Errorf("%d list members (result says %d), %v; want about ten", len(members), res.ListMembers, err)
			}
			tl, err := svc.ListTimeline(ctx, owner, lists[0].ID, starling.Page{Limit: 40})
			if err != nil || len(tl) < 20 {
				t.Errorf("list timeline has %d statuses, %v", len(tl), err)
			}
		})

		t.Run("HomeTimelines", func(t *testing.T) {
			for _, a := range MustDemoAccounts(t, db) {
				if a.FollowingCount == 0 {
					continue
				}
				tl, err := svc.HomeTimeline(ctx, a, starling.Page{Limit: 40})
				if err != nil {
					t.Fatal(err)
				}
				others := 0
				for _, st := range tl {
					if st.AccountID != a.ID {
						others++
					}
				}
				if others == 0 {
					t.Errorf("@%s follows %d accounts but sees none of their posts", a.Username, a.FollowingCount)
				}
			}
		})

		t.Run("LockedAccounts", func(t *testing.T) {
			waiting := 0
			for _, a := range MustDemoAccounts(t, db) {
				if !a.Locked {
					continue
				}
				reqs, _, err := svc.FollowRequests(ctx, a, starling.Page{Limit: 80})
				if err != nil {
					t.Fatal(err)
				}
				waiting += len(reqs)
				if a.FollowersCount == 0 {
					t.Errorf("locked @%s approved no one", a.Username)
				}
			}
			if waiting == 0 || waiting != res.FollowRequests {
				t.Errorf("%d follow requests waiting; result says %d", waiting, res.FollowRequests)
			}
		})

		t.Run("Member", func(t *testing.T) {
			member, u, err := svc.SignIn(ctx, res.Member.Username, res.Member.Password)
			if err != nil {
				t.Fatalf("member cannot sign in: %v", err)
			}
			if u.IsStaff() {
				t.Errorf("the member is %s", u.Role)
			}
			if len(member.Fields) != 3 || member.DisplayName == "" || member.Note == "" {
				t.Errorf("member profile = %+v; want a display name, a bio and three fields", member)
			}
			notes, err := svc.Notifications(ctx, member, starling.NotificationFilter{}, starling.Page{Limit: 40})
			if err != nil || len(notes) == 0 {
				t.Errorf("member has %d notifications, %v", len(notes), err)
			}
			marks, _, err := svc.Bookmarks(ctx, member, starling.Page{Limit: 40})
			if err != nil || len(marks) == 0 {
				t.Errorf("member has %d bookmarks, %v", len(marks), err)
			}
		})

		t.Run("Admin", func(t *testing.T) {
			_, u, err := svc.SignIn(ctx, res.Admin.Email, res.Admin.Password)
			if err != nil {
				t.Fatalf("admin cannot sign in: %v", err)
			}
			if u.Role != starling.RoleAdmin {
				t.Errorf("admin role = %s", u.Role)
			}
		})

		t.Run("RealMemberUntouched", func(t *testing.T) {
			after, _ := db.Account(ctx, jo.ID)
			afterUser, _ := db.User(ctx, jo.ID)
			if diff := cmp.Diff(jo, after); diff != "" {
				t.Errorf("the real account changed (-before +after):\n%s", diff)
			}
			if diff := cmp.Diff(joUser, afterUser); diff != "" {
				t.Errorf("the real user changed (-before +after):\n%s", diff)
			}
			if _, _, err := svc.SignIn(ctx, "priya@example.org", "correct horse battery"); err != nil {
				t.Errorf("the real member cannot sign in: %v", err)
			}
			notes, err := svc.Notifications(ctx, jo, starling.NotificationFilter{}, starling.Page{Limit: 40})
			if err != nil || len(notes) != 0 {
				t.Errorf("the real member got %d notifications from the demo, %v", len(notes), err)
			}
			// The demo person with the real member's username gets another one,
			// and mentions of the demo person reach the demo account.
			demoPriya := MustAccount(t, db, "priya_sharma_demo")
			if demoPriya.DisplayName != "Priya Sharma" || demoPriya.StatusesCount == 0 {
				t.Errorf("demo Priya = %+v", demoPriya)
			}
			mentioned := false
			for _, st := range MustStatuses(t, db, MustAccount(t, db, "grace_okonkwo")) {
				if slices.Contains(st.MentionIDs, jo.ID) {
					t.Errorf("demo status %q mentions the real member", st.Text)
				}
				mentioned = mentioned || slices.Contains(st.MentionIDs, demoPriya.ID)
			}
			if !mentioned {
				t.Error("no status of @grace_okonkwo mentions demo Priya")
			}
		})

		t.Run("Again", func(t *testing.T) {
			before := MustCensus(t, db)
			again := MustSeed(t, db, demo.Options{})
			if !again.AlreadySeeded || again.Statuses() != 0 || again.Accounts != 0 {
				t.Errorf("second run = %+v; want AlreadySeeded and nothing written", again)
			}
			if again.ConferenceDays != res.ConferenceDays || again.ListOwner != res.ListOwner || again.ListMembers != res.ListMembers {
				t.Errorf("second run = %+v; want the conference days and list of the first", again)
			}
			if diff := cmp.Diff(before, MustCensus(t, db)); diff != "" {
				t.Errorf("second run changed the counts (-before +after):\n%s", diff)
			}
			for _, c := range []struct{ old, new demo.Credentials }{{res.Admin, again.Admin}, {res.Member, again.Member}} {
				if c.new.Username != c.old.Username || c.new.Password == c.old.Password {
					t.Errorf("credentials %+v after %+v; want the same account with a new password", c.new, c.old)
				}
				if _, _, err := svc.SignIn(ctx, c.new.Username, c.new.Password); err != nil {
					t.Errorf("new password of %s: %v", c.new.Username, err)
				}
				if _, _, err := svc.SignIn(ctx, c.old.Username, c.old.Password); starling.ErrorCode(err) != starling.EUNAUTHORIZED {
					t.Errorf("old password of %s: %v; want EUNAUTHORIZED", c.old.Username, err)
				}
			}
		})
	})
}
