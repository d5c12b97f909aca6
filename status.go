package starling

import (
	"context"
	"time"
)

// Visibility says who may read a status.
type Visibility string

const (
	VisibilityPublic   Visibility = "public"   // anyone, and listed in public and hashtag timelines
	VisibilityUnlisted Visibility = "unlisted" // anyone, but kept out of public and hashtag timelines
	VisibilityPrivate  Visibility = "private"  // followers and mentioned accounts only
	VisibilityDirect   Visibility = "direct"   // mentioned accounts only
)

// ParseVisibility returns the visibility named s; "" means def.
func ParseVisibility(s string, def Visibility) (Visibility, error) {
	switch v := Visibility(s); v {
	case "":
		return def, nil
	case VisibilityPublic, VisibilityUnlisted, VisibilityPrivate, VisibilityDirect:
		return v, nil
	}
	return "", Errorf(EINVALID, "Validation failed: Visibility %q is not one of public, unlisted, private, direct", s)
}

// Status is a post, or a reblog of one (ReblogOfID set, no text of its own).
type Status struct {
	ID                 int64
	AccountID          int64
	Text               string // the source as typed
	Content            string // sanitised HTML rendered from Text
	SpoilerText        string
	Sensitive          bool
	Visibility         Visibility
	Language           string
	InReplyToID        int64
	InReplyToAccountID int64
	ReblogOfID         int64
	ConversationID     int64 // the ID of the first status of the thread
	ApplicationID      int64
	CreatedAt          time.Time
	EditedAt           time.Time // zero unless edited

	RepliesCount    int
	ReblogsCount    int
	FavouritesCount int
	QuotesCount     int         // accepted quotes of it
	MediaCount      int         // attachments, so reads look for them only where there are some
	PollID          int64       // 0 unless the status asks a question
	CardID          int64       // the preview of its first link, once fetched
	QuoteOfID       int64       // the post it quotes, if any
	QuoteState      string      // QuoteAccepted or QuoteRevoked when it quotes
	QuotePolicy     QuotePolicy // who may quote it
	// HeldForReview: an open safeguarding report hides it from all but its
	// author and those who handle reports.
	HeldForReview bool
	// AuthorDeleted: its author deleted their account, so no one may read it
	// while a job removes it; see account_deletion.go.
	AuthorDeleted bool

	// Filled in by the store when a status is read.
	Tags       []string // normalised names
	MentionIDs []int64  // mentioned accounts, in order of appearance
	MediaIDs   []int64  // on creation: the uploads to attach, in order

	// Filled in by hydration (Service.hydrate) for output.
	Account     *Account
	Reblog      *Status
	Mentions    []*Account
	Application *Application
	Media       []*MediaAttachment
	Poll        *Poll
	Card        *Card
	Quote       *Status // the quoted post, as the viewer may see it; nil if revoked or unreadable
	Viewer      StatusViewer
	Filtered    []FilterResult // the viewer's filters that match it where it is shown (see applyFilters)
}

// StatusViewer is how the account reading a status relates to it.
type StatusViewer struct {
	Favourited bool
	Reblogged  bool
	Bookmarked bool
	Pinned     bool
}

// StatusEdit is one version of a status, kept when it is edited. The first
// version is stored too, so the history reads from the original onwards.
type StatusEdit struct {
	ID          int64
	StatusID    int64
	AccountID   int64
	Text        string
	Content     string
	SpoilerText string
	Sensitive   bool
	CreatedAt   time.Time
}

// MentionsAccount reports whether the status mentions the account.
func (s *Status) MentionsAccount(accountID int64) bool {
	for _, id := range s.MentionIDs {
		if id == accountID {
			return true
		}
	}
	return false
}

// Page selects a slice of a time-ordered collection by ID, as the Mastodon
// API's max_id, since_id, min_id and limit parameters do. With MinID set the
// page holds the entries just after MinID; otherwise the newest entries
// below MaxID (if set) and above SinceID (if set). Results are newest first.
type Page struct {
	MaxID   int64
	SinceID int64
	MinID   int64
	Limit   int
}

// Clamp returns p with Limit within [1, max], def when unset.
func (p Page) Clamp(def, max int) Page {
	if p.Limit <= 0 {
		p.Limit = def
	}
	if p.Limit > max {
		p.Limit = max
	}
	return p
}

// AccountStatusesFilter narrows an account's statuses.
type AccountStatusesFilter struct {
	ExcludeReplies bool
	ExcludeReblogs bool
	OnlyMedia      bool
	Pinned         bool
	Tagged         string       // normalised tag name
	Visibilities   []Visibility // which visibilities anyone asking may see
	ViewerID       int64        // also: followers-only ones if this account follows the author, and any that mention it
}

// StatusStore reads and writes statuses and what hangs off them.
type StatusStore interface {
	// CreateStatus inserts s with its tags (normalised names) and mention IDs,
	// and bumps the counters of its author and of the status it replies to or reblogs.
	CreateStatus(ctx context.Context, s *Status) error
	// UpdateStatus writes an edit of s: text, content, spoiler, sensitivity,
	// language, edit time, tags and mentions.
	UpdateStatus(ctx context.Context, s *Status) error
	// CreateStatusEdit appends a version to a status's history.
	CreateStatusEdit(ctx context.Context, e *StatusEdit) error
	// DeleteStatus removes s, its reblogs and everything that refers to them, fixing counters.
	DeleteStatus(ctx context.Context, s *Status) error
	// Status returns one status with Tags and MentionIDs, or ENOTFOUND.
	Status(ctx context.Context, id int64) (*Status, error)
	// Statuses returns statuses by ID with Tags and MentionIDs, keyed by ID,
	// together with the originals of any reblogs among them; missing ones are left out.
	Statuses(ctx context.Context, ids []int64) (map[int64]*Status, error)
	// StatusHistory lists the versions of a status, oldest first.
	StatusHistory(ctx context.Context, statusID int64) ([]*StatusEdit, error)
	// AccountStatuses pages through an account's statuses, newest first.
	AccountStatuses(ctx context.Context, accountID int64, f AccountStatusesFilter, p Page) ([]int64, error)
	// ConversationStatuses returns the IDs of the statuses in a thread, oldest first.
	ConversationStatuses(ctx context.Context, conversationID int64, limit int) ([]int64, error)
	// ReblogOf returns the viewer's reblog of a status, or ENOTFOUND.
	ReblogOf(ctx context.Context, accountID, statusID int64) (*Status, error)
	// ViewerStates returns how the account relates to each status.
	ViewerStates(ctx context.Context, accountID int64, statusIDs []int64) (map[int64]StatusViewer, error)
	// StatusByIdempotencyKey returns the ID of the status an earlier request with the same key created, or ENOTFOUND.
	StatusByIdempotencyKey(ctx context.Context, accountID int64, key string, since time.Time) (int64, error)
	// SaveIdempotencyKey remembers which status a request key created.
	SaveIdempotencyKey(ctx context.Context, accountID int64, key string, statusID int64, at time.Time) error
}
