package starling

import (
	"context"
	"strings"
)

// List is a named set of accounts a member follows, read as its own timeline
// ("people in social care worth following").
type List struct {
	ID            int64
	AccountID     int64
	Title         string
	RepliesPolicy string // followed, list or none: which replies the list shows
	Exclusive     bool   // members' posts are kept out of the home timeline
	Featured      bool   // staff suggest it to new members (staff's lists only)
	Public        bool   // anyone with its address sees its members and can follow them all
}

// Shared reports whether people other than the owner may see who is on the
// list and follow them all: the owner made it public, or staff suggest it.
func (l *List) Shared() bool { return l.Public || l.Featured }

// MaxListTitleChars bounds list titles.
const MaxListTitleChars = 100

// Validate checks and normalises the list's fields.
func (l *List) Validate() error {
	l.Title = strings.TrimSpace(l.Title)
	if l.Title == "" {
		return Errorf(EINVALID, "Validation failed: Title can't be blank")
	}
	if err := checkText("Title", l.Title, MaxListTitleChars); err != nil {
		return err
	}
	switch l.RepliesPolicy {
	case "":
		l.RepliesPolicy = "list"
	case "followed", "list", "none":
	default:
		return Errorf(EINVALID, "Validation failed: Replies policy must be followed, list or none")
	}
	return nil
}

// ListStore reads and writes lists and their members.
type ListStore interface {
	CreateList(ctx context.Context, l *List) error
	UpdateList(ctx context.Context, l *List) error
	DeleteList(ctx context.Context, listID int64) error
	// List returns one list, or ENOTFOUND.
	List(ctx context.Context, id int64) (*List, error)
	// Lists returns an account's lists by title.
	Lists(ctx context.Context, accountID int64) ([]*List, error)
	// FeaturedLists returns the lists staff suggest to new members, by title.
	FeaturedLists(ctx context.Context) ([]*List, error)
	// ListsWithMember returns the owner's lists that include member.
	ListsWithMember(ctx context.Context, ownerID, memberID int64) ([]*List, error)
	// AddListMember adds an account to a list; true if it was not there yet.
	AddListMember(ctx context.Context, listID, memberID int64) (bool, error)
	RemoveListMember(ctx context.Context, listID, memberID int64) error
	// ListMembers pages through a list's members, by account ID.
	ListMembers(ctx context.Context, listID int64, p Page) ([]int64, error)
}
