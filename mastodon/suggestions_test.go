package mastodon_test

import (
	"context"
	"testing"

	"starling"
	"starling/sqldb/sqldbtest"
)

// TestSuggestions: for a member, accounts on a list staff suggest come
// first, then those the people they follow follow (the most shared first),
// then the most followed; never themselves or someone they follow.
func TestSuggestions(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ts := MustServer(t, engine)
		ctx := context.Background()
		u := map[string]user{}
		for _, n := range []string{"me", "friend1", "friend2", "shared", "once", "famous", "pick"} {
			u[n] = ts.MustUser(t, n)
		}
		follow := func(a, b string) {
			if _, err := ts.Svc.Follow(ctx, u[a].Account, u[b].Account.ID, starling.FollowOptions{}); err != nil {
				t.Fatal(err)
			}
		}
		follow("me", "friend1")
		follow("me", "friend2")
		follow("friend1", "shared")
		follow("friend2", "shared")
		follow("friend1", "once")
		for _, n := range []string{"friend1", "friend2", "shared", "once", "pick"} {
			follow(n, "famous")
		}
		staff, _, err := ts.Svc.Register(ctx, starling.SignUp{Username: "staff", Email: "staff@example.org", Password: "password123",
			Admin: true, SkipApproval: true, SkipAgreement: true, AllowReserved: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ts.Svc.Follow(ctx, staff, u["pick"].Account.ID, starling.FollowOptions{}); err != nil {
			t.Fatal(err)
		}
		l, err := ts.Svc.CreateList(ctx, staff, starling.List{Title: "People in social care worth following"})
		if err != nil {
			t.Fatal(err)
		}
		if err := ts.Svc.AddListMembers(ctx, staff, l.ID, []int64{u["pick"].Account.ID}); err != nil {
			t.Fatal(err)
		}
		yes := true
		if _, err := ts.Svc.UpdateList(ctx, staff, l.ID, starling.ListChange{Featured: &yes}); err != nil {
			t.Fatal(err)
		}
		var got []struct {
			Source  string
			Sources []string
			Account struct{ Username string }
		}
		ts.MustCall(t, get("/api/v2/suggestions", u["me"].Token), 200, &got)
		var order []string
		for _, s := range got {
			order = append(order, s.Account.Username+":"+s.Sources[0])
		}
		want := []string{"pick:featured", "famous:friends_of_friends", "shared:friends_of_friends", "once:friends_of_friends"}
		if len(order) < len(want) {
			t.Fatalf("suggestions = %v, want %v first", order, want)
		}
		for i, w := range want {
			if order[i] != w {
				t.Fatalf("suggestions = %v, want %v first", order, want)
			}
		}
		for _, s := range order {
			if s == "me:most_followed" || s == "friend1:most_followed" || s == "friend2:most_followed" {
				t.Fatalf("suggested %s: themselves or someone followed", s)
			}
		}
	})
}
