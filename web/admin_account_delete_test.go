package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"starling"
	"starling/apptest"
)

// TestAdminDeleteAndResetTwoFactor: on an account's staff page, admins
// reset a member's two-factor sign-in (moderators are refused) and staff
// delete an account after confirming, each with a reason the audit log
// keeps; members cannot post either form.
func TestAdminDeleteAndResetTwoFactor(t *testing.T) {
	env := mustServer(t, starling.RegistrationsOpen, Options{})
	env.mustStaff("boss")
	spam, _, _ := reportsFixture(t, env.svc) // ann, bob, cat
	ctx := context.Background()
	trendsMakeModerator(t, env.svc, apptest.MustAccount(t, env.svc, "mod"))
	cat, err := env.svc.LookupAccount(ctx, "cat")
	if err != nil {
		t.Fatal(err)
	}
	catPath := "/admin/accounts/" + starling.FormatID(cat.ID)
	bobPath := "/admin/accounts/" + starling.FormatID(spam.TargetAccountID)

	catB := env.newBrowser()
	catB.signIn("cat", "password123")
	enableTwoFactor(t, catB)

	member := env.newBrowser()
	member.signIn("ann", "password123")
	if res := member.post(bobPath+"/delete", url.Values{csrfField: {member.cookie(csrfCookie)}, "delete_confirm": {"1"}, "delete_reason": {"x"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("a member deletes: status %d", res.StatusCode)
	}
	if res := member.post(catPath+"/two_factor/reset", url.Values{csrfField: {member.cookie(csrfCookie)}, "reset_reason": {"x"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("a member resets two-factor: status %d", res.StatusCode)
	}

	mod := env.newBrowser()
	mod.signIn("mod", "password123")
	page := mod.get(catPath)
	if strings.Contains(page.Body, "Reset two-factor sign-in") {
		t.Error("a moderator is offered the two-factor reset")
	}
	if res := mod.post(catPath+"/two_factor/reset", url.Values{csrfField: {mod.cookie(csrfCookie)}, "reset_reason": {"Phoned her"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("a moderator resets two-factor: status %d", res.StatusCode)
	}

	admin := env.newBrowser()
	admin.signIn("boss", "password123")
	page = admin.get(catPath)
	if !strings.Contains(page.Body, "Reset two-factor sign-in") {
		t.Fatalf("the admin is not offered the reset:\n%s", excerpt(text(byID(page.Doc, "main")), 1500))
	}
	if res := admin.submit(page, catPath+"/two_factor/reset", url.Values{"reset_reason": {""}}); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Give the reason") {
		t.Errorf("reset without a reason: status %d", res.StatusCode)
	}
	if on, _ := env.svc.HasTwoFactor(ctx, cat.ID); !on {
		t.Fatal("two-factor was reset without an admin's reasoned request")
	}
	res := admin.submit(page, catPath+"/two_factor/reset", url.Values{"reset_reason": {"Called her on the office line"}})
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Two-factor sign-in is off") {
		t.Fatalf("reset: status %d", res.StatusCode)
	}
	if on, _ := env.svc.HasTwoFactor(ctx, cat.ID); on {
		t.Error("two-factor is still on after the reset")
	}
	if p := catB.get("/"); strings.Contains(p.Body, "Signed in as @cat") {
		t.Error("cat is still signed in after the reset")
	}

	// Delete bob: confirming is required, then he is gone.
	page = admin.get(bobPath)
	res = admin.submit(page, bobPath+"/delete", url.Values{"delete_reason": {"Spam account"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Tick the box") {
		t.Errorf("delete without confirming: status %d", res.StatusCode)
	}
	if _, err := env.svc.LookupAccount(ctx, "bob"); err != nil {
		t.Fatalf("bob is gone before the deletion was confirmed: %v", err)
	}
	res = admin.submit(page, bobPath+"/delete", url.Values{"delete_reason": {"Spam account"}, "delete_confirm": {"1"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete: status %d\n%s", res.StatusCode, excerpt(res.Body, 800))
	}
	if list := admin.follow(res); !strings.Contains(list.Body, "The account is deleted") || strings.Contains(list.Body, `href="`+bobPath+`"`) {
		t.Error("the accounts list does not confirm the deletion, or still lists bob")
	}
	if p := env.newBrowser().get("/@bob"); p.StatusCode != http.StatusNotFound {
		t.Errorf("bob's profile after deletion: status %d", p.StatusCode)
	}
	if p := admin.get(bobPath); p.StatusCode != http.StatusNotFound {
		t.Errorf("bob's staff page after deletion: status %d", p.StatusCode)
	}
	log := admin.get("/admin/audit")
	for _, want := range []string{"account.delete", "two_factor.reset"} {
		if !strings.Contains(log.Body, want) {
			t.Errorf("the audit log lacks %q", want)
		}
	}
}
