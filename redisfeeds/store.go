package redisfeeds

import (
	"context"
	"encoding/json"
	"time"

	"starling"
)

// Store is the database with its home and list feeds moved to Redis: reads
// of feeds go to Redis, and every feed write inside a transaction becomes a
// job that updates Redis once the transaction commits.
type Store struct {
	starling.Store
	feeds *Feeds
}

// Wrap returns db with its feeds kept in f.
func (f *Feeds) Wrap(db starling.Store) *Store { return &Store{Store: db, feeds: f} }

// inlineJobBudget bounds how long a request waits for the feed jobs of its
// own change.
const inlineJobBudget = time.Second

// Update runs fn in a transaction whose feed writes become jobs, then runs
// those jobs here at once, so a member sees their own post on the next read.
func (s *Store) Update(ctx context.Context, fn func(tx starling.Tx) error) error {
	var t *tx
	err := s.Store.Update(ctx, func(inner starling.Tx) error {
		t = &tx{Tx: inner, feeds: s.feeds} // a retried transaction starts again
		return fn(t)
	})
	if err == nil && t != nil && len(t.jobs) > 0 {
		// A second at most: if Redis is slow or down, the change is
		// acknowledged anyway and the worker retries the jobs later.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), inlineJobBudget)
		defer cancel()
		s.feeds.worker.RunLeased(ctx, t.jobs)
	}
	return err
}

// HomeTimeline implements starling.FeedStore from Redis.
func (s *Store) HomeTimeline(ctx context.Context, accountID int64, p starling.Page) ([]int64, error) {
	return s.feeds.HomeTimeline(ctx, accountID, p)
}

// ListTimeline implements starling.FeedStore from Redis.
func (s *Store) ListTimeline(ctx context.Context, listID int64, p starling.Page) ([]int64, error) {
	return s.feeds.ListTimeline(ctx, listID, p)
}

// tx turns feed writes into jobs.
type tx struct {
	starling.Tx
	feeds *Feeds
	jobs  []*starling.Job
}

func (t *tx) enqueue(ctx context.Context, kind string, args any) error {
	b, err := json.Marshal(args)
	if err != nil {
		return err
	}
	j, err := t.feeds.worker.Enqueue(ctx, t.Tx, kind, b)
	if err != nil {
		return err
	}
	t.jobs = append(t.jobs, j)
	return nil
}

func (t *tx) FanOut(ctx context.Context, s *starling.Status, scope starling.FanOutScope) error {
	return t.enqueue(ctx, jobFanOut, fanOutArgs{Status: s.ID, ActiveSince: scope.ActiveSince.UnixMilli(), AuthorOnly: scope.AuthorOnly})
}

func (t *tx) DeleteStatus(ctx context.Context, s *starling.Status) error {
	if err := t.Tx.DeleteStatus(ctx, s); err != nil {
		return err
	}
	e := entryOf(s)
	return t.enqueue(ctx, jobUnfanOut, unfanOutArgs{Status: e.id, Origin: e.origin, Author: e.author})
}

func (t *tx) RebuildHome(ctx context.Context, accountID int64, _ int) error {
	return t.enqueue(ctx, jobForget, forgetArgs{Home: accountID})
}

func (t *tx) AddToHome(ctx context.Context, accountID, authorID int64, limit int) error {
	return t.enqueue(ctx, jobHomeAdd, pairArgs{Feed: accountID, Author: authorID, Limit: limit})
}

func (t *tx) RemoveFromHome(ctx context.Context, accountID, authorID int64) error {
	return t.enqueue(ctx, jobHomeRemove, pairArgs{Feed: accountID, Author: authorID})
}

func (t *tx) AddToList(ctx context.Context, listID, memberID int64, limit int) error {
	return t.enqueue(ctx, jobListAdd, pairArgs{Feed: listID, Author: memberID, Limit: limit})
}

func (t *tx) RemoveFromList(ctx context.Context, listID, memberID int64) error {
	return t.enqueue(ctx, jobListRemove, pairArgs{Feed: listID, Author: memberID})
}

func (t *tx) CreateList(ctx context.Context, l *starling.List) error {
	if err := t.Tx.CreateList(ctx, l); err != nil {
		return err
	}
	return t.enqueue(ctx, jobListNew, forgetArgs{List: l.ID})
}

func (t *tx) DeleteList(ctx context.Context, listID int64) error {
	if err := t.Tx.DeleteList(ctx, listID); err != nil {
		return err
	}
	return t.enqueue(ctx, jobForget, forgetArgs{List: listID})
}

func (t *tx) HomeTimeline(ctx context.Context, accountID int64, p starling.Page) ([]int64, error) {
	return t.feeds.HomeTimeline(ctx, accountID, p)
}

func (t *tx) ListTimeline(ctx context.Context, listID int64, p starling.Page) ([]int64, error) {
	return t.feeds.ListTimeline(ctx, listID, p)
}
