package metrics

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// JobSource is what the metrics read of a server's job worker.
type JobSource interface {
	// Counts returns, per kind, the jobs run and the runs that failed since start.
	Counts() (done, failed map[string]int)
	// Queue counts the jobs of all servers by state: due, leased, waiting
	// for a retry, given up.
	Queue(ctx context.Context) (map[string]int, error)
}

var (
	jobRunsDesc = prometheus.NewDesc("starling_jobs_run_total",
		"Background jobs this server ran, by kind and outcome.", []string{"kind", "outcome"}, nil)
	jobQueueDesc = prometheus.NewDesc("starling_jobs_queued",
		"Background jobs in the shared queue, by state (due, leased, later, gave_up). Due growing means workers fall behind; gave_up needs a look.", []string{"state"}, nil)
)

// SetJobs adds the job worker's figures to /metrics. Call it once.
func (m *Metrics) SetJobs(src JobSource) {
	m.registry.MustRegister(jobCollector{src})
}

type jobCollector struct{ src JobSource }

func (c jobCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- jobRunsDesc
	ch <- jobQueueDesc
}

func (c jobCollector) Collect(ch chan<- prometheus.Metric) {
	done, failed := c.src.Counts()
	for kind, n := range done {
		ch <- prometheus.MustNewConstMetric(jobRunsDesc, prometheus.CounterValue, float64(n-failed[kind]), kind, "ok")
		ch <- prometheus.MustNewConstMetric(jobRunsDesc, prometheus.CounterValue, float64(failed[kind]), kind, "error")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if q, err := c.src.Queue(ctx); err == nil {
		for state, n := range q {
			ch <- prometheus.MustNewConstMetric(jobQueueDesc, prometheus.GaugeValue, float64(n), state)
		}
	}
}
