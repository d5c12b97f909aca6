package main

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestGenerate(t *testing.T) {
	data := t.TempDir()
	tokens := filepath.Join(t.TempDir(), "tokens.txt")
	var out syncBuffer
	args := []string{"generate", "--data", data, "--accounts", "200", "--posts", "1000", "--follows", "20", "--readers", "5", "--tokens", "3", "--tokens-out", tokens}
	if err := run(context.Background(), args, func(string) string { return "" }, &out, &out); err != nil {
		t.Fatalf("generate: %v\n%s", err, out.String())
	}
	b, err := os.ReadFile(tokens)
	if err != nil {
		t.Fatal(err)
	}
	toks := strings.Fields(string(b))
	if len(toks) != 3 {
		t.Fatalf("%d tokens written, want 3", len(toks))
	}
	// A second run refuses: the database is not empty any more.
	if err := run(context.Background(), args, func(string) string { return "" }, &out, &out); err == nil {
		t.Fatal("generate into a filled database succeeded")
	}
	// A server on the generated data serves the readers their timelines.
	base, _ := MustRunMainOn(t, data)
	req, _ := http.NewRequest("GET", base+"/api/v1/timelines/home?limit=20", nil)
	req.Header.Set("Authorization", "Bearer "+toks[0])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Link"), "max_id") {
		t.Fatalf("home timeline with a generated token: %d, Link %q; want 200 and a non-empty page", resp.StatusCode, resp.Header.Get("Link"))
	}
}
