package mastodon_test

import (
	"encoding/json"
	"net/url"
	"testing"

	"starling/sqldb/sqldbtest"
)

type quoted struct {
	ID    string
	Quote *struct {
		State        string `json:"state"`
		QuotedStatus *struct {
			ID      string
			Content string
		} `json:"quoted_status"`
	}
	QuoteApproval struct {
		Automatic   []string `json:"automatic"`
		CurrentUser string   `json:"current_user"`
	} `json:"quote_approval"`
}

// TestQuotePosts: a member quotes a public post and the quote carries it;
// the author is told, sees the quotes and can revoke one; a post whose
// author allows no quotes, a followers-only policy for a non-follower, and
// a followers-only post are refused.
func TestQuotePosts(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ts := MustServer(t, engine)
		ann, bob, cat := ts.MustUser(t, "ann"), ts.MustUser(t, "bob"), ts.MustUser(t, "cat")
		original := ts.MustPost(t, ann.Token, url.Values{"status": {"Carers' week starts Monday"}})
		var q quoted
		ts.MustCall(t, post("/api/v1/statuses", bob.Token, url.Values{"status": {"Worth sharing"}, "quoted_status_id": {original.ID}}), 200, &q)
		if q.Quote == nil || q.Quote.State != "accepted" || q.Quote.QuotedStatus == nil || q.Quote.QuotedStatus.ID != original.ID {
			b, _ := json.Marshal(q)
			t.Fatalf("quote = %s", b)
		}
		var notes []struct{ Type string }
		ts.MustCall(t, get("/api/v1/notifications", ann.Token), 200, &notes)
		if len(notes) != 1 || notes[0].Type != "quote" {
			t.Fatalf("ann's notifications = %+v, want one quote", notes)
		}
		var quotes []quoted
		ts.MustCall(t, get("/api/v1/statuses/"+original.ID+"/quotes", ann.Token), 200, &quotes)
		if len(quotes) != 1 || quotes[0].ID != q.ID {
			t.Fatalf("quotes of ann's post = %+v", quotes)
		}
		quotesCount := func() int {
			var st struct {
				QuotesCount int `json:"quotes_count"`
			}
			ts.MustCall(t, get("/api/v1/statuses/"+original.ID, cat.Token), 200, &st)
			return st.QuotesCount
		}
		if n := quotesCount(); n != 1 {
			t.Errorf("quotes_count = %d after one quote, want 1", n)
		}
		second := ts.MustPost(t, cat.Token, url.Values{"status": {"Me too"}, "quoted_status_id": {original.ID}})
		if n := quotesCount(); n != 2 {
			t.Errorf("quotes_count = %d after two quotes, want 2", n)
		}
		ts.MustCall(t, request{method: "DELETE", path: "/api/v1/statuses/" + second.ID, token: cat.Token}, 200, nil)
		if n := quotesCount(); n != 1 {
			t.Errorf("quotes_count = %d after a quote was deleted, want 1", n)
		}
		ts.MustError(t, get("/api/v1/statuses/"+original.ID+"/quotes", cat.Token), 403)
		ts.MustError(t, post("/api/v1/statuses/"+original.ID+"/quotes/"+q.ID+"/revoke", cat.Token, nil), 404)

		var revoked quoted
		ts.MustCall(t, post("/api/v1/statuses/"+original.ID+"/quotes/"+q.ID+"/revoke", ann.Token, nil), 200, &revoked)
		ts.MustCall(t, get("/api/v1/statuses/"+q.ID, cat.Token), 200, &revoked)
		if revoked.Quote == nil || revoked.Quote.State != "revoked" || revoked.Quote.QuotedStatus != nil {
			t.Fatalf("after revoking: %+v", revoked.Quote)
		}
		if n := quotesCount(); n != 0 {
			t.Errorf("quotes_count = %d after the quote was revoked, want 0", n)
		}

		closed := ts.MustPost(t, ann.Token, url.Values{"status": {"Not for quoting"}, "quote_approval_policy": {"nobody"}})
		ts.MustError(t, post("/api/v1/statuses", bob.Token, url.Values{"status": {"x"}, "quoted_status_id": {closed.ID}}), 403)
		var c quoted
		ts.MustCall(t, get("/api/v1/statuses/"+closed.ID, bob.Token), 200, &c)
		if len(c.QuoteApproval.Automatic) != 0 || c.QuoteApproval.CurrentUser != "denied" {
			t.Fatalf("quote_approval of a no-quotes post = %+v", c.QuoteApproval)
		}
		followers := ts.MustPost(t, ann.Token, url.Values{"status": {"Followers may quote"}, "quote_approval_policy": {"followers"}})
		ts.MustError(t, post("/api/v1/statuses", cat.Token, url.Values{"status": {"x"}, "quoted_status_id": {followers.ID}}), 403)
		ts.MustCall(t, post("/api/v1/accounts/"+ann.ID()+"/follow", cat.Token, nil), 200, nil)
		ts.MustCall(t, post("/api/v1/statuses", cat.Token, url.Values{"status": {"now I may"}, "quoted_status_id": {followers.ID}}), 200, nil)
		private := ts.MustPost(t, ann.Token, url.Values{"status": {"Team only"}, "visibility": {"private"}})
		ts.MustError(t, post("/api/v1/statuses", cat.Token, url.Values{"status": {"x"}, "quoted_status_id": {private.ID}}), 403)
		ts.MustError(t, post("/api/v1/statuses", ann.Token, url.Values{"status": {"x"}, "quote_approval_policy": {"everyone-ish"}}), 422)
	})
}
