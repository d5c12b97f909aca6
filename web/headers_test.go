package web

import (
	"bytes"
	"image"
	_ "image/png" // to decode the default images
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"starling"
)

func TestStatic(t *testing.T) {
	env := mustServer(t, starling.RegistrationsOpen, Options{})
	b := env.newBrowser()
	for _, tt := range []struct {
		path, contentType string
		width, height     int
	}{
		{"/static/style.css", "text/css; charset=utf-8", 0, 0},
		{"/static/avatar.png", "image/png", 400, 400},
		{"/static/header.png", "image/png", 1500, 500},
	} {
		res := b.get(tt.path)
		if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != tt.contentType {
			t.Errorf("%s: status %d, type %q", tt.path, res.StatusCode, res.Header.Get("Content-Type"))
			continue
		}
		if got := res.Header.Get("Cache-Control"); got != "public, max-age=604800" {
			t.Errorf("%s: Cache-Control %q", tt.path, got)
		}
		if csp := res.Header.Get("Content-Security-Policy"); csp != contentSecurityPolicy() {
			t.Errorf("%s: CSP %q", tt.path, csp)
		}
		if len(res.Cookies()) > 0 {
			t.Errorf("%s: a cacheable reply sets cookies", tt.path)
		}
		if tt.width == 0 {
			continue
		}
		cfg, format, err := image.DecodeConfig(bytes.NewReader([]byte(res.Body)))
		if err != nil || format != "png" || cfg.Width != tt.width || cfg.Height != tt.height {
			t.Errorf("%s: %s %dx%d, %v", tt.path, format, cfg.Width, cfg.Height, err)
		}
	}
	for _, path := range []string{"/static/", "/static/nope.css"} {
		if res := b.get(path); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s: status %d", path, res.StatusCode)
		}
	}
	// The mux sends unclean paths to their clean form, outside /static/.
	if res := b.get("/static/../web.go"); res.StatusCode == http.StatusOK {
		t.Errorf("escaped /static/: %s", res.Body)
	}
}

func TestFormActionSource(t *testing.T) {
	for uri, want := range map[string]string{
		"http://127.0.0.1:8080/cb?x=1":    "http://127.0.0.1:8080",
		"HTTPS://App.Example/cb":          "https://app.example",
		"https://[::1]:9/cb":              "https://[::1]:9",
		"myapp://oauth":                   "myapp:",
		"com.example.app:/oauth2redirect": "com.example.app:",
		starling.OOBRedirectURI:           "",
		"javascript:alert(1)":             "",
		"data:text/html,hi":               "",
		"https://a.example;script-src":    "",
		"https://a.example%20b/":          "",
		"http:///nohost":                  "",
		"no-scheme":                       "",
	} {
		if got := formActionSource(uri); got != want {
			t.Errorf("formActionSource(%q) = %q, want %q", uri, got, want)
		}
	}
	if got := contentSecurityPolicy("myapp:"); !strings.Contains(got, "form-action 'self' myapp:;") {
		t.Errorf("policy %q", got)
	}
}

func TestLocalPath(t *testing.T) {
	var got []bool
	paths := []string{"/", "/admin/sign_ups?x=1", "//evil.example", "/\\evil.example", "https://evil.example", "evil", "", "/a\nb", "/a\x00"}
	for _, p := range paths {
		got = append(got, localPath(p))
	}
	want := []bool{true, true, false, false, false, false, false, false, false}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("localPath of %q (-want +got):\n%s", paths, diff)
	}
}

func TestErrorField(t *testing.T) {
	for msg, want := range map[string]string{
		"Validation failed: Username has already been taken":                     "username",
		"Validation failed: Email is invalid":                                    "email",
		"Validation failed: Password is too short (minimum is 8 characters)":     "password",
		"Validation failed: Agreement must be accepted":                          "agreement",
		"Validation failed: reason is too long (600 characters, maximum is 500)": "reason",
		"Validation failed: Something else":                                      "",
		"Internal error":                                                         "",
	} {
		if got := errorField(msg, ""); got != want {
			t.Errorf("errorField(%q) = %q, want %q", msg, got, want)
		}
	}
}

func TestNotFound(t *testing.T) {
	env := mustServer(t, starling.RegistrationsOpen, Options{})
	res := env.newBrowser().get("/nothing/here")
	if res.StatusCode != http.StatusNotFound || !strings.Contains(res.Body, "Page not found") {
		t.Errorf("status %d: %s", res.StatusCode, res.Body)
	}
}
