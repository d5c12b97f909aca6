package metrics

import "github.com/prometheus/client_golang/prometheus"

// FeedSource is what the metrics read of the Redis feeds.
type FeedSource interface {
	// Counts returns the feed pages read and the feeds rebuilt from the database since start.
	Counts() (reads, rebuilds int64)
}

var (
	feedReadsDesc = prometheus.NewDesc("starling_feed_reads_total",
		"Home and list feed pages this server read from Redis.", nil, nil)
	feedRebuildsDesc = prometheus.NewDesc("starling_feed_rebuilds_total",
		"Feeds this server rebuilt from the database because Redis had none (first read, or Redis lost it). A burst after a Redis restart is expected; a steady share of reads means Redis evicts feeds (check maxmemory).", nil, nil)
)

// SetFeeds adds the Redis feeds' figures to /metrics. Call it once.
func (m *Metrics) SetFeeds(src FeedSource) {
	m.registry.MustRegister(feedCollector{src})
}

type feedCollector struct{ src FeedSource }

func (c feedCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- feedReadsDesc
	ch <- feedRebuildsDesc
}

func (c feedCollector) Collect(ch chan<- prometheus.Metric) {
	reads, rebuilds := c.src.Counts()
	ch <- prometheus.MustNewConstMetric(feedReadsDesc, prometheus.CounterValue, float64(reads))
	ch <- prometheus.MustNewConstMetric(feedRebuildsDesc, prometheus.CounterValue, float64(rebuilds))
}
