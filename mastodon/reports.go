package mastodon

import (
	"net/http"

	"starling"
	"starling/server"
)

// Report is the Report entity a member gets back.
type Report struct {
	ID            string   `json:"id"`
	ActionTaken   bool     `json:"action_taken"`
	ActionTakenAt *string  `json:"action_taken_at"`
	Category      string   `json:"category"`
	Comment       string   `json:"comment"`
	Forwarded     bool     `json:"forwarded"`
	CreatedAt     string   `json:"created_at"`
	StatusIDs     []string `json:"status_ids"`
	RuleIDs       []string `json:"rule_ids"`
	TargetAccount *Account `json:"target_account"`
}

// AdminReport is the Admin::Report entity.
type AdminReport struct {
	ID                   string        `json:"id"`
	ActionTaken          bool          `json:"action_taken"`
	ActionTakenAt        *string       `json:"action_taken_at"`
	Category             string        `json:"category"`
	Comment              string        `json:"comment"`
	Forwarded            bool          `json:"forwarded"`
	CreatedAt            string        `json:"created_at"`
	UpdatedAt            string        `json:"updated_at"`
	Account              *AdminAccount `json:"account"`
	TargetAccount        *AdminAccount `json:"target_account"`
	AssignedAccount      *AdminAccount `json:"assigned_account"`
	ActionTakenByAccount *AdminAccount `json:"action_taken_by_account"`
	Statuses             []*Status     `json:"statuses"`
	Rules                []Rule        `json:"rules"`
}

func reportTimes(r *starling.Report) (taken *string, updated string) {
	updated = timeString(r.CreatedAt)
	if !r.Open() {
		taken, updated = ptr(timeString(r.ActionTakenAt)), timeString(r.ActionTakenAt)
	}
	return taken, updated
}

func (rr *renderer) report(r *starling.Report) *Report {
	taken, _ := reportTimes(r)
	out := &Report{ID: starling.FormatID(r.ID), ActionTaken: !r.Open(), ActionTakenAt: taken, Category: string(r.Category),
		Comment: r.Comment, Forwarded: r.Forwarded, CreatedAt: timeString(r.CreatedAt), StatusIDs: []string{}, RuleIDs: r.RuleIDs,
		TargetAccount: rr.account(r.TargetAccount)}
	for _, id := range r.StatusIDs {
		out.StatusIDs = append(out.StatusIDs, starling.FormatID(id))
	}
	if out.RuleIDs == nil {
		out.RuleIDs = []string{}
	}
	return out
}

func (rr *renderer) adminReport(r *starling.Report) *AdminReport {
	taken, updated := reportTimes(r)
	out := &AdminReport{ID: starling.FormatID(r.ID), ActionTaken: !r.Open(), ActionTakenAt: taken, Category: string(r.Category),
		Comment: r.Comment, Forwarded: r.Forwarded, CreatedAt: timeString(r.CreatedAt), UpdatedAt: updated,
		Account: rr.adminAccount(r.Account), TargetAccount: rr.adminAccount(r.TargetAccount), Statuses: rr.statuses(r.Statuses), Rules: rules(r.Rules)}
	if out.Statuses == nil {
		out.Statuses = []*Status{}
	}
	return out
}

// handleReportCreate serves POST /api/v1/reports. forward is ignored: there
// is no federation yet. A report of the category violation cites rule_ids.
func (h *handler) handleReportCreate(w http.ResponseWriter, r *http.Request) {
	p, err := readParams(r)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	accountID, ok := starling.ParseID(p.get("account_id"))
	if !ok {
		server.WriteError(w, r, starling.Errorf(starling.EINVALID, "Validation failed: account_id is missing or malformed"))
		return
	}
	if !isText(p.get("comment")) || !isText(p.get("category")) {
		server.WriteError(w, r, starling.Errorf(starling.EINVALID, "Validation failed: comment is not valid text"))
		return
	}
	forward, _ := p.boolean("forward")
	rep, err := h.svc.CreateReport(r.Context(), viewer(r), starling.NewReport{AccountID: accountID, StatusIDs: p.ids("status_ids"),
		Comment: p.get("comment"), Category: starling.ReportCategory(p.get("category")), RuleIDs: p.strs("rule_ids"), Forward: forward})
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, h.renderer(r.Context()).report(rep))
}

// handleAdminReports serves GET /api/v1/admin/reports: open reports
// (resolved=true: decided ones), safeguarding first, then newest first.
func (h *handler) handleAdminReports(w http.ResponseWriter, r *http.Request) {
	p, err := readParams(r)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	resolved, _ := p.boolean("resolved")
	list, err := h.svc.Reports(r.Context(), viewer(r), resolved)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	rr := h.renderer(r.Context())
	out := make([]*AdminReport, 0, len(list))
	for _, rep := range list {
		out = append(out, rr.adminReport(rep))
	}
	server.WriteJSON(w, http.StatusOK, out)
}

// handleAdminReport serves GET /api/v1/admin/reports/:id.
func (h *handler) handleAdminReport(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	rep, err := h.svc.GetReport(r.Context(), viewer(r), id)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, h.renderer(r.Context()).adminReport(rep))
}

// handleAdminReportDecide serves POST /api/v1/admin/reports/:id/resolve and
// /reopen; an optional reason goes to the audit log.
func (h *handler) handleAdminReportDecide(d starling.ReportDecision) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r, "id")
		if err != nil {
			server.WriteError(w, r, err)
			return
		}
		p, err := readParams(r)
		if err != nil {
			server.WriteError(w, r, err)
			return
		}
		rep, err := h.svc.DecideReport(r.Context(), viewer(r), id, d, p.get("reason"))
		if err != nil {
			server.WriteError(w, r, err)
			return
		}
		server.WriteJSON(w, http.StatusOK, h.renderer(r.Context()).adminReport(rep))
	}
}

// reportRoutes adds the report endpoints through route.
func (h *handler) reportRoutes(route func(string, access, http.HandlerFunc)) {
	route("POST /api/v1/reports", user("write:reports"), h.handleReportCreate)
	route("GET /api/v1/admin/reports", user("admin:read:reports"), h.handleAdminReports)
	route("GET /api/v1/admin/reports/{id}", user("admin:read:reports"), h.handleAdminReport)
	route("POST /api/v1/admin/reports/{id}/resolve", user("admin:write:reports"), h.handleAdminReportDecide(starling.DecideResolve))
	route("POST /api/v1/admin/reports/{id}/reopen", user("admin:write:reports"), h.handleAdminReportDecide(starling.DecideReopen))
}
