package mastodon_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"

	"starling/sqldb/sqldbtest"
)

// TestDomainBlocks blocks, lists (paged, with Link headers) and lifts
// domain blocks through the API, with Mastodon's shapes, and refuses bad
// domains, this server's own, and tokens without the scope.
func TestDomainBlocks(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ts := MustServer(t, engine)
		ann := ts.MustUser(t, "ann")
		list := func(path string) ([]string, response) {
			var out []string
			res := ts.MustCall(t, get(path, ann.Token), http.StatusOK, &out)
			return out, res
		}
		if got, _ := list("/api/v1/domain_blocks"); len(got) != 0 {
			t.Fatalf("before any block: %v", got)
		}
		for _, d := range []string{"spam.example", "https://Trolls.Example/about", "bücher.example"} {
			var body map[string]any
			ts.MustCall(t, post("/api/v1/domain_blocks", ann.Token, url.Values{"domain": {d}}), http.StatusOK, &body)
			if len(body) != 0 {
				t.Errorf("POST %s answered %v, want {}", d, body)
			}
		}
		// JSON bodies work too, and blocking again changes nothing.
		ts.MustCall(t, request{method: "POST", path: "/api/v1/domain_blocks", token: ann.Token, json: map[string]any{"domain": "spam.example"}}, http.StatusOK, nil)
		got, res := list("/api/v1/domain_blocks?limit=2")
		if diff := cmp.Diff([]string{"xn--bcher-kva.example", "trolls.example"}, got); diff != "" {
			t.Errorf("first page (-want +got):\n%s", diff)
		}
		next := links(t, res.Header)["next"]
		u, err := url.Parse(next)
		if err != nil || next == "" {
			t.Fatalf("Link next %q", next)
		}
		got, _ = list(u.RequestURI())
		if diff := cmp.Diff([]string{"spam.example"}, got); diff != "" {
			t.Errorf("second page (-want +got):\n%s", diff)
		}

		ts.MustCall(t, request{method: "DELETE", path: "/api/v1/domain_blocks?domain=TROLLS.example", token: ann.Token}, http.StatusOK, nil)
		ts.MustCall(t, request{method: "DELETE", path: "/api/v1/domain_blocks", token: ann.Token, form: url.Values{"domain": {"never-blocked.example"}}}, http.StatusOK, nil)
		got, _ = list("/api/v1/domain_blocks")
		if diff := cmp.Diff([]string{"xn--bcher-kva.example", "spam.example"}, got); diff != "" {
			t.Errorf("after the unblock (-want +got):\n%s", diff)
		}

		host, _ := url.Parse(ts.URL)
		for _, d := range []string{"", "not a domain", "localhost", host.Hostname(), "http://" + host.Host + "/"} {
			if msg := ts.MustError(t, post("/api/v1/domain_blocks", ann.Token, url.Values{"domain": {d}}), http.StatusUnprocessableEntity); msg == "" {
				t.Errorf("%q: no message", d)
			}
		}
		readOnly := ts.MustTokenFor(t, ann.Account.ID, "read")
		ts.MustError(t, post("/api/v1/domain_blocks", readOnly, url.Values{"domain": {"x.example"}}), http.StatusForbidden)
		ts.MustError(t, get("/api/v1/domain_blocks", ""), http.StatusUnauthorized)
	})
}
