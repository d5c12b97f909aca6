package sqldb

import (
	"database/sql"
	"log/slog"
	"sync"
	"time"
)

// checkpointer copies SQLite's write-ahead log back into the database file
// every checkpointEvery, off the writer's path. A PASSIVE checkpoint never
// waits for readers or writers: it copies what it can, and the log is reused
// from its start once everything in it has been copied.
type checkpointer struct {
	db   *sql.DB
	quit chan struct{}
	wg   sync.WaitGroup
}

const checkpointEvery = time.Second

func startCheckpointer(db *sql.DB) *checkpointer {
	c := &checkpointer{db: db, quit: make(chan struct{})}
	c.wg.Add(1)
	go c.loop()
	return c
}

func (c *checkpointer) loop() {
	defer c.wg.Done()
	t := time.NewTicker(checkpointEvery)
	defer t.Stop()
	for {
		select {
		case <-c.quit:
			return
		case <-t.C:
			c.checkpoint()
		}
	}
}

func (c *checkpointer) checkpoint() {
	var busy, frames, copied int
	if err := c.db.QueryRow(`PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &frames, &copied); err != nil {
		slog.Warn("checkpoint failed", "err", err)
	}
}

// stop ends the loop and runs a last checkpoint, so a clean shutdown leaves
// the database file complete.
func (c *checkpointer) stop() {
	close(c.quit)
	c.wg.Wait()
	c.checkpoint()
}
