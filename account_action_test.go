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

// moderationFixture: bob posts; fan follows bob, stranger does not; mod is
// a moderator.
type moderationFixture struct {
	svc                          *starling.Service
	mod, bob, fan, stranger      *starling.Account
	post, reply, mention, tagged *starling.Status
}

func mustModerationFixture(t *testing.T, engine string) *moderationFixture {
	t.Helper()
	svc, db := apptest.MustService(t, engine, apptest.Instance())
	f := &moderationFixture{svc: svc}
	f.mod, f.bob, f.fan, f.stranger = apptest.MustAccount(t, svc, "mod"), apptest.MustAccount(t, svc, "bob"),
		apptest.MustAccount(t, svc, "fan"), apptest.MustAccount(t, svc, "stranger")
	mustRole(t, db, f.mod, starling.RoleModerator)
	MustFollow(t, svc, f.fan, f.bob)
	root := MustPost(t, svc, f.stranger, "A thread", starling.VisibilityPublic)
	f.post = MustPost(t, svc, f.bob, "Buy cheap watches", starling.VisibilityPublic)
	f.tagged = MustPost(t, svc, f.bob, "More watches #deals", starling.VisibilityPublic)
	f.mention = MustPost(t, svc, f.bob, "@stranger @fan look at my watches", starling.VisibilityPublic)
	var err error
	f.reply, err = svc.PostStatus(context.Background(), f.bob, starling.NewStatus{Text: "watches here", Visibility: starling.VisibilityPublic, InReplyToID: root.ID})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// surfaces lists which of bob's posts each surface shows viewer, by name.
func (f *moderationFixture) surfaces(t *testing.T, viewer *starling.Account) map[string]bool {
	t.Helper()
	ctx := context.Background()
	svc := f.svc
	has := func(list []*starling.Status, s *starling.Status) bool {
		return slices.ContainsFunc(list, func(x *starling.Status) bool { return x.ID == s.ID })
	}
	out := map[string]bool{}
	pub, err := svc.PublicTimeline(ctx, viewer, starling.PublicFilter{LocalOnly: true}, starling.Page{Limit: 40})
	if err != nil {
		t.Fatal(err)
	}
	out["public"] = has(pub, f.post)
	tag, err := svc.TagTimeline(ctx, viewer, starling.TagQuery{Any: []string{"deals"}}, starling.PublicFilter{}, starling.Page{Limit: 40})
	if err != nil {
		t.Fatal(err)
	}
	out["tag"] = has(tag, f.tagged)
	home, err := svc.HomeTimeline(ctx, viewer, starling.Page{Limit: 40})
	if err != nil {
		t.Fatal(err)
	}
	out["home"] = has(home, f.post)
	_, desc, err := svc.StatusContext(ctx, viewer, f.reply.InReplyToID)
	if err != nil {
		t.Fatal(err)
	}
	out["thread"] = has(desc, f.reply)
	_, err = svc.GetStatus(ctx, viewer, f.post.ID)
	out["link"] = err == nil
	prof, err := svc.AccountStatuses(ctx, viewer, f.bob.ID, starling.AccountStatusesFilter{}, starling.Page{Limit: 40})
	if err != nil {
		t.Fatal(err)
	}
	out["profile"] = has(prof, f.post)
	notes, err := svc.Notifications(ctx, viewer, starling.NotificationFilter{}, starling.Page{Limit: 40})
	if err != nil {
		t.Fatal(err)
	}
	out["notifications"] = slices.ContainsFunc(notes, func(n *starling.Notification) bool { return n.FromAccountID == f.bob.ID })
	res, err := svc.Search(ctx, viewer, starling.SearchQuery{Q: "bob", Type: "accounts"})
	if err != nil {
		t.Fatal(err)
	}
	out["search"] = slices.ContainsFunc(res.Accounts, func(a *starling.Account) bool { return a.ID == f.bob.ID })
	dir, err := svc.Directory(ctx, "new", 80, 0)
	if err != nil {
		t.Fatal(err)
	}
	out["directory"] = slices.ContainsFunc(dir, func(a *starling.Account) bool { return a.ID == f.bob.ID })
	return out
}

func (f *moderationFixture) act(t *testing.T, typ starling.AccountActionType, reason string) *starling.AccountWarning {
	t.Helper()
	w, err := f.svc.ActOnAccount(context.Background(), f.mod, f.bob.ID, starling.AccountAction{Type: typ, Text: reason})
	if err != nil {
		t.Fatalf("%s: %v", typ, err)
	}
	return w
}

func wantSurfaces(t *testing.T, who string, got map[string]bool, want map[string]bool) {
	t.Helper()
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s, %s: shown %v, want %v", who, k, got[k], v)
		}
	}
}

// TestAccountLimitAndSuspend: limiting an account hides its posts from
// every public surface for those who do not follow it, but not from its
// followers, a direct link or its profile; suspending hides them
// everywhere and locks the member out with the reason; undoing restores
// all. Each step is audited and the member is told.
func TestAccountLimitAndSuspend(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		f := mustModerationFixture(t, engine)
		svc := f.svc
		all := map[string]bool{"public": true, "tag": true, "thread": true, "link": true, "profile": true, "notifications": true, "search": true}
		wantSurfaces(t, "stranger before", f.surfaces(t, f.stranger), all)

		f.act(t, starling.ActionSilence, "Spam, rule 2")
		wantSurfaces(t, "stranger limited", f.surfaces(t, f.stranger), map[string]bool{
			"public": false, "tag": false, "thread": false, "notifications": false, "search": false, "directory": false,
			"link": true, "profile": true})
		wantSurfaces(t, "fan limited", f.surfaces(t, f.fan), map[string]bool{
			"public": true, "tag": true, "home": true, "thread": true, "notifications": true, "search": true, "link": true, "profile": true})
		pub, err := svc.PublicTimeline(ctx, nil, starling.PublicFilter{}, starling.Page{Limit: 40})
		if err != nil || slices.ContainsFunc(pub, func(s *starling.Status) bool { return s.AccountID == f.bob.ID }) {
			t.Errorf("signed out: public timeline shows the limited account (%v)", err)
		}
		if _, err := svc.GetStatus(ctx, nil, f.post.ID); err != nil {
			t.Errorf("signed out: a link to a limited account's post: %v", err)
		}

		// The member is told, through a notification carrying the warning.
		notes, err := svc.Notifications(ctx, f.bob, starling.NotificationFilter{Types: []starling.NotificationType{starling.NotifyModerationWarning}}, starling.Page{Limit: 10})
		if err != nil || len(notes) != 1 || notes[0].Warning == nil || notes[0].Warning.Text != "Spam, rule 2" || notes[0].Warning.Action != starling.ActionSilence {
			t.Fatalf("moderation_warning notifications: %+v, %v", notes, err)
		}

		// A limited member still signs in and posts.
		if _, _, err := svc.SignIn(ctx, "bob", "password123"); err != nil {
			t.Fatalf("limited sign-in: %v", err)
		}

		token := apptest.MustToken(t, svc, f.bob)
		f.act(t, starling.ActionSuspend, "Repeated spam after a warning")
		none := map[string]bool{"public": false, "tag": false, "home": false, "thread": false, "link": false, "profile": false, "notifications": false, "search": false, "directory": false}
		wantSurfaces(t, "stranger suspended", f.surfaces(t, f.stranger), none)
		wantSurfaces(t, "fan suspended", f.surfaces(t, f.fan), none)
		_, _, err = svc.SignIn(ctx, "bob", "password123")
		if starling.ErrorCode(err) != starling.EFORBIDDEN || !strings.Contains(starling.ErrorMessage(err), "Repeated spam after a warning") {
			t.Errorf("suspended sign-in: %v, want forbidden with the reason", err)
		}
		if _, err := svc.Authenticate(ctx, token); err == nil {
			t.Error("a suspended member's token still works")
		}
		// Nothing was deleted: staff still see the account.
		rec, err := svc.AccountModeration(ctx, f.mod, f.bob.ID)
		if err != nil || !rec.Account.Suspended() || !rec.Account.Limited() || len(rec.Warnings) != 2 {
			t.Fatalf("moderation record: %+v, %v", rec, err)
		}

		f.act(t, starling.ActionUnsuspend, "Appeal upheld")
		f.act(t, starling.ActionUnsilence, "Appeal upheld")
		wantSurfaces(t, "stranger after undo", f.surfaces(t, f.stranger), all)
		if _, _, err := svc.SignIn(ctx, "bob", "password123"); err != nil {
			t.Errorf("sign-in after unsuspend: %v", err)
		}
		log, err := svc.AuditLog(ctx, f.mod, 20)
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range log {
			if e.TargetID == f.bob.ID {
				actions = append(actions, e.Action+":"+e.Reason)
			}
		}
		want := []string{"account.unsilence:Appeal upheld", "account.unsuspend:Appeal upheld", "account.suspend:Repeated spam after a warning", "account.silence:Spam, rule 2"}
		if !slices.Equal(actions, want) {
			t.Errorf("audit: %q, want %q", actions, want)
		}
	})
}

// TestAccountActionRules: who may act, on whom, and with what input;
// resolving a report with an action; appeals.
func TestAccountActionRules(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		svc, db := apptest.MustService(t, engine, apptest.Instance())
		admin, mod, lead, ann, bob := apptest.MustAccount(t, svc, "admin"), apptest.MustAccount(t, svc, "mod"),
			apptest.MustAccount(t, svc, "lead"), apptest.MustAccount(t, svc, "ann"), apptest.MustAccount(t, svc, "bob")
		mustRole(t, db, admin, starling.RoleAdmin)
		mustRole(t, db, mod, starling.RoleModerator)
		mustRole(t, db, lead, starling.RoleSafeguardingLead)
		act := func(by, on *starling.Account, typ starling.AccountActionType, text string) error {
			_, err := svc.ActOnAccount(ctx, by, on.ID, starling.AccountAction{Type: typ, Text: text})
			return err
		}
		for name, tc := range map[string]struct {
			err  error
			want string
		}{
			"member":          {act(ann, bob, starling.ActionWarn, "x"), starling.EFORBIDDEN},
			"lead suspends":   {act(lead, bob, starling.ActionSuspend, "x"), starling.EFORBIDDEN},
			"mod on admin":    {act(mod, admin, starling.ActionSilence, "x"), starling.EFORBIDDEN},
			"self":            {act(mod, mod, starling.ActionWarn, "x"), starling.EINVALID},
			"no reason":       {act(mod, bob, starling.ActionSilence, "  "), starling.EINVALID},
			"unknown type":    {act(mod, bob, "delete", "x"), starling.EINVALID},
			"reason too long": {act(mod, bob, starling.ActionWarn, strings.Repeat("x", starling.MaxWarningTextChars+1)), starling.EINVALID},
		} {
			if starling.ErrorCode(tc.err) != tc.want {
				t.Errorf("%s: got %v, want %s", name, tc.err, tc.want)
			}
		}
		if l, err := svc.AdminAccounts(ctx, lead, starling.AdminAccountFilter{Username: "bob"}, starling.Page{}); err != nil || len(l) != 1 || l[0].User.Email != "" {
			t.Errorf("a safeguarding lead lists accounts: %+v, %v; want bob without his email address", l, err)
		}
		if _, err := svc.AdminAccounts(ctx, lead, starling.AdminAccountFilter{Email: "bob@"}, starling.Page{}); starling.ErrorCode(err) != starling.EFORBIDDEN {
			t.Errorf("a safeguarding lead searches by email: %v", err)
		}
		if err := act(lead, bob, starling.ActionWarn, "Please keep names of patients out of posts"); err != nil {
			t.Errorf("a safeguarding lead warns: %v", err)
		}
		if err := act(admin, mod, starling.ActionWarn, "Be kinder in replies"); err != nil {
			t.Errorf("an admin warns a moderator: %v", err)
		}

		// A report resolved by an account action.
		post := MustPost(t, svc, bob, "spam spam", starling.VisibilityPublic)
		r, err := svc.CreateReport(ctx, ann, starling.NewReport{AccountID: bob.ID, StatusIDs: []int64{post.ID}, Category: starling.ReportSpam})
		if err != nil {
			t.Fatal(err)
		}
		w, err := svc.ActOnAccount(ctx, mod, bob.ID, starling.AccountAction{Type: starling.ActionDisable, Text: "Spam", ReportID: r.ID})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(w.StatusIDs, []int64{post.ID}) || w.ReportID != r.ID {
			t.Errorf("warning from a report: %+v", w)
		}
		got, err := svc.GetReport(ctx, mod, r.ID)
		if err != nil || got.Open() {
			t.Errorf("report after the action: open %v, %v", got.Open(), err)
		}
		if _, _, err := svc.SignIn(ctx, "bob", "password123"); starling.ErrorCode(err) != starling.EFORBIDDEN {
			t.Errorf("disabled sign-in: %v", err)
		}
		annReport, err := svc.CreateReport(ctx, lead, starling.NewReport{AccountID: ann.ID, Category: starling.ReportOther})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.ActOnAccount(ctx, mod, bob.ID, starling.AccountAction{Type: starling.ActionWarn, Text: "x", ReportID: annReport.ID}); starling.ErrorCode(err) != starling.EINVALID {
			t.Errorf("action with a report about someone else: %v", err)
		}
		// Acting on a safeguarding report's account closes the report but
		// keeps its posts hidden: lifting the hold is a decision of its own.
		sgPost := MustPost(t, svc, ann, "About Mrs B at Rose Court", starling.VisibilityPublic)
		sg, err := svc.CreateReport(ctx, admin, starling.NewReport{AccountID: ann.ID, StatusIDs: []int64{sgPost.ID}, Category: starling.ReportSafeguarding})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.ActOnAccount(ctx, lead, ann.ID, starling.AccountAction{Type: starling.ActionWarn, Text: "Please do not name residents", ReportID: sg.ID}); err != nil {
			t.Fatal(err)
		}
		if got, err := svc.GetReport(ctx, lead, sg.ID); err != nil || got.Open() || !got.Holding {
			t.Errorf("safeguarding report after a warning: %+v, %v; want closed and still holding", got, err)
		}
		if _, err := svc.GetStatus(ctx, bob, sgPost.ID); starling.ErrorCode(err) != starling.ENOTFOUND {
			t.Errorf("the held post after the warning: %v, want still hidden", err)
		}

		// Appeals: once, by the member warned only.
		if _, err := svc.AppealWarning(ctx, ann, w.ID, "not me"); starling.ErrorCode(err) != starling.ENOTFOUND {
			t.Errorf("appeal by another member: %v", err)
		}
		if _, err := svc.AppealWarning(ctx, bob, w.ID, " "); starling.ErrorCode(err) != starling.EINVALID {
			t.Errorf("empty appeal: %v", err)
		}
		if _, err := svc.AppealWarning(ctx, bob, w.ID, "Those were adverts for my own shop, which I was told was fine"); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.AppealWarning(ctx, bob, w.ID, "again"); starling.ErrorCode(err) != starling.EINVALID {
			t.Errorf("second appeal: %v", err)
		}
		rec, err := svc.AccountModeration(ctx, mod, bob.ID)
		if err != nil || !rec.Warnings[0].Appealed() || len(rec.Reports) != 1 || rec.User == nil || !rec.User.Disabled {
			t.Fatalf("record: %+v, %v", rec, err)
		}

		// The staff list filters.
		list := func(f starling.AdminAccountFilter) []string {
			t.Helper()
			l, err := svc.AdminAccounts(ctx, mod, f, starling.Page{Limit: 50})
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, a := range l {
				out = append(out, a.Account.Username)
			}
			slices.Sort(out)
			return out
		}
		for name, tc := range map[string]struct {
			f    starling.AdminAccountFilter
			want []string
		}{
			"disabled": {starling.AdminAccountFilter{Status: "disabled"}, []string{"bob"}},
			"staff":    {starling.AdminAccountFilter{Staff: true}, []string{"admin", "mod"}},
			"username": {starling.AdminAccountFilter{Username: "AN"}, []string{"ann"}},
			"email":    {starling.AdminAccountFilter{Email: "lead@"}, []string{"lead"}},
			"active":   {starling.AdminAccountFilter{Status: "active", Origin: "local"}, []string{"admin", "ann", "lead", "mod"}},
			"remote":   {starling.AdminAccountFilter{Origin: "remote"}, nil},
		} {
			if got := list(tc.f); !slices.Equal(got, tc.want) {
				t.Errorf("%s: %q, want %q", name, got, tc.want)
			}
		}
		if _, err := svc.AdminAccounts(ctx, ann, starling.AdminAccountFilter{}, starling.Page{}); starling.ErrorCode(err) != starling.EFORBIDDEN {
			t.Errorf("member lists accounts: %v", err)
		}
		if _, err := svc.AdminAccounts(ctx, mod, starling.AdminAccountFilter{Status: "weird"}, starling.Page{}); starling.ErrorCode(err) != starling.EINVALID {
			t.Errorf("bad status filter: %v", err)
		}
	})
}

// TestStreamsObeyModeration: streams apply the same rule to the author a
// status event carries: a suspended author is never shown; a limited one
// only to followers (and themselves).
func TestStreamsObeyModeration(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		f := mustModerationFixture(t, engine)
		f.act(t, starling.ActionSilence, "Spam")
		bob, err := f.svc.Account(ctx, f.bob.ID)
		if err != nil {
			t.Fatal(err)
		}
		post := &starling.Status{ID: 1, AccountID: bob.ID, Account: bob, Visibility: starling.VisibilityPublic}
		ev := &starling.Event{Kind: starling.EventUpdate, Status: post}
		fanHome, err := f.svc.HomeStreamFilter(ctx, f.fan)
		if err != nil {
			t.Fatal(err)
		}
		strangerPublic, err := f.svc.ViewerStreamFilter(ctx, f.stranger, starling.FilterPublic)
		if err != nil {
			t.Fatal(err)
		}
		if !fanHome.Shows(ev) {
			t.Error("a follower's home stream hides a limited account")
		}
		if strangerPublic.Shows(ev) || starling.PublicStreamFilter(nil).Shows(ev) {
			t.Error("the public stream shows a limited account to those who do not follow it")
		}
		if !starling.PublicStreamFilter(bob).Shows(ev) {
			t.Error("a limited member does not see their own post")
		}
		reblog := &starling.Status{ID: 2, AccountID: f.fan.ID, Account: f.fan, Visibility: starling.VisibilityPublic, ReblogOfID: 1, Reblog: post}
		strangerHome, err := f.svc.HomeStreamFilter(ctx, f.stranger)
		if err != nil {
			t.Fatal(err)
		}
		MustFollow(t, f.svc, f.stranger, f.fan)
		strangerHome.Shows(&starling.Event{Kind: starling.EventFollow, AccountID: f.stranger.ID, TargetID: f.fan.ID})
		if strangerHome.Shows(&starling.Event{Kind: starling.EventUpdate, Status: reblog}) {
			t.Error("a reblog carries a limited account's post to someone who does not follow it")
		}

		f.act(t, starling.ActionSuspend, "Spam again")
		if bob, err = f.svc.Account(ctx, f.bob.ID); err != nil {
			t.Fatal(err)
		}
		post.Account = bob
		if fanHome.Shows(ev) {
			t.Error("a follower's home stream shows a suspended account")
		}
	})
}

// TestTrendsObeyModeration: a limited account's posts do not help a
// hashtag trend, and count again once the limit is lifted.
func TestTrendsObeyModeration(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		f := mustModerationFixture(t, engine)
		for _, a := range []*starling.Account{f.fan, f.stranger} {
			MustPost(t, f.svc, a, "Good day at the #carefair", starling.VisibilityPublic)
		}
		MustPost(t, f.svc, f.bob, "Buy watches at the #carefair", starling.VisibilityPublic)
		trending := func() bool {
			t.Helper()
			tags, err := f.svc.TrendingTags(ctx, "", 10, 0)
			if err != nil {
				t.Fatal(err)
			}
			return slices.ContainsFunc(tags, func(tt starling.TrendingTag) bool { return tt.Name == "carefair" })
		}
		if !trending() {
			t.Fatal("#carefair does not trend with three accounts")
		}
		f.act(t, starling.ActionSilence, "Spam")
		if trending() {
			t.Error("#carefair still trends with a limited account's help")
		}
		f.act(t, starling.ActionUnsilence, "Appeal upheld")
		if !trending() {
			t.Error("#carefair does not trend again after the limit is lifted")
		}

		// Favourites by a limited account do not push a post into trends.
		post := MustPost(t, f.svc, f.mod, "Our care fair photos", starling.VisibilityPublic)
		for _, a := range []*starling.Account{f.bob, f.fan, f.stranger} {
			if _, err := f.svc.Favourite(ctx, a, post.ID); err != nil {
				t.Fatal(err)
			}
		}
		postTrends := func() bool {
			t.Helper()
			list, err := f.svc.TrendingStatuses(ctx, f.stranger, 10, 0)
			if err != nil {
				t.Fatal(err)
			}
			return slices.ContainsFunc(list, func(s *starling.Status) bool { return s.ID == post.ID })
		}
		if !postTrends() {
			t.Fatal("a post three people favourited does not trend")
		}
		f.act(t, starling.ActionSilence, "Spam")
		if postTrends() {
			t.Error("the post still trends with a limited account's favourite")
		}
	})
}
