package starling

import (
	"context"
	"slices"
	"strings"
	"time"
)

// A live wall shows the public posts with one hashtag on a big screen, as
// they arrive: the conference hall's view of the conversation. Staff
// (moderators and admins) look after it: they hide a post from the wall,
// pin a few at the top, and may switch the wall to "approve first", when
// only the posts they approve show. Moderation concerns the wall alone:
// a hidden post stays on its author's profile and on the hashtag page.

// EventWallChanged is published on TopicWall after a wall's moderation
// changes, so open walls fetch their posts again. It carries no status.
const EventWallChanged EventKind = "wall.changed"

// TopicWall is where changes to the moderation of a hashtag's wall are
// published. Walls also subscribe to TopicTag for new posts.
func TopicWall(tag string) string { return "wall:" + tag }

// Wall sizes.
const (
	MaxWallPins      = 3  // pinned posts a wall shows at most: more would push the live ones off the screen
	defaultWallLimit = 30 // posts a wall shows, about what fits a projected screen
	maxWallLimit     = 40
	wallReviewLimit  = 40 // posts the moderation page lists
)

// Wall is the settings of one hashtag's wall. A wall nobody has set up has
// the zero settings: every public post shows.
type Wall struct {
	Tag          string // normalised hashtag name
	ApproveFirst bool   // only posts staff approved show
	UpdatedAt    time.Time
	UpdatedBy    int64 // the staff account that last changed the settings; 0 if never
}

// WallModeration is what staff decided about one post on one wall. The
// zero value (no decision) shows the post unless the wall approves first.
type WallModeration struct {
	StatusID    int64
	Hidden      bool      // never shown on the wall
	Approved    bool      // shown even when the wall approves first
	PinnedAt    time.Time // zero unless pinned; pins show newest first
	ModeratedBy int64     // the staff account of the last decision
	ModeratedAt time.Time
}

// Pinned reports whether the post is pinned to the top of the wall.
func (m WallModeration) Pinned() bool { return !m.PinnedAt.IsZero() }

// WallAction is a decision staff take about a post on a wall.
type WallAction string

const (
	WallHide    WallAction = "hide"    // take the post off the wall (and unpin it)
	WallUnhide  WallAction = "unhide"  // show it again, subject to approve-first
	WallPin     WallAction = "pin"     // show it at the top; pinning approves and unhides
	WallUnpin   WallAction = "unpin"   // back among the live posts
	WallApprove WallAction = "approve" // show it when the wall approves first; unhides
)

// apply returns m changed by action at now by staffID, or EINVALID for an
// unknown action.
func (m WallModeration) apply(action WallAction, staffID int64, now time.Time) (WallModeration, error) {
	switch action {
	case WallHide:
		m.Hidden, m.Approved, m.PinnedAt = true, false, time.Time{}
	case WallUnhide:
		m.Hidden = false
	case WallPin:
		m.Hidden, m.Approved = false, true
		if !m.Pinned() {
			m.PinnedAt = now
		}
	case WallUnpin:
		m.PinnedAt = time.Time{}
	case WallApprove:
		m.Hidden, m.Approved = false, true
	default:
		return m, Errorf(EINVALID, "Validation failed: %q is not a wall action", string(action))
	}
	m.ModeratedBy, m.ModeratedAt = staffID, now
	return m, nil
}

// WallStore keeps walls' settings and moderation. Tags are normalised names.
type WallStore interface {
	// Wall returns a wall's settings; the zero settings (with Tag set) if
	// the wall was never set up.
	Wall(ctx context.Context, tag string) (*Wall, error)
	// SaveWall creates or replaces a wall's settings.
	SaveWall(ctx context.Context, w *Wall) error
	// WallModerations returns the decisions about these statuses on the
	// wall, keyed by status ID; statuses without one are left out.
	WallModerations(ctx context.Context, tag string, statusIDs []int64) (map[int64]WallModeration, error)
	// SaveWallModeration creates or replaces the decision about one status.
	SaveWallModeration(ctx context.Context, tag string, m WallModeration) error
	// WallPins returns the IDs of the wall's pinned statuses that are still
	// public and tagged, newest pin first.
	WallPins(ctx context.Context, tag string) ([]int64, error)
	// WallTimeline pages through the public, original (not reblogged)
	// statuses with the tag that the wall shows below its pins: neither
	// hidden nor pinned and, with approvedOnly, approved.
	WallTimeline(ctx context.Context, tag string, approvedOnly bool, p Page) ([]int64, error)
}

// WallFeed is what a wall shows.
type WallFeed struct {
	Wall   *Wall
	Pinned []*Status // newest pin first
	Posts  []*Status // the other posts, newest first
}

// wallTag returns the stored form of a wall's hashtag, written with or
// without its "#", or ENOTFOUND if name cannot be one.
func (svc *Service) wallTag(name string) (string, error) {
	tag := svc.text.NormalizeTag(strings.TrimPrefix(name, "#"))
	if tag == "" {
		return "", Errorf(ENOTFOUND, "There is no wall for %q: it is not a hashtag", name)
	}
	return tag, nil
}

// Wall returns the settings of the wall of a hashtag. Returns ENOTFOUND if
// tag is not a valid hashtag name.
func (svc *Service) Wall(ctx context.Context, tag string) (*Wall, error) {
	tag, err := svc.wallTag(tag)
	if err != nil {
		return nil, err
	}
	return svc.store.Wall(ctx, tag)
}

// WallPosts returns what the wall of a hashtag shows: its pins, and up to
// limit of the newest other posts above sinceID (0 for the newest), with
// moderation applied. With sinceID set, Pinned is left empty: a wall that
// catches up already has its pins, and fetches everything again when the
// moderation changes (EventWallChanged). Anyone may read a wall.
func (svc *Service) WallPosts(ctx context.Context, tag string, sinceID int64, limit int) (*WallFeed, error) {
	w, err := svc.Wall(ctx, tag)
	if err != nil {
		return nil, err
	}
	out := &WallFeed{Wall: w}
	if sinceID == 0 {
		pins, err := svc.store.WallPins(ctx, w.Tag)
		if err != nil {
			return nil, err
		}
		if out.Pinned, err = svc.loadStatuses(ctx, svc.store, nil, pins); err != nil {
			return nil, err
		}
	}
	p := Page{SinceID: sinceID, Limit: limit}.Clamp(defaultWallLimit, maxWallLimit)
	ids, err := svc.store.WallTimeline(ctx, w.Tag, w.ApproveFirst, p)
	if err != nil {
		return nil, err
	}
	out.Posts, err = svc.loadStatuses(ctx, svc.store, nil, ids)
	return out, err
}

// WallEntry is a post as the moderation page lists it: with what staff
// decided about it, and whether the wall shows it.
type WallEntry struct {
	Status     *Status
	Moderation WallModeration
	Shown      bool
}

// WallReview is the moderation page's view of a wall.
type WallReview struct {
	Wall   *Wall
	Pinned []WallEntry // newest pin first
	Recent []WallEntry // the newest other posts with the tag, hidden ones too
}

// ReviewWall returns a wall as its moderators see it: the pins, and the
// newest other public posts with the tag whatever was decided about them.
// Staff only: EFORBIDDEN otherwise.
func (svc *Service) ReviewWall(ctx context.Context, staff *User, tag string) (*WallReview, error) {
	if staff == nil || !staff.IsStaff() {
		return nil, Errorf(EFORBIDDEN, "Only moderators and admins can moderate a wall")
	}
	w, err := svc.Wall(ctx, tag)
	if err != nil {
		return nil, err
	}
	pins, err := svc.store.WallPins(ctx, w.Tag)
	if err != nil {
		return nil, err
	}
	recent, err := svc.store.TagTimeline(ctx, TagQuery{Any: []string{w.Tag}}, PublicFilter{}, Page{Limit: wallReviewLimit})
	if err != nil {
		return nil, err
	}
	decided, err := svc.store.WallModerations(ctx, w.Tag, append(append([]int64{}, pins...), recent...))
	if err != nil {
		return nil, err
	}
	recent = slices.DeleteFunc(recent, func(id int64) bool { return decided[id].Pinned() })
	entries := func(ids []int64) ([]WallEntry, error) {
		list, err := svc.loadStatuses(ctx, svc.store, nil, ids)
		out := make([]WallEntry, len(list))
		for i, s := range list {
			m := decided[s.ID]
			m.StatusID = s.ID
			out[i] = WallEntry{Status: s, Moderation: m, Shown: !m.Hidden && (m.Approved || !w.ApproveFirst)}
		}
		return out, err
	}
	out := &WallReview{Wall: w}
	if out.Pinned, err = entries(pins); err != nil {
		return nil, err
	}
	out.Recent, err = entries(recent)
	return out, err
}

// ModerateWall takes a decision about one post on the wall of a hashtag:
// see WallAction. Staff only (EFORBIDDEN otherwise). Returns ENOTFOUND if
// the post is not on the wall (not public, a reblog, or without the tag),
// EINVALID for an unknown action or a pin beyond MaxWallPins. Open walls
// are told once the change is stored.
func (svc *Service) ModerateWall(ctx context.Context, staff *User, tag string, statusID int64, action WallAction) error {
	if staff == nil || !staff.IsStaff() {
		return Errorf(EFORBIDDEN, "Only moderators and admins can moderate a wall")
	}
	tag, err := svc.wallTag(tag)
	if err != nil {
		return err
	}
	now := svc.now()
	changed := false
	err = svc.store.Update(ctx, func(tx Tx) error {
		changed = false // a retried transaction starts again
		s, err := tx.Status(ctx, statusID)
		if ErrorCode(err) == ENOTFOUND || err == nil && !onWall(s, tag) {
			return Errorf(ENOTFOUND, "This post is not on the #%s wall", tag)
		} else if err != nil {
			return err
		}
		decided, err := tx.WallModerations(ctx, tag, []int64{statusID})
		if err != nil {
			return err
		}
		before := decided[statusID]
		before.StatusID = statusID
		after, err := before.apply(action, staff.AccountID, now)
		if err != nil {
			return err
		}
		if after.Pinned() && !before.Pinned() {
			pins, err := tx.WallPins(ctx, tag)
			if err != nil {
				return err
			}
			if len(pins) >= MaxWallPins {
				return Errorf(EINVALID, "Validation failed: A wall shows at most %d pinned posts. Unpin one first", MaxWallPins)
			}
		}
		if after.Hidden == before.Hidden && after.Approved == before.Approved && after.PinnedAt.Equal(before.PinnedAt) {
			return nil // nothing to tell open walls
		}
		changed = true
		return tx.SaveWallModeration(ctx, tag, after)
	})
	if err == nil && changed {
		svc.publishWallChanged(tag)
	}
	return err
}

// onWall reports whether a wall of tag may show s: walls show what the
// hashtag page shows, public posts that are not reblogs.
func onWall(s *Status, tag string) bool {
	if s.Visibility != VisibilityPublic || s.ReblogOfID != 0 {
		return false
	}
	for _, t := range s.Tags {
		if t == tag {
			return true
		}
	}
	return false
}

// SetWallApproveFirst switches approve-first on or off for the wall of a
// hashtag. Staff only: EFORBIDDEN otherwise.
func (svc *Service) SetWallApproveFirst(ctx context.Context, staff *User, tag string, on bool) error {
	if staff == nil || !staff.IsStaff() {
		return Errorf(EFORBIDDEN, "Only moderators and admins can moderate a wall")
	}
	tag, err := svc.wallTag(tag)
	if err != nil {
		return err
	}
	changed := false
	err = svc.store.Update(ctx, func(tx Tx) error {
		w, err := tx.Wall(ctx, tag)
		if err != nil {
			return err
		}
		if changed = w.ApproveFirst != on; !changed {
			return nil
		}
		w.ApproveFirst, w.UpdatedAt, w.UpdatedBy = on, svc.now(), staff.AccountID
		return tx.SaveWall(ctx, w)
	})
	if err == nil && changed {
		svc.publishWallChanged(tag)
	}
	return err
}

// publishWallChanged tells the open walls of tag to fetch their posts again.
func (svc *Service) publishWallChanged(tag string) {
	if ev := svc.Events(); ev != nil {
		ev.Publish(&Event{Kind: EventWallChanged, Topics: []string{TopicWall(tag)}, At: time.Now()})
	}
}
