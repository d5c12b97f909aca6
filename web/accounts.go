package web

import (
	"net/http"
	"strings"
	"time"

	"starling"
)

// profilePage is the Data of the "profile" page.
type profilePage struct {
	Profile      *starling.Account
	Relationship *starling.Relationship // nil when signed out or on one's own profile
	Pinned       []*starling.Status
	Feed         feedView
	WithReplies  bool
	Featured     []*starling.FeaturedTag
	Tagged       string           // showing only posts with this hashtag
	Lists        []*starling.List // the lists the member made public
}

// handleProfile shows /@username: the bio, fields, pinned posts and posts.
// /@username.rss is the same posts as an RSS feed.
func (h *handler) handleProfile(w http.ResponseWriter, r *http.Request) {
	acct, ok := strings.CutPrefix(r.PathValue("acct"), "@")
	if !ok || acct == "" {
		h.handleNotFound(w, r)
		return
	}
	if name, ok := strings.CutSuffix(acct, ".rss"); ok {
		h.handleAccountFeed(w, r, name)
		return
	}
	ctx := r.Context()
	a, err := h.svc.LookupAccount(ctx, acct)
	if err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	if a.Suspended() { // kept for staff, hidden from everyone else
		cp := *a
		cp.DisplayName, cp.Note, cp.Fields = "", "", nil
		a = &cp
	}
	viewer := viewerOf(r)
	p := pageParams(r)
	withReplies := r.URL.Query().Get("replies") == "1"
	tagged := h.svc.NormalizeTag(strings.TrimPrefix(r.URL.Query().Get("tagged"), "#"))
	list, err := h.svc.AccountStatuses(ctx, viewer, a.ID, starling.AccountStatusesFilter{ExcludeReplies: !withReplies && tagged == "", Tagged: tagged}, p)
	if err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	var pinned []*starling.Status
	if p.MaxID == 0 && p.MinID == 0 {
		if pinned, err = h.svc.AccountStatuses(ctx, viewer, a.ID, starling.AccountStatusesFilter{Pinned: true}, starling.Page{Limit: 5}); err != nil {
			h.renderServiceError(w, r, err)
			return
		}
	}
	pg := h.newPage(r, displayName(a)+" (@"+a.Acct()+")", "")
	if viewer != nil && viewer.ID == a.ID {
		pg.Section = "profile"
	}
	path := profilePath(a)
	desc := a.Note
	if desc == "" {
		desc = "Posts by " + displayName(a) + " on " + h.in.Title + "."
	}
	pg.Meta = &pageMeta{Canonical: h.absolute(path), Type: "profile", Description: excerpt(desc, 200),
		NoIndex:    !a.Discoverable,
		Alternates: []alternate{{Type: "application/rss+xml", Href: h.absolute(path + ".rss"), Title: "Posts by " + displayName(a) + " (RSS)"}}}
	featured, err := h.svc.FeaturedTags(ctx, a.ID)
	if err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	lists, err := h.svc.PublicLists(ctx, a.ID)
	if err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	if tagged != "" {
		pinned = nil
	}
	data := profilePage{Profile: a, Pinned: pinned, WithReplies: withReplies, Featured: featured, Tagged: tagged, Lists: lists,
		Feed: feedView{Statuses: list, Page: pg, Pager: statusPager(r, p, list), Empty: displayName(a) + " has not posted anything you can see yet."}}
	if viewer != nil && viewer.ID != a.ID {
		if data.Relationship, err = h.svc.Relationship(ctx, viewer, a.ID); err != nil {
			h.renderServiceError(w, r, err)
			return
		}
	}
	pg.Data = data
	h.render(w, r, http.StatusOK, "profile", pg)
}

// muteDurations are the lengths a mute can be given on the web pages.
var muteDurations = map[string]time.Duration{"": 0, "0": 0, "3600": time.Hour, "86400": 24 * time.Hour, "604800": 7 * 24 * time.Hour}

// handleFollow follows, unfollows or cancels a request to follow, blocks,
// mutes or lifts those, and goes back.
func (h *handler) handleFollow(w http.ResponseWriter, r *http.Request) {
	auth, id, ok := h.memberAt(w, r)
	if !ok {
		return
	}
	var err error
	switch r.PathValue("action") {
	case "follow":
		_, err = h.svc.Follow(r.Context(), auth.Account, id, starling.FollowOptions{})
	case "unfollow":
		_, err = h.svc.Unfollow(r.Context(), auth.Account, id)
	case "block":
		_, err = h.svc.BlockAccount(r.Context(), auth.Account, id)
	case "unblock":
		_, err = h.svc.UnblockAccount(r.Context(), auth.Account, id)
	case "mute":
		_, err = h.svc.MuteAccount(r.Context(), auth.Account, id, r.PostFormValue("notifications") != "0", muteDurations[r.PostFormValue("duration")])
	case "unmute":
		_, err = h.svc.UnmuteAccount(r.Context(), auth.Account, id)
	default:
		h.handleNotFound(w, r)
		return
	}
	if err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	redirectBack(w, r, "/")
}

// followRequestsPage is the Data of the "follow_requests" page.
type followRequestsPage struct {
	Requests []*starling.Account
	Pager    pager
}

func (h *handler) handleFollowRequests(w http.ResponseWriter, r *http.Request) {
	auth := member(w, r)
	if auth == nil {
		return
	}
	p := pageParams(r)
	p.Limit = 40
	accounts, refs, err := h.svc.FollowRequests(r.Context(), auth.Account, p)
	if err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	pg := h.newPage(r, "Follow requests", "notifications")
	pgr := pagerFor(r, p, 0, 0, 0) // past the last page: a way back
	if len(refs) > 0 {
		pgr = pagerFor(r, p, len(refs), refs[0].RowID, refs[len(refs)-1].RowID)
	}
	pg.Data = followRequestsPage{Requests: accounts, Pager: pgr}
	h.render(w, r, http.StatusOK, "follow_requests", pg)
}

func (h *handler) handleFollowRequestAnswer(w http.ResponseWriter, r *http.Request) {
	auth, id, ok := h.memberAt(w, r)
	if !ok {
		return
	}
	var err error
	switch r.PathValue("answer") {
	case "authorize":
		_, err = h.svc.AuthorizeFollowRequest(r.Context(), auth.Account, id)
	case "reject":
		_, err = h.svc.RejectFollowRequest(r.Context(), auth.Account, id)
	default:
		h.handleNotFound(w, r)
		return
	}
	if err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	redirectBack(w, r, "/follow_requests")
}
