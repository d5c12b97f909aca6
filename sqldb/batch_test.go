package sqldb_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"starling"
	"starling/sqldb/sqldbtest"
)

// TestConcurrentUpdates runs many writes at once, as group commit batches
// them: each one's outcome must be its own. A failing or panicking write
// leaves nothing behind; the others in its batch commit.
func TestConcurrentUpdates(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		f := newFixture(t, engine)
		var ids []int64
		for i := 0; i < 60; i++ {
			ids = append(ids, f.id())
		}
		errBoom := errors.New("boom")
		errs := make([]error, len(ids))
		var wg sync.WaitGroup
		for i, id := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = f.db.Update(ctx, func(tx starling.Tx) error {
					a := &starling.Account{ID: id, Username: fmt.Sprintf("u%d", i), CreatedAt: f.now, UpdatedAt: f.now}
					if err := tx.CreateAccount(ctx, a, nil); err != nil {
						return err
					}
					switch i % 10 {
					case 3:
						return errBoom // after writing: the write must be undone
					case 7:
						if engine == "sqlite" { // only the batcher turns panics into errors; elsewhere they reach the caller
							panic("a bug in a use case")
						}
					}
					return nil
				})
			}()
		}
		wg.Wait()
		for i, id := range ids {
			_, err := f.db.Account(ctx, id)
			switch i % 10 {
			case 3:
				if !errors.Is(errs[i], errBoom) || starling.ErrorCode(err) != starling.ENOTFOUND {
					t.Errorf("write %d failed with %v, and its account: %v; want boom and not found", i, errs[i], err)
				}
			case 7:
				if engine != "sqlite" {
					continue
				}
				if errs[i] == nil || starling.ErrorCode(err) != starling.ENOTFOUND {
					t.Errorf("panicking write %d returned %v, and its account: %v", i, errs[i], err)
				}
			default:
				if errs[i] != nil || err != nil {
					t.Errorf("write %d: %v; account: %v", i, errs[i], err)
				}
			}
		}
	})
}

func TestUpdateCancelledBeforeStart(t *testing.T) {
	f := newFixture(t, "sqlite")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ran := false
	err := f.db.Update(ctx, func(tx starling.Tx) error { ran = true; return nil })
	if !errors.Is(err, context.Canceled) || ran {
		t.Fatalf("Update with a cancelled context: err %v, ran %v; want Canceled and not run", err, ran)
	}
}
