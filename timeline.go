package starling

import (
	"context"
	"time"
)

// FeedStore keeps the materialised timelines: each account's home feed and
// each list's feed, written when a status is posted (fan-out on write) and
// read as a range scan. Public and hashtag timelines are read from the
// statuses themselves.
type FeedStore interface {
	// FanOut inserts s into the home feed of its author and, unless
	// scope.AuthorOnly, of every local follower who should see it and read
	// their home timeline since scope.ActiveSince, and into the feeds of lists
	// that include the author. A status already in a feed (say, reblogged
	// twice) is not added again.
	FanOut(ctx context.Context, s *Status, scope FanOutScope) error
	// RebuildHome replaces an account's home feed with up to perAuthor recent
	// statuses of each account it follows and of its own.
	RebuildHome(ctx context.Context, accountID int64, perAuthor int) error
	// AddToHome inserts up to limit recent statuses by author that account may
	// see into account's home feed (after a new follow).
	AddToHome(ctx context.Context, accountID, authorID int64, limit int) error
	// RemoveFromHome removes statuses and reblogs by author from account's home feed (after an unfollow).
	RemoveFromHome(ctx context.Context, accountID, authorID int64) error
	// AddToList inserts up to limit recent statuses by member into a list's feed.
	AddToList(ctx context.Context, listID, memberID int64, limit int) error
	// RemoveFromList removes member's statuses from a list's feed.
	RemoveFromList(ctx context.Context, listID, memberID int64) error

	// HomeTimeline pages through an account's home feed; it returns status IDs.
	HomeTimeline(ctx context.Context, accountID int64, p Page) ([]int64, error)
	// FanOutTargets returns whose home feeds and which lists' feeds FanOut
	// would write s to: for feeds kept outside the database.
	FanOutTargets(ctx context.Context, s *Status, scope FanOutScope) (homes, lists []int64, err error)
	// ListFromMembers pages through the statuses by those of members still
	// in the list that the list's feed would hold had they been fanned out.
	ListFromMembers(ctx context.Context, listID int64, members []int64, p Page) ([]int64, error)
	// LargeAccounts lists the accounts with more than minFollowers followers.
	LargeAccounts(ctx context.Context, minFollowers int) ([]int64, error)
	// HomeFromAuthors pages through the statuses by those of authors that
	// viewer follows, as viewer's home feed would hold them had they been
	// fanned out: for the posts of large accounts, merged at read time.
	HomeFromAuthors(ctx context.Context, viewerID int64, authors []int64, p Page) ([]int64, error)
	// ListTimeline pages through a list's feed.
	ListTimeline(ctx context.Context, listID int64, p Page) ([]int64, error)
	// PublicTimeline pages through public statuses (no reblogs); local limits to this server's accounts.
	PublicTimeline(ctx context.Context, f PublicFilter, p Page) ([]int64, error)
	// TagTimeline pages through public statuses matching the tag query.
	TagTimeline(ctx context.Context, q TagQuery, f PublicFilter, p Page) ([]int64, error)
}

// FanOutScope says whose home feeds a fan-out writes.
type FanOutScope struct {
	ActiveSince time.Time // followers who read their home timeline since then
	// AuthorOnly leaves the followers out: the author has more than the
	// fan-out limit, and followers merge the author's posts when they read.
	AuthorOnly bool
}

// TagQuery selects statuses by hashtag (normalised names): those with any
// of Any, and all of All, and none of None.
type TagQuery struct {
	Any  []string
	All  []string
	None []string
}

// PublicFilter narrows the public and hashtag timelines.
type PublicFilter struct {
	LocalOnly  bool
	RemoteOnly bool
	OnlyMedia  bool
}
