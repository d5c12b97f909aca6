// Package rediscaches keeps the row caches of several app servers in step.
// Each server caches statuses and accounts it reads for a short time; when
// one server changes rows, it tells the others over Redis pub/sub to forget
// them, so an edit, a deletion or a new favourite count shows on every
// server at once rather than after the cache's lifetime.
package rediscaches

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"time"

	"github.com/redis/go-redis/v9"

	"starling/sqldb"
)

// Sync publishes this server's evictions and applies the others'.
type Sync struct {
	rdb     *redis.Client
	channel string
	origin  string // this server, so it skips its own messages
	db      *sqldb.DB
	pubsub  *redis.PubSub
	done    chan struct{}
}

type message struct {
	Origin string `json:"o"`
	sqldb.Evictions
}

// Start subscribes db to the evictions of every server sharing rdb and
// prefix, and has db publish its own. Close stops it.
func Start(ctx context.Context, rdb *redis.Client, prefix string, db *sqldb.DB) (*Sync, error) {
	var b [8]byte
	_, _ = rand.Read(b[:])
	s := &Sync{rdb: rdb, channel: prefix + "evict", origin: hex.EncodeToString(b[:]), db: db, done: make(chan struct{})}
	s.pubsub = rdb.Subscribe(ctx, s.channel)
	if _, err := s.pubsub.Receive(ctx); err != nil {
		s.pubsub.Close()
		return nil, err
	}
	go s.receive()
	db.OnEvict(s.publish)
	return s, nil
}

// publish tells the other servers; if Redis cannot be reached they see the
// change when their cached rows expire (two seconds).
func (s *Sync) publish(e sqldb.Evictions) {
	msg, err := json.Marshal(message{Origin: s.origin, Evictions: e})
	if err != nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	if err := s.rdb.Publish(ctx, s.channel, msg).Err(); err != nil {
		slog.Warn("caches: publish eviction", "err", err)
	}
}

func (s *Sync) receive() {
	defer close(s.done)
	for m := range s.pubsub.Channel() {
		var msg message
		if err := json.Unmarshal([]byte(m.Payload), &msg); err != nil || msg.Origin == s.origin {
			continue
		}
		s.db.Evict(msg.Evictions)
	}
}

// Close stops publishing and receiving.
func (s *Sync) Close() {
	s.db.OnEvict(nil)
	s.pubsub.Close()
	<-s.done
}
