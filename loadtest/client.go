package loadtest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// StatusError is a non-2xx answer from the server.
type StatusError struct {
	Method, Path string
	Code         int
	Body         string // the start of the body, for set-up errors people read
}

// Error says which request got which status, and what the server said.
func (e *StatusError) Error() string {
	return fmt.Sprintf("%s %s: %d %s", e.Method, e.Path, e.Code, strings.TrimSpace(e.Body))
}

// Client speaks the parts of the Mastodon client API that the load needs.
// Its connections are shared by all workers and kept alive between requests,
// as an app's would be. It is safe for concurrent use.
type Client struct {
	base      string
	http      *http.Client
	userAgent string
}

// NewClient returns a client for the server at baseURL (scheme and host, no
// trailing path) that keeps up to conns idle connections open.
func NewClient(baseURL string, conns int, userAgent string) *Client {
	t := &http.Transport{
		Proxy:               http.ProxyFromEnvironment,
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        conns,
		MaxIdleConnsPerHost: conns, // the default of 2 would make every other request open a connection
		IdleConnTimeout:     90 * time.Second,
		TLSHandshakeTimeout: 5 * time.Second,
		// Generous: an overloaded server should show up as slow, not as errors.
		ResponseHeaderTimeout: 30 * time.Second,
		ForceAttemptHTTP2:     true,
	}
	return &Client{
		base:      strings.TrimRight(baseURL, "/"),
		http:      &http.Client{Transport: t, Timeout: 60 * time.Second},
		userAgent: userAgent,
	}
}

// Close closes idle connections.
func (c *Client) Close() { c.http.CloseIdleConnections() }

// do sends a request and, on a 2xx answer, decodes the JSON body into out or,
// when out is nil, reads and drops it (the whole body is part of the latency).
// form, if not nil, is sent as application/x-www-form-urlencoded.
func (c *Client) do(ctx context.Context, method, path, token string, form url.Values, out any) error {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, body)
	if err != nil {
		return err
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Accept", "application/json")
	if c.userAgent != "" {
		req.Header.Set("User-Agent", c.userAgent)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 300))
		_, _ = io.Copy(io.Discard, resp.Body) // so the connection can be reused
		return &StatusError{Method: method, Path: path, Code: resp.StatusCode, Body: string(snippet)}
	}
	if out == nil {
		_, err = io.Copy(io.Discard, resp.Body)
		return err
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return fmt.Errorf("%s %s: decode: %w", method, path, err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	return nil
}

// Get reads path and drops the body.
func (c *Client) Get(ctx context.Context, path, token string) error {
	return c.do(ctx, http.MethodGet, path, token, nil, nil)
}

// Account is the part of a Mastodon Account entity the load uses.
type Account struct {
	ID       string `json:"id"`
	Username string `json:"username"`
	Acct     string `json:"acct"`
}

// Status is the part of a Mastodon Status entity the load uses.
type Status struct {
	ID         string  `json:"id"`
	Visibility string  `json:"visibility"`
	Favourited bool    `json:"favourited"`
	Reblogged  bool    `json:"reblogged"`
	Reblog     *Status `json:"reblog"`
}

// Instance reads the server's version from GET /api/v2/instance, falling back
// to /api/v1/instance for servers that predate v2.
func (c *Client) Instance(ctx context.Context) (version string, err error) {
	var in struct {
		Version string `json:"version"`
	}
	if err = c.do(ctx, http.MethodGet, "/api/v2/instance", "", nil, &in); err != nil {
		if err = c.do(ctx, http.MethodGet, "/api/v1/instance", "", nil, &in); err != nil {
			return "", err
		}
	}
	return in.Version, nil
}

// Scopes is what registered accounts' tokens may do.
const Scopes = "read write follow push"

// CreateApp registers an application (POST /api/v1/apps) and returns its credentials.
func (c *Client) CreateApp(ctx context.Context, name string) (id, secret string, err error) {
	var app struct {
		ClientID     string `json:"client_id"`
		ClientSecret string `json:"client_secret"`
	}
	err = c.do(ctx, http.MethodPost, "/api/v1/apps", "", url.Values{
		"client_name": {name}, "redirect_uris": {"urn:ietf:wg:oauth:2.0:oob"}, "scopes": {Scopes},
	}, &app)
	return app.ClientID, app.ClientSecret, err
}

// AppToken gets an app token through the client_credentials grant (POST /oauth/token).
func (c *Client) AppToken(ctx context.Context, clientID, clientSecret string) (string, error) {
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	err := c.do(ctx, http.MethodPost, "/oauth/token", "", url.Values{
		"grant_type": {"client_credentials"}, "client_id": {clientID}, "client_secret": {clientSecret},
		"scope": {Scopes}, "redirect_uri": {"urn:ietf:wg:oauth:2.0:oob"},
	}, &tok)
	return tok.AccessToken, err
}

// CreateAccount signs up through POST /api/v1/accounts with an app token and
// returns the new user's access token.
func (c *Client) CreateAccount(ctx context.Context, appToken, username, email, password string) (string, error) {
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	err := c.do(ctx, http.MethodPost, "/api/v1/accounts", appToken, url.Values{
		"username": {username}, "email": {email}, "password": {password}, "agreement": {"true"}, "locale": {"en"},
	}, &tok)
	return tok.AccessToken, err
}

// VerifyCredentials returns the account behind token.
func (c *Client) VerifyCredentials(ctx context.Context, token string) (Account, error) {
	var a Account
	err := c.do(ctx, http.MethodGet, "/api/v1/accounts/verify_credentials", token, nil, &a)
	return a, err
}

// Follow makes the owner of token follow the account id.
func (c *Client) Follow(ctx context.Context, token, id string) error {
	return c.do(ctx, http.MethodPost, "/api/v1/accounts/"+url.PathEscape(id)+"/follow", token, url.Values{}, nil)
}

// Followers returns up to 80 followers of the account id.
func (c *Client) Followers(ctx context.Context, token, id string) ([]Account, error) {
	var list []Account
	err := c.do(ctx, http.MethodGet, "/api/v1/accounts/"+url.PathEscape(id)+"/followers?limit=80", token, nil, &list)
	return list, err
}

// PostStatus publishes a public status and returns its id.
func (c *Client) PostStatus(ctx context.Context, token, text string) (string, error) {
	var s Status
	err := c.do(ctx, http.MethodPost, "/api/v1/statuses", token, url.Values{"status": {text}, "visibility": {"public"}}, &s)
	return s.ID, err
}

// HomeTimeline reads the newest limit statuses of token's home timeline, only
// those newer than sinceID if it is not empty.
func (c *Client) HomeTimeline(ctx context.Context, token, sinceID string, limit int) ([]Status, error) {
	q := url.Values{"limit": {fmt.Sprint(limit)}}
	if sinceID != "" {
		q.Set("since_id", sinceID)
	}
	var list []Status
	err := c.do(ctx, http.MethodGet, "/api/v1/timelines/home?"+q.Encode(), token, nil, &list)
	return list, err
}

// StatusAction posts one of favourite, unfavourite, reblog or unreblog for the status id.
func (c *Client) StatusAction(ctx context.Context, token, id, action string) error {
	return c.do(ctx, http.MethodPost, "/api/v1/statuses/"+url.PathEscape(id)+"/"+action, token, url.Values{}, nil)
}
