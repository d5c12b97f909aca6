package starling

import (
	"context"
	"slices"
	"time"
)

// Timeline page sizes, as Mastodon's.
const (
	defaultTimelineLimit = 20
	maxTimelineLimit     = 40
)

// Home timelines are written (fanned out) only for members who read theirs
// within feedInactiveAfter, as Mastodon does: most of a large community is
// not reading at any one time, and every follower row costs a random write.
// A member coming back after longer gets their timeline rebuilt from the
// recent posts of the accounts they follow.
const (
	feedInactiveAfter  = 14 * 24 * time.Hour
	feedActiveEvery    = time.Hour // how often reading marks a member active
	feedRebuildPerUser = 40        // recent statuses taken from each followed account
)

// HomeTimeline returns a page of viewer's home timeline: their own statuses
// and those of the accounts they follow, newest first.
func (svc *Service) HomeTimeline(ctx context.Context, viewer *Account, p Page) ([]*Status, error) {
	if err := svc.keepFeedActive(ctx, viewer); err != nil {
		return nil, err
	}
	p = p.Clamp(defaultTimelineLimit, maxTimelineLimit)
	ids, err := svc.store.HomeTimeline(ctx, viewer.ID, p)
	if err != nil {
		return nil, err
	}
	if ids, err = svc.mergeLargeAuthors(ctx, viewer.ID, ids, p); err != nil {
		return nil, err
	}
	// Posts with a followed hashtag are merged in as they are read, not
	// fanned out: following or unfollowing a tag then changes the timeline
	// at once, in the database feeds and in Redis alike.
	tagged, err := svc.store.HomeFromFollowedTags(ctx, viewer.ID, p)
	if err != nil {
		return nil, err
	}
	feed := ids
	ids = mergePages(ids, tagged, p)
	list, err := svc.loadStatusesIn(ctx, svc.store, viewer, ids, readTimeline, FilterHome)
	if err != nil || len(tagged) == 0 {
		return list, err
	}
	return dropShownAsReblogs(list, feed), nil
}

// keepFeedActive marks viewer as reading their home timeline, at most once
// an hour per process, and rebuilds the timeline first if fan-out skipped
// them for having been away.
func (svc *Service) keepFeedActive(ctx context.Context, viewer *Account) error {
	now := svc.now()
	if last, ok := svc.feedSeen.Load(viewer.ID); ok && now.Sub(last.(time.Time)) < feedActiveEvery {
		return nil
	}
	u, err := svc.store.User(ctx, viewer.ID)
	if ErrorCode(err) == ENOTFOUND {
		return nil // not a local member: no home timeline of ours
	} else if err != nil {
		return err
	}
	if now.Sub(u.FeedActiveAt) >= feedActiveEvery {
		err := svc.store.Update(ctx, func(tx Tx) error {
			if now.Sub(u.FeedActiveAt) >= feedInactiveAfter {
				if err := tx.RebuildHome(ctx, viewer.ID, feedRebuildPerUser); err != nil {
					return err
				}
			}
			return tx.MarkFeedActive(ctx, viewer.ID, now)
		})
		if err != nil {
			return err
		}
	}
	svc.feedSeen.Store(viewer.ID, now)
	return nil
}

// PublicTimeline returns a page of public statuses (viewer may be nil).
func (svc *Service) PublicTimeline(ctx context.Context, viewer *Account, f PublicFilter, p Page) ([]*Status, error) {
	q := svc.reader(viewer)
	ids, err := q.PublicTimeline(ctx, f, p.Clamp(defaultTimelineLimit, maxTimelineLimit))
	if err != nil {
		return nil, err
	}
	return svc.loadStatusesIn(ctx, q, viewer, ids, readTimeline, FilterPublic)
}

// TagTimeline returns a page of public statuses with a hashtag (viewer may be nil).
func (svc *Service) TagTimeline(ctx context.Context, viewer *Account, q TagQuery, f PublicFilter, p Page) ([]*Status, error) {
	norm := func(in []string) []string {
		var out []string
		for _, t := range in {
			if n := svc.text.NormalizeTag(t); n != "" {
				out = append(out, n)
			}
		}
		return out
	}
	q = TagQuery{Any: norm(q.Any), All: norm(q.All), None: norm(q.None)}
	if len(q.Any) == 0 {
		return nil, nil
	}
	r := svc.reader(viewer)
	ids, err := r.TagTimeline(ctx, q, f, p.Clamp(defaultTimelineLimit, maxTimelineLimit))
	if err != nil {
		return nil, err
	}
	return svc.loadStatusesIn(ctx, r, viewer, ids, readTimeline, FilterPublic)
}

// ListTimeline returns a page of one of viewer's lists.
func (svc *Service) ListTimeline(ctx context.Context, viewer *Account, listID int64, p Page) ([]*Status, error) {
	if _, err := svc.ownList(ctx, svc.store, viewer, listID); err != nil {
		return nil, err
	}
	ids, err := svc.store.ListTimeline(ctx, listID, p.Clamp(defaultTimelineLimit, maxTimelineLimit))
	if err != nil {
		return nil, err
	}
	return svc.loadStatusesIn(ctx, svc.store, viewer, ids, readTimeline, FilterHome)
}

// AccountStatuses returns a page of an account's statuses as viewer (nil when
// signed out) may see them: private ones only to followers, direct ones only
// to those mentioned.
func (svc *Service) AccountStatuses(ctx context.Context, viewer *Account, accountID int64, f AccountStatusesFilter, p Page) ([]*Status, error) {
	if a, err := svc.store.Account(ctx, accountID); err != nil {
		return nil, err
	} else if a.Suspended() {
		return nil, nil // its page shows it is suspended, with no posts
	}
	// CanRead's rule, applied in the query so a page is not cut short by
	// statuses dropped after reading; loadStatuses checks again.
	f.Visibilities = []Visibility{VisibilityPublic, VisibilityUnlisted}
	f.ViewerID = 0
	if viewer != nil {
		if viewer.ID == accountID {
			f.Visibilities = append(f.Visibilities, VisibilityPrivate, VisibilityDirect)
		} else {
			f.ViewerID = viewer.ID
		}
	}
	if f.OnlyMedia { // media attachments arrive with a later issue; no status has any yet
		return nil, nil
	}
	q := svc.reader(viewer)
	ids, err := q.AccountStatuses(ctx, accountID, f, p.Clamp(defaultTimelineLimit, maxTimelineLimit))
	if err != nil {
		return nil, err
	}
	return svc.loadStatusesIn(ctx, q, viewer, ids, readProfile, FilterAccount)
}

// SetReplica sends the reads visitors make (public, hashtag and profile
// timelines, signed out) to a read replica. Members read the primary, so
// they always see their own writes; visitors may see a page a moment old.
func (svc *Service) SetReplica(r Tx) { svc.replica = r }

// reader is where a read for viewer goes.
func (svc *Service) reader(viewer *Account) Tx {
	if viewer == nil && svc.replica != nil {
		return svc.replica
	}
	return svc.store
}

// dropShownAsReblogs leaves out of a home page the posts merged in for a
// followed hashtag that the page shows already as someone's reblog, as the
// feed itself shows each post once.
func dropShownAsReblogs(list []*Status, feed []int64) []*Status {
	reblogged := map[int64]bool{}
	for _, s := range list {
		if s.Reblog != nil {
			reblogged[s.Reblog.ID] = true
		}
	}
	if len(reblogged) == 0 {
		return list
	}
	out := list[:0]
	for _, s := range list {
		if !reblogged[s.ID] || slices.Contains(feed, s.ID) {
			out = append(out, s)
		}
	}
	return out
}
