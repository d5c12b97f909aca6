package starling

import "context"

// Conversations returns a page of viewer's direct conversations, most recent first.
func (svc *Service) Conversations(ctx context.Context, viewer *Account, p Page) ([]*Conversation, error) {
	list, err := svc.store.Conversations(ctx, viewer.ID, p.Clamp(20, 40))
	if err != nil {
		return nil, err
	}
	return svc.hydrateConversations(ctx, viewer, list)
}

// MarkConversationRead marks one of viewer's conversations as read and returns it.
func (svc *Service) MarkConversationRead(ctx context.Context, viewer *Account, id int64) (*Conversation, error) {
	err := svc.store.Update(ctx, func(tx Tx) error { return tx.MarkConversationRead(ctx, viewer.ID, id) })
	if err != nil {
		return nil, err
	}
	c, err := svc.store.Conversation(ctx, viewer.ID, id)
	if err != nil {
		return nil, err
	}
	list, err := svc.hydrateConversations(ctx, viewer, []*Conversation{c})
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, Errorf(ENOTFOUND, "Record not found")
	}
	return list[0], nil
}

// RemoveConversation hides one of viewer's conversations.
func (svc *Service) RemoveConversation(ctx context.Context, viewer *Account, id int64) error {
	return svc.store.Update(ctx, func(tx Tx) error { return tx.RemoveConversation(ctx, viewer.ID, id) })
}

func (svc *Service) hydrateConversations(ctx context.Context, viewer *Account, list []*Conversation) ([]*Conversation, error) {
	accountIDs := map[int64]bool{}
	var statusIDs []int64
	for _, c := range list {
		for _, id := range c.ParticipantIDs {
			accountIDs[id] = true
		}
		statusIDs = append(statusIDs, c.LastStatusID)
	}
	accounts, err := svc.store.Accounts(ctx, keys(accountIDs))
	if err != nil {
		return nil, err
	}
	statuses, err := svc.loadStatuses(ctx, svc.store, viewer, statusIDs)
	if err != nil {
		return nil, err
	}
	byID := map[int64]*Status{}
	for _, s := range statuses {
		byID[s.ID] = s
	}
	for _, c := range list {
		c.LastStatus = byID[c.LastStatusID]
		c.Participants = c.Participants[:0]
		for _, id := range c.ParticipantIDs {
			if a := accounts[id]; a != nil && id != viewer.ID {
				c.Participants = append(c.Participants, a)
			}
		}
	}
	return list, nil
}
