package starling

import (
	"context"
	"time"
)

// NotificationType says what happened.
type NotificationType string

const (
	NotifyMention       NotificationType = "mention"
	NotifyStatus        NotificationType = "status" // someone the account asked to be notified about posted
	NotifyReblog        NotificationType = "reblog"
	NotifyFollow        NotificationType = "follow"
	NotifyFollowRequest NotificationType = "follow_request"
	NotifyFavourite     NotificationType = "favourite"
	NotifyPoll          NotificationType = "poll"
	NotifyUpdate        NotificationType = "update" // a status the account reblogged was edited
	NotifyQuote         NotificationType = "quote"  // someone quoted the account's post
	NotifyAdminSignUp   NotificationType = "admin.sign_up"
	NotifyAdminReport   NotificationType = "admin.report" // from the reporter; sent to those who handle reports
)

// Notification tells AccountID that FromAccountID did something, optionally to or with StatusID.
type Notification struct {
	ID            int64
	AccountID     int64
	FromAccountID int64
	Type          NotificationType
	StatusID      int64
	CreatedAt     time.Time

	// Filled in by hydration for output.
	FromAccount *Account
	Status      *Status
	Warning     *AccountWarning // for moderation_warning
}

// NotificationFilter narrows a notification listing; empty fields select everything.
type NotificationFilter struct {
	Types         []NotificationType
	ExcludeTypes  []NotificationType
	FromAccountID int64
}

// NotificationStore reads and writes notifications.
type NotificationStore interface {
	// CreateNotification inserts n unless the same notification (account,
	// type, sender, status) already exists; it reports whether it did.
	CreateNotification(ctx context.Context, n *Notification) (bool, error)
	// Notifications pages through an account's notifications, newest first.
	Notifications(ctx context.Context, accountID int64, f NotificationFilter, p Page) ([]*Notification, error)
	// Notification returns one of the account's notifications, or ENOTFOUND.
	Notification(ctx context.Context, accountID, id int64) (*Notification, error)
	// DismissNotification deletes one; ENOTFOUND if the account has no such notification.
	DismissNotification(ctx context.Context, accountID, id int64) error
	// ClearNotifications deletes all of an account's notifications.
	ClearNotifications(ctx context.Context, accountID int64) error
	// DeleteNotifications removes notifications that a since-undone action caused.
	DeleteNotifications(ctx context.Context, t NotificationType, fromAccountID, accountID, statusID int64) error
	// CountNotifications counts notifications newer than sinceID, up to limit.
	CountNotifications(ctx context.Context, accountID, sinceID int64, f NotificationFilter, limit int) (int, error)
}

// Marker records where an account stopped reading a timeline ("home" or "notifications").
type Marker struct {
	Timeline   string
	LastReadID int64
	Version    int
	UpdatedAt  time.Time
}

// MarkerStore reads and writes read markers.
type MarkerStore interface {
	Markers(ctx context.Context, accountID int64, timelines []string) ([]*Marker, error)
	// SaveMarker sets the marker and bumps its version.
	SaveMarker(ctx context.Context, accountID int64, m *Marker) error
}
