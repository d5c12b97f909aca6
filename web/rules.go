package web

import (
	"context"
	"log/slog"
	"net/http"

	"starling"
)

// The community's rules: staff add, edit, reorder and remove them at
// /admin/rules (each change audited); everyone reads them on the about,
// home and sign-up pages.

// ruleTexts returns the rules' texts for pages that list them; a failure
// to read them logs and shows none rather than failing the page.
func (h *handler) ruleTexts(ctx context.Context) []string {
	rules, err := h.svc.Rules(ctx)
	if err != nil {
		slog.ErrorContext(ctx, "read rules", "err", err)
		return nil
	}
	out := make([]string, len(rules))
	for i, r := range rules {
		out[i] = r.Text
	}
	return out
}

// adminRulesPage is the Data of /admin/rules.
type adminRulesPage struct {
	Rules  []*starling.Rule
	Text   string // the new rule's fields, kept when the form comes back with an error
	Hint   string
	Notice string
}

func (h *handler) handleAdminRules(w http.ResponseWriter, r *http.Request) {
	auth := h.staff(w, r)
	if auth == nil {
		return
	}
	data := adminRulesPage{}
	if r.URL.Query().Get("done") == "1" {
		data.Notice = "Saved. The change is in the audit log."
	}
	h.renderAdminRules(w, r, http.StatusOK, data, nil)
}

func (h *handler) renderAdminRules(w http.ResponseWriter, r *http.Request, status int, data adminRulesPage, errs []fieldError) {
	rules, err := h.svc.Rules(r.Context())
	if err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	data.Rules = rules
	pg := h.newPage(r, "Rules and terms", "admin-rules")
	pg.Errors = errs
	pg.Data = data
	h.render(w, r, status, "admin_rules", pg)
}

// handleAdminRuleSave adds a rule (POST /admin/rules) or changes one
// (POST /admin/rules/{id}).
func (h *handler) handleAdminRuleSave(w http.ResponseWriter, r *http.Request) {
	auth := h.staff(w, r)
	if auth == nil {
		return
	}
	in := starling.Rule{Text: r.PostFormValue("text"), Hint: r.PostFormValue("hint")}
	field := "text"
	if s := r.PathValue("id"); s != "" {
		id, ok := starling.ParseID(s)
		if !ok {
			h.handleNotFound(w, r)
			return
		}
		in.ID, field = id, "text-"+s
	}
	_, err := h.svc.SaveRule(r.Context(), auth.Account, in)
	if err == nil {
		http.Redirect(w, r, "/admin/rules?done=1", http.StatusSeeOther)
		return
	}
	if starling.ErrorCode(err) != starling.EINVALID {
		h.renderServiceError(w, r, err)
		return
	}
	data := adminRulesPage{}
	if in.ID == 0 {
		data.Text, data.Hint = in.Text, in.Hint
	}
	h.renderAdminRules(w, r, http.StatusUnprocessableEntity, data, []fieldError{{Field: field, Message: userMessage(starling.ErrorMessage(err))}})
}

// handleAdminRuleChange moves a rule up or down, or removes it.
func (h *handler) handleAdminRuleChange(w http.ResponseWriter, r *http.Request) {
	auth := h.staff(w, r)
	if auth == nil {
		return
	}
	id, ok := starling.ParseID(r.PathValue("id"))
	if !ok {
		h.handleNotFound(w, r)
		return
	}
	var err error
	switch r.PathValue("change") {
	case "up":
		err = h.svc.MoveRule(r.Context(), auth.Account, id, -1)
	case "down":
		err = h.svc.MoveRule(r.Context(), auth.Account, id, 1)
	case "delete":
		err = h.svc.DeleteRule(r.Context(), auth.Account, id)
	default:
		h.handleNotFound(w, r)
		return
	}
	if err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/rules?done=1", http.StatusSeeOther)
}

// ruleRoutes adds the rules pages to mux.
func (h *handler) ruleRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /admin/rules", h.handleAdminRules)
	mux.HandleFunc("POST /admin/rules", h.handleAdminRuleSave)
	mux.HandleFunc("POST /admin/rules/{id}", h.handleAdminRuleSave)
	mux.HandleFunc("POST /admin/rules/{id}/{change}", h.handleAdminRuleChange)
}
