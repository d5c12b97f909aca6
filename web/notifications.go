package web

import (
	"net/http"

	"starling"
)

// notificationsPage is the Data of the "notifications" page.
type notificationsPage struct {
	Items    []notificationView
	Pager    pager
	Requests bool // the member has a locked account: link to follow requests
}

// notificationView is one notification with the sentence that explains it.
type notificationView struct {
	N      *starling.Notification
	Text   string // "favourited your post", after the account's name
	Unread bool
}

var notificationTexts = map[starling.NotificationType]string{
	starling.NotifyMention:       "mentioned you",
	starling.NotifyStatus:        "posted",
	starling.NotifyReblog:        "reposted your post",
	starling.NotifyFollow:        "followed you",
	starling.NotifyFollowRequest: "asked to follow you",
	starling.NotifyFavourite:     "favourited your post",
	starling.NotifyPoll:          "’s poll has ended",
	starling.NotifyUpdate:        "edited a post you reposted",
	starling.NotifyQuote:         "quoted your post",
	starling.NotifyAdminSignUp:   "signed up",
	starling.NotifyAdminReport:   "filed a report (see Reports)",
}

func (h *handler) handleNotifications(w http.ResponseWriter, r *http.Request) {
	auth := member(w, r)
	if auth == nil {
		return
	}
	ctx := r.Context()
	p := pageParams(r)
	list, err := h.svc.Notifications(ctx, auth.Account, starling.NotificationFilter{}, p)
	if err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	var lastRead int64
	if ms, err := h.svc.Markers(ctx, auth.Account, []string{"notifications"}); err == nil && len(ms) > 0 {
		lastRead = ms[0].LastReadID
	}
	data := notificationsPage{Requests: auth.Account.Locked}
	for _, n := range list {
		data.Items = append(data.Items, notificationView{N: n, Text: notificationTexts[n.Type], Unread: n.ID > lastRead})
	}
	data.Pager = pagerFor(r, p, 0, 0, 0) // past the last page: a way back
	if len(list) > 0 {
		data.Pager = pagerFor(r, p, len(list), list[0].ID, list[len(list)-1].ID)
		// Reading the newest page marks everything read, as apps do with the marker.
		if p.MaxID == 0 && p.MinID == 0 && list[0].ID > lastRead {
			if _, err := h.svc.SaveMarkers(ctx, auth.Account, []*starling.Marker{{Timeline: "notifications", LastReadID: list[0].ID}}); err != nil {
				h.renderServiceError(w, r, err)
				return
			}
		}
	}
	pg := h.newPage(r, "Notifications", "notifications")
	pg.Data = data
	h.render(w, r, http.StatusOK, "notifications", pg)
}
