package web

import (
	"net/http"
	"strings"
	"unicode/utf8"

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
		Discoverable: &form.Discoverable, Fields: &form.Fields, ConfirmPersonalData: confirmed(r),
	})
	if err != nil {
		server.LogError(r, err)
		pg := h.newPage(r, "Edit profile", "settings")
		field, msg := profileProblem(starling.ErrorMessage(err), form.Fields)
		pg.Errors = []fieldError{{field, msg}}
		if errs, confirmable := profilePersonalData(err); errs != nil {
			pg.Errors, pg.ConfirmPersonalData = errs, confirmable
		}
		pg.Data = form
		h.render(w, r, server.StatusFor(err), "settings_profile", pg)
		return
	}
	http.Redirect(w, r, "/settings/profile?saved=1", http.StatusSeeOther)
}

// profileProblem returns the input a profile validation message is about
// and the message in the form's words: the service names the fields as the
// API does ("display_name is too long"). fields are the details as sent, to
// find the one at fault.
func profileProblem(msg string, fields []starling.Field) (field, text string) {
	rest := userMessage(msg)
	if after, ok := strings.CutPrefix(rest, "display_name"); ok {
		return "display_name", "Display name" + after
	}
	if after, ok := strings.CutPrefix(rest, "note"); ok {
		return "note", "Bio" + after
	}
	for _, part := range []struct {
		api, input, label string
		max               int
	}{
		{"fields_attributes name", "field_name_", "Label", starling.MaxFieldNameChars},
		{"fields_attributes value", "field_value_", "Content", starling.MaxFieldValueChars},
	} {
		after, ok := strings.CutPrefix(rest, part.api)
		if !ok {
			continue
		}
		for i, f := range fields {
			v := f.Name
			if part.input == "field_value_" {
				v = f.Value
			}
			if badDetail(v, part.max) {
				return part.input + itoa(i), part.label + " " + itoa(i+1) + after
			}
		}
		return part.input + "0", "A profile detail" + after
	}
	if strings.HasPrefix(rest, "Fields") {
		return "field_name_0", rest
	}
	return "", rest
}

// badDetail reports whether a profile detail's label or content breaks
// the service's rules (starling.ProfileUpdate.Validate).
func badDetail(s string, max int) bool {
	return utf8.RuneCountInString(s) > max || !utf8.ValidString(s) || strings.IndexByte(s, 0) >= 0
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
	auth, id, ok := h.memberAt(w, r)
	if !ok {
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
