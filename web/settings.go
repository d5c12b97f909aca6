package web

import (
	"net/http"
	"strings"

	"starling"
	"starling/server"
)

// profileForm is the Data of the "settings_profile" page.
type profileForm struct {
	DisplayName  string
	Note         string
	Locked       bool
	Discoverable bool
	Fields       []starling.Field // always MaxFields rows, the empty ones to fill in
	Saved        bool
}

func newProfileForm(a *starling.Account) profileForm {
	f := profileForm{DisplayName: a.DisplayName, Note: a.Note, Locked: a.Locked, Discoverable: a.Discoverable}
	f.Fields = append(f.Fields, a.Fields...)
	for len(f.Fields) < starling.MaxFields {
		f.Fields = append(f.Fields, starling.Field{})
	}
	return f
}

func (h *handler) handleProfileForm(w http.ResponseWriter, r *http.Request) {
	auth := member(w, r)
	if auth == nil {
		return
	}
	pg := h.newPage(r, "Edit profile", "settings")
	form := newProfileForm(auth.Account)
	form.Saved = r.URL.Query().Get("saved") == "1"
	pg.Data = form
	h.render(w, r, http.StatusOK, "settings_profile", pg)
}

func (h *handler) handleProfileSave(w http.ResponseWriter, r *http.Request) {
	auth := member(w, r)
	if auth == nil {
		return
	}
	form := profileForm{
		DisplayName:  r.PostFormValue("display_name"),
		Note:         r.PostFormValue("note"),
		Locked:       r.PostFormValue("locked") == "1",
		Discoverable: r.PostFormValue("discoverable") == "1",
	}
	for i := range starling.MaxFields {
		n := strings.TrimSpace(r.PostFormValue("field_name_" + itoa(i)))
		v := strings.TrimSpace(r.PostFormValue("field_value_" + itoa(i)))
		form.Fields = append(form.Fields, starling.Field{Name: n, Value: v})
	}
	_, err := h.svc.UpdateProfile(r.Context(), auth.Account, starling.ProfileUpdate{
		DisplayName: &form.DisplayName, Note: &form.Note, Locked: &form.Locked,
		Discoverable: &form.Discoverable, Fields: &form.Fields,
	})
	if err != nil {
		server.LogError(r, err)
		pg := h.newPage(r, "Edit profile", "settings")
		pg.Errors = []fieldError{{profileErrorField(starling.ErrorMessage(err)), userMessage(starling.ErrorMessage(err))}}
		pg.Data = form
		h.render(w, r, server.StatusFor(err), "settings_profile", pg)
		return
	}
	http.Redirect(w, r, "/settings/profile?saved=1", http.StatusSeeOther)
}

// profileErrorField links a profile validation message to its input.
func profileErrorField(msg string) string {
	rest, _ := strings.CutPrefix(msg, "Validation failed: ")
	switch {
	case strings.HasPrefix(rest, "display_name"):
		return "display_name"
	case strings.HasPrefix(rest, "note"):
		return "note"
	case strings.HasPrefix(rest, "fields"), strings.HasPrefix(rest, "Fields"):
		return "field_name_0"
	}
	return ""
}

// passwordPage is the Data of the "settings_password" page.
type passwordPage struct {
	Saved bool
}

func (h *handler) handlePasswordForm(w http.ResponseWriter, r *http.Request) {
	auth := member(w, r)
	if auth == nil {
		return
	}
	pg := h.newPage(r, "Change password", "settings")
	pg.Data = passwordPage{Saved: r.URL.Query().Get("saved") == "1"}
	h.render(w, r, http.StatusOK, "settings_password", pg)
}

func (h *handler) handlePasswordSave(w http.ResponseWriter, r *http.Request) {
	auth := member(w, r)
	if auth == nil {
		return
	}
	fail := func(status int, field, msg string) {
		pg := h.newPage(r, "Change password", "settings")
		pg.Errors = []fieldError{{field, msg}}
		pg.Data = passwordPage{}
		h.render(w, r, status, "settings_password", pg)
	}
	next := r.PostFormValue("password")
	if next != r.PostFormValue("password_confirmation") {
		fail(http.StatusUnprocessableEntity, "password_confirmation", "The new passwords do not match: type the same password twice")
		return
	}
	err := h.svc.ChangePassword(r.Context(), auth.User, r.PostFormValue("current_password"), next, auth.Token.ID)
	if err != nil {
		server.LogError(r, err)
		msg := starling.ErrorMessage(err)
		field := "password"
		if strings.Contains(msg, "Current password") {
			field = "current_password"
		}
		fail(server.StatusFor(err), field, userMessage(msg))
		return
	}
	http.Redirect(w, r, "/settings/password?saved=1", http.StatusSeeOther)
}

// sessionsPage is the Data of the "settings_sessions" page.
type sessionsPage struct {
	Sessions []sessionView
}

type sessionView struct {
	Token   *starling.Token
	App     string
	Current bool
}

func (h *handler) handleSessions(w http.ResponseWriter, r *http.Request) {
	auth := member(w, r)
	if auth == nil {
		return
	}
	tokens, apps, err := h.svc.AccountTokens(r.Context(), auth.Account)
	if err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	var data sessionsPage
	for _, t := range tokens {
		v := sessionView{Token: t, Current: t.ID == auth.Token.ID, App: "Unknown app"}
		if a := apps[t.ApplicationID]; a != nil {
			v.App = a.Name
		}
		data.Sessions = append(data.Sessions, v)
	}
	pg := h.newPage(r, "Sessions and apps", "settings")
	pg.Data = data
	h.render(w, r, http.StatusOK, "settings_sessions", pg)
}

func (h *handler) handleRevokeSession(w http.ResponseWriter, r *http.Request) {
	auth := member(w, r)
	if auth == nil {
		return
	}
	id, ok := pathID(r, "id")
	if !ok {
		h.handleNotFound(w, r)
		return
	}
	if err := h.svc.RevokeOwnToken(r.Context(), auth.Account, id); err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	if id == auth.Token.ID {
		h.clearSession(w, r)
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/settings/sessions", http.StatusSeeOther)
}
