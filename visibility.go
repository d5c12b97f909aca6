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

// filterReadable returns the statuses of list that viewer may read, keeping
// their order. It looks up follows only for the private statuses of others,
// in one query. Reblogs must already carry their original in Reblog.
func (svc *Service) filterReadable(ctx context.Context, q Tx, viewer *Account, list []*Status) ([]*Status, error) {
	need := map[int64]bool{}
	for _, s := range list {
		for _, x := range []*Status{s, s.Reblog} {
			if x != nil && x.Visibility == VisibilityPrivate && viewer != nil && x.AccountID != viewer.ID {
				need[x.AccountID] = true
			}
		}
	}
	follows := map[int64]bool{}
	if len(need) > 0 {
		ids := make([]int64, 0, len(need))
		for id := range need {
			ids = append(ids, id)
		}
		rels, err := q.Relationships(ctx, viewer.ID, ids)
		if err != nil {
			return nil, err
		}
		for id, r := range rels {
			follows[id] = r.Following
		}
	}
	out := list[:0:0]
	for _, s := range list {
		if !CanRead(viewer, s, follows[s.AccountID]) {
			continue
		}
		if s.ReblogOfID != 0 && (s.Reblog == nil || !CanRead(viewer, s.Reblog, follows[s.Reblog.AccountID])) {
			continue
		}
		out = append(out, s)
	}
	return out, nil
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
	ok, err := svc.filterReadable(ctx, q, viewer, []*Status{s})
	if err != nil {
		return nil, err
	}
	if len(ok) == 0 {
		return nil, Errorf(ENOTFOUND, "Record not found")
	}
	return s, nil
}
