package web

import (
	"fmt"
	"net/http"
	"time"

	"starling"
	"starling/server"
)

// serveEvents streams sub to the browser as server-sent events that carry
// IDs only: pages fetch what they show as HTML, so nothing is rendered
// twice, or differently. retry is how soon the browser reconnects after the
// stream ends. pick turns an event into the name and ID to send, or
// ok=false to skip it.
func serveEvents(w http.ResponseWriter, r *http.Request, sub starling.Subscription, retry time.Duration,
	pick func(*starling.Event) (name string, id int64, ok bool)) {
	server.ServeEvents(w, r, sub, fmt.Sprintf("retry: %d\n\n", retry.Milliseconds()), 25*time.Second,
		func(ev *starling.Event) (string, []byte, bool) {
			name, id, ok := pick(ev)
			return name, []byte(starling.FormatID(id)), ok
		})
}
