package starling

import "context"

// Notifications returns a page of viewer's notifications, hydrated; those
// about statuses viewer can no longer read are left out.
func (svc *Service) Notifications(ctx context.Context, viewer *Account, f NotificationFilter, p Page) ([]*Notification, error) {
	list, err := svc.store.Notifications(ctx, viewer.ID, f, p.Clamp(40, 80))
	if err != nil {
		return nil, err
	}
	return svc.hydrateNotifications(ctx, viewer, list)
}

// Notification returns one of viewer's notifications.
func (svc *Service) Notification(ctx context.Context, viewer *Account, id int64) (*Notification, error) {
	n, err := svc.store.Notification(ctx, viewer.ID, id)
	if err != nil {
		return nil, err
	}
	list, err := svc.hydrateNotifications(ctx, viewer, []*Notification{n})
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, Errorf(ENOTFOUND, "Record not found")
	}
	return list[0], nil
}

// DismissNotification deletes one of viewer's notifications.
func (svc *Service) DismissNotification(ctx context.Context, viewer *Account, id int64) error {
	return svc.store.Update(ctx, func(tx Tx) error { return tx.DismissNotification(ctx, viewer.ID, id) })
}

// ClearNotifications deletes all of viewer's notifications.
func (svc *Service) ClearNotifications(ctx context.Context, viewer *Account) error {
	return svc.store.Update(ctx, func(tx Tx) error { return tx.ClearNotifications(ctx, viewer.ID) })
}

// UnreadNotifications counts notifications newer than viewer's notifications marker, up to limit.
func (svc *Service) UnreadNotifications(ctx context.Context, viewer *Account, f NotificationFilter, limit int) (int, error) {
	ms, err := svc.store.Markers(ctx, viewer.ID, []string{"notifications"})
	if err != nil {
		return 0, err
	}
	var since int64
	if len(ms) > 0 {
		since = ms[0].LastReadID
	}
	return svc.store.CountNotifications(ctx, viewer.ID, since, f, limit)
}

func (svc *Service) hydrateNotifications(ctx context.Context, viewer *Account, list []*Notification) ([]*Notification, error) {
	accountIDs := map[int64]bool{}
	var statusIDs []int64
	for _, n := range list {
		accountIDs[n.FromAccountID] = true
		if n.StatusID != 0 {
			statusIDs = append(statusIDs, n.StatusID)
		}
	}
	accounts, err := svc.store.Accounts(ctx, keys(accountIDs))
	if err != nil {
		return nil, err
	}
	delete(accountIDs, viewer.ID)
	rels, err := svc.store.Relationships(ctx, viewer.ID, keys(accountIDs))
	if err != nil {
		return nil, err
	}
	statuses, err := svc.loadStatusesIn(ctx, svc.store, viewer, statusIDs, readNotifications, FilterNotifications)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]*Status, len(statuses))
	for _, s := range statuses {
		byID[s.ID] = s
	}
	out := list[:0:0]
	for _, n := range list {
		n.FromAccount = accounts[n.FromAccountID]
		if n.FromAccount == nil {
			continue
		}
		if r := rels[n.FromAccountID]; r != nil && (r.Blocking || r.BlockedBy || r.DomainBlocking || r.Muting && r.MutingNotifications) {
			continue // kept, and shown again if the block or mute is lifted
		}
		if n.FromAccountID != viewer.ID && moderatedFor(n.FromAccount, rels[n.FromAccountID]) {
			continue // kept, and shown again if staff undo it
		}
		if n.StatusID != 0 {
			if n.Status = byID[n.StatusID]; n.Status == nil {
				continue
			}
		}
		out = append(out, n)
	}
	return svc.attachWarnings(ctx, out)
}

// moderatedFor reports whether staff moderation hides a's doings from a
// viewer standing in r towards a (nil: no relation): a is suspended, or
// limited and not followed.
func moderatedFor(a *Account, r *Relationship) bool {
	return a.Suspended() || a.Limited() && (r == nil || !r.Following)
}

// Markers returns viewer's read markers for the named timelines.
func (svc *Service) Markers(ctx context.Context, viewer *Account, timelines []string) ([]*Marker, error) {
	return svc.store.Markers(ctx, viewer.ID, timelines)
}

// SaveMarkers records where viewer stopped reading; timelines other than
// "home" and "notifications" are refused.
func (svc *Service) SaveMarkers(ctx context.Context, viewer *Account, ms []*Marker) ([]*Marker, error) {
	for _, m := range ms {
		if m.Timeline != "home" && m.Timeline != "notifications" {
			return nil, Errorf(EINVALID, "Validation failed: Timeline must be home or notifications")
		}
	}
	now := svc.now()
	err := svc.store.Update(ctx, func(tx Tx) error {
		for _, m := range ms {
			m.UpdatedAt = now
			if err := tx.SaveMarker(ctx, viewer.ID, m); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	names := make([]string, len(ms))
	for i, m := range ms {
		names[i] = m.Timeline
	}
	return svc.store.Markers(ctx, viewer.ID, names)
}
