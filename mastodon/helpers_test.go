package mastodon_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"starling"
	"starling/apptest"
	"starling/events"
	"starling/mastodon"
	"starling/server"
	"starling/sqldb"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// testServer is the Mastodon API over a real Service and database, served
// on loopback with the middleware the real server uses.
type testServer struct {
	URL  string // http://127.0.0.1:port, also the instance's BaseURL
	Host string // 127.0.0.1:port, also the instance's Domain
	Svc  *starling.Service
	DB   *sqldb.DB
}

// MustServer starts the API over a fresh database of engine. The instance's
// BaseURL and Domain are the server's own address, so Link headers and URLs
// in entities point at it; mut may change the instance further.
func MustServer(tb testing.TB, engine string, mut ...func(*starling.Instance)) *testServer {
	tb.Helper()
	// The listener exists before the service, so the service can know its address.
	srv := httptest.NewUnstartedServer(nil)
	host := srv.Listener.Addr().String()
	in := apptest.Instance()
	in.Domain, in.BaseURL = host, "http://"+host
	for _, m := range mut {
		m(&in)
	}
	svc, db := apptest.MustService(tb, engine, in)
	svc.SetEvents(events.NewHub(0))
	mux := http.NewServeMux()
	mux.Handle("/", mastodon.NewHandler(svc, mastodon.Options{}))
	mux.Handle("GET "+server.MediaPath+"{key...}", server.MediaFiles(svc))
	srv.Config.Handler = server.Chain(mux, server.WithRecovery, server.WithCORS)
	srv.Start()
	tb.Cleanup(srv.Close)
	return &testServer{URL: srv.URL, Host: host, Svc: svc, DB: db}
}

// user is a member with a full-scope token.
type user struct {
	*starling.Account
	Token string
}

// ID is the account's ID as the API writes it.
func (u user) ID() string { return starling.FormatID(u.Account.ID) }

// MustUser registers an approved member and gives them a token.
func (ts *testServer) MustUser(tb testing.TB, username string) user {
	tb.Helper()
	a := apptest.MustAccount(tb, ts.Svc, username)
	return user{Account: a, Token: apptest.MustToken(tb, ts.Svc, a)}
}

// MustTokenFor issues a token of a fresh app with exactly these scopes (accountID 0: an app-only token).
func (ts *testServer) MustTokenFor(tb testing.TB, accountID int64, scopes ...string) string {
	tb.Helper()
	ctx := context.Background()
	app, _, err := ts.Svc.CreateApplication(ctx, starling.NewApplication{Name: "scoped", RedirectURIs: []string{starling.OOBRedirectURI}, Scopes: "read write follow push"})
	if err != nil {
		tb.Fatal(err)
	}
	g, err := ts.Svc.IssueToken(ctx, app.ID, accountID, starling.Scopes(scopes))
	if err != nil {
		tb.Fatal(err)
	}
	return g.AccessToken
}

// request is one API call. At most one of form, json and body is sent.
type request struct {
	method, path string
	token        string
	form         url.Values // sent as application/x-www-form-urlencoded
	json         any        // marshalled and sent as application/json
	body         string     // sent as is, with contentType
	contentType  string
	header       map[string]string
}

func get(path, token string) request { return request{method: "GET", path: path, token: token} }

func post(path, token string, form url.Values) request {
	return request{method: "POST", path: path, token: token, form: form}
}

// response is what came back.
type response struct {
	Status int
	Header http.Header
	Body   []byte
}

// MustDo sends r to the server.
func (ts *testServer) MustDo(tb testing.TB, r request) response {
	tb.Helper()
	var body io.Reader
	ct := r.contentType
	switch {
	case r.form != nil:
		body, ct = strings.NewReader(r.form.Encode()), "application/x-www-form-urlencoded"
	case r.json != nil:
		b, err := json.Marshal(r.json)
		if err != nil {
			tb.Fatal(err)
		}
		body, ct = bytes.NewReader(b), "application/json"
	case r.body != "":
		body = strings.NewReader(r.body)
	}
	target := r.path
	if !strings.HasPrefix(target, "http") {
		target = ts.URL + target
	}
	req, err := http.NewRequest(r.method, target, body)
	if err != nil {
		tb.Fatal(err)
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	if r.token != "" {
		req.Header.Set("Authorization", "Bearer "+r.token)
	}
	for k, v := range r.header {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatalf("%s %s: %v", r.method, r.path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		tb.Fatalf("%s %s: read body: %v", r.method, r.path, err)
	}
	return response{Status: res.StatusCode, Header: res.Header, Body: b}
}

// MustCall sends r, checks the status and that the reply is JSON, and
// decodes it into out (unless out is nil).
func (ts *testServer) MustCall(tb testing.TB, r request, wantStatus int, out any) response {
	tb.Helper()
	res := ts.MustDo(tb, r)
	if res.Status != wantStatus {
		tb.Fatalf("%s %s: status %d, want %d; body: %s", r.method, r.path, res.Status, wantStatus, res.Body)
	}
	MustBeJSON(tb, res)
	if out != nil {
		if err := json.Unmarshal(res.Body, out); err != nil {
			tb.Fatalf("%s %s: decode %s: %v", r.method, r.path, res.Body, err)
		}
	}
	return res
}

// MustBeJSON checks the response says it is JSON and is.
func MustBeJSON(tb testing.TB, res response) {
	tb.Helper()
	ct, _, err := mime.ParseMediaType(res.Header.Get("Content-Type"))
	if err != nil || !(ct == "application/json" || strings.HasSuffix(ct, "+json")) {
		tb.Fatalf("Content-Type %q, want JSON; body: %s", res.Header.Get("Content-Type"), res.Body)
	}
	if !json.Valid(res.Body) {
		tb.Fatalf("body is not JSON: %s", res.Body)
	}
}

// MustError checks r fails with status and a Mastodon error body; it returns the message.
func (ts *testServer) MustError(tb testing.TB, r request, wantStatus int) string {
	tb.Helper()
	var e map[string]any
	ts.MustCall(tb, r, wantStatus, &e)
	msg, ok := e["error"].(string)
	if !ok || msg == "" {
		tb.Fatalf("%s %s: error body %v has no \"error\" string", r.method, r.path, e)
	}
	return msg
}

// MustPost posts a status as the token's owner.
func (ts *testServer) MustPost(tb testing.TB, token string, form url.Values) *mastodon.Status {
	tb.Helper()
	var s mastodon.Status
	ts.MustCall(tb, post("/api/v1/statuses", token, form), http.StatusOK, &s)
	return &s
}

// MustPostText posts a public status with this text.
func (ts *testServer) MustPostText(tb testing.TB, token, text string) *mastodon.Status {
	tb.Helper()
	return ts.MustPost(tb, token, url.Values{"status": {text}})
}

// links parses a Link header into rel → URL.
func links(tb testing.TB, h http.Header) map[string]string {
	tb.Helper()
	out := map[string]string{}
	for _, part := range strings.Split(h.Get("Link"), ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		m := linkRE.FindStringSubmatch(part)
		if m == nil {
			tb.Fatalf("malformed Link header part %q", part)
		}
		out[m[2]] = m[1]
	}
	return out
}

var linkRE = regexp.MustCompile(`^<([^>]*)>;\s*rel="([^"]+)"$`)

// ids returns the IDs of the statuses, in order.
func ids(list []*mastodon.Status) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = s.ID
	}
	return out
}

func accountIDs(list []*mastodon.Account) []string {
	out := make([]string, len(list))
	for i, a := range list {
		out[i] = a.ID
	}
	return out
}

// MustMatchGolden compares a JSON body, normalised, with testdata/name.json.
// With -update it writes the file instead.
func (ts *testServer) MustMatchGolden(tb testing.TB, name string, body []byte) {
	tb.Helper()
	got := normalize(tb, body, ts.Host)
	path := filepath.Join("testdata", name+".json")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			tb.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("%v (run go test ./mastodon -run %s -update to create it)", err, tb.Name())
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		tb.Errorf("%s mismatch (-want +got):\n%s", path, diff)
	}
}

// Keys whose values change from run to run and are replaced before comparing.
var (
	timeKeys   = []string{"created_at", "updated_at", "last_status_at", "edited_at"}
	secretKeys = []string{"access_token", "refresh_token", "client_id", "client_secret"}
	longNumber = regexp.MustCompile(`\d{12,}`)
)

func isIDKey(k string) bool { return k == "id" || strings.HasSuffix(k, "_id") }

// normalize replaces IDs, times, secrets and the server's address in a JSON
// document with fixed placeholders. Each distinct ID gets its own numbered
// placeholder, in the order met walking keys sorted, so the golden files
// still show which fields refer to the same record.
func normalize(tb testing.TB, body []byte, host string) []byte {
	tb.Helper()
	var v any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		tb.Fatalf("decode %s: %v", body, err)
	}
	n := &normalizer{host: host, ids: map[string]string{}}
	n.collect(v, "")
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(n.replace(v, "")); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

type normalizer struct {
	host     string
	ids      map[string]string // ID → placeholder
	byLength []string          // the IDs, longest first
}

func sortedKeys(m map[string]any) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func (n *normalizer) collect(v any, key string) {
	switch x := v.(type) {
	case map[string]any:
		for _, k := range sortedKeys(x) {
			n.collect(x[k], k)
		}
	case []any:
		for _, e := range x {
			n.collect(e, key)
		}
	case string, json.Number:
		s := toString(x)
		if isIDKey(key) && !slices.Contains(secretKeys, key) && s != "" {
			if _, ok := n.ids[s]; !ok {
				n.ids[s] = "<id" + itoa(len(n.ids)+1) + ">"
				n.byLength = append(n.byLength, s)
				sort.SliceStable(n.byLength, func(i, j int) bool { return len(n.byLength[i]) > len(n.byLength[j]) })
			}
		}
	}
}

func toString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	}
	return ""
}

func itoa(i int) string { return starling.FormatID(int64(i)) }

func (n *normalizer) replace(v any, key string) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = n.replace(e, k)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = n.replace(e, key)
		}
		return out
	case nil:
		return nil
	case string, json.Number:
		s := toString(x)
		switch {
		case slices.Contains(secretKeys, key):
			if s != "" {
				return "<secret>"
			}
			return s
		case slices.Contains(timeKeys, key):
			return "<time>"
		case isIDKey(key) && n.ids[s] != "":
			return n.ids[s]
		}
		if _, isString := x.(string); !isString {
			return x
		}
		s = strings.ReplaceAll(s, n.host, "{host}")
		for _, id := range n.byLength {
			s = strings.ReplaceAll(s, id, n.ids[id])
		}
		return longNumber.ReplaceAllString(s, "<unknown-id>")
	}
	return v
}

func TestNormalize(t *testing.T) {
	body := `{"id":"117701319523506319","account":{"id":"117701319520163583","url":"http://127.0.0.1:4242/@a"},
		"in_reply_to_account_id":"117701319520163583","group_key":"ungrouped-117701319523506319","created_at":"2026-11-29T19:13:26.994Z",
		"edited_at":null,"access_token":"s3cret","client_secret":"","uri":"http://127.0.0.1:4242/users/a/statuses/117701319523506319","n":3}`
	want := `{
  "access_token": "<secret>",
  "account": {
    "id": "<id1>",
    "url": "http://{host}/@a"
  },
  "client_secret": "",
  "created_at": "<time>",
  "edited_at": null,
  "group_key": "ungrouped-<id2>",
  "id": "<id2>",
  "in_reply_to_account_id": "<id1>",
  "n": 3,
  "uri": "http://{host}/users/a/statuses/<id2>"
}
`
	if diff := cmp.Diff(want, string(normalize(t, []byte(body), "127.0.0.1:4242"))); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
