// Package events is the in-process implementation of starling.Events: the
// service publishes, open streams subscribe, and a subscriber that falls
// behind is dropped rather than allowed to hold anyone up.
package events

import (
	"log/slog"
	"sync"

	"starling"
)

// DefaultBuffer is how many events a subscriber may fall behind before it
// is dropped: enough for a burst at a busy conference hall, small enough
// that a stalled connection costs little.
const DefaultBuffer = 256

// Hub routes events to subscriptions by topic.
type Hub struct {
	buffer int

	mu     sync.RWMutex
	topics map[string]map[*sub]struct{}
}

// NewHub returns a hub whose subscribers may fall buffer events behind
// (DefaultBuffer if buffer <= 0).
func NewHub(buffer int) *Hub {
	if buffer <= 0 {
		buffer = DefaultBuffer
	}
	return &Hub{buffer: buffer, topics: map[string]map[*sub]struct{}{}}
}

var _ starling.Events = (*Hub)(nil)

// Publish implements starling.Events. It sends ev once to every subscriber
// of any of its topics, without waiting: a subscriber whose buffer is full
// is dropped.
func (h *Hub) Publish(ev *starling.Event) {
	var slow []*sub
	h.mu.RLock()
	var sent map[*sub]bool // only needed when a subscriber may be on two of the topics
	if len(ev.Topics) > 1 {
		sent = map[*sub]bool{}
	}
	for _, t := range ev.Topics {
		for s := range h.topics[t] {
			if sent != nil {
				if sent[s] {
					continue
				}
				sent[s] = true
			}
			if !s.offer(ev) {
				slow = append(slow, s)
			}
		}
	}
	h.mu.RUnlock()
	for _, s := range slow {
		slog.Warn("stream dropped: its reader fell behind", "buffered", h.buffer)
		s.end(true)
	}
}

// Subscribe implements starling.Events.
func (h *Hub) Subscribe(topics ...string) starling.Subscription {
	s := &sub{hub: h, ch: make(chan *starling.Event, h.buffer), topics: map[string]bool{}}
	s.Add(topics...)
	return s
}

// Close ends every subscription, as on shutdown: their streams close and
// their clients reconnect. Publishing after Close reaches no one.
func (h *Hub) Close() {
	h.mu.RLock()
	var all []*sub
	seen := map[*sub]bool{}
	for _, m := range h.topics {
		for s := range m {
			if !seen[s] {
				seen[s] = true
				all = append(all, s)
			}
		}
	}
	h.mu.RUnlock()
	for _, s := range all {
		s.end(false)
	}
}

// Idle reports whether no one is subscribed to anything, so publishers
// may skip the work of preparing events.
func (h *Hub) Idle() bool {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return len(h.topics) == 0
}

// Subscribers counts the open subscriptions to a topic.
func (h *Hub) Subscribers(topic string) int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return len(h.topics[topic])
}

type sub struct {
	hub *Hub
	ch  chan *starling.Event

	mu      sync.Mutex // guards topics, closed and sends on ch
	topics  map[string]bool
	closed  bool
	dropped bool
}

func (s *sub) C() <-chan *starling.Event { return s.ch }

// offer hands ev to the subscriber if there is room; false if it is full.
func (s *sub) offer(ev *starling.Event) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return true
	}
	select {
	case s.ch <- ev:
		return true
	default:
		return false
	}
}

func (s *sub) Add(topics ...string) {
	s.hub.mu.Lock()
	defer s.hub.mu.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	for _, t := range topics {
		s.topics[t] = true
		m := s.hub.topics[t]
		if m == nil {
			m = map[*sub]struct{}{}
			s.hub.topics[t] = m
		}
		m[s] = struct{}{}
	}
}

func (s *sub) Remove(topics ...string) {
	s.hub.mu.Lock()
	defer s.hub.mu.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range topics {
		delete(s.topics, t)
		s.hub.unlink(t, s)
	}
}

func (s *sub) Dropped() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.dropped
}

func (s *sub) Close() { s.end(false) }

// end unsubscribes from every topic and closes the channel, once.
func (s *sub) end(dropped bool) {
	s.hub.mu.Lock()
	defer s.hub.mu.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	s.closed, s.dropped = true, dropped
	for t := range s.topics {
		s.hub.unlink(t, s)
	}
	close(s.ch)
}

// unlink removes s from topic t; the caller holds h.mu.
func (h *Hub) unlink(t string, s *sub) {
	if m := h.topics[t]; m != nil {
		delete(m, s)
		if len(m) == 0 {
			delete(h.topics, t)
		}
	}
}
