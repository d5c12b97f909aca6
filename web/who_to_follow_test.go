package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"starling"
	"starling/apptest"
)

// TestWhoToFollow: a new member's home page suggests people to follow, each
// followed with one button; the panel goes once they follow enough people.
func TestWhoToFollow(t *testing.T) {
	env := mustServer(t, starling.RegistrationsOpen, Options{})
	ctx := context.Background()
	newbie := apptest.MustAccount(t, env.svc, "newbie")
	var others []*starling.Account
	for i := range newMemberFollows + 1 {
		others = append(others, apptest.MustAccount(t, env.svc, fmt.Sprintf("member%d", i)))
	}
	// member0 is the most followed: the first suggestion for someone who follows no one.
	for _, a := range others[1:4] {
		if _, err := env.svc.Follow(ctx, a, others[0].ID, starling.FollowOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	b := env.newBrowser()
	b.signIn("newbie@example.org", "password123")
	home := b.get("/")
	if !strings.Contains(home.Body, "Who to follow") {
		t.Fatal("no suggestions for a new member")
	}
	action := "/accounts/" + starling.FormatID(others[0].ID) + "/follow"
	res := b.submit(home, action, nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/" {
		t.Fatalf("follow from the panel: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	rel, err := env.svc.Relationship(ctx, newbie, others[0].ID)
	if err != nil || !rel.Following {
		t.Fatalf("not following after the panel's button: %+v %v", rel, err)
	}
	if home := b.get("/"); strings.Contains(home.Body, `action="`+action+`"`) {
		t.Error("suggested someone already followed")
	}
	for _, a := range others[1:] {
		if _, err := env.svc.Follow(ctx, newbie, a.ID, starling.FollowOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	if home := b.get("/"); strings.Contains(home.Body, "Who to follow") {
		t.Errorf("still suggesting after following %d people", newMemberFollows+1)
	}
}
