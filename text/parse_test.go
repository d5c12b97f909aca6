package text

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// parseTests are shared with the fuzzers as seeds.
var parseTests = []struct {
	name string
	in   string
	want Parsed
}{
	{"Empty", "", Parsed{}},
	{"PlainText", "Nothing to see here.", Parsed{}},

	{"LocalMention", "hi @alice", Parsed{Mentions: []Mention{{"alice", ""}}}},
	{"RemoteMention", "hi @bob@Example.org!", Parsed{Mentions: []Mention{{"bob", "Example.org"}}}},
	{"MentionAtStart", "@alice hi", Parsed{Mentions: []Mention{{"alice", ""}}}},
	{"MentionInParentheses", "(@alice)", Parsed{Mentions: []Mention{{"alice", ""}}}},
	{"MentionDomainTrailingDot", "ask @alice@example.org.", Parsed{Mentions: []Mention{{"alice", "example.org"}}}},
	{"MentionUsernameTrailingDot", "thanks @alice.", Parsed{Mentions: []Mention{{"alice", ""}}}},
	{"MentionDotsInsideUsername", "@first.last@example.org and @a-b", Parsed{Mentions: []Mention{{"first.last", "example.org"}, {"a-b", ""}}}},
	{"MentionPunctuationAfter", "@alice, @bob: @carol!", Parsed{Mentions: []Mention{{"alice", ""}, {"bob", ""}, {"carol", ""}}}},
	{"MentionBeforeCJK", "@alice你好", Parsed{Mentions: []Mention{{"alice", ""}}}},
	{"MentionDedupe", "@Alice @alice @ALICE@example.org @alice@EXAMPLE.org", Parsed{Mentions: []Mention{{"Alice", ""}, {"ALICE", "example.org"}}}},
	{"EmailIsNotMention", "mail bob@example.org", Parsed{}},
	{"MentionAfterSlash", "a/@alice", Parsed{}},
	{"MentionAfterAt", "@@alice", Parsed{}},
	{"MentionAfterEquals", "x=@alice", Parsed{}},
	{"MentionFollowedByAt", "@alice@ hi", Parsed{}},
	{"MentionFollowedByAccent", "@josé", Parsed{}},
	{"MentionFollowedByScheme", "@https://example.org", Parsed{}},
	{"LoneAt", "@ @. @_", Parsed{Mentions: []Mention{{"_", ""}}}},

	{"Tag", "#care", Parsed{Tags: []string{"care"}}},
	{"TagDedupe", "#Care #care #CARE", Parsed{Tags: []string{"Care"}}},
	{"TagDigitsOnly", "#2024", Parsed{}},
	{"TagDigitsAndLetters", "#adass2024 #2024adass", Parsed{Tags: []string{"adass2024", "2024adass"}}},
	{"CSharp", "I like C# and F#.", Parsed{}},
	{"TagTrailingPunctuation", "#care, #social! #work. #life?", Parsed{Tags: []string{"care", "social", "work", "life"}}},
	{"TagUnicode", "#café #日本語 #Ñandú", Parsed{Tags: []string{"café", "日本語", "Ñandú"}}},
	{"TagMiddleDot", "#l·lengua·", Parsed{Tags: []string{"l·lengua"}}},
	{"TagZWNJ", "#می\u200cخواهم", Parsed{Tags: []string{"می\u200cخواهم"}}},
	{"TagUnderscore", "#_ #__ #_a #social_care", Parsed{Tags: []string{"_a", "social_care"}}},
	{"TagAfterSlash", "a/#b", Parsed{}},
	{"TagAfterParenthesis", "(a)#b", Parsed{}},
	{"TagAfterAmpersand", "&#39;", Parsed{}},
	{"TagAfterHash", "##b", Parsed{}},
	{"TagAfterLetter", "a#b", Parsed{}},
	{"TagFollowedByEmoji", "#fun😀", Parsed{Tags: []string{"fun"}}},
	{"TagFollowedByHash", "#one#two", Parsed{Tags: []string{"one"}}},
	{"KeycapEmoji", "#\uFE0F\u20E3", Parsed{}},
	{"TagGluedToLink", "#foohttps://example.org", Parsed{Tags: []string{"foo"}}},

	{"URL", "see https://example.org", Parsed{URLs: []string{"https://example.org"}}},
	{"URLHTTP", "http://example.org/path", Parsed{URLs: []string{"http://example.org/path"}}},
	{"URLUpperCaseScheme", "HTTPS://EXAMPLE.ORG/A", Parsed{URLs: []string{"HTTPS://EXAMPLE.ORG/A"}}},
	{"URLWithoutScheme", "example.com www.example.com", Parsed{}},
	{"URLOtherScheme", "ftp://example.org javascript:alert(1)", Parsed{}},
	{
		"URLTrailingPunctuation",
		"https://example.org/a. https://example.org/b, https://example.org/c! https://example.org/d? https://example.org/e: https://example.org/f;",
		Parsed{URLs: []string{"https://example.org/a", "https://example.org/b", "https://example.org/c", "https://example.org/d", "https://example.org/e", "https://example.org/f"}},
	},
	{
		"URLTrailingQuotes",
		`"https://example.org/a" 'https://example.org/b' “https://example.org/c” «https://example.org/d»`,
		Parsed{URLs: []string{"https://example.org/a", "https://example.org/b", "https://example.org/c", "https://example.org/d"}},
	},
	{"URLHostTrailingDot", "https://example.org.", Parsed{URLs: []string{"https://example.org"}}},
	{"URLFragment", "https://example.org/page#section", Parsed{URLs: []string{"https://example.org/page#section"}}},
	{"URLFragmentWithoutPath", "https://example.org#top", Parsed{URLs: []string{"https://example.org#top"}}},
	{"URLEmptyFragment", "https://example.org# x", Parsed{URLs: []string{"https://example.org"}}},
	{"URLAtInPath", "https://example.org/@alice hi", Parsed{URLs: []string{"https://example.org/@alice"}}},
	{"URLAtAtEndOfPath", "https://example.org/x@", Parsed{URLs: []string{"https://example.org/x"}}},
	{"URLWikipediaParentheses", "(see https://en.wikipedia.org/wiki/Foo_(bar))", Parsed{URLs: []string{"https://en.wikipedia.org/wiki/Foo_(bar)"}}},
	{"URLUnbalancedParenthesis", "(https://example.org/foo)", Parsed{URLs: []string{"https://example.org/foo"}}},
	{"URLNestedParentheses", "https://example.org/a_(b_(c))_d.", Parsed{URLs: []string{"https://example.org/a_(b_(c))_d"}}},
	{"URLEmptyParentheses", "https://example.org/a()", Parsed{URLs: []string{"https://example.org/a"}}},
	{"URLQuery", "https://example.org/search?q=care&page=2.", Parsed{URLs: []string{"https://example.org/search?q=care&page=2"}}},
	{"URLQueryUnicode", "https://example.org/?q=café", Parsed{URLs: []string{"https://example.org/?q=café"}}},
	{"URLPort", "http://example.org:8080/x", Parsed{URLs: []string{"http://example.org:8080/x"}}},
	{"URLPortWithoutDigits", "http://example.org:x", Parsed{URLs: []string{"http://example.org"}}},
	{"URLInternationalHost", "https://café.fr/menu", Parsed{URLs: []string{"https://café.fr/menu"}}},
	{"URLPunycodeTLD", "https://example.xn--p1ai/", Parsed{URLs: []string{"https://example.xn--p1ai/"}}},
	{"URLInvalidHost", "https://localhost/x https://example.c0m https://-bad.org https://.org", Parsed{}},
	{"URLUserinfo", "https://user@example.org", Parsed{}},
	{"URLAfterLetter", "xhttps://example.org", Parsed{}},
	{"URLAfterHash", "#https://example.org", Parsed{}},
	{"URLAfterCJK", "詳細はhttps://example.jp/ です", Parsed{URLs: []string{"https://example.jp/"}}},
	{"URLEndsAtAngleBracket", "<https://example.org/a>", Parsed{URLs: []string{"https://example.org/a"}}},
	{"URLEmoji", "https://example.org/😀", Parsed{URLs: []string{"https://example.org/😀"}}},
	{"URLDedupe", "https://example.org https://example.org https://Example.org", Parsed{URLs: []string{"https://example.org", "https://Example.org"}}},

	{
		"Mixed",
		"Hi @alice@example.org! #SocialCare event: https://example.org/events/1?ref=x#day-2 (bring #tea).",
		Parsed{
			Mentions: []Mention{{"alice", "example.org"}},
			Tags:     []string{"SocialCare", "tea"},
			URLs:     []string{"https://example.org/events/1?ref=x#day-2"},
		},
	},
	{
		"HTMLInText",
		"<script>alert('@alice #x')</script>",
		Parsed{Mentions: []Mention{{"alice", ""}}, Tags: []string{"x"}},
	},
	{
		"CRLF",
		"@alice\r\n#care\r\nhttps://example.org\r\n",
		Parsed{Mentions: []Mention{{"alice", ""}}, Tags: []string{"care"}, URLs: []string{"https://example.org"}},
	},
}

func TestParse(t *testing.T) {
	for _, tt := range parseTests {
		t.Run(tt.name, func(t *testing.T) {
			got := Parse(tt.in)
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Parse(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestMentionAcct(t *testing.T) {
	tests := []struct {
		name string
		m    Mention
		want string
	}{
		{"Local", Mention{Username: "Alice"}, "Alice"},
		{"Remote", Mention{Username: "Bob", Domain: "Example.ORG"}, "Bob@example.org"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.m.Acct(); got != tt.want {
				t.Errorf("Acct() = %q, want %q", got, tt.want)
			}
		})
	}
}
