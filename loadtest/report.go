package loadtest

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"
)

// Report is the outcome of a run. Its JSON form is what --json writes.
type Report struct {
	URL           string        `json:"url"`
	ServerVersion string        `json:"server_version"` // from /api/v2/instance
	StartedAt     time.Time     `json:"started_at"`
	Settings      Settings      `json:"settings"`
	Phases        []PhaseResult `json:"phases"`
	Notes         []string      `json:"notes,omitempty"` // fallbacks and assumptions worth knowing
}

// Settings are the run's configuration as the report shows it.
type Settings struct {
	Users           int      `json:"users"`
	Registered      bool     `json:"registered"` // the users were created by this run
	Setup           string   `json:"setup"`
	Follows         int      `json:"follows,omitempty"`
	Skew            float64  `json:"skew,omitempty"`
	Graph           string   `json:"graph,omitempty"`
	SeedPosts       int      `json:"seed_posts,omitempty"`
	Concurrency     int      `json:"concurrency"`
	DurationSeconds float64  `json:"duration_s"`
	Phases          []string `json:"phases"`
	Seed            uint64   `json:"seed"`
	FreshPairs      int      `json:"fresh_pairs"`
	Stream          bool     `json:"stream"`
	ServerPID       int      `json:"server_pid,omitempty"`
	ClockTicks      int64    `json:"clock_ticks,omitempty"`
}

// PhaseResult is what one phase measured. Latency covers successful requests
// only; failed ones are in Errors and ErrorLatency.
type PhaseResult struct {
	Name            string           `json:"phase"`
	Concurrency     int              `json:"concurrency"`
	DurationSeconds float64          `json:"duration_s"` // from the first request's start to the last one's end
	Requests        int              `json:"requests"`
	OK              int              `json:"ok"`
	ErrorCount      int              `json:"error_count"`
	Errors          map[string]int   `json:"errors"` // by HTTP status, or "net"
	RPS             float64          `json:"rps"`
	Latency         Percentiles      `json:"latency_ms"`
	ErrorLatency    *Percentiles     `json:"error_latency_ms,omitempty"`
	Server          *ServerUsage     `json:"server,omitempty"` // with --server-pid
	Freshness       *FreshnessResult `json:"freshness,omitempty"`
	Note            string           `json:"note,omitempty"`
}

// ServerUsage is the server process's CPU and memory over a phase.
type ServerUsage struct {
	CPUSeconds          float64 `json:"cpu_s"`
	CPUMicrosPerRequest float64 `json:"cpu_us_per_request"`
	// CPUVsBaseline is CPUMicrosPerRequest over the baseline phase's; null
	// when the baseline did not run or used no measurable CPU.
	CPUVsBaseline   *float64 `json:"cpu_vs_baseline"`
	RssAnonMiB      float64  `json:"rss_anon_mib"`      // at the end of the phase
	RssAnonPeakMiB  float64  `json:"rss_anon_peak_mib"` // highest seen, sampled every 250 ms
	VmHWMMiB        float64  `json:"vm_hwm_mib"`        // peak RSS since the server started
	RssAnonStartMiB float64  `json:"rss_anon_start_mib"`
}

// FreshnessResult is how long posts took to reach a follower's home timeline.
type FreshnessResult struct {
	Pairs  int         `json:"pairs"`
	Probes int         `json:"probes"` // posts whose arrival was waited for
	Seen   int         `json:"seen"`
	Missed int         `json:"missed"` // not in the timeline within 10 s
	Delay  Percentiles `json:"delay_ms"`
	Stream string      `json:"stream,omitempty"` // with --stream: why there is no streaming figure
}

func newPhaseResult(name string, concurrency int, run Outcome) PhaseResult {
	s := run.Stats.Summary()
	r := PhaseResult{
		Name: name, Concurrency: concurrency, DurationSeconds: run.Elapsed.Seconds(),
		Requests: s.Requests, OK: s.OK, ErrorCount: s.ErrorCount(), Errors: s.Errors, Latency: s.Latency,
	}
	if s.ErrorCount() > 0 {
		r.ErrorLatency = &s.ErrorLatency
	}
	if run.Elapsed > 0 {
		r.RPS = float64(s.Requests) / run.Elapsed.Seconds()
	}
	return r
}

const mib = 1 << 20

func newServerUsage(before, after ProcSample, peak int64, requests int) *ServerUsage {
	cpu := after.CPU - before.CPU
	u := &ServerUsage{
		CPUSeconds: cpu.Seconds(), RssAnonMiB: float64(after.RssAnon) / mib, RssAnonPeakMiB: float64(max(peak, after.RssAnon)) / mib,
		VmHWMMiB: float64(after.VmHWM) / mib, RssAnonStartMiB: float64(before.RssAnon) / mib,
	}
	if requests > 0 {
		u.CPUMicrosPerRequest = float64(cpu.Microseconds()) / float64(requests)
	}
	return u
}

// WriteJSON writes the report, indented, to the file path.
func (r *Report) WriteJSON(path string) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// WriteTable writes the report for people: a header, one row per phase and
// the notes.
func (r *Report) WriteTable(w io.Writer) error {
	s := r.Settings
	var b strings.Builder
	fmt.Fprintf(&b, "starling bench: %s, server version %q\n", r.URL, r.ServerVersion)
	fmt.Fprintf(&b, "%d users, setup %s, concurrency %d, %s per phase, seed %d\n",
		s.Users, s.Setup, s.Concurrency, time.Duration(s.DurationSeconds*float64(time.Second)), s.Seed)
	b.WriteString("Latencies in ms, of successful requests only; errors by HTTP status, \"net\" for network failures.\n\n")

	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	withServer := s.ServerPID > 0
	head := fmt.Sprintf("%-9s\t", "phase") + "requests\treq/s\tp50\tp90\tp99\tmax\t"
	if withServer {
		head += "cpu s\tcpu µs/req\t×baseline\tRssAnon MiB\tpeak MiB\t"
	}
	fmt.Fprintln(tw, head+"  errors")
	for _, p := range r.Phases {
		fmt.Fprintf(tw, "%-9s\t%d\t%.1f\t%.2f\t%.2f\t%.2f\t%.2f\t", p.Name, p.Requests, p.RPS,
			p.Latency.P50, p.Latency.P90, p.Latency.P99, p.Latency.Max)
		if withServer {
			if u := p.Server; u != nil {
				vs := "-"
				if u.CPUVsBaseline != nil {
					vs = fmt.Sprintf("%.2f", *u.CPUVsBaseline)
				}
				fmt.Fprintf(tw, "%.2f\t%.1f\t%s\t%.1f\t%.1f\t", u.CPUSeconds, u.CPUMicrosPerRequest, vs, u.RssAnonMiB, u.RssAnonPeakMiB)
			} else {
				fmt.Fprint(tw, "-\t-\t-\t-\t-\t")
			}
		}
		fmt.Fprintf(tw, "  %s\n", formatErrors(p.Errors))
	}
	if err := tw.Flush(); err != nil {
		return err
	}

	for _, p := range r.Phases {
		if f := p.Freshness; f != nil {
			fmt.Fprintf(&b, "\nfreshness: %d posts on %d poster/follower pairs; from the POST's answer to the status in the follower's home timeline (polled every %s):\n",
				f.Probes, f.Pairs, pollEvery)
			fmt.Fprintf(&b, "  p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms; never appeared within %s: %d\n",
				f.Delay.P50, f.Delay.P90, f.Delay.P99, f.Delay.Max, pollFor, f.Missed)
			if f.Stream != "" {
				fmt.Fprintf(&b, "  streaming freshness: %s\n", f.Stream)
			}
		}
		if p.Note != "" {
			fmt.Fprintf(&b, "\n%s: %s\n", p.Name, p.Note)
		}
	}
	if len(r.Notes) > 0 {
		b.WriteString("\n")
		for _, n := range r.Notes {
			fmt.Fprintf(&b, "note: %s\n", n)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
