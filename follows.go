package starling

import "context"

// homeBackfill is how many recent statuses of a newly followed account are
// merged into the follower's home timeline, so it is not empty after a follow.
const homeBackfill = 200

// FollowOptions are the choices a follower makes; nil keeps the current value
// (true for reblogs, false for notify on a new follow).
type FollowOptions struct {
	Reblogs *bool
	Notify  *bool
}

// Follow makes viewer follow target, or asks to if target is locked, and
// returns the relationship afterwards.
func (svc *Service) Follow(ctx context.Context, viewer *Account, targetID int64, o FollowOptions) (*Relationship, error) {
	if targetID == viewer.ID {
		return nil, Errorf(EFORBIDDEN, "You cannot follow yourself")
	}
	err := svc.store.Update(ctx, func(tx Tx) error {
		target, err := tx.Account(ctx, targetID)
		if err != nil {
			return err
		}
		rels, err := tx.Relationships(ctx, viewer.ID, []int64{targetID})
		if err != nil {
			return err
		}
		if r := rels[targetID]; r.Blocking {
			return Errorf(EFORBIDDEN, "You block this account: unblock it to follow it")
		} else if r.BlockedBy {
			return Errorf(EFORBIDDEN, "This action is not allowed")
		}
		now := svc.now()
		prev, err := tx.Follow(ctx, viewer.ID, targetID)
		if err != nil && ErrorCode(err) != ENOTFOUND {
			return err
		}
		reblogs, notify := true, false
		if prev != nil {
			reblogs, notify = prev.ShowReblogs, prev.Notify
		}
		if o.Reblogs != nil {
			reblogs = *o.Reblogs
		}
		if o.Notify != nil {
			notify = *o.Notify
		}
		if prev == nil && target.Locked {
			r := &FollowRequest{ID: svc.newID(now), AccountID: viewer.ID, TargetAccountID: targetID, ShowReblogs: reblogs, Notify: notify, CreatedAt: now}
			created, err := tx.CreateFollowRequest(ctx, r)
			if err != nil || !created {
				return err
			}
			return svc.notify(ctx, tx, targetID, viewer.ID, NotifyFollowRequest, 0)
		}
		f := &Follow{ID: svc.newID(now), AccountID: viewer.ID, TargetAccountID: targetID, ShowReblogs: reblogs, Notify: notify, CreatedAt: now}
		created, err := tx.CreateFollow(ctx, f)
		if err != nil || !created {
			return err
		}
		if err := tx.AddToHome(ctx, viewer.ID, targetID, homeBackfill); err != nil {
			return err
		}
		return svc.notify(ctx, tx, targetID, viewer.ID, NotifyFollow, 0)
	})
	if err != nil {
		return nil, err
	}
	return svc.Relationship(ctx, viewer, targetID)
}

// Unfollow stops viewer following target (or withdraws a request), removes
// target's statuses from viewer's home timeline and target from viewer's lists.
func (svc *Service) Unfollow(ctx context.Context, viewer *Account, targetID int64) (*Relationship, error) {
	err := svc.store.Update(ctx, func(tx Tx) error {
		if _, err := tx.Account(ctx, targetID); err != nil {
			return err
		}
		return svc.unfollow(ctx, tx, viewer.ID, targetID)
	})
	if err != nil {
		return nil, err
	}
	return svc.Relationship(ctx, viewer, targetID)
}

// unfollow ends accountID's follow of targetID, or its request to follow,
// with everything the follow brought: target's posts in the home
// timeline, target on accountID's lists, the follow notification.
func (svc *Service) unfollow(ctx context.Context, tx Tx, accountID, targetID int64) error {
	if _, err := tx.DeleteFollowRequest(ctx, accountID, targetID); err != nil && ErrorCode(err) != ENOTFOUND {
		return err
	}
	removed, err := tx.DeleteFollow(ctx, accountID, targetID)
	if err != nil || !removed {
		return err
	}
	if err := tx.RemoveFromHome(ctx, accountID, targetID); err != nil {
		return err
	}
	lists, err := tx.ListsWithMember(ctx, accountID, targetID)
	if err != nil {
		return err
	}
	for _, l := range lists {
		if err := tx.RemoveListMember(ctx, l.ID, targetID); err != nil {
			return err
		}
		if err := tx.RemoveFromList(ctx, l.ID, targetID); err != nil {
			return err
		}
	}
	return tx.DeleteNotifications(ctx, NotifyFollow, accountID, targetID, 0)
}

// Relationship returns how viewer stands towards one account.
func (svc *Service) Relationship(ctx context.Context, viewer *Account, id int64) (*Relationship, error) {
	rels, err := svc.store.Relationships(ctx, viewer.ID, []int64{id})
	if err != nil {
		return nil, err
	}
	if r := rels[id]; r != nil {
		return r, nil
	}
	return &Relationship{ID: id}, nil
}

// Relationships returns how viewer stands towards each account, in order;
// unknown IDs are left out.
func (svc *Service) Relationships(ctx context.Context, viewer *Account, ids []int64) ([]*Relationship, error) {
	accounts, err := svc.store.Accounts(ctx, ids)
	if err != nil {
		return nil, err
	}
	rels, err := svc.store.Relationships(ctx, viewer.ID, ids)
	if err != nil {
		return nil, err
	}
	var out []*Relationship
	seen := map[int64]bool{}
	for _, id := range ids {
		if accounts[id] == nil || seen[id] {
			continue
		}
		seen[id] = true
		r := rels[id]
		if r == nil {
			r = &Relationship{ID: id}
		}
		out = append(out, r)
	}
	return out, nil
}

// FollowRequests lists the accounts waiting for viewer's approval.
func (svc *Service) FollowRequests(ctx context.Context, viewer *Account, p Page) ([]*Account, []AccountRef, error) {
	refs, err := svc.store.FollowRequests(ctx, viewer.ID, p.Clamp(40, 80))
	if err != nil {
		return nil, nil, err
	}
	return svc.accountsFor(ctx, refs)
}

// AuthorizeFollowRequest turns a pending request into a follow.
func (svc *Service) AuthorizeFollowRequest(ctx context.Context, viewer *Account, fromID int64) (*Relationship, error) {
	err := svc.store.Update(ctx, func(tx Tx) error {
		r, err := tx.DeleteFollowRequest(ctx, fromID, viewer.ID)
		if err != nil {
			return err
		}
		now := svc.now()
		f := &Follow{ID: svc.newID(now), AccountID: fromID, TargetAccountID: viewer.ID, ShowReblogs: r.ShowReblogs, Notify: r.Notify, CreatedAt: now}
		if _, err := tx.CreateFollow(ctx, f); err != nil {
			return err
		}
		if err := tx.AddToHome(ctx, fromID, viewer.ID, homeBackfill); err != nil {
			return err
		}
		return tx.DeleteNotifications(ctx, NotifyFollowRequest, fromID, viewer.ID, 0)
	})
	if err != nil {
		return nil, err
	}
	return svc.Relationship(ctx, viewer, fromID)
}

// RejectFollowRequest turns a pending request down.
func (svc *Service) RejectFollowRequest(ctx context.Context, viewer *Account, fromID int64) (*Relationship, error) {
	err := svc.store.Update(ctx, func(tx Tx) error {
		if _, err := tx.DeleteFollowRequest(ctx, fromID, viewer.ID); err != nil {
			return err
		}
		return tx.DeleteNotifications(ctx, NotifyFollowRequest, fromID, viewer.ID, 0)
	})
	if err != nil {
		return nil, err
	}
	return svc.Relationship(ctx, viewer, fromID)
}

// Followers lists the accounts following id, newest follow first.
func (svc *Service) Followers(ctx context.Context, id int64, p Page) ([]*Account, []AccountRef, error) {
	if _, err := svc.store.Account(ctx, id); err != nil {
		return nil, nil, err
	}
	refs, err := svc.store.Followers(ctx, id, p.Clamp(40, 80))
	if err != nil {
		return nil, nil, err
	}
	return svc.accountsFor(ctx, refs)
}

// Following lists the accounts id follows, newest follow first.
func (svc *Service) Following(ctx context.Context, id int64, p Page) ([]*Account, []AccountRef, error) {
	if _, err := svc.store.Account(ctx, id); err != nil {
		return nil, nil, err
	}
	refs, err := svc.store.Following(ctx, id, p.Clamp(40, 80))
	if err != nil {
		return nil, nil, err
	}
	return svc.accountsFor(ctx, refs)
}
