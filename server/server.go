// Package server holds what the HTTP front doors share: the error-to-status
// table, JSON replies, middleware (panic recovery, request IDs, access logs,
// CORS, security headers) and the listener with graceful shutdown.
package server

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// Server is an HTTP(S) server that shuts down gracefully.
type Server struct {
	srv      *http.Server
	ln       net.Listener
	certFile string
	keyFile  string
}

// Listen opens addr (":0" picks a free port) for handler. With certFile and
// keyFile set it serves HTTPS.
func Listen(addr string, handler http.Handler, logger *slog.Logger, certFile, keyFile string) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	if certFile != "" {
		srv.TLSConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	return &Server{srv: srv, ln: ln, certFile: certFile, keyFile: keyFile}, nil
}

// Addr is the address the server listens on.
func (s *Server) Addr() net.Addr { return s.ln.Addr() }

// Serve serves until Shutdown; it returns nil after a graceful shutdown.
func (s *Server) Serve() error {
	var err error
	if s.certFile != "" {
		err = s.srv.ServeTLS(s.ln, s.certFile, s.keyFile)
	} else {
		err = s.srv.Serve(s.ln)
	}
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// Shutdown stops accepting connections and waits for requests in flight.
func (s *Server) Shutdown(ctx context.Context) error { return s.srv.Shutdown(ctx) }
