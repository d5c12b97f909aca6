package starling

import "context"

// CanRead reports whether viewer (nil when signed out) may read s, given
// whether viewer follows s's author. It is the one rule every front door uses;
// reblogs are checked by their callers against both the reblog and the original.
func CanRead(viewer *Account, s *Status, followsAuthor bool) bool {
	switch s.Visibility {
	case VisibilityPublic, VisibilityUnlisted:
		return true
	}
	if viewer == nil {
		return false
	}
	if viewer.ID == s.AccountID || s.MentionsAccount(viewer.ID) {
		return true
	}
	return s.Visibility == VisibilityPrivate && followsAuthor
}

// readMode says which of a viewer's blocks and mutes hide a status.
type readMode int

const (
	// readTimeline is for lists of statuses: timelines, threads, search,
	// trends. Posts by, or reblogging, an account the viewer blocks or
	// mutes, or one that blocks the viewer, or one on a domain the viewer
	// blocks, are left out.
	readTimeline readMode = iota
	// readOne is for a status asked for by ID: only its author's block of
	// the viewer hides it (the viewer may still open a post of someone they
	// muted, or on a domain they block, from a link).
	readOne
	// readNotifications is readTimeline, except that a mute hides a
	// status only if it hides that account's notifications too.
	readNotifications
	// readProfile is readTimeline for one account's own page: that account
	// being limited does not hide its posts there (a direct visit), only
	// the posts of other limited accounts it reblogged.
	readProfile
)

// Staff moderation applies in every mode: a suspended account's posts are
// hidden from everyone; a limited account's posts are hidden from those who
// do not follow it everywhere but a status opened by ID (readOne) and its
// own profile (readProfile).

// filterReadable returns the statuses of list that viewer may read in a
// timeline (readTimeline), keeping their order.
func (svc *Service) filterReadable(ctx context.Context, q Tx, viewer *Account, list []*Status) ([]*Status, error) {
	return svc.filterReadableAs(ctx, q, viewer, list, readTimeline)
}

// filterReadableAs returns the statuses of list that viewer may read, as
// mode says, keeping their order. It asks how viewer stands towards the
// other authors in one query. Reblogs must already carry their original
// in Reblog.
func (svc *Service) filterReadableAs(ctx context.Context, q Tx, viewer *Account, list []*Status, mode readMode) ([]*Status, error) {
	rels := map[int64]*Relationship{}
	if viewer != nil {
		need := map[int64]bool{}
		for _, s := range list {
			for _, x := range []*Status{s, s.Reblog} {
				if x != nil && x.AccountID != viewer.ID {
					need[x.AccountID] = true
				}
			}
		}
		if len(need) > 0 {
			var err error
			if rels, err = q.Relationships(ctx, viewer.ID, keys(need)); err != nil {
				return nil, err
			}
		}
	}
	authors, err := svc.namedAccounts(ctx, q, list)
	if err != nil {
		return nil, err
	}
	hidden := func(author int64) bool {
		r := rels[author]
		switch {
		case r == nil:
			return false
		case r.BlockedBy:
			return true
		case mode == readOne:
			return false
		case r.Blocking, r.DomainBlocking:
			return true
		case r.Muting:
			return mode == readTimeline || mode == readProfile || r.MutingNotifications
		}
		return false
	}
	following := func(author int64) bool { r := rels[author]; return r != nil && r.Following }
	// moderated: the author is suspended, or limited and the viewer does
	// not follow them (ownPage: the status is on the author's own profile).
	moderated := func(author int64, ownPage bool) bool {
		a := authors[author]
		switch {
		case a == nil:
			return false
		case a.Suspended():
			return true
		case !a.Limited() || mode == readOne || ownPage || viewer != nil && viewer.ID == author:
			return false
		}
		return !following(author)
	}
	reviewer, err := svc.mayReview(ctx, q, viewer, list)
	if err != nil {
		return nil, err
	}
	// Hidden from everyone: a deleted account's posts; from all but their
	// author and reviewers: posts held for review.
	held := func(s *Status) bool {
		return s.AuthorDeleted || s.HeldForReview && !reviewer && (viewer == nil || viewer.ID != s.AccountID)
	}
	out := list[:0:0]
	for _, s := range list {
		if hidden(s.AccountID) || held(s) || moderated(s.AccountID, mode == readProfile) || !CanRead(viewer, s, following(s.AccountID)) {
			continue
		}
		if s.ReblogOfID != 0 && (s.Reblog == nil || hidden(s.Reblog.AccountID) || held(s.Reblog) || moderated(s.Reblog.AccountID, false) ||
			!CanRead(viewer, s.Reblog, following(s.Reblog.AccountID))) {
			continue
		}
		out = append(out, s)
	}
	return out, nil
}

// namedAccounts loads the accounts a list of statuses names: authors (whose
// moderation state the visibility rule needs) and mentioned accounts, the
// same set hydrate asks for next, so that outside transactions hydrate
// finds them all in the store's row cache and reads cost no extra query.
func (svc *Service) namedAccounts(ctx context.Context, q Tx, list []*Status) (map[int64]*Account, error) {
	ids := map[int64]bool{}
	for _, s := range list {
		for _, x := range []*Status{s, s.Reblog} {
			if x == nil {
				continue
			}
			ids[x.AccountID] = true
			for _, id := range x.MentionIDs {
				ids[id] = true
			}
		}
	}
	if len(ids) == 0 {
		return map[int64]*Account{}, nil
	}
	return q.Accounts(ctx, keys(ids))
}

// readableStatus loads a status and checks viewer may read it; a status the
// viewer may not read is reported as not found, so its existence is not leaked.
func (svc *Service) readableStatus(ctx context.Context, q Tx, viewer *Account, id int64) (*Status, error) {
	s, err := q.Status(ctx, id)
	if err != nil {
		return nil, err
	}
	if s.ReblogOfID != 0 {
		if s.Reblog, err = q.Status(ctx, s.ReblogOfID); err != nil {
			return nil, err
		}
	}
	ok, err := svc.filterReadableAs(ctx, q, viewer, []*Status{s}, readOne)
	if err != nil {
		return nil, err
	}
	if len(ok) == 0 {
		return nil, Errorf(ENOTFOUND, "Record not found")
	}
	return s, nil
}

// mayReview reports whether viewer handles reports (staff or a
// safeguarding lead) and so sees posts held for review. It asks the
// database only when list holds such a post by someone else: held posts
// are rare, so reads keep their fixed number of queries.
func (svc *Service) mayReview(ctx context.Context, q Tx, viewer *Account, list []*Status) (bool, error) {
	if viewer == nil {
		return false, nil
	}
	need := false
	for _, s := range list {
		for _, x := range []*Status{s, s.Reblog} {
			if x != nil && x.HeldForReview && x.AccountID != viewer.ID {
				need = true
			}
		}
	}
	if !need {
		return false, nil
	}
	u, err := q.User(ctx, viewer.ID)
	if ErrorCode(err) == ENOTFOUND {
		return false, nil // a remote account
	} else if err != nil {
		return false, err
	}
	return u.HandlesReports() && !u.Disabled, nil
}
