package redisevents

import (
	"context"
	"testing"
	"time"

	"starling"
	"starling/internal/redistest"
)

// TestEventsCrossServers: an event published on one server reaches a
// stream subscribed on another, whole, and without the application's secret.
func TestEventsCrossServers(t *testing.T) {
	rdb := redistest.MustRedis(t)
	ctx := context.Background()
	p := redistest.Prefix(t, rdb)
	one, err := New(ctx, rdb, p)
	if err != nil {
		t.Fatal(err)
	}
	defer one.Close()
	two, err := New(ctx, rdb, p)
	if err != nil {
		t.Fatal(err)
	}
	defer two.Close()
	other, err := New(ctx, rdb, redistest.Prefix(t, rdb)) // another community on the same Redis
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()

	onTwo := two.Subscribe(starling.TopicTag("adassspring"))
	onOther := other.Subscribe(starling.TopicTag("adassspring"))
	author := &starling.Account{ID: 7, Username: "ann", DisplayName: "Ann", Fields: []starling.Field{{Name: "Role", Value: "Social worker"}}}
	s := &starling.Status{ID: 42, AccountID: 7, Account: author, Content: "<p>Hello #adassspring</p>", Visibility: starling.VisibilityPublic,
		Tags: []string{"adassspring"}, CreatedAt: time.Now().UTC().Truncate(time.Millisecond),
		Application: &starling.Application{ID: 3, Name: "Web", ClientSecretHash: "secret-hash"}}
	start := time.Now()
	one.Publish(&starling.Event{Kind: starling.EventUpdate, Topics: []string{starling.TopicPublic, starling.TopicTag("adassspring")}, Status: s, At: time.Now()})

	select {
	case ev := <-onTwo.C():
		t.Logf("server one to server two through Redis: %v", time.Since(start))
		got := ev.Status
		if ev.Kind != starling.EventUpdate || got.ID != 42 || got.Account.Username != "ann" || got.Account.Fields[0].Value != "Social worker" ||
			got.Content != s.Content || !got.CreatedAt.Equal(s.CreatedAt) {
			t.Fatalf("arrived as %+v", got)
		}
		if got.Application == nil || got.Application.Name != "Web" || got.Application.ClientSecretHash != "" {
			t.Fatalf("application arrived as %+v; want its name without its secret", got.Application)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("the event did not reach the other server within 2 s")
	}
	select {
	case ev := <-onOther.C():
		t.Fatalf("another prefix got %+v", ev)
	case <-time.After(200 * time.Millisecond):
	}
}

// TestTagFollowCrossServers: a member follows a hashtag through one server
// while their home stream is open on another; the stream learns the tag.
// Filter changes travel the same way, with the filters in the event.
func TestTagFollowCrossServers(t *testing.T) {
	rdb := redistest.MustRedis(t)
	ctx := context.Background()
	p := redistest.Prefix(t, rdb)
	one, err := New(ctx, rdb, p)
	if err != nil {
		t.Fatal(err)
	}
	defer one.Close()
	two, err := New(ctx, rdb, p)
	if err != nil {
		t.Fatal(err)
	}
	defer two.Close()
	sub := two.Subscribe(starling.TopicAccount(7))
	one.Publish(&starling.Event{Kind: starling.EventFollowTag, Topics: []string{starling.TopicAccount(7)}, AccountID: 7, Tag: "carersweek", At: time.Now()})
	select {
	case ev := <-sub.C():
		if ev.Kind != starling.EventFollowTag || ev.AccountID != 7 || ev.Tag != "carersweek" {
			t.Fatalf("arrived as %+v", ev)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("the event did not reach the other server within 2 s")
	}
	// A filters_changed event carries the account's filters, so streams on
	// the other server apply them without reading the database.
	filters := []*starling.Filter{{ID: 3, AccountID: 7, Title: "Telly", Context: []starling.FilterContext{starling.FilterHome}, Action: starling.FilterWarn,
		Keywords: []*starling.FilterKeyword{{ID: 4, FilterID: 3, Keyword: "finale", WholeWord: true}}}}
	one.Publish(&starling.Event{Kind: starling.EventFiltersChanged, Topics: []string{starling.TopicAccount(7)}, AccountID: 7, Filters: filters, At: time.Now()})
	select {
	case ev := <-sub.C():
		if ev.Kind != starling.EventFiltersChanged || len(ev.Filters) != 1 || ev.Filters[0].Title != "Telly" || len(ev.Filters[0].Keywords) != 1 ||
			ev.Filters[0].Keywords[0].Keyword != "finale" || !ev.Filters[0].Keywords[0].WholeWord || ev.Filters[0].Context[0] != starling.FilterHome {
			t.Fatalf("arrived as %+v", ev)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("the filters did not reach the other server within 2 s")
	}
}
