package mastodon_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"

	"starling/mastodon"
	"starling/sqldb/sqldbtest"
)

// MustNotifications lists the token owner's notifications as "type:from" strings, newest first.
func (ts *testServer) MustNotifications(tb testing.TB, path, token string) ([]string, []*mastodon.Notification) {
	tb.Helper()
	var list []*mastodon.Notification
	ts.MustCall(tb, get(path, token), http.StatusOK, &list)
	var out []string
	for _, n := range list {
		out = append(out, n.Type+":"+n.Account.Username)
	}
	return out, list
}

func TestNotifications(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ts := MustServer(t, engine)
		alice, bob, carol := ts.MustUser(t, "alice"), ts.MustUser(t, "bob"), ts.MustUser(t, "carol")
		s := ts.MustPostText(t, alice.Token, "hello")
		ts.MustCall(t, post("/api/v1/accounts/"+alice.ID()+"/follow", bob.Token, nil), http.StatusOK, nil)
		ts.MustCall(t, post("/api/v1/statuses/"+s.ID+"/favourite", bob.Token, nil), http.StatusOK, nil)
		ts.MustCall(t, post("/api/v1/statuses/"+s.ID+"/reblog", carol.Token, nil), http.StatusOK, nil)
		mention := ts.MustPostText(t, carol.Token, "hi @alice")
		all := []string{"mention:carol", "reblog:carol", "favourite:bob", "follow:bob"}

		tests := []struct {
			name  string
			query string
			want  []string
		}{
			{"All", "", all},
			{"Types", "?types[]=mention&types[]=follow", []string{"mention:carol", "follow:bob"}},
			{"ExcludeTypes", "?exclude_types[]=mention&exclude_types[]=reblog", []string{"favourite:bob", "follow:bob"}},
			{"TypesAndExclude", "?types[]=mention&types[]=follow&exclude_types[]=follow", []string{"mention:carol"}},
			{"FromAccount", "?account_id=" + carol.ID(), []string{"mention:carol", "reblog:carol"}},
			{"Limit", "?limit=2", all[:2]},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, _ := ts.MustNotifications(t, "/api/v1/notifications"+tt.query, alice.Token)
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("(-want +got):\n%s", diff)
				}
			})
		}
		t.Run("StatusAttached", func(t *testing.T) {
			_, list := ts.MustNotifications(t, "/api/v1/notifications?types[]=mention", alice.Token)
			if len(list) != 1 || list[0].Status == nil || list[0].Status.ID != mention.ID {
				t.Fatalf("mention notification %+v lacks the status", list)
			}
			var one mastodon.Notification
			ts.MustCall(t, get("/api/v1/notifications/"+list[0].ID, alice.Token), http.StatusOK, &one)
			if one.ID != list[0].ID || one.Type != "mention" {
				t.Errorf("notification %+v", one)
			}
			ts.MustError(t, get("/api/v1/notifications/"+list[0].ID, bob.Token), http.StatusNotFound)
		})
		t.Run("Paging", func(t *testing.T) {
			_, first := ts.MustNotifications(t, "/api/v1/notifications?limit=2", alice.Token)
			res := ts.MustCall(t, get("/api/v1/notifications?limit=2", alice.Token), http.StatusOK, nil)
			got, _ := ts.MustNotifications(t, links(t, res.Header)["next"], alice.Token)
			if diff := cmp.Diff(all[2:], got); diff != "" || len(first) != 2 {
				t.Errorf("second page (-want +got):\n%s", diff)
			}
		})
		t.Run("UnreadCountAndMarkers", func(t *testing.T) {
			count := func() int {
				var c struct{ Count int }
				ts.MustCall(t, get("/api/v1/notifications/unread_count", alice.Token), http.StatusOK, &c)
				return c.Count
			}
			if n := count(); n != 4 {
				t.Errorf("unread_count = %d with no marker, want 4", n)
			}
			_, list := ts.MustNotifications(t, "/api/v1/notifications", alice.Token)
			var saved map[string]mastodon.Marker
			ts.MustCall(t, post("/api/v1/markers", alice.Token, url.Values{"notifications[last_read_id]": {list[1].ID}}), http.StatusOK, &saved)
			if saved["notifications"].LastReadID != list[1].ID {
				t.Errorf("saved markers %+v", saved)
			}
			if n := count(); n != 1 {
				t.Errorf("unread_count = %d after reading all but one, want 1", n)
			}
			ts.MustCall(t, request{method: "POST", path: "/api/v1/markers", token: alice.Token,
				json: map[string]any{"notifications": map[string]any{"last_read_id": list[0].ID}, "home": map[string]any{"last_read_id": s.ID}}}, http.StatusOK, &saved)
			if n := count(); n != 0 {
				t.Errorf("unread_count = %d after reading all, want 0", n)
			}
			var got map[string]mastodon.Marker
			ts.MustCall(t, get("/api/v1/markers?timeline[]=home&timeline[]=notifications", alice.Token), http.StatusOK, &got)
			if got["home"].LastReadID != s.ID || got["notifications"].LastReadID != list[0].ID || got["notifications"].Version < 1 {
				t.Errorf("markers %+v", got)
			}
			var home map[string]mastodon.Marker
			ts.MustCall(t, get("/api/v1/markers?timeline[]=home", alice.Token), http.StatusOK, &home)
			if _, ok := home["notifications"]; ok || len(home) != 1 {
				t.Errorf("markers for home only: %+v", home)
			}
			// A JSON number for the ID works as well as a string.
			var fromNumber map[string]mastodon.Marker
			ts.MustCall(t, request{method: "POST", path: "/api/v1/markers", token: alice.Token,
				body: `{"home": {"last_read_id": ` + mention.ID + `}}`, contentType: "application/json"}, http.StatusOK, &fromNumber)
			if fromNumber["home"].LastReadID != mention.ID {
				t.Errorf("marker saved from a JSON number: %+v", fromNumber)
			}
		})
		t.Run("Dismiss", func(t *testing.T) {
			_, list := ts.MustNotifications(t, "/api/v1/notifications?types[]=favourite", alice.Token)
			ts.MustCall(t, post("/api/v1/notifications/"+list[0].ID+"/dismiss", alice.Token, nil), http.StatusOK, nil)
			got, _ := ts.MustNotifications(t, "/api/v1/notifications", alice.Token)
			if diff := cmp.Diff([]string{"mention:carol", "reblog:carol", "follow:bob"}, got); diff != "" {
				t.Errorf("after dismissing (-want +got):\n%s", diff)
			}
			ts.MustError(t, post("/api/v1/notifications/"+list[0].ID+"/dismiss", alice.Token, nil), http.StatusNotFound)
		})
		t.Run("Clear", func(t *testing.T) {
			ts.MustCall(t, post("/api/v1/notifications/clear", alice.Token, nil), http.StatusOK, nil)
			got, _ := ts.MustNotifications(t, "/api/v1/notifications", alice.Token)
			if len(got) != 0 {
				t.Errorf("after clearing: %v", got)
			}
		})
	})
}

func TestConversations(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ts := MustServer(t, engine)
		alice, bob, carol := ts.MustUser(t, "alice"), ts.MustUser(t, "bob"), ts.MustUser(t, "carol")
		first := ts.MustPost(t, alice.Token, url.Values{"status": {"@bob secret"}, "visibility": {"direct"}})
		reply := ts.MustPost(t, bob.Token, url.Values{"status": {"@alice got it"}, "visibility": {"direct"}, "in_reply_to_id": {first.ID}})
		other := ts.MustPost(t, alice.Token, url.Values{"status": {"@carol another"}, "visibility": {"direct"}})
		ts.MustPostText(t, alice.Token, "a public post is no conversation")

		var convs []*mastodon.Conversation
		ts.MustCall(t, get("/api/v1/conversations", alice.Token), http.StatusOK, &convs)
		type row struct {
			Last   string
			With   []string
			Unread bool
		}
		var got []row
		for _, c := range convs {
			got = append(got, row{c.LastStatus.ID, accountIDs(c.Accounts), c.Unread})
		}
		want := []row{{other.ID, []string{carol.ID()}, false}, {reply.ID, []string{bob.ID()}, true}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("alice's conversations (-want +got):\n%s", diff)
		}
		var read mastodon.Conversation
		ts.MustCall(t, post("/api/v1/conversations/"+convs[1].ID+"/read", alice.Token, nil), http.StatusOK, &read)
		if read.Unread || read.ID != convs[1].ID {
			t.Errorf("after reading: %+v", read)
		}
		res := ts.MustCall(t, get("/api/v1/conversations?limit=1", alice.Token), http.StatusOK, &convs)
		if len(convs) != 1 || links(t, res.Header)["next"] == "" {
			t.Errorf("first page of one: %d conversations, links %q", len(convs), res.Header.Get("Link"))
		}
		ts.MustCall(t, get(links(t, res.Header)["next"], alice.Token), http.StatusOK, &convs)
		if len(convs) != 1 || convs[0].LastStatus.ID != reply.ID {
			t.Errorf("second page: %+v", convs)
		}
		// Carol is in none of alice and bob's thread.
		ts.MustCall(t, get("/api/v1/conversations", carol.Token), http.StatusOK, &convs)
		if len(convs) != 1 || convs[0].LastStatus.ID != other.ID {
			t.Errorf("carol's conversations: %+v", convs)
		}
		ts.MustCall(t, request{method: "DELETE", path: "/api/v1/conversations/" + convs[0].ID, token: carol.Token}, http.StatusOK, nil)
		ts.MustCall(t, get("/api/v1/conversations", carol.Token), http.StatusOK, &convs)
		if len(convs) != 0 {
			t.Errorf("after removing: %+v", convs)
		}
		ts.MustError(t, post("/api/v1/conversations/12345/read", carol.Token, nil), http.StatusNotFound)
	})
}
