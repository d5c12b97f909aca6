package mastodon_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"starling/internal/shareddata"
)

// TestRealPostsWithBrokenEncoding posts real tweets whose bytes are partly
// not UTF-8 (FiveThirtyEight's twitter-ratio files), raw, as a form body:
// valid text is accepted, broken text is refused with 422, nothing is a 5xx.
func TestRealPostsWithBrokenEncoding(t *testing.T) {
	path := shareddata.Path(t, "tweets-fivethirtyeight", "twitter-ratio-BarackObama.csv")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// csv.Reader keeps invalid bytes as they are, which is what we want to send.
	r := csv.NewReader(bytes.NewReader(raw))
	r.LazyQuotes = true
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	ts := MustServer(t, "sqlite")
	alice := ts.MustUser(t, "alice")
	var valid, broken int
	for _, row := range rows[1:min(len(rows), 401)] {
		text := row[1]
		body := "status=" + percentEncode(text)
		res := ts.MustDo(t, request{method: "POST", path: "/api/v1/statuses", token: alice.Token, body: body, contentType: "application/x-www-form-urlencoded"})
		switch {
		case res.Status >= 500:
			t.Fatalf("a real tweet gave %d: %s (text %q)", res.Status, res.Body, text)
		case !utf8.ValidString(text) && res.Status != 422:
			t.Fatalf("invalid UTF-8 gave %d, want 422: %s", res.Status, res.Body)
		case !utf8.ValidString(text):
			broken++
		case res.Status == 200:
			valid++
		}
	}
	if broken == 0 || valid == 0 {
		t.Fatalf("%d valid and %d broken tweets posted; the data should hold both", valid, broken)
	}
	t.Logf("%d real tweets accepted, %d with broken encoding refused with 422", valid, broken)
}

// percentEncode escapes every byte, so invalid UTF-8 reaches the server unchanged.
func percentEncode(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}
