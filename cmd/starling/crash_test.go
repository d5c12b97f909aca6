package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// MustBuild builds the starling binary into a temporary folder.
func MustBuild(tb testing.TB) string {
	tb.Helper()
	bin := filepath.Join(tb.TempDir(), "starling")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		tb.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func freeAddr(tb testing.TB) string {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startServer starts the binary as its own process.
func startServer(tb testing.TB, bin, addr, data string) *exec.Cmd {
	tb.Helper()
	cmd := exec.Command(bin, "serve", "--listen", addr, "--data", data)
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	MustWaitHealthy(tb, "http://"+addr)
	return cmd
}

// TestCrashSafety kills the server with SIGKILL while clients post, restarts
// it and checks that every post it acknowledged with 200 is there.
func TestCrashSafety(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills a server process")
	}
	bin := MustBuild(t)
	data, addr := t.TempDir(), freeAddr(t)
	base := "http://" + addr
	server := startServer(t, bin, addr, data)

	out, err := exec.Command(bin, "admin", "create-account", "--data", data, "--username", "poster",
		"--email", "poster@example.org", "--password", "password123", "--token").Output()
	if err != nil {
		t.Fatalf("create-account while the server runs: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	token := lines[len(lines)-1]

	var mu sync.Mutex
	var acked []string
	stop := make(chan struct{})
	var wg sync.WaitGroup
	client := &http.Client{Timeout: 5 * time.Second}
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				req, _ := http.NewRequest("POST", base+"/api/v1/statuses", strings.NewReader(url.Values{"status": {fmt.Sprintf("post %d from writer %d #crash", i, w)}}.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("Authorization", "Bearer "+token)
				resp, err := client.Do(req)
				if err != nil {
					return // the server is gone
				}
				var s struct{ ID string }
				err = json.NewDecoder(resp.Body).Decode(&s)
				resp.Body.Close()
				if err == nil && resp.StatusCode == 200 && s.ID != "" {
					mu.Lock()
					acked = append(acked, s.ID)
					mu.Unlock()
				}
			}
		}(w)
	}
	// Let writes flow, then kill the server mid-stream.
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		mu.Lock()
		n := len(acked)
		mu.Unlock()
		if n >= 200 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := server.Process.Signal(os.Kill); err != nil {
		t.Fatal(err)
	}
	_ = server.Wait()
	close(stop)
	wg.Wait()
	if len(acked) < 50 {
		t.Fatalf("only %d posts were acknowledged before the kill; the test needs more to mean anything", len(acked))
	}

	startServer(t, bin, addr, data)
	var missing []string
	for _, id := range acked {
		resp, err := client.Get(base + "/api/v1/statuses/" + id)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		t.Fatalf("%d of %d acknowledged posts are missing after SIGKILL and restart: %v", len(missing), len(acked), missing)
	}
	t.Logf("all %d acknowledged posts survived SIGKILL", len(acked))
}
