package web

import (
	"net/http"
	"strings"

	"starling"
)

// The report queue and audit log: staff pages, open to moderators, admins
// and safeguarding leads (starling.User.HandlesReports).

func init() {
	templateFuncs["reportCategory"] = reportCategoryLabel
	templateFuncs["reportAction"] = reportActionLabel
}

// reportCategoryLabel names a report category for people.
func reportCategoryLabel(c starling.ReportCategory) string {
	switch c {
	case starling.ReportSpam:
		return "Spam"
	case starling.ReportLegal:
		return "Illegal content"
	case starling.ReportViolation:
		return "Breaks the community's rules"
	case starling.ReportSafeguarding:
		return "Safeguarding concern about a person"
	}
	return "Other"
}

// reportActionLabel names a decision for people.
func reportActionLabel(a starling.ReportAction) string {
	switch a {
	case starling.ReportResolved:
		return "Resolved with no action"
	case starling.ReportRemoved:
		return "Posts removed"
	case starling.ReportKeptHidden:
		return "Posts kept hidden"
	case starling.ReportRestored:
		return "Posts restored"
	case starling.ReportAccountAction:
		return "Resolved by an action on the account"
	}
	return "Open"
}

// reportsPage is the Data of the queue page.
type reportsPage struct {
	Reports []*starling.Report
}

// reportPage is the Data of one report's page.
type reportPage struct {
	Report *starling.Report
	Notice string
	Action string // the decision chosen, kept when the form comes back with an error
	Reason string
}

// auditPage is the Data of the audit log page.
type auditPage struct {
	Entries []*starling.AuditEntry
}

// reportStaff returns the signed-in Auth of someone who handles reports,
// or writes the answer (a redirect to sign in, or 403) and returns nil:
// safeguarding leads, and staff as h.staff lets them in.
func (h *handler) reportStaff(w http.ResponseWriter, r *http.Request) *starling.Auth {
	if auth := signedIn(r.Context()); auth != nil && auth.User.Role == starling.RoleSafeguardingLead {
		return auth
	}
	return h.staff(w, r)
}

// reportRoutes adds the report and audit pages to mux.
func (h *handler) reportRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /admin/reports", h.handleAdminReports)
	mux.HandleFunc("GET /admin/reports/{id}", h.handleAdminReport)
	mux.HandleFunc("POST /admin/reports/{id}", h.handleAdminReportDecide)
	mux.HandleFunc("GET /admin/audit", h.handleAdminAudit)
}

func (h *handler) handleAdminReports(w http.ResponseWriter, r *http.Request) {
	auth := h.reportStaff(w, r)
	if auth == nil {
		return
	}
	list, err := h.svc.Reports(r.Context(), auth.Account, false)
	if err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	pg := h.newPage(r, "Reports", "admin-reports")
	pg.Data = reportsPage{Reports: list}
	h.render(w, r, http.StatusOK, "admin_reports", pg)
}

func (h *handler) handleAdminReport(w http.ResponseWriter, r *http.Request) {
	auth := h.reportStaff(w, r)
	if auth == nil {
		return
	}
	id, ok := starling.ParseID(r.PathValue("id"))
	if !ok {
		h.handleNotFound(w, r)
		return
	}
	rep, err := h.svc.GetReport(r.Context(), auth.Account, id)
	if err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	data := reportPage{Report: rep}
	if r.URL.Query().Get("done") == "1" {
		data.Notice = "Decision recorded in the audit log."
	}
	pg := h.newPage(r, "Report", "admin-reports")
	pg.Data = data
	h.render(w, r, http.StatusOK, "admin_report", pg)
}

// reportDecisions are the decisions the report page offers.
var reportDecisions = map[string]starling.ReportDecision{
	"resolve":     starling.DecideResolve,
	"remove":      starling.DecideRemove,
	"keep_hidden": starling.DecideKeepHidden,
	"restore":     starling.DecideRestore,
}

func (h *handler) handleAdminReportDecide(w http.ResponseWriter, r *http.Request) {
	auth := h.reportStaff(w, r)
	if auth == nil {
		return
	}
	id, ok := starling.ParseID(r.PathValue("id"))
	if !ok {
		h.handleNotFound(w, r)
		return
	}
	action, reason := r.PostFormValue("action"), strings.TrimSpace(r.PostFormValue("reason"))
	var errs []fieldError
	d, known := reportDecisions[action]
	if !known {
		errs = append(errs, fieldError{Field: "action-resolve", Message: "Choose a decision"})
	}
	if reason == "" {
		errs = append(errs, fieldError{Field: "reason", Message: "Give the reason for your decision"})
	}
	if len(errs) == 0 {
		_, err := h.svc.DecideReport(r.Context(), auth.Account, id, d, reason)
		if err == nil {
			http.Redirect(w, r, "/admin/reports/"+starling.FormatID(id)+"?done=1", http.StatusSeeOther)
			return
		}
		if starling.ErrorCode(err) != starling.EINVALID {
			h.renderServiceError(w, r, err)
			return
		}
		errs = append(errs, fieldError{Field: "reason", Message: starling.ErrorMessage(err)})
	}
	rep, err := h.svc.GetReport(r.Context(), auth.Account, id)
	if err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	pg := h.newPage(r, "Report", "admin-reports")
	pg.Errors = errs
	pg.Data = reportPage{Report: rep, Action: action, Reason: reason}
	h.render(w, r, http.StatusUnprocessableEntity, "admin_report", pg)
}

func (h *handler) handleAdminAudit(w http.ResponseWriter, r *http.Request) {
	auth := h.reportStaff(w, r)
	if auth == nil {
		return
	}
	list, err := h.svc.AuditLog(r.Context(), auth.Account, 200)
	if err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	pg := h.newPage(r, "Audit log", "admin-reports")
	pg.Data = auditPage{Entries: list}
	h.render(w, r, http.StatusOK, "admin_audit", pg)
}
