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

	"starling"
)

// Limiter limits how often one client may call the endpoints it guards.
// Each key (a client address, or an account) gets a bucket of burst
// requests that refills at one every `every`, kept by the generic cell rate
// algorithm (GCRA): in this process, or in shared Buckets (Redis) when
// several app servers must count together: otherwise a client spreading its
// requests over N servers would get N times the budget.
type Limiter struct {
	every  time.Duration
	burst  int
	name   string
	shared Buckets

	mu      sync.Mutex
	clients map[string]time.Time // key: when its bucket is full again (GCRA's theoretical arrival time)
	swept   time.Time
	logged  time.Time // when the shared buckets' failure was last logged
}

// Result is what one check of a bucket found.
type Result struct {
	Allowed   bool
	Limit     int       // the bucket's size: requests allowed in one go
	Remaining int       // requests still allowed now, this one counted
	Reset     time.Time // when the bucket is full again
	// RetryAfter is, when refused, how long until one request is allowed.
	RetryAfter time.Duration
}

// Buckets keeps token buckets that several servers share.
type Buckets interface {
	// Take takes a token from key's bucket, which holds burst tokens and
	// gains one every `every`, and reports what it found, as gcra does.
	Take(ctx context.Context, key string, every time.Duration, burst int) (Result, error)
}

// NewLimiter allows burst requests at once per key, refilled at one per every.
func NewLimiter(every time.Duration, burst int) *Limiter {
	if every <= 0 {
		every = time.Nanosecond
	}
	if burst < 1 {
		burst = 1
	}
	return &Limiter{every: every, burst: burst, clients: map[string]time.Time{}, swept: time.Now()}
}

// NewLimiterPer allows n requests per period per key: n at once, then one
// every period/n, as Mastodon's "300 requests per 5 minutes".
func NewLimiterPer(n int, period time.Duration) *Limiter {
	if n < 1 {
		n = 1
	}
	return NewLimiter(period/time.Duration(n), n)
}

// Limit is the number of requests allowed in one go.
func (l *Limiter) Limit() int { return l.burst }

// Share makes the limiter count in shared buckets under name; if they
// cannot be reached it counts in this process meanwhile, so a Redis outage
// neither locks everyone out nor lifts the limit. Call it before use.
func (l *Limiter) Share(name string, b Buckets) {
	l.name, l.shared = name, b
}

// Allow reports whether the key (a client address) may make a request now.
func (l *Limiter) Allow(key string) bool { return l.Check(key).Allowed }

// Check counts a request for key and reports whether it is allowed, with
// what is left of the budget.
func (l *Limiter) Check(key string) Result {
	if l.shared != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 250*time.Millisecond)
		res, err := l.shared.Take(ctx, l.name+":"+key, l.every, l.burst)
		cancel()
		if err == nil {
			return res
		}
		if now := time.Now(); now.Sub(l.loggedAt()) > time.Minute {
			slog.Warn("rate limit: shared counters unreachable; counting in this process", "err", err)
			l.setLogged(now)
		}
	}
	return l.checkHere(key, time.Now())
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

// checkHere counts in this process.
func (l *Limiter) checkHere(key string, now time.Time) Result {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) > time.Minute { // forget full buckets, so memory stays bounded
		for k, full := range l.clients {
			if !full.After(now) {
				delete(l.clients, k)
			}
		}
		l.swept = now
	}
	full, res := gcra(now, l.clients[key], l.every, l.burst)
	l.clients[key] = full
	return res
}

// gcra takes one request from a bucket that is full again at full (zero:
// never used), holding burst requests and gaining one every `every`. It
// returns the bucket's new full time and the result. The Redis script in
// package redislimit does the same arithmetic, in milliseconds.
func gcra(now, full time.Time, every time.Duration, burst int) (time.Time, Result) {
	if full.Before(now) {
		full = now
	}
	res := Result{Limit: burst}
	if full.Sub(now) <= time.Duration(burst-1)*every {
		full = full.Add(every)
		res.Allowed = true
	} else {
		res.RetryAfter = full.Sub(now) - time.Duration(burst-1)*every
	}
	res.Remaining = Remaining(full.Sub(now), every, burst)
	res.Reset = full
	return full, res
}

// Remaining is how many requests a bucket of burst, gaining one every
// `every`, still allows when it is full again in ahead.
func Remaining(ahead, every time.Duration, burst int) int {
	used := int((ahead + every - 1) / every) // rounded up: a part-used token is not there yet
	return max(burst-used, 0)
}

// SetHeaders writes the result as Mastodon does: X-RateLimit-Limit,
// X-RateLimit-Remaining and X-RateLimit-Reset (an ISO 8601 time).
func (r Result) SetHeaders(h http.Header) {
	h.Set("X-RateLimit-Limit", strconv.Itoa(r.Limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(r.Remaining))
	h.Set("X-RateLimit-Reset", r.Reset.UTC().Format("2006-01-02T15:04:05.000000Z07:00"))
}

// RetryAfterSeconds is RetryAfter in whole seconds, rounded up, for the
// Retry-After header.
func (r Result) RetryAfterSeconds() int {
	return int((r.RetryAfter + time.Second - 1) / time.Second)
}

// Wrap returns h limited per client address; over the limit it answers 429.
func (l *Limiter) Wrap(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if res := l.Check(ClientIP(r)); !res.Allowed {
			w.Header().Set("Retry-After", strconv.Itoa(max(res.RetryAfterSeconds(), 1)))
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
