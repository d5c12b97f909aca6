package starling

import (
	"context"
	"time"
)

// Follow is a standing follow of Target by Account.
type Follow struct {
	ID              int64
	AccountID       int64
	TargetAccountID int64
	ShowReblogs     bool
	Notify          bool
	CreatedAt       time.Time
}

// FollowRequest is a follow waiting for a locked account's approval.
type FollowRequest struct {
	ID              int64
	AccountID       int64
	TargetAccountID int64
	ShowReblogs     bool
	Notify          bool
	CreatedAt       time.Time
}

// Relationship is how one account (the viewer) stands towards another.
type Relationship struct {
	ID             int64 // the other account
	Following      bool
	ShowingReblogs bool
	Notifying      bool
	FollowedBy     bool
	Requested      bool // the viewer asked to follow and waits
	RequestedBy    bool // the other account asked to follow the viewer
	Blocking       bool // the viewer blocks the other account
	BlockedBy      bool // the other account blocks the viewer
	Muting         bool // the viewer mutes the other account
	// MutingNotifications: the mute hides its notifications too.
	MutingNotifications bool
	// DomainBlocking: the viewer blocks the other account's domain (or a parent of it).
	DomainBlocking bool
}

// AccountRef is an account in a paged list, with the ID of the row that put
// it there (a follow, a favourite…), which is what the list pages by.
type AccountRef struct {
	RowID     int64
	AccountID int64
}

// StatusRef is a status in a paged list keyed by another row (a favourite, a bookmark).
type StatusRef struct {
	RowID    int64
	StatusID int64
}

// FollowStore reads and writes follows and follow requests.
type FollowStore interface {
	// CreateFollow inserts f and bumps both accounts' counters; an existing
	// follow is updated in place (reblogs and notify flags) and created is false.
	CreateFollow(ctx context.Context, f *Follow) (created bool, err error)
	// DeleteFollow removes a follow and fixes counters; removed is false if there was none.
	DeleteFollow(ctx context.Context, accountID, targetID int64) (removed bool, err error)
	// Follow returns the follow of target by account, or ENOTFOUND.
	Follow(ctx context.Context, accountID, targetID int64) (*Follow, error)
	// CreateFollowRequest inserts r; created is false when one was already waiting.
	CreateFollowRequest(ctx context.Context, r *FollowRequest) (created bool, err error)
	// DeleteFollowRequest removes the request and returns it, or ENOTFOUND.
	DeleteFollowRequest(ctx context.Context, accountID, targetID int64) (*FollowRequest, error)
	// FollowRequests pages through the requests waiting for target's approval, by request ID.
	FollowRequests(ctx context.Context, targetID int64, p Page) ([]AccountRef, error)
	// Relationships returns the viewer's relationship with each account.
	Relationships(ctx context.Context, viewerID int64, ids []int64) (map[int64]*Relationship, error)
	// Followers pages through the accounts following target, by follow ID.
	Followers(ctx context.Context, targetID int64, p Page) ([]AccountRef, error)
	// Following pages through the accounts that account follows, by follow ID.
	Following(ctx context.Context, accountID int64, p Page) ([]AccountRef, error)
}
