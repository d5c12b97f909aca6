package mastodon_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	gomastodon "github.com/mattn/go-mastodon"

	"starling"
	"starling/sqldb/sqldbtest"
)

func mustSetRole(tb testing.TB, ts *testServer, id int64, role starling.Role) {
	tb.Helper()
	ctx := context.Background()
	u, err := ts.DB.User(ctx, id)
	if err != nil {
		tb.Fatal(err)
	}
	u.Role = role
	if err := ts.DB.Update(ctx, func(tx starling.Tx) error { return tx.UpdateUser(ctx, u) }); err != nil {
		tb.Fatal(err)
	}
}

// TestAdminAccountsAPI works the admin accounts API through an unmodified
// client library and plain HTTP: list with filters and Link headers, act
// with a reason (which the member then reads as a moderation_warning
// notification), undo; members and tokens without admin scopes are refused.
func TestAdminAccountsAPI(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		ts := MustServer(t, engine)
		ann, bob, mod := ts.MustUser(t, "ann"), ts.MustUser(t, "bob"), ts.MustUser(t, "mod")
		mustSetRole(t, ts, mod.Account.ID, starling.RoleModerator)
		post1 := ts.MustPostText(t, bob.Token, "Buy cheap followers #deals")

		token := ts.MustTokenFor(t, mod.Account.ID, "admin:read:accounts", "admin:write:accounts")
		ts.MustError(t, get("/api/v1/admin/accounts", mod.Token), http.StatusForbidden) // no admin scope
		memberAdmin := ts.MustTokenFor(t, ann.Account.ID, "admin:read", "admin:write")
		ts.MustError(t, get("/api/v1/admin/accounts", memberAdmin), http.StatusForbidden)
		ts.MustError(t, post("/api/v1/admin/accounts/"+bob.ID()+"/action", memberAdmin, url.Values{"type": {"suspend"}, "text": {"x"}}), http.StatusForbidden)

		admin := gomastodon.NewClient(&gomastodon.Config{Server: ts.URL, AccessToken: token})
		all, err := admin.GetAdminAccounts(ctx, nil)
		if err != nil || len(all) != 3 {
			t.Fatalf("accounts = %d, %v", len(all), err)
		}
		one, err := admin.GetAdminAccount(ctx, gomastodon.ID(bob.ID()))
		if err != nil || one.Username != "bob" || one.Email != "bob@example.org" || !one.Approved || one.Silenced || one.Account == nil {
			t.Fatalf("account = %+v, %v", one, err)
		}

		// Paging: one at a time, newest first, by the Link header.
		res := ts.MustCall(t, get("/api/v1/admin/accounts?limit=1&local=true", token), http.StatusOK, nil)
		next := links(t, res.Header)["next"]
		if next == "" {
			t.Fatalf("no next link: %v", res.Header)
		}
		var page2 []struct {
			ID string `json:"id"`
		}
		u, _ := url.Parse(next)
		ts.MustCall(t, get(u.RequestURI(), token), http.StatusOK, &page2)
		if len(page2) != 1 || page2[0].ID != bob.ID() {
			t.Errorf("second page = %+v, want bob", page2)
		}

		// Acting needs a reason and a known type.
		ts.MustError(t, post("/api/v1/admin/accounts/"+bob.ID()+"/action", token, url.Values{"type": {"silence"}}), http.StatusUnprocessableEntity)
		ts.MustError(t, post("/api/v1/admin/accounts/"+bob.ID()+"/action", token, url.Values{"type": {"delete"}, "text": {"x"}}), http.StatusUnprocessableEntity)
		ts.MustError(t, post("/api/v1/admin/accounts/99999999/action", token, url.Values{"type": {"silence"}, "text": {"x"}}), http.StatusNotFound)
		if err := admin.AdminAccountPerformAction(ctx, gomastodon.ID(bob.ID()), &gomastodon.AdminAccountAction{Type: "silence", Text: "Spam: buying followers"}); err != nil {
			t.Fatal(err)
		}
		var silenced []struct {
			Username string `json:"username"`
			Silenced bool   `json:"silenced"`
		}
		ts.MustCall(t, get("/api/v1/admin/accounts?silenced=true", token), http.StatusOK, &silenced)
		if len(silenced) != 1 || silenced[0].Username != "bob" || !silenced[0].Silenced {
			t.Errorf("silenced = %+v", silenced)
		}
		// Limited: gone from the hashtag timeline for ann, there by link.
		var tagged []*struct{ ID string }
		ts.MustCall(t, get("/api/v1/timelines/tag/deals", ann.Token), http.StatusOK, &tagged)
		if len(tagged) != 0 {
			t.Errorf("tag timeline shows a limited account's post")
		}
		ts.MustCall(t, get("/api/v1/statuses/"+post1.ID, ann.Token), http.StatusOK, nil)
		var acct struct {
			Limited bool `json:"limited"`
		}
		ts.MustCall(t, get("/api/v1/accounts/"+bob.ID(), ann.Token), http.StatusOK, &acct)
		if !acct.Limited {
			t.Error("account entity lacks limited")
		}

		// The member reads the warning.
		var notes []struct {
			Type              string `json:"type"`
			ModerationWarning *struct {
				ID            string   `json:"id"`
				Action        string   `json:"action"`
				Text          string   `json:"text"`
				StatusIDs     []string `json:"status_ids"`
				TargetAccount struct {
					ID string `json:"id"`
				} `json:"target_account"`
				Appeal    any    `json:"appeal"`
				CreatedAt string `json:"created_at"`
			} `json:"moderation_warning"`
		}
		ts.MustCall(t, get("/api/v1/notifications?types[]=moderation_warning", bob.Token), http.StatusOK, &notes)
		if len(notes) != 1 || notes[0].ModerationWarning == nil || notes[0].ModerationWarning.Action != "silence" ||
			notes[0].ModerationWarning.Text != "Spam: buying followers" || notes[0].ModerationWarning.TargetAccount.ID != bob.ID() ||
			notes[0].ModerationWarning.StatusIDs == nil || notes[0].ModerationWarning.CreatedAt == "" {
			t.Fatalf("notifications = %+v", notes)
		}

		// Suspend: tokens stop working and the account shows as suspended.
		if err := admin.AdminAccountPerformAction(ctx, gomastodon.ID(bob.ID()), &gomastodon.AdminAccountAction{Type: "suspend", Text: "Kept on spamming"}); err != nil {
			t.Fatal(err)
		}
		ts.MustError(t, get("/api/v1/accounts/verify_credentials", bob.Token), http.StatusUnauthorized)
		var susp struct {
			Suspended   bool   `json:"suspended"`
			DisplayName string `json:"display_name"`
		}
		ts.MustCall(t, get("/api/v1/accounts/"+bob.ID(), ann.Token), http.StatusOK, &susp)
		if !susp.Suspended {
			t.Error("account entity lacks suspended")
		}
		ts.MustError(t, get("/api/v1/statuses/"+post1.ID, ann.Token), http.StatusNotFound)
		undone, err := admin.AdminAccountUnsuspend(ctx, gomastodon.ID(bob.ID()))
		if err != nil || undone.Suspended || !undone.Silenced {
			t.Fatalf("unsuspend = %+v, %v", undone, err)
		}
		undone, err = admin.AdminAccountUnsilence(ctx, gomastodon.ID(bob.ID()))
		if err != nil || undone.Silenced {
			t.Fatalf("unsilence = %+v, %v", undone, err)
		}
		ts.MustCall(t, get("/api/v1/statuses/"+post1.ID, ann.Token), http.StatusOK, nil)

		// Approve and reject only pending sign-ups.
		if _, err := admin.AdminAccountApprove(ctx, gomastodon.ID(ann.ID())); err == nil || !strings.Contains(err.Error(), "403") {
			t.Errorf("approving an approved account: %v", err)
		}

		// Deleting an account's data needs it suspended first, then it is gone.
		del := request{method: "DELETE", path: "/api/v1/admin/accounts/" + bob.ID(), token: token}
		ts.MustError(t, del, http.StatusForbidden)
		ts.MustError(t, request{method: "DELETE", path: "/api/v1/admin/accounts/" + bob.ID(), token: memberAdmin}, http.StatusForbidden)
		if err := admin.AdminAccountPerformAction(ctx, gomastodon.ID(bob.ID()), &gomastodon.AdminAccountAction{Type: "suspend", Text: "Spam account"}); err != nil {
			t.Fatal(err)
		}
		var gone struct {
			Username string `json:"username"`
		}
		ts.MustCall(t, del, http.StatusOK, &gone)
		if gone.Username != "bob" {
			t.Errorf("delete answered %+v", gone)
		}
		ts.MustError(t, get("/api/v1/accounts/"+bob.ID(), ann.Token), http.StatusNotFound)
		ts.MustError(t, get("/api/v1/admin/accounts/"+bob.ID(), token), http.StatusNotFound)
		ts.MustError(t, del, http.StatusNotFound)
	})
}

// TestInstanceRulesAndTexts: rules appear in /api/v1/instance/rules and the
// instance entities; reports cite them; the privacy policy and terms are
// served once written.
func TestInstanceRulesAndTexts(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		ts := MustServer(t, engine)
		ann, bob, adm := ts.MustUser(t, "ann"), ts.MustUser(t, "bob"), ts.MustUser(t, "adm")
		mustSetRole(t, ts, adm.Account.ID, starling.RoleAdmin)
		var seeded []any
		ts.MustCall(t, get("/api/v1/instance/rules", ""), http.StatusOK, &seeded)
		if len(seeded) != 4 { // the rules members agreed to before staff could edit them
			t.Errorf("rules before = %v", seeded)
		}
		ts.MustError(t, get("/api/v1/instance/terms_of_service", ""), http.StatusNotFound)
		var pp struct {
			UpdatedAt string `json:"updated_at"`
			Content   string `json:"content"`
		}
		ts.MustCall(t, get("/api/v1/instance/privacy_policy", ""), http.StatusOK, &pp)
		if !strings.Contains(pp.Content, "not written its privacy policy yet") {
			t.Errorf("unset privacy policy = %+v", pp)
		}

		rule, err := ts.Svc.SaveRule(ctx, adm.Account, starling.Rule{Text: "No spam", Hint: "Adverts count"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ts.Svc.SetInstanceText(ctx, adm.Account, starling.TextTerms, "Be kind.\n\nSee https://example.org/more"); err != nil {
			t.Fatal(err)
		}
		var rs []struct {
			ID, Text, Hint string
		}
		ts.MustCall(t, get("/api/v1/instance/rules", ""), http.StatusOK, &rs)
		if len(rs) != 5 || rs[4].ID != starling.FormatID(rule.ID) || rs[4].Text != "No spam" || rs[4].Hint != "Adverts count" {
			t.Errorf("rules = %+v", rs)
		}
		for _, path := range []string{"/api/v1/instance", "/api/v2/instance"} {
			var in struct {
				Rules []struct{ ID string } `json:"rules"`
			}
			ts.MustCall(t, get(path, ""), http.StatusOK, &in)
			if len(in.Rules) != 5 {
				t.Errorf("%s rules = %+v", path, in.Rules)
			}
		}
		var tos struct {
			Content   string `json:"content"`
			Effective bool   `json:"effective"`
		}
		ts.MustCall(t, get("/api/v1/instance/terms_of_service", ""), http.StatusOK, &tos)
		if !tos.Effective || !strings.Contains(tos.Content, `<p>Be kind.</p>`) || !strings.Contains(tos.Content, `href="https://example.org/more"`) {
			t.Errorf("terms = %+v", tos)
		}

		// Reports cite rules.
		ts.MustError(t, post("/api/v1/reports", ann.Token, url.Values{"account_id": {bob.ID()}, "category": {"violation"}}), http.StatusUnprocessableEntity)
		ts.MustError(t, post("/api/v1/reports", ann.Token, url.Values{"account_id": {bob.ID()}, "category": {"violation"}, "rule_ids[]": {"42"}}), http.StatusUnprocessableEntity)
		var rep struct {
			RuleIDs []string `json:"rule_ids"`
		}
		ts.MustCall(t, post("/api/v1/reports", ann.Token, url.Values{"account_id": {bob.ID()}, "category": {"violation"}, "rule_ids[]": {rs[4].ID}}), http.StatusOK, &rep)
		if len(rep.RuleIDs) != 1 || rep.RuleIDs[0] != rs[4].ID {
			t.Errorf("report rule_ids = %v", rep.RuleIDs)
		}
		token := ts.MustTokenFor(t, adm.Account.ID, "admin:read:reports")
		var reps []struct {
			Rules []struct{ ID, Text string } `json:"rules"`
		}
		ts.MustCall(t, get("/api/v1/admin/reports", token), http.StatusOK, &reps)
		if len(reps) != 1 || len(reps[0].Rules) != 1 || reps[0].Rules[0].Text != "No spam" {
			t.Errorf("admin report rules = %+v", reps)
		}
	})
}

// TestGoldenModeration pins the JSON of the Admin::Account entity and of a
// moderation_warning notification (shared golden-file helpers; -update
// rewrites them).
func TestGoldenModeration(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ts := MustServer(t, engine)
		bob, mod := ts.MustUser(t, "bob"), ts.MustUser(t, "mod")
		mustSetRole(t, ts, mod.Account.ID, starling.RoleModerator)
		token := ts.MustTokenFor(t, mod.Account.ID, "admin:read", "admin:write")
		ts.MustCall(t, post("/api/v1/admin/accounts/"+bob.ID()+"/action", token, url.Values{"type": {"silence"}, "text": {"Adverts, rule 2"}}), http.StatusOK, nil)
		res := ts.MustCall(t, get("/api/v1/admin/accounts/"+bob.ID(), token), http.StatusOK, nil)
		ts.MustMatchGolden(t, "admin_account", res.Body)
		res = ts.MustCall(t, get("/api/v1/notifications?types[]=moderation_warning", bob.Token), http.StatusOK, nil)
		ts.MustMatchGolden(t, "moderation_warning", res.Body)
	})
}

// TestAdminAccountSensitive: marking an account's media sensitive marks its
// posts with media sensitive, for everyone, until it is undone.
func TestAdminAccountSensitive(t *testing.T) {
	ts, _ := mustMediaServer(t)
	ctx := context.Background()
	bob, mod, ann := ts.MustUser(t, "bob"), ts.MustUser(t, "mod"), ts.MustUser(t, "ann")
	mustSetRole(t, ts, mod.Account.ID, starling.RoleModerator)
	c := gomastodon.NewClient(&gomastodon.Config{Server: ts.URL, AccessToken: bob.Token})
	att, err := c.UploadMediaFromMedia(ctx, &gomastodon.Media{File: strings.NewReader(string(jpegWithGPS(t))), Description: "A photo"})
	if err != nil {
		t.Fatal(err)
	}
	withMedia := ts.MustPost(t, bob.Token, url.Values{"status": {"Look"}, "media_ids[]": {string(att.ID)}})
	plain := ts.MustPostText(t, bob.Token, "No pictures")
	sensitive := func(id string) bool {
		var s struct {
			Sensitive bool `json:"sensitive"`
		}
		ts.MustCall(t, get("/api/v1/statuses/"+id, ann.Token), http.StatusOK, &s)
		return s.Sensitive
	}
	if sensitive(withMedia.ID) {
		t.Fatal("sensitive before any action")
	}
	token := ts.MustTokenFor(t, mod.Account.ID, "admin:write:accounts", "admin:read:accounts")
	ts.MustCall(t, post("/api/v1/admin/accounts/"+bob.ID()+"/action", token, url.Values{"type": {"sensitive"}, "text": {"Graphic images"}}), http.StatusOK, nil)
	if !sensitive(withMedia.ID) || sensitive(plain.ID) {
		t.Errorf("after marking: with media %v, without %v; want true, false", sensitive(withMedia.ID), sensitive(plain.ID))
	}
	ts.MustCall(t, post("/api/v1/admin/accounts/"+bob.ID()+"/unsensitive", token, nil), http.StatusOK, nil)
	if sensitive(withMedia.ID) {
		t.Error("still sensitive after undoing")
	}
}

// TestAdminAPIRequiresStaffTwoFactor: with --require-staff-2fa, a
// moderator's admin-scoped token is refused until they set up two-factor
// sign-in, as the staff pages are; other endpoints still answer.
func TestAdminAPIRequiresStaffTwoFactor(t *testing.T) {
	ctx := context.Background()
	ts := MustServer(t, "sqlite", func(in *starling.Instance) { in.RequireStaffTwoFactor = true })
	mod := ts.MustUser(t, "mod")
	mustSetRole(t, ts, mod.Account.ID, starling.RoleModerator)
	token := ts.MustTokenFor(t, mod.Account.ID, "admin:read", "read")
	ts.MustError(t, get("/api/v1/admin/accounts", token), http.StatusForbidden)
	ts.MustCall(t, get("/api/v1/accounts/verify_credentials", token), http.StatusOK, nil)

	u, err := ts.DB.User(ctx, mod.Account.ID)
	if err != nil {
		t.Fatal(err)
	}
	setup, err := ts.Svc.BeginTwoFactor(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	code, err := starling.TOTPCode(setup.Secret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ts.Svc.ConfirmTwoFactor(ctx, u, code); err != nil {
		t.Fatal(err)
	}
	ts.MustCall(t, get("/api/v1/admin/accounts", token), http.StatusOK, nil)
}
