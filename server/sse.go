package server

import (
	"fmt"
	"net/http"
	"time"

	"starling"
)

// ServeEvents writes the events of sub to the client as server-sent events
// until the client goes or the subscription ends (dropped for falling
// behind, or shut down: the client then reconnects). first goes out before
// any event (a retry delay, a greeting comment); a comment every heartbeat
// keeps proxies from closing an idle stream. pick turns an event into its
// name and data, or ok=false to skip it.
func ServeEvents(w http.ResponseWriter, r *http.Request, sub starling.Subscription, first string, heartbeat time.Duration,
	pick func(*starling.Event) (name string, data []byte, ok bool)) {
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Time{}) // a stream outlives the server's request timeouts
	hd := w.Header()
	hd.Set("Content-Type", "text/event-stream")
	hd.Set("Cache-Control", "no-store")
	hd.Set("X-Accel-Buffering", "no") // proxies must pass events on at once
	w.WriteHeader(http.StatusOK)
	// A reader that stops reading leaves writes hanging: each gets a
	// deadline, so its connection ends rather than holding on for ever.
	write := func(format string, a ...any) bool {
		_ = rc.SetWriteDeadline(time.Now().Add(2 * heartbeat))
		_, err := fmt.Fprintf(w, format, a...)
		return err == nil && rc.Flush() == nil
	}
	if !write("%s", first) {
		return
	}
	beat := time.NewTicker(heartbeat)
	defer beat.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-beat.C:
			if !write(":thump\n\n") {
				return
			}
		case ev, ok := <-sub.C():
			if !ok {
				return
			}
			if name, data, ok := pick(ev); ok && !write("event: %s\ndata: %s\n\n", name, data) {
				return
			}
		}
	}
}
