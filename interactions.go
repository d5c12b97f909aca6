package starling

import "context"

// MaxPins is how many statuses an account may pin to its profile.
const MaxPins = 5

// Reblog shares a status with the viewer's followers and returns the reblog.
// Reblogging twice returns the first reblog. Only public and unlisted statuses
// may be reblogged, and private ones by their own author.
func (svc *Service) Reblog(ctx context.Context, viewer *Account, id int64, vis Visibility) (*Status, error) {
	vis, err := ParseVisibility(string(vis), VisibilityPublic)
	if err != nil {
		return nil, err
	}
	if vis == VisibilityDirect {
		return nil, Errorf(EINVALID, "Validation failed: Visibility of a reblog cannot be direct")
	}
	var reblogID int64
	err = svc.store.Update(ctx, func(tx Tx) error {
		s, err := svc.readableStatus(ctx, tx, viewer, id)
		if err != nil {
			return err
		}
		if s.Reblog != nil {
			s = s.Reblog
		}
		if !(s.Visibility == VisibilityPublic || s.Visibility == VisibilityUnlisted ||
			s.Visibility == VisibilityPrivate && s.AccountID == viewer.ID) {
			return Errorf(EFORBIDDEN, "This action is not allowed")
		}
		if prev, err := tx.ReblogOf(ctx, viewer.ID, s.ID); err == nil {
			reblogID = prev.ID
			return nil
		} else if ErrorCode(err) != ENOTFOUND {
			return err
		}
		if s.Visibility == VisibilityPrivate {
			vis = VisibilityPrivate // a repost of a followers-only post stays followers-only
		}
		now := svc.now()
		r := &Status{ID: svc.newID(now), AccountID: viewer.ID, ReblogOfID: s.ID, Visibility: vis,
			ConversationID: s.ConversationID, CreatedAt: now}
		if err := tx.CreateStatus(ctx, r); err != nil {
			return err
		}
		if err := tx.FanOut(ctx, r, svc.fanOutScope(viewer, now)); err != nil {
			return err
		}
		reblogID = r.ID
		return svc.notify(ctx, tx, s.AccountID, viewer.ID, NotifyReblog, s.ID)
	})
	if err != nil {
		return nil, err
	}
	return svc.GetStatus(ctx, viewer, reblogID)
}

// Unreblog removes the viewer's reblog of a status and returns the status.
func (svc *Service) Unreblog(ctx context.Context, viewer *Account, id int64) (*Status, error) {
	var originalID int64
	err := svc.store.Update(ctx, func(tx Tx) error {
		s, err := svc.readableStatus(ctx, tx, viewer, id)
		if err != nil {
			return err
		}
		if s.Reblog != nil {
			s = s.Reblog
		}
		originalID = s.ID
		r, err := tx.ReblogOf(ctx, viewer.ID, s.ID)
		if ErrorCode(err) == ENOTFOUND {
			return nil
		} else if err != nil {
			return err
		}
		if err := tx.DeleteStatus(ctx, r); err != nil {
			return err
		}
		return tx.DeleteNotifications(ctx, NotifyReblog, viewer.ID, s.AccountID, s.ID)
	})
	if err != nil {
		return nil, err
	}
	return svc.GetStatus(ctx, viewer, originalID)
}

// Favourite marks a status as liked by the viewer and notifies its author.
func (svc *Service) Favourite(ctx context.Context, viewer *Account, id int64) (*Status, error) {
	return svc.interact(ctx, viewer, id, func(tx Tx, s *Status) error {
		created, err := tx.Favourite(ctx, svc.newID(svc.now()), viewer.ID, s.ID, svc.now())
		if err != nil || !created {
			return err
		}
		return svc.notify(ctx, tx, s.AccountID, viewer.ID, NotifyFavourite, s.ID)
	})
}

// Unfavourite takes a like back.
func (svc *Service) Unfavourite(ctx context.Context, viewer *Account, id int64) (*Status, error) {
	return svc.interact(ctx, viewer, id, func(tx Tx, s *Status) error {
		removed, err := tx.Unfavourite(ctx, viewer.ID, s.ID)
		if err != nil || !removed {
			return err
		}
		return tx.DeleteNotifications(ctx, NotifyFavourite, viewer.ID, s.AccountID, s.ID)
	})
}

// Bookmark saves a status privately for the viewer.
func (svc *Service) Bookmark(ctx context.Context, viewer *Account, id int64) (*Status, error) {
	return svc.interact(ctx, viewer, id, func(tx Tx, s *Status) error {
		_, err := tx.Bookmark(ctx, svc.newID(svc.now()), viewer.ID, s.ID, svc.now())
		return err
	})
}

// Unbookmark removes a bookmark.
func (svc *Service) Unbookmark(ctx context.Context, viewer *Account, id int64) (*Status, error) {
	return svc.interact(ctx, viewer, id, func(tx Tx, s *Status) error {
		_, err := tx.Unbookmark(ctx, viewer.ID, s.ID)
		return err
	})
}

// Pin features one of the viewer's own statuses on their profile.
func (svc *Service) Pin(ctx context.Context, viewer *Account, id int64) (*Status, error) {
	return svc.interact(ctx, viewer, id, func(tx Tx, s *Status) error {
		if s.AccountID != viewer.ID || s.Visibility == VisibilityDirect {
			return Errorf(EINVALID, "Validation failed: Only your own public, unlisted or private posts can be pinned")
		}
		n, err := tx.CountPins(ctx, viewer.ID)
		if err != nil {
			return err
		}
		if n >= MaxPins {
			return Errorf(EINVALID, "Validation failed: You have already pinned the maximum number of posts (%d)", MaxPins)
		}
		_, err = tx.Pin(ctx, viewer.ID, s.ID, svc.now())
		return err
	})
}

// Unpin takes a status off the viewer's profile.
func (svc *Service) Unpin(ctx context.Context, viewer *Account, id int64) (*Status, error) {
	return svc.interact(ctx, viewer, id, func(tx Tx, s *Status) error {
		_, err := tx.Unpin(ctx, viewer.ID, s.ID)
		return err
	})
}

// interact runs fn on the original of a status viewer may read, in one
// transaction, and returns the status as it is afterwards.
func (svc *Service) interact(ctx context.Context, viewer *Account, id int64, fn func(Tx, *Status) error) (*Status, error) {
	var targetID int64
	err := svc.store.Update(ctx, func(tx Tx) error {
		s, err := svc.readableStatus(ctx, tx, viewer, id)
		if err != nil {
			return err
		}
		if s.Reblog != nil {
			s = s.Reblog
		}
		targetID = s.ID
		return fn(tx, s)
	})
	if err != nil {
		return nil, err
	}
	return svc.GetStatus(ctx, viewer, targetID)
}

// notify tells accountID that from did something, unless they are the same.
func (svc *Service) notify(ctx context.Context, tx Tx, accountID, from int64, t NotificationType, statusID int64) error {
	if accountID == from {
		return nil
	}
	now := svc.now()
	_, err := tx.CreateNotification(ctx, &Notification{ID: svc.newID(now), AccountID: accountID, FromAccountID: from, Type: t, StatusID: statusID, CreatedAt: now})
	return err
}

// FavouritedBy lists the accounts that liked a status viewer may read.
func (svc *Service) FavouritedBy(ctx context.Context, viewer *Account, id int64, p Page) ([]*Account, []AccountRef, error) {
	return svc.statusAccounts(ctx, viewer, id, p, svc.store.FavouritedBy)
}

// RebloggedBy lists the accounts that reblogged a status viewer may read.
func (svc *Service) RebloggedBy(ctx context.Context, viewer *Account, id int64, p Page) ([]*Account, []AccountRef, error) {
	return svc.statusAccounts(ctx, viewer, id, p, svc.store.RebloggedBy)
}

func (svc *Service) statusAccounts(ctx context.Context, viewer *Account, id int64, p Page,
	list func(context.Context, int64, Page) ([]AccountRef, error)) ([]*Account, []AccountRef, error) {
	s, err := svc.readableStatus(ctx, svc.store, viewer, id)
	if err != nil {
		return nil, nil, err
	}
	if s.Reblog != nil {
		s = s.Reblog
	}
	refs, err := list(ctx, s.ID, p.Clamp(40, 80))
	if err != nil {
		return nil, nil, err
	}
	return svc.accountsFor(ctx, refs)
}

// accountsFor loads the accounts of refs in order, returning the refs that survived.
func (svc *Service) accountsFor(ctx context.Context, refs []AccountRef) ([]*Account, []AccountRef, error) {
	ids := make([]int64, len(refs))
	for i, r := range refs {
		ids[i] = r.AccountID
	}
	byID, err := svc.store.Accounts(ctx, ids)
	if err != nil {
		return nil, nil, err
	}
	var out []*Account
	var kept []AccountRef
	for _, r := range refs {
		if a := byID[r.AccountID]; a != nil {
			out = append(out, a)
			kept = append(kept, r)
		}
	}
	return out, kept, nil
}

// Favourites lists the statuses the viewer liked, most recent like first.
func (svc *Service) Favourites(ctx context.Context, viewer *Account, p Page) ([]*Status, []StatusRef, error) {
	refs, err := svc.store.Favourites(ctx, viewer.ID, p.Clamp(20, 40))
	if err != nil {
		return nil, nil, err
	}
	return svc.statusesFor(ctx, viewer, refs)
}

// Bookmarks lists the viewer's bookmarks, most recent first.
func (svc *Service) Bookmarks(ctx context.Context, viewer *Account, p Page) ([]*Status, []StatusRef, error) {
	refs, err := svc.store.Bookmarks(ctx, viewer.ID, p.Clamp(20, 40))
	if err != nil {
		return nil, nil, err
	}
	return svc.statusesFor(ctx, viewer, refs)
}

// statusesFor loads the statuses of refs that viewer may still read; it
// returns all refs, since paging must go on past statuses now hidden.
func (svc *Service) statusesFor(ctx context.Context, viewer *Account, refs []StatusRef) ([]*Status, []StatusRef, error) {
	ids := make([]int64, len(refs))
	for i, r := range refs {
		ids[i] = r.StatusID
	}
	list, err := svc.loadStatuses(ctx, svc.store, viewer, ids)
	return list, refs, err
}
