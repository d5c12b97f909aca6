package sqldb

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"starling"
)

// TestCheckpointerKeepsLogSmall writes the same amount twice with a pause
// between: with the log copied back in the background during the pause,
// the second batch reuses the log file instead of doubling it.
func TestCheckpointerKeepsLogSmall(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := Open(ctx, "", dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var ids starling.IDGenerator
	write := func(round int) {
		for i := 0; i < 200; i++ {
			err := db.Update(ctx, func(tx starling.Tx) error {
				now := time.Now()
				a := &starling.Account{ID: ids.Next(now), Username: fmt.Sprintf("u%d_%d", round, i), Note: string(make([]byte, 2000)), CreatedAt: now, UpdatedAt: now}
				return tx.CreateAccount(ctx, a, nil)
			})
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	walSize := func() int64 {
		fi, err := os.Stat(filepath.Join(dir, "starling.db-wal"))
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	write(1)
	first := walSize()
	time.Sleep(checkpointEvery + 500*time.Millisecond)
	write(2)
	second := walSize()
	if second > first*3/2 {
		t.Fatalf("log grew from %d to %d bytes across a checkpoint interval; want it reused", first, second)
	}
	t.Logf("log file %d bytes after the first round, %d after the second", first, second)
}
