package web

import (
	"html/template"
	"net/http"
	"strconv"
	"strings"

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
func LimitForms(next http.Handler, l *server.Limiter) http.Handler {
	if l == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || strings.HasSuffix(r.URL.Path, "/check") {
			next.ServeHTTP(w, r)
			return
		}
		res := l.Check("ip:" + server.ClientIP(r))
		res.SetHeaders(w.Header())
		if !res.Allowed {
			h := w.Header()
			h.Set("Retry-After", strconv.Itoa(max(res.RetryAfterSeconds(), 1)))
			h.Set("Content-Type", "text/html; charset=utf-8")
			h.Set("Cache-Control", "no-store")
			w.WriteHeader(http.StatusTooManyRequests)
			_ = tooManyPage.Execute(w, res.RetryAfterSeconds())
			return
		}
		next.ServeHTTP(w, r)
	})
}

var tooManyPage = template.Must(template.New("429").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Too many requests</title></head>
<body><main><h1>Too many requests</h1>
<p>There have been too many requests from your address. Please wait {{if le . 60}}a minute{{else}}a few minutes{{end}} and try again.</p>
<p><a href="/">Home</a></p></main></body></html>
`))
