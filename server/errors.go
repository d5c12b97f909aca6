package server

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"starling"
)

// codes maps error codes to HTTP status codes: the one place this is decided.
var codes = map[string]int{
	starling.EINVALID:      http.StatusUnprocessableEntity,
	starling.EBADREQUEST:   http.StatusBadRequest,
	starling.ENOTFOUND:     http.StatusNotFound,
	starling.ECONFLICT:     http.StatusConflict,
	starling.EUNAUTHORIZED: http.StatusUnauthorized,
	starling.EFORBIDDEN:    http.StatusForbidden,
	starling.ERATELIMITED:  http.StatusTooManyRequests,
	starling.EUNAVAILABLE:  http.StatusServiceUnavailable,
	starling.EINTERNAL:     http.StatusInternalServerError,
}

// StatusFor returns the HTTP status for err.
func StatusFor(err error) int {
	if s, ok := codes[starling.ErrorCode(err)]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// LogError logs err if it is internal or a dependency is down, with the
// request ID, so the cause of every "Internal error" or 503 a user sees can
// be found.
func LogError(r *http.Request, err error) {
	if code := starling.ErrorCode(err); code == starling.EINTERNAL || code == starling.EUNAVAILABLE {
		slog.ErrorContext(r.Context(), "internal error", "err", err, "method", r.Method, "path", r.URL.Path, "request_id", RequestID(r.Context()))
	}
}

// WriteError writes err as Mastodon does: {"error": "message"} with the
// matching status; OAuth errors as RFC 6749 asks. Text refused by the
// safeguarding check adds "details" and "confirmable" (see
// docs/safeguarding.md).
func WriteError(w http.ResponseWriter, r *http.Request, err error) {
	var oe *starling.OAuthError
	if errors.As(err, &oe) { // the client's mistake, not ours: nothing to log
		status := http.StatusBadRequest
		if oe.Kind == "invalid_client" {
			status = http.StatusUnauthorized
		}
		WriteJSON(w, status, map[string]string{"error": oe.Kind, "error_description": oe.Description})
		return
	}
	LogError(r, err)
	SetRetryAfter(w, err)
	var pd *starling.PersonalDataError
	if errors.As(err, &pd) {
		WriteJSON(w, StatusFor(err), personalDataBody{Error: starling.ErrorMessage(err), Details: pd.Findings, Confirmable: pd.Confirmable})
		return
	}
	WriteJSON(w, StatusFor(err), map[string]string{"error": starling.ErrorMessage(err)})
}

// personalDataBody is the error of text the safeguarding check refused:
// Mastodon's {"error": "…"}, which every client shows, with what was found
// and where (never the value) for clients that can point at it, and
// whether confirm_personal_data would let the request through.
type personalDataBody struct {
	Error       string                      `json:"error"`
	Details     []starling.SafeguardFinding `json:"details"`
	Confirmable bool                        `json:"confirmable"`
}

// WriteJSON writes v as JSON with the given status. A Content-Type the
// handler set already (application/jrd+json, say) is kept.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	if w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
	}
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false) // content is HTML already; escaping it again would show entities
	_ = enc.Encode(v)        // the client may have gone; nothing left to tell it
}

// SetRetryAfter sets the Retry-After header, in whole seconds rounded up,
// when err says how long to wait (a *starling.RetryError).
func SetRetryAfter(w http.ResponseWriter, err error) {
	if d := starling.RetryAfter(err); d > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int((d+time.Second-1)/time.Second)))
	}
}
