package mastodon_test

import (
	"net/http"
	"net/url"
	"testing"

	"starling/mastodon"
	"starling/sqldb/sqldbtest"
)

// TestGolden checks the JSON of each entity against testdata/*.json. Both
// engines compare with the same files, so they must render identically.
func TestGolden(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ts := MustServer(t, engine)
		alice, bob, carol := ts.MustUser(t, "alice"), ts.MustUser(t, "bob"), ts.MustUser(t, "carol")
		ts.MustCall(t, request{method: "PATCH", path: "/api/v1/accounts/update_credentials", token: alice.Token, form: url.Values{
			"display_name": {"Alice Liddell"}, "note": {"Social worker.\n\nLikes <tea> & cake."},
			"fields_attributes[0][name]": {"Pronouns"}, "fields_attributes[0][value]": {"she/her"},
			"fields_attributes[1][name]": {"Site"}, "fields_attributes[1][value]": {"https://example.org/alice"},
		}}, http.StatusOK, nil)
		ts.MustCall(t, post("/api/v1/accounts/"+alice.ID()+"/follow", carol.Token, nil), http.StatusOK, nil)
		st := ts.MustPostText(t, alice.Token, "Hello @bob, see https://example.org/a/very/long/path/to/a/page #Starling")
		var reblog mastodon.Status
		ts.MustCall(t, post("/api/v1/statuses/"+st.ID+"/reblog", carol.Token, nil), http.StatusOK, &reblog)
		reply := ts.MustPost(t, bob.Token, url.Values{"status": {"@alice thanks!"}, "in_reply_to_id": {st.ID}})
		edited := ts.MustPostText(t, alice.Token, "first draft")
		ts.MustCall(t, request{method: "PUT", path: "/api/v1/statuses/" + edited.ID, token: alice.Token,
			form: url.Values{"status": {"second draft"}, "spoiler_text": {"drafts"}}}, http.StatusOK, nil)
		var list mastodon.List
		ts.MustCall(t, post("/api/v1/lists", alice.Token, url.Values{"title": {"Friends"}}), http.StatusOK, &list)

		// Each subtest only reads, so any of them can run alone.
		golden := func(t *testing.T, name string, r request) response {
			t.Helper()
			res := ts.MustCall(t, r, http.StatusOK, nil)
			ts.MustMatchGolden(t, name, res.Body)
			return res
		}

		t.Run("Account", func(t *testing.T) {
			golden(t, "account", get("/api/v1/accounts/"+alice.ID(), ""))
		})
		t.Run("CredentialAccount", func(t *testing.T) {
			golden(t, "credential_account", get("/api/v1/accounts/verify_credentials", alice.Token))
		})
		t.Run("StatusAsAuthor", func(t *testing.T) {
			golden(t, "status_author", get("/api/v1/statuses/"+st.ID, alice.Token))
		})
		t.Run("StatusSignedOut", func(t *testing.T) {
			golden(t, "status_signed_out", get("/api/v1/statuses/"+st.ID, ""))
			var m map[string]any
			ts.MustCall(t, get("/api/v1/statuses/"+st.ID, ""), http.StatusOK, &m)
			for _, k := range []string{"favourited", "reblogged", "bookmarked", "muted", "pinned", "filtered"} {
				if _, ok := m[k]; ok {
					t.Errorf("signed-out status has %q", k)
				}
			}
		})
		t.Run("Reblog", func(t *testing.T) {
			golden(t, "reblog", get("/api/v1/statuses/"+reblog.ID, carol.Token))
		})
		t.Run("Relationship", func(t *testing.T) {
			golden(t, "relationship", get("/api/v1/accounts/relationships?id[]="+alice.ID(), carol.Token))
		})
		t.Run("Notification", func(t *testing.T) {
			golden(t, "notification", get("/api/v1/notifications?types[]=mention", bob.Token))
		})
		t.Run("List", func(t *testing.T) {
			golden(t, "list", get("/api/v1/lists/"+list.ID, alice.Token))
		})
		t.Run("Context", func(t *testing.T) {
			golden(t, "context", get("/api/v1/statuses/"+reply.ID+"/context", bob.Token))
		})
		t.Run("History", func(t *testing.T) {
			golden(t, "history", get("/api/v1/statuses/"+edited.ID+"/history", ""))
		})
		t.Run("Application", func(t *testing.T) {
			golden(t, "application", post("/api/v1/apps", "", url.Values{
				"client_name": {"Tootle"}, "website": {"https://tootle.example"},
				"redirect_uris": {"urn:ietf:wg:oauth:2.0:oob\nhttp://127.0.0.1:4567/callback"}, "scopes": {"read write"},
			}))
		})
		t.Run("Token", func(t *testing.T) {
			var app mastodon.Application
			ts.MustCall(t, post("/api/v1/apps", "", url.Values{"client_name": {"Tootle"}, "redirect_uris": {"urn:ietf:wg:oauth:2.0:oob"}, "scopes": {"read write"}}), http.StatusOK, &app)
			golden(t, "token", post("/oauth/token", "", url.Values{
				"grant_type": {"client_credentials"}, "client_id": {app.ClientID}, "client_secret": {app.ClientSecret}, "scope": {"read"},
			}))
		})
		t.Run("InstanceV1", func(t *testing.T) { golden(t, "instance_v1", get("/api/v1/instance", "")) })
		t.Run("InstanceV2", func(t *testing.T) { golden(t, "instance_v2", get("/api/v2/instance", "")) })
		t.Run("NodeInfo", func(t *testing.T) {
			golden(t, "nodeinfo_index", get("/.well-known/nodeinfo", ""))
			res := golden(t, "nodeinfo", get("/nodeinfo/2.0", ""))
			if ct := res.Header.Get("Content-Type"); ct != `application/json; profile="http://nodeinfo.diaspora.software/ns/schema/2.0#"` {
				t.Errorf("Content-Type %q, want the NodeInfo 2.0 profile", ct)
			}
		})
		t.Run("WebFinger", func(t *testing.T) {
			res := golden(t, "webfinger", get("/.well-known/webfinger?resource=acct:alice@"+ts.Host, ""))
			if ct := res.Header.Get("Content-Type"); ct != "application/jrd+json; charset=utf-8" {
				t.Errorf("Content-Type %q, want application/jrd+json (RFC 7033)", ct)
			}
			for _, resource := range []string{"acct:ALICE@" + ts.Host, "acct:@alice@" + ts.Host, ts.URL + "/@alice", ts.URL + "/users/alice"} {
				var jrd struct{ Subject string }
				ts.MustCall(t, get("/.well-known/webfinger?resource="+url.QueryEscape(resource), ""), http.StatusOK, &jrd)
				if jrd.Subject != "acct:alice@"+ts.Host {
					t.Errorf("resource %s: subject %q", resource, jrd.Subject)
				}
			}
		})
		t.Run("Tag", func(t *testing.T) {
			golden(t, "tag", get("/api/v1/tags/Starling", bob.Token))
		})
	})
}
