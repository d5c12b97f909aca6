package starling_test

import (
	"context"
	"strings"
	"testing"

	"starling"
	"starling/apptest"
	"starling/sqldb"
	"starling/sqldb/sqldbtest"
)

func mustRole(tb testing.TB, db *sqldb.DB, a *starling.Account, role starling.Role) {
	tb.Helper()
	ctx := context.Background()
	u, err := db.User(ctx, a.ID)
	if err != nil {
		tb.Fatal(err)
	}
	u.Role = role
	if err := db.Update(ctx, func(tx starling.Tx) error { return tx.UpdateUser(ctx, u) }); err != nil {
		tb.Fatal(err)
	}
}

// TestReports: a member reports an account and its posts; bad input is
// refused; a safeguarding report hides the posts from everyone but their
// author and those who handle reports until staff decide; each decision is
// audited without the posts' text.
func TestReports(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		svc, db := apptest.MustService(t, engine, apptest.Instance())
		mod, lead, ann, bob, cat := apptest.MustAccount(t, svc, "mod"), apptest.MustAccount(t, svc, "lead"),
			apptest.MustAccount(t, svc, "ann"), apptest.MustAccount(t, svc, "bob"), apptest.MustAccount(t, svc, "cat")
		mustRole(t, db, mod, starling.RoleModerator)
		mustRole(t, db, lead, starling.RoleSafeguardingLead)
		secret := "Worried about Mrs K on ward 3 tonight"
		bad := MustPost(t, svc, bob, secret, starling.VisibilityPublic)
		other := MustPost(t, svc, bob, "An ordinary post", starling.VisibilityPublic)
		annPost := MustPost(t, svc, ann, "Ann's post", starling.VisibilityPublic)

		// Bad input.
		for name, in := range map[string]starling.NewReport{
			"self":       {AccountID: ann.ID},
			"category":   {AccountID: bob.ID, Category: "rude"},
			"comment":    {AccountID: bob.ID, Comment: strings.Repeat("x", starling.MaxReportCommentChars+1)},
			"rules":      {AccountID: bob.ID, RuleIDs: []string{"1"}},
			"not theirs": {AccountID: bob.ID, StatusIDs: []int64{annPost.ID}},
			"no post":    {AccountID: bob.ID, StatusIDs: []int64{12345}},
		} {
			if _, err := svc.CreateReport(ctx, ann, in); starling.ErrorCode(err) != starling.EINVALID {
				t.Errorf("%s: got %v, want invalid", name, err)
			}
		}
		if _, err := svc.CreateReport(ctx, ann, starling.NewReport{AccountID: 999999}); starling.ErrorCode(err) != starling.ENOTFOUND {
			t.Errorf("unknown account: got %v, want not found", err)
		}

		// A plain report holds nothing and goes to staff.
		spam, err := svc.CreateReport(ctx, ann, starling.NewReport{AccountID: bob.ID, StatusIDs: []int64{other.ID}, Category: starling.ReportSpam, Comment: "adverts"})
		if err != nil {
			t.Fatal(err)
		}
		if spam.Holding || spam.Category != starling.ReportSpam || len(spam.StatusIDs) != 1 {
			t.Errorf("spam report = %+v", spam)
		}
		notes, err := svc.Notifications(ctx, mod, starling.NotificationFilter{}, starling.Page{})
		if err != nil {
			t.Fatal(err)
		}
		if len(notes) != 1 || notes[0].Type != starling.NotifyAdminReport {
			t.Errorf("moderator's notifications = %v", notes)
		}

		// A safeguarding report holds the post and goes to the lead.
		sg, err := svc.CreateReport(ctx, ann, starling.NewReport{AccountID: bob.ID, StatusIDs: []int64{bad.ID}, Category: starling.ReportSafeguarding})
		if err != nil {
			t.Fatal(err)
		}
		if !sg.Holding {
			t.Error("safeguarding report does not hold")
		}
		if notes, _ := svc.Notifications(ctx, lead, starling.NotificationFilter{}, starling.Page{}); len(notes) != 1 || notes[0].Type != starling.NotifyAdminReport {
			t.Errorf("lead's notifications = %v", notes)
		}
		sees := func(viewer *starling.Account, id int64) bool {
			t.Helper()
			_, err := svc.GetStatus(ctx, viewer, id)
			if err != nil && starling.ErrorCode(err) != starling.ENOTFOUND {
				t.Fatal(err)
			}
			return err == nil
		}
		inPublic := func(viewer *starling.Account, id int64) bool {
			t.Helper()
			list, err := svc.PublicTimeline(ctx, viewer, starling.PublicFilter{}, starling.Page{Limit: 40})
			if err != nil {
				t.Fatal(err)
			}
			return contains(ids(list), id)
		}
		if sees(cat, bad.ID) || sees(nil, bad.ID) || inPublic(nil, bad.ID) || inPublic(cat, bad.ID) {
			t.Error("a held post is visible to a third member or the public")
		}
		if !sees(bob, bad.ID) || !sees(mod, bad.ID) || !sees(lead, bad.ID) || !inPublic(mod, bad.ID) {
			t.Error("a held post is hidden from its author or staff")
		}
		if !sees(cat, other.ID) || !inPublic(nil, other.ID) {
			t.Error("a post not held is hidden")
		}

		// Members cannot see the queue.
		if _, err := svc.Reports(ctx, cat, false); starling.ErrorCode(err) != starling.EFORBIDDEN {
			t.Errorf("member's queue: %v", err)
		}
		if _, err := svc.DecideReport(ctx, cat, sg.ID, starling.DecideResolve, ""); starling.ErrorCode(err) != starling.EFORBIDDEN {
			t.Errorf("member's decision: %v", err)
		}
		queue, err := svc.Reports(ctx, mod, false)
		if err != nil {
			t.Fatal(err)
		}
		if len(queue) != 2 || queue[0].ID != sg.ID || queue[1].ID != spam.ID || len(queue[0].Statuses) != 1 || queue[0].TargetAccount.ID != bob.ID {
			t.Errorf("queue = %+v", queue)
		}

		// Resolving lifts the hold.
		if _, err := svc.DecideReport(ctx, lead, sg.ID, starling.DecideResolve, "Spoke to the team; no concern"); err != nil {
			t.Fatal(err)
		}
		if !sees(cat, bad.ID) || !inPublic(nil, bad.ID) {
			t.Error("the hold is not lifted")
		}
		if _, err := svc.DecideReport(ctx, lead, sg.ID, starling.DecideResolve, ""); starling.ErrorCode(err) != starling.EINVALID {
			t.Errorf("resolving twice: %v", err)
		}

		// Reopening holds again; keep hidden keeps it so; restore lifts it.
		if _, err := svc.DecideReport(ctx, mod, sg.ID, starling.DecideReopen, "Second look"); err != nil {
			t.Fatal(err)
		}
		if sees(cat, bad.ID) {
			t.Error("a reopened safeguarding report does not hold")
		}
		if _, err := svc.DecideReport(ctx, mod, sg.ID, starling.DecideKeepHidden, "Names a resident"); err != nil {
			t.Fatal(err)
		}
		if sees(cat, bad.ID) {
			t.Error("kept hidden, yet visible")
		}
		if _, err := svc.DecideReport(ctx, mod, sg.ID, starling.DecideRestore, "Resident consented"); err != nil {
			t.Fatal(err)
		}
		if !sees(cat, bad.ID) {
			t.Error("restored, yet hidden")
		}

		// Removing deletes the reported posts.
		if _, err := svc.DecideReport(ctx, mod, spam.ID, starling.DecideRemove, "Advertising"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Status(ctx, other.ID); starling.ErrorCode(err) != starling.ENOTFOUND {
			t.Errorf("removed post: %v", err)
		}
		if queue, _ := svc.Reports(ctx, mod, false); len(queue) != 0 {
			t.Errorf("open reports after decisions: %d", len(queue))
		}

		// The audit log has each decision, with reasons and IDs only.
		log, err := svc.AuditLog(ctx, mod, 50)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range log {
			got = append(got, e.Action)
			if strings.Contains(e.Reason+e.Action+e.TargetType, "Mrs K") || strings.Contains(e.Reason, "ordinary") {
				t.Errorf("audit entry holds post text: %+v", e)
			}
			if e.Actor == nil {
				t.Errorf("audit entry without actor: %+v", e)
			}
		}
		want := "status.remove report.remove report.restore report.keep_hidden report.reopen report.resolve"
		if strings.Join(got, " ") != want {
			t.Errorf("audit log = %v, want %s", got, want)
		}
		if _, err := svc.AuditLog(ctx, cat, 50); starling.ErrorCode(err) != starling.EFORBIDDEN {
			t.Errorf("member's audit log: %v", err)
		}
	})
}
