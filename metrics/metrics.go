// Package metrics exposes Starling's measurements in the Prometheus format:
// HTTP request latency per route, database statement and transaction
// durations, and the Go runtime and process figures (CPU seconds, resident
// memory) that the Prometheus client library collects.
package metrics

import (
	"net/http"
	"net/http/pprof"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics holds the collectors of one server process.
type Metrics struct {
	registry   *prometheus.Registry
	requests   *prometheus.HistogramVec
	statements *prometheus.HistogramVec
	txs        *prometheus.HistogramVec
}

// Buckets from 100 µs to 10 s: timeline reads take a fraction of a
// millisecond, a post to a large audience a good part of a second.
var latencyBuckets = []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}

// New returns Metrics registered on a registry of their own, with the Go
// runtime and process collectors.
func New() *Metrics {
	m := &Metrics{registry: prometheus.NewRegistry()}
	m.requests = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "starling_http_request_duration_seconds", Help: "Time to answer HTTP requests, by route pattern, method and status class.",
		Buckets: latencyBuckets,
	}, []string{"route", "method", "status"})
	m.statements = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "starling_db_statement_duration_seconds", Help: "Time of database statements, by kind (query or exec) and outcome.",
		Buckets: latencyBuckets,
	}, []string{"op", "outcome"})
	m.txs = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "starling_db_transaction_duration_seconds", Help: "Time of read-write transactions including the commit (on SQLite one per group-committed batch), by outcome.",
		Buckets: latencyBuckets,
	}, []string{"outcome"})
	m.registry.MustRegister(m.requests, m.statements, m.txs,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func outcome(err error) string {
	if err != nil {
		return "error"
	}
	return "ok"
}

// ObserveStatement implements sqldb.Observer.
func (m *Metrics) ObserveStatement(op, _ string, _ []any, d time.Duration, err error) {
	m.statements.WithLabelValues(op, outcome(err)).Observe(d.Seconds())
}

// ObserveTx implements sqldb.Observer.
func (m *Metrics) ObserveTx(d time.Duration, err error) {
	m.txs.WithLabelValues(outcome(err)).Observe(d.Seconds())
}

// statusWriter remembers the status code written.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (s *statusWriter) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// Middleware times each request under the pattern of the route that served
// it, which ServeMux records on the request (never the raw path, which
// would make a series per status ID).
func (m *Metrics) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		route := r.Pattern
		if route == "" {
			route = "unmatched"
		}
		status := sw.status
		if status == 0 {
			status = http.StatusOK
		}
		m.requests.WithLabelValues(route, r.Method, strconv.Itoa(status/100)+"xx").Observe(time.Since(start).Seconds())
	})
}

// DebugHandler serves /metrics and the pprof profiles under /debug/pprof/.
// It is for a loopback listener only: profiles reveal the program's insides.
func (m *Metrics) DebugHandler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{}))
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return mux
}
