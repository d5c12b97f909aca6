package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"

	"starling"
)

// batcher gives SQLite group commit. SQLite has one writer, and with
// synchronous=FULL every commit waits for an fsync, so writes one at a time
// top out at a few hundred a second. The batcher runs Updates that arrive
// while a commit is in flight in one transaction, each in its own savepoint:
// an fn that fails is rolled back to its savepoint alone; the rest commit
// together with one fsync, and all of them return only after it.
type batcher struct {
	db   *DB
	reqs chan *writeReq
	wg   sync.WaitGroup
	quit chan struct{}
}

type writeReq struct {
	ctx  context.Context
	fn   func(starling.Tx) error
	done chan error
}

// maxBatch bounds a batch, so one commit's latency stays bounded too.
const maxBatch = 64

func newBatcher(db *DB) *batcher {
	b := &batcher{db: db, reqs: make(chan *writeReq), quit: make(chan struct{})}
	b.wg.Add(1)
	go b.loop()
	return b
}

func (b *batcher) update(ctx context.Context, fn func(starling.Tx) error) error {
	req := &writeReq{ctx: ctx, fn: fn, done: make(chan error, 1)}
	select {
	case b.reqs <- req:
	case <-ctx.Done():
		return ctx.Err()
	case <-b.quit:
		return fmt.Errorf("database is closed")
	}
	// Once handed over the request runs to the end, so a cancelled caller
	// never leaves a write whose outcome it cannot know.
	return <-req.done
}

func (b *batcher) stop() {
	close(b.quit)
	b.wg.Wait()
}

func (b *batcher) loop() {
	defer b.wg.Done()
	for {
		var first *writeReq
		select {
		case first = <-b.reqs:
		case <-b.quit:
			return
		}
		batch := []*writeReq{first}
	collect:
		for len(batch) < maxBatch {
			select {
			case r := <-b.reqs:
				batch = append(batch, r)
			default:
				break collect
			}
		}
		b.run(batch)
	}
}

// run executes a batch in one transaction and tells each request its outcome.
func (b *batcher) run(batch []*writeReq) {
	start := time.Now()
	errs := make([]error, len(batch))
	// The transaction outlives any one request, so it must not use a request's context.
	tx, err := b.db.write.BeginTx(context.Background(), nil)
	if err != nil {
		b.finish(batch, errs, fmt.Errorf("begin: %w", err), start)
		return
	}
	touch := &touched{}
	q := b.db.txQueries(tx, touch)
	for i, r := range batch {
		var batchErr error
		if errs[i], batchErr = b.runOne(tx, q, r); batchErr != nil {
			tx.Rollback()
			b.db.evicted(touch)
			b.finish(batch, errs, batchErr, start)
			return
		}
	}
	err = tx.Commit()
	if err != nil {
		tx.Rollback()
		err = fmt.Errorf("commit: %w", err)
	}
	// Evict after the commit, so no read caches the old rows again, and
	// before answering, so each writer reads its own writes.
	b.db.evicted(touch)
	b.finish(batch, errs, err, start)
}

// runOne runs one request inside a savepoint of the batch's transaction. It
// returns the request's error, and a batch error if the transaction can no
// longer be trusted (a savepoint could not be undone).
func (b *batcher) runOne(tx *sql.Tx, q *queries, r *writeReq) (reqErr, batchErr error) {
	if err := r.ctx.Err(); err != nil {
		return err, nil // the caller gave up while waiting: do not start its write
	}
	ctx := context.Background()
	if _, err := tx.ExecContext(ctx, "SAVEPOINT write_request"); err != nil {
		return nil, fmt.Errorf("savepoint: %w", err)
	}
	reqErr = callSafely(r.fn, q)
	if reqErr != nil {
		if _, err := tx.ExecContext(ctx, "ROLLBACK TO write_request"); err != nil {
			return reqErr, fmt.Errorf("rollback to savepoint: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, "RELEASE write_request"); err != nil {
		return reqErr, fmt.Errorf("release savepoint: %w", err)
	}
	return reqErr, nil
}

// callSafely runs fn, turning a panic into an error: the batch runs on its own
// goroutine, where a panic would end the process rather than one request.
func callSafely(fn func(starling.Tx) error, q *queries) (err error) {
	defer func() {
		if v := recover(); v != nil {
			slog.Error("panic in a write", "panic", v, "stack", string(debug.Stack()))
			err = fmt.Errorf("panic in write: %v", v)
		}
	}()
	return fn(q)
}

func (b *batcher) finish(batch []*writeReq, errs []error, batchErr error, start time.Time) {
	b.db.observeTx(start, batchErr) // before answering: once answered, callers may change the observer
	for i, r := range batch {
		err := errs[i]
		if batchErr != nil && err == nil {
			err = batchErr // nothing of this batch was committed
		}
		r.done <- err
	}
}
