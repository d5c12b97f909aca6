package mastodon

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"

	"starling"
	"starling/server"
)

// StreamOptions configures the streaming API.
type StreamOptions struct {
	MaxPerToken int           // open streams one access token may hold; 0 for DefaultMaxStreamsPerToken
	MaxTotal    int           // open streams the server holds; 0 for DefaultMaxStreams
	Heartbeat   time.Duration // how often an idle stream sends something, for proxies; 0 for 15 s
}

// Streaming defaults: a member has the web pages and an app or two open;
// a conference hall's wall and phones are a few thousand.
const (
	DefaultMaxStreamsPerToken = 20
	DefaultMaxStreams         = 20000
)

// streamLimits counts open streams.
type streamLimits struct {
	opts    StreamOptions
	mu      sync.Mutex
	total   int
	byToken map[int64]int
}

func newStreamLimits(o StreamOptions) *streamLimits {
	if o.MaxPerToken <= 0 {
		o.MaxPerToken = DefaultMaxStreamsPerToken
	}
	if o.MaxTotal <= 0 {
		o.MaxTotal = DefaultMaxStreams
	}
	if o.Heartbeat <= 0 {
		o.Heartbeat = 15 * time.Second
	}
	return &streamLimits{opts: o, byToken: map[int64]int{}}
}

// acquire takes a stream for token (0 when signed out), or says why not.
func (l *streamLimits) acquire(token int64) (release func(), err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.total >= l.opts.MaxTotal {
		return nil, starling.Errorf(starling.ERATELIMITED, "This server has too many open streams; try again later")
	}
	if token != 0 && l.byToken[token] >= l.opts.MaxPerToken {
		return nil, starling.Errorf(starling.ERATELIMITED, "Too many open streams for this access token (at most %d)", l.opts.MaxPerToken)
	}
	l.total++
	if token != 0 {
		l.byToken[token]++
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			l.mu.Lock()
			defer l.mu.Unlock()
			l.total--
			if token != 0 {
				if l.byToken[token]--; l.byToken[token] <= 0 {
					delete(l.byToken, token)
				}
			}
		})
	}, nil
}

// stream is one named stream a connection reads ("user", "hashtag" for a tag…).
type stream struct {
	name   []string // as sent back in the "stream" field: ["hashtag", "adassspring"]
	topics []string
	filter *starling.StreamFilter
	only   starling.EventKind // "" for all the filter shows
}

// openStream resolves a stream request for auth (nil when signed out).
func (h *handler) openStream(ctx context.Context, auth *starling.Auth, name, tag, list string) (*stream, error) {
	var viewer *starling.Account
	if auth != nil {
		viewer = auth.Account
	}
	needs := func(scopes ...string) error {
		if viewer == nil {
			return starling.Errorf(starling.EUNAUTHORIZED, "Error: Missing access token")
		}
		for _, s := range scopes {
			if auth.Allows(s) {
				return nil
			}
		}
		return starling.Errorf(starling.EFORBIDDEN, "Error: Access token does not have the required scopes")
	}
	tagName := func() (string, error) {
		t := strings.TrimPrefix(strings.TrimSpace(tag), "#")
		if t == "" {
			return "", starling.Errorf(starling.EBADREQUEST, "No tag for stream provided")
		}
		return h.svc.NormalizeTag(t), nil
	}
	switch name {
	case "user":
		if err := needs("read", "read:statuses"); err != nil {
			return nil, err
		}
		f, err := h.svc.HomeStreamFilter(ctx, viewer)
		if err != nil {
			return nil, err
		}
		return &stream{name: []string{"user"}, topics: []string{starling.TopicHome, starling.TopicAccount(viewer.ID)}, filter: f}, nil
	case "user:notification":
		if err := needs("read", "read:notifications"); err != nil {
			return nil, err
		}
		f, err := h.svc.ViewerStreamFilter(ctx, viewer, starling.FilterNotifications)
		if err != nil {
			return nil, err
		}
		return &stream{name: []string{name}, topics: []string{starling.TopicAccount(viewer.ID)}, filter: f, only: starling.EventNotification}, nil
	case "public", "public:local", "public:remote", "public:media", "public:local:media", "public:remote:media":
		var topics []string
		switch name {
		case "public":
			topics = []string{starling.TopicPublic}
		case "public:local":
			topics = []string{starling.TopicPublicLocal}
		} // no remote statuses before federation, no media before media
		f, err := h.svc.ViewerStreamFilter(ctx, viewer, starling.FilterPublic)
		if err != nil {
			return nil, err
		}
		return &stream{name: []string{name}, topics: topics, filter: f}, nil
	case "hashtag", "hashtag:local":
		t, err := tagName()
		if err != nil {
			return nil, err
		}
		topic := starling.TopicTag(t)
		if name == "hashtag:local" {
			topic = starling.TopicTagLocal(t)
		}
		f, err := h.svc.ViewerStreamFilter(ctx, viewer, starling.FilterPublic)
		if err != nil {
			return nil, err
		}
		return &stream{name: []string{name, t}, topics: []string{topic}, filter: f}, nil
	case "list":
		if err := needs("read", "read:lists"); err != nil {
			return nil, err
		}
		id, ok := starling.ParseID(list)
		if !ok {
			return nil, starling.Errorf(starling.EBADREQUEST, "No list for stream provided")
		}
		f, err := h.svc.ListStreamFilter(ctx, viewer, id)
		if err != nil {
			return nil, err
		}
		return &stream{name: []string{"list", list}, topics: []string{starling.TopicHome, starling.TopicAccount(viewer.ID)}, filter: f}, nil
	}
	return nil, starling.Errorf(starling.EBADREQUEST, "Unknown stream type")
}

// shows reports whether the stream sends ev.
func (s *stream) shows(ev *starling.Event) bool {
	if s.only != "" && ev.Kind != s.only {
		return false
	}
	for _, t := range ev.Topics {
		for _, mine := range s.topics {
			if t == mine {
				return s.filter.Shows(ev)
			}
		}
	}
	return false
}

// eventPayload is what Mastodon sends for an event on stream st: its name
// and its payload, a JSON document (an ID string for delete, nothing for
// filters_changed). A status one of the reader's filters matches is sent
// with its "filtered" field, as on REST reads, rendered for this reader
// alone (shared false); everything else is rendered once for all readers.
func (h *handler) eventPayload(ev *starling.Event, st *stream) (kind string, payload []byte, shared bool) {
	switch ev.Kind {
	case starling.EventUpdate, starling.EventStatusUpdate:
		if results := st.filter.Filtered(ev.Status); len(results) > 0 {
			return string(ev.Kind), mustJSON(h.filteredStatus(ev.Status, results)), false
		}
		return string(ev.Kind), ev.Rendered("mastodon", func() []byte {
			return mustJSON(h.renderer(context.Background()).status(ev.Status))
		}), true
	case starling.EventDelete:
		return "delete", []byte(starling.FormatID(ev.Status.ID)), true
	case starling.EventNotification:
		if n := ev.Notification; n.Status != nil {
			if results := st.filter.Filtered(n.Status); len(results) > 0 {
				out := h.renderer(context.Background()).notification(n)
				out.Status = h.filteredStatus(n.Status, results)
				return "notification", mustJSON(out), false
			}
		}
		return "notification", ev.Rendered("mastodon", func() []byte {
			return mustJSON(h.renderer(context.Background()).notification(ev.Notification))
		}), true
	case starling.EventFiltersChanged:
		return "filters_changed", nil, true
	}
	return "", nil, true
}

// filteredStatus renders s for a stream whose reader's filters match it
// (the original too, for a reblog), with the "filtered" field REST reads
// give; the streams render without a viewer, which would leave it out.
func (h *handler) filteredStatus(s *starling.Status, results []starling.FilterResult) *Status {
	out := h.renderer(context.Background()).status(s)
	out.Filtered = filterResults(results)
	if out.Reblog != nil {
		out.Reblog.Filtered = out.Filtered
	}
	return out
}

func mustJSON(v any) []byte {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(err) // entities always encode
	}
	return []byte(strings.TrimSuffix(b.String(), "\n"))
}

// streamAuth authenticates a stream request. Tokens come in the
// Authorization header, the access_token parameter, or (for browsers, which
// cannot set headers on a WebSocket) the Sec-WebSocket-Protocol header.
func (h *handler) streamAuth(r *http.Request) (auth *starling.Auth, protocol string, err error) {
	tok := bearerToken(r)
	if tok == "" {
		if p := strings.TrimSpace(strings.Split(r.Header.Get("Sec-WebSocket-Protocol"), ",")[0]); p != "" {
			tok, protocol = p, p
		}
	}
	if tok == "" {
		return nil, "", nil
	}
	auth, err = h.svc.Authenticate(r.Context(), tok)
	if err != nil {
		return nil, "", err
	}
	return auth, protocol, nil
}

// accountOf is the member a stream's auth belongs to, nil for none.
func accountOf(auth *starling.Auth) *starling.Account {
	if auth == nil {
		return nil
	}
	return auth.Account
}

func tokenID(auth *starling.Auth) int64 {
	if auth == nil || auth.Token == nil {
		return 0
	}
	return auth.Token.ID
}

// handleStreamingHealth answers GET /api/v1/streaming/health as Mastodon's does.
func (h *handler) handleStreamingHealth(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("OK"))
}

// handleSSE serves one stream as server-sent events:
// /api/v1/streaming/user, /public, /public/local, /hashtag?tag=, /list?list=…
func (h *handler) handleSSE(w http.ResponseWriter, r *http.Request) {
	events := h.svc.Events()
	if events == nil {
		server.WriteError(w, r, starling.Errorf(starling.EUNAVAILABLE, "Streaming is not available"))
		return
	}
	auth, _, err := h.streamAuth(r)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	name := strings.ReplaceAll(strings.Trim(strings.TrimPrefix(r.URL.Path, "/api/v1/streaming"), "/"), "/", ":")
	q := r.URL.Query()
	if name == "" {
		name = q.Get("stream")
	}
	st, err := h.openStream(r.Context(), auth, name, q.Get("tag"), q.Get("list"))
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	release, err := h.streams.acquire(tokenID(auth))
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	defer release()
	me := accountOf(auth)
	topics := st.topics
	if me != nil {
		topics = append(slices.Clip(topics), starling.TopicAccount(me.ID)) // to hear of a sign-out
	}
	sub := events.Subscribe(topics...)
	defer sub.Close()
	ctx, signOut := context.WithCancel(r.Context())
	defer signOut()

	server.ServeEvents(w, r.WithContext(ctx), sub, ":)\n\n", h.streams.opts.Heartbeat, func(ev *starling.Event) (string, []byte, bool) {
		if starling.SignedOut(ev, me) {
			signOut() // the stream ends: its token was revoked
		}
		if ctx.Err() != nil || !st.shows(ev) {
			return "", nil, false
		}
		kind, payload, _ := h.eventPayload(ev, st)
		return kind, payload, true
	})
}

// wsMessage is a message on a WebSocket, either way.
type wsMessage struct {
	Stream  []string `json:"stream,omitempty"`
	Event   string   `json:"event,omitempty"`
	Payload string   `json:"payload,omitempty"`
	// From the client:
	Type string `json:"type,omitempty"`
	Name string `json:"-"`
	Tag  string `json:"tag,omitempty"`
	List string `json:"list,omitempty"`
	// To the client, when a request fails:
	Error  string `json:"error,omitempty"`
	Status int    `json:"status,omitempty"`
}

// handleWebSocket serves /api/v1/streaming over WebSocket: streams named in
// the stream parameter, and more subscribed and unsubscribed with messages.
func (h *handler) handleWebSocket(w http.ResponseWriter, r *http.Request) {
	events := h.svc.Events()
	if events == nil {
		server.WriteError(w, r, starling.Errorf(starling.EUNAVAILABLE, "Streaming is not available"))
		return
	}
	if !strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
		h.handleSSE(w, r) // /api/v1/streaming?stream=… without an upgrade
		return
	}
	auth, protocol, err := h.streamAuth(r)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	q := r.URL.Query()
	var first *stream
	if name := q.Get("stream"); name != "" {
		if first, err = h.openStream(r.Context(), auth, name, q.Get("tag"), q.Get("list")); err != nil {
			server.WriteError(w, r, err)
			return
		}
	}
	release, err := h.streams.acquire(tokenID(auth))
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	defer release()
	opts := &websocket.AcceptOptions{OriginPatterns: []string{"*"}} // apps on any site; the token is the credential
	if protocol != "" {
		opts.Subprotocols = []string{protocol} // web clients require the token echoed back
	}
	conn, err := websocket.Accept(w, r, opts)
	if err != nil {
		return // Accept has answered
	}
	defer conn.CloseNow()
	ctx, cancel := context.WithCancel(context.WithoutCancel(r.Context()))
	defer cancel()

	sub := events.Subscribe()
	defer sub.Close()
	me := accountOf(auth)
	signOutTopic := func() { // to hear that the token was revoked, whatever streams are open
		if me != nil {
			sub.Add(starling.TopicAccount(me.ID))
		}
	}
	signOutTopic()
	var mu sync.Mutex // guards streams
	var streams []*stream
	add := func(st *stream) {
		mu.Lock()
		defer mu.Unlock()
		for _, s := range streams {
			if slices.Equal(s.name, st.name) {
				return
			}
		}
		streams = append(streams, st)
		sub.Add(st.topics...)
	}
	if first != nil {
		add(first)
	}
	out := make(chan wsMessage, 16) // replies to the client's requests
	sendRaw := func(b []byte) error {
		wctx, done := context.WithTimeout(ctx, 10*time.Second)
		defer done()
		return conn.Write(wctx, websocket.MessageText, b)
	}
	send := func(m wsMessage) error {
		b, _ := json.Marshal(m)
		return sendRaw(b)
	}

	// The reader: subscribe and unsubscribe requests until the client goes.
	go func() {
		defer cancel()
		for {
			_, data, err := conn.Read(ctx)
			if err != nil {
				return
			}
			var m struct {
				Type, Stream, Tag, List string
			}
			if json.Unmarshal(data, &m) != nil {
				continue
			}
			switch m.Type {
			case "subscribe":
				st, err := h.openStream(ctx, auth, m.Stream, m.Tag, m.List)
				if err != nil {
					select {
					case out <- wsMessage{Error: starling.ErrorMessage(err), Status: server.StatusFor(err)}:
					default:
					}
					continue
				}
				add(st)
			case "unsubscribe":
				st, err := h.openStream(ctx, auth, m.Stream, m.Tag, m.List)
				if err != nil {
					continue
				}
				mu.Lock()
				var keep []*stream
				for _, s := range streams {
					if slices.Equal(s.name, st.name) {
						sub.Remove(s.topics...)
					} else {
						keep = append(keep, s)
					}
				}
				streams = keep
				// Topics another stream still needs stay subscribed.
				for _, s := range streams {
					sub.Add(s.topics...)
				}
				signOutTopic()
				mu.Unlock()
			}
		}
	}()

	beat := time.NewTicker(h.streams.opts.Heartbeat)
	defer beat.Stop()
	for {
		select {
		case <-ctx.Done():
			conn.Close(websocket.StatusNormalClosure, "")
			return
		case <-beat.C:
			pctx, done := context.WithTimeout(ctx, h.streams.opts.Heartbeat)
			err := conn.Ping(pctx)
			done()
			if err != nil {
				return
			}
		case m := <-out:
			if send(m) != nil {
				return
			}
		case ev, ok := <-sub.C():
			if !ok {
				slog.Info("websocket stream closed: its reader fell behind")
				conn.Close(websocket.StatusTryAgainLater, "too slow: reconnect")
				return
			}
			if starling.SignedOut(ev, me) {
				conn.Close(websocket.StatusPolicyViolation, "signed out")
				return
			}
			mu.Lock()
			var showing []*stream
			for _, s := range streams {
				if s.shows(ev) {
					showing = append(showing, s)
				}
			}
			mu.Unlock()
			for _, st := range showing {
				n := st.name
				kind, payload, shared := h.eventPayload(ev, st)
				encode := func() []byte {
					b, _ := json.Marshal(wsMessage{Stream: n, Event: kind, Payload: string(payload)})
					return b
				}
				var msg []byte
				if shared {
					// Every stream of a hashtag sends the same bytes: encode them once.
					msg = ev.Rendered("ws:"+strings.Join(n, "\x00"), encode)
				} else {
					msg = encode()
				}
				if err := sendRaw(msg); err != nil {
					if !errors.Is(err, context.Canceled) {
						slog.Debug("websocket write", "err", err)
					}
					return
				}
			}
		}
	}
}
