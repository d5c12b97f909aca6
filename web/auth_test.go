package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"

	"starling"
	"starling/apptest"
)

// signUpForm is a sign-up that passes every rule.
func signUpForm(username string) url.Values {
	return url.Values{
		"username": {username}, "email": {username + "@council.example"},
		"password": {"correct horse battery"}, "password_confirmation": {"correct horse battery"},
		"agreement": {"1"},
	}
}

func TestSignUp(t *testing.T) {
	t.Run("OpenSignsIn", func(t *testing.T) {
		env := mustServer(t, starling.RegistrationsOpen, Options{})
		b := env.newBrowser()
		form := b.get("/auth/sign_up")
		if form.StatusCode != http.StatusOK {
			t.Fatalf("status %d", form.StatusCode)
		}
		if byID(form.Doc, "reason") != nil {
			t.Error("open mode asks for a reason")
		}
		res := b.submit(form, "/auth/sign_up", signUpForm("alice"))
		// A new member starts with the first-run guide.
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/start" {
			t.Fatalf("status %d, location %q: %s", res.StatusCode, res.Header.Get("Location"), res.Body)
		}
		if b.cookie(sessionCookie) == "" {
			t.Fatal("no session cookie")
		}
		home := b.follow(res)
		if !strings.Contains(text(home.Doc), "Signed in as @alice") {
			t.Errorf("home page does not say who is signed in: %s", home.Body)
		}
	})

	t.Run("ApprovalThenAdminApproves", func(t *testing.T) {
		env := mustServer(t, starling.RegistrationsApproval, Options{})
		env.mustStaff("boss")
		b := env.newBrowser()
		form := b.get("/auth/sign_up")
		if byID(form.Doc, "reason") == nil {
			t.Fatal("approval mode does not ask why")
		}
		v := signUpForm("carol")
		v.Set("reason", "I lead a home care team in Leeds")
		res := b.submit(form, "/auth/sign_up", v)
		if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "An admin will review it") {
			t.Fatalf("status %d: %s", res.StatusCode, res.Body)
		}
		if b.cookie(sessionCookie) != "" {
			t.Fatal("a pending member was signed in")
		}

		res = b.submit(b.get("/auth/sign_in"), "/auth/sign_in", url.Values{"login": {"carol"}, "password": {"correct horse battery"}})
		if res.StatusCode != http.StatusForbidden || !strings.Contains(res.Body, "pending approval") {
			t.Fatalf("pending sign-in: status %d: %s", res.StatusCode, res.Body)
		}

		admin := env.newBrowser()
		admin.signIn("boss", "password123")
		list := admin.get("/admin/sign_ups")
		if list.StatusCode != http.StatusOK {
			t.Fatalf("sign-ups list: status %d", list.StatusCode)
		}
		for _, want := range []string{"@carol", "carol@council.example", "I lead a home care team in Leeds"} {
			if !strings.Contains(text(list.Doc), want) {
				t.Errorf("sign-ups list lacks %q", want)
			}
		}
		carol, err := env.svc.LookupAccount(context.Background(), "carol")
		if err != nil {
			t.Fatal(err)
		}
		action := "/admin/sign_ups/" + starling.FormatID(carol.ID) + "/approve"
		res = admin.submit(list, action, nil)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("approve: status %d: %s", res.StatusCode, res.Body)
		}
		if after := admin.follow(res); !strings.Contains(after.Body, "Sign-up approved") || strings.Contains(after.Body, "@carol") {
			t.Errorf("list after approval: %s", after.Body)
		}
		b.signIn("carol", "correct horse battery")
	})

	t.Run("AdminRejects", func(t *testing.T) {
		env := mustServer(t, starling.RegistrationsApproval, Options{})
		env.mustStaff("boss")
		b := env.newBrowser()
		b.submit(b.get("/auth/sign_up"), "/auth/sign_up", signUpForm("dave"))
		dave, err := env.svc.LookupAccount(context.Background(), "dave")
		if err != nil {
			t.Fatal(err)
		}
		admin := env.newBrowser()
		admin.signIn("boss", "password123")
		res := admin.submit(admin.get("/admin/sign_ups"), "/admin/sign_ups/"+starling.FormatID(dave.ID)+"/reject", nil)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("reject: status %d: %s", res.StatusCode, res.Body)
		}
		if _, err := env.svc.LookupAccount(context.Background(), "dave"); starling.ErrorCode(err) != starling.ENOTFOUND {
			t.Errorf("rejected account still there: %v", err)
		}
	})

	t.Run("Closed", func(t *testing.T) {
		env := mustServer(t, starling.RegistrationsClosed, Options{})
		b := env.newBrowser()
		page := b.get("/auth/sign_up")
		if page.StatusCode != http.StatusForbidden || !strings.Contains(page.Body, "Sign-ups are closed") {
			t.Fatalf("status %d: %s", page.StatusCode, page.Body)
		}
		v := signUpForm("erin")
		v.Set(csrfField, b.cookie(csrfCookie))
		if res := b.post("/auth/sign_up", v); res.StatusCode != http.StatusForbidden {
			t.Fatalf("post: status %d", res.StatusCode)
		}
		if _, err := env.svc.LookupAccount(context.Background(), "erin"); starling.ErrorCode(err) != starling.ENOTFOUND {
			t.Errorf("account created while closed: %v", err)
		}
	})
}

func TestSignUpErrors(t *testing.T) {
	env := mustServer(t, starling.RegistrationsOpen, Options{})
	first := env.newBrowser()
	if res := first.submit(first.get("/auth/sign_up"), "/auth/sign_up", signUpForm("taken")); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("first sign-up: status %d", res.StatusCode)
	}
	tests := []struct {
		name  string
		edit  func(url.Values)
		field string
	}{
		{"ErrUsernameTaken", func(v url.Values) { v.Set("username", "taken") }, "username"},
		{"ErrPasswordShort", func(v url.Values) { v.Set("password", "pw9Qz"); v.Set("password_confirmation", "pw9Qz") }, "password"},
		{"ErrAgreementMissing", func(v url.Values) { v.Del("agreement") }, "agreement"},
		{"ErrConfirmationMismatch", func(v url.Values) { v.Set("password_confirmation", "something else entirely") }, "password_confirmation"},
		{"ErrEmailInvalid", func(v url.Values) { v.Set("email", "not-an-email") }, "email"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := env.newBrowser()
			v := signUpForm("frank")
			v.Set("email", "frank@trust.example")
			tt.edit(v)
			res := b.submit(b.get("/auth/sign_up"), "/auth/sign_up", v)
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("status %d: %s", res.StatusCode, res.Body)
			}
			alerts := findAll(res.Doc, func(n *html.Node) bool { return attr(n, "role") == "alert" })
			if len(alerts) != 1 {
				t.Fatalf("%d error summaries", len(alerts))
			}
			links := findAll(alerts[0], func(n *html.Node) bool { return n.Data == "a" })
			if len(links) != 1 || attr(links[0], "href") != "#"+tt.field {
				t.Errorf("error summary does not link to #%s: %s", tt.field, text(alerts[0]))
			}
			field := byID(res.Doc, tt.field)
			if field == nil || attr(field, "aria-invalid") != "true" {
				t.Errorf("field %s not marked invalid", tt.field)
			} else if !strings.Contains(attr(field, "aria-describedby"), tt.field+"-error") {
				t.Errorf("field %s not described by its error", tt.field)
			}
			if got := attr(byID(res.Doc, "username"), "value"); got != v.Get("username") {
				t.Errorf("username not kept: %q", got)
			}
			if got := attr(byID(res.Doc, "email"), "value"); got != v.Get("email") {
				t.Errorf("email not kept: %q", got)
			}
			if strings.Contains(res.Body, v.Get("password")) {
				t.Error("the password was sent back")
			}
			if tt.field != "agreement" && !hasAttr(byID(res.Doc, "agreement"), "checked") {
				t.Error("agreement not kept")
			}
			if title := text(findAll(res.Doc, func(n *html.Node) bool { return n.Data == "title" })[0]); !strings.HasPrefix(title, "Error: ") {
				t.Errorf("title %q does not start with Error:", title)
			}
		})
	}
}

func TestSignIn(t *testing.T) {
	env := mustServer(t, starling.RegistrationsOpen, Options{})
	b := env.newBrowser()
	b.submit(b.get("/auth/sign_up"), "/auth/sign_up", signUpForm("gina"))

	t.Run("ErrWrongPassword", func(t *testing.T) {
		b := env.newBrowser()
		res := b.submit(b.get("/auth/sign_in"), "/auth/sign_in", url.Values{"login": {"gina"}, "password": {"wrong password"}})
		if res.StatusCode != http.StatusUnauthorized || !strings.Contains(res.Body, "Invalid email or password") {
			t.Fatalf("status %d: %s", res.StatusCode, res.Body)
		}
		if got := attr(byID(res.Doc, "login"), "value"); got != "gina" {
			t.Errorf("login not kept: %q", got)
		}
		if responseCookie(res, sessionCookie) != nil {
			t.Error("session cookie set")
		}
	})

	t.Run("Lockout", func(t *testing.T) {
		b := env.newBrowser()
		b.submit(b.get("/auth/sign_up"), "/auth/sign_up", signUpForm("hana"))
		for range starling.SignInFailuresAllowed {
			b := env.newBrowser()
			res := b.submit(b.get("/auth/sign_in"), "/auth/sign_in", url.Values{"login": {"hana"}, "password": {"wrong password"}})
			if res.StatusCode != http.StatusUnauthorized {
				t.Fatalf("wrong password: status %d", res.StatusCode)
			}
		}
		b = env.newBrowser()
		res := b.submit(b.get("/auth/sign_in"), "/auth/sign_in", url.Values{"login": {"hana"}, "password": {"correct horse battery"}})
		if res.StatusCode != http.StatusTooManyRequests || !strings.Contains(res.Body, "Too many failed sign-in attempts for this login. Please wait 1 minute") {
			t.Fatalf("right password while locked: status %d: %s", res.StatusCode, res.Body)
		}
		if ra := res.Header.Get("Retry-After"); ra != "60" && ra != "59" {
			t.Errorf("Retry-After %q, want about 60", ra)
		}
		if responseCookie(res, sessionCookie) != nil {
			t.Error("session cookie set while locked")
		}
		if got := attr(byID(res.Doc, "login"), "value"); got != "hana" {
			t.Errorf("login not kept: %q", got)
		}
	})

	t.Run("CookieFlags", func(t *testing.T) {
		b := env.newBrowser()
		res := b.submit(b.get("/auth/sign_in"), "/auth/sign_in", url.Values{"login": {"gina@council.example"}, "password": {"correct horse battery"}})
		c := responseCookie(res, sessionCookie)
		if res.StatusCode != http.StatusSeeOther || c == nil {
			t.Fatalf("status %d, cookie %v", res.StatusCode, c)
		}
		got := struct {
			HttpOnly, Secure bool
			SameSite         http.SameSite
			Path             string
			MaxAge           int
		}{c.HttpOnly, c.Secure, c.SameSite, c.Path, c.MaxAge}
		want := got
		want.HttpOnly, want.Secure, want.SameSite, want.Path, want.MaxAge = true, false, http.SameSiteLaxMode, "/", 30*24*3600
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("cookie (-want +got):\n%s", diff)
		}
		if _, err := env.svc.Authenticate(context.Background(), c.Value); err != nil {
			t.Errorf("session token does not work: %v", err)
		}
	})

	t.Run("Next", func(t *testing.T) {
		tests := []struct{ next, want string }{
			{"/admin/sign_ups?x=1", "/admin/sign_ups?x=1"},
			{"//evil.example/", "/"},
			{"/\\evil.example", "/"},
			{"https://evil.example/", "/"},
			{"javascript:alert(1)", "/"},
			{"", "/"},
		}
		for _, tt := range tests {
			b := env.newBrowser()
			page := b.get("/auth/sign_in?next=" + url.QueryEscape(tt.next))
			res := b.submit(page, "/auth/sign_in", url.Values{"login": {"gina"}, "password": {"correct horse battery"}})
			if got := res.Header.Get("Location"); got != tt.want {
				t.Errorf("next %q: redirected to %q, want %q", tt.next, got, tt.want)
			}
		}
	})
}

func TestSignOut(t *testing.T) {
	env := mustServer(t, starling.RegistrationsOpen, Options{})
	b := env.newBrowser()
	b.submit(b.get("/auth/sign_up"), "/auth/sign_up", signUpForm("hana"))
	token := b.cookie(sessionCookie)
	if _, err := env.svc.Authenticate(context.Background(), token); err != nil {
		t.Fatal(err)
	}
	res := b.submit(b.get("/"), "/auth/sign_out", nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/" {
		t.Fatalf("status %d: %s", res.StatusCode, res.Body)
	}
	if c := responseCookie(res, sessionCookie); c == nil || c.MaxAge >= 0 {
		t.Errorf("cookie not cleared: %v", c)
	}
	if _, err := env.svc.Authenticate(context.Background(), token); starling.ErrorCode(err) != starling.EUNAUTHORIZED {
		t.Errorf("token still works after sign-out: %v", err)
	}
	if home := b.get("/"); strings.Contains(home.Body, "Signed in as") {
		t.Error("still signed in")
	}
}

func TestSessionCookie(t *testing.T) {
	t.Run("InvalidIsCleared", func(t *testing.T) {
		env := mustServer(t, starling.RegistrationsOpen, Options{})
		b := env.newBrowser()
		b.setCookie(sessionCookie, "not-a-token")
		res := b.get("/")
		if res.StatusCode != http.StatusOK || strings.Contains(res.Body, "Signed in as") {
			t.Fatalf("status %d: %s", res.StatusCode, res.Body)
		}
		if c := responseCookie(res, sessionCookie); c == nil || c.MaxAge >= 0 {
			t.Errorf("bad cookie not cleared: %v", c)
		}
	})

	tests := []struct {
		name  string
		opts  Options
		proto string
	}{
		{"SecureOption", Options{SecureCookies: true}, ""},
		{"ForwardedProto", Options{}, "https"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := mustServer(t, starling.RegistrationsOpen, tt.opts)
			b := env.newBrowser()
			req, _ := http.NewRequest(http.MethodGet, env.srv.URL+"/auth/sign_in", nil)
			if tt.proto != "" {
				req.Header.Set("X-Forwarded-Proto", tt.proto)
			}
			res := b.do(req)
			if c := responseCookie(res, csrfCookie); c == nil || !c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode {
				t.Errorf("form cookie %+v", c)
			}
		})
	}
}

func TestAdminAccess(t *testing.T) {
	env := mustServer(t, starling.RegistrationsApproval, Options{})
	b := env.newBrowser()
	res := b.get("/admin/sign_ups")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/auth/sign_in?next=%2Fadmin%2Fsign_ups" {
		t.Fatalf("signed out: status %d, location %q", res.StatusCode, res.Header.Get("Location"))
	}

	b.submit(b.get("/auth/sign_up"), "/auth/sign_up", signUpForm("ivan"))
	ivan, err := env.svc.LookupAccount(context.Background(), "ivan")
	if err != nil {
		t.Fatal(err)
	}
	apptest.MustAccount(t, env.svc, "jo")
	member := env.newBrowser()
	member.signIn("jo", "password123")
	if res := member.get("/admin/sign_ups"); res.StatusCode != http.StatusForbidden {
		t.Errorf("member sees sign-ups: status %d", res.StatusCode)
	}
	v := url.Values{csrfField: {member.cookie(csrfCookie)}}
	if res := member.post("/admin/sign_ups/"+starling.FormatID(ivan.ID)+"/approve", v); res.StatusCode != http.StatusForbidden {
		t.Errorf("member approves: status %d", res.StatusCode)
	}
	if _, _, err := env.svc.SignIn(context.Background(), "ivan", "correct horse battery"); starling.ErrorCode(err) != starling.EFORBIDDEN {
		t.Errorf("ivan no longer pending: %v", err)
	}
}
