package main

import (
	"context"
	"regexp"
	"strings"
	"testing"

	mastodon "github.com/mattn/go-mastodon"
)

var demoLogin = regexp.MustCompile(`(?m)^\s+(admin|member)\s+username (\S+)\s+password (\S+)$`)

// MustRunDemo runs `starling demo` with args and returns its output and the
// printed usernames and passwords by role.
func MustRunDemo(tb testing.TB, args ...string) (string, map[string][2]string) {
	tb.Helper()
	var out, errOut syncBuffer
	if err := run(context.Background(), append([]string{"demo"}, args...), func(string) string { return "" }, &out, &errOut); err != nil {
		tb.Fatalf("demo %v: %v\n%s", args, err, errOut.String())
	}
	logins := map[string][2]string{}
	for _, m := range demoLogin.FindAllStringSubmatch(out.String(), -1) {
		logins[m[1]] = [2]string{m[2], m[3]}
	}
	if len(logins) != 2 {
		tb.Fatalf("demo printed no admin and member logins:\n%s", out.String())
	}
	return out.String(), logins
}

// TestDemo seeds a data folder that has a real member, serves it, and signs
// in with the printed passwords as an app would.
func TestDemo(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	MustCreateAccount(t, data, "jo")

	var out, errOut syncBuffer
	err := run(ctx, []string{"demo", "--data", data}, func(string) string { return "" }, &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "--force") || !strings.Contains(err.Error(), "@jo") {
		t.Fatalf("demo beside a real member: %v; want a refusal that names @jo and --force", err)
	}

	output, logins := MustRunDemo(t, "--data", data, "--force", "--domain", "care.example.org")
	for _, want := range []string{"Created 50 accounts", "https://care.example.org/auth/sign_in", "#adassspring",
		"People in social care worth following", "private to their owner"} {
		if !strings.Contains(output, want) {
			t.Errorf("output lacks %q:\n%s", want, output)
		}
	}

	base, _ := MustRunMain(t, "--data", data)
	app, err := mastodon.RegisterApp(ctx, &mastodon.AppConfig{Server: base, ClientName: "demo test", Scopes: "read write follow", RedirectURIs: "urn:ietf:wg:oauth:2.0:oob"})
	if err != nil {
		t.Fatal(err)
	}
	signIn := func(login [2]string) *mastodon.Client {
		t.Helper()
		c := mastodon.NewClient(&mastodon.Config{Server: base, ClientID: app.ClientID, ClientSecret: app.ClientSecret})
		if err := c.Authenticate(ctx, login[0], login[1]); err != nil {
			t.Fatalf("sign in as %s: %v", login[0], err)
		}
		return c
	}
	member := signIn(logins["member"])
	for name, get := range map[string]func() ([]*mastodon.Status, error){
		"home":   func() ([]*mastodon.Status, error) { return member.GetTimelineHome(ctx, nil) },
		"public": func() ([]*mastodon.Status, error) { return member.GetTimelinePublic(ctx, true, nil) },
		"tag":    func() ([]*mastodon.Status, error) { return member.GetTimelineHashtag(ctx, "adassspring", true, nil) },
	} {
		if list, err := get(); err != nil || len(list) == 0 {
			t.Errorf("%s timeline: %d statuses, %v", name, len(list), err)
		}
	}
	admin := signIn(logins["admin"])
	if me, err := admin.GetAccountCurrentUser(ctx); err != nil || me.Username != logins["admin"][0] {
		t.Errorf("admin = %+v, %v", me, err)
	}

	// Again, with the server running: nothing added, new passwords that work.
	output, again := MustRunDemo(t, "--data", data)
	if !strings.Contains(output, "already") || again["member"][0] != logins["member"][0] || again["member"][1] == logins["member"][1] {
		t.Errorf("second run printed %v:\n%s", again, output)
	}
	signIn(again["member"])
}
