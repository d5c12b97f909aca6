package web

import (
	"net/http"
	"slices"
	"strings"

	"starling"
)

// The member's report form: "Report" beside every post and on every
// profile (but one's own) opens /report/{account id}, optionally with
// ?status= a post to include. It files the report through the same
// use-case as the API (Service.CreateReport) and confirms at /report/sent.

// reportFormPage is the Data of the report form.
type reportFormPage struct {
	Target   *starling.Account
	Posts    []*starling.Status // the account's recent posts the member may include
	Rules    []*starling.Rule
	Category string
	Checked  map[int64]bool  // posts ticked
	RuleIDs  map[string]bool // rules ticked
	Comment  string
}

// reportCategories are offered in this order.
var reportCategories = []starling.ReportCategory{starling.ReportSpam, starling.ReportViolation, starling.ReportLegal, starling.ReportSafeguarding, starling.ReportOther}

func init() {
	templateFuncs["reportCategories"] = func() []starling.ReportCategory { return reportCategories }
	templateFuncs["reportCategoryHint"] = func(c starling.ReportCategory) string {
		switch c {
		case starling.ReportSpam:
			return "Adverts, scams, or the same thing posted again and again."
		case starling.ReportViolation:
			return "Tick the rules below that were broken."
		case starling.ReportLegal:
			return "Something you believe is against the law, such as threats or hate."
		case starling.ReportSafeguarding:
			return "You are worried about someone's safety, or a post identifies a person who uses services. The posts you include are hidden at once until a safeguarding lead looks at them."
		}
		return "Anything else the moderators should know about."
	}
}

// reportTarget reads the {id} account for the form, refusing one's own.
func (h *handler) reportTarget(w http.ResponseWriter, r *http.Request, auth *starling.Auth) *starling.Account {
	id, ok := starling.ParseID(r.PathValue("id"))
	if !ok {
		h.handleNotFound(w, r)
		return nil
	}
	a, err := h.svc.Account(r.Context(), id)
	if err != nil {
		h.renderServiceError(w, r, err)
		return nil
	}
	if a.ID == auth.Account.ID {
		h.renderError(w, r, http.StatusUnprocessableEntity, "You cannot report yourself", "To change or remove one of your own posts, open it and choose Delete.")
		return nil
	}
	return a
}

// renderReportForm shows the form with the account's recent posts, and the
// post asked about first if it is older than those.
func (h *handler) renderReportForm(w http.ResponseWriter, r *http.Request, auth *starling.Auth, status int, data reportFormPage, errs []fieldError) {
	ctx := r.Context()
	posts, err := h.svc.AccountStatuses(ctx, auth.Account, data.Target.ID, starling.AccountStatusesFilter{}, starling.Page{Limit: 20})
	if err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	for id := range data.Checked {
		if !slices.ContainsFunc(posts, func(s *starling.Status) bool { return s.ID == id }) {
			if s, err := h.svc.GetStatus(ctx, auth.Account, id); err == nil && s.AccountID == data.Target.ID {
				posts = append([]*starling.Status{s}, posts...)
			}
		}
	}
	// Reblogs are not the account's own words: report the original's author.
	data.Posts = slices.DeleteFunc(posts, func(s *starling.Status) bool { return s.ReblogOfID != 0 })
	if data.Rules, err = h.svc.Rules(ctx); err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	pg := h.newPage(r, "Report @"+data.Target.Acct(), "")
	pg.Errors = errs
	pg.Data = data
	h.render(w, r, status, "report_form", pg)
}

func (h *handler) handleReportForm(w http.ResponseWriter, r *http.Request) {
	auth := member(w, r)
	if auth == nil {
		return
	}
	target := h.reportTarget(w, r, auth)
	if target == nil {
		return
	}
	data := reportFormPage{Target: target, Checked: map[int64]bool{}, RuleIDs: map[string]bool{}}
	if id, ok := starling.ParseID(r.URL.Query().Get("status")); ok {
		data.Checked[id] = true
	}
	h.renderReportForm(w, r, auth, http.StatusOK, data, nil)
}

func (h *handler) handleReportSubmit(w http.ResponseWriter, r *http.Request) {
	auth := member(w, r)
	if auth == nil {
		return
	}
	target := h.reportTarget(w, r, auth)
	if target == nil {
		return
	}
	if err := r.ParseForm(); err != nil {
		h.renderError(w, r, http.StatusBadRequest, "Bad request", "The form could not be read.")
		return
	}
	data := reportFormPage{Target: target, Category: r.PostForm.Get("category"), Comment: strings.TrimSpace(r.PostForm.Get("comment")),
		Checked: map[int64]bool{}, RuleIDs: map[string]bool{}}
	in := starling.NewReport{AccountID: target.ID, Category: starling.ReportCategory(data.Category), Comment: data.Comment}
	for _, s := range r.PostForm["status_ids"] {
		if id, ok := starling.ParseID(s); ok {
			data.Checked[id] = true
			in.StatusIDs = append(in.StatusIDs, id)
		}
	}
	for _, s := range r.PostForm["rule_ids"] {
		data.RuleIDs[s] = true
		if in.Category == starling.ReportViolation {
			in.RuleIDs = append(in.RuleIDs, s)
		}
	}
	var errs []fieldError
	if !slices.Contains(reportCategories, in.Category) {
		errs = append(errs, fieldError{Field: "category-spam", Message: "Choose why you are reporting"})
	}
	if len(errs) == 0 {
		_, err := h.svc.CreateReport(r.Context(), auth.Account, in)
		if err == nil {
			http.Redirect(w, r, "/report/sent", http.StatusSeeOther)
			return
		}
		if starling.ErrorCode(err) != starling.EINVALID {
			h.renderServiceError(w, r, err)
			return
		}
		msg := userMessage(starling.ErrorMessage(err))
		field := "comment"
		switch {
		case strings.Contains(msg, "Rules"):
			field = "rules"
		case strings.Contains(msg, "post"):
			field = "posts"
		}
		errs = append(errs, fieldError{Field: field, Message: msg})
	}
	h.renderReportForm(w, r, auth, http.StatusUnprocessableEntity, data, errs)
}

func (h *handler) handleReportSent(w http.ResponseWriter, r *http.Request) {
	if member(w, r) == nil {
		return
	}
	h.render(w, r, http.StatusOK, "report_sent", h.newPage(r, "Report sent", ""))
}

// reportFormRoutes adds the member's report form to mux.
func (h *handler) reportFormRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /report/sent", h.handleReportSent)
	mux.HandleFunc("GET /report/{id}", h.handleReportForm)
	mux.HandleFunc("POST /report/{id}", h.handleReportSubmit)
}
