package starling

import "context"

// loadStatuses reads the statuses with these IDs in this order, drops those
// viewer may not read (or that vanished since the IDs were read), and
// hydrates the rest for output. It costs a fixed handful of queries however
// long the list: statuses, originals of reblogs, accounts, apps, viewer flags.
func (svc *Service) loadStatuses(ctx context.Context, q Tx, viewer *Account, ids []int64) ([]*Status, error) {
	return svc.loadStatusesAs(ctx, q, viewer, ids, readTimeline)
}

// loadStatusesAs is loadStatuses with the blocks and mutes of mode.
func (svc *Service) loadStatusesAs(ctx context.Context, q Tx, viewer *Account, ids []int64, mode readMode) ([]*Status, error) {
	return svc.loadStatusesIn(ctx, q, viewer, ids, mode, "")
}

// loadStatusesIn is loadStatusesAs for statuses shown in the filter
// context fc: viewer's filters of fc mark or hide them (applyFilters);
// "" applies none.
func (svc *Service) loadStatusesIn(ctx context.Context, q Tx, viewer *Account, ids []int64, mode readMode, fc FilterContext) ([]*Status, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	byID, err := q.Statuses(ctx, ids)
	if err != nil {
		return nil, err
	}
	list := make([]*Status, 0, len(ids))
	for _, id := range ids {
		if s, ok := byID[id]; ok {
			if s.ReblogOfID != 0 {
				s.Reblog = byID[s.ReblogOfID] // loaded with it; nil if deleted meanwhile
			}
			list = append(list, s)
		}
	}
	if list, err = svc.filterReadableAs(ctx, q, viewer, list, mode); err != nil {
		return nil, err
	}
	if err := svc.hydrate(ctx, q, viewer, list); err != nil {
		return nil, err
	}
	return svc.applyFilters(ctx, q, viewer, list, mode, fc)
}

// loadReblogs sets Reblog on every reblog in list and drops reblogs whose
// original is gone.
func (svc *Service) loadReblogs(ctx context.Context, q Tx, list []*Status) error {
	var ids []int64
	for _, s := range list {
		if s.ReblogOfID != 0 && s.Reblog == nil {
			ids = append(ids, s.ReblogOfID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	originals, err := q.Statuses(ctx, ids)
	if err != nil {
		return err
	}
	for _, s := range list {
		if s.ReblogOfID != 0 && s.Reblog == nil {
			s.Reblog = originals[s.ReblogOfID] // nil if deleted meanwhile; filterReadable drops it
		}
	}
	return nil
}

// hydrate fills in Account, Mentions, Application and Viewer on each status
// and on the originals of reblogs.
func (svc *Service) hydrate(ctx context.Context, q Tx, viewer *Account, list []*Status) error {
	all := make([]*Status, 0, 2*len(list))
	for _, s := range list {
		all = append(all, s)
		if s.Reblog != nil {
			all = append(all, s.Reblog)
		}
	}
	accountIDs := map[int64]bool{}
	appIDs := map[int64]bool{}
	var statusIDs []int64
	for _, s := range all {
		accountIDs[s.AccountID] = true
		for _, id := range s.MentionIDs {
			accountIDs[id] = true
		}
		if s.ApplicationID != 0 {
			appIDs[s.ApplicationID] = true
		}
		statusIDs = append(statusIDs, s.ID)
	}
	accounts, err := q.Accounts(ctx, keys(accountIDs))
	if err != nil {
		return err
	}
	apps := map[int64]*Application{}
	if len(appIDs) > 0 {
		if apps, err = q.Applications(ctx, keys(appIDs)); err != nil {
			return err
		}
	}
	var withMedia []int64
	for _, s := range all {
		if s.MediaCount > 0 {
			withMedia = append(withMedia, s.ID)
		}
	}
	media, err := q.MediaOfStatuses(ctx, withMedia)
	if err != nil {
		return err
	}
	var pollIDs []int64
	for _, s := range all {
		if s.PollID != 0 {
			pollIDs = append(pollIDs, s.PollID)
		}
	}
	polls, err := q.Polls(ctx, pollIDs, viewerID(viewer))
	if err != nil {
		return err
	}
	var cardIDs []int64
	for _, s := range all {
		if s.CardID != 0 {
			cardIDs = append(cardIDs, s.CardID)
		}
	}
	cards := map[int64]*Card{}
	if len(cardIDs) > 0 {
		if cards, err = q.Cards(ctx, cardIDs); err != nil {
			return err
		}
	}
	states := map[int64]StatusViewer{}
	if viewer != nil {
		if states, err = q.ViewerStates(ctx, viewer.ID, statusIDs); err != nil {
			return err
		}
	}
	for _, s := range all {
		s.Account = accounts[s.AccountID]
		s.Application = apps[s.ApplicationID]
		s.Mentions = s.Mentions[:0]
		for _, id := range s.MentionIDs {
			if a := accounts[id]; a != nil {
				s.Mentions = append(s.Mentions, a)
			}
		}
		s.Viewer = states[s.ID]
		s.Media = media[s.ID]
		s.Poll = polls[s.PollID]
		s.Card = cards[s.CardID]
		if s.Account != nil && s.Account.Sensitized() && len(s.Media) > 0 {
			s.Sensitive = true // staff marked the author's media sensitive (ActionSensitive)
		}
	}
	if err := svc.hydrateQuotes(ctx, q, viewer, all); err != nil {
		return err
	}
	// A reblog shows the viewer's flags of the status it carries.
	for _, s := range list {
		if s.Reblog != nil {
			s.Viewer = s.Reblog.Viewer
		}
	}
	return nil
}

// hydrateAccounts returns the accounts for refs, in order, skipping missing ones.
func (svc *Service) hydrateAccounts(ctx context.Context, q Tx, ids []int64) ([]*Account, error) {
	byID, err := q.Accounts(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]*Account, 0, len(ids))
	for _, id := range ids {
		if a, ok := byID[id]; ok {
			out = append(out, a)
		}
	}
	return out, nil
}

func keys(m map[int64]bool) []int64 {
	out := make([]int64, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
