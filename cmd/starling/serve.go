package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"time"

	"github.com/redis/go-redis/v9"

	"starling"
	"starling/diskmedia"
	"starling/events"
	"starling/imaging"
	"starling/linkcards"
	"starling/mastodon"
	"starling/metrics"
	"starling/outbound"
	"starling/password"
	"starling/rediscaches"
	"starling/redisevents"
	"starling/redisfeeds"
	"starling/redislimit"
	"starling/s3media"
	"starling/server"
	"starling/sqldb"
	"starling/text"
	"starling/web"
)

// runServe runs the server until ctx is cancelled, then shuts down gracefully.
func runServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := parseServeFlags(args, getenv, stderr)
	if err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	slog.SetDefault(logger)

	db, err := sqldb.Open(ctx, cfg.DB, cfg.Data)
	if err != nil {
		return fmt.Errorf("open database: %w", err)
	}
	defer db.Close()
	m := metrics.New()
	db.SetObserver(m)
	if cfg.DBReplica != "" {
		if err := db.AddReplica(ctx, cfg.DBReplica); err != nil {
			return fmt.Errorf("--db-replica: %w", err)
		}
	}

	// Listen first: with --listen :0 the port, and so the default domain, is known only now.
	var handler http.Handler
	srv, err := server.Listen(cfg.Listen, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handler.ServeHTTP(w, r) }),
		logger, cfg.TLSCert, cfg.TLSKey)
	if err != nil {
		return err
	}
	domain, baseURL := cfg.publicURL(srv.Addr().String())
	in := starling.Instance{
		Domain: domain, BaseURL: baseURL, Title: cfg.Title, Description: cfg.Description, ContactEmail: cfg.ContactEmail,
		Registrations: starling.Registrations(cfg.Registrations), MaxChars: cfg.MaxChars, Version: version,
		AltText: starling.AltText(cfg.AltText), Safeguarding: starling.SafeguardPolicy(cfg.Safeguarding),
		RequireStaffTwoFactor: cfg.RequireStaff2FA,
	}
	detector, err := cfg.Detector() // checked by parseServeFlags already
	if err != nil {
		return err
	}
	var rdb *redis.Client
	if cfg.Redis != "" {
		if rdb, err = openRedis(ctx, cfg.Redis); err != nil {
			return err
		}
		defer rdb.Close()
	}
	if rdb != nil { // several servers: their row caches must agree
		caches, err := rediscaches.Start(ctx, rdb, cfg.RedisPrefix, db)
		if err != nil {
			return fmt.Errorf("--redis: %w", err)
		}
		defer caches.Close()
	}
	// Jobs are kept in the database itself, so they commit with the changes
	// that need them; every server runs a worker.
	worker := starling.NewJobWorker(db, cfg.JobLease)
	var store starling.Store = db
	if rdb != nil {
		feeds := redisfeeds.New(rdb, cfg.RedisPrefix+"feeds:", db, worker)
		m.SetFeeds(feeds)
		store = feeds.Wrap(db)
	}
	svc := starling.NewService(store, text.NewProcessor(&in), password.Hasher{}, in, nil)
	if err := setSecretKey(svc, cfg, logger); err != nil {
		return err
	}
	svc.SetFanOutLimit(cfg.FanOutLimit)
	svc.SetSafeguard(detector)
	svc.HandleJobs(worker)
	if cfg.DBReplica != "" {
		svc.SetReplica(db.Replica())
	}
	files, err := openMediaFiles(ctx, cfg)
	if err != nil {
		return err
	}
	svc.SetMediaFiles(files, imaging.Processor{})
	svc.SetCardFetcher(linkcards.Fetcher{Client: outbound.New(outbound.Options{UserAgent: "Starling/" + version + " (+" + baseURL + ")"})})
	hub, err := newEvents(ctx, rdb, cfg.RedisPrefix)
	if err != nil {
		return err
	}
	svc.SetEvents(hub)
	workCtx, stopWork := context.WithCancel(context.WithoutCancel(ctx))
	defer stopWork()
	workDone := make(chan struct{})
	go func() { defer close(workDone); worker.Run(workCtx) }()
	m.SetJobs(worker)
	var buckets server.Buckets // rate-limit counters: shared when servers share Redis
	if rdb != nil {
		buckets = redislimit.New(rdb, cfg.RedisPrefix+"limits:")
	}
	// Mastodon's default API rate limits, unless STARLING_RATE_LIMITS=off
	// (load tests: see docs/rate-limits.md).
	var limits *mastodon.RateLimits
	if getenv("STARLING_RATE_LIMITS") != "off" {
		rl := mastodon.DefaultRateLimits()
		rl.Shared = buckets
		limits = &rl
	}
	handler = newHandler(svc, logger, m, cfg, buckets, limits)

	logger.Info("starling is running", "url", baseURL, "listen", srv.Addr().String(), "database", db.Engine(),
		"data", cfg.Data, "registrations", cfg.Registrations, "safeguarding", cfg.Safeguarding, "version", version)
	fmt.Fprintf(stdout, "Starling %s is running at %s (listening on %s)\n", version, baseURL, srv.Addr())

	errc := make(chan error, 2)
	go func() { errc <- srv.Serve() }()
	servers := []*server.Server{srv}
	if cfg.MetricsListen != "" {
		debug, err := server.Listen(cfg.MetricsListen, m.DebugHandler(), logger, "", "")
		if err != nil {
			return err
		}
		logger.Info("metrics and profiles", "url", "http://"+debug.Addr().String()+"/metrics")
		servers = append(servers, debug)
		go func() { errc <- debug.Serve() }()
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	stopWork()
	<-workDone  // a job cut short is run again by the next worker to lease it
	hub.Close() // open streams end now, so their clients reconnect elsewhere, rather than holding shutdown up
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	for _, s := range servers {
		if err := s.Shutdown(shutdownCtx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
			return err
		}
	}
	return <-errc
}

// closingEvents is an events service that can end its streams on shutdown.
type closingEvents interface {
	starling.Events
	Close()
}

// openRedis connects to the Redis that servers of one community share and
// checks it answers.
func openRedis(ctx context.Context, redisURL string) (*redis.Client, error) {
	opts, err := redis.ParseURL(redisURL)
	if err != nil {
		return nil, fmt.Errorf("--redis: %w", err)
	}
	if opts.DialTimeout == 0 { // unless the URL sets dial_timeout: a Redis that is down should cost a post 1 s, not 5
		opts.DialTimeout = time.Second
	}
	rdb := redis.NewClient(opts)
	if err := rdb.Ping(ctx).Err(); err != nil {
		rdb.Close()
		return nil, fmt.Errorf("--redis: %w", err)
	}
	return rdb, nil
}

// openMediaFiles returns where uploads go: the S3 bucket if one is set,
// else the data folder.
func openMediaFiles(ctx context.Context, cfg Config) (starling.MediaFiles, error) {
	if cfg.MediaS3 == "" {
		return diskmedia.New(filepath.Join(cfg.Data, "media"))
	}
	f, err := s3media.New(ctx, s3media.Config{URL: cfg.MediaS3, AccessKey: cfg.MediaS3Access, SecretKey: cfg.MediaS3Secret, Region: cfg.MediaS3Region})
	if err != nil {
		return nil, fmt.Errorf("--media-s3: %w", err)
	}
	return f, nil
}

// newEvents returns the events service: in process, or over Redis when
// several servers share the work.
func newEvents(ctx context.Context, rdb *redis.Client, prefix string) (closingEvents, error) {
	if rdb == nil {
		return events.NewHub(0), nil
	}
	e, err := redisevents.New(ctx, rdb, prefix)
	if err != nil {
		return nil, fmt.Errorf("--redis: %w", err)
	}
	return e, nil
}

func baseURLIsHTTPS(u string) bool { return len(u) > 8 && u[:8] == "https://" }

// newHandler joins the front doors: the Mastodon API, the web pages and the
// health check, behind the shared middleware.
func newHandler(svc *starling.Service, logger *slog.Logger, m *metrics.Metrics, cfg Config, buckets server.Buckets, limits *mastodon.RateLimits) http.Handler {
	secure, authRate := cfg.TLSCert != "" || baseURLIsHTTPS(svc.Instance().BaseURL), cfg.AuthRate
	// One budget per client address for everything that checks a password,
	// issues tokens or creates accounts: 30 at once, then authRate a minute.
	var limiter *server.Limiter
	if authRate > 0 {
		limiter = server.NewLimiter(time.Minute/time.Duration(authRate), 30)
		if buckets != nil {
			limiter.Share("auth", buckets)
		}
	}
	api := mastodon.NewHandler(svc, mastodon.Options{Limiter: limiter, RateLimits: limits,
		Streams: mastodon.StreamOptions{MaxTotal: cfg.StreamLimit, MaxPerToken: cfg.StreamPerTok}})
	mux := http.NewServeMux()
	mux.Handle("/api/", api)
	mux.Handle("/oauth/token", api)
	mux.Handle("/oauth/revoke", api)
	mux.Handle("/.well-known/", api)
	mux.Handle("/nodeinfo/", api)
	mux.Handle("GET "+server.MediaPath+"{key...}", server.MediaFiles(svc))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := svc.Ping(ctx); err != nil {
			server.LogError(r, err)
			server.WriteJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "error": "database unreachable"})
			return
		}
		server.WriteJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	var forms *server.Limiter // web forms (POST) get the API's general budget, per client address and per account
	if limits != nil {
		forms = server.NewLimiterPer(limits.API.N, limits.API.Period)
		if buckets != nil {
			forms.Share("web-forms", buckets)
		}
	}
	mux.Handle("/", web.LimitForms(web.NewHandler(svc, web.Options{SecureCookies: secure, Limiter: limiter, FormLimiter: forms}), forms))
	// The metrics middleware must see the same *http.Request the mux records
	// the matched route on, so it comes after the one that copies the request.
	return server.Chain(mux, server.WithRequestID, m.Middleware, server.WithAccessLog(logger), server.WithRecovery, server.WithSecurityHeaders, server.WithCORS)
}
