package starling

import (
	"context"
	"log/slog"
	"time"
)

// publishingStore wraps the store so every use case publishes what it
// changed without saying so: the transaction records statuses created,
// edited and deleted, notifications and follows, and once it has
// committed they are published as events.
type publishingStore struct {
	Store
	svc *Service
}

func (p *publishingStore) Update(ctx context.Context, fn func(tx Tx) error) error {
	ev := p.svc.events
	if ev == nil {
		return p.Store.Update(ctx, fn)
	}
	var out *outbox
	err := p.Store.Update(ctx, func(tx Tx) error {
		out = &outbox{Tx: tx} // a retried transaction starts again
		return fn(out)
	})
	if err != nil || out == nil || out.empty() {
		return err
	}
	// With no stream open anywhere there is no one to tell: skip reading back.
	if idle, ok := ev.(interface{ Idle() bool }); ok && idle.Idle() {
		return nil
	}
	p.svc.publish(context.WithoutCancel(ctx), out)
	return nil
}

// outbox is a transaction that remembers what to publish.
type outbox struct {
	Tx
	created, edited []int64
	deleted         []*Status
	notified        []int64 // notification IDs
	notifiedTo      []int64 // their recipients, in step
	follows         []*Event
}

func (o *outbox) empty() bool {
	return len(o.created)+len(o.edited)+len(o.deleted)+len(o.notified)+len(o.follows) == 0
}

func (o *outbox) CreateStatus(ctx context.Context, s *Status) error {
	if err := o.Tx.CreateStatus(ctx, s); err != nil {
		return err
	}
	o.created = append(o.created, s.ID)
	return nil
}

func (o *outbox) UpdateStatus(ctx context.Context, s *Status) error {
	if err := o.Tx.UpdateStatus(ctx, s); err != nil {
		return err
	}
	o.edited = append(o.edited, s.ID)
	return nil
}

func (o *outbox) DeleteStatus(ctx context.Context, s *Status) error {
	if err := o.Tx.DeleteStatus(ctx, s); err != nil {
		return err
	}
	o.deleted = append(o.deleted, s)
	return nil
}

func (o *outbox) CreateNotification(ctx context.Context, n *Notification) (bool, error) {
	created, err := o.Tx.CreateNotification(ctx, n)
	if created {
		o.notified = append(o.notified, n.ID)
		o.notifiedTo = append(o.notifiedTo, n.AccountID)
	}
	return created, err
}

func (o *outbox) CreateFollow(ctx context.Context, f *Follow) (bool, error) {
	created, err := o.Tx.CreateFollow(ctx, f)
	if created {
		o.follows = append(o.follows, &Event{Kind: EventFollow, AccountID: f.AccountID, TargetID: f.TargetAccountID})
	}
	return created, err
}

func (o *outbox) DeleteFollow(ctx context.Context, accountID, targetID int64) (bool, error) {
	removed, err := o.Tx.DeleteFollow(ctx, accountID, targetID)
	if removed {
		o.follows = append(o.follows, &Event{Kind: EventUnfollow, AccountID: accountID, TargetID: targetID})
	}
	return removed, err
}

func (o *outbox) FollowTag(ctx context.Context, f *FollowedTag) (bool, error) {
	created, err := o.Tx.FollowTag(ctx, f)
	if created {
		o.follows = append(o.follows, &Event{Kind: EventFollowTag, AccountID: f.AccountID, Tag: f.Name})
	}
	return created, err
}

func (o *outbox) UnfollowTag(ctx context.Context, accountID int64, tag string) (bool, error) {
	removed, err := o.Tx.UnfollowTag(ctx, accountID, tag)
	if removed {
		o.follows = append(o.follows, &Event{Kind: EventUnfollowTag, AccountID: accountID, Tag: tag})
	}
	return removed, err
}

func (o *outbox) DeleteAccountTokens(ctx context.Context, accountID int64) error {
	err := o.Tx.DeleteAccountTokens(ctx, accountID)
	if err == nil {
		o.follows = append(o.follows, &Event{Kind: EventSignedOut, AccountID: accountID})
	}
	return err
}

func (o *outbox) BeginAccountDeletion(ctx context.Context, id int64, at time.Time) error {
	err := o.Tx.BeginAccountDeletion(ctx, id, at)
	if err == nil {
		o.follows = append(o.follows, &Event{Kind: EventSignedOut, AccountID: id})
	}
	return err
}

func (o *outbox) CreateBlock(ctx context.Context, b *Block) (bool, error) {
	created, err := o.Tx.CreateBlock(ctx, b)
	if created {
		o.follows = append(o.follows, &Event{Kind: EventBlock, AccountID: b.AccountID, TargetID: b.TargetAccountID})
	}
	return created, err
}

func (o *outbox) DeleteBlock(ctx context.Context, accountID, targetID int64) (bool, error) {
	removed, err := o.Tx.DeleteBlock(ctx, accountID, targetID)
	if removed {
		o.follows = append(o.follows, &Event{Kind: EventUnblock, AccountID: accountID, TargetID: targetID})
	}
	return removed, err
}

func (o *outbox) PutMute(ctx context.Context, m *Mute) error {
	err := o.Tx.PutMute(ctx, m)
	if err == nil {
		o.follows = append(o.follows, &Event{Kind: EventMute, AccountID: m.AccountID, TargetID: m.TargetAccountID, MuteNotifications: m.Notifications})
	}
	return err
}

func (o *outbox) DeleteMute(ctx context.Context, accountID, targetID int64, mutedSince time.Time) (bool, error) {
	removed, err := o.Tx.DeleteMute(ctx, accountID, targetID, mutedSince)
	if removed {
		o.follows = append(o.follows, &Event{Kind: EventUnmute, AccountID: accountID, TargetID: targetID})
	}
	return removed, err
}

// publish reads back what a committed transaction changed, as streams show
// it, and publishes it. A failure to read loses only the live update: the
// change itself is stored.
func (svc *Service) publish(ctx context.Context, o *outbox) {
	now := time.Now()
	send := func(ev *Event) {
		ev.At = now
		svc.events.Publish(ev)
	}
	for _, ev := range o.follows {
		ev.Topics = []string{TopicAccount(ev.AccountID)}
		if ev.Kind == EventBlock || ev.Kind == EventUnblock { // the blocked member's streams stop showing the blocker too
			ev.Topics = append(ev.Topics, TopicAccount(ev.TargetID))
		}
		send(ev)
	}
	load := func(ids []int64, kind EventKind) {
		if len(ids) == 0 {
			return
		}
		list, err := svc.statusesAsIs(ctx, ids)
		if err != nil {
			slog.ErrorContext(ctx, "publish: read statuses", "err", err)
			return
		}
		for _, s := range list {
			send(&Event{Kind: kind, Topics: statusTopics(s), Status: s})
		}
	}
	load(o.created, EventUpdate)
	load(o.edited, EventStatusUpdate)
	for _, s := range o.deleted {
		if s.Account == nil {
			s.Account, _ = svc.store.Account(ctx, s.AccountID)
		}
		send(&Event{Kind: EventDelete, Topics: statusTopics(s), Status: s})
	}
	for i, id := range o.notified {
		n, err := svc.store.Notification(ctx, o.notifiedTo[i], id)
		if err != nil {
			continue // dismissed or gone already
		}
		recipient, err := svc.store.Account(ctx, n.AccountID)
		if err != nil {
			continue
		}
		list, err := svc.hydrateNotifications(ctx, recipient, []*Notification{n})
		if err != nil || len(list) == 0 {
			continue
		}
		send(&Event{Kind: EventNotification, Topics: []string{TopicAccount(n.AccountID)}, Notification: list[0]})
	}
}

// statusesAsIs loads statuses hydrated as no one in particular sees them,
// whatever their visibility: streams decide who may see each.
func (svc *Service) statusesAsIs(ctx context.Context, ids []int64) ([]*Status, error) {
	found, err := svc.store.Statuses(ctx, ids)
	if err != nil {
		return nil, err
	}
	var list []*Status
	for _, id := range ids {
		if s := found[id]; s != nil {
			list = append(list, s)
		}
	}
	if err := svc.loadReblogs(ctx, svc.store, list); err != nil {
		return nil, err
	}
	if err := svc.hydrate(ctx, svc.store, nil, list); err != nil {
		return nil, err
	}
	return list, nil
}

// SetEvents makes the service publish to events. Without it, nothing is published.
func (svc *Service) SetEvents(e Events) {
	svc.events = e
}

// Events returns where the service publishes, or nil.
func (svc *Service) Events() Events { return svc.events }
