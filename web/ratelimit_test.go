package web

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"starling"
	"starling/server"
)

func TestSignInRateLimited(t *testing.T) {
	e := mustServer(t, starling.RegistrationsOpen, Options{Limiter: server.NewLimiter(time.Hour, 2)})
	b := e.newBrowser()
	form := b.get("/auth/sign_in")
	for i, want := range []int{http.StatusUnauthorized, http.StatusUnauthorized, http.StatusTooManyRequests} {
		res := b.submit(form, "/auth/sign_in", url.Values{"login": {"nobody@example.org"}, "password": {"guess" + string(rune('a'+i))}})
		if res.StatusCode != want {
			t.Fatalf("attempt %d: status %d, want %d", i+1, res.StatusCode, want)
		}
		if want == http.StatusTooManyRequests && res.Doc == nil {
			t.Fatal("the rate-limit answer is not an HTML page")
		}
	}
}
