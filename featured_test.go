package starling_test

import (
	"context"
	"testing"

	"starling"
	"starling/apptest"
	"starling/sqldb/sqldbtest"
)

func TestFeaturedListsAndSuggestions(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		svc, db := apptest.MustService(t, engine, apptest.Instance())
		boss, ann, ben, locked, newbie := apptest.MustAccount(t, svc, "boss"), apptest.MustAccount(t, svc, "ann"),
			apptest.MustAccount(t, svc, "ben"), apptest.MustAccount(t, svc, "lockie"), apptest.MustAccount(t, svc, "newbie")
		u, err := db.User(ctx, boss.ID)
		if err != nil {
			t.Fatal(err)
		}
		u.Role = starling.RoleAdmin
		if err := db.Update(ctx, func(tx starling.Tx) error { return tx.UpdateUser(ctx, u) }); err != nil {
			t.Fatal(err)
		}
		yes := true
		if _, err := svc.UpdateProfile(ctx, locked, starling.ProfileUpdate{Locked: &yes}); err != nil {
			t.Fatal(err)
		}
		for _, a := range []*starling.Account{ann, ben, locked} {
			MustFollow(t, svc, boss, a)
		}
		if _, err := svc.AuthorizeFollowRequest(ctx, locked, boss.ID); err != nil {
			t.Fatal(err)
		}
		l, err := svc.CreateList(ctx, boss, starling.List{Title: "Worth following", Featured: true})
		if err != nil || l.Featured {
			t.Fatalf("create = %+v, %v; a list must not start featured", l, err)
		}
		if err := svc.AddListMembers(ctx, boss, l.ID, []int64{ann.ID, ben.ID, locked.ID}); err != nil {
			t.Fatal(err)
		}
		if got, _ := svc.FeaturedLists(ctx); len(got) != 0 {
			t.Fatalf("featured before staff chose it: %v", got)
		}

		// Only staff may suggest a list.
		annList, _ := svc.CreateList(ctx, ann, starling.List{Title: "Mine"})
		if _, err := svc.UpdateList(ctx, ann, annList.ID, starling.ListChange{Featured: &yes}); starling.ErrorCode(err) != starling.EFORBIDDEN {
			t.Fatalf("member featured a list: err = %v", err)
		}
		if _, err := svc.UpdateList(ctx, boss, l.ID, starling.ListChange{Featured: &yes}); err != nil {
			t.Fatal(err)
		}
		got, err := svc.FeaturedLists(ctx)
		if err != nil || len(got) != 1 || got[0].List.ID != l.ID || len(got[0].Members) != 3 {
			t.Fatalf("featured = %+v, %v", got, err)
		}

		// Suggestions: most followed first, never oneself or someone already followed.
		sugg, err := svc.SuggestedAccounts(ctx, newbie, 10)
		if err != nil || len(sugg) != 4 || sugg[0].FollowersCount != 1 {
			t.Fatalf("suggestions = %v, %v", sugg, err)
		}
		for _, a := range sugg {
			if a.ID == newbie.ID {
				t.Error("suggested to follow oneself")
			}
		}

		own, err := svc.FollowList(ctx, newbie, l.ID)
		if err != nil || own.Title != "Worth following" || own.AccountID != newbie.ID || own.Featured {
			t.Fatalf("copy = %+v, %v", own, err)
		}
		members, _ := svc.ListMembers(ctx, newbie, own.ID, starling.Page{})
		if len(members) != 2 { // ann and ben; lockie has only been asked
			t.Fatalf("members of the copy = %d, want 2", len(members))
		}
		rel, _ := svc.Relationship(ctx, newbie, locked.ID)
		if !rel.Requested {
			t.Errorf("locked account: %+v, want a follow request", rel)
		}
		if again, err := svc.FollowList(ctx, newbie, l.ID); err != nil || again.ID != own.ID {
			t.Fatalf("second time = %+v, %v; want the same list", again, err)
		}
		sugg, _ = svc.SuggestedAccounts(ctx, newbie, 10)
		for _, a := range sugg {
			if a.ID == ann.ID || a.ID == ben.ID {
				t.Errorf("suggested %s, already followed", a.Username)
			}
		}
		if _, err := svc.FollowList(ctx, newbie, annList.ID); starling.ErrorCode(err) != starling.ENOTFOUND {
			t.Fatalf("copying a list that is not featured: err = %v", err)
		}
	})
}
