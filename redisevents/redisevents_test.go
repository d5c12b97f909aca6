package redisevents

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"starling"
)

// RedisEnv names the variable with the Redis URL tests use; .ci/run sets it.
const RedisEnv = "STARLING_TEST_REDIS_URL"

// mustRedis connects to the test Redis, or skips saying how to run the test.
func mustRedis(t *testing.T) *redis.Client {
	t.Helper()
	u := os.Getenv(RedisEnv)
	if u == "" {
		t.Skipf("Redis tests skipped: set %s (e.g. redis://127.0.0.1:6379/0)", RedisEnv)
	}
	opts, err := redis.ParseURL(u)
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(opts)
	t.Cleanup(func() { rdb.Close() })
	if err := rdb.Ping(context.Background()).Err(); err != nil {
		t.Fatalf("Redis at %s: %v", u, err)
	}
	return rdb
}

// prefix is a fresh key prefix, so runs never see each other's events.
func prefix() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return "starling-test-" + hex.EncodeToString(b[:]) + ":"
}

// TestEventsCrossServers: an event published on one server reaches a
// stream subscribed on another, whole, and without the application's secret.
func TestEventsCrossServers(t *testing.T) {
	rdb := mustRedis(t)
	ctx := context.Background()
	p := prefix()
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
	other, err := New(ctx, rdb, prefix()) // another community on the same Redis
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
