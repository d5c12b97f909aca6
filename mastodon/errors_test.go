package mastodon_test

import (
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"starling/mastodon"
	"starling/sqldb/sqldbtest"
)

// TestErrors checks failures answer with the right status and a Mastodon
// error body {"error": "…"} served as JSON, never a 500 or an HTML page.
func TestErrors(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ts := MustServer(t, engine)
		alice, bob := ts.MustUser(t, "alice"), ts.MustUser(t, "bob")
		readOnly := ts.MustTokenFor(t, alice.Account.ID, "read")
		writeOnly := ts.MustTokenFor(t, alice.Account.ID, "write")
		appOnly := ts.MustTokenFor(t, 0, "read", "write")
		registrar := ts.MustTokenFor(t, 0, "read", "write:accounts")
		private := ts.MustPost(t, alice.Token, url.Values{"status": {"for followers #secret"}, "visibility": {"private"}})
		direct := ts.MustPost(t, alice.Token, url.Values{"status": {"hi @bob"}, "visibility": {"direct"}})
		public := ts.MustPostText(t, alice.Token, "hello")
		longURL := "https://example.org/" + strings.Repeat("p", 200-len("https://example.org/"))
		signUp := func(username string) url.Values {
			return url.Values{"username": {username}, "email": {username + "@example.net"}, "password": {"correct horse"}, "agreement": {"true"}, "locale": {"en"}}
		}

		tests := []struct {
			name    string
			req     request
			status  int
			message string // a part of the error message, if it matters
		}{
			{"MissingToken", get("/api/v1/timelines/home", ""), 401, "The access token is invalid"},
			{"InvalidToken", get("/api/v1/timelines/home", "nope"), 401, "The access token is invalid"},
			{"InvalidTokenOnPublicEndpoint", get("/api/v1/timelines/public", "nope"), 401, ""},
			{"OtherAuthScheme", request{method: "GET", path: "/api/v1/timelines/home", header: map[string]string{"Authorization": "Basic YTpi"}}, 401, ""},
			{"OutsideScope", post("/api/v1/statuses", readOnly, url.Values{"status": {"hi"}}), 403, "outside the authorized scopes"},
			{"OutsideScopeRead", get("/api/v1/timelines/home", writeOnly), 403, "outside the authorized scopes"},
			{"WriteOnlyTokenReadsStatus", get("/api/v1/statuses/"+private.ID, writeOnly), 403, "outside the authorized scopes"},
			{"WriteOnlyTokenReadsStatuses", get("/api/v1/statuses?id[]="+private.ID, writeOnly), 403, ""},
			{"WriteOnlyTokenReadsContext", get("/api/v1/statuses/"+private.ID+"/context", writeOnly), 403, ""},
			{"WriteOnlyTokenReadsHistory", get("/api/v1/statuses/"+private.ID+"/history", writeOnly), 403, ""},
			{"WriteOnlyTokenReadsAccountStatuses", get("/api/v1/accounts/"+alice.ID()+"/statuses", writeOnly), 403, ""},
			{"WriteOnlyTokenSearches", get("/api/v2/search?q=alice", writeOnly), 403, ""},
			{"AppOnlyToken", get("/api/v1/accounts/verify_credentials", appOnly), 422, "This method requires an authenticated user"},
			{"AppOnlyTokenPosting", post("/api/v1/statuses", appOnly, url.Values{"status": {"hi"}}), 422, "This method requires an authenticated user"},
			{"UnknownStatus", get("/api/v1/statuses/1", ""), 404, "Record not found"},
			{"MalformedID", get("/api/v1/statuses/abc", ""), 404, "Record not found"},
			{"NegativeID", get("/api/v1/statuses/-1", ""), 404, "Record not found"},
			{"ZeroID", get("/api/v1/statuses/0", ""), 404, ""},
			{"OverflowingID", get("/api/v1/statuses/99999999999999999999999", ""), 404, ""},
			{"UnknownAccount", get("/api/v1/accounts/12345", ""), 404, ""},
			{"MalformedAccountID", post("/api/v1/accounts/abc/follow", alice.Token, nil), 404, ""},
			{"OthersPrivateStatus", get("/api/v1/statuses/"+private.ID, bob.Token), 404, "Record not found"},
			{"PrivateStatusSignedOut", get("/api/v1/statuses/"+private.ID, ""), 404, ""},
			{"OthersPrivateStatusContext", get("/api/v1/statuses/"+private.ID+"/context", bob.Token), 404, ""},
			{"OthersPrivateStatusHistory", get("/api/v1/statuses/"+private.ID+"/history", bob.Token), 404, ""},
			{"OthersPrivateStatusFavourite", post("/api/v1/statuses/"+private.ID+"/favourite", bob.Token, nil), 404, ""},
			{"OthersPrivateStatusReblog", post("/api/v1/statuses/"+private.ID+"/reblog", bob.Token, nil), 404, ""},
			{"DirectStatusSignedOut", get("/api/v1/statuses/"+direct.ID, ""), 404, ""},
			{"ReplyToPrivateStatus", post("/api/v1/statuses", bob.Token, url.Values{"status": {"hi"}, "in_reply_to_id": {private.ID}}), 404, ""},
			{"ReplyToMalformedID", post("/api/v1/statuses", bob.Token, url.Values{"status": {"hi"}, "in_reply_to_id": {"abc"}}), 404, ""},
			{"EmptyStatus", post("/api/v1/statuses", alice.Token, url.Values{"status": {""}}), 422, "Text can't be blank"},
			{"MissingStatus", post("/api/v1/statuses", alice.Token, nil), 422, ""},
			{"BlankStatus", post("/api/v1/statuses", alice.Token, url.Values{"status": {" \n\t "}}), 422, ""},
			{"TooLongStatus", post("/api/v1/statuses", alice.Token, url.Values{"status": {strings.Repeat("a", 501)}}), 422, "500"},
			{"TooLongWithURL", post("/api/v1/statuses", alice.Token, url.Values{"status": {strings.Repeat("a", 477) + " " + longURL}}), 422, "500"},
			{"TooLongWithSpoiler", post("/api/v1/statuses", alice.Token, url.Values{"status": {strings.Repeat("a", 300)}, "spoiler_text": {strings.Repeat("b", 201)}}), 422, "500"},
			{"BadVisibility", post("/api/v1/statuses", alice.Token, url.Values{"status": {"hi"}, "visibility": {"everyone"}}), 422, ""},
			{"BadLanguage", post("/api/v1/statuses", alice.Token, url.Values{"status": {"hi"}, "language": {"<script>"}}), 422, ""},
			{"MediaNotSupported", post("/api/v1/statuses", alice.Token, url.Values{"status": {"hi"}, "media_ids[]": {"1"}}), 422, ""},
			{"InvalidUTF8Status", request{method: "POST", path: "/api/v1/statuses", token: alice.Token, body: "status=%FF%FE", contentType: "application/x-www-form-urlencoded"}, 422, ""},
			{"InvalidUTF8SpoilerMultipart", request{method: "POST", path: "/api/v1/statuses", token: alice.Token, contentType: "multipart/form-data; boundary=XX",
				body: "--XX\r\nContent-Disposition: form-data; name=\"status\"\r\n\r\nhi\r\n--XX\r\nContent-Disposition: form-data; name=\"spoiler_text\"\r\n\r\n\xff\r\n--XX--\r\n"}, 422, ""},
			{"InvalidUTF8JSON", request{method: "POST", path: "/api/v1/statuses", token: alice.Token, body: "{\"status\": \"\xff\"}", contentType: "application/json"}, 422, ""},
			{"InvalidUTF8DisplayName", request{method: "PATCH", path: "/api/v1/accounts/update_credentials", token: alice.Token, body: "display_name=%C3%28", contentType: "application/x-www-form-urlencoded"}, 422, ""},
			{"InvalidUTF8FieldName", request{method: "PATCH", path: "/api/v1/accounts/update_credentials", token: alice.Token, body: "fields_attributes[0][name]=%FF&fields_attributes[0][value]=x", contentType: "application/x-www-form-urlencoded"}, 422, ""},
			{"InvalidUTF8ListTitle", request{method: "POST", path: "/api/v1/lists", token: alice.Token, body: "title=%FF", contentType: "application/x-www-form-urlencoded"}, 422, ""},
			{"InvalidUTF8AppName", request{method: "POST", path: "/api/v1/apps", body: "client_name=%FF&redirect_uris=urn:ietf:wg:oauth:2.0:oob", contentType: "application/x-www-form-urlencoded"}, 422, ""},
			{"InvalidUTF8AppWebsite", request{method: "POST", path: "/api/v1/apps", body: "client_name=x&website=https://example.org/%FF&redirect_uris=urn:ietf:wg:oauth:2.0:oob", contentType: "application/x-www-form-urlencoded"}, 422, ""},
			{"InvalidUTF8RedirectURI", request{method: "POST", path: "/api/v1/apps", body: "client_name=x&redirect_uris=https://example.org/%FF", contentType: "application/x-www-form-urlencoded"}, 422, ""},
			{"InvalidUTF8SearchQuery", get("/api/v2/search?q=%FF", alice.Token), 422, ""},
			{"InvalidUTF8AccountSearch", get("/api/v1/accounts/search?q=%FF", alice.Token), 422, ""},
			{"InvalidUTF8Lookup", get("/api/v1/accounts/lookup?acct=%FF", ""), 404, ""},
			{"InvalidUTF8WebFinger", get("/.well-known/webfinger?resource=acct:%FF@"+ts.Host, ""), 404, ""},
			{"InvalidUTF8Markers", get("/api/v1/markers?timeline[]=%FF", alice.Token), 422, ""},
			{"InvalidUTF8Tag", get("/api/v1/tags/%FF", ""), 404, ""},
			{"InvalidUTF8IdempotencyKey", request{method: "POST", path: "/api/v1/statuses", token: alice.Token, form: url.Values{"status": {"hi"}}, header: map[string]string{"Idempotency-Key": "\xff\xfe"}}, 422, ""},
			{"LongIdempotencyKey", request{method: "POST", path: "/api/v1/statuses", token: alice.Token, form: url.Values{"status": {"hi"}}, header: map[string]string{"Idempotency-Key": randomLetters(8000)}}, 422, ""},
			{"NULInStatusForm", request{method: "POST", path: "/api/v1/statuses", token: alice.Token, body: "status=a%00b", contentType: "application/x-www-form-urlencoded"}, 422, ""},
			{"NULInStatusJSON", request{method: "POST", path: "/api/v1/statuses", token: alice.Token, body: `{"status": "a\u0000b"}`, contentType: "application/json"}, 422, ""},
			{"NULInDisplayName", request{method: "PATCH", path: "/api/v1/accounts/update_credentials", token: alice.Token, json: map[string]any{"display_name": "a\x00b"}}, 422, ""},
			{"NULInListTitle", request{method: "POST", path: "/api/v1/lists", token: alice.Token, json: map[string]any{"title": "a\x00b"}}, 422, ""},
			{"MalformedJSON", request{method: "POST", path: "/api/v1/statuses", token: alice.Token, body: `{"status": `, contentType: "application/json"}, 400, ""},
			{"JSONNotAnObject", request{method: "POST", path: "/api/v1/statuses", token: alice.Token, body: `["hi"]`, contentType: "application/json"}, 400, ""},
			{"JSONTrailingGarbage", request{method: "POST", path: "/api/v1/statuses", token: alice.Token, body: `{"status": "hi"} }`, contentType: "application/json"}, 400, ""},
			{"MalformedForm", request{method: "POST", path: "/api/v1/statuses", token: alice.Token, body: "status=%zz", contentType: "application/x-www-form-urlencoded"}, 400, ""},
			{"MalformedMultipart", request{method: "POST", path: "/api/v1/statuses", token: alice.Token, body: "--nope", contentType: "multipart/form-data; boundary=XX"}, 400, ""},
			{"MalformedPageParam", get("/api/v1/timelines/public?max_id=abc", ""), 422, ""},
			{"MalformedLimit", get("/api/v1/timelines/public?limit=ten", ""), 422, ""},
			{"DuplicateUsername", post("/api/v1/accounts", registrar, signUp("alice")), 422, ""},
			{"DuplicateUsernameOtherCase", post("/api/v1/accounts", registrar, signUp("ALICE")), 422, ""},
			{"RegistrationWithoutToken", post("/api/v1/accounts", "", signUp("dora")), 401, ""},
			{"RegistrationWithoutScope", post("/api/v1/accounts", ts.MustTokenFor(t, 0, "read"), signUp("dora")), 403, ""},
			{"RegistrationWithoutAgreement", post("/api/v1/accounts", registrar, url.Values{"username": {"dora"}, "email": {"dora@example.net"}, "password": {"correct horse"}}), 422, ""},
			{"EditOthersStatus", request{method: "PUT", path: "/api/v1/statuses/" + public.ID, token: bob.Token, form: url.Values{"status": {"mine now"}}}, 404, ""},
			{"DeleteOthersStatus", request{method: "DELETE", path: "/api/v1/statuses/" + public.ID, token: bob.Token}, 404, ""},
			{"SourceOfOthersStatus", get("/api/v1/statuses/"+public.ID+"/source", bob.Token), 404, ""},
			{"FollowSelf", post("/api/v1/accounts/"+alice.ID()+"/follow", alice.Token, nil), 403, ""},
			{"UnknownAPIPath", get("/api/v1/nope", ""), 404, ""},
			{"UnknownAPIv2Path", get("/api/v2/nope/deeper", alice.Token), 404, ""},
			{"UnknownAPIRoot", get("/api/", ""), 404, ""},
			{"WrongMethod", request{method: "DELETE", path: "/api/v1/instance"}, 404, ""},
			{"WebFingerWithoutResource", get("/.well-known/webfinger", ""), 400, ""},
			{"WebFingerOtherDomain", get("/.well-known/webfinger?resource=acct:alice@elsewhere.example", ""), 404, ""},
			{"WebFingerUnknownUser", get("/.well-known/webfinger?resource=acct:nobody@"+ts.Host, ""), 404, ""},
			{"SearchOffsetSignedOut", get("/api/v2/search?q=alice&offset=1", ""), 401, ""},
			{"SearchBadType", get("/api/v2/search?q=alice&type=everything", ""), 422, ""},
			{"OthersList", get("/api/v1/lists/1", bob.Token), 404, ""},
			{"OthersListAccounts", post("/api/v1/lists/1/accounts", bob.Token, url.Values{"account_ids[]": {alice.ID()}}), 404, ""},
			{"DismissUnknownNotification", post("/api/v1/notifications/1/dismiss", bob.Token, nil), 404, ""},
			{"UnknownNotification", get("/api/v1/notifications/1", bob.Token), 404, ""},
			{"BadMarkerID", post("/api/v1/markers", alice.Token, url.Values{"home[last_read_id]": {"abc"}}), 422, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				msg := ts.MustError(t, tt.req, tt.status)
				if !strings.Contains(msg, tt.message) {
					t.Errorf("error %q does not contain %q", msg, tt.message)
				}
			})
		}

		t.Run("LongURLCountsAs23", func(t *testing.T) {
			// 476 letters, a space and a URL of 200 characters counted as 23: exactly 500.
			s := ts.MustPost(t, alice.Token, url.Values{"status": {strings.Repeat("a", 476) + " " + longURL}})
			if !strings.Contains(s.Content, longURL) {
				t.Errorf("content %q does not link the URL", s.Content)
			}
		})
		t.Run("PrivateStatusHiddenFromTimelines", func(t *testing.T) {
			ts.MustCall(t, post("/api/v1/accounts/"+alice.ID()+"/follow", bob.Token, nil), http.StatusOK, nil)
			carol := ts.MustUser(t, "carol") // follows nobody
			reply := ts.MustPost(t, alice.Token, url.Values{"status": {"public reply"}, "in_reply_to_id": {private.ID}})
			for _, r := range []request{
				get("/api/v1/timelines/public", ""),
				get("/api/v1/timelines/public", carol.Token),
				get("/api/v1/timelines/home", carol.Token),
				get("/api/v1/accounts/"+alice.ID()+"/statuses", ""),
				get("/api/v1/accounts/"+alice.ID()+"/statuses", carol.Token),
				get("/api/v1/statuses?id[]="+private.ID+"&id[]="+direct.ID+"&id[]="+public.ID, carol.Token),
				get("/api/v1/timelines/tag/secret", carol.Token),
				get("/api/v1/timelines/tag/secret", bob.Token),
			} {
				var list []*mastodon.Status
				ts.MustCall(t, r, http.StatusOK, &list)
				for _, s := range list {
					if s.ID == private.ID || s.ID == direct.ID {
						t.Errorf("%s as %q shows the %s status", r.path, r.token, s.Visibility)
					}
				}
			}
			var ctx struct{ Ancestors, Descendants []*mastodon.Status }
			ts.MustCall(t, get("/api/v1/statuses/"+reply.ID+"/context", carol.Token), http.StatusOK, &ctx)
			if len(ctx.Ancestors) != 0 {
				t.Errorf("context shows ancestors %v the viewer may not read", ids(ctx.Ancestors))
			}
			// A follower sees it.
			ts.MustCall(t, get("/api/v1/statuses/"+reply.ID+"/context", bob.Token), http.StatusOK, &ctx)
			if len(ctx.Ancestors) != 1 || ctx.Ancestors[0].ID != private.ID {
				t.Errorf("follower's context ancestors = %v, want [%s]", ids(ctx.Ancestors), private.ID)
			}
		})
		t.Run("ScopedTokensOK", func(t *testing.T) {
			for _, r := range []request{
				get("/api/v1/statuses/"+private.ID, readOnly),
				get("/api/v1/statuses/"+private.ID, ts.MustTokenFor(t, alice.Account.ID, "read:statuses")),
				get("/api/v1/accounts/verify_credentials", ts.MustTokenFor(t, alice.Account.ID, "profile")),
				get("/api/v1/accounts/relationships?id[]="+bob.ID(), ts.MustTokenFor(t, alice.Account.ID, "follow")),
				get("/api/v1/statuses/"+public.ID, appOnly),
				get("/api/v1/instance", writeOnly),
				get("/api/v1/timelines/public?access_token="+readOnly, ""),
			} {
				ts.MustCall(t, r, http.StatusOK, nil)
			}
		})
		t.Run("RegistrationOK", func(t *testing.T) {
			var tok mastodon.Token
			ts.MustCall(t, post("/api/v1/accounts", registrar, signUp("dora")), http.StatusOK, &tok)
			var a mastodon.Account
			ts.MustCall(t, get("/api/v1/accounts/verify_credentials", tok.AccessToken), http.StatusOK, &a)
			if a.Username != "dora" {
				t.Errorf("new account is %q", a.Username)
			}
		})
	})
}

// randomLetters returns n letters that do not compress, to defeat storage that would squeeze a repeated one.
func randomLetters(n int) string {
	r := rand.New(rand.NewPCG(1, 2))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('a' + r.IntN(26))
	}
	return string(b)
}
