package starling

import (
	"context"
	"time"
)

// InteractionStore records favourites, bookmarks and pins: one row per
// (account, status), so repeating an action changes nothing.
type InteractionStore interface {
	// Favourite adds a favourite and bumps the status's counter; false if it existed.
	Favourite(ctx context.Context, id, accountID, statusID int64, at time.Time) (bool, error)
	// Unfavourite removes a favourite and lowers the counter; false if there was none.
	Unfavourite(ctx context.Context, accountID, statusID int64) (bool, error)
	// Favourites pages through the statuses an account favourited, by favourite ID.
	Favourites(ctx context.Context, accountID int64, p Page) ([]StatusRef, error)
	// FavouritedBy pages through the accounts that favourited a status, by favourite ID.
	FavouritedBy(ctx context.Context, statusID int64, p Page) ([]AccountRef, error)
	// RebloggedBy pages through the accounts that reblogged a status, by reblog ID.
	RebloggedBy(ctx context.Context, statusID int64, p Page) ([]AccountRef, error)

	Bookmark(ctx context.Context, id, accountID, statusID int64, at time.Time) (bool, error)
	Unbookmark(ctx context.Context, accountID, statusID int64) (bool, error)
	Bookmarks(ctx context.Context, accountID int64, p Page) ([]StatusRef, error)

	Pin(ctx context.Context, accountID, statusID int64, at time.Time) (bool, error)
	Unpin(ctx context.Context, accountID, statusID int64) (bool, error)
	// CountPins returns how many statuses an account has pinned.
	CountPins(ctx context.Context, accountID int64) (int, error)
}

// TagStore looks up hashtags.
type TagStore interface {
	// SearchTags returns up to limit tag names starting with prefix (normalised), most used first.
	SearchTags(ctx context.Context, prefix string, limit int) ([]string, error)
	// TagExists reports whether any status ever used the tag.
	TagExists(ctx context.Context, name string) (bool, error)
}

// Tx is everything a use case may read or write inside one transaction.
type Tx interface {
	AccountStore
	StatusStore
	FollowStore
	FeedStore
	NotificationStore
	MarkerStore
	ListStore
	OAuthStore
	ConversationStore
	InteractionStore
	TagStore
	WallStore
	JobStore
	MediaStore
	PollStore
	CardStore
	TrendStore
	QuoteStore
	FeaturedTagStore
	TagFollowStore
	BlockStore
	SearchStore
	FilterStore
	TwoFactorStore
	ReportStore
	AccountDeletionStore
	ArchiveStore
	SignInFailureStore
	DomainBlockStore
	ModerationStore
	RuleStore
}

// Store is the database. Its Tx methods read outside any transaction (never
// write through them: on SQLite they run on read-only connections); Update
// runs fn in one read-write transaction and commits only if fn returns nil.
type Store interface {
	Tx
	Update(ctx context.Context, fn func(tx Tx) error) error
	// Ping reports whether the database answers.
	Ping(ctx context.Context) error
}
