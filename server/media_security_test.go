package server_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"starling/apptest"
	"starling/diskmedia"
	"starling/imaging"
	"starling/server"
)

// TestMediaTraversal asks the media handler, over real HTTP, for files
// outside the media folder in every spelling a path can climb in: dot
// segments plain and encoded, backslashes, absolute paths and NUL. Each is
// 400 or 404 (or ServeMux's redirect to the cleaned path, which is then 404) and never
// the content of the secret file beside the folder.
func TestMediaTraversal(t *testing.T) {
	svc, _ := apptest.MustService(t, "sqlite", apptest.Instance())
	base := t.TempDir()
	root := filepath.Join(base, "media")
	files, err := diskmedia.New(root)
	if err != nil {
		t.Fatal(err)
	}
	svc.SetMediaFiles(files, imaging.Processor{})
	const secret = "TOP-SECRET-CONTENT"
	if err := os.WriteFile(filepath.Join(base, "secret.txt"), []byte(secret), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(root, "a"), 0o750); err != nil {
		t.Fatal(err)
	}
	// A real file, so the handler is shown to serve what it should.
	if err := files.Put(context.Background(), "a/ok.txt", strings.NewReader("fine"), 4, "text/plain"); err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET "+server.MediaPath+"{key...}", server.MediaFiles(svc))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	// raw sends the request line exactly as written, past any client-side cleaning.
	raw := func(target string) (int, string) {
		conn, err := net.Dial("tcp", srv.Listener.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", target, srv.Listener.Addr())
		res, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatalf("%s: %v", target, err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode/100 == 3 { // ServeMux cleaning dot segments: follow it once
			loc := res.Header.Get("Location")
			r2, err := http.Get(srv.URL + loc)
			if err != nil {
				t.Fatal(err)
			}
			defer r2.Body.Close()
			b2, _ := io.ReadAll(r2.Body)
			return r2.StatusCode, string(b2)
		}
		return res.StatusCode, string(b)
	}

	if code, body := raw("/media/a/ok.txt"); code != http.StatusOK || body != "fine" {
		t.Fatalf("the real file: %d %q", code, body)
	}
	for _, target := range []string{
		"/media/../secret.txt",
		"/media/../../etc/passwd",
		"/media/a/../../secret.txt",
		"/media/%2e%2e/secret.txt",
		"/media/%2e%2e%2fsecret.txt",
		"/media/a/%2e%2e%2f%2e%2e%2fsecret.txt",
		"/media/%2E%2E%2Fsecret.txt",
		"/media/..%2fsecret.txt",
		"/media/..%5csecret.txt",
		"/media/a%5c..%5c..%5csecret.txt",
		"/media/a\\..\\..\\secret.txt",
		"/media//etc/passwd",
		"/media/%2fetc%2fpasswd",
		"/media/" + strings.TrimPrefix(filepath.Join(base, "secret.txt"), "/"),
		"/media/%2F" + strings.TrimPrefix(filepath.Join(base, "secret.txt"), "/"),
		"/media/a/ok.txt%00",
		"/media/..%00/secret.txt",
		"/media/%252e%252e%252fsecret.txt",
		"/media/.",
	} {
		code, body := raw(target)
		if code != http.StatusNotFound && code != http.StatusBadRequest {
			t.Errorf("GET %s: status %d, want 400 or 404", target, code)
		}
		if strings.Contains(body, secret) || strings.Contains(body, "root:") {
			t.Errorf("GET %s: served the file outside the media folder", target)
		}
	}
}
