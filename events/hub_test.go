package events

import (
	"sync"
	"testing"
	"time"

	"starling"
)

func TestHubRoutesByTopic(t *testing.T) {
	h := NewHub(8)
	tag := h.Subscribe(starling.TopicTag("adassspring"))
	both := h.Subscribe(starling.TopicTag("adassspring"), starling.TopicPublic)
	other := h.Subscribe(starling.TopicTag("dementia"))
	defer other.Close()

	ev := &starling.Event{Kind: starling.EventUpdate, Topics: []string{starling.TopicPublic, starling.TopicTag("adassspring")}}
	h.Publish(ev)
	if got := <-tag.C(); got != ev {
		t.Fatal("tag subscriber did not get the event")
	}
	if got := <-both.C(); got != ev {
		t.Fatal("subscriber of two topics did not get the event")
	}
	select {
	case <-both.C():
		t.Fatal("a subscriber of two of the event's topics got it twice")
	case <-other.C():
		t.Fatal("another tag's subscriber got the event")
	default:
	}

	tag.Remove(starling.TopicTag("adassspring"))
	h.Publish(ev)
	select {
	case <-tag.C():
		t.Fatal("got an event after unsubscribing")
	default:
	}
	tag.Close()
	if _, open := <-tag.C(); open {
		t.Fatal("channel open after Close")
	}
	both.Close()
	if n := h.Subscribers(starling.TopicPublic); n != 0 {
		t.Fatalf("%d subscribers left on a topic after Close", n)
	}
}

// TestSlowSubscriberIsDropped: a reader that stops reading is cut off once
// its buffer fills, and publishing never waits for it.
func TestSlowSubscriberIsDropped(t *testing.T) {
	h := NewHub(4)
	slow := h.Subscribe("t")
	fast := h.Subscribe("t")
	var got int
	var wg sync.WaitGroup
	wg.Go(func() {
		for range fast.C() {
			got++
		}
	})
	start := time.Now()
	for range 1000 {
		h.Publish(&starling.Event{Topics: []string{"t"}})
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("publishing 1,000 events took %v: it waited for the slow reader", d)
	}
	n := 0
	for range slow.C() {
		n++
	}
	if !slow.Dropped() || n != 4 {
		t.Fatalf("slow subscriber: dropped %v after %d events; want dropped after its buffer of 4", slow.Dropped(), n)
	}
	fast.Close()
	wg.Wait()
	if got == 0 {
		t.Fatal("the fast reader got nothing")
	}
	if fast.Dropped() {
		t.Log("the fast reader was dropped too (it fell behind on this machine)")
	}
}

func TestCloseEndsEverySubscription(t *testing.T) {
	h := NewHub(4)
	a, b := h.Subscribe("x", "y"), h.Subscribe("y")
	h.Close()
	for _, s := range []starling.Subscription{a, b} {
		if _, open := <-s.C(); open || s.Dropped() {
			t.Fatalf("after Close: open %v, dropped %v; want closed, not dropped", open, s.Dropped())
		}
	}
	h.Publish(&starling.Event{Topics: []string{"x", "y"}}) // reaches no one, and does not panic
	if n := h.Subscribers("y"); n != 0 {
		t.Fatalf("%d subscribers after Close", n)
	}
}
