package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"starling"
	"starling/apptest"
)

func TestCSRF(t *testing.T) {
	env := mustServer(t, starling.RegistrationsApproval, Options{})
	env.mustStaff("boss")
	pending := env.newBrowser()
	if res := pending.submit(pending.get("/auth/sign_up"), "/auth/sign_up", signUpForm("kim")); res.StatusCode != http.StatusOK {
		t.Fatalf("sign up: status %d", res.StatusCode)
	}
	kim, err := env.svc.LookupAccount(context.Background(), "kim")
	if err != nil {
		t.Fatal(err)
	}
	app, _, err := env.svc.CreateApplication(context.Background(), starling.NewApplication{
		Name: "Tusky", RedirectURIs: []string{"http://127.0.0.1:9/cb"}, Scopes: "read write",
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	// Each case posts a form that would change something, and checks afterwards that it did not.
	tests := []struct {
		name      string
		path      string
		form      url.Values
		unchanged func(t *testing.T, admin *browser)
	}{
		{"SignOut", "/auth/sign_out", url.Values{}, func(t *testing.T, admin *browser) {
			if _, err := env.svc.Authenticate(ctx, admin.cookie(sessionCookie)); err != nil {
				t.Errorf("session revoked: %v", err)
			}
		}},
		{"SignUp", "/auth/sign_up", signUpForm("mallory"), func(t *testing.T, _ *browser) {
			if _, err := env.svc.LookupAccount(ctx, "mallory"); starling.ErrorCode(err) != starling.ENOTFOUND {
				t.Errorf("account created: %v", err)
			}
		}},
		{"SignIn", "/auth/sign_in", url.Values{"login": {"boss"}, "password": {"password123"}}, nil},
		{"Approve", "/admin/sign_ups/" + starling.FormatID(kim.ID) + "/approve", url.Values{}, func(t *testing.T, _ *browser) {
			if _, _, err := env.svc.SignIn(ctx, "kim", "correct horse battery"); starling.ErrorCode(err) != starling.EFORBIDDEN {
				t.Errorf("sign-up approved: %v", err)
			}
		}},
		{"Reject", "/admin/sign_ups/" + starling.FormatID(kim.ID) + "/reject", url.Values{}, func(t *testing.T, _ *browser) {
			if _, err := env.svc.LookupAccount(ctx, "kim"); err != nil {
				t.Errorf("sign-up rejected: %v", err)
			}
		}},
		{"Authorize", "/oauth/authorize", url.Values{"client_id": {app.ClientID}, "redirect_uri": {"http://127.0.0.1:9/cb"},
			"response_type": {"code"}, "decision": {"authorize"}}, nil},
	}
	tokens := []struct {
		name   string
		cookie bool   // the browser has the form cookie
		field  string // "" for no field; "=" for the cookie's value
		header string // Sec-Fetch-Site
	}{
		{"NoToken", true, "", ""},
		{"WrongToken", true, strings.Repeat("A", 43), ""},
		{"NoCookie", false, strings.Repeat("A", 43), ""},
		{"CrossSite", true, "=", "cross-site"},
	}
	for _, tt := range tests {
		for _, tok := range tokens {
			t.Run(tt.name+"/"+tok.name, func(t *testing.T) {
				admin := env.newBrowser()
				admin.signIn("boss", "password123")
				before := admin.cookie(sessionCookie)
				v := url.Values{}
				for k, vs := range tt.form {
					v[k] = vs
				}
				switch tok.field {
				case "=":
					v.Set(csrfField, admin.cookie(csrfCookie))
				case "":
				default:
					v.Set(csrfField, tok.field)
				}
				if !tok.cookie {
					admin.deleteCookie(csrfCookie)
				}
				req, _ := http.NewRequest(http.MethodPost, env.srv.URL+tt.path, strings.NewReader(v.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				if tok.header != "" {
					req.Header.Set("Sec-Fetch-Site", tok.header)
				}
				res := admin.do(req)
				if res.StatusCode != http.StatusForbidden || !strings.Contains(res.Body, "The form expired; please go back and try again") {
					t.Fatalf("status %d, location %q: %s", res.StatusCode, res.Header.Get("Location"), res.Body)
				}
				if responseCookie(res, sessionCookie) != nil || admin.cookie(sessionCookie) != before {
					t.Error("session cookie changed")
				}
				if tt.unchanged != nil {
					tt.unchanged(t, admin)
				}
			})
		}
	}

	t.Run("TokenGoodForSignedInMember", func(t *testing.T) {
		// The same cookie serves before and after signing in, so a form
		// loaded while signed out still posts once signed in.
		apptest.MustAccount(t, env.svc, "lee")
		b := env.newBrowser()
		form := b.get("/auth/sign_in")
		b.signIn("lee", "password123")
		if res := b.submit(form, "/auth/sign_in", url.Values{"login": {"lee"}, "password": {"password123"}}); res.StatusCode != http.StatusSeeOther {
			t.Errorf("status %d", res.StatusCode)
		}
	})
}
