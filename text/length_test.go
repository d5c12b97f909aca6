package text

import "testing"

// lengthTests are shared with the fuzzers as seeds.
var lengthTests = []struct {
	name string
	in   string
	want int
}{
	{"Empty", "", 0},
	{"ASCII", "hello", 5},
	{"CJK", "日本語", 3},
	{"CombiningAccent", "he\u0301llo", 5},
	{"ZWJFamily", "👩\u200d👩\u200d👧\u200d👦", 1},
	{"SkinTone", "👍🏽", 1},
	{"Flag", "🇬🇧", 1},
	{"CRLFIsOneCluster", "a\r\nb", 3},
	{"URLCounts23", "https://example.org", 23},
	{"ShortURLCounts23", "http://a.co", 23},
	{"LongURLCounts23", "see https://example.org/a/very/long/path/that/keeps/going/and/going?with=query", 27},
	{"URLWithoutSchemeCountsAsText", "example.com", 11},
	{"LocalMention", "@alice", 6},
	{"RemoteMentionCountsUsername", "@alice@example.org", 6},
	{"EmailCountsAsText", "bob@example.org", 15},
	{"HashtagCountsAsText", "#care", 5},
	{"Mixed", "hi @bob@example.org and https://x.org/ and #tag", 3 + 4 + 5 + 23 + 5 + 4},
	{"InvalidUTF8", "\xff\xfe", 2},
	{"FullLimit", string(make([]byte, 500)), 500},
}

func TestLength(t *testing.T) {
	for _, tt := range lengthTests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Length(tt.in); got != tt.want {
				t.Errorf("Length(%q) = %d, want %d", tt.in, got, tt.want)
			}
		})
	}
}
