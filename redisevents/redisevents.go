// Package redisevents carries starling.Events between servers over Redis
// pub/sub, so a post made on one app server reaches streams open on
// another. Each server keeps its streams in an in-process events.Hub;
// Redis only moves events between hubs. Every event, the server's own
// included, goes through Redis, so all servers see one order.
package redisevents

import (
	"context"
	"encoding/json"
	"log/slog"
	"time"

	"github.com/redis/go-redis/v9"

	"starling"
	"starling/events"
)

// Events implements starling.Events over Redis.
type Events struct {
	rdb     *redis.Client
	channel string
	local   *events.Hub
	pubsub  *redis.PubSub
	done    chan struct{}
}

var _ starling.Events = (*Events)(nil)

// New subscribes to the events of all servers sharing rdb and prefix
// (servers of one community share a prefix; tests use their own) and
// returns once the subscription is in place.
func New(ctx context.Context, rdb *redis.Client, prefix string) (*Events, error) {
	e := &Events{rdb: rdb, channel: prefix + "events", local: events.NewHub(0), done: make(chan struct{})}
	e.pubsub = rdb.Subscribe(ctx, e.channel)
	if _, err := e.pubsub.Receive(ctx); err != nil { // the subscription confirmed
		e.pubsub.Close()
		return nil, err
	}
	go e.receive()
	return e, nil
}

// Publish implements starling.Events: it sends ev to every server. It does
// not wait for any stream; if Redis is unreachable the live update is lost
// (logged), never the change itself, which is already stored.
func (e *Events) Publish(ev *starling.Event) {
	msg, err := json.Marshal(toWire(ev))
	if err != nil {
		slog.Error("events: encode", "err", err)
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := e.rdb.Publish(ctx, e.channel, msg).Err(); err != nil {
		slog.Error("events: publish to redis", "err", err)
	}
}

// Subscribe implements starling.Events: streams subscribe to this server's hub.
func (e *Events) Subscribe(topics ...string) starling.Subscription {
	return e.local.Subscribe(topics...)
}

// Close stops receiving and ends every stream of this server.
func (e *Events) Close() {
	e.pubsub.Close()
	<-e.done
	e.local.Close()
}

// receive hands every event from Redis to this server's streams.
func (e *Events) receive() {
	defer close(e.done)
	for msg := range e.pubsub.Channel() {
		var w wireEvent
		if err := json.Unmarshal([]byte(msg.Payload), &w); err != nil {
			slog.Error("events: decode from redis", "err", err)
			continue
		}
		e.local.Publish(w.event())
	}
}

// wireEvent is an event as it travels: the event's exported fields, with
// nothing secret (applications lose all but their name and website).
type wireEvent struct {
	Kind         starling.EventKind
	Topics       []string
	At           time.Time
	Status       *starling.Status       `json:",omitempty"`
	Notification *starling.Notification `json:",omitempty"`
	AccountID    int64                  `json:",omitempty"`
	TargetID     int64                  `json:",omitempty"`
	Tag          string                 `json:",omitempty"`
	MuteNotes    bool                   `json:",omitempty"`
	Filters      []*starling.Filter     `json:",omitempty"`
}

func toWire(ev *starling.Event) wireEvent {
	w := wireEvent{Kind: ev.Kind, Topics: ev.Topics, At: ev.At, Notification: ev.Notification, AccountID: ev.AccountID, TargetID: ev.TargetID, Tag: ev.Tag, MuteNotes: ev.MuteNotifications, Filters: ev.Filters}
	if ev.Status != nil {
		w.Status = publicStatus(ev.Status)
	}
	if n := ev.Notification; n != nil && n.Status != nil {
		c := *n
		c.Status = publicStatus(n.Status)
		w.Notification = &c
	}
	return w
}

// publicStatus copies s without its application's secrets.
func publicStatus(s *starling.Status) *starling.Status {
	c := *s
	if s.Application != nil {
		c.Application = &starling.Application{ID: s.Application.ID, Name: s.Application.Name, Website: s.Application.Website}
	}
	if s.Reblog != nil {
		c.Reblog = publicStatus(s.Reblog)
	}
	return &c
}

func (w wireEvent) event() *starling.Event {
	return &starling.Event{Kind: w.Kind, Topics: w.Topics, At: w.At, Status: w.Status, Notification: w.Notification,
		AccountID: w.AccountID, TargetID: w.TargetID, Tag: w.Tag, MuteNotifications: w.MuteNotes, Filters: w.Filters}
}
