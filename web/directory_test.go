package web

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"starling"
	"starling/apptest"
)

// TestDirectoryPage filters the directory by role, organisation and region,
// signed out and in, and shows what trends in the chosen region.
func TestDirectoryPage(t *testing.T) {
	env := mustServer(t, starling.RegistrationsOpen, Options{})
	ctx := context.Background()
	people := []struct{ name, role, org, region string }{
		{"amara", "Social worker", "Manchester City Council", "North West"},
		{"ben", "Director of adult social services", "Camden Council", "London"},
		{"chen", "Occupational therapist", "Manchester City Council", "North West"},
		{"dee", "Social worker", "Leeds City Council", "Yorkshire and the Humber"},
	}
	for _, p := range people {
		a := apptest.MustAccount(t, env.svc, p.name)
		fields := []starling.Field{{Name: "Role", Value: p.role}, {Name: "Organisation", Value: p.org}, {Name: "Region", Value: p.region}}
		if _, err := env.svc.UpdateProfile(ctx, a, starling.ProfileUpdate{Fields: &fields}); err != nil {
			t.Fatal(err)
		}
		if _, err := env.svc.PostStatus(ctx, a, starling.NewStatus{Text: fmt.Sprintf("Hello from %s #adassspring", p.name)}); err != nil {
			t.Fatal(err)
		}
	}
	names := func(res *response) []string {
		var out []string
		for _, n := range findAll(res.Doc, func(n *html.Node) bool { return n.Data == "span" && attr(n, "class") == "acct" }) {
			out = append(out, strings.TrimPrefix(text(n), "@"))
		}
		return out
	}
	visitor := env.newBrowser()
	for query, want := range map[string]string{
		"":                                  "dee chen ben amara",
		"?role=social+worker":               "dee amara",
		"?organisation=manchester":          "chen amara",
		"?region=North+West&role=therapist": "chen",
		"?region=London&order=new":          "ben",
	} {
		res := visitor.get("/directory" + query)
		if res.StatusCode != 200 {
			t.Fatalf("/directory%s: %d", query, res.StatusCode)
		}
		if got := strings.Join(names(res), " "); got != want {
			t.Errorf("/directory%s lists %q, want %q", query, got, want)
		}
	}
	if res := visitor.get("/directory"); !strings.Contains(res.Body, `href="/tags/adassspring"`) {
		t.Error("the directory does not show #adassspring trending (4 people)")
	}
	if res := visitor.get("/directory?region=London"); strings.Contains(res.Body, `href="/tags/adassspring"`) {
		t.Error("#adassspring trends in London, where one person used it")
	}
	member := env.newBrowser()
	member.signIn("amara@example.org", "password123")
	if res := member.get("/directory"); !strings.Contains(res.Body, "/follow\"") {
		t.Error("a member sees no follow buttons in the directory")
	}
}

// TestBrowserDirectory checks the directory with axe-core, filtered.
func TestBrowserDirectory(t *testing.T) {
	j := newJourney(t)
	a := apptest.MustAccount(t, j.env.svc, "amara")
	fields := []starling.Field{{Name: "Role", Value: "Social worker"}, {Name: "Region", Value: "North West"}}
	if _, err := j.env.svc.UpdateProfile(context.Background(), a, starling.ProfileUpdate{Fields: &fields}); err != nil {
		t.Fatal(err)
	}
	j.signIn("amara@example.org", "password123")
	j.open("/directory?region=North+West&role=social")
	j.at("the directory", "/directory")
}
