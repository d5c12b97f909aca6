package starling

import (
	"context"
	"strings"
	"time"
)

// MaxFeaturedTags is how many hashtags a profile may feature, as Mastodon's.
const MaxFeaturedTags = 10

// FeaturedTag is a hashtag on a profile, with the account's use of it.
type FeaturedTag struct {
	ID            int64
	AccountID     int64
	Name          string
	StatusesCount int
	LastStatusAt  time.Time
	CreatedAt     time.Time
}

// FeaturedTagStore keeps featured hashtags.
type FeaturedTagStore interface {
	// FeaturedTags lists an account's featured tags with its public posts' counts, oldest first.
	FeaturedTags(ctx context.Context, accountID int64) ([]*FeaturedTag, error)
	// AddFeaturedTag stores f; false if the account features the tag already.
	AddFeaturedTag(ctx context.Context, f *FeaturedTag) (bool, error)
	// RemoveFeaturedTag deletes one of the account's featured tags; ENOTFOUND if it has none of that ID.
	RemoveFeaturedTag(ctx context.Context, accountID, id int64) error
}

// FeaturedTags lists the hashtags an account features on its profile.
func (svc *Service) FeaturedTags(ctx context.Context, accountID int64) ([]*FeaturedTag, error) {
	if _, err := svc.store.Account(ctx, accountID); err != nil {
		return nil, err
	}
	return svc.store.FeaturedTags(ctx, accountID)
}

// FeatureTag adds a hashtag to viewer's profile (at most MaxFeaturedTags).
func (svc *Service) FeatureTag(ctx context.Context, viewer *Account, name string) (*FeaturedTag, error) {
	tag := svc.text.NormalizeTag(strings.TrimLeft(name, "# "))
	if tag == "" {
		return nil, Errorf(EINVALID, "Validation failed: Name is not a valid hashtag")
	}
	now := svc.now()
	f := &FeaturedTag{ID: svc.newID(now), AccountID: viewer.ID, Name: tag, CreatedAt: now}
	err := svc.store.Update(ctx, func(tx Tx) error {
		have, err := tx.FeaturedTags(ctx, viewer.ID)
		if err != nil {
			return err
		}
		if len(have) >= MaxFeaturedTags {
			return Errorf(EINVALID, "Validation failed: You can feature at most %d hashtags", MaxFeaturedTags)
		}
		added, err := tx.AddFeaturedTag(ctx, f)
		if err == nil && !added {
			return Errorf(EINVALID, "Validation failed: You feature #%s already", tag)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	list, err := svc.store.FeaturedTags(ctx, viewer.ID)
	if err != nil {
		return nil, err
	}
	for _, x := range list {
		if x.ID == f.ID {
			return x, nil
		}
	}
	return f, nil
}

// UnfeatureTag removes one of viewer's featured hashtags.
func (svc *Service) UnfeatureTag(ctx context.Context, viewer *Account, id int64) error {
	return svc.store.Update(ctx, func(tx Tx) error { return tx.RemoveFeaturedTag(ctx, viewer.ID, id) })
}
