package loadtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"
)

// StreamConfig is what the stream fan-out benchmark is told besides what
// Config gives it: the server, the users (who post), --server-pid, the
// user agent and the log.
//
// The benchmark holds Connections streams of one hashtag open, posts Posts
// statuses carrying the hashtag at Rate a second, and measures when each
// stream receives each post, from the moment the POST was answered.
type StreamConfig struct {
	Connections     int           // streams held open at once
	Tag             string        // the hashtag, without '#'
	Kind            string        // StreamWebSocket or StreamSSE
	Posts           int           // measured posts
	Rate            float64       // posts a second, sent on a fixed schedule
	DialConcurrency int           // stream handshakes in flight at once
	Wait            time.Duration // how long to wait for the events of the last post (and of the warm-up post)
}

// DefaultStreamConfig returns the defaults of everything but Connections.
func DefaultStreamConfig() StreamConfig {
	return StreamConfig{Tag: Tags[0], Kind: StreamWebSocket, Posts: 50, Rate: 2, DialConcurrency: 50, Wait: 10 * time.Second}
}

// Validate checks the settings.
func (s *StreamConfig) Validate() error {
	s.Tag = strings.TrimPrefix(strings.TrimSpace(s.Tag), "#")
	switch {
	case s.Connections < 1:
		return fmt.Errorf("--streams must be at least 1, not %d", s.Connections)
	case s.Tag == "" || strings.ContainsAny(s.Tag, " #\t\n"):
		return fmt.Errorf("--stream-tag must be a hashtag, not %q", s.Tag)
	case s.Kind != StreamWebSocket && s.Kind != StreamSSE:
		return fmt.Errorf("--stream-kind must be %s or %s, not %q", StreamWebSocket, StreamSSE, s.Kind)
	case s.Posts < 1:
		return fmt.Errorf("--stream-posts must be at least 1, not %d", s.Posts)
	case s.Rate <= 0:
		return fmt.Errorf("--stream-rate must be positive, not %g", s.Rate)
	case s.DialConcurrency < 1:
		return fmt.Errorf("--stream-dial-concurrency must be at least 1, not %d", s.DialConcurrency)
	case s.Wait <= 0:
		return fmt.Errorf("--stream-wait must be positive, not %s", s.Wait)
	}
	return nil
}

// StreamReport is what the stream benchmark measured. Its JSON form is what
// --json writes.
type StreamReport struct {
	URL           string         `json:"url"`
	ServerVersion string         `json:"server_version"`
	StartedAt     time.Time      `json:"started_at"`
	Settings      StreamSettings `json:"settings"`
	Connect       StreamConnect  `json:"connect"`
	Posts         StreamPosts    `json:"posts"`
	Delivery      StreamDelivery `json:"delivery"`
	Server        *StreamUsage   `json:"server,omitempty"` // with --server-pid
	Client        *StreamUsage   `json:"client,omitempty"` // this process, where /proc can be read
	// OthersCPUSeconds is CPU time the rest of the machine (neither the
	// server nor this process) used while the posts were sent and received,
	// from /proc/stat: other work on a shared machine that the figures
	// suffered from. Null when it cannot be told.
	OthersCPUSeconds *float64 `json:"others_cpu_s,omitempty"`
	PostsSeconds     float64  `json:"posts_window_s"` // how long that window was
	Notes            []string `json:"notes,omitempty"`
}

// StreamSettings are the run's configuration as the report shows it.
type StreamSettings struct {
	Connections     int     `json:"connections"`
	Kind            string  `json:"kind"`
	Tag             string  `json:"tag"`
	Posts           int     `json:"posts"`
	Rate            float64 `json:"rate"`
	Posters         int     `json:"posters"`
	DialConcurrency int     `json:"dial_concurrency"`
	WaitSeconds     float64 `json:"wait_s"`
	ServerPID       int     `json:"server_pid,omitempty"`
	ClientCPUs      int     `json:"client_cpus"`
	FileLimit       uint64  `json:"file_limit,omitempty"` // this process's RLIMIT_NOFILE after raising it
}

// StreamConnect is how opening the streams went.
type StreamConnect struct {
	Opened    int            `json:"opened"`
	Failed    int            `json:"failed"`
	Errors    map[string]int `json:"errors"`  // by HTTP status, or "net"
	Seconds   float64        `json:"seconds"` // from the first handshake's start to the last one's end
	PerSecond float64        `json:"per_second"`
	Handshake Percentiles    `json:"handshake_ms"` // of successful handshakes
	// WarmupSeen is how many streams received the warm-up post, sent after
	// every handshake and not measured: a WebSocket server may subscribe a
	// connection only after its handshake.
	WarmupSeen int `json:"warmup_seen"`
}

// StreamPosts is how posting went.
type StreamPosts struct {
	Posted  int            `json:"posted"`
	Failed  int            `json:"failed"`
	Errors  map[string]int `json:"errors"`
	Seconds float64        `json:"seconds"`    // from the first POST to the last answer
	Latency Percentiles    `json:"latency_ms"` // of the POSTs themselves
}

// StreamDelivery is when the posts reached the streams. All latencies are
// in milliseconds over every (stream, post) pair that arrived.
type StreamDelivery struct {
	Expected int `json:"expected"` // streams opened × posts answered
	Received int `json:"received"`
	Missed   int `json:"missed"`
	// Dropped counts streams that ended before the benchmark closed them.
	Dropped   int    `json:"dropped"`
	DropError string `json:"drop_error,omitempty"` // the first reason
	// Duplicates and Foreign count updates received twice on one stream,
	// and updates of statuses this run did not post.
	Duplicates int `json:"duplicates"`
	Foreign    int `json:"foreign"`
	// FromAnswer is event received − POST answered. It can be negative: a
	// server publishes when the status is stored, before it answers.
	FromAnswer   Percentiles `json:"from_answer_ms"`
	BeforeAnswer int         `json:"before_answer"` // pairs where the event came first
	FromSent     Percentiles `json:"from_sent_ms"`  // event received − POST sent
	// FromCreated is event received − the status's created_at, by the
	// server's clock: only meaningful when client and server share a clock
	// (the same machine), and late by up to 1 ms, created_at's precision.
	// Null when the server is elsewhere or gave no usable created_at.
	FromCreated *Percentiles `json:"from_created_ms"`
	// LastStream is, per post, when the last stream received it, from the
	// POST's answer: the whole fan-out.
	LastStream Percentiles `json:"last_stream_ms"`
	Heartbeats int         `json:"heartbeats"` // SSE comments seen; WebSocket pings are answered unseen
}

// StreamUsage is a process's memory and CPU time over the benchmark.
type StreamUsage struct {
	RssAnonBeforeMiB float64 `json:"rss_anon_before_mib"` // before the first stream opened
	RssAnonOpenMiB   float64 `json:"rss_anon_open_mib"`   // every stream open, before any post
	RssAnonAfterMiB  float64 `json:"rss_anon_after_mib"`  // after the last post's events
	RssAnonPeakMiB   float64 `json:"rss_anon_peak_mib"`   // highest seen, sampled every 250 ms
	// KiBPerStream is (open − before) / streams opened; PeakKiBPerStream is (peak − before) / streams.
	KiBPerStream     float64 `json:"kib_per_stream"`
	PeakKiBPerStream float64 `json:"peak_kib_per_stream"`
	// CPU time opening the streams, and from the warm-up post's last event
	// to the end (the measured posts: their requests and their fan-out).
	ConnectCPUSeconds  float64 `json:"connect_cpu_s"`
	CPUMicrosPerStream float64 `json:"cpu_us_per_stream"`
	FanOutCPUSeconds   float64 `json:"fanout_cpu_s"`
	CPUMillisPerPost   float64 `json:"cpu_ms_per_post"`
	CPUMicrosPerEvent  float64 `json:"cpu_us_per_event"`
}

// postRecord is one measured post.
type postRecord struct {
	id             string
	sent, answered time.Time
	created        time.Time // the status's created_at, by the server's clock; zero if unreadable
	err            error
}

// postTagged publishes a public status and returns its id and created_at.
func postTagged(ctx context.Context, c *Client, token, text string) (id string, created time.Time, err error) {
	var s struct {
		ID        string `json:"id"`
		CreatedAt string `json:"created_at"`
	}
	err = c.do(ctx, http.MethodPost, "/api/v1/statuses", token, url.Values{"status": {text}, "visibility": {"public"}}, &s)
	created, _ = time.Parse(time.RFC3339Nano, s.CreatedAt)
	return s.ID, created, err
}

// RunStreams runs the stream fan-out benchmark: it opens sc.Connections
// streams of the hashtag sc.Tag, waits until all are open and a warm-up post
// has reached them, posts sc.Posts statuses with the hashtag as the users
// of cfg in turn, and times each post's arrival on every stream. Streams of
// public hashtags need no token; the users' tokens are for posting.
func RunStreams(ctx context.Context, cfg Config, sc StreamConfig) (*StreamReport, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if err := sc.Validate(); err != nil {
		return nil, err
	}
	rep := &StreamReport{URL: cfg.BaseURL, StartedAt: time.Now().UTC(), Settings: StreamSettings{
		Connections: sc.Connections, Kind: sc.Kind, Tag: sc.Tag, Posts: sc.Posts, Rate: sc.Rate,
		DialConcurrency: sc.DialConcurrency, WaitSeconds: sc.Wait.Seconds(), ServerPID: cfg.ServerPID, ClientCPUs: runtime.NumCPU(),
	}}
	need := uint64(sc.Connections) + 256 // the streams, the posters' connections, files
	limit, err := raiseFileLimit(need)
	if err != nil {
		rep.Notes = append(rep.Notes, fmt.Sprintf("could not raise the open files limit: %v", err))
	} else if limit < need {
		return nil, fmt.Errorf("this process may open %d files, and %d streams need about %d: raise the hard limit (ulimit -Hn)", limit, sc.Connections, need)
	}
	rep.Settings.FileLimit = limit
	sameMachine := cfg.ServerPID > 0
	if u, err := url.Parse(cfg.BaseURL); err == nil {
		if ip := net.ParseIP(u.Hostname()); u.Hostname() == "localhost" || ip != nil && ip.IsLoopback() {
			sameMachine = true
			rep.Notes = append(rep.Notes, fmt.Sprintf("the load tool runs on the server's machine and shares its %d CPUs: every stream's events are read here too", runtime.NumCPU()))
		}
	}

	c := NewClient(cfg.BaseURL, 8, cfg.UserAgent)
	defer c.Close()
	if rep.ServerVersion, err = c.Instance(ctx); err != nil {
		return nil, fmt.Errorf("server at %s: %w", cfg.BaseURL, err)
	}
	ticks, _ := ClockTicks()
	var server, client *usageProbe
	if cfg.ServerPID > 0 {
		if server, err = newUsageProbe(cfg.ServerPID, ticks); err != nil {
			return nil, fmt.Errorf("--server-pid %d: %w", cfg.ServerPID, err)
		}
	}
	if cfg.ServerPID != os.Getpid() {
		client, _ = newUsageProbe(os.Getpid(), ticks) // nil where there is no /proc
	}
	users, err := getUsers(ctx, &cfg, c)
	if err != nil {
		return nil, err
	}
	if len(users) == 0 {
		return nil, fmt.Errorf("no users to post as")
	}
	rep.Settings.Posters = len(users)

	// Open the streams.
	var received atomic.Int64
	var stopping atomic.Bool
	d, err := newStreamDialer(sc.Kind, cfg.BaseURL, sc.Tag, cfg.UserAgent, &received, &stopping)
	if err != nil {
		return nil, err
	}
	streamCtx, closeStreams := context.WithCancel(ctx)
	defer closeStreams()
	var readers sync.WaitGroup
	conns, dialed := dialStreams(ctx, streamCtx, &cfg, sc, d, &readers)
	closeAll := func() {
		stopping.Store(true)
		closeStreams()
		done := make(chan struct{})
		go func() { readers.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			rep.Notes = append(rep.Notes, "some streams did not close within 30 s")
		}
	}
	s := dialed.stats.Summary()
	rep.Connect = StreamConnect{Opened: len(conns), Failed: s.ErrorCount(), Errors: s.Errors, Seconds: dialed.elapsed.Seconds(), Handshake: s.Latency}
	if dialed.elapsed > 0 {
		rep.Connect.PerSecond = float64(len(conns)) / dialed.elapsed.Seconds()
	}
	cfg.logf("streams: %d open, %d failed in %.1fs (%.0f/s); handshake p50 %.2f ms, p99 %.2f ms; errors: %s",
		len(conns), rep.Connect.Failed, rep.Connect.Seconds, rep.Connect.PerSecond, s.Latency.P50, s.Latency.P99, formatErrors(s.Errors))
	if len(conns) == 0 {
		closeAll()
		return rep, fmt.Errorf("no stream could be opened: %s", formatErrors(s.Errors))
	}
	// Let the server finish subscribing the last streams before measuring its memory.
	sleepCtx(ctx, time.Second)
	server.sample("open")
	client.sample("open")

	runID := randomHex(4)
	warm, err := c.PostStatus(ctx, users[0].Token, fmt.Sprintf("Stream warm-up of run %s #%s", runID, sc.Tag))
	if err != nil {
		closeAll()
		return rep, fmt.Errorf("warm-up post: %w", err)
	}
	waitFor(ctx, &received, int64(len(conns)), time.Now().Add(sc.Wait))
	server.sample("ready")
	client.sample("ready")
	busyReady, busyErr := machineBusy(ticks)
	readyAt := time.Now()
	server.watch()
	cfg.logf("streams: the warm-up post gave %d events on %d streams; posting %d statuses at %g/s", received.Load(), len(conns), sc.Posts, sc.Rate)

	// Post on a fixed schedule, each POST on its own goroutine, so that a
	// slow answer does not delay the next post.
	posts := make([]postRecord, sc.Posts)
	interval := time.Duration(float64(time.Second) / sc.Rate)
	var posting sync.WaitGroup
	start := time.Now()
	for i := range posts {
		if !sleepCtx(ctx, time.Until(start.Add(time.Duration(i)*interval))) {
			break
		}
		posting.Go(func() {
			u := users[(i+1)%len(users)]
			p := &posts[i]
			p.sent = time.Now()
			p.id, p.created, p.err = postTagged(ctx, c, u.Token, fmt.Sprintf("Stream fan-out probe %d of %d, run %s #%s", i+1, sc.Posts, runID, sc.Tag))
			p.answered = time.Now()
		})
	}
	posting.Wait()
	var ok int
	var last time.Time
	postStats := &Stats{}
	for _, p := range posts {
		if p.sent.IsZero() {
			continue // interrupted
		}
		postStats.Record(p.answered.Sub(p.sent), p.err)
		if p.err == nil {
			ok++
			last = later(last, p.answered)
		}
	}
	ps := postStats.Summary()
	rep.Posts = StreamPosts{Posted: ps.OK, Failed: ps.ErrorCount(), Errors: ps.Errors, Latency: ps.Latency, Seconds: time.Since(start).Seconds()}
	if !last.IsZero() {
		rep.Posts.Seconds = last.Sub(start).Seconds()
	}
	// Every stream should see the warm-up and every answered post.
	waitFor(ctx, &received, int64(len(conns)*(1+ok)), last.Add(sc.Wait))
	server.sample("after")
	client.sample("after")
	busyAfter, busyErr2 := machineBusy(ticks)
	rep.PostsSeconds = time.Since(readyAt).Seconds()
	server.stopWatch()
	closeAll()

	rep.Delivery, rep.Connect.WarmupSeen = delivery(conns, posts, warm, sameMachine)
	rep.Server = server.usage(len(conns), ok, rep.Delivery.Received)
	rep.Client = client.usage(len(conns), ok, rep.Delivery.Received)
	if rep.Client != nil {
		rep.Client.RssAnonPeakMiB, rep.Client.PeakKiBPerStream = 0, 0 // not watched
	}
	if busyErr == nil && busyErr2 == nil && rep.Server != nil && (rep.Client != nil || cfg.ServerPID == os.Getpid()) {
		others := (busyAfter - busyReady).Seconds() - rep.Server.FanOutCPUSeconds
		if rep.Client != nil {
			others -= rep.Client.FanOutCPUSeconds
		}
		others = max(others, 0)
		rep.OthersCPUSeconds = &others
	}
	cfg.logf("streams: %d of %d events received (%d missed); from the answer p50 %.2f ms, p99 %.2f ms",
		rep.Delivery.Received, rep.Delivery.Expected, rep.Delivery.Missed, rep.Delivery.FromAnswer.P50, rep.Delivery.FromAnswer.P99)
	return rep, ctx.Err()
}

type dialOutcome struct {
	stats   Stats
	elapsed time.Duration
}

// dialStreams opens sc.Connections streams on sc.DialConcurrency goroutines.
// Each stream's reader runs until streamCtx ends; readers counts them.
func dialStreams(ctx, streamCtx context.Context, cfg *Config, sc StreamConfig, d *streamDialer, readers *sync.WaitGroup) ([]*streamConn, *dialOutcome) {
	out := &dialOutcome{}
	var mu sync.Mutex
	conns := make([]*streamConn, 0, sc.Connections)
	var next, opened atomic.Int64
	progress := time.NewTicker(2 * time.Second)
	defer progress.Stop()
	finished := make(chan struct{})
	go func() {
		for {
			select {
			case <-finished:
				return
			case <-progress.C:
				cfg.logf("streams: %d of %d open", opened.Load(), sc.Connections)
			}
		}
	}()
	defer close(finished)
	var lastEnd time.Time
	var wg sync.WaitGroup
	start := time.Now()
	for range min(sc.DialConcurrency, sc.Connections) {
		wg.Go(func() {
			var rec Recorder
			var end time.Time
			for int(next.Add(1)) <= sc.Connections && ctx.Err() == nil {
				dctx, cancel := context.WithTimeout(streamCtx, 30*time.Second)
				t0 := time.Now()
				readers.Add(1)
				conn, err := d.open(streamCtx, dctx, readers.Done)
				end = time.Now()
				cancel()
				if err != nil {
					readers.Done()
					if ctx.Err() == nil {
						rec.Record(end.Sub(t0), err)
					}
					continue
				}
				rec.Record(end.Sub(t0), nil)
				opened.Add(1)
				mu.Lock()
				conns = append(conns, conn)
				mu.Unlock()
			}
			out.stats.Add(&rec)
			mu.Lock()
			lastEnd = later(lastEnd, end)
			mu.Unlock()
		})
	}
	wg.Wait()
	if !lastEnd.IsZero() {
		out.elapsed = lastEnd.Sub(start)
	}
	return conns, out
}

// delivery matches each stream's events with the posts.
// With sameClock, it also times events from each status's created_at.
func delivery(conns []*streamConn, posts []postRecord, warm string, sameClock bool) (StreamDelivery, int) {
	byID := map[string]int{}
	for i, p := range posts {
		if p.err == nil && p.id != "" {
			byID[p.id] = i
		}
	}
	var r StreamDelivery
	r.Expected = len(conns) * len(byID)
	fromAnswer := make([]int32, 0, r.Expected)
	fromSent := make([]int32, 0, r.Expected)
	var fromCreated []int32
	for _, p := range posts {
		if p.err == nil && p.created.IsZero() {
			sameClock = false // one post without a time would skew the rest
		}
	}
	lastAt := make([]time.Time, len(posts))
	warmSeen := 0
	seen := make([]bool, len(posts))
	for _, c := range conns {
		clear(seen)
		sawWarm := false
		for _, ev := range c.events {
			if ev.id == warm {
				if !sawWarm {
					sawWarm = true
					warmSeen++
				}
				continue
			}
			i, ok := byID[ev.id]
			switch {
			case !ok:
				r.Foreign++
				continue
			case seen[i]:
				r.Duplicates++
				continue
			}
			seen[i] = true
			p := posts[i]
			a := ev.at.Sub(p.answered)
			if a < 0 {
				r.BeforeAnswer++
			}
			fromAnswer = append(fromAnswer, signedMicros(a))
			fromSent = append(fromSent, signedMicros(ev.at.Sub(p.sent)))
			if sameClock {
				fromCreated = append(fromCreated, signedMicros(ev.at.Sub(p.created))) // wall clocks: created has no monotonic reading
			}
			lastAt[i] = later(lastAt[i], ev.at)
		}
		r.Heartbeats += c.heartbeats
		if c.err != nil {
			r.Dropped++
			if r.DropError == "" {
				r.DropError = c.err.Error()
			}
		}
	}
	var lastStream []int32
	for i, p := range posts {
		if _, ok := byID[p.id]; ok && p.err == nil && !lastAt[i].IsZero() {
			lastStream = append(lastStream, signedMicros(lastAt[i].Sub(p.answered)))
		}
	}
	for _, s := range [][]int32{fromAnswer, fromSent, fromCreated, lastStream} {
		slices.Sort(s)
	}
	if sameClock && len(fromCreated) > 0 {
		p := percentilesOf(fromCreated)
		r.FromCreated = &p
	}
	r.Received = len(fromAnswer)
	r.Missed = r.Expected - r.Received
	r.FromAnswer, r.FromSent, r.LastStream = percentilesOf(fromAnswer), percentilesOf(fromSent), percentilesOf(lastStream)
	return r, warmSeen
}

// later returns the later of a and b.
func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// signedMicros is d in microseconds, negative ones kept.
func signedMicros(d time.Duration) int32 {
	if d < 0 {
		return -micros(-d)
	}
	return micros(d)
}

// waitFor waits until n reaches want, the deadline passes or ctx ends.
func waitFor(ctx context.Context, n *atomic.Int64, want int64, deadline time.Time) {
	for n.Load() < want && time.Now().Before(deadline) && sleepCtx(ctx, 10*time.Millisecond) {
	}
}

// sleepCtx sleeps for d, or less if ctx ends first; it reports whether ctx is still live.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// usageProbe samples one process at the benchmark's steps: "before" when it
// is made, then "open", "ready" (after the warm-up post) and "after". Its
// methods do nothing on a nil probe, or after a failed sample.
type usageProbe struct {
	pid     int
	ticks   int64
	samples map[string]ProcSample
	w       *procWatch
	peak    int64
	failed  bool
}

func newUsageProbe(pid int, ticks int64) (*usageProbe, error) {
	s, err := ReadProc(pid, ticks)
	if err != nil {
		return nil, err
	}
	return &usageProbe{pid: pid, ticks: ticks, samples: map[string]ProcSample{"before": s}, peak: s.RssAnon}, nil
}

func (p *usageProbe) sample(step string) {
	if p == nil || p.failed {
		return
	}
	s, err := ReadProc(p.pid, p.ticks)
	if err != nil {
		p.failed = true
		return
	}
	p.samples[step] = s
	p.peak = max(p.peak, s.RssAnon)
}

// watch samples RssAnon every 250 ms until stopWatch, for its peak.
func (p *usageProbe) watch() {
	if p == nil || p.failed {
		return
	}
	p.w, _ = startProcWatch(p.pid, p.ticks, 250*time.Millisecond)
}

func (p *usageProbe) stopWatch() {
	if p == nil || p.w == nil {
		return
	}
	if _, _, peak, err := p.w.finish(); err == nil {
		p.peak = max(p.peak, peak)
	}
}

// usage reduces the samples; nil if the probe is nil or failed.
func (p *usageProbe) usage(streams, posts, events int) *StreamUsage {
	if p == nil || p.failed || p.samples["after"] == (ProcSample{}) {
		return nil
	}
	b, o, r, a := p.samples["before"], p.samples["open"], p.samples["ready"], p.samples["after"]
	u := &StreamUsage{
		RssAnonBeforeMiB: float64(b.RssAnon) / mib, RssAnonOpenMiB: float64(o.RssAnon) / mib,
		RssAnonAfterMiB: float64(a.RssAnon) / mib, RssAnonPeakMiB: float64(p.peak) / mib,
		ConnectCPUSeconds: (o.CPU - b.CPU).Seconds(), FanOutCPUSeconds: (a.CPU - r.CPU).Seconds(),
	}
	if streams > 0 {
		u.KiBPerStream = float64(o.RssAnon-b.RssAnon) / 1024 / float64(streams)
		u.PeakKiBPerStream = float64(p.peak-b.RssAnon) / 1024 / float64(streams)
		u.CPUMicrosPerStream = u.ConnectCPUSeconds * 1e6 / float64(streams)
	}
	if posts > 0 {
		u.CPUMillisPerPost = u.FanOutCPUSeconds * 1e3 / float64(posts)
	}
	if events > 0 {
		u.CPUMicrosPerEvent = u.FanOutCPUSeconds * 1e6 / float64(events)
	}
	return u
}

// machineBusy returns the CPU time all processors of this machine have
// spent busy since boot, from /proc/stat (Linux).
func machineBusy(ticksPerSecond int64) (time.Duration, error) {
	data, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, err
	}
	line, _, _ := strings.Cut(string(data), "\n")
	f := strings.Fields(line)
	if len(f) < 8 || f[0] != "cpu" || ticksPerSecond <= 0 {
		return 0, fmt.Errorf("malformed /proc/stat %.40q", line)
	}
	var busy int64
	for i, v := range f[1:] {
		if i == 3 || i == 4 || i >= 8 { // idle, iowait; guest times are counted in user already
			continue
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("malformed /proc/stat: %q", v)
		}
		busy += n
	}
	return time.Duration(busy) * time.Second / time.Duration(ticksPerSecond), nil
}

// WriteTable writes the report for people.
func (r *StreamReport) WriteTable(w io.Writer) error {
	var b strings.Builder
	kind := map[string]string{StreamWebSocket: "WebSocket", StreamSSE: "server-sent events"}[r.Settings.Kind]
	fmt.Fprintf(&b, "%s: %d %s streams of #%s; %d posts at %g/s by %d accounts\n",
		r.URL, r.Settings.Connections, kind, r.Settings.Tag, r.Settings.Posts, r.Settings.Rate, r.Settings.Posters)
	if r.ServerVersion != "" {
		fmt.Fprintf(&b, "server version: %s\n", r.ServerVersion)
	}
	cn := r.Connect
	fmt.Fprintf(&b, "\nconnect:   %d opened, %d failed (%s) in %.2f s = %.0f streams/s at %d handshakes at once; handshake p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms\n",
		cn.Opened, cn.Failed, formatErrors(cn.Errors), cn.Seconds, cn.PerSecond, r.Settings.DialConcurrency,
		cn.Handshake.P50, cn.Handshake.P90, cn.Handshake.P99, cn.Handshake.Max)
	fmt.Fprintf(&b, "           warm-up post (not measured) reached %d of %d streams\n", cn.WarmupSeen, cn.Opened)
	p := r.Posts
	fmt.Fprintf(&b, "posts:     %d answered, %d failed (%s) over %.2f s; POST p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
		p.Posted, p.Failed, formatErrors(p.Errors), p.Seconds, p.Latency.P50, p.Latency.P99, p.Latency.Max)
	d := r.Delivery
	fmt.Fprintf(&b, "delivery:  %d of %d events received, %d missed; %d streams dropped", d.Received, d.Expected, d.Missed, d.Dropped)
	if d.DropError != "" {
		fmt.Fprintf(&b, " (first: %s)", d.DropError)
	}
	if d.Duplicates > 0 || d.Foreign > 0 {
		fmt.Fprintf(&b, "; %d duplicates, %d events of other posts", d.Duplicates, d.Foreign)
	}
	if d.Heartbeats > 0 {
		fmt.Fprintf(&b, "; %d heartbeats", d.Heartbeats)
	}
	b.WriteString("\n\n")
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "latency ms\tp50\tp90\tp99\tmax\t")
	for _, row := range []struct {
		name string
		p    *Percentiles
	}{
		{"event − POST answered", &d.FromAnswer},
		{"event − POST sent", &d.FromSent},
		{"event − status created_at (server clock)", d.FromCreated},
		{"last stream − POST answered (per post)", &d.LastStream},
	} {
		if row.p != nil {
			fmt.Fprintf(tw, "%s\t%.2f\t%.2f\t%.2f\t%.2f\t\n", row.name, row.p.P50, row.p.P90, row.p.P99, row.p.Max)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if d.Received > 0 {
		fmt.Fprintf(&b, "%d of %d events (%.1f %%) arrived before their POST's answer\n", d.BeforeAnswer, d.Received, 100*float64(d.BeforeAnswer)/float64(d.Received))
	}
	for _, u := range []struct {
		name string
		u    *StreamUsage
	}{{"server", r.Server}, {"client", r.Client}} {
		if u.u == nil {
			continue
		}
		x := u.u
		fmt.Fprintf(&b, "\n%s:%s RssAnon %.1f MiB before, %.1f MiB with the streams open = %.1f KiB per stream",
			u.name, strings.Repeat(" ", 7-len(u.name)), x.RssAnonBeforeMiB, x.RssAnonOpenMiB, x.KiBPerStream)
		if x.RssAnonPeakMiB > 0 {
			fmt.Fprintf(&b, "; peak %.1f MiB while posting = %.1f KiB per stream", x.RssAnonPeakMiB, x.PeakKiBPerStream)
		}
		fmt.Fprintf(&b, "; %.1f MiB at the end\n", x.RssAnonAfterMiB)
		fmt.Fprintf(&b, "           CPU %.2f s opening the streams (%.0f µs each); %.2f s for the posts (%.1f ms a post, %.1f µs an event)\n",
			x.ConnectCPUSeconds, x.CPUMicrosPerStream, x.FanOutCPUSeconds, x.CPUMillisPerPost, x.CPUMicrosPerEvent)
	}
	if o := r.OthersCPUSeconds; o != nil {
		fmt.Fprintf(&b, "others:  %.2f CPU s used by other processes on this machine while posting (%.2f s, %d CPUs)\n", *o, r.PostsSeconds, r.Settings.ClientCPUs)
	}
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "note: %s\n", n)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteJSON writes the report as indented JSON to the file path.
func (r *StreamReport) WriteJSON(path string) error {
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}
