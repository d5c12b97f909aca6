package mastodon_test

import (
	"net/url"
	"testing"

	"starling/sqldb/sqldbtest"
)

// TestFeaturedTags: a member features hashtags on their profile, each with
// the count of their public posts using it; others read them; limits hold.
func TestFeaturedTags(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ts := MustServer(t, engine)
		ann, bob := ts.MustUser(t, "ann"), ts.MustUser(t, "bob")
		ts.MustPost(t, ann.Token, url.Values{"status": {"Day one #ADASSspring"}})
		ts.MustPost(t, ann.Token, url.Values{"status": {"Day two #adassspring"}})
		ts.MustPost(t, ann.Token, url.Values{"status": {"team only #adassspring"}, "visibility": {"private"}})
		var f struct {
			ID, Name, URL string
			StatusesCount int     `json:"statuses_count"`
			LastStatusAt  *string `json:"last_status_at"`
		}
		ts.MustCall(t, post("/api/v1/featured_tags", ann.Token, url.Values{"name": {"#AdassSpring"}}), 200, &f)
		if f.Name != "adassspring" || f.StatusesCount != 2 || f.LastStatusAt == nil || f.URL != ts.URL+"/@ann?tagged=adassspring" {
			t.Fatalf("featured = %+v", f)
		}
		ts.MustError(t, post("/api/v1/featured_tags", ann.Token, url.Values{"name": {"adassspring"}}), 422)
		ts.MustError(t, post("/api/v1/featured_tags", ann.Token, url.Values{"name": {"not a tag!"}}), 422)
		var list []struct{ ID, Name string }
		ts.MustCall(t, get("/api/v1/accounts/"+ann.ID()+"/featured_tags", bob.Token), 200, &list)
		if len(list) != 1 || list[0].Name != "adassspring" {
			t.Fatalf("ann's featured tags seen by bob = %+v", list)
		}
		ts.MustError(t, request{method: "DELETE", path: "/api/v1/featured_tags/" + f.ID, token: bob.Token}, 404)
		ts.MustCall(t, request{method: "DELETE", path: "/api/v1/featured_tags/" + f.ID, token: ann.Token}, 200, nil)
		ts.MustCall(t, get("/api/v1/featured_tags", ann.Token), 200, &list)
		if len(list) != 0 {
			t.Fatalf("after removing: %+v", list)
		}
		for i := range 10 {
			ts.MustCall(t, post("/api/v1/featured_tags", ann.Token, url.Values{"name": {"tag" + string(rune('a'+i))}}), 200, nil)
		}
		ts.MustError(t, post("/api/v1/featured_tags", ann.Token, url.Values{"name": {"eleventh"}}), 422)
	})
}
