package text

import (
	"encoding/csv"
	"io"
	"os"
	"testing"

	"starling/internal/shareddata"
)

// TestTweets reads real public posts (FiveThirtyEight's Mayweather–McGregor
// tweets, full of emoji, hashtags, mentions and t.co links) from the shared
// data folder beside the repository.
func TestTweets(t *testing.T) {
	tweetsPath := shareddata.Path(t, "tweets-fivethirtyeight", "mayweather-mcgregor-tweets.csv")
	f, err := os.Open(tweetsPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	header, err := r.Read()
	if err != nil {
		t.Fatal(err)
	}
	col := -1
	for i, name := range header {
		if name == "text" {
			col = i
		}
	}
	if col < 0 {
		t.Fatalf("%s has no text column: %q", tweetsPath, header)
	}
	var tweets, tags, mentions, urls int
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		s := rec[col]
		tweets++
		checkParsed(t, s)
		p := Parse(s)
		tags += len(p.Tags)
		mentions += len(p.Mentions)
		urls += len(p.URLs)
		// Rendering and sanitising all of them takes seconds under -race;
		// every fifth tweet still covers thousands of real posts.
		if tweets%5 == 0 {
			checkRendered(t, s, Render(s, testOptions))
		}
		if t.Failed() {
			t.Fatalf("stopping at tweet %d", tweets)
		}
	}
	t.Logf("%d tweets: %d tags, %d mentions, %d links", tweets, tags, mentions, urls)
	// The tweets were collected by hashtag, so almost all have one.
	if tweets == 0 || tags < tweets/2 {
		t.Errorf("found %d tags in %d tweets; the scanner is missing tags", tags, tweets)
	}
}
