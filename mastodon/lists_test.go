package mastodon_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"

	"starling/mastodon"
	"starling/sqldb/sqldbtest"
)

func TestLists(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ts := MustServer(t, engine)
		alice, bob, carol, dora := ts.MustUser(t, "alice"), ts.MustUser(t, "bob"), ts.MustUser(t, "carol"), ts.MustUser(t, "dora")
		for _, u := range []user{bob, carol} {
			ts.MustCall(t, post("/api/v1/accounts/"+u.ID()+"/follow", alice.Token, nil), http.StatusOK, nil)
		}
		bobPost := ts.MustPostText(t, bob.Token, "from bob")
		ts.MustPostText(t, carol.Token, "from carol")

		var l mastodon.List
		ts.MustCall(t, request{method: "POST", path: "/api/v1/lists", token: alice.Token, json: map[string]any{"title": "Work", "replies_policy": "followed", "exclusive": true}}, http.StatusOK, &l)
		if l.Title != "Work" || l.RepliesPolicy != "followed" || !l.Exclusive || l.ID == "" {
			t.Fatalf("created list %+v", l)
		}
		base := "/api/v1/lists/" + l.ID

		t.Run("Update", func(t *testing.T) {
			var got mastodon.List
			ts.MustCall(t, request{method: "PUT", path: base, token: alice.Token, form: url.Values{"title": {"Colleagues"}}}, http.StatusOK, &got)
			want := mastodon.List{ID: l.ID, Title: "Colleagues", RepliesPolicy: "followed", Exclusive: true}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			ts.MustError(t, request{method: "PUT", path: base, token: alice.Token, form: url.Values{"replies_policy": {"everyone"}}}, http.StatusUnprocessableEntity)
			ts.MustError(t, request{method: "PUT", path: base, token: alice.Token, form: url.Values{"title": {"  "}}}, http.StatusUnprocessableEntity)
			ts.MustError(t, request{method: "PUT", path: base, token: bob.Token, form: url.Values{"title": {"mine"}}}, http.StatusNotFound)
		})
		t.Run("Members", func(t *testing.T) {
			ts.MustCall(t, post(base+"/accounts", alice.Token, url.Values{"account_ids[]": {bob.ID()}}), http.StatusOK, nil)
			ts.MustCall(t, request{method: "POST", path: base + "/accounts", token: alice.Token, json: map[string]any{"account_ids": []string{carol.ID()}}}, http.StatusOK, nil)
			ts.MustError(t, post(base+"/accounts", alice.Token, url.Values{"account_ids[]": {dora.ID()}}), http.StatusUnprocessableEntity)
			ts.MustError(t, post(base+"/accounts", alice.Token, nil), http.StatusUnprocessableEntity)
			ts.MustError(t, post(base+"/accounts", bob.Token, url.Values{"account_ids[]": {carol.ID()}}), http.StatusNotFound)

			var members []*mastodon.Account
			ts.MustCall(t, get(base+"/accounts", alice.Token), http.StatusOK, &members)
			got := accountIDs(members)
			if len(got) != 2 || !(got[0] == bob.ID() || got[1] == bob.ID()) {
				t.Errorf("members %v, want bob and carol", got)
			}
			var lists []*mastodon.List
			ts.MustCall(t, get("/api/v1/accounts/"+bob.ID()+"/lists", alice.Token), http.StatusOK, &lists)
			if len(lists) != 1 || lists[0].ID != l.ID {
				t.Errorf("lists with bob: %+v", lists)
			}
		})
		t.Run("Timeline", func(t *testing.T) {
			var tl []*mastodon.Status
			ts.MustCall(t, get("/api/v1/timelines/list/"+l.ID, alice.Token), http.StatusOK, &tl)
			if len(tl) != 2 {
				t.Errorf("list timeline %v, want bob's and carol's posts", ids(tl))
			}
			later := ts.MustPostText(t, bob.Token, "later from bob")
			ts.MustCall(t, get("/api/v1/timelines/list/"+l.ID+"?limit=1", alice.Token), http.StatusOK, &tl)
			if diff := cmp.Diff([]string{later.ID}, ids(tl)); diff != "" {
				t.Errorf("newest of the list timeline (-want +got):\n%s", diff)
			}
			ts.MustError(t, get("/api/v1/timelines/list/"+l.ID, bob.Token), http.StatusNotFound)
		})
		t.Run("RemoveMember", func(t *testing.T) {
			// As the documentation has it: form data, even on DELETE.
			ts.MustCall(t, request{method: "DELETE", path: base + "/accounts", token: alice.Token, form: url.Values{"account_ids[]": {carol.ID()}}}, http.StatusOK, nil)
			var members []*mastodon.Account
			ts.MustCall(t, get(base+"/accounts", alice.Token), http.StatusOK, &members)
			if diff := cmp.Diff([]string{bob.ID()}, accountIDs(members)); diff != "" {
				t.Errorf("members (-want +got):\n%s", diff)
			}
			var tl []*mastodon.Status
			ts.MustCall(t, get("/api/v1/timelines/list/"+l.ID, alice.Token), http.StatusOK, &tl)
			for _, s := range tl {
				if s.Account.ID != bob.ID() {
					t.Errorf("list timeline still shows %s's status %s", s.Account.Username, s.ID)
				}
			}
			if len(tl) == 0 || tl[len(tl)-1].ID != bobPost.ID {
				t.Errorf("list timeline %v lost bob's posts", ids(tl))
			}
		})
		t.Run("RemoveMemberEncodings", func(t *testing.T) {
			var mp bytes.Buffer
			mw := multipart.NewWriter(&mp)
			_ = mw.WriteField("account_ids[]", bob.ID())
			_ = mw.Close()
			for _, r := range []request{
				{path: base + "/accounts?account_ids[]=" + bob.ID()},
				{path: base + "/accounts", json: map[string]any{"account_ids": []string{bob.ID()}}},
				{path: base + "/accounts", body: mp.String(), contentType: mw.FormDataContentType()},
			} {
				ts.MustCall(t, post(base+"/accounts", alice.Token, url.Values{"account_ids[]": {bob.ID()}}), http.StatusOK, nil)
				r.method, r.token = "DELETE", alice.Token
				ts.MustCall(t, r, http.StatusOK, nil)
				var members []*mastodon.Account
				ts.MustCall(t, get(base+"/accounts", alice.Token), http.StatusOK, &members)
				if len(members) != 0 {
					t.Errorf("DELETE %s %s left members %v", r.path, r.contentType, accountIDs(members))
				}
			}
		})
		t.Run("Delete", func(t *testing.T) {
			var lists []*mastodon.List
			ts.MustCall(t, get("/api/v1/lists", alice.Token), http.StatusOK, &lists)
			if len(lists) != 1 {
				t.Fatalf("lists %+v", lists)
			}
			ts.MustError(t, request{method: "DELETE", path: base, token: bob.Token}, http.StatusNotFound)
			ts.MustCall(t, request{method: "DELETE", path: base, token: alice.Token}, http.StatusOK, nil)
			ts.MustError(t, get(base, alice.Token), http.StatusNotFound)
			ts.MustCall(t, get("/api/v1/lists", alice.Token), http.StatusOK, &lists)
			if lists == nil || len(lists) != 0 {
				t.Errorf("lists after deleting: %+v, want []", lists)
			}
		})
	})
}
