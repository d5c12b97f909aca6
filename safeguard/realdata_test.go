package safeguard

import (
	"encoding/csv"
	"errors"
	"io"
	"os"
	"slices"
	"strings"
	"testing"

	"starling/internal/shareddata"
)

// tweetFiles are FiveThirtyEight's tweets in the shared data folder: the
// Mayweather–McGregor fight's (emoji, links, many languages) and every
// tweet of two politicians' accounts (partly not UTF-8).
var tweetFiles = []string{
	"mayweather-mcgregor-tweets.csv",
	"twitter-ratio-BarackObama.csv",
	"twitter-ratio-realDonaldTrump.csv",
}

// TestRealPosts scans real public posts and reports how many each rule
// fires on. None of them holds personal data of the kinds looked for (they
// were checked by eye), so every match is a false positive: the counts
// gauge how noisy the rules are on everyday text. Matches are logged
// masked, with a little context, for review.
//
// A second pass scans whole CSV records, columns joined by spaces: tweet
// IDs, timestamps, links, user names and reply, retweet and like counts
// next to each other. That is far denser in numbers than any post, a
// stress test rather than a measure; it is reported, with a looser bound.
func TestRealPosts(t *testing.T) {
	d := mustNew(t, Config{})
	var posts, records []string
	for _, name := range tweetFiles {
		p, r := readTweets(t, shareddata.Path(t, "tweets-fivethirtyeight", name))
		posts = append(posts, p...)
		records = append(records, r...)
	}
	if len(posts) < 15000 {
		t.Fatalf("read only %d posts", len(posts))
	}
	for _, pass := range []struct {
		name  string
		texts []string
		limit int // most texts that may be flagged
	}{
		{"post text", posts, len(posts) / 1000},
		{"whole records", records, len(records) / 100},
	} {
		byRule := make(map[string]int)
		flagged := 0
		for _, text := range pass.texts {
			ms := d.Scan(text)
			checkMatches(t, d, text, ms)
			if len(ms) > 0 {
				flagged++
			}
			seen := make(map[string]bool)
			for _, m := range ms {
				if seen[m.Rule] {
					continue
				}
				seen[m.Rule] = true
				byRule[m.Rule]++
				if byRule[m.Rule] <= 3 {
					t.Logf("%s: %s: …%s[%s]%s…", pass.name, m.Rule,
						around(text, m.Start-20, m.Start), m.Masked(text), around(text, m.End, m.End+20))
				}
			}
		}
		t.Logf("%s: %d of %d flagged", pass.name, flagged, len(pass.texts))
		for _, r := range d.Rules() {
			t.Logf("%s: %-14s %d", pass.name, r.Name, byRule[r.Name])
		}
		if flagged > pass.limit {
			t.Errorf("%s: %d of %d flagged, more than %d", pass.name, flagged, len(pass.texts), pass.limit)
		}
	}
}

// around returns text[from:to], clipped to the text, on one line.
func around(text string, from, to int) string {
	from, to = max(from, 0), min(to, len(text))
	if from >= to {
		return ""
	}
	return strings.ReplaceAll(text[from:to], "\n", " ")
}

// readTweets reads a tweets CSV file, returning the text column and the
// whole records joined by spaces. Fields are kept as bytes: the
// twitter-ratio files are partly not UTF-8, which Scan must take as it is.
func readTweets(t *testing.T, path string) (posts, records []string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.LazyQuotes = true
	header, err := r.Read()
	if err != nil {
		t.Fatal(err)
	}
	col := slices.Index(header, "text")
	if col < 0 {
		t.Fatalf("%s: no text column in %q", path, header)
	}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return posts, records
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		posts = append(posts, rec[col])
		records = append(records, strings.Join(rec, " "))
	}
}
