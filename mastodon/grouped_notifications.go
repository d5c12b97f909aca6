package mastodon

import (
	"net/http"
	"strings"

	"starling"
	"starling/server"
)

// Grouped notifications (GET /api/v2/notifications), which apps use on
// servers reporting Mastodon 4.3. Starling does not group yet: every
// notification is its own group, keyed "ungrouped-<id>", which the API
// allows and apps show as single notifications.

// NotificationGroup is one group of notifications.
type NotificationGroup struct {
	GroupKey                 string   `json:"group_key"`
	NotificationsCount       int      `json:"notifications_count"`
	Type                     string   `json:"type"`
	MostRecentNotificationID string   `json:"most_recent_notification_id"`
	PageMinID                string   `json:"page_min_id"`
	PageMaxID                string   `json:"page_max_id"`
	LatestPageNotificationAt string   `json:"latest_page_notification_at"`
	SampleAccountIDs         []string `json:"sample_account_ids"`
	StatusID                 *string  `json:"status_id,omitempty"`
	// ModerationWarning is set on moderation_warning groups.
	ModerationWarning *AccountWarning `json:"moderation_warning,omitempty"`
}

// GroupedNotifications is the reply of GET /api/v2/notifications: groups
// refer to accounts and statuses listed once beside them.
type GroupedNotifications struct {
	Accounts           []*Account           `json:"accounts"`
	Statuses           []*Status            `json:"statuses"`
	NotificationGroups []*NotificationGroup `json:"notification_groups"`
}

const ungroupedPrefix = "ungrouped-"

func (h *handler) groupedNotifications(r *http.Request, list []*starling.Notification) *GroupedNotifications {
	rr := h.renderer(r.Context())
	out := &GroupedNotifications{Accounts: []*Account{}, Statuses: []*Status{}, NotificationGroups: []*NotificationGroup{}}
	seenAccount, seenStatus := map[int64]bool{}, map[int64]bool{}
	for _, n := range list {
		id := starling.FormatID(n.ID)
		g := &NotificationGroup{GroupKey: ungroupedPrefix + id, NotificationsCount: 1, Type: string(n.Type),
			MostRecentNotificationID: id, PageMinID: id, PageMaxID: id, LatestPageNotificationAt: timeString(n.CreatedAt),
			SampleAccountIDs: []string{starling.FormatID(n.FromAccountID)}, ModerationWarning: rr.accountWarning(n.Warning)}
		if !seenAccount[n.FromAccountID] {
			seenAccount[n.FromAccountID] = true
			out.Accounts = append(out.Accounts, rr.account(n.FromAccount))
		}
		if n.Status != nil {
			g.StatusID = idPtr(n.Status.ID)
			if !seenStatus[n.Status.ID] {
				seenStatus[n.Status.ID] = true
				out.Statuses = append(out.Statuses, rr.status(n.Status))
			}
		}
		out.NotificationGroups = append(out.NotificationGroups, g)
	}
	return out
}

func (h *handler) handleGroupedNotifications(w http.ResponseWriter, r *http.Request) {
	p, pg, err := readPage(r)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	list, err := h.svc.Notifications(r.Context(), viewer(r), notificationFilter(p), pg)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	ids := make([]int64, len(list))
	for i, n := range list {
		ids[i] = n.ID
	}
	h.setLinks(w, r, ids)
	server.WriteJSON(w, http.StatusOK, h.groupedNotifications(r, list))
}

// groupID reads the {group_key} path segment: "ungrouped-<id>".
func groupID(r *http.Request) (int64, error) {
	id, ok := starling.ParseID(strings.TrimPrefix(r.PathValue("group_key"), ungroupedPrefix))
	if !ok || !strings.HasPrefix(r.PathValue("group_key"), ungroupedPrefix) {
		return 0, starling.Errorf(starling.ENOTFOUND, "Record not found")
	}
	return id, nil
}

func (h *handler) handleNotificationGroupGet(w http.ResponseWriter, r *http.Request) {
	id, err := groupID(r)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	n, err := h.svc.Notification(r.Context(), viewer(r), id)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, h.groupedNotifications(r, []*starling.Notification{n}))
}

func (h *handler) handleNotificationGroupDismiss(w http.ResponseWriter, r *http.Request) {
	id, err := groupID(r)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	if err := h.svc.DismissNotification(r.Context(), viewer(r), id); err != nil {
		server.WriteError(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, struct{}{})
}

func (h *handler) handleNotificationGroupAccounts(w http.ResponseWriter, r *http.Request) {
	id, err := groupID(r)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	n, err := h.svc.Notification(r.Context(), viewer(r), id)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, []*Account{h.renderer(r.Context()).account(n.FromAccount)})
}
