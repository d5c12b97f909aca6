package dbcopy

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// tableRun is the state of one table's copy; copyAll's mutex guards it.
type tableRun struct {
	t           *table
	rep         *TableReport
	started     bool
	readDone    bool
	finished    bool
	outstanding int   // batches handed to writers and not yet written
	written     int64 // rows written (or deferred)
	direct      bool  // COPY straight into the table rather than through the staging table
	start       time.Time
}

// copyAll copies every table. A reader goroutine per table turns its rows
// into batches, and one writer per connection writes whichever batch comes
// next, of any table, so even a single big table keeps every connection
// busy. A table is read only once the tables it refers to are written in
// full, so its foreign keys find their rows; tables caught in a cycle of
// foreign keys start when nothing else can (their early rows wait in
// c.pending).
func (c *copier) copyAll(ctx context.Context, tables []*table) ([]TableReport, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	reports := make([]TableReport, len(tables))
	runs := make([]*tableRun, len(tables))
	byName := map[string]*tableRun{}
	for i, t := range tables {
		reports[i] = TableReport{Name: t.name}
		for _, col := range t.cols {
			if col.kind == kindOther {
				reports[i].Unchecked = append(reports[i].Unchecked, col.name)
			}
		}
		// A table empty in PostgreSQL takes COPY straight in; one holding an
		// earlier run's rows goes through the staging table and ON CONFLICT.
		direct := t.destEmpty && len(reports[i].Unchecked) == 0
		runs[i] = &tableRun{t: t, rep: &reports[i], direct: direct}
		byName[t.name] = runs[i]
	}

	var (
		mu       sync.Mutex
		firstErr error
		readers  sync.WaitGroup
		writers  sync.WaitGroup
		work     = make(chan *batch, len(c.dsts))
		left     = len(tables)
	)
	fail := func(err error) { // with mu held
		if firstErr == nil {
			firstErr = err
			cancel()
		}
	}
	progress := func(r *tableRun) { // with mu held
		if c.o.Progress != nil {
			c.o.Progress(Progress{Table: r.t.name, Rows: r.written, Total: r.t.total, Took: time.Since(r.start), Done: r.finished, Direct: r.direct})
		}
	}
	var startReady func()
	finishIfDone := func(r *tableRun) { // with mu held
		if r.finished || !r.readDone || r.outstanding > 0 {
			return
		}
		r.finished = true
		r.rep.Source = r.t.sourceRows
		r.rep.Took = time.Since(r.start)
		progress(r)
		if left--; left == 0 {
			close(work)
			return
		}
		startReady()
	}
	startRead := func(r *tableRun) { // with mu held
		r.started, r.start = true, time.Now()
		readers.Add(1)
		go func() {
			defer readers.Done()
			err := c.read(ctx, r.t, func(b *batch) error {
				mu.Lock()
				r.outstanding++
				mu.Unlock()
				select {
				case work <- b:
					return nil
				case <-ctx.Done():
					return ctx.Err()
				}
			})
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				fail(fmt.Errorf("copy %s: %w", r.t.name, err))
				return
			}
			r.readDone = true
			finishIfDone(r)
		}()
	}
	startReady = func() { // with mu held
		running := false
		for _, r := range runs {
			if r.started {
				running = running || !r.finished
				continue
			}
			ready := true
			for _, ref := range r.t.refs {
				if d, ok := byName[ref]; ok && !d.finished {
					ready = false
				}
			}
			if ready {
				startRead(r)
				running = true
			}
		}
		if !running { // a cycle: take the first table left, in foreign-key order
			for _, r := range runs {
				if !r.started {
					startRead(r)
					break
				}
			}
		}
	}

	for _, conn := range c.dsts {
		writers.Add(1)
		go func() {
			defer writers.Done()
			staged := map[string]bool{} // staging tables made on this connection
			for {
				var b *batch
				select {
				case b = <-work:
				case <-ctx.Done():
					return
				}
				if b == nil {
					return // all tables done
				}
				r := byName[b.t.name]
				mu.Lock()
				direct := r.direct
				mu.Unlock()
				n, err := c.write(ctx, conn, b, direct, staged)
				mu.Lock()
				if errors.Is(err, errNotDirect) {
					// The source holds rows PostgreSQL deems duplicates (its
					// unique rules differ): go on the safe way; the
					// verification tells.
					r.direct = false
					mu.Unlock()
					n, err = c.write(ctx, conn, b, false, staged)
					mu.Lock()
				}
				if err != nil {
					fail(fmt.Errorf("copy %s: %w", b.t.name, err))
				} else {
					r.outstanding--
					r.written += int64(len(b.rows))
					r.rep.Inserted += n
					if !r.finished && r.readDone && r.outstanding == 0 {
						finishIfDone(r)
					} else {
						progress(r)
					}
				}
				mu.Unlock()
			}
		}()
	}
	mu.Lock()
	startReady()
	mu.Unlock()
	writers.Wait()
	cancel() // writers stop only when all is done or on an error: release the readers
	readers.Wait()
	return reports, firstErr
}

// errNotDirect says a batch cannot be copied straight into its table.
var errNotDirect = errors.New("unique violation copying straight in")

// write writes one batch, directly or through the staging table, and
// returns the rows added. A batch whose foreign keys point at rows not yet
// there waits in c.pending.
func (c *copier) write(ctx context.Context, conn *pgx.Conn, b *batch, direct bool, staged map[string]bool) (int64, error) {
	var n int64
	var err error
	if direct {
		n, err = insertDirect(ctx, conn, b)
		if isUniqueViolation(err) {
			return 0, errNotDirect
		}
	} else {
		if !staged[b.t.name] {
			if err := createStage(ctx, conn, b.t); err != nil {
				return 0, err
			}
			staged[b.t.name] = true
		}
		n, err = insertStaged(ctx, conn, b)
	}
	if isForeignKeyViolation(err) {
		c.mu.Lock()
		c.pending = append(c.pending, b)
		c.mu.Unlock()
		return 0, nil
	}
	return n, err
}

// verifyAll verifies every table, one per connection at a time.
func (c *copier) verifyAll(ctx context.Context, tables []*table, reports []TableReport) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	next := make(chan int)
	errs := make(chan error, len(c.dsts))
	for _, conn := range c.dsts {
		go func() {
			for i := range next {
				if err := c.verify(ctx, conn, tables[i], &reports[i]); err != nil {
					errs <- fmt.Errorf("verify %s: %w", tables[i].name, err)
					cancel()
					for range next { // drain
					}
					return
				}
			}
			errs <- nil
		}()
	}
	for i := range tables {
		select {
		case next <- i:
		case <-ctx.Done():
		}
	}
	close(next)
	var first error
	for range c.dsts {
		if err := <-errs; err != nil && first == nil {
			first = err
		}
	}
	return first
}
