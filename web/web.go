// Package web is Starling's own web client: public profile, post, hashtag
// and timeline pages; for members the home timeline with a compose box,
// notifications, lists, bookmarks, messages, search, settings and a
// first-run guide; the conference live wall; sign-up, sign-in and the
// OAuth authorisation page that Mastodon apps open in a browser; and the
// staff pages for approving sign-ups and moderating walls. Pages are rendered on the server with html/template, call the
// same use cases as the Mastodon API, and work with JavaScript off; one
// small script (static/app.js) makes them quicker to use when it runs.
package web

import (
	"bytes"
	"embed"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"

	"starling"
	"starling/server"
)

// Options configures the web pages.
type Options struct {
	// SecureCookies marks cookies Secure even on plain-HTTP requests, for
	// servers behind a TLS-terminating proxy that does not send
	// X-Forwarded-Proto. Requests over TLS, or with X-Forwarded-Proto: https,
	// get Secure cookies whatever this says.
	SecureCookies bool
	// Limiter, if set, limits sign-in and sign-up attempts per client address.
	Limiter *server.Limiter
	// FormLimiter, if set, limits the forms a signed-in member posts per
	// account, besides LimitForms's limit per address; give it the same
	// limiter (the keys differ: "acct:ID" here, "ip:ADDR" there).
	FormLimiter *server.Limiter
}

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// handler serves the pages; its methods are the routes.
type handler struct {
	svc   *starling.Service
	in    *starling.Instance
	opts  Options
	pages map[string]*template.Template // by file name without ".html"
}

func newHandler(svc *starling.Service, opts Options) *handler {
	return &handler{svc: svc, in: svc.Instance(), opts: opts, pages: mustParsePages()}
}

// mustParsePages parses each page template together with the shared layout.
// The templates are embedded, so a parse error is a bug found by any test.
func mustParsePages() map[string]*template.Template {
	layout := template.Must(template.New("layout.html").Funcs(templateFuncs).ParseFS(templateFS, "templates/layout.html", "templates/partials.html"))
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		panic(err)
	}
	pages := map[string]*template.Template{}
	for _, name := range names {
		base := strings.TrimSuffix(strings.TrimPrefix(name, "templates/"), ".html")
		if base == "layout" || base == "partials" {
			continue
		}
		pages[base] = template.Must(template.Must(layout.Clone()).ParseFS(templateFS, name))
	}
	return pages
}

// page is what every template gets; Data holds what is particular to one page.
type page struct {
	Title    string // the page's own title; the layout adds the community's name
	Instance *starling.Instance
	Account  *starling.Account // signed-in account, or nil
	User     *starling.User
	CSRF     string
	Errors   []fieldError // shown in the error summary at the top
	Data     any
	// ConfirmPersonalData shows, on a form the safeguarding check refused
	// where the policy only warns, the box to confirm that what it found
	// is not personal data.
	ConfirmPersonalData bool

	Section string // the navigation item this page belongs to, marked aria-current
	Path    string // the address of this page, where forms on it come back to
	Unread  int    // unread notifications, shown in the navigation
	Meta    *pageMeta
}

// pageMeta describes a public page for link previews and feed readers.
type pageMeta struct {
	Canonical   string // absolute URL
	Description string
	Type        string // Open Graph type: "website", "profile", "article"
	Alternates  []alternate
	NoIndex     bool
}

// alternate is a <link rel="alternate">: the same content in another format.
type alternate struct {
	Type  string
	Href  string
	Title string
}

// fieldError is one problem to report, linked to the input it is about
// (Field is the input's id, "" when it concerns no single input).
type fieldError struct {
	Field   string
	Message string
}

// HasError reports whether an error concerns the input with that id, for aria-invalid.
func (p *page) HasError(field string) bool {
	for _, e := range p.Errors {
		if e.Field == field {
			return true
		}
	}
	return false
}

// ErrorFor returns the message about the input with that id, or "".
func (p *page) ErrorFor(field string) string {
	for _, e := range p.Errors {
		if e.Field == field {
			return e.Message
		}
	}
	return ""
}

// render writes the named page with status. It renders into a buffer first,
// so a template error becomes a clean 500 rather than half a page.
func (h *handler) render(w http.ResponseWriter, r *http.Request, status int, name string, p *page) {
	t, ok := h.pages[name]
	if !ok {
		panic("web: no template " + name)
	}
	p.Instance = h.in
	if auth := starling.AuthFromContext(r.Context()); auth != nil {
		p.Account, p.User = auth.Account, auth.User
	}
	if p.Path == "" {
		p.Path = r.URL.RequestURI()
	}
	if auth := signedIn(r.Context()); auth != nil && r.URL.Path != "/notifications" {
		// A count for the navigation; a failure only loses the badge.
		if n, err := h.svc.UnreadNotifications(r.Context(), auth.Account, starling.NotificationFilter{}, 40); err == nil {
			p.Unread = n
		}
	}
	p.CSRF = csrfToken(r.Context())
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		slog.ErrorContext(r.Context(), "render page", "page", name, "err", err, "request_id", server.RequestID(r.Context()))
		http.Error(w, "Internal error", http.StatusInternalServerError)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", "text/html; charset=utf-8")
	// Pages carry form tokens and personal details: keep them out of caches,
	// and make the back button fetch a fresh form token.
	hd.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes()) // the client may have gone; nothing left to tell it
}

// errorPage is the Data of the "error" page.
type errorPage struct {
	Message string
}

// renderError shows a page that says what went wrong.
func (h *handler) renderError(w http.ResponseWriter, r *http.Request, status int, title, message string) {
	h.render(w, r, status, "error", &page{Title: title, Data: errorPage{Message: message}})
}

// renderServiceError shows err from the service: its safe message, with the
// status the shared table gives, and logs it if it is internal.
func (h *handler) renderServiceError(w http.ResponseWriter, r *http.Request, err error) {
	server.LogError(r, err)
	status := server.StatusFor(err)
	title := "Something went wrong"
	switch status {
	case http.StatusForbidden:
		title = "Not allowed"
	case http.StatusNotFound:
		title = "Page not found"
	}
	h.renderError(w, r, status, title, starling.ErrorMessage(err))
}

func (h *handler) handleNotFound(w http.ResponseWriter, r *http.Request) {
	h.renderError(w, r, http.StatusNotFound, "Page not found", "There is no page at this address. Check the address, or go to the home page.")
}

// userMessage drops the "Validation failed: " that the service's messages
// start with (as Mastodon's do): on a form it says nothing new.
func userMessage(msg string) string {
	if rest, ok := strings.CutPrefix(msg, "Validation failed: "); ok {
		return rest
	}
	return msg
}

// errorField guesses which input a validation message is about from the
// field name Register puts after "Validation failed: ", so the error summary
// can link to it. Unknown messages are linked to fallback.
func errorField(msg, fallback string) string {
	rest, ok := strings.CutPrefix(msg, "Validation failed: ")
	if !ok {
		return fallback
	}
	word, _, _ := strings.Cut(rest, " ")
	switch f := strings.ToLower(word); f {
	case "username", "email", "password", "agreement", "reason":
		return f
	}
	return fallback
}
