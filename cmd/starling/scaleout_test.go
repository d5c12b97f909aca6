package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	mastodon "github.com/mattn/go-mastodon"
	"github.com/redis/go-redis/v9"

	"starling/sqldb/sqldbtest"
)

// scaleOutRedisDB is the Redis database number the three-server test has to
// itself, so flushing it touches no other test's keys.
const scaleOutRedisDB = 9

// cluster is several `starling serve` processes sharing one PostgreSQL
// database and one Redis, as behind a load balancer.
type cluster struct {
	t     *testing.T
	bin   string
	args  []string
	urls  []string
	mets  []string // each server's /metrics listener
	procs []*exec.Cmd
	logs  []*bytes.Buffer
}

func (c *cluster) start(i int) {
	c.t.Helper()
	addr := strings.TrimPrefix(c.urls[i], "http://")
	cmd := exec.Command(c.bin, append([]string{"serve", "--listen", addr, "--data", c.t.TempDir(), "--metrics-listen", c.mets[i]}, c.args...)...)
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		c.t.Fatal(err)
	}
	c.procs[i], c.logs[i] = cmd, &logs
	MustWaitHealthy(c.t, c.urls[i])
}

// TestThreeServers runs three servers on one PostgreSQL database and one
// Redis and shows they act as one: an account made on one signs in on
// another; a post made on one is in a follower's home timeline read from a
// second at once and on a WebSocket stream open on the third within a
// second; killing a server with SIGKILL amid a stream of posts loses no
// acknowledged post and leaves no job behind; and wiping Redis changes no
// home timeline.
func TestThreeServers(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs three server processes")
	}
	redisURL := os.Getenv("STARLING_TEST_REDIS_URL")
	if redisURL == "" {
		t.Skip("Redis tests skipped: set STARLING_TEST_REDIS_URL (e.g. redis://127.0.0.1:6379/0)")
	}
	dsn := sqldbtest.MustDSN(t, "postgres")
	ru, err := url.Parse(redisURL)
	if err != nil {
		t.Fatal(err)
	}
	ru.Path = fmt.Sprintf("/%d", scaleOutRedisDB)
	opts, err := redis.ParseURL(ru.String())
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(opts)
	defer rdb.Close()
	var b [6]byte
	_, _ = rand.Read(b[:])
	c := &cluster{t: t, bin: MustBuild(t), procs: make([]*exec.Cmd, 3), logs: make([]*bytes.Buffer, 3)}
	for range 3 {
		c.urls, c.mets = append(c.urls, "http://"+freeAddr(t)), append(c.mets, freeAddr(t))
	}
	// One public name for all three, as a load balancer gives them.
	c.args = []string{"--db", dsn, "--redis", ru.String(), "--redis-prefix", "starling-test-" + hex.EncodeToString(b[:]) + ":",
		"--domain", strings.TrimPrefix(c.urls[0], "http://"), "--registrations", "open", "--auth-rate", "0", "--job-lease", "2s"}
	s3 := os.Getenv("STARLING_TEST_S3_URL")
	if s3 != "" {
		c.args = append(c.args, "--media-s3", s3+"/starling-test-"+hex.EncodeToString(b[:]),
			"--media-s3-access-key", os.Getenv("STARLING_TEST_S3_ACCESS_KEY"), "--media-s3-secret-key", os.Getenv("STARLING_TEST_S3_SECRET_KEY"))
	}
	for i := range 3 {
		c.start(i)
	}
	t.Cleanup(func() {
		for i, p := range c.procs {
			if p != nil && p.ProcessState == nil {
				_ = p.Process.Kill()
				_ = p.Wait()
			}
			if t.Failed() {
				t.Logf("server %d log:\n%s", i+1, c.logs[i])
			}
		}
	})
	one, two, three := c.urls[0], c.urls[1], c.urls[2]
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	// An account created on server 1 signs in on server 2, by OAuth and on
	// the web, and the web session works on server 3.
	app, err := mastodon.RegisterApp(ctx, &mastodon.AppConfig{Server: one, ClientName: "scale-out", Scopes: "read write follow", RedirectURIs: "urn:ietf:wg:oauth:2.0:oob"})
	if err != nil {
		t.Fatal(err)
	}
	appToken := mustClientToken(t, one, app)
	annToken := MustPostForm(t, one+"/api/v1/accounts", appToken, url.Values{"username": {"ann"}, "email": {"ann@example.org"},
		"password": {"password123"}, "agreement": {"true"}, "locale": {"en"}})["access_token"]
	MustPostForm(t, one+"/api/v1/accounts", appToken, url.Values{"username": {"bob"}, "email": {"bob@example.org"},
		"password": {"password123"}, "agreement": {"true"}, "locale": {"en"}})
	client := func(server, login string) *mastodon.Client {
		cl := mastodon.NewClient(&mastodon.Config{Server: server, ClientID: app.ClientID, ClientSecret: app.ClientSecret})
		if err := cl.Authenticate(ctx, login+"@example.org", "password123"); err != nil {
			t.Fatalf("%s signs in on %s: %v", login, server, err)
		}
		return cl
	}
	annOnTwo := client(two, "ann")
	if me, err := annOnTwo.GetAccountCurrentUser(ctx); err != nil || me.Username != "ann" {
		t.Fatalf("ann's token from server 2: %v %v", me, err)
	}
	mustWebSignIn(t, two, three, "ann@example.org", "password123")

	bobOnThree := client(three, "bob")
	ann, err := annOnTwo.GetAccountCurrentUser(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bobOnThree.AccountFollow(ctx, ann.ID); err != nil {
		t.Fatal(err)
	}

	// A post on server 1: in bob's home read from server 2 at once, and on
	// bob's WebSocket stream open on server 3 within a second.
	ws, _, err := websocket.Dial(ctx, strings.Replace(three, "http", "ws", 1)+"/api/v1/streaming?stream=user&access_token="+url.QueryEscape(bobOnThree.Config.AccessToken), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.CloseNow()
	streamed := make(chan string, 64)
	go func() {
		for {
			_, msg, err := ws.Read(ctx)
			if err != nil {
				return
			}
			var ev struct{ Event, Payload string }
			if json.Unmarshal(msg, &ev) == nil && ev.Event == "update" {
				var s struct{ ID string }
				_ = json.Unmarshal([]byte(ev.Payload), &s)
				streamed <- s.ID
			}
		}
	}()
	time.Sleep(200 * time.Millisecond) // the subscription is in place
	bobOnTwo := client(two, "bob")
	start := time.Now()
	posted := MustPostForm(t, one+"/api/v1/statuses", annToken, url.Values{"status": {"Posted on server one, read everywhere"}})
	home, err := bobOnTwo.GetTimelineHome(ctx, &mastodon.Pagination{Limit: 5})
	if err != nil || len(home) == 0 || string(home[0].ID) != posted["id"] {
		t.Fatalf("bob's home on server 2 right after the post on server 1: %v (%v), want %s first", ids(home), err, posted["id"])
	}
	select {
	case id := <-streamed:
		if id != posted["id"] {
			t.Fatalf("server 3 streamed %s, want %s", id, posted["id"])
		}
		t.Logf("post on server 1 to bob's stream on server 3: %v", time.Since(start))
	case <-time.After(time.Second):
		t.Fatal("the post did not reach the stream on server 3 within 1 s")
	}

	// An image uploaded through server 2 is served by server 3.
	if s3 != "" {
		photo := testJPEG(t)
		att, err := annOnTwo.UploadMediaFromMedia(ctx, &mastodon.Media{File: bytes.NewReader(photo), Description: "The conference hall"})
		if err != nil {
			t.Fatal(err)
		}
		u, _ := url.Parse(att.URL)
		res, err := http.Get(three + u.Path)
		if err != nil {
			t.Fatal(err)
		}
		served, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/jpeg" || len(served) == 0 {
			t.Fatalf("server 3 serving the upload made on server 2: %d %s, %d bytes", res.StatusCode, res.Header.Get("Content-Type"), len(served))
		}
		if _, err := jpeg.Decode(bytes.NewReader(served)); err != nil {
			t.Fatalf("server 3 served no JPEG: %v", err)
		}
	}

	// Kill server 2 with SIGKILL while ann posts through it from four
	// clients; every post it acknowledged must be stored and in bob's home.
	acked := postUntilKilled(t, c, 1, annToken)
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// Jobs due by now: an upload's check a day later is not left-over work.
	const dueJobs = `SELECT count(*) FROM jobs WHERE run_at <= (extract(epoch FROM clock_timestamp()) * 1000)::bigint`
	var leftLeased int
	_ = db.QueryRow(dueJobs).Scan(&leftLeased)
	t.Logf("server 2 acknowledged %d posts before SIGKILL; %d jobs were left in the table at that moment", len(acked), leftLeased)
	for _, id := range acked {
		if _, err := bobOnThree.GetStatus(ctx, mastodon.ID(id)); err != nil {
			t.Fatalf("acknowledged post %s is gone after server 2 was killed: %v", id, err)
		}
	}
	deadline := time.Now().Add(15 * time.Second) // the 2 s lease, the 1 s poll, and then some
	var jobs int
	for {
		if err := db.QueryRow(dueJobs).Scan(&jobs); err != nil {
			t.Fatal(err)
		}
		if jobs == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if jobs != 0 {
		t.Fatalf("%d jobs still in the table 15 s after server 2 died", jobs)
	}
	t.Logf("job table empty %v after the kill", 15*time.Second-time.Until(deadline))
	annOnOne, bobOnOne := client(one, "ann"), client(one, "bob")
	before := map[string][]string{"ann": homeIDs(t, ctx, annOnOne), "bob": homeIDs(t, ctx, bobOnThree)}
	if missing := missingFrom(before["bob"], acked); len(missing) > 0 {
		t.Fatalf("%d acknowledged posts are not in bob's home timeline: %v", len(missing), missing)
	}

	// Wipe Redis: home timelines are rebuilt from the database, the same.
	if err := rdb.FlushDB(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	after := map[string][]string{"ann": homeIDs(t, ctx, client(three, "ann")), "bob": homeIDs(t, ctx, bobOnOne)}
	for who := range before {
		if !slices.Equal(before[who], after[who]) {
			t.Fatalf("%s's home timeline changed when Redis was flushed: %d posts before, %d after\nbefore %v\nafter  %v",
				who, len(before[who]), len(after[who]), before[who], after[who])
		}
	}
	t.Logf("home timelines after FLUSHDB: ann %d posts, bob %d posts, unchanged", len(after["ann"]), len(after["bob"]))
	res, err := http.Get("http://" + c.mets[0] + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	metrics, _ := io.ReadAll(res.Body)
	res.Body.Close()
	for _, want := range []string{`starling_jobs_run_total{kind="feeds.fan_out",outcome="ok"}`, "starling_feed_rebuilds_total ", `starling_jobs_queued{state="due"} 0`} {
		if !bytes.Contains(metrics, []byte(want)) {
			t.Errorf("server 1's /metrics lacks %s", want)
		}
	}
	if s3 == "" {
		t.Skip("everything but media passed; media across servers skipped: set STARLING_TEST_S3_URL, STARLING_TEST_S3_ACCESS_KEY and STARLING_TEST_S3_SECRET_KEY (.ci/run starts an S3 server)")
	}
}

// testJPEG is a small photo.
func testJPEG(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for x := range 64 {
		img.Set(x, x%48, color.RGBA{200, 90, 20, 255})
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// mustClientToken gets an app-level token (client credentials) for signing up.
func mustClientToken(t *testing.T, server string, app *mastodon.Application) string {
	t.Helper()
	return MustPostForm(t, server+"/oauth/token", "", url.Values{"grant_type": {"client_credentials"},
		"client_id": {app.ClientID}, "client_secret": {app.ClientSecret}, "scope": {"read write follow"}})["access_token"]
}

var csrfField = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// mustWebSignIn signs in through the web form on one server and checks that
// the session opens the home page on another.
func mustWebSignIn(t *testing.T, on, check, login, password string) {
	t.Helper()
	jar, _ := cookiejar.New(nil) // cookies are per host, not per port: all servers see them
	browser := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := browser.Get(on + "/auth/sign_in")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	m := csrfField.FindSubmatch(page)
	if m == nil {
		t.Fatalf("no CSRF field on the sign-in page of %s", on)
	}
	res, err = browser.PostForm(on+"/auth/sign_in", url.Values{"login": {login}, "password": {password}, "csrf_token": {string(m[1])}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("web sign-in on %s: status %d", on, res.StatusCode)
	}
	res, err = browser.Get(check + "/")
	if err != nil {
		t.Fatal(err)
	}
	page, _ = io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !bytes.Contains(page, []byte(`action="/statuses"`)) {
		t.Fatalf("the web session from %s does not open the home page on %s: status %d", on, check, res.StatusCode)
	}
}

// postUntilKilled posts as token through server i from four clients, kills
// the server with SIGKILL after 100 acknowledged posts, and returns the IDs
// it acknowledged.
func postUntilKilled(t *testing.T, c *cluster, i int, token string) []string {
	t.Helper()
	var mu sync.Mutex
	var acked []string
	stop := make(chan struct{})
	var wg sync.WaitGroup
	httpc := &http.Client{Timeout: 5 * time.Second}
	for w := range 4 {
		wg.Go(func() {
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				req, _ := http.NewRequest("POST", c.urls[i]+"/api/v1/statuses", strings.NewReader(url.Values{"status": {fmt.Sprintf("post %d from writer %d", n, w)}}.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("Authorization", "Bearer "+token)
				res, err := httpc.Do(req)
				if err != nil {
					return // the server is gone
				}
				var s struct{ ID string }
				err = json.NewDecoder(res.Body).Decode(&s)
				res.Body.Close()
				if err == nil && res.StatusCode == 200 && s.ID != "" {
					mu.Lock()
					acked = append(acked, s.ID)
					mu.Unlock()
				}
			}
		})
	}
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		mu.Lock()
		n := len(acked)
		mu.Unlock()
		if n >= 100 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := c.procs[i].Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = c.procs[i].Wait()
	close(stop)
	wg.Wait()
	if len(acked) < 50 {
		t.Fatalf("only %d posts acknowledged before the kill; the test needs more to mean anything", len(acked))
	}
	return acked
}

// homeIDs reads a whole home timeline, 40 a page.
func homeIDs(t *testing.T, ctx context.Context, cl *mastodon.Client) []string {
	t.Helper()
	var out []string
	pg := &mastodon.Pagination{Limit: 40}
	for {
		page, err := cl.GetTimelineHome(ctx, pg)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			return out
		}
		out = append(out, ids(page)...)
		pg = &mastodon.Pagination{Limit: 40, MaxID: page[len(page)-1].ID}
	}
}

func ids(list []*mastodon.Status) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = string(s.ID)
	}
	return out
}

func missingFrom(have, want []string) []string {
	var out []string
	for _, id := range want {
		if !slices.Contains(have, id) {
			out = append(out, id)
		}
	}
	return out
}
