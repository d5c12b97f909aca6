package mastodon_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/coder/websocket"

	"starling/sqldb/sqldbtest"
)

// TestStreamingFilters: over a real WebSocket, a status a reader's warn
// filter matches arrives with its "filtered" field for that reader only;
// creating, changing and deleting a filter reaches an open stream at once
// (a filters_changed event, and the next statuses follow the new rules)
// without reconnecting.
func TestStreamingFilters(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ts := MustServer(t, engine)
		alice, bob, carol := ts.MustUser(t, "alice"), ts.MustUser(t, "bob"), ts.MustUser(t, "carol")
		for _, u := range []user{alice, carol} {
			ts.MustCall(t, post("/api/v1/accounts/"+bob.ID()+"/follow", u.Token, nil), http.StatusOK, nil)
		}
		aliceWS := ts.mustWebSocket(t, alice.Token, "stream=user")
		carolWS := ts.mustWebSocket(t, carol.Token, "stream=user")
		time.Sleep(100 * time.Millisecond) // the subscriptions are taken before anything happens

		type statusJSON struct {
			ID       string `json:"id"`
			Filtered []struct {
				Filter struct {
					Title        string `json:"title"`
					FilterAction string `json:"filter_action"`
				} `json:"filter"`
				KeywordMatches []string `json:"keyword_matches"`
			} `json:"filtered"`
		}
		nextUpdate := func(conn *websocket.Conn, who string) statusJSON {
			t.Helper()
			m := nextWS(t, conn, 2*time.Second)
			if m.Event != "update" {
				t.Fatalf("%s got %+v, want an update", who, m)
			}
			var s statusJSON
			if err := json.Unmarshal([]byte(m.Payload), &s); err != nil {
				t.Fatal(err)
			}
			return s
		}
		wantFiltersChanged := func() {
			t.Helper()
			if m := nextWS(t, aliceWS, 2*time.Second); m.Event != "filters_changed" || m.Stream[0] != "user" {
				t.Fatalf("alice got %+v, want filters_changed", m)
			}
		}

		var f struct {
			ID string `json:"id"`
		}
		ts.MustCall(t, request{method: "POST", path: "/api/v2/filters", token: alice.Token, json: map[string]any{
			"title": "Telly", "context": []string{"home"}, "filter_action": "warn",
			"keywords_attributes": []map[string]any{{"keyword": "finale"}},
		}}, http.StatusOK, &f)
		wantFiltersChanged()

		first := ts.MustPost(t, bob.Token, url.Values{"status": {"Who saw the finale?"}})
		got := nextUpdate(aliceWS, "alice")
		if got.ID != first.ID || len(got.Filtered) != 1 || got.Filtered[0].Filter.Title != "Telly" || got.Filtered[0].Filter.FilterAction != "warn" ||
			len(got.Filtered[0].KeywordMatches) != 1 || got.Filtered[0].KeywordMatches[0] != "finale" {
			t.Fatalf("alice's update: %+v", got)
		}
		if got := nextUpdate(carolWS, "carol"); got.ID != first.ID || len(got.Filtered) != 0 {
			t.Fatalf("carol, who has no filter, got %+v", got)
		}

		// Changed to hide: the next matching post never arrives.
		ts.MustCall(t, request{method: "PUT", path: "/api/v2/filters/" + f.ID, token: alice.Token, json: map[string]any{"filter_action": "hide"}}, http.StatusOK, nil)
		wantFiltersChanged()
		ts.MustPost(t, bob.Token, url.Values{"status": {"The finale, again"}})
		plain := ts.MustPost(t, bob.Token, url.Values{"status": {"Rota swap on Friday?"}})
		if got := nextUpdate(aliceWS, "alice"); got.ID != plain.ID || len(got.Filtered) != 0 {
			t.Fatalf("after the change to hide alice got %+v, want only the unmatched post", got)
		}

		// Deleted: matching posts arrive unmarked.
		ts.MustCall(t, request{method: "DELETE", path: "/api/v2/filters/" + f.ID, token: alice.Token}, http.StatusOK, nil)
		wantFiltersChanged()
		last := ts.MustPost(t, bob.Token, url.Values{"status": {"Finale thoughts"}})
		if got := nextUpdate(aliceWS, "alice"); got.ID != last.ID || len(got.Filtered) != 0 {
			t.Fatalf("after deleting the filter alice got %+v", got)
		}
	})
}
