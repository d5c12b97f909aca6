package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"
)

type requestIDKey struct{}

// RequestID returns the ID given to the request being served.
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// Chain wraps h in middleware, the first listed outermost.
func Chain(h http.Handler, mw ...func(http.Handler) http.Handler) http.Handler {
	for i := len(mw) - 1; i >= 0; i-- {
		h = mw[i](h)
	}
	return h
}

// WithRequestID gives each request an ID, returned in X-Request-Id.
func WithRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var b [8]byte
		_, _ = rand.Read(b[:])
		id := hex.EncodeToString(b[:])
		w.Header().Set("X-Request-Id", id)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), requestIDKey{}, id)))
	})
}

// statusRecorder remembers the status a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (s *statusRecorder) WriteHeader(code int) {
	if !s.wrote {
		s.status, s.wrote = code, true
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if !s.wrote {
		s.status, s.wrote = http.StatusOK, true
	}
	return s.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer (flushing for streams).
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// WithRecovery turns a panic in a handler into a 500 and a log line with the
// stack, so one bad request cannot take the server down.
func WithRecovery(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w}
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				slog.ErrorContext(r.Context(), "panic in handler", "panic", v, "method", r.Method, "path", r.URL.Path,
					"request_id", RequestID(r.Context()), "stack", string(debug.Stack()))
				if !rec.wrote {
					WriteJSON(rec, http.StatusInternalServerError, map[string]string{"error": "Internal error"})
				}
			}
		}()
		next.ServeHTTP(rec, r)
	})
}

// WithAccessLog logs one line per request: method, path (never the query,
// which may hold tokens), status and duration.
func WithAccessLog(logger *slog.Logger) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
			next.ServeHTTP(rec, r)
			logger.LogAttrs(r.Context(), slog.LevelInfo, "request",
				slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.Int("status", rec.status),
				slog.Duration("duration", time.Since(start)), slog.String("request_id", RequestID(r.Context())))
		})
	}
}

// corsPrefixes are the paths browser apps on other origins call.
var corsPrefixes = []string{"/api/", "/oauth/token", "/oauth/revoke", "/.well-known/", "/nodeinfo/", "/media/", "/system/"}

// WithCORS lets web apps on any origin call the API with a bearer token.
// No cookies are allowed cross-origin, so a wildcard origin is safe.
func WithCORS(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cors := false
		for _, p := range corsPrefixes {
			if strings.HasPrefix(r.URL.Path, p) {
				cors = true
				break
			}
		}
		if !cors {
			next.ServeHTTP(w, r)
			return
		}
		h := w.Header()
		h.Set("Access-Control-Allow-Origin", "*")
		h.Set("Access-Control-Expose-Headers", "Link, X-RateLimit-Reset, X-RateLimit-Limit, X-RateLimit-Remaining, X-Request-Id, Idempotency-Key")
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			h.Set("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS")
			h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type, Idempotency-Key, Accept, X-Requested-With")
			h.Set("Access-Control-Max-Age", "86400")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// WithSecurityHeaders sets headers every response should carry.
func WithSecurityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		SetHSTS(w, r)
		next.ServeHTTP(w, r)
	})
}

// SetHSTS tells a browser that reached Starling over HTTPS, directly or
// through a proxy that says so, to use nothing else for a year. Browsers
// ignore the header over plain HTTP, so a forged X-Forwarded-Proto gains
// nothing.
func SetHSTS(w http.ResponseWriter, r *http.Request) {
	if r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https") {
		w.Header().Set("Strict-Transport-Security", "max-age=31536000")
	}
}
