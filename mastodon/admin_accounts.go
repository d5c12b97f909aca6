package mastodon

import (
	"cmp"
	"net/http"

	"starling"
	"starling/server"
)

// AdminAccount is the Admin::Account entity
// (https://docs.joinmastodon.org/entities/Admin_Account/). Starling keeps
// no IP addresses, so ip is null and ips empty.
type AdminAccount struct {
	ID            string   `json:"id"`
	Username      string   `json:"username"`
	Domain        *string  `json:"domain"`
	CreatedAt     string   `json:"created_at"`
	Email         string   `json:"email"`
	IP            *string  `json:"ip"`
	IPs           []any    `json:"ips"`
	Locale        string   `json:"locale"`
	InviteRequest *string  `json:"invite_request"`
	Role          *Role    `json:"role"`
	Confirmed     bool     `json:"confirmed"`
	Approved      bool     `json:"approved"`
	Disabled      bool     `json:"disabled"`
	Silenced      bool     `json:"silenced"`
	Suspended     bool     `json:"suspended"`
	Sensitized    bool     `json:"sensitized"`
	Account       *Account `json:"account"`
}

// AccountWarning is the AccountWarning entity of a moderation_warning
// notification (https://docs.joinmastodon.org/entities/AccountWarning/).
type AccountWarning struct {
	ID            string   `json:"id"`
	Action        string   `json:"action"`
	Text          string   `json:"text"`
	StatusIDs     []string `json:"status_ids"`
	TargetAccount *Account `json:"target_account"`
	Appeal        *Appeal  `json:"appeal"`
	CreatedAt     string   `json:"created_at"`
}

// Appeal is a member's appeal of a warning.
type Appeal struct {
	Text  string `json:"text"`
	State string `json:"state"`
}

func (rr *renderer) accountWarning(w *starling.AccountWarning) *AccountWarning {
	if w == nil {
		return nil
	}
	out := &AccountWarning{ID: starling.FormatID(w.ID), Action: string(w.Action), Text: w.Text, StatusIDs: []string{},
		TargetAccount: rr.account(w.Account), CreatedAt: timeString(w.CreatedAt)}
	for _, id := range w.StatusIDs {
		out.StatusIDs = append(out.StatusIDs, starling.FormatID(id))
	}
	if w.Appealed() {
		out.Appeal = &Appeal{Text: w.AppealText, State: "pending"}
	}
	return out
}

// adminAccount renders an account as staff see it; u is nil for remote
// accounts, or where the caller has not loaded it (reports).
func (rr *renderer) adminAccount(a *starling.Account) *AdminAccount {
	return rr.adminAccountOf(a, nil)
}

func (rr *renderer) adminAccountOf(a *starling.Account, u *starling.User) *AdminAccount {
	if a == nil {
		return nil
	}
	out := &AdminAccount{ID: starling.FormatID(a.ID), Username: a.Username, CreatedAt: timeString(a.CreatedAt), IPs: []any{},
		Silenced: a.Limited(), Suspended: a.Suspended(), Sensitized: a.Sensitized(), Account: rr.account(a),
		Role: &Role{ID: "-99", Name: "", Permissions: "0"}}
	if a.Domain != "" {
		out.Domain = ptr(a.Domain)
	}
	if u != nil {
		out.Email, out.Locale, out.Confirmed, out.Approved, out.Disabled = u.Email, u.Locale, u.Confirmed, u.Approved, u.Disabled
		if u.Reason != "" {
			out.InviteRequest = ptr(u.Reason)
		}
		switch u.Role {
		case starling.RoleAdmin:
			out.Role = &Role{ID: "3", Name: "Admin", Permissions: "1", Highlighted: true}
		case starling.RoleModerator:
			out.Role = &Role{ID: "2", Name: "Moderator", Permissions: "1308", Highlighted: true}
		case starling.RoleSafeguardingLead:
			out.Role = &Role{ID: "4", Name: "Safeguarding lead", Permissions: "0"}
		}
	}
	return out
}

// handleAdminAccounts serves GET /api/v1/admin/accounts (the v1 filters:
// local, remote, active, pending, disabled, silenced, suspended, username,
// display_name, email, staff), newest first with Link headers.
func (h *handler) handleAdminAccounts(w http.ResponseWriter, r *http.Request) {
	p, err := readParams(r)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	page, err := p.page()
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	var f starling.AdminAccountFilter
	on := func(k string) bool { v, _ := p.boolean(k); return v }
	switch {
	case on("local"):
		f.Origin = "local"
	case on("remote"):
		f.Origin = "remote"
	}
	for _, s := range []string{"active", "pending", "disabled", "silenced", "suspended"} {
		if on(s) {
			f.Status = s
		}
	}
	f.Staff = on("staff")
	f.Username, f.DisplayName, f.Email = p.get("username"), p.get("display_name"), p.get("email")
	list, err := h.svc.AdminAccounts(r.Context(), viewer(r), f, page)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	rr := h.renderer(r.Context())
	out := make([]*AdminAccount, 0, len(list))
	keys := make([]int64, 0, len(list))
	for _, aa := range list {
		out = append(out, rr.adminAccountOf(aa.Account, aa.User))
		keys = append(keys, aa.Account.ID)
	}
	h.setLinks(w, r, keys)
	server.WriteJSON(w, http.StatusOK, out)
}

// handleAdminAccount serves GET /api/v1/admin/accounts/:id.
func (h *handler) handleAdminAccount(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	h.writeAdminAccount(w, r, id)
}

func (h *handler) writeAdminAccount(w http.ResponseWriter, r *http.Request, id int64) {
	aa, err := h.svc.AdminAccount(r.Context(), viewer(r), id)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, h.renderer(r.Context()).adminAccountOf(aa.Account, aa.User))
}

// handleAdminAccountAction serves POST /api/v1/admin/accounts/:id/action:
// type (none, sensitive, disable, silence, suspend), text (the reason,
// required here: the member is told it), report_id and status_ids;
// warning_preset_id and send_email_notification are ignored.
func (h *handler) handleAdminAccountAction(w http.ResponseWriter, r *http.Request) {
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
	typ := starling.AccountActionType(p.get("type"))
	switch typ {
	case "":
		typ = starling.ActionWarn
	case starling.ActionWarn, starling.ActionSensitive, starling.ActionDisable, starling.ActionSilence, starling.ActionSuspend:
	default:
		server.WriteError(w, r, starling.Errorf(starling.EINVALID, "Validation failed: type must be none, sensitive, disable, silence or suspend"))
		return
	}
	if !isText(p.get("text")) {
		server.WriteError(w, r, starling.Errorf(starling.EINVALID, "Validation failed: text is not valid text"))
		return
	}
	act := starling.AccountAction{Type: typ, Text: p.get("text"), StatusIDs: p.ids("status_ids")}
	if s := p.get("report_id"); s != "" {
		var ok bool
		if act.ReportID, ok = starling.ParseID(s); !ok {
			server.WriteError(w, r, starling.Errorf(starling.EINVALID, "Validation failed: report_id is malformed"))
			return
		}
	}
	if _, err := h.svc.ActOnAccount(r.Context(), viewer(r), id, act); err != nil {
		server.WriteError(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, struct{}{})
}

// handleAdminAccountUndo serves POST /api/v1/admin/accounts/:id/enable,
// /unsilence, /unsuspend and /unsensitive. Mastodon takes no reason here;
// Starling audits every action with one, so an optional text is kept and
// a short default stands in.
func (h *handler) handleAdminAccountUndo(t starling.AccountActionType) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, text, err := idAndReason(r, "Lifted through the admin API")
		if err != nil {
			server.WriteError(w, r, err)
			return
		}
		if _, err := h.svc.ActOnAccount(r.Context(), viewer(r), id, starling.AccountAction{Type: t, Text: text}); err != nil {
			server.WriteError(w, r, err)
			return
		}
		h.writeAdminAccount(w, r, id)
	}
}

// idAndReason reads the account ID from the path and the optional text
// that the audit log keeps as the reason, fallback when none is given.
func idAndReason(r *http.Request, fallback string) (int64, string, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return 0, "", err
	}
	p, err := readParams(r)
	if err != nil {
		return 0, "", err
	}
	text := p.get("text")
	if !isText(text) {
		return 0, "", starling.Errorf(starling.EINVALID, "Validation failed: text is not valid text")
	}
	return id, cmp.Or(text, fallback), nil
}

// handleAdminAccountApproval serves POST /api/v1/admin/accounts/:id/approve
// and /reject. A rejected sign-up is deleted, so reject answers with the
// account as it was.
func (h *handler) handleAdminAccountApproval(approve bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r, "id")
		if err != nil {
			server.WriteError(w, r, err)
			return
		}
		aa, err := h.svc.AdminAccount(r.Context(), viewer(r), id)
		if err != nil {
			server.WriteError(w, r, err)
			return
		}
		if aa.User == nil || aa.User.Approved {
			server.WriteError(w, r, starling.Errorf(starling.EFORBIDDEN, "This account is not pending approval"))
			return
		}
		if approve {
			err = h.svc.ApproveSignUpBy(r.Context(), viewer(r), id)
		} else {
			err = h.svc.RejectSignUpBy(r.Context(), viewer(r), id)
		}
		if err != nil {
			server.WriteError(w, r, err)
			return
		}
		if approve {
			h.writeAdminAccount(w, r, id)
			return
		}
		server.WriteJSON(w, http.StatusOK, h.renderer(r.Context()).adminAccountOf(aa.Account, aa.User))
	}
}

// handleAdminAccountDelete serves DELETE /api/v1/admin/accounts/:id,
// which, as in Mastodon, deletes the data of an account staff suspended
// first (403 otherwise): suspending is the considered step, deleting
// only follows it. An optional text is the audit log's reason. It answers
// with the account as it was.
func (h *handler) handleAdminAccountDelete(w http.ResponseWriter, r *http.Request) {
	id, text, err := idAndReason(r, "Data of a suspended account deleted through the admin API")
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	aa, err := h.svc.AdminAccount(r.Context(), viewer(r), id)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	if !aa.Account.Suspended() {
		server.WriteError(w, r, starling.Errorf(starling.EFORBIDDEN, "Suspend the account before deleting its data"))
		return
	}
	auth := starling.AuthFromContext(r.Context())
	if err := h.svc.DeleteAccount(r.Context(), auth.Account, auth.User, id, text); err != nil {
		server.WriteError(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, h.renderer(r.Context()).adminAccountOf(aa.Account, aa.User))
}

// adminAccountRoutes adds the admin accounts API through route.
func (h *handler) adminAccountRoutes(route func(string, access, http.HandlerFunc)) {
	read, write := user("admin:read:accounts"), user("admin:write:accounts")
	route("GET /api/v1/admin/accounts", read, h.handleAdminAccounts)
	route("GET /api/v1/admin/accounts/{id}", read, h.handleAdminAccount)
	route("DELETE /api/v1/admin/accounts/{id}", write, h.handleAdminAccountDelete)
	route("POST /api/v1/admin/accounts/{id}/action", write, h.handleAdminAccountAction)
	route("POST /api/v1/admin/accounts/{id}/approve", write, h.handleAdminAccountApproval(true))
	route("POST /api/v1/admin/accounts/{id}/reject", write, h.handleAdminAccountApproval(false))
	route("POST /api/v1/admin/accounts/{id}/enable", write, h.handleAdminAccountUndo(starling.ActionEnable))
	route("POST /api/v1/admin/accounts/{id}/unsilence", write, h.handleAdminAccountUndo(starling.ActionUnsilence))
	route("POST /api/v1/admin/accounts/{id}/unsuspend", write, h.handleAdminAccountUndo(starling.ActionUnsuspend))
	route("POST /api/v1/admin/accounts/{id}/unsensitive", write, h.handleAdminAccountUndo(starling.ActionUnsensitive))
}
