package loadtest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
)

// Stream kinds: how the stream benchmark connects.
const (
	StreamWebSocket = "ws"  // GET /api/v1/streaming?stream=hashtag&tag=… upgraded to a WebSocket
	StreamSSE       = "sse" // GET /api/v1/streaming/hashtag?tag=… as server-sent events
)

// arrival is one update event a connection received: the status's id and
// when the event's last byte had been read.
type arrival struct {
	id string
	at time.Time
}

// streamConn is one open stream. Its reader goroutine owns events and
// heartbeats until it returns; they are read only after that.
type streamConn struct {
	events     []arrival
	heartbeats int   // SSE comments (":thump"); WebSocket pings are answered inside the library and not seen
	err        error // why the stream ended, if it ended before the benchmark closed it
}

// streamDialer opens streams of one kind to one hashtag.
type streamDialer struct {
	kind      string
	url       string // the stream's URL (ws:// or http://)
	http      *http.Client
	userAgent string
	received  *atomic.Int64 // update events received on all connections
	stopping  *atomic.Bool  // set when the benchmark closes the streams: errors after it are not failures
}

func newStreamDialer(kind, baseURL, tag, userAgent string, received *atomic.Int64, stopping *atomic.Bool) (*streamDialer, error) {
	base, err := url.Parse(strings.TrimRight(baseURL, "/"))
	if err != nil {
		return nil, err
	}
	q := url.Values{"tag": {tag}}
	u := *base
	switch kind {
	case StreamWebSocket:
		q.Set("stream", "hashtag")
		u.Scheme = map[string]string{"http": "ws", "https": "wss"}[base.Scheme]
		u.Path += "/api/v1/streaming"
	case StreamSSE:
		u.Path += "/api/v1/streaming/hashtag"
	default:
		return nil, fmt.Errorf("unknown stream kind %q", kind)
	}
	u.RawQuery = q.Encode()
	// Connections are never reused: each stream holds its own until the end.
	t := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConnsPerHost:   -1,
		DisableCompression:    true, // events must not wait in a gzip buffer
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: 30 * time.Second,
	}
	return &streamDialer{kind: kind, url: u.String(), http: &http.Client{Transport: t}, userAgent: userAgent,
		received: received, stopping: stopping}, nil
}

// open connects one stream and returns once the server has accepted it:
// for server-sent events the server subscribes before it answers; for a
// WebSocket it subscribes just after the handshake, which is why the
// benchmark waits for a warm-up post before measuring. The stream is read on
// a new goroutine until ctx ends; done is called when it returns.
func (d *streamDialer) open(ctx, dialCtx context.Context, done func()) (*streamConn, error) {
	c := &streamConn{}
	switch d.kind {
	case StreamWebSocket:
		h := http.Header{}
		if d.userAgent != "" {
			h.Set("User-Agent", d.userAgent)
		}
		conn, resp, err := websocket.Dial(dialCtx, d.url, &websocket.DialOptions{HTTPClient: d.http, HTTPHeader: h})
		if err != nil {
			if resp != nil && resp.StatusCode != http.StatusSwitchingProtocols {
				return nil, &StatusError{Method: "GET", Path: "/api/v1/streaming", Code: resp.StatusCode, Body: err.Error()}
			}
			return nil, err
		}
		conn.SetReadLimit(1 << 20)
		// Reads wait without a context, which would cost a timer and a
		// callback per message: the connection is closed to end them.
		stop := context.AfterFunc(ctx, func() { _ = conn.CloseNow() })
		go func() {
			defer done()
			defer stop()
			defer conn.CloseNow()
			d.readWebSocket(conn, c)
		}()
	case StreamSSE:
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, d.url, nil)
		if err != nil {
			return nil, err
		}
		req.Header.Set("Accept", "text/event-stream")
		req.Header.Set("Cache-Control", "no-store")
		if d.userAgent != "" {
			req.Header.Set("User-Agent", d.userAgent)
		}
		// The request lives as long as ctx; the transport bounds the wait for the answer.
		resp, err := d.http.Do(req)
		if err != nil {
			return nil, err
		}
		if resp.StatusCode != http.StatusOK {
			var b [300]byte
			n, _ := resp.Body.Read(b[:])
			resp.Body.Close()
			return nil, &StatusError{Method: "GET", Path: "/api/v1/streaming/hashtag", Code: resp.StatusCode, Body: string(b[:n])}
		}
		go func() {
			defer done()
			defer resp.Body.Close()
			d.readSSE(resp, c)
		}()
	}
	return c, nil
}

func (d *streamDialer) fail(c *streamConn, err error) {
	if !d.stopping.Load() {
		c.err = err
	}
}

func (d *streamDialer) readWebSocket(conn *websocket.Conn, c *streamConn) {
	buf := make([]byte, 0, 4096) // reused: one message at a time
	for {
		// Reading answers the server's pings on the way.
		_, r, err := conn.Reader(context.Background())
		if err == nil {
			buf, err = readAll(r, buf[:0])
		}
		if err != nil {
			d.fail(c, err)
			return
		}
		at := time.Now()
		if id, ok := wsUpdateID(buf); ok {
			c.events = append(c.events, arrival{id: id, at: at})
			d.received.Add(1)
		}
	}
}

// readAll appends what r holds to buf.
func readAll(r io.Reader, buf []byte) ([]byte, error) {
	for {
		if len(buf) == cap(buf) {
			buf = slices.Grow(buf, cap(buf))
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

func (d *streamDialer) readSSE(resp *http.Response, c *streamConn) {
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	var event string
	for sc.Scan() {
		line := sc.Bytes()
		switch {
		case len(line) == 0:
			event = ""
		case line[0] == ':':
			if string(line) != ":)" { // Starling's greeting, not a heartbeat
				c.heartbeats++
			}
		case bytes.HasPrefix(line, []byte("event:")):
			event = string(bytes.TrimSpace(line[len("event:"):]))
		case bytes.HasPrefix(line, []byte("data:")) && event == "update":
			// Mastodon-compatible servers send an event's JSON on one data line.
			at := time.Now()
			if id, ok := statusID(bytes.TrimPrefix(line[len("data:"):], []byte(" "))); ok {
				c.events = append(c.events, arrival{id: id, at: at})
				d.received.Add(1)
			}
		}
	}
	err := sc.Err()
	if err == nil {
		err = fmt.Errorf("the server ended the stream")
	}
	d.fail(c, err)
}

// statusID returns the id of a Status entity in JSON. It reads only the
// start when the entity begins with its id, as Mastodon's and Starling's do,
// so that a client receiving thousands of events a second spends its CPU on
// reading them, not parsing them; otherwise it decodes the whole entity.
func statusID(payload []byte) (string, bool) {
	const prefix = `{"id":"`
	if rest, ok := bytes.CutPrefix(payload, []byte(prefix)); ok {
		if end := bytes.IndexAny(rest, `"\`); end > 0 && rest[end] == '"' {
			return string(rest[:end]), true
		}
	}
	var s struct {
		ID string `json:"id"`
	}
	if json.Unmarshal(payload, &s) != nil || s.ID == "" {
		return "", false
	}
	return s.ID, true
}

// wsUpdateID returns the status id of a WebSocket message carrying an
// update event: {"stream":[…],"event":"update","payload":"{\"id\":\"…\",…}"}.
// Like statusID it looks only at the start when it can.
func wsUpdateID(msg []byte) (string, bool) {
	if i := bytes.Index(msg, []byte(`"event":"`)); i >= 0 {
		rest := msg[i+len(`"event":"`):]
		if !bytes.HasPrefix(rest, []byte(`update"`)) {
			if bytes.IndexByte(rest, '"') > 0 { // another event, plainly written
				return "", false
			}
		} else if j := bytes.Index(rest, []byte(`"payload":"{\"id\":\"`)); j >= 0 {
			id := rest[j+len(`"payload":"{\"id\":\"`):]
			if end := bytes.IndexAny(id, `"\`); end > 0 && bytes.HasPrefix(id[end:], []byte(`\"`)) {
				return string(id[:end]), true
			}
		}
	}
	var m struct {
		Event   string `json:"event"`
		Payload string `json:"payload"`
	}
	if json.Unmarshal(msg, &m) != nil || m.Event != "update" {
		return "", false
	}
	return statusID([]byte(m.Payload))
}
