package starling

import (
	"context"
	"log/slog"
	"time"
)

// updateFilters runs fn, a change to viewer's filters, in one transaction
// and then tells viewer's open streams (a filters_changed event carrying
// all of viewer's filters), so they apply the change without reconnecting.
// A failure to publish loses only the live update: the change is stored.
func (svc *Service) updateFilters(ctx context.Context, viewer *Account, fn func(tx Tx) error) error {
	if err := svc.store.Update(ctx, fn); err != nil {
		return err
	}
	if svc.events == nil {
		return nil
	}
	filters, err := svc.store.Filters(ctx, viewer.ID)
	if err != nil {
		slog.ErrorContext(ctx, "publish: read filters", "err", err)
		return nil
	}
	svc.events.Publish(&Event{Kind: EventFiltersChanged, Topics: []string{TopicAccount(viewer.ID)}, At: time.Now(),
		AccountID: viewer.ID, Filters: filters})
	return nil
}
