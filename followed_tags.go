package starling

import (
	"context"
	"strings"
	"time"
)

// MaxFollowedTags bounds the hashtags one member follows, and so the cost
// of merging them into each read of their home timeline.
const MaxFollowedTags = 500

// FollowedTag is a hashtag a member follows.
type FollowedTag struct {
	ID        int64 // the follow's: pages through a member's followed tags
	AccountID int64
	Name      string
	CreatedAt time.Time
}

// TagFollowStore keeps followed hashtags.
type TagFollowStore interface {
	// FollowTag stores f; false if the member follows the tag already.
	FollowTag(ctx context.Context, f *FollowedTag) (bool, error)
	// UnfollowTag deletes a follow; false if there was none.
	UnfollowTag(ctx context.Context, accountID int64, tag string) (bool, error)
	// FollowedTags pages through an account's followed tags, newest first (by ID).
	FollowedTags(ctx context.Context, accountID int64, p Page) ([]*FollowedTag, error)
	// CountFollowedTags counts an account's followed tags.
	CountFollowedTags(ctx context.Context, accountID int64) (int, error)
	// FollowsTag reports whether an account follows a tag.
	FollowsTag(ctx context.Context, accountID int64, tag string) (bool, error)
	// HomeFromFollowedTags pages through the public statuses (no reblogs)
	// with a tag the viewer follows, by other accounts.
	HomeFromFollowedTags(ctx context.Context, viewerID int64, p Page) ([]int64, error)
}

// TagInfo is a hashtag as one viewer sees it.
type TagInfo struct {
	Name      string
	Following bool
}

// TagFor returns a hashtag that has been used, and whether viewer (nil when
// signed out) follows it.
func (svc *Service) TagFor(ctx context.Context, viewer *Account, name string) (*TagInfo, error) {
	n, err := svc.Tag(ctx, name)
	if err != nil {
		return nil, err
	}
	out := &TagInfo{Name: n}
	if viewer != nil {
		if out.Following, err = svc.store.FollowsTag(ctx, viewer.ID, n); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// FollowTag makes viewer follow a hashtag: from the next read of their home
// timeline, public posts with it are there. A hashtag nobody has used yet
// may be followed, so a member can follow a conference's tag before it starts.
func (svc *Service) FollowTag(ctx context.Context, viewer *Account, name string) (*TagInfo, error) {
	tag := svc.text.NormalizeTag(strings.TrimLeft(name, "# "))
	if tag == "" {
		return nil, Errorf(EINVALID, "Validation failed: Name is not a valid hashtag")
	}
	now := svc.now()
	err := svc.store.Update(ctx, func(tx Tx) error {
		n, err := tx.CountFollowedTags(ctx, viewer.ID)
		if err != nil {
			return err
		}
		if n >= MaxFollowedTags {
			if following, err := tx.FollowsTag(ctx, viewer.ID, tag); err != nil || following {
				return err
			}
			return Errorf(EINVALID, "Validation failed: You can follow at most %d hashtags", MaxFollowedTags)
		}
		_, err = tx.FollowTag(ctx, &FollowedTag{ID: svc.newID(now), AccountID: viewer.ID, Name: tag, CreatedAt: now})
		return err
	})
	if err != nil {
		return nil, err
	}
	return &TagInfo{Name: tag, Following: true}, nil
}

// UnfollowTag stops viewer following a hashtag; its posts leave their home
// timeline at once (those of accounts they follow stay).
func (svc *Service) UnfollowTag(ctx context.Context, viewer *Account, name string) (*TagInfo, error) {
	tag := svc.text.NormalizeTag(strings.TrimLeft(name, "# "))
	if tag == "" {
		return nil, Errorf(ENOTFOUND, "Record not found")
	}
	err := svc.store.Update(ctx, func(tx Tx) error {
		_, err := tx.UnfollowTag(ctx, viewer.ID, tag)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &TagInfo{Name: tag}, nil
}

// FollowedTags pages through the hashtags viewer follows, newest first.
func (svc *Service) FollowedTags(ctx context.Context, viewer *Account, p Page) ([]*FollowedTag, error) {
	return svc.store.FollowedTags(ctx, viewer.ID, p.Clamp(100, 200))
}
