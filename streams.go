package starling

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"time"
)

// StreamFilter decides which events a stream shows its reader. Streams
// get every event of their topics; the filter applies the same visibility
// rule as timelines (CanRead), and for home and list streams, whom the
// reader follows, which it keeps up to date from follow events.
type StreamFilter struct {
	viewer *Account // nil for a signed-out reader of public streams
	home   bool     // the home timeline: own posts and those of followed accounts

	mu      sync.Mutex
	follows map[int64]bool  // whom viewer follows
	tags    map[string]bool // for the home stream: the hashtags viewer follows
	shunned map[int64]bool  // accounts viewer blocks or mutes, or that block viewer: their posts are not shown
	quiet   map[int64]bool  // of those, the ones whose notifications are not shown either
	fc      FilterContext   // the filter context of the stream
	filters *filterMatcher  // viewer's filters of that context: hide ones leave statuses out, warn ones mark them
	members map[int64]bool  // for a list stream: its members
	domains []string        // the domains viewer blocks: their accounts' posts are not shown
}

// HomeStreamFilter returns the filter of viewer's home timeline stream.
func (svc *Service) HomeStreamFilter(ctx context.Context, viewer *Account) (*StreamFilter, error) {
	follows, err := svc.followedIDs(ctx, viewer.ID)
	if err != nil {
		return nil, err
	}
	tags := map[string]bool{}
	followed, err := svc.store.FollowedTags(ctx, viewer.ID, Page{Limit: MaxFollowedTags})
	if err != nil {
		return nil, err
	}
	for _, t := range followed {
		tags[t.Name] = true
	}
	f := &StreamFilter{viewer: viewer, home: true, follows: follows, tags: tags}
	return f, svc.loadShunned(ctx, f, FilterHome)
}

// ListStreamFilter returns the filter of the stream of one of viewer's lists.
func (svc *Service) ListStreamFilter(ctx context.Context, viewer *Account, listID int64) (*StreamFilter, error) {
	if _, err := svc.ownList(ctx, svc.store, viewer, listID); err != nil {
		return nil, err
	}
	members := map[int64]bool{}
	p := Page{Limit: 1000}
	for {
		ids, err := svc.store.ListMembers(ctx, listID, p)
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			members[id] = true
		}
		if len(ids) < p.Limit {
			break
		}
		p.MaxID = ids[len(ids)-1]
	}
	follows, err := svc.followedIDs(ctx, viewer.ID)
	if err != nil {
		return nil, err
	}
	f := &StreamFilter{viewer: viewer, follows: follows, members: members}
	return f, svc.loadShunned(ctx, f, FilterHome)
}

// ViewerStreamFilter returns the filter of the public and hashtag streams
// (fc FilterPublic) and the notification stream (FilterNotifications) of
// viewer (nil: signed out): public statuses, without those of accounts
// viewer blocks or mutes or that block viewer, or that viewer's filters
// hide.
func (svc *Service) ViewerStreamFilter(ctx context.Context, viewer *Account, fc FilterContext) (*StreamFilter, error) {
	f := PublicStreamFilter(viewer)
	if viewer == nil {
		return f, nil
	}
	return f, svc.loadShunned(ctx, f, fc)
}

// loadShunned reads whom and what the filter's viewer does not want to see:
// the accounts they block and mute or that block them, the domains they
// block, and their filters of context fc. Filters changed while the stream
// is open reach it as filters_changed events.
func (svc *Service) loadShunned(ctx context.Context, f *StreamFilter, fc FilterContext) (err error) {
	if f.shunned, f.quiet, err = svc.store.Shunned(ctx, f.viewer.ID); err != nil {
		return err
	}
	blocks, err := svc.store.DomainBlocks(ctx, f.viewer.ID, Page{Limit: MaxDomainBlocks})
	if err != nil {
		return err
	}
	for _, b := range blocks {
		f.domains = append(f.domains, b.Domain)
	}
	filters, err := svc.store.ActiveFilters(ctx, f.viewer.ID, svc.now())
	if err != nil {
		return err
	}
	f.fc, f.filters = fc, newFilterMatcher(filters, fc)
	return nil
}

// matches returns the results of the viewer's filters, still running, that
// match s (or its original, for a reblog).
func (f *StreamFilter) matches(s *Status) []FilterResult {
	if f.filters == nil || s == nil {
		return nil
	}
	now := time.Now()
	return slices.DeleteFunc(f.filters.match(cmp.Or(s.Reblog, s), s.ID), func(r FilterResult) bool { return !r.Filter.Active(now) })
}

// hides reports whether one of the viewer's hide filters, still running,
// matches s.
func (f *StreamFilter) hides(s *Status) bool {
	return slices.ContainsFunc(f.matches(s), func(r FilterResult) bool { return r.Filter.Action == FilterHide })
}

// Filtered returns the viewer's filters that match s, a status the stream
// shows: warn filters, whose matches are sent marked as on REST reads
// (the "filtered" field), never to other readers.
func (f *StreamFilter) Filtered(s *Status) []FilterResult {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.matches(s)
}

// PublicStreamFilter returns the filter of public and hashtag streams,
// whose topics carry only public statuses.
func PublicStreamFilter(viewer *Account) *StreamFilter {
	return &StreamFilter{viewer: viewer}
}

// followedIDs returns the IDs of the accounts id follows.
func (svc *Service) followedIDs(ctx context.Context, id int64) (map[int64]bool, error) {
	out := map[int64]bool{}
	p := Page{Limit: 1000}
	for {
		refs, err := svc.store.Following(ctx, id, p)
		if err != nil {
			return nil, err
		}
		for _, r := range refs {
			out[r.AccountID] = true
		}
		if len(refs) < p.Limit {
			return out, nil
		}
		p.MaxID = refs[len(refs)-1].RowID
	}
}

// Shows reports whether the stream shows ev, and takes note of follow
// changes of its reader (which it never shows).
func (f *StreamFilter) Shows(ev *Event) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch ev.Kind {
	case EventFollow, EventUnfollow:
		if f.viewer != nil && ev.AccountID == f.viewer.ID && f.follows != nil {
			f.follows[ev.TargetID] = ev.Kind == EventFollow
		}
		return false
	case EventFollowTag, EventUnfollowTag:
		if f.viewer != nil && ev.AccountID == f.viewer.ID && f.tags != nil {
			f.tags[ev.Tag] = ev.Kind == EventFollowTag
		}
		return false
	case EventBlock, EventUnblock, EventMute, EventUnmute:
		f.noteShunning(ev)
		return false
	case EventFiltersChanged:
		if f.viewer == nil || ev.AccountID != f.viewer.ID || f.fc == "" {
			return false
		}
		f.filters = newFilterMatcher(ev.Filters, f.fc)
		return f.home // the user stream tells apps, as Mastodon's does
	case EventNotification:
		return f.viewer != nil && ev.Notification != nil && ev.Notification.AccountID == f.viewer.ID && !f.quiet[ev.Notification.FromAccountID] &&
			!f.onBlockedDomain(ev.Notification.FromAccount) && !f.hides(ev.Notification.Status)
	case EventUpdate, EventStatusUpdate, EventDelete:
	default:
		return false
	}
	s := ev.Status
	if s == nil || f.shunned[s.AccountID] || s.Reblog != nil && f.shunned[s.Reblog.AccountID] {
		return false
	}
	if f.onBlockedDomain(s.Account) || s.Reblog != nil && f.onBlockedDomain(s.Reblog.Account) {
		return false
	}
	switch {
	case f.members != nil: // a list: its members' statuses
		if !f.members[s.AccountID] {
			return false
		}
	case f.home:
		own := f.viewer.ID == s.AccountID
		direct := s.Visibility == VisibilityDirect && s.MentionsAccount(f.viewer.ID)
		if !own && !f.follows[s.AccountID] && !direct && !f.followsTagOf(s) {
			return false
		}
	}
	if ev.Kind == EventDelete {
		return true // the ID alone: a reader that never had the status ignores it
	}
	if f.hides(s) || f.moderated(s.Account) || s.Reblog != nil && f.moderated(s.Reblog.Account) {
		return false
	}
	if !CanRead(f.viewer, s, f.follows[s.AccountID]) {
		return false
	}
	if s.Reblog != nil && !CanRead(f.viewer, s.Reblog, f.follows[s.Reblog.AccountID]) {
		return false
	}
	return true
}

// onBlockedDomain reports whether a is on a domain the reader blocks.
func (f *StreamFilter) onBlockedDomain(a *Account) bool {
	if a == nil || a.Domain == "" {
		return false
	}
	return slices.ContainsFunc(f.domains, func(d string) bool { return DomainMatches(a.Domain, d) })
}

// moderated applies the visibility rule's staff moderation (see
// filterReadableAs) to the author of a streamed status, as it stood when
// the status was published.
func (f *StreamFilter) moderated(a *Account) bool {
	switch {
	case a == nil:
		return false
	case a.Suspended():
		return true
	case !a.Limited() || f.viewer != nil && f.viewer.ID == a.ID:
		return false
	}
	return !f.follows[a.ID]
}

// followsTagOf reports whether s is a public post (not a reblog) with a
// hashtag the home stream's reader follows, as the home timeline merges in.
func (f *StreamFilter) followsTagOf(s *Status) bool {
	if s.Visibility != VisibilityPublic || s.ReblogOfID != 0 {
		return false
	}
	for _, t := range s.Tags {
		if f.tags[t] {
			return true
		}
	}
	return false
}

// noteShunning keeps the filter's blocks and mutes up to date from events:
// those of its viewer, and blocks of its viewer by others.
func (f *StreamFilter) noteShunning(ev *Event) {
	if f.viewer == nil || f.shunned == nil {
		return
	}
	other := ev.TargetID
	switch {
	case ev.AccountID == f.viewer.ID:
	case ev.TargetID == f.viewer.ID && (ev.Kind == EventBlock || ev.Kind == EventUnblock):
		other = ev.AccountID
	default:
		return
	}
	switch ev.Kind {
	case EventBlock:
		f.shunned[other], f.quiet[other] = true, true
	case EventMute:
		f.shunned[other], f.quiet[other] = true, ev.MuteNotifications
	case EventUnblock, EventUnmute: // a block and a mute of one account at once is rare: the stream is told again on reconnecting
		delete(f.shunned, other)
		delete(f.quiet, other)
	}
}

// SignedOut reports whether ev ends the streams that a opened: every token
// of a was revoked (EventSignedOut). Streams opened by a listen for it on
// TopicAccount(a.ID).
func SignedOut(ev *Event, a *Account) bool {
	return ev.Kind == EventSignedOut && a != nil && ev.AccountID == a.ID
}
