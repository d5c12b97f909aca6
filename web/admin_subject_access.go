package web

import (
	"net/http"
	"strings"

	"starling"
	"starling/server"
)

// The subject-access page: staff (moderators and admins, as
// starling.SubjectAccessLookup decides) look up what Starling holds about
// a member and download their archive. Both are POSTs: each writes to the
// audit log, and neither should happen because a link was followed.

// subjectAccessPage is the Data of the "admin_subject_access" page.
type subjectAccessPage struct {
	Who    string
	Reason string
	Result *starling.SubjectAccess
	Counts []countRow // Result's counts, in a fixed order
}

type countRow struct {
	Label string
	N     int
}

// subjectAccessCounts names the counts the page lists, in its order.
var subjectAccessCounts = []struct{ key, label string }{
	{"statuses", "Posts and reblogs"}, {"media", "Uploaded files"}, {"following", "Accounts they follow"},
	{"followers", "Followers"}, {"follow_requests_sent", "Follow requests sent"}, {"follow_requests_received", "Follow requests received"},
	{"favourites", "Favourites"}, {"bookmarks", "Bookmarks"}, {"lists", "Lists"}, {"on_others_lists", "On others' lists"},
	{"blocks", "Blocks"}, {"mutes", "Mutes"}, {"filters", "Filters"}, {"followed_tags", "Followed hashtags"},
	{"featured_tags", "Featured hashtags"}, {"poll_votes", "Poll votes"}, {"notifications", "Notifications"},
	{"mentioned_in", "Posts that mention them"}, {"reports_filed", "Reports they filed"}, {"reports_about", "Reports about them"},
	{"sessions", "Sessions and apps"},
}

func (h *handler) handleSubjectAccessForm(w http.ResponseWriter, r *http.Request) {
	if auth := h.staff(w, r); auth == nil {
		return
	}
	h.renderSubjectAccess(w, r, http.StatusOK, subjectAccessPage{}, nil)
}

func (h *handler) renderSubjectAccess(w http.ResponseWriter, r *http.Request, status int, data subjectAccessPage, errs []fieldError) {
	if data.Result != nil {
		for _, c := range subjectAccessCounts {
			data.Counts = append(data.Counts, countRow{c.label, data.Result.Counts[c.key]})
		}
	}
	pg := h.newPage(r, "Subject access", "admin-subject-access")
	pg.Errors = errs
	pg.Data = data
	h.render(w, r, status, "admin_subject_access", pg)
}

func (h *handler) handleSubjectAccessLookup(w http.ResponseWriter, r *http.Request) {
	auth := h.staff(w, r)
	if auth == nil {
		return
	}
	data := subjectAccessPage{Who: strings.TrimSpace(r.PostFormValue("who")), Reason: strings.TrimSpace(r.PostFormValue("reason"))}
	var errs []fieldError
	if data.Who == "" {
		errs = append(errs, fieldError{"who", "Type the member's username or email address"})
	}
	if data.Reason == "" {
		errs = append(errs, fieldError{"reason", "Give the reason for the lookup, such as the request's reference"})
	}
	if len(errs) > 0 {
		h.renderSubjectAccess(w, r, http.StatusUnprocessableEntity, data, errs)
		return
	}
	a, err := h.svc.FindSubject(r.Context(), auth.Account, auth.User, data.Who)
	if starling.ErrorCode(err) == starling.ENOTFOUND || starling.ErrorCode(err) == starling.EINVALID {
		h.renderSubjectAccess(w, r, http.StatusNotFound, data, []fieldError{{"who", "No member has that username or email address"}})
		return
	} else if err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	data.Result, err = h.svc.SubjectAccessLookup(r.Context(), auth.Account, auth.User, a.ID, data.Reason)
	if starling.ErrorCode(err) == starling.EINVALID {
		h.renderSubjectAccess(w, r, http.StatusUnprocessableEntity, data, []fieldError{{"reason", userMessage(starling.ErrorMessage(err))}})
		return
	} else if err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	h.renderSubjectAccess(w, r, http.StatusOK, data, nil)
}

func (h *handler) handleSubjectAccessExport(w http.ResponseWriter, r *http.Request) {
	auth := h.staff(w, r)
	if auth == nil {
		return
	}
	id, ok := starling.ParseID(r.PathValue("id"))
	if !ok {
		h.handleNotFound(w, r)
		return
	}
	a, write, err := h.svc.SubjectAccessExport(r.Context(), auth.Account, auth.User, id, r.PostFormValue("reason"))
	if err != nil {
		server.LogError(r, err)
		h.renderServiceError(w, r, err)
		return
	}
	sendArchive(w, r, a, write)
}
