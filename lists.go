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
	l.Featured = false // suggesting a list is a separate, staff-only change
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
	Featured      *bool // staff only
	Public        *bool
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
		if c.Public != nil {
			l.Public = *c.Public
		}
		if c.Featured != nil && *c.Featured != l.Featured {
			u, err := tx.User(ctx, viewer.ID)
			if err != nil && ErrorCode(err) != ENOTFOUND {
				return err
			} else if err != nil || !u.IsStaff() {
				return Errorf(EFORBIDDEN, "Only staff can suggest lists to new members")
			}
			l.Featured = *c.Featured
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

// ListMembers pages through the members of one of viewer's lists, or of a
// shared list (public, or suggested by staff), by account ID.
func (svc *Service) ListMembers(ctx context.Context, viewer *Account, id int64, p Page) ([]*Account, error) {
	if _, err := svc.SharedList(ctx, viewer, id); err != nil {
		return nil, err
	}
	ids, err := svc.store.ListMembers(ctx, id, p.Clamp(40, 80))
	if err != nil {
		return nil, err
	}
	return svc.hydrateAccounts(ctx, svc.store, ids)
}

// SharedList returns a list viewer owns, or anyone's shared list (public,
// or suggested by staff); viewer may be nil, signed out. Other lists are
// not found, so their existence does not leak.
func (svc *Service) SharedList(ctx context.Context, viewer *Account, id int64) (*List, error) {
	l, err := svc.store.List(ctx, id)
	if err != nil {
		return nil, err
	}
	if (viewer == nil || l.AccountID != viewer.ID) && !l.Shared() {
		return nil, Errorf(ENOTFOUND, "Record not found")
	}
	return l, nil
}

// PublicLists returns the lists an account has made public, by title.
func (svc *Service) PublicLists(ctx context.Context, accountID int64) ([]*List, error) {
	lists, err := svc.store.Lists(ctx, accountID)
	if err != nil {
		return nil, err
	}
	out := lists[:0]
	for _, l := range lists {
		if l.Public {
			out = append(out, l)
		}
	}
	return out, nil
}

// ListsWithMember returns viewer's lists that include an account.
func (svc *Service) ListsWithMember(ctx context.Context, viewer *Account, memberID int64) ([]*List, error) {
	return svc.store.ListsWithMember(ctx, viewer.ID, memberID)
}

// FeaturedList is a list staff suggest to new members, with its members.
type FeaturedList struct {
	List    *List
	Members []*Account
}

// maxFeaturedMembers bounds how many members of a suggested list are shown and followed.
const maxFeaturedMembers = 80

// FeaturedLists returns the lists staff suggest to new members.
func (svc *Service) FeaturedLists(ctx context.Context) ([]FeaturedList, error) {
	lists, err := svc.store.FeaturedLists(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]FeaturedList, 0, len(lists))
	for _, l := range lists {
		ids, err := svc.store.ListMembers(ctx, l.ID, Page{Limit: maxFeaturedMembers})
		if err != nil {
			return nil, err
		}
		members, err := svc.hydrateAccounts(ctx, svc.store, ids)
		if err != nil {
			return nil, err
		}
		out = append(out, FeaturedList{List: l, Members: members})
	}
	return out, nil
}

// maxFollowedMembers bounds how many members of a shared list one click follows.
const maxFollowedMembers = 200

// FollowList follows everyone on a shared list (public, or suggested by
// staff) and gives viewer a list of their own with the same title and the
// same people (those with locked accounts join it once they accept). Doing
// it again follows whoever was added since and adds them to the same list.
func (svc *Service) FollowList(ctx context.Context, viewer *Account, id int64) (*List, error) {
	l, err := svc.SharedList(ctx, viewer, id)
	if err != nil {
		return nil, err
	}
	if l.AccountID == viewer.ID {
		return nil, Errorf(EINVALID, "Validation failed: This is your own list")
	}
	ids, err := svc.store.ListMembers(ctx, l.ID, Page{Limit: maxFollowedMembers})
	if err != nil {
		return nil, err
	}
	members, err := svc.hydrateAccounts(ctx, svc.store, ids)
	if err != nil {
		return nil, err
	}
	var following []int64
	for _, m := range members {
		if m.ID == viewer.ID {
			continue
		}
		rel, err := svc.Follow(ctx, viewer, m.ID, FollowOptions{})
		if err != nil {
			return nil, err
		}
		if rel.Following {
			following = append(following, m.ID)
		}
	}
	mine, err := svc.Lists(ctx, viewer)
	if err != nil {
		return nil, err
	}
	var own *List
	for _, m := range mine {
		if m.Title == l.Title {
			own = m
		}
	}
	if own == nil {
		if own, err = svc.CreateList(ctx, viewer, List{Title: l.Title}); err != nil {
			return nil, err
		}
	}
	if len(following) > 0 {
		if err := svc.AddListMembers(ctx, viewer, own.ID, following); err != nil {
			return nil, err
		}
	}
	return own, nil
}
