package web

import (
	"html/template"
	"net/http"

	"starling"
)

// The terms of service and the privacy policy: written by admins at
// /admin/terms and /admin/privacy, read by anyone at /terms and /privacy
// (linked from every page's footer and the sign-up form). The terms page
// also says how to complain, as the Online Safety Act asks.

// textPage is the Data of /terms and /privacy.
type textPage struct {
	Text  *starling.InstanceText
	HTML  template.HTML // rendered by the service from plain text: escaped, with paragraphs and links
	Terms bool          // the terms page, which adds how to complain
}

// textTitles names the texts for people.
var textTitles = map[string]string{starling.TextTerms: "Terms of service", starling.TextPrivacy: "Privacy policy"}

func (h *handler) handleInstanceText(name string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		t, err := h.svc.InstanceText(r.Context(), name)
		if err != nil {
			h.renderServiceError(w, r, err)
			return
		}
		pg := h.newPage(r, textTitles[name], "")
		pg.Meta = &pageMeta{Canonical: h.absolute("/" + name), Type: "website"}
		pg.Data = textPage{Text: t, HTML: template.HTML(t.HTML), Terms: name == starling.TextTerms}
		h.render(w, r, http.StatusOK, "instance_text", pg)
	}
}

// adminTextPage is the Data of the form that edits a text.
type adminTextPage struct {
	Name   string
	Title  string
	Body   string
	Notice string
}

func (h *handler) handleAdminTextForm(name string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		auth := h.staff(w, r)
		if auth == nil {
			return
		}
		t, err := h.svc.InstanceText(r.Context(), name)
		if err != nil {
			h.renderServiceError(w, r, err)
			return
		}
		data := adminTextPage{Name: name, Title: textTitles[name], Body: t.Body}
		if r.URL.Query().Get("done") == "1" {
			data.Notice = "Saved. The change is in the audit log."
		}
		pg := h.newPage(r, textTitles[name], "admin-rules")
		pg.Data = data
		h.render(w, r, http.StatusOK, "admin_text", pg)
	}
}

func (h *handler) handleAdminTextSave(name string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		auth := h.staff(w, r)
		if auth == nil {
			return
		}
		body := r.PostFormValue("body")
		_, err := h.svc.SetInstanceText(r.Context(), auth.Account, name, body)
		if err == nil {
			http.Redirect(w, r, "/admin/"+name+"?done=1", http.StatusSeeOther)
			return
		}
		if starling.ErrorCode(err) != starling.EINVALID {
			h.renderServiceError(w, r, err)
			return
		}
		pg := h.newPage(r, textTitles[name], "admin-rules")
		pg.Errors = []fieldError{{Field: "body", Message: userMessage(starling.ErrorMessage(err))}}
		pg.Data = adminTextPage{Name: name, Title: textTitles[name], Body: body}
		h.render(w, r, http.StatusUnprocessableEntity, "admin_text", pg)
	}
}

// termsRoutes adds the terms and privacy pages to mux.
func (h *handler) termsRoutes(mux *http.ServeMux) {
	for _, name := range []string{starling.TextTerms, starling.TextPrivacy} {
		mux.HandleFunc("GET /"+name, h.handleInstanceText(name))
		mux.HandleFunc("GET /admin/"+name, h.handleAdminTextForm(name))
		mux.HandleFunc("POST /admin/"+name, h.handleAdminTextSave(name))
	}
}
