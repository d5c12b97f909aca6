package mastodon_test

import (
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"starling/mastodon"
)

func TestGroupedNotifications(t *testing.T) {
	ts := MustServer(t, "sqlite")
	alice, bob, carol := ts.MustUser(t, "alice"), ts.MustUser(t, "bob"), ts.MustUser(t, "carol")
	s := ts.MustPostText(t, alice.Token, "hello")
	ts.MustCall(t, post("/api/v1/statuses/"+s.ID+"/favourite", bob.Token, nil), http.StatusOK, nil)
	ts.MustCall(t, post("/api/v1/statuses/"+s.ID+"/favourite", carol.Token, nil), http.StatusOK, nil)
	ts.MustCall(t, post("/api/v1/accounts/"+alice.ID()+"/follow", bob.Token, nil), http.StatusOK, nil)

	var got mastodon.GroupedNotifications
	ts.MustCall(t, get("/api/v2/notifications", alice.Token), http.StatusOK, &got)
	var types []string
	for _, g := range got.NotificationGroups {
		types = append(types, g.Type)
		if g.NotificationsCount != 1 || len(g.SampleAccountIDs) != 1 || g.GroupKey != "ungrouped-"+g.MostRecentNotificationID {
			t.Errorf("group %+v", g)
		}
	}
	if diff := cmp.Diff([]string{"follow", "favourite", "favourite"}, types); diff != "" {
		t.Fatalf("group types (-want +got):\n%s", diff)
	}
	// Accounts and statuses are listed once each, beside the groups.
	if len(got.Accounts) != 2 || len(got.Statuses) != 1 || got.Statuses[0].ID != s.ID {
		t.Fatalf("accounts %d, statuses %d; want 2 and the one status", len(got.Accounts), len(got.Statuses))
	}
	fav := got.NotificationGroups[1]
	if fav.StatusID == nil || *fav.StatusID != s.ID {
		t.Fatalf("favourite group status_id = %v", fav.StatusID)
	}

	var one mastodon.GroupedNotifications
	ts.MustCall(t, get("/api/v2/notifications/"+fav.GroupKey, alice.Token), http.StatusOK, &one)
	if len(one.NotificationGroups) != 1 || one.NotificationGroups[0].GroupKey != fav.GroupKey {
		t.Fatalf("one group = %+v", one.NotificationGroups)
	}
	var accounts []*mastodon.Account
	ts.MustCall(t, get("/api/v2/notifications/"+fav.GroupKey+"/accounts", alice.Token), http.StatusOK, &accounts)
	if len(accounts) != 1 || accounts[0].ID != fav.SampleAccountIDs[0] {
		t.Fatalf("group accounts = %+v", accounts)
	}
	ts.MustError(t, get("/api/v2/notifications/"+fav.GroupKey, bob.Token), http.StatusNotFound)
	ts.MustError(t, get("/api/v2/notifications/favourite-123", alice.Token), http.StatusNotFound)
	ts.MustCall(t, post("/api/v2/notifications/"+fav.GroupKey+"/dismiss", alice.Token, nil), http.StatusOK, nil)
	ts.MustCall(t, get("/api/v2/notifications", alice.Token), http.StatusOK, &got)
	if len(got.NotificationGroups) != 2 {
		t.Fatalf("after dismissing one group, %d remain; want 2", len(got.NotificationGroups))
	}
	var count struct{ Count int }
	ts.MustCall(t, get("/api/v2/notifications/unread_count", alice.Token), http.StatusOK, &count)
	if count.Count != 2 {
		t.Fatalf("unread_count = %d, want 2", count.Count)
	}
}
