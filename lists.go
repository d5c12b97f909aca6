package starling

import "context"

// Lists returns viewer's lists.
func (svc *Service) Lists(ctx context.Context, viewer *Account) ([]*List, error) {
	return svc.store.Lists(ctx, viewer.ID)
}

// List returns one of viewer's lists; other people's lists are not found.
func (svc *Service) List(ctx context.Context, viewer *Account, id int64) (*List, error) {
	return svc.ownList(ctx, svc.store, viewer, id)
}

func (svc *Service) ownList(ctx context.Context, q Tx, viewer *Account, id int64) (*List, error) {
	l, err := q.List(ctx, id)
	if err != nil {
		return nil, err
	}
	if l.AccountID != viewer.ID {
		return nil, Errorf(ENOTFOUND, "Record not found")
	}
	return l, nil
}

// CreateList makes a new list for viewer.
func (svc *Service) CreateList(ctx context.Context, viewer *Account, l List) (*List, error) {
	l.ID, l.AccountID = svc.newID(svc.now()), viewer.ID
	if err := l.Validate(); err != nil {
		return nil, err
	}
	err := svc.store.Update(ctx, func(tx Tx) error { return tx.CreateList(ctx, &l) })
	return &l, err
}

// ListChange is an update of a list; nil fields stay as they are.
type ListChange struct {
	Title         *string
	RepliesPolicy *string
	Exclusive     *bool
}

// UpdateList changes one of viewer's lists.
func (svc *Service) UpdateList(ctx context.Context, viewer *Account, id int64, c ListChange) (*List, error) {
	var out *List
	err := svc.store.Update(ctx, func(tx Tx) error {
		l, err := svc.ownList(ctx, tx, viewer, id)
		if err != nil {
			return err
		}
		if c.Title != nil {
			l.Title = *c.Title
		}
		if c.RepliesPolicy != nil {
			l.RepliesPolicy = *c.RepliesPolicy
		}
		if c.Exclusive != nil {
			l.Exclusive = *c.Exclusive
		}
		if err := l.Validate(); err != nil {
			return err
		}
		out = l
		return tx.UpdateList(ctx, l)
	})
	return out, err
}

// DeleteList deletes one of viewer's lists.
func (svc *Service) DeleteList(ctx context.Context, viewer *Account, id int64) error {
	return svc.store.Update(ctx, func(tx Tx) error {
		if _, err := svc.ownList(ctx, tx, viewer, id); err != nil {
			return err
		}
		return tx.DeleteList(ctx, id)
	})
}

// AddListMembers adds accounts viewer follows to one of viewer's lists and
// fills the list's timeline with their recent statuses.
func (svc *Service) AddListMembers(ctx context.Context, viewer *Account, id int64, accountIDs []int64) error {
	return svc.store.Update(ctx, func(tx Tx) error {
		if _, err := svc.ownList(ctx, tx, viewer, id); err != nil {
			return err
		}
		for _, aid := range accountIDs {
			if _, err := tx.Account(ctx, aid); err != nil {
				return err
			}
			if aid != viewer.ID {
				if _, err := tx.Follow(ctx, viewer.ID, aid); ErrorCode(err) == ENOTFOUND {
					return Errorf(EINVALID, "Validation failed: You can only add accounts you follow to a list")
				} else if err != nil {
					return err
				}
			}
			added, err := tx.AddListMember(ctx, id, aid)
			if err != nil {
				return err
			}
			if added {
				if err := tx.AddToList(ctx, id, aid, homeBackfill); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// RemoveListMembers takes accounts off one of viewer's lists.
func (svc *Service) RemoveListMembers(ctx context.Context, viewer *Account, id int64, accountIDs []int64) error {
	return svc.store.Update(ctx, func(tx Tx) error {
		if _, err := svc.ownList(ctx, tx, viewer, id); err != nil {
			return err
		}
		for _, aid := range accountIDs {
			if err := tx.RemoveListMember(ctx, id, aid); err != nil {
				return err
			}
			if err := tx.RemoveFromList(ctx, id, aid); err != nil {
				return err
			}
		}
		return nil
	})
}

// ListMembers pages through the members of one of viewer's lists (by account ID).
func (svc *Service) ListMembers(ctx context.Context, viewer *Account, id int64, p Page) ([]*Account, error) {
	if _, err := svc.ownList(ctx, svc.store, viewer, id); err != nil {
		return nil, err
	}
	ids, err := svc.store.ListMembers(ctx, id, p.Clamp(40, 80))
	if err != nil {
		return nil, err
	}
	return svc.hydrateAccounts(ctx, svc.store, ids)
}

// ListsWithMember returns viewer's lists that include an account.
func (svc *Service) ListsWithMember(ctx context.Context, viewer *Account, memberID int64) ([]*List, error) {
	return svc.store.ListsWithMember(ctx, viewer.ID, memberID)
}
