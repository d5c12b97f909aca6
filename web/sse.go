package web

import (
	"fmt"
	"net/http"
	"time"

	"starling"
)

// serveEvents streams sub to the browser as server-sent events until the
// browser goes or the subscription ends (dropped for falling behind, or
// shut down: the browser then reconnects after retry and catches up).
// pick turns an event into the name and ID to send, or ok=false to skip
// it. Pages send IDs only and fetch what they show as HTML, so nothing is
// rendered twice, or differently.
func serveEvents(w http.ResponseWriter, r *http.Request, sub starling.Subscription, retry time.Duration,
	pick func(*starling.Event) (name string, id int64, ok bool)) {
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Time{}) // a stream outlives the server's request timeouts
	hd := w.Header()
	hd.Set("Content-Type", "text/event-stream")
	hd.Set("Cache-Control", "no-store")
	hd.Set("X-Accel-Buffering", "no") // proxies must pass events on at once
	w.WriteHeader(http.StatusOK)
	// A reader that stops reading leaves writes hanging: each gets a deadline.
	write := func(format string, a ...any) bool {
		_ = rc.SetWriteDeadline(time.Now().Add(time.Minute))
		_, err := fmt.Fprintf(w, format, a...)
		return err == nil && rc.Flush() == nil
	}
	if !write("retry: %d\n\n", retry.Milliseconds()) {
		return
	}
	beat := time.NewTicker(25 * time.Second) // keeps proxies from closing an idle stream
	defer beat.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-beat.C:
			if !write(":\n\n") {
				return
			}
		case ev, ok := <-sub.C():
			if !ok {
				return
			}
			if name, id, ok := pick(ev); ok && !write("event: %s\ndata: %d\n\n", name, id) {
				return
			}
		}
	}
}
