package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"starling/sqldb/sqldbtest"
)

// TestTwoServersShareStreams runs two servers on one PostgreSQL database and
// one Redis: a post made on the first reaches a hashtag stream open on the
// second.
func TestTwoServersShareStreams(t *testing.T) {
	redisURL := os.Getenv("STARLING_TEST_REDIS_URL")
	if redisURL == "" {
		t.Skip("Redis tests skipped: set STARLING_TEST_REDIS_URL (e.g. redis://127.0.0.1:6379/0)")
	}
	dsn := sqldbtest.MustDSN(t, "postgres")
	var b [6]byte
	_, _ = rand.Read(b[:])
	shared := []string{"--db", dsn, "--redis", redisURL, "--redis-prefix", "starling-test-" + hex.EncodeToString(b[:]) + ":"}
	one, data := MustRunMain(t, shared...)
	two, _ := MustRunMain(t, shared...)
	token := MustCreateAccount(t, data, "ann", "--db", dsn)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", two+"/api/v1/streaming/hashtag?tag=adassspring", nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("stream on server two: %v %v", res, err)
	}
	defer res.Body.Close()
	events := make(chan string, 8)
	go func() {
		sc := bufio.NewScanner(res.Body)
		for sc.Scan() {
			if data, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
				events <- data
			}
		}
	}()
	time.Sleep(200 * time.Millisecond)

	start := time.Now()
	posted := MustPostForm(t, one+"/api/v1/statuses", token, url.Values{"status": {"Posted on server one #adassspring"}})
	select {
	case data := <-events:
		if !strings.Contains(data, `"id":"`+posted["id"]+`"`) {
			t.Fatalf("server two streamed %.100s", data)
		}
		t.Logf("post on server one to event on server two: %v", time.Since(start))
	case <-time.After(time.Second):
		t.Fatal("the post did not reach server two's stream within 1 s")
	}
}
