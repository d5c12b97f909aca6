package starling

import (
	"sync"
	"time"
)

// EventKind says what happened.
type EventKind string

const (
	EventUpdate       EventKind = "update"        // a status was posted (or reblogged)
	EventDelete       EventKind = "delete"        // a status was deleted
	EventStatusUpdate EventKind = "status.update" // a status was edited
	EventNotification EventKind = "notification"  // an account was notified
	EventFollow       EventKind = "follow"        // AccountID began following TargetID
	EventUnfollow     EventKind = "unfollow"      // AccountID stopped following TargetID
	EventFollowTag    EventKind = "tag.follow"    // AccountID began following the hashtag Tag
	EventUnfollowTag  EventKind = "tag.unfollow"  // AccountID stopped following the hashtag Tag
	EventBlock        EventKind = "block"         // AccountID blocked TargetID
	EventUnblock      EventKind = "unblock"       // AccountID lifted its block of TargetID
	EventMute         EventKind = "mute"          // AccountID muted TargetID (MuteNotifications: its notifications too)
	EventUnmute       EventKind = "unmute"        // AccountID's mute of TargetID ended
	// EventFiltersChanged: AccountID created, changed or deleted a filter;
	// Filters holds all of its filters as they are now.
	EventFiltersChanged EventKind = "filters_changed"
	// EventSignedOut: every token of AccountID was revoked (suspended,
	// sign-in disabled, deleted, second factor reset); streams opened with
	// them close, since a revoked token is only checked when a stream opens.
	EventSignedOut EventKind = "signed_out"
)

// Event is something that happened which open streams may have to show. The
// service publishes events after the transaction that made them commits, so
// a stream never shows what a crash could undo.
type Event struct {
	Kind   EventKind
	Topics []string  // where it is published; see the Topic functions
	At     time.Time // when it was published

	// For update, delete and status.update: the status, hydrated without a
	// viewer (counts, author, mentions, the original of a reblog). A deleted
	// status is as it was just before.
	Status *Status
	// For notification: the notification, hydrated, and its recipient.
	Notification *Notification
	// For follow and unfollow: who follows whom.
	AccountID, TargetID int64
	// For tag.follow and tag.unfollow: the hashtag (AccountID follows it).
	Tag string
	// For mute: whether the mute hides notifications too.
	MuteNotifications bool
	// For filters_changed: the account's filters, with their keywords and statuses.
	Filters []*Filter

	rendered sync.Map // format → []byte, for consumers that render once for all
}

// Rendered returns the event rendered by render, calling it at most once
// per format however many streams send the event.
func (e *Event) Rendered(format string, render func() []byte) []byte {
	if v, ok := e.rendered.Load(format); ok {
		return v.([]byte)
	}
	v, _ := e.rendered.LoadOrStore(format, render())
	return v.([]byte)
}

// Topics events are published on. A stream subscribes to the topics it
// needs and filters what arrives for its viewer.
const (
	TopicPublic      = "public"       // public statuses, and deletes of them
	TopicPublicLocal = "public:local" // the same, by local accounts
	TopicHome        = "home"         // every status event: home and list streams filter by whom they follow
)

// TopicTag is where public statuses with a hashtag are published.
func TopicTag(name string) string { return "tag:" + name }

// TopicTagLocal is TopicTag for statuses by local accounts.
func TopicTagLocal(name string) string { return "tag:local:" + name }

// TopicAccount is where an account's notifications and follow changes are published.
func TopicAccount(id int64) string { return "account:" + FormatID(id) }

// Events carries events from the service to open streams. An in-process
// implementation serves one server; a shared one (Redis) serves several.
type Events interface {
	// Publish sends ev to the subscribers of its topics. It never blocks on
	// a slow subscriber.
	Publish(ev *Event)
	// Subscribe returns a subscription to topics.
	Subscribe(topics ...string) Subscription
}

// Subscription receives the events of some topics.
type Subscription interface {
	// C delivers the events. It is closed when the subscription ends:
	// by Close, or because the subscriber fell too far behind.
	C() <-chan *Event
	// Add and Remove change the topics (a WebSocket subscribes and
	// unsubscribes as it goes).
	Add(topics ...string)
	Remove(topics ...string)
	// Dropped reports whether the subscription ended because its reader
	// was too slow.
	Dropped() bool
	Close()
}

// statusTopics lists where an event about s is published.
func statusTopics(s *Status) []string {
	topics := []string{TopicHome}
	shown := s
	if s.Reblog != nil {
		shown = s.Reblog
	}
	// Public and hashtag timelines list original public statuses only.
	if s.Visibility == VisibilityPublic && s.ReblogOfID == 0 {
		local := shown.Account == nil || shown.Account.Domain == ""
		topics = append(topics, TopicPublic)
		if local {
			topics = append(topics, TopicPublicLocal)
		}
		for _, t := range s.Tags {
			topics = append(topics, TopicTag(t))
			if local {
				topics = append(topics, TopicTagLocal(t))
			}
		}
	}
	return topics
}
