package diskmedia_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"starling"
	"starling/diskmedia"
	"starling/internal/mediatest"
)

func TestDiskFiles(t *testing.T) {
	f, err := diskmedia.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	mediatest.Contract(t, f)
}

// TestKeysStayInside: keys that climb out of the media folder are refused,
// and a file beside the folder stays unread.
func TestKeysStayInside(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "secret.txt"), []byte("not media"), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := diskmedia.New(filepath.Join(dir, "media"))
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"../secret.txt", "a/../../secret.txt", "/etc/passwd", "a\\..\\..\\secret.txt", "", ".", "a//b", "a/./b"} {
		if _, _, err := f.Get(context.Background(), key); starling.ErrorCode(err) != starling.ENOTFOUND {
			t.Errorf("Get(%q) = %v, want ENOTFOUND", key, err)
		}
		if err := f.Put(context.Background(), key, strings.NewReader("x"), 1, "text/plain"); err == nil {
			t.Errorf("Put(%q) was taken", key)
		}
	}
}
