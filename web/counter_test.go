package web

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"testing"
	"unicode/utf8"

	"github.com/chromedp/chromedp"

	"starling"
	"starling/internal/shareddata"
	txt "starling/text"
)

// TestCounterCountsLikeTheServer runs the compose box's counter (in
// static/app.js) in Chromium over hand-picked cases and over real tweets,
// and compares it with the length the server enforces.
func TestCounterCountsLikeTheServer(t *testing.T) {
	ctx := mustBrowser(t)
	env := mustServer(t, starling.RegistrationsOpen, Options{})
	if err := chromedp.Do(ctx, chromedp.Navigate(env.srv.URL+"/auth/sign_in"), chromedp.WaitReady(chromedp.CSS("footer"))); err != nil {
		t.Fatal(err)
	}
	lengths := func(texts []string) []int {
		t.Helper()
		var out []int
		for len(texts) > 0 {
			n := min(len(texts), 1000)
			arg, err := json.Marshal(texts[:n])
			if err != nil {
				t.Fatal(err)
			}
			got, err := chromedp.Run(ctx, chromedp.Evaluate[[]int](fmt.Sprintf(`%s.map(window.starlingPostLength)`, arg)))
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, got...)
			texts = texts[n:]
		}
		return out
	}

	cases := []string{
		"",
		"plain words",
		"See https://example.org/a/very/long/path/indeed?with=query&and=more#fragment for the report.",
		"Two links: https://a.example and http://b.example/x, then text.",
		"A link in brackets (https://example.org/page) and one with them https://en.wikipedia.org/wiki/Care_(film)",
		"Thanks @ann and @ben@other.example.org for the panel",
		"Emoji: 👩🏽‍⚕️ 🇬🇧 ❤️ and combining é",
		"#adassspring #CareHomes #dementia",
		"Ends with a link https://example.org.",
		"email ann@example.org is not a mention",
		"日本語のテキストと https://example.jp/パス",
	}
	server := make([]int, len(cases))
	for i, c := range cases {
		server[i] = txt.Length(c)
	}
	browser := lengths(cases)
	for i := range cases {
		if browser[i] != server[i] {
			t.Errorf("%q: counter %d, server %d", cases[i], browser[i], server[i])
		}
	}

	// Real posts: many languages, emoji, links and mentions.
	var tweets []string
	for _, name := range []string{"mayweather-mcgregor-tweets.csv", "twitter-ratio-BarackObama.csv"} {
		f, err := os.Open(shareddata.Path(t, "tweets-fivethirtyeight", name))
		if err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(f).ReadAll()
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		col := -1
		for i, h := range recs[0] {
			if h == "text" {
				col = i
			}
		}
		for _, r := range recs[1:] {
			// Posts that are not valid UTF-8 never reach a text box, and
			// the server refuses them anyway.
			if utf8.ValidString(r[col]) {
				tweets = append(tweets, r[col])
			}
		}
	}
	got := lengths(tweets)
	differ := 0
	for i, s := range tweets {
		if want := txt.Length(s); got[i] != want {
			if differ < 10 {
				t.Logf("differs: %q: counter %d, server %d", s, got[i], want)
			}
			differ++
		}
	}
	t.Logf("the counter agrees with the server on %d of %d real posts", len(tweets)-differ, len(tweets))
	if differ > 0 {
		t.Errorf("the counter disagrees with the server on %d of %d real posts", differ, len(tweets))
	}
}
