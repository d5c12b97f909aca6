package mastodon_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"starling"
	"starling/mastodon"
	"starling/sqldb/sqldbtest"
)

// wsMessage is a message of the WebSocket stream.
type wsMessage struct {
	Stream  []string `json:"stream"`
	Event   string   `json:"event"`
	Payload string   `json:"payload"`
	Error   string   `json:"error"`
	Status  int      `json:"status"`
}

// mustWebSocket opens /api/v1/streaming with the token sent as the
// WebSocket protocol, as browser clients do.
func (ts *testServer) mustWebSocket(t *testing.T, token, query string) *websocket.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	u := strings.Replace(ts.URL, "http://", "ws://", 1) + "/api/v1/streaming?" + query
	conn, res, err := websocket.Dial(ctx, u, &websocket.DialOptions{Subprotocols: []string{token}})
	if err != nil {
		t.Fatalf("dial %s: %v", u, err)
	}
	if got := res.Header.Get("Sec-WebSocket-Protocol"); got != token {
		t.Errorf("handshake protocol %q; the token must be echoed back", got)
	}
	t.Cleanup(func() { conn.CloseNow() })
	return conn
}

// next reads the next message, failing after timeout.
func nextWS(t *testing.T, conn *websocket.Conn, timeout time.Duration) wsMessage {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	_, data, err := conn.Read(ctx)
	if err != nil {
		t.Fatalf("no message within %v: %v", timeout, err)
	}
	var m wsMessage
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("message %s: %v", data, err)
	}
	return m
}

// sseStream is a server-sent events client.
type sseStream struct {
	events chan sseEvent
	close  func()
}

type sseEvent struct{ name, data string }

func (ts *testServer) mustSSE(t *testing.T, path, token string) *sseStream {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", ts.URL+path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		cancel()
		t.Fatalf("GET %s: %d %s", path, res.StatusCode, res.Header.Get("Content-Type"))
	}
	s := &sseStream{events: make(chan sseEvent, 1024), close: cancel}
	go func() {
		defer res.Body.Close()
		defer close(s.events)
		sc := bufio.NewScanner(res.Body)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		var ev sseEvent
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				ev.name = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				ev.data = strings.TrimPrefix(line, "data: ")
			case line == "" && ev.name != "":
				s.events <- ev
				ev = sseEvent{}
			}
		}
	}()
	t.Cleanup(cancel)
	return s
}

func (s *sseStream) next(t *testing.T, timeout time.Duration) sseEvent {
	t.Helper()
	select {
	case ev, ok := <-s.events:
		if !ok {
			t.Fatal("stream ended")
		}
		return ev
	case <-time.After(timeout):
		t.Fatalf("no event within %v", timeout)
	}
	return sseEvent{}
}

func TestStreamingUserWebSocket(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ts := MustServer(t, engine)
		alice, bob, carol := ts.MustUser(t, "alice"), ts.MustUser(t, "bob"), ts.MustUser(t, "carol")
		ts.MustCall(t, post("/api/v1/accounts/"+bob.ID()+"/follow", alice.Token, nil), http.StatusOK, nil)

		aliceWS := ts.mustWebSocket(t, alice.Token, "stream=user")
		// carol does not follow bob: her user stream must never carry his
		// followers-only post; her public stream shows his public one.
		carolWS := ts.mustWebSocket(t, carol.Token, "stream=user")
		sub, _ := json.Marshal(map[string]string{"type": "subscribe", "stream": "public"})
		if err := carolWS.Write(context.Background(), websocket.MessageText, sub); err != nil {
			t.Fatal(err)
		}
		time.Sleep(100 * time.Millisecond) // the subscription is taken before the posts

		start := time.Now()
		private := ts.MustPost(t, bob.Token, url.Values{"status": {"for my followers"}, "visibility": {"private"}})
		m := nextWS(t, aliceWS, time.Second)
		if m.Event != "update" || len(m.Stream) != 1 || m.Stream[0] != "user" {
			t.Fatalf("alice got %+v", m)
		}
		var s mastodon.Status
		if err := json.Unmarshal([]byte(m.Payload), &s); err != nil || s.ID != private.ID || s.Account.Acct != "bob" {
			t.Fatalf("payload %s (%v)", m.Payload, err)
		}
		t.Logf("%s: post accepted to event received on a follower's stream: %v", engine, time.Since(start))

		public := ts.MustPost(t, bob.Token, url.Values{"status": {"for everyone"}})
		m = nextWS(t, carolWS, time.Second)
		if m.Event != "update" || m.Stream[0] != "public" || !strings.Contains(m.Payload, public.ID) {
			t.Fatalf("carol's first message is %+v; want bob's public post on the public stream (never the private one)", m)
		}

		// Notifications reach the user stream; deletes too.
		ts.MustCall(t, post("/api/v1/statuses/"+public.ID+"/favourite", carol.Token, nil), http.StatusOK, nil)
		bobWS := ts.mustWebSocket(t, bob.Token, "stream=user")
		time.Sleep(100 * time.Millisecond)
		ts.MustCall(t, post("/api/v1/statuses/"+public.ID+"/reblog", alice.Token, nil), http.StatusOK, nil)
		for {
			m = nextWS(t, bobWS, time.Second)
			if m.Event == "notification" {
				break
			}
		}
		var n mastodon.Notification
		if err := json.Unmarshal([]byte(m.Payload), &n); err != nil || n.Type != "reblog" || n.Account.Acct != "alice" {
			t.Fatalf("notification %s (%v)", m.Payload, err)
		}
		m = nextWS(t, aliceWS, time.Second) // bob's public post
		m = nextWS(t, aliceWS, time.Second) // alice's own reblog
		if m.Event != "update" {
			t.Fatalf("alice got %+v", m)
		}
		ts.MustCall(t, request{method: "DELETE", path: "/api/v1/statuses/" + private.ID, token: bob.Token}, http.StatusOK, nil)
		m = nextWS(t, aliceWS, time.Second)
		if m.Event != "delete" || m.Payload != private.ID {
			t.Fatalf("alice got %+v; want delete of %s", m, private.ID)
		}

		// Unknown streams and missing tokens are refused with a message.
		bad, _ := json.Marshal(map[string]string{"type": "subscribe", "stream": "nonsense"})
		if err := aliceWS.Write(context.Background(), websocket.MessageText, bad); err != nil {
			t.Fatal(err)
		}
		if m := nextWS(t, aliceWS, time.Second); m.Error == "" || m.Status != http.StatusBadRequest {
			t.Fatalf("unknown stream: %+v", m)
		}
	})
}

func TestStreamingSSE(t *testing.T) {
	ts := MustServer(t, "sqlite")
	alice, bob := ts.MustUser(t, "alice"), ts.MustUser(t, "bob")

	// A hashtag stream needs no token: it shows public posts only.
	tag := ts.mustSSE(t, "/api/v1/streaming/hashtag?tag=AdassSpring", "")
	local := ts.mustSSE(t, "/api/v1/streaming/public/local", "")
	user := ts.mustSSE(t, "/api/v1/streaming/user", alice.Token)
	time.Sleep(100 * time.Millisecond)

	ts.MustPost(t, bob.Token, url.Values{"status": {"unlisted #adassspring"}, "visibility": {"unlisted"}})
	start := time.Now()
	p := ts.MustPost(t, bob.Token, url.Values{"status": {"Day one #adassspring"}})
	ev := tag.next(t, time.Second)
	if ev.name != "update" || !strings.Contains(ev.data, `"id":"`+p.ID+`"`) {
		t.Fatalf("hashtag stream: %+v; want the public post first (not the unlisted one)", ev)
	}
	t.Logf("hashtag post accepted to event received: %v", time.Since(start))
	if ev := local.next(t, time.Second); !strings.Contains(ev.data, p.ID) {
		t.Fatalf("public:local: %+v", ev)
	}
	ts.MustCall(t, request{method: "DELETE", path: "/api/v1/statuses/" + p.ID, token: bob.Token}, http.StatusOK, nil)
	if ev := tag.next(t, time.Second); ev.name != "delete" || ev.data != p.ID {
		t.Fatalf("hashtag stream after delete: %+v", ev)
	}

	// alice's own post arrives on her user stream, and so does its edit.
	mine := ts.MustPost(t, alice.Token, url.Values{"status": {"hello"}})
	if ev := user.next(t, time.Second); ev.name != "update" || !strings.Contains(ev.data, mine.ID) {
		t.Fatalf("user stream: %+v", ev)
	}
	ts.MustCall(t, request{method: "PUT", path: "/api/v1/statuses/" + mine.ID, token: alice.Token, form: url.Values{"status": {"hello, edited"}}}, http.StatusOK, nil)
	if ev := user.next(t, time.Second); ev.name != "status.update" || !strings.Contains(ev.data, "hello, edited") {
		t.Fatalf("user stream after an edit: %+v", ev)
	}

	// Notifications alone, on their own stream.
	notes := ts.mustSSE(t, "/api/v1/streaming/user/notification", alice.Token)
	time.Sleep(100 * time.Millisecond)
	ts.MustPost(t, bob.Token, url.Values{"status": {"@alice see you at the panel"}})
	ts.MustCall(t, post("/api/v1/statuses/"+mine.ID+"/favourite", bob.Token, nil), http.StatusOK, nil)
	for _, want := range []string{`"type":"mention"`, `"type":"favourite"`} {
		if ev := notes.next(t, time.Second); ev.name != "notification" || !strings.Contains(ev.data, want) {
			t.Fatalf("notification stream: %+v; want %s", ev, want)
		}
	}

	for _, c := range []struct {
		path, token string
		status      int
	}{
		{"/api/v1/streaming/user", "", http.StatusUnauthorized},
		{"/api/v1/streaming/user", "not-a-token", http.StatusUnauthorized},
		{"/api/v1/streaming/hashtag", "", http.StatusBadRequest},
		{"/api/v1/streaming/nonsense", alice.Token, http.StatusBadRequest},
		{"/api/v1/streaming/list?list=123", alice.Token, http.StatusNotFound},
	} {
		ts.MustError(t, request{method: "GET", path: c.path, token: c.token}, c.status)
	}
	res := ts.MustDo(t, get("/api/v1/streaming/health", ""))
	if res.Status != 200 || string(res.Body) != "OK" {
		t.Fatalf("health: %d %q", res.Status, res.Body)
	}
	var inst struct {
		Configuration struct {
			URLs struct{ Streaming string } `json:"urls"`
		} `json:"configuration"`
	}
	ts.MustCall(t, get("/api/v2/instance", ""), http.StatusOK, &inst)
	if inst.Configuration.URLs.Streaming != "ws://"+ts.Host {
		t.Errorf("streaming URL %q", inst.Configuration.URLs.Streaming)
	}
}

// TestStreamingSlowReader: a client that stops reading is cut off and
// never holds up the others.
func TestStreamingSlowReader(t *testing.T) {
	ts := MustServer(t, "sqlite")
	alice := ts.MustUser(t, "alice")

	// The slow reader: sends the request, then never reads.
	raw, err := net.Dial("tcp", ts.Host)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	fmt.Fprintf(raw, "GET /api/v1/streaming/public HTTP/1.1\r\nHost: %s\r\n\r\n", ts.Host)
	fast := ts.mustSSE(t, "/api/v1/streaming/public", "")
	time.Sleep(100 * time.Millisecond)

	// Publish straight to the events service, faster than any post could
	// be made, with a large payload so socket buffers fill up; in rounds
	// the fast reader keeps up with, while the slow one reads nothing.
	a, _ := ts.Svc.Account(context.Background(), alice.Account.ID)
	big := strings.Repeat("word ", 1500)
	const n, round = 3000, 100
	var publishing time.Duration
	start := time.Now()
	for i := range n {
		s := &starling.Status{ID: int64(1000 + i), AccountID: a.ID, Account: a, Visibility: starling.VisibilityPublic,
			Content: "<p>" + big + "</p>", Text: big, CreatedAt: time.Now()}
		t0 := time.Now()
		ts.Svc.Events().Publish(&starling.Event{Kind: starling.EventUpdate, Topics: []string{starling.TopicPublic}, Status: s, At: time.Now()})
		publishing += time.Since(t0)
		if (i+1)%round == 0 {
			for k := i + 1 - round; k <= i; k++ {
				ev := fast.next(t, 5*time.Second)
				if !strings.Contains(ev.data, fmt.Sprintf(`"id":"%d"`, 1000+k)) {
					t.Fatalf("event %d: %.60s", k, ev.data)
				}
			}
		}
	}
	t.Logf("%d events of %d KB: publishing took %v in all, the fast reader had them all after %v", n, len(big)/1024, publishing, time.Since(start))
	if publishing > 2*time.Second {
		t.Errorf("publishing took %v: it waited for the slow reader", publishing)
	}
	// The slow reader was dropped: its stream ends (the last chunk of the
	// response arrives) once it reads what was already on its way.
	_ = raw.SetReadDeadline(time.Now().Add(10 * time.Second))
	buf := make([]byte, 1<<20)
	var tail []byte
	for !strings.HasSuffix(string(tail), "\r\n0\r\n\r\n") {
		k, err := raw.Read(buf)
		if err != nil {
			if ne, ok := err.(net.Error); ok && ne.Timeout() {
				t.Fatal("the slow reader's stream never ended")
			}
			break // closed: ended too
		}
		tail = append(tail, buf[:k]...)
		if len(tail) > 16 {
			tail = tail[len(tail)-16:]
		}
	}
}

func TestStreamingLimits(t *testing.T) {
	ts := MustServer(t, "sqlite")
	alice := ts.MustUser(t, "alice")
	for range mastodon.DefaultMaxStreamsPerToken {
		ts.mustSSE(t, "/api/v1/streaming/user", alice.Token)
	}
	msg := ts.MustError(t, request{method: "GET", path: "/api/v1/streaming/user", token: alice.Token}, http.StatusTooManyRequests)
	if !strings.Contains(msg, "Too many open streams") {
		t.Errorf("error %q", msg)
	}
	// Another token is not affected.
	ts.mustSSE(t, "/api/v1/streaming/user", ts.MustUser(t, "bob").Token)
}

// TestStreamingEndsOnSignOut: suspending a member closes the streams their
// tokens opened, WebSocket and server-sent events alike, public ones too;
// others' streams stay open.
func TestStreamingEndsOnSignOut(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		ts := MustServer(t, engine)
		bob, ann, mod := ts.MustUser(t, "bob"), ts.MustUser(t, "ann"), ts.MustUser(t, "mod")
		mustSetRole(t, ts, mod.Account.ID, starling.RoleModerator)
		ws := ts.mustWebSocket(t, bob.Token, "stream=public")
		sse := ts.mustSSE(t, "/api/v1/streaming/user", bob.Token)
		annWS := ts.mustWebSocket(t, ann.Token, "stream=public")
		time.Sleep(100 * time.Millisecond) // the subscriptions are in place

		if _, err := ts.Svc.ActOnAccount(ctx, mod.Account, bob.Account.ID, starling.AccountAction{Type: starling.ActionSuspend, Text: "Spam"}); err != nil {
			t.Fatal(err)
		}
		rctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		if _, _, err := ws.Read(rctx); websocket.CloseStatus(err) != websocket.StatusPolicyViolation {
			t.Errorf("bob's WebSocket after his suspension: %v, want closed as signed out", err)
		}
		select {
		case _, open := <-sse.events:
			if open {
				t.Error("bob's event stream sent an event after his suspension")
			}
		case <-time.After(5 * time.Second):
			t.Error("bob's event stream is still open after his suspension")
		}
		ts.MustPostText(t, ann.Token, "Still here")
		if m := nextWS(t, annWS, 5*time.Second); m.Event != "update" {
			t.Errorf("ann's stream: %+v, want her post", m)
		}
	})
}
