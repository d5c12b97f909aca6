package mastodon_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"starling"
	"starling/mastodon"
	"starling/sqldb/sqldbtest"
)

// profile is the part of a CredentialAccount the update tests look at.
type profile struct {
	DisplayName string
	Note        string
	Locked      bool
	Bot         bool
	Fields      [][2]string
}

func profileOf(a *mastodon.Account) profile {
	p := profile{DisplayName: a.DisplayName, Note: a.Source.Note, Locked: a.Locked, Bot: a.Bot}
	for _, f := range a.Source.Fields {
		p.Fields = append(p.Fields, [2]string{f.Name, f.Value})
	}
	return p
}

// TestUpdateCredentials sends the same profile in each encoding clients use.
func TestUpdateCredentials(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ts := MustServer(t, engine)
		alice := ts.MustUser(t, "alice")
		want := profile{DisplayName: "Alice", Note: "Hi there", Locked: true, Bot: false, Fields: [][2]string{{"Pronouns", "she/her"}, {"Site", "https://example.org"}}}
		formFields := url.Values{
			"display_name": {"Alice"}, "note": {"Hi there"}, "locked": {"true"}, "bot": {"0"},
			"fields_attributes[0][name]": {"Pronouns"}, "fields_attributes[0][value]": {"she/her"},
			"fields_attributes[1][name]": {"Site"}, "fields_attributes[1][value]": {"https://example.org"},
		}
		var mp bytes.Buffer
		mw := multipart.NewWriter(&mp)
		for k, vs := range formFields {
			for _, v := range vs {
				_ = mw.WriteField(k, v)
			}
		}
		_ = mw.Close()

		tests := []struct {
			name string
			req  request
		}{
			{"Form", request{form: formFields}},
			{"Multipart", request{body: mp.String(), contentType: mw.FormDataContentType()}},
			{"JSONArray", request{json: map[string]any{"display_name": "Alice", "note": "Hi there", "locked": true, "bot": false,
				"fields_attributes": []any{map[string]any{"name": "Pronouns", "value": "she/her"}, map[string]any{"name": "Site", "value": "https://example.org"}}}}},
			{"JSONObject", request{json: map[string]any{"display_name": "Alice", "note": "Hi there", "locked": "1", "bot": "false",
				"fields_attributes": map[string]any{"0": map[string]any{"name": "Pronouns", "value": "she/her"}, "1": map[string]any{"name": "Site", "value": "https://example.org"}}}}},
			{"Query", request{path: "/api/v1/accounts/update_credentials?" + formFields.Encode()}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				// Reset first, so each encoding has to set everything itself.
				ts.MustCall(t, request{method: "PATCH", path: "/api/v1/accounts/update_credentials", token: alice.Token, json: map[string]any{
					"display_name": "", "note": "", "locked": false, "bot": true, "fields_attributes": []any{}}}, http.StatusOK, nil)
				r := tt.req
				r.method, r.token = "PATCH", alice.Token
				if r.path == "" {
					r.path = "/api/v1/accounts/update_credentials"
				}
				var got mastodon.Account
				ts.MustCall(t, r, http.StatusOK, &got)
				if diff := cmp.Diff(want, profileOf(&got)); diff != "" {
					t.Errorf("update answered (-want +got):\n%s", diff)
				}
				ts.MustCall(t, get("/api/v1/accounts/verify_credentials", alice.Token), http.StatusOK, &got)
				if diff := cmp.Diff(want, profileOf(&got)); diff != "" {
					t.Errorf("verify_credentials (-want +got):\n%s", diff)
				}
			})
		}

		t.Run("PartialUpdateKeepsOtherFields", func(t *testing.T) {
			var got mastodon.Account
			ts.MustCall(t, request{method: "PATCH", path: "/api/v1/accounts/update_credentials", token: alice.Token, form: url.Values{"note": {"Changed"}}}, http.StatusOK, &got)
			want := want
			want.Note = "Changed"
			if diff := cmp.Diff(want, profileOf(&got)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
		t.Run("FollowRequestsCount", func(t *testing.T) {
			bob := ts.MustUser(t, "bob")
			ts.MustCall(t, post("/api/v1/accounts/"+alice.ID()+"/follow", bob.Token, nil), http.StatusOK, nil)
			for _, r := range []request{
				get("/api/v1/accounts/verify_credentials", alice.Token),
				{method: "PATCH", path: "/api/v1/accounts/update_credentials", token: alice.Token, form: url.Values{"bot": {"false"}}},
			} {
				var got mastodon.Account
				ts.MustCall(t, r, http.StatusOK, &got)
				if got.Source.FollowRequestsCount != 1 {
					t.Errorf("%s %s: follow_requests_count = %d, want 1", r.method, r.path, got.Source.FollowRequestsCount)
				}
			}
		})
		t.Run("ErrTooManyFields", func(t *testing.T) {
			form := url.Values{}
			for i := range 5 {
				form.Set("fields_attributes["+itoa(i)+"][name]", "n")
				form.Set("fields_attributes["+itoa(i)+"][value]", "v")
			}
			ts.MustError(t, request{method: "PATCH", path: "/api/v1/accounts/update_credentials", token: alice.Token, form: form}, http.StatusUnprocessableEntity)
		})
		t.Run("ErrDisplayNameTooLong", func(t *testing.T) {
			ts.MustError(t, request{method: "PATCH", path: "/api/v1/accounts/update_credentials", token: alice.Token,
				form: url.Values{"display_name": {strings.Repeat("x", 31)}}}, http.StatusUnprocessableEntity)
		})
	})
}

// TestUploadLeavesNoTemporaryFiles sends a multipart body with a file too
// large to keep in memory: the temporary file must be gone afterwards.
func TestUploadLeavesNoTemporaryFiles(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("TMPDIR", dir)
	ts := MustServer(t, "sqlite")
	alice := ts.MustUser(t, "alice")
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	_ = w.WriteField("display_name", "Alice")
	fw, err := w.CreateFormFile("avatar", "avatar.png")
	if err != nil {
		t.Fatal(err)
	}
	_, _ = fw.Write(bytes.Repeat([]byte{0x89}, 3<<20))
	_ = w.Close()
	ts.MustCall(t, request{method: "PATCH", path: "/api/v1/accounts/update_credentials", token: alice.Token, body: b.String(), contentType: w.FormDataContentType()}, http.StatusOK, nil)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "multipart-") {
			t.Errorf("temporary upload %s left behind", e.Name())
		}
	}
}

func TestRelationships(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ts := MustServer(t, engine)
		alice, bob, carol := ts.MustUser(t, "alice"), ts.MustUser(t, "bob"), ts.MustUser(t, "carol")
		ts.MustCall(t, post("/api/v1/accounts/"+bob.ID()+"/follow", alice.Token, nil), http.StatusOK, nil)
		ts.MustCall(t, post("/api/v1/accounts/"+alice.ID()+"/follow", carol.Token, nil), http.StatusOK, nil)
		path := "/api/v1/accounts/relationships"
		tests := []struct {
			name string
			req  request
		}{
			{"QueryArray", get(path+"?id[]="+bob.ID()+"&id[]="+carol.ID(), alice.Token)},
			{"QueryRepeatedKey", get(path+"?id="+bob.ID()+"&id="+carol.ID(), alice.Token)},
			{"QueryEncodedBrackets", get(path+"?id%5B%5D="+bob.ID()+"&id%5B%5D="+carol.ID(), alice.Token)},
			{"JSONArray", request{method: "GET", path: path, token: alice.Token, json: map[string]any{"id": []string{bob.ID(), carol.ID()}}}},
			{"JSONArrayUnknownAndDuplicate", get(path+"?id[]="+bob.ID()+"&id[]=1&id[]="+bob.ID()+"&id[]="+carol.ID(), alice.Token)},
		}
		want := [][3]any{{bob.ID(), true, false}, {carol.ID(), false, true}}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				var rels []mastodon.Relationship
				ts.MustCall(t, tt.req, http.StatusOK, &rels)
				var got [][3]any
				for _, r := range rels {
					got = append(got, [3]any{r.ID, r.Following, r.FollowedBy})
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("(-want +got):\n%s", diff)
				}
			})
		}
		t.Run("None", func(t *testing.T) {
			var rels []mastodon.Relationship
			ts.MustCall(t, get(path, alice.Token), http.StatusOK, &rels)
			if rels == nil || len(rels) != 0 {
				t.Errorf("got %v, want []", rels)
			}
		})
	})
}

// TestFollowLockedAccount follows a locked account: a request, which the
// account sees and authorizes, after which the follower follows.
func TestFollowLockedAccount(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ts := MustServer(t, engine)
		alice, bob := ts.MustUser(t, "alice"), ts.MustUser(t, "bob")
		ts.MustCall(t, request{method: "PATCH", path: "/api/v1/accounts/update_credentials", token: alice.Token, json: map[string]any{"locked": true}}, http.StatusOK, nil)
		private := ts.MustPost(t, alice.Token, url.Values{"status": {"followers only"}, "visibility": {"private"}})

		var rel mastodon.Relationship
		ts.MustCall(t, post("/api/v1/accounts/"+alice.ID()+"/follow", bob.Token, nil), http.StatusOK, &rel)
		if !rel.Requested || rel.Following {
			t.Fatalf("after follow: requested=%v following=%v, want a request", rel.Requested, rel.Following)
		}
		ts.MustError(t, get("/api/v1/statuses/"+private.ID, bob.Token), http.StatusNotFound)

		var reqs []*mastodon.Account
		ts.MustCall(t, get("/api/v1/follow_requests", alice.Token), http.StatusOK, &reqs)
		if diff := cmp.Diff([]string{bob.ID()}, accountIDs(reqs)); diff != "" {
			t.Fatalf("follow requests (-want +got):\n%s", diff)
		}
		var notes []*mastodon.Notification
		ts.MustCall(t, get("/api/v1/notifications", alice.Token), http.StatusOK, &notes)
		if len(notes) != 1 || notes[0].Type != "follow_request" {
			t.Errorf("notifications = %+v, want one follow_request", notes)
		}

		ts.MustCall(t, post("/api/v1/follow_requests/"+bob.ID()+"/authorize", alice.Token, nil), http.StatusOK, &rel)
		if !rel.FollowedBy || rel.ID != bob.ID() {
			t.Errorf("authorize answered %+v, want followed_by bob", rel)
		}
		var rels []mastodon.Relationship
		ts.MustCall(t, get("/api/v1/accounts/relationships?id[]="+alice.ID(), bob.Token), http.StatusOK, &rels)
		if len(rels) != 1 || !rels[0].Following || rels[0].Requested {
			t.Errorf("bob's relationship to alice = %+v, want following", rels)
		}
		ts.MustCall(t, get("/api/v1/follow_requests", alice.Token), http.StatusOK, &reqs)
		if len(reqs) != 0 {
			t.Errorf("follow requests after authorizing = %v", accountIDs(reqs))
		}
		ts.MustCall(t, get("/api/v1/statuses/"+private.ID, bob.Token), http.StatusOK, nil)
		var home []*mastodon.Status
		ts.MustCall(t, get("/api/v1/timelines/home", bob.Token), http.StatusOK, &home)
		if diff := cmp.Diff([]string{private.ID}, ids(home)); diff != "" {
			t.Errorf("bob's home after the follow (-want +got):\n%s", diff)
		}
		var followers []*mastodon.Account
		ts.MustCall(t, get("/api/v1/accounts/"+alice.ID()+"/followers", ""), http.StatusOK, &followers)
		if diff := cmp.Diff([]string{bob.ID()}, accountIDs(followers)); diff != "" {
			t.Errorf("followers (-want +got):\n%s", diff)
		}

		t.Run("Reject", func(t *testing.T) {
			carol := ts.MustUser(t, "carol")
			ts.MustCall(t, post("/api/v1/accounts/"+alice.ID()+"/follow", carol.Token, nil), http.StatusOK, nil)
			ts.MustCall(t, post("/api/v1/follow_requests/"+carol.ID()+"/reject", alice.Token, nil), http.StatusOK, &rel)
			if rel.RequestedBy || rel.FollowedBy {
				t.Errorf("after reject: %+v", rel)
			}
			ts.MustError(t, post("/api/v1/follow_requests/"+carol.ID()+"/authorize", alice.Token, nil), http.StatusNotFound)
		})
		t.Run("Unfollow", func(t *testing.T) {
			ts.MustCall(t, post("/api/v1/accounts/"+alice.ID()+"/unfollow", bob.Token, nil), http.StatusOK, &rel)
			if rel.Following {
				t.Errorf("after unfollow: %+v", rel)
			}
			ts.MustError(t, get("/api/v1/statuses/"+private.ID, bob.Token), http.StatusNotFound)
		})
	})
}

func TestAccountLookup(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ts := MustServer(t, engine)
		alice := ts.MustUser(t, "Alice")
		tests := []struct {
			name   string
			acct   string
			status int
		}{
			{"Username", "Alice", 200},
			{"OtherCase", "alice", 200},
			{"At", "@alice", 200},
			{"LocalDomain", "alice@" + ts.Host, 200},
			{"OtherDomain", "alice@elsewhere.example", 404},
			{"Unknown", "nobody", 404},
			{"Empty", "", 404},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := get("/api/v1/accounts/lookup?acct="+url.QueryEscape(tt.acct), "")
				if tt.status != 200 {
					ts.MustError(t, r, tt.status)
					return
				}
				var a mastodon.Account
				ts.MustCall(t, r, http.StatusOK, &a)
				if a.ID != alice.ID() {
					t.Errorf("found %s (%s), want %s", a.ID, a.Username, alice.ID())
				}
			})
		}
		t.Run("MultipleAccounts", func(t *testing.T) {
			bob := ts.MustUser(t, "bob")
			var list []*mastodon.Account
			ts.MustCall(t, get("/api/v1/accounts?id[]="+bob.ID()+"&id[]=1&id[]="+alice.ID(), ""), http.StatusOK, &list)
			if diff := cmp.Diff([]string{bob.ID(), alice.ID()}, accountIDs(list)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	})
}

func TestRegistrationModes(t *testing.T) {
	signUp := url.Values{"username": {"dora"}, "email": {"dora@example.net"}, "password": {"correct horse"}, "agreement": {"1"}, "locale": {"en"}, "reason": {"I garden"}}

	t.Run("Approval", func(t *testing.T) {
		ts := MustServer(t, "sqlite", func(in *starling.Instance) { in.Registrations = starling.RegistrationsApproval })
		alice := ts.MustUser(t, "alice")
		public := ts.MustPostText(t, alice.Token, "hello")
		var tok mastodon.Token
		ts.MustCall(t, post("/api/v1/accounts", ts.MustTokenFor(t, 0, "read", "write"), signUp), http.StatusOK, &tok)
		msg := ts.MustError(t, get("/api/v1/accounts/verify_credentials", tok.AccessToken), http.StatusForbidden)
		if !strings.Contains(msg, "pending approval") {
			t.Errorf("error %q does not say the account waits for approval", msg)
		}
		// Public endpoints still answer, as for anyone signed out.
		var s mastodon.Status
		ts.MustCall(t, get("/api/v1/statuses/"+public.ID, tok.AccessToken), http.StatusOK, &s)
		if s.Favourited != nil {
			t.Error("a pending member is treated as signed in")
		}
		var inst struct {
			Registrations struct {
				Enabled          bool `json:"enabled"`
				ApprovalRequired bool `json:"approval_required"`
			}
		}
		ts.MustCall(t, get("/api/v2/instance", ""), http.StatusOK, &inst)
		if !inst.Registrations.Enabled || !inst.Registrations.ApprovalRequired {
			t.Errorf("instance says %+v", inst.Registrations)
		}
	})
	t.Run("Closed", func(t *testing.T) {
		ts := MustServer(t, "sqlite", func(in *starling.Instance) { in.Registrations = starling.RegistrationsClosed })
		ts.MustError(t, post("/api/v1/accounts", ts.MustTokenFor(t, 0, "read", "write"), signUp), http.StatusForbidden)
	})
}
