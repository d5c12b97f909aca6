package starling

import (
	"database/sql/driver"
	"errors"
	"fmt"
	"net"
)

// Error codes. The set is closed on purpose: each maps to exactly one HTTP
// status in package server, and callers branch on codes, never on messages.
const (
	EINVALID      = "invalid"      // the input breaks a rule (HTTP 422)
	EBADREQUEST   = "bad_request"  // the request cannot be parsed (HTTP 400)
	ENOTFOUND     = "not_found"    // no such thing, or the caller may not know it exists (HTTP 404)
	ECONFLICT     = "conflict"     // the write clashes with current state (HTTP 409)
	EUNAUTHORIZED = "unauthorized" // no valid credentials (HTTP 401)
	EFORBIDDEN    = "forbidden"    // credentials valid but not allowed (HTTP 403)
	ERATELIMITED  = "rate_limited" // too many requests (HTTP 429)
	EUNAVAILABLE  = "unavailable"  // a dependency is down (HTTP 503)
	EINTERNAL     = "internal"     // anything else; details go to the log only (HTTP 500)
)

// Error is an error whose Message is safe to show to the person who caused it.
// Errors of any other type are internal: users see "Internal error" and the
// cause is logged.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string {
	return fmt.Sprintf("starling error: code=%s message=%s", e.Code, e.Message)
}

// Errorf returns an *Error with the given code and a formatted, user-safe message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, "" for nil,
// EUNAVAILABLE when a service Starling depends on (the database, Redis,
// object storage) could not be reached, and EINTERNAL for any other error.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	} else if unreachable(err) {
		return EUNAVAILABLE
	}
	return EINTERNAL
}

// ErrorMessage returns the user-safe message of err; "Internal error" unless
// err wraps an *Error or names a service that could not be reached.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	} else if unreachable(err) {
		return "The service is unavailable for a moment; please try again"
	}
	return "Internal error"
}

// unreachable reports whether err says a connection failed: a network error
// or a database connection gone bad. Clients retry a 503; a 500 says a bug.
func unreachable(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) || errors.Is(err, driver.ErrBadConn)
}
