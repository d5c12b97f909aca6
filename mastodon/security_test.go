package mastodon_test

// Security tests of the Mastodon API: each tries an attack and checks it is
// refused and that nothing changed. Run with -run Security.

import (
	"bytes"
	"context"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"starling"
	"starling/mastodon"
)

// Payloads stored in every text a member controls.
var xssPayloads = []string{
	`<script>window.__xss=1</script>`,
	`<img src=x onerror="window.__xss=1">`,
	`"><svg onload=window.__xss=1>`,
	`<a href="javascript:window.__xss=1">click</a>`,
	`javascript:window.__xss=1`,
	`<iframe src="javascript:window.__xss=1"></iframe>`,
	`<style>@import 'x'</style><p style="background:url(javascript:x)">`,
}

var xssText = strings.Join(xssPayloads, " ")

// mustSafeHTML fails unless s, an HTML fragment from the API, has only the
// elements and attributes Mastodon's sanitiser lets through, no event
// handlers and no script-bearing link.
func mustSafeHTML(t *testing.T, what, s string) {
	t.Helper()
	nodes, err := html.ParseFragment(strings.NewReader(s), &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div})
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	allowed := map[string]bool{"p": true, "br": true, "a": true, "span": true, "del": true, "pre": true, "code": true,
		"em": true, "strong": true, "b": true, "i": true, "u": true, "ul": true, "ol": true, "li": true, "blockquote": true}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			if !allowed[n.Data] {
				t.Errorf("%s: element <%s> in %q", what, n.Data, s)
			}
			for _, a := range n.Attr {
				v := strings.ToLower(strings.TrimSpace(a.Val))
				switch {
				case strings.HasPrefix(a.Key, "on"), a.Key == "style", a.Key == "src", a.Key == "srcdoc":
					t.Errorf("%s: attribute %s=%q in %q", what, a.Key, a.Val, s)
				case a.Key == "href" && !(strings.HasPrefix(v, "http://") || strings.HasPrefix(v, "https://")):
					t.Errorf("%s: link to %q in %q", what, a.Val, s)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range nodes {
		walk(n)
	}
}

// TestSecurityPrivatePostsByID: a member who is not a follower or recipient
// asks for another member's followers-only post and direct message by ID,
// and acts on them. Every call is 404, exactly as for a post that does not
// exist, and no action leaves a trace.
func TestSecurityPrivatePostsByID(t *testing.T) {
	ts := MustServer(t, "sqlite")
	alice, bob, carol, mallory := ts.MustUser(t, "alice"), ts.MustUser(t, "bob"), ts.MustUser(t, "carol"), ts.MustUser(t, "mallory")
	ts.MustCall(t, post("/api/v1/accounts/"+alice.ID()+"/follow", bob.Token, nil), http.StatusOK, nil)
	private := ts.MustPost(t, alice.Token, url.Values{"status": {"followers only secret"}, "visibility": {"private"}})
	direct := ts.MustPost(t, alice.Token, url.Values{"status": {"@carol direct secret"}, "visibility": {"direct"}})

	// The scene is real: the follower and the recipient can read them.
	ts.MustCall(t, get("/api/v1/statuses/"+private.ID, bob.Token), http.StatusOK, nil)
	ts.MustCall(t, get("/api/v1/statuses/"+direct.ID, carol.Token), http.StatusOK, nil)

	for _, tt := range []struct{ name, id string }{{"Private", private.ID}, {"Direct", direct.ID}} {
		for _, who := range []struct{ name, token string }{{"Stranger", mallory.Token}, {"Anonymous", ""}} {
			t.Run(tt.name+"/"+who.name, func(t *testing.T) {
				p := "/api/v1/statuses/" + tt.id
				reqs := []request{
					get(p, who.token), get(p+"/context", who.token), get(p+"/reblogged_by", who.token),
					get(p+"/favourited_by", who.token), get(p+"/history", who.token),
				}
				if who.token != "" {
					reqs = append(reqs, get(p+"/source", who.token),
						post(p+"/favourite", who.token, nil), post(p+"/reblog", who.token, nil),
						post(p+"/bookmark", who.token, nil), post(p+"/pin", who.token, nil))
				}
				for _, r := range reqs {
					msg := ts.MustError(t, r, http.StatusNotFound)
					if strings.Contains(msg, "secret") {
						t.Errorf("%s %s: error %q leaks the post", r.method, r.path, msg)
					}
				}
			})
		}
	}
	// Nothing mallory did shows: no favourite, reblog or bookmark.
	for _, id := range []string{private.ID} {
		var s mastodon.Status
		ts.MustCall(t, get("/api/v1/statuses/"+id, alice.Token), http.StatusOK, &s)
		if s.FavouritesCount != 0 || s.ReblogsCount != 0 {
			t.Errorf("after the attempts, %s has %d favourites and %d reblogs", id, s.FavouritesCount, s.ReblogsCount)
		}
	}
	var marks []*mastodon.Status
	ts.MustCall(t, get("/api/v1/bookmarks", mallory.Token), http.StatusOK, &marks)
	var favs []*mastodon.Status
	ts.MustCall(t, get("/api/v1/favourites", mallory.Token), http.StatusOK, &favs)
	if len(marks) != 0 || len(favs) != 0 {
		t.Errorf("mallory has bookmarks %v and favourites %v", ids(marks), ids(favs))
	}
}

// TestSecurityEditDeleteOthersPost: another member cannot edit or delete a
// post; the post is unchanged afterwards.
func TestSecurityEditDeleteOthersPost(t *testing.T) {
	ts := MustServer(t, "sqlite")
	alice, mallory := ts.MustUser(t, "alice"), ts.MustUser(t, "mallory")
	st := ts.MustPostText(t, alice.Token, "Original words")
	for _, r := range []request{
		{method: "PUT", path: "/api/v1/statuses/" + st.ID, token: mallory.Token, form: url.Values{"status": {"Mallory's words"}}},
		{method: "PUT", path: "/api/v1/statuses/" + st.ID, token: mallory.Token, json: map[string]any{"status": "Mallory's words"}},
		{method: "DELETE", path: "/api/v1/statuses/" + st.ID, token: mallory.Token},
	} {
		ts.MustError(t, r, http.StatusNotFound)
	}
	// Pinning another's post is a validation error, as in Mastodon.
	ts.MustError(t, post("/api/v1/statuses/"+st.ID+"/pin", mallory.Token, nil), http.StatusUnprocessableEntity)
	var after mastodon.Status
	ts.MustCall(t, get("/api/v1/statuses/"+st.ID, ""), http.StatusOK, &after)
	if !strings.Contains(after.Content, "Original words") || after.EditedAt != nil || after.Pinned != nil && *after.Pinned {
		t.Errorf("post changed: content %q, edited_at %v", after.Content, after.EditedAt)
	}
	// Without a token at all, the same calls are 401.
	ts.MustError(t, request{method: "DELETE", path: "/api/v1/statuses/" + st.ID}, http.StatusUnauthorized)
	ts.MustError(t, request{method: "PUT", path: "/api/v1/statuses/" + st.ID, form: url.Values{"status": {"x"}}}, http.StatusUnauthorized)
}

// TestSecurityReadOnlyToken: a token with scope read cannot write. Each
// call is 403 with a Mastodon error body, and nothing was written.
func TestSecurityReadOnlyToken(t *testing.T) {
	ts, _ := mustMediaServer(t)
	alice, bob := ts.MustUser(t, "alice"), ts.MustUser(t, "bob")
	st := ts.MustPostText(t, bob.Token, "Bob's post")
	for _, scopes := range [][]string{{"read"}, {"read:statuses", "read:accounts"}, {"follow"}} {
		t.Run(strings.Join(scopes, "+"), func(t *testing.T) {
			ro := ts.MustTokenFor(t, alice.Account.ID, scopes...)
			var mp bytes.Buffer
			mw := multipart.NewWriter(&mp)
			fw, _ := mw.CreateFormFile("file", "photo.jpg")
			_, _ = fw.Write(jpegWithGPS(t))
			mw.Close()
			writes := []request{
				post("/api/v1/statuses", ro, url.Values{"status": {"written with a read token"}}),
				post("/api/v1/statuses/"+st.ID+"/favourite", ro, nil),
				post("/api/v1/statuses/"+st.ID+"/reblog", ro, nil),
				post("/api/v1/statuses/"+st.ID+"/bookmark", ro, nil),
				{method: "POST", path: "/api/v2/media", token: ro, body: mp.String(), contentType: mw.FormDataContentType()},
				{method: "PATCH", path: "/api/v1/accounts/update_credentials", token: ro, form: url.Values{"display_name": {"Owned"}}},
				post("/api/v1/lists", ro, url.Values{"title": {"Owned"}}),
			}
			if scopes[0] != "follow" { // the legacy follow scope covers following
				writes = append(writes, post("/api/v1/accounts/"+bob.ID()+"/follow", ro, nil))
			}
			for _, r := range writes {
				msg := ts.MustError(t, r, http.StatusForbidden)
				if msg == "" {
					t.Errorf("%s %s: no message", r.method, r.path)
				}
			}
		})
	}
	// Nothing happened.
	var me mastodon.Account
	ts.MustCall(t, get("/api/v1/accounts/verify_credentials", alice.Token), http.StatusOK, &me)
	if me.StatusesCount != 0 || me.FollowingCount != 0 || me.DisplayName == "Owned" {
		t.Errorf("alice after the attempts: %d posts, following %d, display name %q", me.StatusesCount, me.FollowingCount, me.DisplayName)
	}
	var s mastodon.Status
	ts.MustCall(t, get("/api/v1/statuses/"+st.ID, bob.Token), http.StatusOK, &s)
	if s.FavouritesCount != 0 || s.ReblogsCount != 0 {
		t.Errorf("bob's post: %d favourites, %d reblogs", s.FavouritesCount, s.ReblogsCount)
	}
	// The read token can still read: the refusals were about scope.
	ro := ts.MustTokenFor(t, alice.Account.ID, "read")
	ts.MustCall(t, get("/api/v1/accounts/verify_credentials", ro), http.StatusOK, nil)
}

// TestSecurityRevokedToken: a token revoked through /oauth/revoke is 401 on
// every call, and another app cannot revoke a token it did not issue.
func TestSecurityRevokedToken(t *testing.T) {
	ts := MustServer(t, "sqlite")
	alice := ts.MustUser(t, "alice")
	ctx := context.Background()
	app := ts.MustApp(t, starling.OOBRedirectURI, "read write follow")
	other := ts.MustApp(t, starling.OOBRedirectURI, "read write follow")
	code, _, err := ts.Svc.Authorize(ctx, alice.Account, starling.AuthorizationRequest{ClientID: app.ClientID,
		RedirectURI: starling.OOBRedirectURI, Scope: "read write"})
	if err != nil {
		t.Fatal(err)
	}
	var tok mastodon.Token
	ts.MustCall(t, post("/oauth/token", "", url.Values{"grant_type": {"authorization_code"}, "client_id": {app.ClientID},
		"client_secret": {app.ClientSecret}, "code": {code}, "redirect_uri": {starling.OOBRedirectURI}}), http.StatusOK, &tok)
	ts.MustCall(t, get("/api/v1/accounts/verify_credentials", tok.AccessToken), http.StatusOK, nil)

	// Another client's credentials do not revoke it.
	ts.MustCall(t, post("/oauth/revoke", "", url.Values{"client_id": {other.ClientID}, "client_secret": {other.ClientSecret}, "token": {tok.AccessToken}}), http.StatusOK, nil)
	ts.MustCall(t, get("/api/v1/accounts/verify_credentials", tok.AccessToken), http.StatusOK, nil)

	ts.MustCall(t, post("/oauth/revoke", "", url.Values{"client_id": {app.ClientID}, "client_secret": {app.ClientSecret}, "token": {tok.AccessToken}}), http.StatusOK, nil)
	for _, r := range []request{
		get("/api/v1/accounts/verify_credentials", tok.AccessToken),
		get("/api/v1/timelines/home", tok.AccessToken),
		post("/api/v1/statuses", tok.AccessToken, url.Values{"status": {"after revoke"}}),
		{method: "PATCH", path: "/api/v1/accounts/update_credentials", token: tok.AccessToken, form: url.Values{"display_name": {"x"}}},
	} {
		ts.MustError(t, r, http.StatusUnauthorized)
	}
	// Nor can its refresh token bring it back.
	if tok.RefreshToken != "" {
		res := ts.MustDo(t, post("/oauth/token", "", url.Values{"grant_type": {"refresh_token"}, "client_id": {app.ClientID},
			"client_secret": {app.ClientSecret}, "refresh_token": {tok.RefreshToken}}))
		if res.Status == http.StatusOK {
			t.Errorf("refresh after revoke: %s", res.Body)
		}
	}
}

// TestSecurityXSS stores script in every text a member controls and checks
// the API gives it back as sanitised HTML where Mastodon renders HTML
// (content, note, field values) and as the plain text typed elsewhere.
func TestSecurityXSS(t *testing.T) {
	ts, _ := mustMediaServer(t)
	mallory, alice := ts.MustUser(t, "mallory"), ts.MustUser(t, "alice")

	var acct mastodon.Account
	ts.MustCall(t, request{method: "PATCH", path: "/api/v1/accounts/update_credentials", token: mallory.Token, form: url.Values{
		"display_name":                {`"><svg onload=window.__xss=1>`},
		"note":                        {xssText},
		"fields_attributes[0][name]":  {`<script>window.__xss=1</script>`},
		"fields_attributes[0][value]": {`<img src=x onerror="window.__xss=1">`},
		"fields_attributes[1][name]":  {"site"},
		"fields_attributes[1][value]": {`javascript:window.__xss=1`},
	}}, http.StatusOK, &acct)

	var mp bytes.Buffer
	mw := multipart.NewWriter(&mp)
	fw, _ := mw.CreateFormFile("file", "photo.jpg")
	_, _ = fw.Write(jpegWithGPS(t))
	_ = mw.WriteField("description", `"><img src=x onerror="window.__xss=1">`)
	mw.Close()
	var att mastodon.MediaAttachment
	ts.MustCall(t, request{method: "POST", path: "/api/v2/media", token: mallory.Token, body: mp.String(), contentType: mw.FormDataContentType()}, http.StatusOK, &att)

	st := ts.MustPost(t, mallory.Token, url.Values{
		"status":       {xssText + " #xss @alice"},
		"spoiler_text": {`<script>window.__xss=1</script>`},
		"media_ids[]":  {att.ID},
		"sensitive":    {"true"},
		"language":     {"en"},
	})
	poll := ts.MustPost(t, mallory.Token, url.Values{
		"status":           {"Vote"},
		"poll[options][]":  {`<script>window.__xss=1</script>`, `<img src=x onerror="window.__xss=1">`},
		"poll[expires_in]": {"3600"},
	})
	var list mastodon.List
	ts.MustCall(t, post("/api/v1/lists", alice.Token, url.Values{"title": {`<img src=x onerror="window.__xss=1">`}}), http.StatusOK, &list)

	// Read everything back, as another member would.
	var got mastodon.Status
	ts.MustCall(t, get("/api/v1/statuses/"+st.ID, alice.Token), http.StatusOK, &got)
	mustSafeHTML(t, "content", got.Content)
	if !strings.Contains(got.Content, "&lt;script&gt;") {
		t.Errorf("content does not show the text typed, escaped: %q", got.Content)
	}
	if got.SpoilerText != `<script>window.__xss=1</script>` {
		t.Errorf("spoiler_text %q, want the plain text typed", got.SpoilerText)
	}
	if len(got.MediaAttachments) != 1 || got.MediaAttachments[0].Description == nil ||
		*got.MediaAttachments[0].Description != `"><img src=x onerror="window.__xss=1">` {
		t.Errorf("media description: %+v", got.MediaAttachments)
	}
	for _, tag := range got.Tags {
		if strings.ContainsAny(tag.Name, `<>"'`) {
			t.Errorf("tag name %q", tag.Name)
		}
	}
	mustSafeHTML(t, "account note", got.Account.Note)
	if got.Account.DisplayName != `"><svg onload=window.__xss=1>` {
		t.Errorf("display_name %q, want the plain text typed", got.Account.DisplayName)
	}
	if len(got.Account.Fields) != 2 {
		t.Fatalf("fields %+v", got.Account.Fields)
	}
	// As in Mastodon, a field's name is plain text and its value HTML.
	if got.Account.Fields[0].Name != `<script>window.__xss=1</script>` {
		t.Errorf("field name %q, want the plain text typed", got.Account.Fields[0].Name)
	}
	for _, f := range got.Account.Fields {
		mustSafeHTML(t, "field value", f.Value)
	}
	if !strings.Contains(got.Account.Fields[0].Value, "&lt;img") {
		t.Errorf("field value %q does not show the text typed, escaped", got.Account.Fields[0].Value)
	}

	var pst mastodon.Status
	ts.MustCall(t, get("/api/v1/statuses/"+poll.ID, alice.Token), http.StatusOK, &pst)
	if pst.Poll == nil || len(pst.Poll.Options) != 2 || pst.Poll.Options[0].Title != `<script>window.__xss=1</script>` {
		t.Errorf("poll %+v, want the options as plain text", pst.Poll)
	}
	var lists []mastodon.List
	ts.MustCall(t, get("/api/v1/lists", alice.Token), http.StatusOK, &lists)
	if len(lists) != 1 || lists[0].Title != `<img src=x onerror="window.__xss=1">` {
		t.Errorf("lists %+v", lists)
	}

	// The JSON is served as JSON, never sniffed as a page.
	res := ts.MustDo(t, get("/api/v1/statuses/"+st.ID, ""))
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type %q", ct)
	}
	var raw map[string]any
	if err := json.Unmarshal(res.Body, &raw); err != nil {
		t.Fatal(err)
	}
	// Search and the account lookup give the same escaped account.
	var found struct{ Accounts []mastodon.Account }
	ts.MustCall(t, get("/api/v2/search?q=mallory&type=accounts", alice.Token), http.StatusOK, &found)
	for _, a := range found.Accounts {
		mustSafeHTML(t, "search note", a.Note)
	}
}
