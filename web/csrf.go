package web

import (
	"context"
	"crypto/subtle"
	"mime"
	"net/http"

	"starling"
)

// Forms are protected by a double-submit cookie: a random value in the
// starling_csrf cookie that every form repeats in a hidden field. Another
// site can make a browser send the cookie but cannot read it to fill in the
// field. Unlike a token derived from a per-process key, this works the same
// on every app server behind a load balancer.
const (
	csrfCookie = "starling_csrf"
	csrfField  = "csrf_token"
)

// maxFormBytes bounds the body of a form post; the largest form without
// files is sign-up. A form with files (the compose box) may carry
// starling.MaxAttachments images besides.
const (
	maxFormBytes   = 64 << 10
	maxUploadBytes = starling.MaxAttachments*starling.MaxImageBytes + maxFormBytes
)

type csrfKey struct{}

// csrfToken returns the token forms on this request's page must carry.
func csrfToken(ctx context.Context) string {
	s, _ := ctx.Value(csrfKey{}).(string)
	return s
}

// validCSRFToken reports whether s looks like a token this package made
// (the shape of starling.NewSecret), so odd cookie values are replaced.
func validCSRFToken(s string) bool {
	if len(s) != 43 {
		return false
	}
	for _, c := range s {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// withCSRF gives every visitor a form token and refuses any request that
// could change something (every method but GET, HEAD and OPTIONS) unless its
// form repeats the token. Requests a browser marks as coming from another
// site are refused too, as a second line of defence.
func (h *handler) withCSRF(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token := ""
		if c, err := r.Cookie(csrfCookie); err == nil && validCSRFToken(c.Value) {
			token = c.Value
		}
		fresh := token == ""
		if fresh {
			token = starling.NewSecret()
			http.SetCookie(w, &http.Cookie{
				Name: csrfCookie, Value: token, Path: "/", HttpOnly: true,
				Secure: h.secure(r), SameSite: http.SameSiteStrictMode,
			})
		}
		r = r.WithContext(context.WithValue(r.Context(), csrfKey{}, token))
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			next.ServeHTTP(w, r)
			return
		}
		limit := int64(maxFormBytes)
		if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct == "multipart/form-data" {
			limit = maxUploadBytes
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		sent := r.PostFormValue(csrfField) // a body that cannot be parsed leaves this empty
		if fresh || sent == "" || r.Header.Get("Sec-Fetch-Site") == "cross-site" ||
			subtle.ConstantTimeCompare([]byte(sent), []byte(token)) != 1 {
			h.renderError(w, r, http.StatusForbidden, "The form expired",
				"The form expired; please go back and try again.")
			return
		}
		next.ServeHTTP(w, r)
	})
}
