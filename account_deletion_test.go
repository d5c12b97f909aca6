package starling_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"starling"
	"starling/apptest"
	"starling/diskmedia"
	"starling/imaging"
	"starling/sqldb"
	"starling/sqldb/sqldbtest"
	"starling/text"
)

// deletionEnv is a service with media on disk and a job worker, for the
// deletion and archive tests.
type deletionEnv struct {
	svc    *starling.Service
	db     *sqldb.DB
	worker *starling.JobWorker
	dir    string
	files  *flakyFiles
}

// flakyFiles fails the next failDeletes deletes, as a storage outage would.
type flakyFiles struct {
	starling.MediaFiles
	failDeletes atomic.Int32
}

func (f *flakyFiles) Delete(ctx context.Context, key string) error {
	if f.failDeletes.Add(-1) >= 0 {
		return errors.New("storage unavailable")
	}
	return f.MediaFiles.Delete(ctx, key)
}

func mustDeletionEnv(t testing.TB, engine string) *deletionEnv {
	t.Helper()
	db := sqldbtest.MustOpen(t, engine)
	in := apptest.Instance()
	svc := starling.NewService(db, text.NewProcessor(&in), apptest.FastPasswords, in, nil)
	dir := t.TempDir()
	disk, err := diskmedia.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	files := &flakyFiles{MediaFiles: disk}
	svc.SetMediaFiles(files, imaging.Processor{})
	worker := starling.NewJobWorker(db, time.Minute)
	svc.HandleJobs(worker)
	return &deletionEnv{svc: svc, db: db, worker: worker, dir: dir, files: files}
}

// runJobs runs due jobs until none is left (or a round runs none).
func (e *deletionEnv) runJobs(t testing.TB) {
	t.Helper()
	for i := 0; i < 1000; i++ {
		n, err := e.worker.RunDue(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
	}
	t.Fatal("jobs kept coming")
}

// accountRow reports ENOTFOUND once a deleted account's row is gone.
func (e *deletionEnv) accountRow(id int64) error {
	ctx := context.Background()
	return e.db.Update(ctx, func(tx starling.Tx) error { _, err := tx.LockDeletedAccount(ctx, id); return err })
}

func (e *deletionEnv) exists(key string) bool {
	_, err := os.Stat(filepath.Join(e.dir, filepath.FromSlash(key)))
	return err == nil
}

func mustAccountFresh(t testing.TB, svc *starling.Service, id int64) *starling.Account {
	t.Helper()
	a, err := svc.Account(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestDeleteOwnAccount: deleting an account hides it and its posts from
// every read at once, signs it out everywhere and reserves its name; the
// job then removes everything, putting others' counters right and
// deleting its media files.
func TestDeleteOwnAccount(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		e := mustDeletionEnv(t, engine)
		svc := e.svc
		dora, bob, carol := apptest.MustAccount(t, svc, "dora"), apptest.MustAccount(t, svc, "bob"), apptest.MustAccount(t, svc, "carol")
		doraUser, err := svc.Store().User(ctx, dora.ID)
		if err != nil {
			t.Fatal(err)
		}
		MustFollow(t, svc, bob, dora)
		MustFollow(t, svc, dora, bob)
		MustFollow(t, svc, dora, carol)
		MustFollow(t, svc, carol, bob)
		bobPost := MustPost(t, svc, bob, "Carers' week starts Monday", starling.VisibilityPublic)
		poll, err := svc.PostStatus(ctx, bob, starling.NewStatus{Text: "Best day for the meeting?", Poll: &starling.NewPoll{Options: []string{"Mon", "Tue"}, ExpiresIn: time.Hour}})
		if err != nil {
			t.Fatal(err)
		}
		m, err := svc.UploadMedia(ctx, dora, starling.MediaUpload{Body: bytes.NewReader(smallPNG(t)), Description: "A rota"})
		if err != nil {
			t.Fatal(err)
		}
		doraPost, err := svc.PostStatus(ctx, dora, starling.NewStatus{Text: "Shared our zebrafish rota", MediaIDs: []int64{m.ID}})
		if err != nil {
			t.Fatal(err)
		}
		doraReply, err := svc.PostStatus(ctx, dora, starling.NewStatus{Text: "Count me in for zebrafish week", InReplyToID: bobPost.ID})
		if err != nil {
			t.Fatal(err)
		}
		for _, step := range []error{
			func() error { _, err := svc.Reblog(ctx, dora, bobPost.ID, ""); return err }(),
			func() error { _, err := svc.Favourite(ctx, dora, bobPost.ID); return err }(),
			func() error { _, err := svc.Favourite(ctx, bob, doraPost.ID); return err }(),
			func() error { _, err := svc.Reblog(ctx, carol, doraPost.ID, ""); return err }(),
			func() error { _, err := svc.Bookmark(ctx, carol, doraPost.ID); return err }(),
			func() error { _, err := svc.VotePoll(ctx, dora, poll.PollID, []int{1}); return err }(),
		} {
			if step != nil {
				t.Fatal(step)
			}
		}
		MustPost(t, svc, bob, "@dora thanks for the zebrafish rota", starling.VisibilityPublic)
		for owner, member := range map[*starling.Account]*starling.Account{dora: bob, bob: dora} {
			l, err := svc.CreateList(ctx, owner, starling.List{Title: "Team"})
			if err != nil {
				t.Fatal(err)
			}
			if err := svc.AddListMembers(ctx, owner, l.ID, []int64{member.ID}); err != nil {
				t.Fatal(err)
			}
		}
		token := apptest.MustToken(t, svc, dora)
		bobBefore, carolBefore := mustAccountFresh(t, svc, bob.ID), mustAccountFresh(t, svc, carol.ID)

		t.Run("ErrWrongPassword", func(t *testing.T) {
			if err := svc.DeleteOwnAccount(ctx, dora, doraUser, "wrong-password", ""); starling.ErrorCode(err) != starling.EINVALID {
				t.Fatalf("err = %v, want EINVALID", err)
			}
			if _, err := svc.Account(ctx, dora.ID); err != nil {
				t.Fatalf("a refused deletion hid the account: %v", err)
			}
		})
		if err := svc.DeleteOwnAccount(ctx, dora, doraUser, "password123", ""); err != nil {
			t.Fatal(err)
		}

		// At once, before any job has run:
		checkGone := func(t *testing.T) {
			t.Helper()
			if _, err := svc.Account(ctx, dora.ID); starling.ErrorCode(err) != starling.ENOTFOUND {
				t.Errorf("account by ID: %v, want ENOTFOUND", err)
			}
			if _, err := svc.LookupAccount(ctx, "DORA"); starling.ErrorCode(err) != starling.ENOTFOUND {
				t.Errorf("account by name: %v, want ENOTFOUND", err)
			}
			if found, _ := svc.SearchAccounts(ctx, "dor", 10, 0); len(found) != 0 {
				t.Errorf("account search found %d accounts", len(found))
			}
			if _, err := svc.GetStatus(ctx, bob, doraPost.ID); starling.ErrorCode(err) != starling.ENOTFOUND {
				t.Errorf("the post by ID: %v, want ENOTFOUND", err)
			}
			for who, v := range map[string]*starling.Account{"bob": bob, "carol": carol} {
				home, err := svc.HomeTimeline(ctx, v, starling.Page{Limit: 40})
				if err != nil {
					t.Fatal(err)
				}
				pub, err := svc.PublicTimeline(ctx, v, starling.PublicFilter{}, starling.Page{Limit: 40})
				if err != nil {
					t.Fatal(err)
				}
				_, desc, err := svc.StatusContext(ctx, v, bobPost.ID)
				if err != nil {
					t.Fatal(err)
				}
				res, err := svc.Search(ctx, v, starling.SearchQuery{Q: "zebrafish", Type: "statuses"})
				if err != nil {
					t.Fatal(err)
				}
				notes, err := svc.Notifications(ctx, v, starling.NotificationFilter{}, starling.Page{Limit: 40})
				if err != nil {
					t.Fatal(err)
				}
				for where, list := range map[string][]*starling.Status{"home": home, "public": pub, "thread": desc, "search": res.Statuses} {
					for _, s := range list {
						if s.AccountID == dora.ID || s.Reblog != nil && s.Reblog.AccountID == dora.ID {
							t.Errorf("%s's %s shows status %d of the deleted account", who, where, s.ID)
						}
					}
				}
				for _, n := range notes {
					if n.FromAccountID == dora.ID {
						t.Errorf("%s's notifications show a %s from the deleted account", who, n.Type)
					}
				}
				if len(res.Statuses) != 1 && who == "bob" { // bob's thanks, which names the rota
					t.Errorf("search for bob found %d statuses, want bob's own only", len(res.Statuses))
				}
			}
		}
		t.Run("HiddenAtOnce", checkGone)
		t.Run("SignedOut", func(t *testing.T) {
			if _, _, err := svc.SignIn(ctx, "dora", "password123"); err == nil {
				t.Error("signed in by name")
			}
			if _, _, err := svc.SignIn(ctx, "dora@example.org", "password123"); err == nil {
				t.Error("signed in by email")
			}
			if auth, err := svc.Authenticate(ctx, token); err == nil && auth.Account != nil {
				t.Error("the account's token still works")
			}
		})
		t.Run("ErrTwice", func(t *testing.T) {
			if err := svc.DeleteOwnAccount(ctx, dora, doraUser, "password123", ""); starling.ErrorCode(err) != starling.ENOTFOUND {
				t.Fatalf("err = %v, want ENOTFOUND", err)
			}
		})
		checkNameTaken := func(t *testing.T) {
			_, _, err := svc.Register(ctx, starling.SignUp{Username: "Dora", Email: "new-dora@example.org", Password: "password123", Agreement: true})
			if starling.ErrorCode(err) != starling.EINVALID || starling.ErrorMessage(err) != "Validation failed: Username has already been taken" {
				t.Fatalf("sign-up as Dora: %v, want taken", err)
			}
		}
		t.Run("NameTaken", checkNameTaken)

		// The media file fails to delete once: the job fails midway and
		// its retry goes on from where it stopped.
		e.files.failDeletes.Store(1)
		if n, err := e.worker.RunDue(ctx); n != 1 || err != nil {
			t.Fatalf("ran %d jobs (%v), want the deletion", n, err)
		}
		if counts, err := e.db.AccountDataCounts(ctx, dora.ID); err != nil || counts["statuses"] != 0 || counts["media"] != 1 {
			t.Fatalf("after the failed run: %v (%v), want the posts gone and the media record kept for the retry", counts, err)
		}
		e.worker.SetClock(func() time.Time { return time.Now().UTC().Add(time.Hour) })
		e.runJobs(t)

		t.Run("Removed", func(t *testing.T) {
			if err := e.accountRow(dora.ID); starling.ErrorCode(err) != starling.ENOTFOUND {
				t.Errorf("the account row: %v, want gone", err)
			}
			if ids, _ := e.db.ArchiveStatusIDs(ctx, dora.ID, 0, 10); len(ids) != 0 {
				t.Errorf("%d statuses left", len(ids))
			}
			if counts, _ := e.db.AccountDataCounts(ctx, dora.ID); counts != nil {
				for k, n := range counts {
					if n != 0 {
						t.Errorf("%d %s rows left", n, k)
					}
				}
			}
			if e.exists(m.FileKey) || e.exists(m.PreviewKey) {
				t.Error("the media files are still on disk")
			}
		})
		t.Run("Counters", func(t *testing.T) {
			b, c := mustAccountFresh(t, svc, bob.ID), mustAccountFresh(t, svc, carol.ID)
			if b.FollowersCount != bobBefore.FollowersCount-1 || b.FollowingCount != bobBefore.FollowingCount-1 {
				t.Errorf("bob follows %d and has %d followers, want %d and %d", b.FollowingCount, b.FollowersCount, bobBefore.FollowingCount-1, bobBefore.FollowersCount-1)
			}
			if c.FollowersCount != carolBefore.FollowersCount-1 || c.StatusesCount != carolBefore.StatusesCount-1 {
				t.Errorf("carol has %d followers and %d statuses, want %d and %d (her reblog of the deleted post goes)", c.FollowersCount, c.StatusesCount, carolBefore.FollowersCount-1, carolBefore.StatusesCount-1)
			}
			s, err := svc.GetStatus(ctx, bob, bobPost.ID)
			if err != nil {
				t.Fatal(err)
			}
			if s.FavouritesCount != 0 || s.ReblogsCount != 0 || s.RepliesCount != 0 {
				t.Errorf("bob's post counts %d favourites, %d reblogs, %d replies; want none left", s.FavouritesCount, s.ReblogsCount, s.RepliesCount)
			}
			p, err := svc.GetPoll(ctx, bob, poll.PollID)
			if err != nil {
				t.Fatal(err)
			}
			if p.VotersCount != 0 || p.Options[1].Votes != 0 {
				t.Errorf("the poll counts %d voters, %d votes for Tue; want 0", p.VotersCount, p.Options[1].Votes)
			}
			if _, err := svc.GetStatus(ctx, bob, doraReply.ID); starling.ErrorCode(err) != starling.ENOTFOUND {
				t.Errorf("the reply: %v", err)
			}
		})
		t.Run("StillGone", checkGone)
		t.Run("NameStillTaken", checkNameTaken)
	})
}

// TestDeleteAccountByStaff: staff delete others' accounts with a reason
// that goes to the audit log; members and moderators (for staff) cannot.
func TestDeleteAccountByStaff(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		e := mustDeletionEnv(t, engine)
		svc := e.svc
		admin, mod, member, other := apptest.MustAccount(t, svc, "ada"), apptest.MustAccount(t, svc, "mo"), apptest.MustAccount(t, svc, "meg"), apptest.MustAccount(t, svc, "ola")
		user := func(a *starling.Account, role starling.Role) *starling.User { return mustUserRole(t, svc, a, role) }
		lead := apptest.MustAccount(t, svc, "lee")
		user(lead, starling.RoleSafeguardingLead)
		adminU, modU, memberU := user(admin, starling.RoleAdmin), user(mod, starling.RoleModerator), user(member, "")
		for name, tc := range map[string]struct {
			by     *starling.Account
			byUser *starling.User
			target int64
			reason string
			code   string
		}{
			"ErrMember":      {member, memberU, other.ID, "spam", starling.EFORBIDDEN},
			"ErrNoReason":    {admin, adminU, other.ID, " ", starling.EINVALID},
			"ErrSelf":        {admin, adminU, admin.ID, "leaving", starling.EINVALID},
			"ErrModOnStaff":  {mod, modU, admin.ID, "coup", starling.EFORBIDDEN},
			"ErrModOnLead":   {mod, modU, lead.ID, "coup", starling.EFORBIDDEN},
			"ErrNoSuchUser":  {admin, adminU, 12345, "typo", starling.ENOTFOUND},
			"ErrWrongUserOf": {admin, memberU, other.ID, "spoof", starling.EFORBIDDEN},
		} {
			t.Run(name, func(t *testing.T) {
				if err := svc.DeleteAccount(ctx, tc.by, tc.byUser, tc.target, tc.reason); starling.ErrorCode(err) != tc.code {
					t.Fatalf("err = %v, want %s", err, tc.code)
				}
			})
		}
		t.Run("ErrLastAdmin", func(t *testing.T) {
			err := svc.DeleteOwnAccount(ctx, admin, adminU, "password123", "")
			if starling.ErrorCode(err) != starling.EINVALID || !strings.Contains(starling.ErrorMessage(err), "only admin") {
				t.Fatalf("the only admin deleting their account: %v", err)
			}
		})
		t.Run("OK", func(t *testing.T) {
			if err := svc.DeleteAccount(ctx, mod, modU, other.ID, "Asked us by email to delete their account"); err != nil {
				t.Fatal(err)
			}
			if _, err := svc.Account(ctx, other.ID); starling.ErrorCode(err) != starling.ENOTFOUND {
				t.Fatalf("the account is still there: %v", err)
			}
			log, err := svc.AuditLog(ctx, admin, 10)
			if err != nil {
				t.Fatal(err)
			}
			if len(log) == 0 || log[0].Action != "account.delete" || log[0].TargetID != other.ID || log[0].ActorID != mod.ID || log[0].Reason != "Asked us by email to delete their account" {
				t.Fatalf("audit log = %+v", log)
			}
			e.runJobs(t)
			if err := e.accountRow(other.ID); starling.ErrorCode(err) != starling.ENOTFOUND {
				t.Errorf("the account row: %v, want gone", err)
			}
		})
	})
}

// TestDeleteOwnAccountTwoFactor: with two-factor sign-in on, the password
// alone does not delete the account.
func TestDeleteOwnAccountTwoFactor(t *testing.T) {
	ctx := context.Background()
	e := mustDeletionEnv(t, "sqlite")
	svc := e.svc
	tess := apptest.MustAccount(t, svc, "tess")
	u, err := svc.Store().User(ctx, tess.ID)
	if err != nil {
		t.Fatal(err)
	}
	setup, err := svc.BeginTwoFactor(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	code, err := starling.TOTPCode(setup.Secret, time.Now().Add(-30*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.ConfirmTwoFactor(ctx, u, code); err != nil {
		t.Fatal(err)
	}
	if err := svc.DeleteOwnAccount(ctx, tess, u, "password123", ""); starling.ErrorCode(err) != starling.EINVALID {
		t.Fatalf("without a code: %v, want EINVALID", err)
	}
	code, _ = starling.TOTPCode(setup.Secret, time.Now())
	if err := svc.DeleteOwnAccount(ctx, tess, u, "password123", code); err != nil {
		t.Fatalf("with a code: %v", err)
	}
}

// TestAccountDeletionTiming logs how long hiding an account and the job
// removing it take, for an account of STARLING_DELETE_POSTS posts.
func TestAccountDeletionTiming(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("STARLING_DELETE_POSTS"))
	if n == 0 {
		t.Skip("set STARLING_DELETE_POSTS to time deleting an account of that many posts")
	}
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		e := mustDeletionEnv(t, engine)
		svc := e.svc
		big := apptest.MustAccount(t, svc, "big")
		var fans []*starling.Account
		for i := range 10 {
			fan := apptest.MustAccount(t, svc, fmt.Sprintf("fan%d", i))
			MustFollow(t, svc, fan, big)
			fans = append(fans, fan)
		}
		mustBulkPosts(t, e, big, n)
		u, _ := svc.Store().User(ctx, big.ID)
		start := time.Now()
		if err := svc.DeleteOwnAccount(ctx, big, u, "password123", ""); err != nil {
			t.Fatal(err)
		}
		hide := time.Since(start)
		start = time.Now()
		e.runJobs(t)
		t.Logf("%s: %d posts, 10 followers: hidden in %v, removed by the job in %v", engine, n, hide, time.Since(start))
		for _, fan := range fans {
			if f := mustAccountFresh(t, svc, fan.ID); f.FollowingCount != 0 {
				t.Errorf("%s follows %d", f.Username, f.FollowingCount)
			}
			if home, _ := svc.HomeTimeline(ctx, fan, starling.Page{Limit: 5}); len(home) != 0 {
				t.Errorf("%s's home timeline shows %d posts", fan.Username, len(home))
			}
		}
	})
}

// mustBulkPosts gives a n posts, each with a hashtag and in its
// followers' home feeds, quickly: straight through the store.
func mustBulkPosts(t testing.TB, e *deletionEnv, a *starling.Account, n int) {
	t.Helper()
	ctx := context.Background()
	var ids starling.IDGenerator
	for i := 0; i < n; i += 500 {
		err := e.db.Update(ctx, func(tx starling.Tx) error {
			for j := i; j < min(i+500, n); j++ {
				now := time.Now().UTC()
				id := ids.Next(now)
				s := &starling.Status{ID: id, AccountID: a.ID, Text: fmt.Sprintf("post %d about #care", j), Content: fmt.Sprintf("<p>post %d</p>", j),
					Visibility: starling.VisibilityPublic, ConversationID: id, CreatedAt: now, Tags: []string{"care"}}
				if err := tx.CreateStatus(ctx, s); err != nil {
					return err
				}
				if err := tx.FanOut(ctx, s, starling.FanOutScope{}); err != nil { // into followers' home feeds
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// Environment of TestDeletionWorkerProcess, set by TestAccountDeletionSurvivesKill.
const (
	childDSNEnv = "STARLING_DELETION_CHILD_DSN"
	childDirEnv = "STARLING_DELETION_CHILD_DIR"
)

// TestDeletionWorkerProcess is not a test on its own: it is the server
// process TestAccountDeletionSurvivesKill starts and kills. It runs jobs
// until it is killed.
func TestDeletionWorkerProcess(t *testing.T) {
	dir := os.Getenv(childDirEnv)
	if dir == "" {
		t.Skip("run by TestAccountDeletionSurvivesKill")
	}
	ctx := context.Background()
	db, err := sqldb.Open(ctx, os.Getenv(childDSNEnv), dir)
	if err != nil {
		t.Fatal(err)
	}
	in := apptest.Instance()
	svc := starling.NewService(db, text.NewProcessor(&in), apptest.FastPasswords, in, nil)
	w := starling.NewJobWorker(db, time.Minute)
	svc.HandleJobs(w)
	w.Run(ctx) // until killed
}

// TestAccountDeletionSurvivesKill: a server killed with SIGKILL in the
// middle of deleting an account leaves it half deleted; once the job's
// lease runs out another server takes the job over and finishes it, with
// everyone's counters right.
func TestAccountDeletionSurvivesKill(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		dsn, dir := sqldbtest.MustDSN(t, engine), t.TempDir()
		db, err := sqldb.Open(ctx, dsn, dir)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		in := apptest.Instance()
		svc := starling.NewService(db, text.NewProcessor(&in), apptest.FastPasswords, in, nil)
		e := &deletionEnv{svc: svc, db: db}
		big, fan, friend := apptest.MustAccount(t, svc, "big"), apptest.MustAccount(t, svc, "fan"), apptest.MustAccount(t, svc, "friend")
		MustFollow(t, svc, fan, big)
		const posts = 3000
		mustBulkPosts(t, e, big, posts)
		friendPost := MustPost(t, svc, friend, "Hello", starling.VisibilityPublic)
		ids, err := db.ArchiveStatusIDs(ctx, big.ID, 0, 1)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Favourite(ctx, big, friendPost.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Reblog(ctx, friend, ids[0], ""); err != nil {
			t.Fatal(err)
		}
		u, _ := svc.Store().User(ctx, big.ID)
		if err := svc.DeleteOwnAccount(ctx, big, u, "password123", ""); err != nil {
			t.Fatal(err)
		}

		child := exec.Command(os.Args[0], "-test.run=^TestDeletionWorkerProcess$", "-test.count=1")
		child.Env = append(os.Environ(), childDSNEnv+"="+dsn, childDirEnv+"="+dir)
		if err := child.Start(); err != nil {
			t.Fatal(err)
		}
		left := posts
		for deadline := time.Now().Add(time.Minute); left > posts*2/3 && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
			counts, err := db.AccountDataCounts(ctx, big.ID)
			if err != nil {
				t.Fatal(err)
			}
			left = counts["statuses"]
		}
		if err := child.Process.Kill(); err != nil { // SIGKILL: no cleanup of any kind
			t.Fatal(err)
		}
		_ = child.Wait()
		counts, err := db.AccountDataCounts(ctx, big.ID)
		if err != nil {
			t.Fatal(err)
		}
		if counts["statuses"] == 0 || counts["statuses"] >= posts {
			t.Fatalf("killed with %d of %d statuses left; want it killed midway", counts["statuses"], posts)
		}
		t.Logf("killed with %d of %d statuses left", counts["statuses"], posts)

		// Another server, once the dead one's lease has run out.
		w := starling.NewJobWorker(db, time.Minute)
		w.SetClock(func() time.Time { return time.Now().UTC().Add(2 * time.Minute) })
		svc.HandleJobs(w)
		e.worker = w
		e.runJobs(t)

		if err := e.accountRow(big.ID); starling.ErrorCode(err) != starling.ENOTFOUND {
			t.Fatalf("the account row: %v, want gone", err)
		}
		read := func(id int64) (a *starling.Account, s *starling.Status) {
			// Inside a transaction: past the row caches, which the other
			// process's writes did not reach.
			err := db.Update(ctx, func(tx starling.Tx) (err error) {
				if a, err = tx.Account(ctx, id); err == nil {
					s, err = tx.Status(ctx, friendPost.ID)
				}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			return a, s
		}
		f, _ := read(fan.ID)
		fr, post := read(friend.ID)
		if f.FollowingCount != 0 || fr.StatusesCount != 1 || post.FavouritesCount != 0 {
			t.Errorf("fan follows %d, friend has %d statuses, friend's post %d favourites; want 0, 1 (the reblog went), 0",
				f.FollowingCount, fr.StatusesCount, post.FavouritesCount)
		}
	})
}

// TestReportsOutliveDeletion: once the deletion job is done, the sign-in
// record is gone (the email address may sign up again) but reports by and
// about the account, and the moderators' warnings to it, are kept, still
// pointing to the account's ID, whose name stays reserved.
func TestReportsOutliveDeletion(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		e := mustDeletionEnv(t, engine)
		svc := e.svc
		ann, dora, boss := apptest.MustAccount(t, svc, "ann"), apptest.MustAccount(t, svc, "dora"), apptest.MustAccount(t, svc, "boss")
		mustRole(t, e.db, boss, starling.RoleModerator)
		post := MustPost(t, svc, dora, "Worrying post about a resident", starling.VisibilityPublic)
		about, err := svc.CreateReport(ctx, ann, starling.NewReport{AccountID: dora.ID, StatusIDs: []int64{post.ID}, Category: starling.ReportSafeguarding, Comment: "Names a resident"})
		if err != nil {
			t.Fatal(err)
		}
		by, err := svc.CreateReport(ctx, dora, starling.NewReport{AccountID: ann.ID, Comment: "Rude"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.ActOnAccount(ctx, boss, dora.ID, starling.AccountAction{Type: starling.ActionWarn, Text: "Do not name residents"}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.BlockDomain(ctx, dora, "spam.example"); err != nil {
			t.Fatal(err)
		}
		doraUser, err := svc.Store().User(ctx, dora.ID)
		if err != nil {
			t.Fatal(err)
		}
		setup, err := svc.BeginTwoFactor(ctx, doraUser)
		if err != nil {
			t.Fatal(err)
		}
		code, _ := starling.TOTPCode(setup.Secret, time.Now())
		if _, err := svc.ConfirmTwoFactor(ctx, doraUser, code); err != nil {
			t.Fatal(err)
		}
		code, _ = starling.TOTPCode(setup.Secret, time.Now().Add(30*time.Second))
		if err := svc.DeleteOwnAccount(ctx, dora, doraUser, "password123", code); err != nil {
			t.Fatal(err)
		}
		e.runJobs(t)
		w, _ := e.db.SQL()
		for _, table := range []string{"users", "two_factors", "recovery_codes", "domain_blocks", "archive_downloads", "markers", "statuses", "follows", "notifications"} {
			var n int
			if err := w.QueryRowContext(ctx, `SELECT count(*) FROM `+table+` WHERE account_id = `+starling.FormatID(dora.ID)).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != 0 {
				t.Errorf("%d %s rows of the deleted account left", n, table)
			}
		}
		if err := e.accountRow(dora.ID); starling.ErrorCode(err) != starling.ENOTFOUND {
			t.Fatalf("the deletion did not finish: %v", err)
		}
		if _, err := e.db.User(ctx, dora.ID); starling.ErrorCode(err) != starling.ENOTFOUND {
			t.Errorf("the sign-in record: %v, want gone", err)
		}
		for _, id := range []int64{about.ID, by.ID} {
			r, err := e.db.Report(ctx, id)
			if err != nil {
				t.Fatalf("report %d: %v, want kept", id, err)
			}
			if r.Comment == "" || (r.TargetAccountID != dora.ID && r.AccountID != dora.ID) {
				t.Errorf("report %d = %+v", id, r)
			}
		}
		if ws, err := e.db.AccountWarnings(ctx, dora.ID, 10); err != nil || len(ws) != 1 || ws[0].Text != "Do not name residents" {
			t.Errorf("warnings = %v, %v; want the one kept", ws, err)
		}
		if _, _, err := svc.Register(ctx, starling.SignUp{Username: "dora2", Email: "dora@example.org", Password: "password123", Agreement: true}); err != nil {
			t.Errorf("signing up again with the deleted account's email: %v", err)
		}
		if _, _, err := svc.Register(ctx, starling.SignUp{Username: "DORA", Email: "other@example.org", Password: "password123", Agreement: true}); starling.ErrorCode(err) != starling.EINVALID {
			t.Errorf("signing up as DORA: %v, want taken", err)
		}
	})
}

// mustUserRole returns a's user, first giving it role unless that is "".
func mustUserRole(tb testing.TB, svc *starling.Service, a *starling.Account, role starling.Role) *starling.User {
	tb.Helper()
	ctx := context.Background()
	u, err := svc.Store().User(ctx, a.ID)
	if err != nil {
		tb.Fatal(err)
	}
	if role != "" {
		u.Role = role
		if err := svc.Store().Update(ctx, func(tx starling.Tx) error { return tx.UpdateUser(ctx, u) }); err != nil {
			tb.Fatal(err)
		}
	}
	return u
}

// TestAdminsKeepOne: of two admins deleting each other, the second is
// refused (the first deletion disabled them, whatever their copy of their
// user says); the one left cannot delete their own account.
func TestAdminsKeepOne(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		e := mustDeletionEnv(t, engine)
		svc := e.svc
		ada, bea := apptest.MustAccount(t, svc, "ada"), apptest.MustAccount(t, svc, "bea")
		adaU, beaU := mustUserRole(t, svc, ada, starling.RoleAdmin), mustUserRole(t, svc, bea, starling.RoleAdmin)
		if err := svc.DeleteAccount(ctx, ada, adaU, bea.ID, "Left the organisation"); err != nil {
			t.Fatal(err)
		}
		if err := svc.DeleteAccount(ctx, bea, beaU, ada.ID, "Revenge"); starling.ErrorCode(err) != starling.EFORBIDDEN {
			t.Errorf("a deleted admin deletes the other: %v, want EFORBIDDEN", err)
		}
		if err := svc.DeleteOwnAccount(ctx, ada, adaU, "password123", ""); starling.ErrorCode(err) != starling.EINVALID {
			t.Errorf("the last admin deletes their account: %v, want EINVALID", err)
		}
		if _, err := svc.Account(ctx, ada.ID); err != nil {
			t.Errorf("the last admin is gone: %v", err)
		}
	})
}
