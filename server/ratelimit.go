package server

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"starling"
)

// Limiter limits how often one client address may call the endpoints it
// guards: sign-in, token exchange, sign-up and app registration, where a
// flood means password guessing or spam. Each address gets a token bucket,
// in this process, or in shared Buckets (Redis) when several app servers
// must count together: otherwise a client spreading its attempts over N
// servers would get N times the budget.
type Limiter struct {
	every  time.Duration
	burst  int
	name   string
	shared Buckets

	mu      sync.Mutex
	clients map[string]*client
	swept   time.Time
	logged  time.Time // when the shared buckets' failure was last logged
}

type client struct {
	lim  *rate.Limiter
	seen time.Time
}

// Buckets keeps token buckets that several servers share.
type Buckets interface {
	// Take takes a token from key's bucket, which holds burst tokens and
	// gains one every `every`, and reports whether there was one.
	Take(ctx context.Context, key string, every time.Duration, burst int) (bool, error)
}

// NewLimiter allows burst requests at once per address, refilled at one per every.
func NewLimiter(every time.Duration, burst int) *Limiter {
	return &Limiter{every: every, burst: burst, clients: map[string]*client{}, swept: time.Now()}
}

// Share makes the limiter count in shared buckets under name; if they
// cannot be reached it counts in this process meanwhile, so a Redis outage
// neither locks everyone out nor lifts the limit. Call it before use.
func (l *Limiter) Share(name string, b Buckets) {
	l.name, l.shared = name, b
}

// Allow reports whether the address may make a request now.
func (l *Limiter) Allow(addr string) bool {
	if l.shared != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 250*time.Millisecond)
		ok, err := l.shared.Take(ctx, l.name+":"+addr, l.every, l.burst)
		cancel()
		if err == nil {
			return ok
		}
		if now := time.Now(); now.Sub(l.loggedAt()) > time.Minute {
			slog.Warn("rate limit: shared counters unreachable; counting in this process", "err", err)
			l.setLogged(now)
		}
	}
	return l.allowHere(addr)
}

func (l *Limiter) loggedAt() time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.logged
}

func (l *Limiter) setLogged(t time.Time) {
	l.mu.Lock()
	l.logged = t
	l.mu.Unlock()
}

// allowHere counts in this process.
func (l *Limiter) allowHere(addr string) bool {
	now := time.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) > time.Minute { // forget idle addresses, so memory stays bounded
		for k, c := range l.clients {
			if now.Sub(c.seen) > time.Duration(l.burst)*l.every {
				delete(l.clients, k)
			}
		}
		l.swept = now
	}
	c := l.clients[addr]
	if c == nil {
		c = &client{lim: rate.NewLimiter(rate.Every(l.every), l.burst)}
		l.clients[addr] = c
	}
	c.seen = now
	return c.lim.AllowN(now, 1)
}

// Wrap returns h limited per client address; over the limit it answers 429.
func (l *Limiter) Wrap(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !l.Allow(ClientIP(r)) {
			w.Header().Set("Retry-After", strconv.Itoa(int(l.every.Seconds())+1))
			WriteError(w, r, starling.Errorf(starling.ERATELIMITED, "Too many requests; please wait a moment and try again"))
			return
		}
		h(w, r)
	}
}

// ClientIP returns the address of the client. When the direct peer is a
// proxy on this machine or a private network, the address that proxy
// appended to X-Forwarded-For is used instead.
func ClientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	ip := net.ParseIP(host)
	if ip != nil && (ip.IsLoopback() || ip.IsPrivate()) {
		if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
			parts := strings.Split(xff, ",")
			if last := strings.TrimSpace(parts[len(parts)-1]); net.ParseIP(last) != nil {
				return last
			}
		}
	}
	return host
}
