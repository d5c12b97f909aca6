package starling_test

import (
	"context"
	"testing"
	"time"

	"starling"
	"starling/apptest"
	"starling/sqldb/sqldbtest"
	"starling/text"
)

// TestPollEnds: once a poll's time is up nobody can vote, and the job
// scheduled with it tells the author and each voter, once each.
func TestPollEnds(t *testing.T) {
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
		ann, bob, cat := apptest.MustAccount(t, svc, "ann"), apptest.MustAccount(t, svc, "bob"), apptest.MustAccount(t, svc, "cat")
		s, err := svc.PostStatus(ctx, ann, starling.NewStatus{Text: "Should the forum move online?",
			Poll: &starling.NewPoll{Options: []string{"Yes", "No"}, ExpiresIn: time.Hour}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.VotePoll(ctx, bob, s.PollID, []int{0}); err != nil {
			t.Fatal(err)
		}
		if n, _ := worker.RunDue(ctx); n != 0 {
			t.Fatalf("%d jobs ran before the poll ended", n)
		}
		now = now.Add(time.Hour)
		if _, err := svc.VotePoll(ctx, cat, s.PollID, []int{1}); starling.ErrorCode(err) != starling.EINVALID {
			t.Fatalf("a vote after the end: %v, want EINVALID", err)
		}
		if n, err := worker.RunDue(ctx); n != 1 || err != nil {
			t.Fatalf("the end-of-poll job: ran %d (%v), want 1", n, err)
		}
		for who, want := range map[*starling.Account]int{ann: 1, bob: 1, cat: 0} {
			list, err := svc.Notifications(ctx, who, starling.NotificationFilter{Types: []starling.NotificationType{starling.NotifyPoll}}, starling.Page{})
			if err != nil {
				t.Fatal(err)
			}
			if len(list) != want {
				t.Errorf("%s has %d poll notifications, want %d", who.Username, len(list), want)
			}
		}
		p, err := svc.GetPoll(ctx, cat, s.PollID)
		if err != nil || !p.Expired(now) || !p.ShowTotals(cat.ID, now) || p.Options[0].Votes != 1 {
			t.Fatalf("the ended poll for a non-voter: %+v %v", p, err)
		}
	})
}
