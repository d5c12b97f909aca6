package mastodon

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"starling"
	"starling/server"
)

// Rate is a request budget: N requests per Period, all at once if need
// be, refilled evenly over the period. A zero Rate is no limit.
type Rate struct {
	N      int
	Period time.Duration
}

// RateLimits are the API's request budgets. Every /api/ request counts
// against API, keyed by the signed-in account or, without one, by the
// client's address; some endpoints also count against a stricter budget of
// their own, and must pass both. The streaming API is not counted.
type RateLimits struct {
	API      Rate // every /api/ request: per account, or per address when unauthenticated
	Media    Rate // POST /api/v1/media and /api/v2/media: per account
	Deletes  Rate // DELETE /api/v1/statuses/:id and POST .../unreblog: per account
	SignUps  Rate // POST /api/v1/accounts: per address
	Statuses Rate // POST /api/v1/statuses: per account
	// Shared, if set, keeps the counts in buckets that several servers
	// share (Redis), so that a client has one budget between them.
	Shared server.Buckets
}

// Mastodon's default limits (docs.joinmastodon.org/api/rate-limits), and
// for posting the limit Mastodon applies to creating statuses (its
// RateLimiter's "statuses" family: 300 per 3 hours).
const (
	DefaultAPIRequests      = 300
	DefaultAPIPeriod        = 5 * time.Minute
	DefaultMediaUploads     = 30
	DefaultMediaPeriod      = 30 * time.Minute
	DefaultDeletes          = 30
	DefaultDeletesPeriod    = 30 * time.Minute
	DefaultSignUps          = 5
	DefaultSignUpsPeriod    = 30 * time.Minute
	DefaultStatusPosts      = 300
	DefaultStatusPostPeriod = 3 * time.Hour
)

// DefaultRateLimits returns Mastodon's default limits.
func DefaultRateLimits() RateLimits {
	return RateLimits{
		API:      Rate{DefaultAPIRequests, DefaultAPIPeriod},
		Media:    Rate{DefaultMediaUploads, DefaultMediaPeriod},
		Deletes:  Rate{DefaultDeletes, DefaultDeletesPeriod},
		SignUps:  Rate{DefaultSignUps, DefaultSignUpsPeriod},
		Statuses: Rate{DefaultStatusPosts, DefaultStatusPostPeriod},
	}
}

// rateLimiters are the buckets built from RateLimits; nil ones are off.
type rateLimiters struct {
	api, media, deletes, signUps, statuses *server.Limiter
}

func newRateLimiters(rl *RateLimits) *rateLimiters {
	if rl == nil {
		return nil
	}
	mk := func(name string, r Rate) *server.Limiter {
		if r.N <= 0 || r.Period <= 0 {
			return nil
		}
		l := server.NewLimiterPer(r.N, r.Period)
		if rl.Shared != nil {
			l.Share(name, rl.Shared)
		}
		return l
	}
	return &rateLimiters{
		api: mk("api", rl.API), media: mk("media", rl.Media), deletes: mk("deletes", rl.Deletes),
		signUps: mk("sign-ups", rl.SignUps), statuses: mk("statuses", rl.Statuses),
	}
}

// bucket is one stricter budget and how its key is chosen.
type bucket struct {
	lim   *server.Limiter
	perIP bool // keyed by client address even when signed in
}

// wrap limits the route's handler. It runs after authorize, so the
// signed-in account is known. Routes outside /api/ (OAuth, discovery
// documents) are not counted, as in Mastodon.
func (rls *rateLimiters) wrap(pattern string, fn http.HandlerFunc) http.HandlerFunc {
	if rls == nil {
		return fn
	}
	method, path, _ := strings.Cut(pattern, " ")
	if !strings.HasPrefix(path, "/api/") || strings.HasPrefix(path, "/api/v1/streaming") {
		return fn
	}
	var extra *bucket
	switch method + " " + path {
	case "POST /api/v1/media", "POST /api/v2/media":
		extra = &bucket{lim: rls.media}
	case "DELETE /api/v1/statuses/{id}", "POST /api/v1/statuses/{id}/unreblog":
		extra = &bucket{lim: rls.deletes}
	case "POST /api/v1/accounts":
		extra = &bucket{lim: rls.signUps, perIP: true}
	case "POST /api/v1/statuses":
		extra = &bucket{lim: rls.statuses}
	}
	if extra != nil && extra.lim == nil {
		extra = nil
	}
	if rls.api == nil && extra == nil {
		return fn
	}
	return func(w http.ResponseWriter, r *http.Request) {
		key := rateKey(r)
		var res server.Result
		checked := false
		if rls.api != nil {
			res, checked = rls.api.Check(key), true
		}
		if extra != nil && (!checked || res.Allowed) {
			k := key
			if extra.perIP {
				k = "ip:" + server.ClientIP(r)
			}
			more := extra.lim.Check(k)
			if !checked || tighter(more, res) {
				res = more
			}
			checked = true
		}
		res.SetHeaders(w.Header())
		if !res.Allowed {
			w.Header().Set("Retry-After", strconv.Itoa(max(res.RetryAfterSeconds(), 1)))
			server.WriteJSON(w, http.StatusTooManyRequests, map[string]string{"error": "Too many requests"})
			return
		}
		fn(w, r)
	}
}

// tighter reports whether a is the budget closer to running out: the one
// Mastodon's headers report.
func tighter(a, b server.Result) bool {
	if a.Allowed != b.Allowed {
		return !a.Allowed
	}
	if a.Remaining != b.Remaining {
		return a.Remaining < b.Remaining
	}
	return a.Reset.After(b.Reset)
}

// rateKey is whom a request counts against: the signed-in account, else
// (no token, or an app-only token) the client's address.
func rateKey(r *http.Request) string {
	if a := starling.AuthFromContext(r.Context()); a != nil {
		if a.Account != nil {
			return "acct:" + strconv.FormatInt(a.Account.ID, 10)
		}
	}
	return "ip:" + server.ClientIP(r)
}
