package mastodon_test

import (
	"net/http"
	"net/url"
	"testing"

	"starling/sqldb/sqldbtest"
)

type filterJSON struct {
	ID           string   `json:"id"`
	Title        string   `json:"title"`
	Context      []string `json:"context"`
	ExpiresAt    *string  `json:"expires_at"`
	FilterAction string   `json:"filter_action"`
	Keywords     []struct {
		ID        string `json:"id"`
		Keyword   string `json:"keyword"`
		WholeWord bool   `json:"whole_word"`
	} `json:"keywords"`
	Statuses []struct {
		ID       string `json:"id"`
		StatusID string `json:"status_id"`
	} `json:"statuses"`
}

// TestFiltersAPI creates, reads, changes and deletes filters, keywords and
// status entries; refuses bad input with 422 and others' filters with 404;
// marks warned statuses in the home timeline with filtered; and leaves
// hidden ones out of home and notifications.
func TestFiltersAPI(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ts := MustServer(t, engine)
		ann, bob := ts.MustUser(t, "ann"), ts.MustUser(t, "bob")
		ts.MustCall(t, post("/api/v1/accounts/"+bob.ID()+"/follow", ann.Token, nil), http.StatusOK, nil)

		var f filterJSON
		ts.MustCall(t, post("/api/v2/filters", ann.Token, url.Values{
			"title": {"Food"}, "context[]": {"home", "notifications"}, "filter_action": {"warn"}, "expires_in": {"3600"},
			"keywords_attributes[][keyword]": {"pizza", "soup"}, "keywords_attributes[][whole_word]": {"true", "false"},
		}), http.StatusOK, &f)
		if f.Title != "Food" || len(f.Context) != 2 || f.FilterAction != "warn" || f.ExpiresAt == nil || len(f.Keywords) != 2 || f.Statuses == nil ||
			f.Keywords[0].Keyword != "pizza" || !f.Keywords[0].WholeWord || f.Keywords[1].WholeWord {
			t.Fatalf("created %+v", f)
		}
		var hide filterJSON
		ts.MustCall(t, request{method: "POST", path: "/api/v2/filters", token: ann.Token, json: map[string]any{
			"title": "Spoilers", "context": []string{"home", "notifications"}, "filter_action": "hide",
			"keywords_attributes": []map[string]any{{"keyword": "spoiler", "whole_word": false}},
		}}, http.StatusOK, &hide)

		// Bad input: 422 with an error; someone else's or no filter: 404.
		for _, form := range []url.Values{
			{"context[]": {"home"}},
			{"title": {"x"}},
			{"title": {"x"}, "context[]": {"nowhere"}},
			{"title": {"x"}, "context[]": {"home"}, "filter_action": {"explode"}},
			{"title": {"x"}, "context[]": {"home"}, "expires_in": {"soon"}},
			{"title": {"x"}, "context[]": {"home"}, "keywords_attributes[][keyword]": {""}},
		} {
			ts.MustError(t, post("/api/v2/filters", ann.Token, form), http.StatusUnprocessableEntity)
		}
		ts.MustError(t, get("/api/v2/filters/"+f.ID, bob.Token), http.StatusNotFound)
		ts.MustError(t, request{method: "DELETE", path: "/api/v2/filters/" + f.ID, token: bob.Token}, http.StatusNotFound)
		ts.MustError(t, get("/api/v2/filters/12345", ann.Token), http.StatusNotFound)
		ts.MustError(t, get("/api/v2/filters/keywords/"+f.Keywords[0].ID, bob.Token), http.StatusNotFound)
		ts.MustError(t, post("/api/v2/filters/"+f.ID+"/keywords", bob.Token, url.Values{"keyword": {"x"}}), http.StatusNotFound)

		// Keywords.
		var kw struct {
			ID        string `json:"id"`
			Keyword   string `json:"keyword"`
			WholeWord bool   `json:"whole_word"`
		}
		ts.MustCall(t, post("/api/v2/filters/"+f.ID+"/keywords", ann.Token, url.Values{"keyword": {"curry"}, "whole_word": {"false"}}), http.StatusOK, &kw)
		if kw.Keyword != "curry" || kw.WholeWord {
			t.Errorf("keyword %+v", kw)
		}
		ts.MustCall(t, request{method: "PUT", path: "/api/v2/filters/keywords/" + kw.ID, token: ann.Token, form: url.Values{"keyword": {"noodles"}}}, http.StatusOK, &kw)
		ts.MustCall(t, get("/api/v2/filters/keywords/"+kw.ID, ann.Token), http.StatusOK, &kw)
		if kw.Keyword != "noodles" {
			t.Errorf("keyword after update %+v", kw)
		}
		var kws []map[string]any
		ts.MustCall(t, get("/api/v2/filters/"+f.ID+"/keywords", ann.Token), http.StatusOK, &kws)
		if len(kws) != 3 {
			t.Errorf("keywords = %v", kws)
		}
		ts.MustCall(t, request{method: "DELETE", path: "/api/v2/filters/keywords/" + kw.ID, token: ann.Token}, http.StatusOK, nil)
		ts.MustError(t, get("/api/v2/filters/keywords/"+kw.ID, ann.Token), http.StatusNotFound)
		// Update with keywords_attributes: rename, destroy.
		ts.MustCall(t, request{method: "PUT", path: "/api/v2/filters/" + f.ID, token: ann.Token, form: url.Values{
			"title": {"Meals"}, "keywords_attributes[0][id]": {f.Keywords[1].ID}, "keywords_attributes[0][_destroy]": {"true"},
		}}, http.StatusOK, &f)
		if f.Title != "Meals" || len(f.Keywords) != 1 || f.Keywords[0].Keyword != "pizza" {
			t.Errorf("after update %+v", f)
		}

		// Posts: a warned one carries filtered, a hidden one is gone.
		pizza := ts.MustPostText(t, bob.Token, "Pizza tonight")
		spoiler := ts.MustPostText(t, bob.Token, "@ann big SPOILERs ahead")
		plain := ts.MustPostText(t, bob.Token, "Nothing to see")
		var home []map[string]any
		ts.MustCall(t, get("/api/v1/timelines/home", ann.Token), http.StatusOK, &home)
		seen := map[string]map[string]any{}
		for _, s := range home {
			seen[s["id"].(string)] = s
		}
		if seen[spoiler.ID] != nil {
			t.Error("hidden post in home")
		}
		if _, ok := seen[plain.ID]["filtered"]; ok || seen[plain.ID] == nil {
			t.Errorf("plain post: %v", seen[plain.ID])
		}
		fl, _ := seen[pizza.ID]["filtered"].([]any)
		if len(fl) != 1 {
			t.Fatalf("pizza post filtered = %v", seen[pizza.ID]["filtered"])
		}
		r := fl[0].(map[string]any)
		if fm := r["filter"].(map[string]any); fm["id"] != f.ID || fm["filter_action"] != "warn" || fm["keywords"] != nil {
			t.Errorf("filter result %v", r)
		}
		if m, _ := r["keyword_matches"].([]any); len(m) != 1 || m[0] != "pizza" {
			t.Errorf("keyword_matches %v", r["keyword_matches"])
		}
		var notes []struct {
			Status *struct {
				ID string `json:"id"`
			} `json:"status"`
		}
		ts.MustCall(t, get("/api/v1/notifications", ann.Token), http.StatusOK, &notes)
		for _, n := range notes {
			if n.Status != nil && n.Status.ID == spoiler.ID {
				t.Error("notification of a hidden post")
			}
		}
		// Bob's view of the same posts carries no filtered.
		var bobPizza map[string]any
		ts.MustCall(t, get("/api/v1/statuses/"+pizza.ID, bob.Token), http.StatusOK, &bobPizza)
		if _, ok := bobPizza["filtered"]; ok {
			t.Errorf("bob sees filtered %v", bobPizza["filtered"])
		}

		// Status entries.
		var fs struct {
			ID       string `json:"id"`
			StatusID string `json:"status_id"`
		}
		ts.MustCall(t, post("/api/v2/filters/"+hide.ID+"/statuses", ann.Token, url.Values{"status_id": {plain.ID}}), http.StatusOK, &fs)
		if fs.StatusID != plain.ID {
			t.Errorf("filter status %+v", fs)
		}
		ts.MustError(t, post("/api/v2/filters/"+hide.ID+"/statuses", ann.Token, url.Values{"status_id": {plain.ID}}), http.StatusUnprocessableEntity)
		ts.MustError(t, post("/api/v2/filters/"+hide.ID+"/statuses", ann.Token, url.Values{"status_id": {"999"}}), http.StatusUnprocessableEntity)
		ts.MustCall(t, get("/api/v2/filters/statuses/"+fs.ID, ann.Token), http.StatusOK, nil)
		var entries []map[string]any
		ts.MustCall(t, get("/api/v2/filters/"+hide.ID+"/statuses", ann.Token), http.StatusOK, &entries)
		if len(entries) != 1 {
			t.Errorf("statuses = %v", entries)
		}
		home = nil
		ts.MustCall(t, get("/api/v1/timelines/home", ann.Token), http.StatusOK, &home)
		for _, s := range home {
			if s["id"] == plain.ID {
				t.Error("post filtered by ID in home")
			}
		}
		ts.MustError(t, get("/api/v2/filters/statuses/"+fs.ID, bob.Token), http.StatusNotFound)
		ts.MustCall(t, request{method: "DELETE", path: "/api/v2/filters/statuses/" + fs.ID, token: ann.Token}, http.StatusOK, nil)

		// v1 reads the keywords.
		var v1 []struct {
			ID           string `json:"id"`
			Phrase       string `json:"phrase"`
			Irreversible bool   `json:"irreversible"`
		}
		ts.MustCall(t, get("/api/v1/filters", ann.Token), http.StatusOK, &v1)
		if len(v1) != 2 {
			t.Errorf("v1 filters = %+v", v1)
		}

		// Scopes.
		readOnly := ts.MustTokenFor(t, ann.Account.ID, "read:filters")
		ts.MustCall(t, get("/api/v2/filters", readOnly), http.StatusOK, nil)
		ts.MustError(t, post("/api/v2/filters", readOnly, url.Values{"title": {"x"}, "context[]": {"home"}}), http.StatusForbidden)
		writeOnly := ts.MustTokenFor(t, ann.Account.ID, "write:filters")
		ts.MustError(t, get("/api/v2/filters", writeOnly), http.StatusForbidden)

		// Delete.
		ts.MustCall(t, request{method: "DELETE", path: "/api/v2/filters/" + f.ID, token: ann.Token}, http.StatusOK, nil)
		var list []filterJSON
		ts.MustCall(t, get("/api/v2/filters", ann.Token), http.StatusOK, &list)
		if len(list) != 1 || list[0].ID != hide.ID {
			t.Errorf("filters after delete = %+v", list)
		}
	})
}
