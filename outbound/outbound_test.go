package outbound

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
)

// serveOn starts a test server on one loopback address (Linux routes all
// of 127.0.0.0/8 to the loopback device).
func serveOn(t *testing.T, addr string, h http.Handler) string {
	ln, err := net.Listen("tcp", addr+":0")
	if err != nil {
		t.Skipf("cannot listen on %s: %v", addr, err)
	}
	srv := httptest.NewUnstartedServer(h)
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestRefusesPrivateAddresses: loopback, cloud metadata, IPv6 loopback,
// private networks and names that resolve to them are refused, also when a
// public-looking first hop redirects there; an allowed test server works.
func TestRefusesPrivateAddresses(t *testing.T) {
	var hits int
	inside := serveOn(t, "127.0.0.1", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits++ }))
	outside := serveOn(t, "127.0.0.2", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/redirect" {
			http.Redirect(w, r, inside+"/secret", http.StatusFound)
			return
		}
		if ua := r.Header.Get("User-Agent"); !strings.HasPrefix(ua, "Starling/") {
			t.Errorf("User-Agent %q", ua)
		}
		w.Write([]byte(strings.Repeat("x", 5000)))
	}))
	c := New(Options{UserAgent: "Starling/test (+https://care.example.org)", MaxBytes: 1000,
		AllowAddr: func(a netip.Addr) bool { return a == netip.MustParseAddr("127.0.0.2") }})
	ctx := context.Background()
	res, err := c.Get(ctx, outside+"/page", "")
	if err != nil || len(res.Body) != 1000 {
		t.Fatalf("the allowed server: %v, %d bytes (want the 1,000-byte cap)", err, len(res.Body))
	}
	for _, u := range []string{inside + "/secret", "http://169.254.169.254/latest/meta-data/", "http://[::1]/", "http://localhost" + strings.TrimPrefix(inside, "http://127.0.0.1"),
		"http://10.0.0.1/", "http://192.168.1.1/", "http://[fe80::1]/", "http://0.0.0.0/", outside + "/redirect"} {
		_, err := c.Get(ctx, u, "")
		if !errors.Is(err, ErrForbiddenAddress) {
			t.Errorf("%s: %v, want ErrForbiddenAddress", u, err)
		}
	}
	for _, u := range []string{"file:///etc/passwd", "gopher://example.org/", "ftp://example.org/", "http:///nohost"} {
		if _, err := c.Get(ctx, u, ""); err == nil {
			t.Errorf("%s was fetched", u)
		}
	}
	if hits != 0 {
		t.Fatalf("the private server was reached %d times", hits)
	}
}

func TestPublic(t *testing.T) {
	for addr, want := range map[string]bool{"93.184.216.34": true, "2606:4700::1111": true, "127.0.0.1": false, "::1": false,
		"169.254.169.254": false, "10.1.2.3": false, "172.16.0.1": false, "192.168.0.1": false, "100.64.0.1": false,
		"::ffff:127.0.0.1": false, "fc00::1": false, "fe80::1": false, "224.0.0.1": false, "0.0.0.0": false, "198.51.100.7": false} {
		if got := Public(netip.MustParseAddr(addr)); got != want {
			t.Errorf("Public(%s) = %v, want %v", addr, got, want)
		}
	}
}
