package web

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"starling"
	"starling/server"
)

// contentSecurityPolicy allows nothing but our own stylesheet, script and
// images, requests back to us, and forms that post back to us. No inline
// script or style runs, and no other host is ever contacted.
func contentSecurityPolicy(formAction ...string) string {
	return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action " +
		strings.Join(append([]string{"'self'"}, formAction...), " ") +
		"; frame-ancestors 'none'; base-uri 'none'"
}

// withHeaders sets the Content-Security-Policy and the other security
// headers on every response. A page may widen form-action for itself.
func withHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", contentSecurityPolicy())
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("X-Frame-Options", "DENY")
		// The authorisation pages carry codes and state in their addresses:
		// never send them to another site.
		hd.Set("Referrer-Policy", "same-origin")
		server.SetHSTS(w, r)
		next.ServeHTTP(w, r)
	})
}

// formActionSource returns the CSP source that lets a form submission end in
// a redirect to uri: its origin for web addresses, its scheme for an app's
// own scheme ("myapp:"), or "" when none is needed or uri cannot be written
// safely into the header (the redirect is then blocked, never widened).
func formActionSource(uri string) string {
	u, err := url.Parse(uri)
	if err != nil || u.Scheme == "" || uri == starling.OOBRedirectURI {
		return ""
	}
	scheme := strings.ToLower(u.Scheme)
	for i, c := range scheme {
		if !('a' <= c && c <= 'z' || i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.')) {
			return ""
		}
	}
	switch scheme {
	case "http", "https":
		if u.Host == "" || !safeHost(u.Host) {
			return ""
		}
		return scheme + "://" + strings.ToLower(u.Host)
	case "javascript", "data", "vbscript", "blob", "filesystem", "about":
		return ""
	}
	return scheme + ":"
}

// safeHost reports whether host (with any port) has only the characters a
// host name, an IP address or a port can have, so it cannot end the CSP
// directive or add another source.
func safeHost(host string) bool {
	return !slices.ContainsFunc([]rune(host), func(c rune) bool {
		return !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
			c == '.' || c == '-' || c == ':' || c == '[' || c == ']')
	})
}
