package web

import (
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"starling"
	"starling/server"
)

// LimitForms limits the forms the web pages post (every POST) per client
// address, with the same budget as the API's general limit; pages that
// only read (GET) are not counted, nor the checks the compose form makes
// as one types (paths ending in /check), which change nothing. Past the limit it answers 429 with a
// short page asking to wait. A nil limiter leaves next as it is.
//
// It wraps the whole web handler, before the session is looked up, so it
// counts by address alone: a session cookie is the client's to choose.
// Options.FormLimiter counts the same forms per account once the session
// is known (limitFormsByAccount).
func LimitForms(next http.Handler, l *server.Limiter) http.Handler {
	if l == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !countedForm(r) {
			next.ServeHTTP(w, r)
			return
		}
		res := l.Check("ip:" + server.ClientIP(r))
		res.SetHeaders(w.Header())
		if !res.Allowed {
			writeTooMany(w, res, "your address")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// countedForm reports whether r is a form post the limits count.
func countedForm(r *http.Request) bool {
	return r.Method == http.MethodPost && !strings.HasSuffix(r.URL.Path, "/check")
}

// limitFormsByAccount counts every form a signed-in member posts against
// their account's budget too (Options.FormLimiter, keyed "acct:ID"), so
// a member spreading posts over many addresses, or many members behind one
// address, still get one budget each, as the API counts. It runs after the
// session is known and the CSRF check has passed, so a forged post never
// spends a member's budget. The rate-limit headers report whichever budget,
// the address's or the account's, has fewer requests left.
func (h *handler) limitFormsByAccount(next http.Handler) http.Handler {
	l := h.opts.FormLimiter
	if l == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth := signedIn(r.Context())
		if auth == nil || !countedForm(r) {
			next.ServeHTTP(w, r)
			return
		}
		res := l.Check("acct:" + starling.FormatID(auth.Account.ID))
		if left, err := strconv.Atoi(w.Header().Get("X-RateLimit-Remaining")); err != nil || res.Remaining < left || !res.Allowed {
			res.SetHeaders(w.Header())
		}
		if !res.Allowed {
			writeTooMany(w, res, "your account")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// writeTooMany answers 429 with a short page asking to wait.
func writeTooMany(w http.ResponseWriter, res server.Result, from string) {
	h := w.Header()
	h.Set("Retry-After", strconv.Itoa(max(res.RetryAfterSeconds(), 1)))
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusTooManyRequests)
	_ = tooManyPage.Execute(w, struct {
		Seconds int
		From    string
	}{res.RetryAfterSeconds(), from})
}

var tooManyPage = template.Must(template.New("429").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Too many requests</title></head>
<body><main><h1>Too many requests</h1>
<p>There have been too many requests from {{.From}}. Please wait {{if le .Seconds 60}}a minute{{else}}a few minutes{{end}} and try again.</p>
<p><a href="/">Home</a></p></main></body></html>
`))
