package loadtest

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ProcSample is what /proc tells about a process at one moment (Linux only).
type ProcSample struct {
	CPU     time.Duration // user + system CPU time since the process started
	RssAnon int64         // resident anonymous memory (heap, stacks), bytes
	VmHWM   int64         // peak resident set size since the process started, bytes
}

// ClockTicks returns the kernel's clock ticks per second (USER_HZ), the unit
// of the CPU times in /proc/PID/stat, from `getconf CLK_TCK`. If that cannot
// be run it returns 100, the value on almost every Linux system, and
// measured=false so the caller can say it assumed it.
func ClockTicks() (ticks int64, measured bool) {
	out, err := exec.Command("getconf", "CLK_TCK").Output()
	if err == nil {
		if n, err := strconv.ParseInt(strings.TrimSpace(string(out)), 10, 64); err == nil && n > 0 {
			return n, true
		}
	}
	return 100, false
}

// ParseStat reads utime + stime from the contents of /proc/PID/stat, in
// ticks of 1/ticksPerSecond s.
func ParseStat(stat string, ticksPerSecond int64) (time.Duration, error) {
	// Field 2, the command name, is in parentheses and may itself hold
	// spaces and parentheses, so count fields from the last ')'.
	end := strings.LastIndexByte(stat, ')')
	if end < 0 || ticksPerSecond <= 0 {
		return 0, fmt.Errorf("malformed /proc stat %.40q", stat)
	}
	f := strings.Fields(stat[end+1:])
	// f[0] is field 3 (state), so utime (field 14) and stime (15) are f[11], f[12].
	if len(f) < 13 {
		return 0, fmt.Errorf("malformed /proc stat: %d fields after the name", len(f))
	}
	var ticks int64
	for _, s := range f[11:13] {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("malformed /proc stat: %q is not a tick count", s)
		}
		ticks += n
	}
	return time.Duration(ticks) * time.Second / time.Duration(ticksPerSecond), nil
}

// ParseStatus reads RssAnon and VmHWM, in bytes, from the contents of
// /proc/PID/status. A field the kernel does not report (RssAnon is missing
// before Linux 4.5) is 0.
func ParseStatus(status string) (rssAnon, hwm int64, err error) {
	for line := range strings.Lines(status) {
		name, value, ok := strings.Cut(line, ":")
		if !ok || name != "RssAnon" && name != "VmHWM" {
			continue
		}
		f := strings.Fields(value)
		if len(f) != 2 || f[1] != "kB" {
			return 0, 0, fmt.Errorf("malformed /proc status line %q", strings.TrimSpace(line))
		}
		kb, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			return 0, 0, fmt.Errorf("malformed /proc status line %q", strings.TrimSpace(line))
		}
		if name == "RssAnon" {
			rssAnon = kb * 1024
		} else {
			hwm = kb * 1024
		}
	}
	return rssAnon, hwm, nil
}

// ReadProc samples the process pid.
func ReadProc(pid int, ticksPerSecond int64) (ProcSample, error) {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return ProcSample{}, err
	}
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return ProcSample{}, err
	}
	var s ProcSample
	if s.CPU, err = ParseStat(string(stat), ticksPerSecond); err != nil {
		return s, err
	}
	s.RssAnon, s.VmHWM, err = ParseStatus(string(status))
	return s, err
}

// procWatch samples a process before a phase, every interval during it (for
// the peak of RssAnon, which VmHWM cannot give because it counts file pages
// too and never comes down), and after.
type procWatch struct {
	pid   int
	ticks int64
	stop  chan struct{}
	done  chan struct{}

	mu     sync.Mutex
	before ProcSample
	peak   int64
	err    error
}

func startProcWatch(pid int, ticks int64, interval time.Duration) (*procWatch, error) {
	before, err := ReadProc(pid, ticks)
	if err != nil {
		return nil, err
	}
	w := &procWatch{pid: pid, ticks: ticks, stop: make(chan struct{}), done: make(chan struct{}), before: before, peak: before.RssAnon}
	go func() {
		defer close(w.done)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-w.stop:
				return
			case <-t.C:
				w.sample()
			}
		}
	}()
	return w, nil
}

func (w *procWatch) sample() ProcSample {
	s, err := ReadProc(w.pid, w.ticks)
	w.mu.Lock()
	defer w.mu.Unlock()
	if err != nil {
		w.err = err
		return s
	}
	w.peak = max(w.peak, s.RssAnon)
	return s
}

// finish stops sampling and returns the samples before and after, and the
// highest RssAnon seen.
func (w *procWatch) finish() (before, after ProcSample, peak int64, err error) {
	close(w.stop)
	<-w.done
	after = w.sample()
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.before, after, w.peak, w.err
}
