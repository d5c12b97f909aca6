package web

import (
	"net/http"
	"net/url"
	"strings"

	"starling"
)

// Staff pages for accounts: /admin/accounts lists and filters them,
// /admin/accounts/{id} shows one account's moderation record (flags,
// warnings with appeals, reports about it) with the form to act on it.
// Open to moderators and admins, and to safeguarding leads, who may only
// warn (Service.ActOnAccount decides).

func init() {
	templateFuncs["actionLabel"] = func(t starling.AccountActionType) string { return t.Label() }
}

// adminAccountsPage is the Data of /admin/accounts.
type adminAccountsPage struct {
	Query    string
	Status   string
	Accounts []*starling.AdminAccount
	Next     string // the next page's address, or ""
	Notice   string
	Statuses any // the filters offered
}

// accountStatuses are the list's filters, in the order offered.
var accountStatuses = []struct{ Value, Label string }{
	{"", "All"}, {"active", "Active"}, {"limited", "Limited"}, {"suspended", "Suspended"}, {"disabled", "Sign-in disabled"}, {"pending", "Waiting for approval"},
}

func (h *handler) handleAdminAccounts(w http.ResponseWriter, r *http.Request) {
	auth := h.reportStaff(w, r)
	if auth == nil {
		return
	}
	q := r.URL.Query()
	data := adminAccountsPage{Query: strings.TrimSpace(q.Get("q")), Status: q.Get("status"), Statuses: accountStatuses}
	if q.Get("deleted") == "1" {
		data.Notice = "The account is deleted: it is gone from every page now, and what it posted is being removed. The audit log keeps your reason."
	}
	f := starling.AdminAccountFilter{Status: data.Status}
	if f.Status == "limited" {
		f.Status = "silenced"
	}
	if strings.Contains(data.Query, "@") && !strings.HasPrefix(data.Query, "@") && auth.User.IsStaff() { // leads do not see addresses
		f.Email = data.Query
	} else {
		f.Username = strings.TrimPrefix(data.Query, "@")
	}
	p := starling.Page{Limit: 50}
	if id, ok := starling.ParseID(q.Get("max_id")); ok {
		p.MaxID = id
	}
	list, err := h.svc.AdminAccounts(r.Context(), auth.Account, f, p)
	if err != nil {
		if starling.ErrorCode(err) == starling.EINVALID {
			h.renderError(w, r, http.StatusUnprocessableEntity, "Accounts", "Choose one of the filters offered.")
			return
		}
		h.renderServiceError(w, r, err)
		return
	}
	data.Accounts = list
	if len(list) == p.Limit {
		next := url.Values{"q": {data.Query}, "status": {data.Status}, "max_id": {starling.FormatID(list[len(list)-1].Account.ID)}}
		data.Next = "/admin/accounts?" + next.Encode()
	}
	pg := h.newPage(r, "Accounts", "admin-accounts")
	pg.Data = data
	h.render(w, r, http.StatusOK, "admin_accounts", pg)
}

// adminAccountPage is the Data of /admin/accounts/{id}.
type adminAccountPage struct {
	Record   *starling.AccountRecord
	Actions  []accountActionChoice
	ReportID string // a report the action resolves (from the report page), or ""
	Action   string // kept when the form comes back with an error
	Reason   string
	Notice   string
	IsStaff  bool // the viewer is a moderator or admin, not only a safeguarding lead
	IsAdmin  bool
	// TwoFactor: the member signs in with a second factor (admins may reset it).
	TwoFactor    bool
	DeleteReason string // kept when the delete form comes back with an error
	ResetReason  string
}

// accountActionChoice is one action the form offers.
type accountActionChoice struct {
	Value starling.AccountActionType
	Label string
}

// actionChoices lists what may be done to an account in its state: an
// action and its undoing are never offered together.
func actionChoices(rec *starling.AccountRecord, staff bool) []accountActionChoice {
	out := []accountActionChoice{{starling.ActionWarn, "Warn only: send the reason, change nothing"}}
	if !staff {
		return out
	}
	a, u := rec.Account, rec.User
	if a.Limited() {
		out = append(out, accountActionChoice{starling.ActionUnsilence, "Lift the limit"})
	} else {
		out = append(out, accountActionChoice{starling.ActionSilence, "Limit: hide their posts from people who do not follow them"})
	}
	if a.Suspended() {
		out = append(out, accountActionChoice{starling.ActionUnsuspend, "Lift the suspension"})
	} else {
		out = append(out, accountActionChoice{starling.ActionSuspend, "Suspend: sign them out, hide their profile and posts (nothing is deleted)"})
	}
	if u != nil {
		if u.Disabled {
			out = append(out, accountActionChoice{starling.ActionEnable, "Let them sign in again"})
		} else {
			out = append(out, accountActionChoice{starling.ActionDisable, "Disable sign-in only (the profile stays visible)"})
		}
	}
	if a.Sensitized() {
		out = append(out, accountActionChoice{starling.ActionUnsensitive, "Stop marking their media sensitive"})
	} else {
		out = append(out, accountActionChoice{starling.ActionSensitive, "Always mark their media sensitive"})
	}
	return out
}

func (h *handler) renderAdminAccount(w http.ResponseWriter, r *http.Request, auth *starling.Auth, id int64, status int, data adminAccountPage, errs []fieldError) {
	rec, err := h.svc.AccountModeration(r.Context(), auth.Account, id)
	if err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	data.Record, data.IsStaff, data.IsAdmin = rec, auth.User.IsStaff(), auth.User.Role == starling.RoleAdmin
	if rec.User != nil && data.IsAdmin {
		if data.TwoFactor, err = h.svc.HasTwoFactor(r.Context(), id); err != nil {
			h.renderServiceError(w, r, err)
			return
		}
	}
	data.Actions = actionChoices(rec, data.IsStaff)
	pg := h.newPage(r, "@"+rec.Account.Acct(), "admin-accounts")
	pg.Errors = errs
	pg.Data = data
	h.render(w, r, status, "admin_account", pg)
}

func (h *handler) handleAdminAccount(w http.ResponseWriter, r *http.Request) {
	auth := h.reportStaff(w, r)
	if auth == nil {
		return
	}
	id, ok := starling.ParseID(r.PathValue("id"))
	if !ok {
		h.handleNotFound(w, r)
		return
	}
	data := adminAccountPage{}
	if rid, ok := starling.ParseID(r.URL.Query().Get("report")); ok {
		data.ReportID = starling.FormatID(rid)
	}
	if r.URL.Query().Get("done") == "1" {
		data.Notice = "Action taken. It is in the audit log, and the member has been told the reason."
	}
	h.renderAdminAccount(w, r, auth, id, http.StatusOK, data, nil)
}

func (h *handler) handleAdminAccountAction(w http.ResponseWriter, r *http.Request) {
	auth := h.reportStaff(w, r)
	if auth == nil {
		return
	}
	id, ok := starling.ParseID(r.PathValue("id"))
	if !ok {
		h.handleNotFound(w, r)
		return
	}
	data := adminAccountPage{Action: r.PostFormValue("action"), Reason: strings.TrimSpace(r.PostFormValue("reason")), ReportID: r.PostFormValue("report_id")}
	var errs []fieldError
	if data.Action == "" {
		errs = append(errs, fieldError{Field: "action-none", Message: "Choose an action"})
	}
	if data.Reason == "" {
		errs = append(errs, fieldError{Field: "reason", Message: "Give the reason: the member is told it"})
	}
	act := starling.AccountAction{Type: starling.AccountActionType(data.Action), Text: data.Reason}
	if data.ReportID != "" {
		if act.ReportID, ok = starling.ParseID(data.ReportID); !ok {
			errs = append(errs, fieldError{Message: "The report is not known"})
		}
	}
	if len(errs) == 0 {
		_, err := h.svc.ActOnAccount(r.Context(), auth.Account, id, act)
		if err == nil {
			http.Redirect(w, r, "/admin/accounts/"+starling.FormatID(id)+"?done=1", http.StatusSeeOther)
			return
		}
		switch starling.ErrorCode(err) {
		case starling.EINVALID:
			errs = append(errs, fieldError{Field: "reason", Message: userMessage(starling.ErrorMessage(err))})
		case starling.EFORBIDDEN:
			errs = append(errs, fieldError{Field: "action-none", Message: starling.ErrorMessage(err)})
		default:
			h.renderServiceError(w, r, err)
			return
		}
	}
	h.renderAdminAccount(w, r, auth, id, http.StatusUnprocessableEntity, data, errs)
}

// adminAccountRoutes adds the staff account pages to mux.
func (h *handler) adminAccountRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /admin/accounts", h.handleAdminAccounts)
	mux.HandleFunc("GET /admin/accounts/{id}", h.handleAdminAccount)
	mux.HandleFunc("POST /admin/accounts/{id}", h.handleAdminAccountAction)
	mux.HandleFunc("POST /admin/accounts/{id}/delete", h.handleAdminAccountDelete)
	mux.HandleFunc("POST /admin/accounts/{id}/two_factor/reset", h.handleAdminTwoFactorReset)
}
