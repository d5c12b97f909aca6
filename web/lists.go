package web

import (
	"net/http"
	"strings"

	"starling"
	"starling/server"
)

// listsPage is the Data of the "lists" page.
type listsPage struct {
	Lists []*starling.List
	Title string // the create form's value, kept when it fails
}

func (h *handler) handleLists(w http.ResponseWriter, r *http.Request) {
	auth := member(w, r)
	if auth == nil {
		return
	}
	h.renderLists(w, r, auth, http.StatusOK, "", nil)
}

func (h *handler) renderLists(w http.ResponseWriter, r *http.Request, auth *starling.Auth, status int, title string, errs []fieldError) {
	lists, err := h.svc.Lists(r.Context(), auth.Account)
	if err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	pg := h.newPage(r, "Lists", "lists")
	pg.Errors = errs
	pg.Data = listsPage{Lists: lists, Title: title}
	h.render(w, r, status, "lists", pg)
}

func (h *handler) handleCreateList(w http.ResponseWriter, r *http.Request) {
	auth := member(w, r)
	if auth == nil {
		return
	}
	title := r.PostFormValue("title")
	l, err := h.svc.CreateList(r.Context(), auth.Account, starling.List{Title: title})
	if err != nil {
		server.LogError(r, err)
		h.renderLists(w, r, auth, server.StatusFor(err), title, []fieldError{{"list-title", userMessage(starling.ErrorMessage(err))}})
		return
	}
	http.Redirect(w, r, "/lists/"+starling.FormatID(l.ID)+"/edit", http.StatusSeeOther)
}

// handleListTimeline shows the owner their list's timeline, and anyone
// else a shared list: who is on it, with a button that follows them all.
func (h *handler) handleListTimeline(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		h.handleNotFound(w, r)
		return
	}
	viewer := viewerOf(r)
	l, err := h.svc.SharedList(r.Context(), viewer, id)
	if starling.ErrorCode(err) == starling.ENOTFOUND && viewer == nil {
		redirectToSignIn(w, r) // it may be theirs
		return
	} else if err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	if viewer == nil || l.AccountID != viewer.ID {
		h.renderSharedList(w, r, l)
		return
	}
	p := pageParams(r)
	list, err := h.svc.ListTimeline(r.Context(), viewer, id, p)
	if err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	pg := h.newPage(r, l.Title, "lists")
	pg.Data = timelinePage{Heading: l.Title, List: l,
		Feed: feedView{Statuses: list, Page: pg, Poll: pollURL(r, p), Live: "list:" + starling.FormatID(id), Pager: statusPager(r, p, list),
			Empty: "No posts yet. Add people you follow to this list, and their posts appear here."}}
	h.render(w, r, http.StatusOK, "timeline", pg)
}

// sharedListPage is the Data of the "list_shared" page.
type sharedListPage struct {
	List    *starling.List
	Owner   *starling.Account
	Members []accountView
	More    bool // the list has more members than the page shows
}

// sharedListSize bounds the members a shared list's page shows.
const sharedListSize = 80

func (h *handler) renderSharedList(w http.ResponseWriter, r *http.Request, l *starling.List) {
	ctx := r.Context()
	viewer := viewerOf(r)
	owner, err := h.svc.Account(ctx, l.AccountID)
	if err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	members, err := h.svc.ListMembers(ctx, viewer, l.ID, starling.Page{Limit: sharedListSize})
	if err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	pg := h.newPage(r, l.Title+" — a list by "+displayName(owner), "")
	path := "/lists/" + starling.FormatID(l.ID)
	pg.Meta = &pageMeta{Canonical: h.absolute(path), Type: "website",
		Description: excerpt(l.Title+": people "+displayName(owner)+" thinks are worth following on "+h.in.Title+".", 200)}
	data := sharedListPage{List: l, Owner: owner, More: len(members) == sharedListSize}
	for _, a := range members {
		data.Members = append(data.Members, accountView{Account: a})
	}
	pg.Data = data
	h.render(w, r, http.StatusOK, "list_shared", pg)
}

// handleFollowList follows everyone on a shared list and takes the member
// to their own copy of it.
func (h *handler) handleFollowList(w http.ResponseWriter, r *http.Request) {
	auth, id, ok := h.memberAt(w, r)
	if !ok {
		return
	}
	l, err := h.svc.FollowList(r.Context(), auth.Account, id)
	if err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	http.Redirect(w, r, "/lists/"+starling.FormatID(l.ID), http.StatusSeeOther)
}

// listEditPage is the Data of the "list_edit" page.
type listEditPage struct {
	List      *starling.List
	Title     string
	Members   []accountView
	Followed  []accountView // followed accounts not on the list yet
	Policies  []listPolicy
	HasOthers bool // the member follows more accounts than Followed shows
}

type listPolicy struct{ Value, Label string }

var listPolicies = []listPolicy{
	{"list", "Replies to other members of the list"},
	{"followed", "Replies to anyone you follow"},
	{"none", "No replies"},
}

func (h *handler) handleListEdit(w http.ResponseWriter, r *http.Request) {
	auth, id, ok := h.memberAt(w, r)
	if !ok {
		return
	}
	h.renderListEdit(w, r, auth, id, http.StatusOK, nil, "")
}

func (h *handler) renderListEdit(w http.ResponseWriter, r *http.Request, auth *starling.Auth, id int64, status int, errs []fieldError, title string) {
	ctx := r.Context()
	l, err := h.svc.List(ctx, auth.Account, id)
	if err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	members, err := h.svc.ListMembers(ctx, auth.Account, id, starling.Page{Limit: 80})
	if err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	followed, _, err := h.svc.Following(ctx, auth.Account.ID, starling.Page{Limit: 80})
	if err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	pg := h.newPage(r, "Manage list: "+l.Title, "lists")
	pg.Errors = errs
	if title == "" {
		title = l.Title
	}
	data := listEditPage{List: l, Title: title, Policies: listPolicies, HasOthers: len(followed) == 80}
	onList := map[int64]bool{}
	base := "/lists/" + starling.FormatID(id) + "/members/"
	// The buttons come back to this page by its own address: when it is
	// shown again after a failed save, r is the POST to /lists/ID, which
	// is the list's timeline.
	back := "/lists/" + starling.FormatID(id) + "/edit"
	for _, a := range members {
		onList[a.ID] = true
		data.Members = append(data.Members, accountView{Account: a, CSRF: pg.CSRF, Return: back,
			Action: base + starling.FormatID(a.ID) + "/remove", ActionLabel: "Remove from list", Secondary: true})
	}
	for _, a := range followed {
		if !onList[a.ID] {
			data.Followed = append(data.Followed, accountView{Account: a, CSRF: pg.CSRF, Return: back,
				Action: base + starling.FormatID(a.ID) + "/add", ActionLabel: "Add to list"})
		}
	}
	pg.Data = data
	h.render(w, r, status, "list_edit", pg)
}

func (h *handler) handleUpdateList(w http.ResponseWriter, r *http.Request) {
	auth, id, ok := h.memberAt(w, r)
	if !ok {
		return
	}
	title, policy := r.PostFormValue("title"), r.PostFormValue("replies_policy")
	exclusive, public := r.PostFormValue("exclusive") == "1", r.PostFormValue("public") == "1"
	change := starling.ListChange{Title: &title, RepliesPolicy: &policy, Exclusive: &exclusive, Public: &public}
	if auth.User.IsStaff() {
		featured := r.PostFormValue("featured") == "1"
		change.Featured = &featured
	}
	if _, err := h.svc.UpdateList(r.Context(), auth.Account, id, change); err != nil {
		server.LogError(r, err)
		if starling.ErrorCode(err) != starling.EINVALID {
			h.renderServiceError(w, r, err)
			return
		}
		h.renderListEdit(w, r, auth, id, server.StatusFor(err), []fieldError{{"list-title", userMessage(starling.ErrorMessage(err))}}, title)
		return
	}
	http.Redirect(w, r, "/lists/"+starling.FormatID(id)+"/edit", http.StatusSeeOther)
}

func (h *handler) handleDeleteList(w http.ResponseWriter, r *http.Request) {
	auth, id, ok := h.memberAt(w, r)
	if !ok {
		return
	}
	if err := h.svc.DeleteList(r.Context(), auth.Account, id); err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	http.Redirect(w, r, "/lists", http.StatusSeeOther)
}

// handleListMember adds a followed account to a list or takes one off.
func (h *handler) handleListMember(w http.ResponseWriter, r *http.Request) {
	auth := member(w, r)
	if auth == nil {
		return
	}
	id, ok := pathID(r, "id")
	accountID, okA := pathID(r, "account")
	if !ok || !okA {
		h.handleNotFound(w, r)
		return
	}
	var err error
	switch strings.ToLower(r.PathValue("change")) {
	case "add":
		err = h.svc.AddListMembers(r.Context(), auth.Account, id, []int64{accountID})
	case "remove":
		err = h.svc.RemoveListMembers(r.Context(), auth.Account, id, []int64{accountID})
	default:
		h.handleNotFound(w, r)
		return
	}
	if err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	redirectBack(w, r, "/lists/"+starling.FormatID(id)+"/edit")
}
