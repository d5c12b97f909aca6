package s3media_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"

	"starling/internal/mediatest"
	"starling/s3media"
)

// MustBucket connects to a fresh bucket on the test S3 server, or skips
// saying how to run the test.
func MustBucket(t *testing.T) *s3media.Files {
	t.Helper()
	base := os.Getenv("STARLING_TEST_S3_URL")
	if base == "" {
		t.Skip("S3 tests skipped: set STARLING_TEST_S3_URL (e.g. http://127.0.0.1:7070), STARLING_TEST_S3_ACCESS_KEY and STARLING_TEST_S3_SECRET_KEY; .ci/run starts Versity's S3 gateway")
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	f, err := s3media.New(context.Background(), s3media.Config{URL: base + "/starling-test-" + hex.EncodeToString(b[:]),
		AccessKey: os.Getenv("STARLING_TEST_S3_ACCESS_KEY"), SecretKey: os.Getenv("STARLING_TEST_S3_SECRET_KEY")})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestS3Files(t *testing.T) { mediatest.Contract(t, MustBucket(t)) }

func TestBadURL(t *testing.T) {
	for _, u := range []string{"", "ftp://host/bucket", "http://host", "http://host/a/b", "http:///bucket"} {
		if _, err := s3media.New(context.Background(), s3media.Config{URL: u}); err == nil {
			t.Errorf("%q was taken", u)
		}
	}
}
