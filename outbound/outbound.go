// Package outbound makes the HTTP requests Starling sends to other sites
// (link previews now, federation later) without letting a post turn the
// server against its own network: every connection, including each
// redirect's, is checked after the name is resolved, and addresses that are
// private, loopback, link-local (cloud metadata at 169.254.169.254),
// multicast or unspecified are refused. Requests have a deadline, a size
// cap and a User-Agent that says who is asking.
package outbound

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"syscall"
	"time"
)

// ErrForbiddenAddress is returned for a request to an address outbound
// requests may not reach.
var ErrForbiddenAddress = errors.New("outbound: address not allowed")

// Client is an http.Client that reaches only public addresses.
type Client struct {
	http      *http.Client
	userAgent string
	maxBytes  int64
}

// Options tune a Client. The zero value is safe.
type Options struct {
	UserAgent string        // e.g. "Starling/0.1.0 (+https://care.example.org)"
	Timeout   time.Duration // whole request, redirects included; 0: 10 s
	MaxBytes  int64         // largest body read; 0: 2 MiB
	// AllowAddr, if set, lets tests reach their own servers on loopback;
	// it is asked after the built-in rules refuse an address.
	AllowAddr func(netip.Addr) bool
	// Resolve, if set, sends "host:port" to another "ip:port", as curl's
	// --resolve does: for tests that need a public-looking name. The
	// address rules still apply to where it leads.
	Resolve map[string]string
}

// New returns a client.
func New(o Options) *Client {
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Second
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = 2 << 20
	}
	dialer := &net.Dialer{Timeout: 5 * time.Second, Control: func(_, address string, _ syscall.RawConn) error {
		ap, err := netip.ParseAddrPort(address)
		if err != nil {
			return fmt.Errorf("%w: %s", ErrForbiddenAddress, address)
		}
		if !Public(ap.Addr()) && (o.AllowAddr == nil || !o.AllowAddr(ap.Addr())) {
			return fmt.Errorf("%w: %s", ErrForbiddenAddress, ap.Addr())
		}
		return nil
	}}
	transport := &http.Transport{
		Proxy: nil, // a proxy would connect for us, unchecked
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			if to, ok := o.Resolve[addr]; ok {
				addr = to
			}
			return dialer.DialContext(ctx, network, addr)
		},
		TLSHandshakeTimeout:   5 * time.Second,
		ResponseHeaderTimeout: 5 * time.Second,
		MaxIdleConns:          20,
		IdleConnTimeout:       30 * time.Second,
	}
	return &Client{userAgent: o.UserAgent, maxBytes: o.MaxBytes, http: &http.Client{
		Transport: transport,
		Timeout:   o.Timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 3 {
				return errors.New("outbound: too many redirects")
			}
			if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
				return fmt.Errorf("outbound: redirect to %s", req.URL.Scheme)
			}
			return nil
		},
	}}
}

// Public reports whether an address is one outbound requests may reach.
func Public(a netip.Addr) bool {
	a = a.Unmap()
	if !a.IsValid() || a.IsUnspecified() || a.IsLoopback() || a.IsPrivate() || a.IsLinkLocalUnicast() ||
		a.IsLinkLocalMulticast() || a.IsInterfaceLocalMulticast() || a.IsMulticast() {
		return false
	}
	for _, p := range reserved {
		if p.Contains(a) {
			return false
		}
	}
	return true
}

// reserved are the ranges beyond the standard library's tests that are not
// the public internet: carrier-grade NAT, benchmarking, documentation,
// "this network", IPv6 NAT64 and discard prefixes.
var reserved = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("192.0.2.0/24"),
	netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("198.51.100.0/24"),
	netip.MustParsePrefix("203.0.113.0/24"),
	netip.MustParsePrefix("240.0.0.0/4"),
	netip.MustParsePrefix("64:ff9b::/96"),
	netip.MustParsePrefix("100::/64"),
	netip.MustParsePrefix("2001:db8::/32"),
}

// Response is a fetched page or file.
type Response struct {
	URL         *url.URL // after redirects
	ContentType string
	Body        []byte // at most MaxBytes
}

// Get fetches u (http or https only) and reads at most MaxBytes of its body.
func (c *Client) Get(ctx context.Context, u string, accept string) (*Response, error) {
	parsed, err := url.Parse(u)
	if err != nil || (parsed.Scheme != "http" && parsed.Scheme != "https") || parsed.Host == "" {
		return nil, fmt.Errorf("outbound: not an http(s) URL: %q", u)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, parsed.String(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", c.userAgent)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	res, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("outbound: %s answered %s", res.Request.URL.Host, res.Status)
	}
	body, err := io.ReadAll(io.LimitReader(res.Body, c.maxBytes))
	if err != nil {
		return nil, err
	}
	return &Response{URL: res.Request.URL, ContentType: res.Header.Get("Content-Type"), Body: body}, nil
}
