// Package mediatest checks that a starling.MediaFiles behaves as the rest
// of Starling expects, whatever stores the files.
package mediatest

import (
	"bytes"
	"context"
	"io"
	"testing"

	"starling"
)

// Contract puts, reads, replaces and deletes files in files.
func Contract(t *testing.T, files starling.MediaFiles) {
	ctx := context.Background()
	body := bytes.Repeat([]byte("starling "), 20000) // 180 kB: more than one read
	const key = "attachments/1/abc.png"
	if err := files.Put(ctx, key, bytes.NewReader(body), int64(len(body)), "image/png"); err != nil {
		t.Fatal(err)
	}
	rc, info, err := files.Get(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(rc)
	rc.Close()
	if err != nil || !bytes.Equal(got, body) {
		t.Fatalf("read back %d bytes (%v), want the %d put", len(got), err, len(body))
	}
	if info.Size != int64(len(body)) || info.ContentType != "image/png" {
		t.Fatalf("info = %+v", info)
	}
	if err := files.Put(ctx, key, bytes.NewReader([]byte("new")), 3, "image/png"); err != nil {
		t.Fatal(err)
	}
	if rc, _, err := files.Get(ctx, key); err != nil {
		t.Fatal(err)
	} else if got, _ := io.ReadAll(rc); string(got) != "new" {
		t.Fatalf("after replacing: %q", got)
	} else {
		rc.Close()
	}
	if err := files.Delete(ctx, key); err != nil {
		t.Fatal(err)
	}
	if _, _, err := files.Get(ctx, key); starling.ErrorCode(err) != starling.ENOTFOUND {
		t.Fatalf("after delete: %v, want ENOTFOUND", err)
	}
	if err := files.Delete(ctx, key); err != nil {
		t.Fatalf("deleting a missing file: %v", err)
	}
	if _, _, err := files.Get(ctx, "attachments/never/there.png"); starling.ErrorCode(err) != starling.ENOTFOUND {
		t.Fatalf("a file never put: %v, want ENOTFOUND", err)
	}
}
