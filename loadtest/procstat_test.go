package loadtest

import (
	"os"
	"runtime"
	"testing"
	"time"
)

// A /proc/PID/stat line whose command name holds a space and a parenthesis,
// which naive splitting on spaces gets wrong. utime 250, stime 130.
const statFixture = "4242 (star ling) srv) S 1 4242 4242 0 -1 4194560 2211 0 0 0 250 130 0 0 20 0 9 0 12345 1288490188 5120 18446744073709551615 1 1 0 0 0 0 0 0 2143420159 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 0\n"

const statusFixture = `Name:	starling
Umask:	0022
State:	S (sleeping)
VmPeak:	 1258292 kB
VmHWM:	   40960 kB
VmRSS:	   30720 kB
RssAnon:	   20480 kB
RssFile:	   10240 kB
RssShmem:	       0 kB
Threads:	9
`

func TestParseStat(t *testing.T) {
	got, err := ParseStat(statFixture, 100)
	if err != nil {
		t.Fatal(err)
	}
	if want := 3800 * time.Millisecond; got != want {
		t.Fatalf("CPU = %s, want %s (380 ticks of 10 ms)", got, want)
	}
	if got, _ := ParseStat(statFixture, 1000); got != 380*time.Millisecond {
		t.Fatalf("at 1000 ticks/s: CPU = %s, want 380ms", got)
	}
	for name, in := range map[string]string{
		"ErrEmpty":     "",
		"ErrNoName":    "4242 S 1 2 3",
		"ErrShort":     "4242 (x) S 1 2 3",
		"ErrNotNumber": "4242 (x) S 1 4242 4242 0 -1 4194560 2211 0 0 0 lots 130 0 0",
	} {
		t.Run(name, func(t *testing.T) {
			if d, err := ParseStat(in, 100); err == nil {
				t.Fatalf("ParseStat(%q) = %s, want an error", in, d)
			}
		})
	}
}

func TestParseStatus(t *testing.T) {
	anon, hwm, err := ParseStatus(statusFixture)
	if err != nil {
		t.Fatal(err)
	}
	if anon != 20480*1024 || hwm != 40960*1024 {
		t.Fatalf("RssAnon %d, VmHWM %d; want %d and %d bytes", anon, hwm, 20480*1024, 40960*1024)
	}
	if _, _, err := ParseStatus("RssAnon:\tmany kB\n"); err == nil {
		t.Fatal("accepted a malformed RssAnon")
	}
	if anon, hwm, err := ParseStatus("Name:\told kernel\n"); err != nil || anon != 0 || hwm != 0 {
		t.Fatalf("missing fields: %d, %d, %v; want zeros", anon, hwm, err)
	}
}

// TestReadProcSelf reads this test process: its CPU time must grow while it works.
func TestReadProcSelf(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("/proc is Linux only")
	}
	ticks, measured := ClockTicks()
	if !measured {
		t.Logf("getconf CLK_TCK unavailable; assuming %d", ticks)
	}
	before, err := ReadProc(os.Getpid(), ticks)
	if err != nil {
		t.Fatal(err)
	}
	if before.RssAnon <= 0 || before.VmHWM <= 0 {
		t.Fatalf("sample %+v: want memory figures", before)
	}
	// Spin until the kernel has counted at least two ticks more.
	var after ProcSample
	x := 0
	for start := time.Now(); time.Since(start) < 5*time.Second; {
		for i := range 10_000_000 {
			x += i
		}
		if after, err = ReadProc(os.Getpid(), ticks); err != nil {
			t.Fatal(err)
		}
		if after.CPU-before.CPU >= 2*time.Second/time.Duration(ticks) {
			break
		}
	}
	if after.CPU <= before.CPU {
		t.Fatalf("CPU time did not grow after a busy loop: %s then %s (%d)", before.CPU, after.CPU, x)
	}
	if _, err := ReadProc(-1, ticks); err == nil {
		t.Fatal("ReadProc(-1) did not fail")
	}
}

// TestProcWatch samples this process over a short while.
func TestProcWatch(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("/proc is Linux only")
	}
	w, err := startProcWatch(os.Getpid(), 100, 5*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	ballast := make([]byte, 32<<20)
	for i := range ballast {
		ballast[i] = 1 // touch every page so it is resident
	}
	time.Sleep(30 * time.Millisecond)
	before, after, peak, err := w.finish()
	runtime.KeepAlive(ballast)
	if err != nil {
		t.Fatal(err)
	}
	if peak < before.RssAnon || peak < after.RssAnon || peak < 32<<20 {
		t.Fatalf("peak %d below the samples (%d, %d) or the 32 MiB touched", peak, before.RssAnon, after.RssAnon)
	}
}
