package web

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"starling"
	"starling/apptest"
)

// TestImportPage uploads a Mastodon follows export through the settings
// page, without JavaScript: the page says what it did, a broken file is
// refused with the line at fault, and the export downloads as CSV.
func TestImportPage(t *testing.T) {
	env := mustServer(t, starling.RegistrationsOpen, Options{})
	ann := apptest.MustAccount(t, env.svc, "ann")
	bob := apptest.MustAccount(t, env.svc, "bob")
	b := env.newBrowser()
	b.signIn("ann@example.org", "password123")
	page := b.get("/settings/import")
	fields := map[string]string{"csrf_token": hiddenFields(t, page, "/settings/import").Get("csrf_token"), "kind": "following"}
	res := b.postMultipart("/settings/import", fields, map[string][]byte{"file": []byte("Account address,Show boosts,Notify on new posts,Languages\nbob,true,false,\nnobody,true,false,\n")})
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "1 account added") || !strings.Contains(res.Body, "Not found here: nobody") {
		t.Fatalf("import: %d", res.StatusCode)
	}
	if rel, _ := env.svc.Relationship(context.Background(), ann, bob.ID); !rel.Following {
		t.Fatal("not following bob after the import")
	}
	res = b.postMultipart("/settings/import", fields, map[string][]byte{"file": []byte("\"bob,true\n")})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "not CSV") || !strings.Contains(res.Body, `href="#import-file"`) {
		t.Fatalf("a broken file: %d", res.StatusCode)
	}
	res = b.get("/settings/export/following.csv")
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") ||
		!strings.Contains(res.Body, "bob@"+env.svc.Instance().Domain+",true,false,") {
		t.Fatalf("export: %d %q %q", res.StatusCode, res.Header.Get("Content-Type"), res.Body)
	}
	if res := b.get("/settings/export/passwords.csv"); res.StatusCode != http.StatusNotFound {
		t.Errorf("an unknown export: %d", res.StatusCode)
	}
	if res := env.newBrowser().get("/settings/export/following.csv"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("signed out, an export: %d, want the sign-in page", res.StatusCode)
	}
}
