package text

import (
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// testOptions knows the local account alice and the remote account
// bob@example.org, like a server would from its database.
var testOptions = RenderOptions{
	MentionURL: func(m Mention) (string, bool) {
		switch strings.ToLower(m.Acct()) {
		case "alice":
			return "https://starling.example/@alice", true
		case "bob@example.org":
			return "https://example.org/@bob", true
		}
		return "", false
	},
	TagURL: func(tag string) string {
		return "https://starling.example/tags/" + url.PathEscape(NormalizeTag(tag))
	},
}

const (
	aliceHTML = `<span class="h-card" translate="no"><a href="https://starling.example/@alice" class="u-url mention">@<span>alice</span></a></span>`
	bobHTML   = `<span class="h-card" translate="no"><a href="https://example.org/@bob" class="u-url mention">@<span>bob</span></a></span>`
	careHTML  = `<a href="https://starling.example/tags/care" class="mention hashtag" rel="tag">#<span>Care</span></a>`
	linkOpen  = `<a href="%s" target="_blank" rel="nofollow noopener noreferrer" translate="no">`
)

// link returns the HTML Render makes for a link, to keep the cases readable.
func link(href, prefix, shown, class, hidden string) string {
	return strings.Replace(linkOpen, "%s", href, 1) +
		`<span class="invisible">` + prefix + `</span><span class="` + class + `">` + shown +
		`</span><span class="invisible">` + hidden + `</span></a>`
}

// renderTests are shared with the fuzzers as seeds. A nil opts means testOptions.
var renderTests = []struct {
	name string
	in   string
	opts *RenderOptions
	want string
}{
	{"Empty", "", nil, ""},
	{"WhitespaceOnly", " \n\t\r\n ", nil, ""},
	{"PlainText", "Hello", nil, "<p>Hello</p>"},
	{"Trimmed", "  Hello  \n", nil, "<p>Hello</p>"},
	{"LineBreak", "a\nb", nil, "<p>a<br />b</p>"},
	{"Paragraphs", "a\n\nb\n\n\n\nc", nil, "<p>a</p><p>b</p><p>c</p>"},
	{"CRLF", "a\r\nb\r\n\r\nc", nil, "<p>a<br />b</p><p>c</p>"},
	{"BlankLineWithSpaces", "a\n  \nb", nil, "<p>a</p><p>b</p>"},
	{"LeadingSpaceKept", "a\n  b", nil, "<p>a<br />  b</p>"},
	{
		"HTMLEscaped",
		`<script>alert("x") & 'y'</script>`, nil,
		`<p>&lt;script&gt;alert(&#34;x&#34;) &amp; &#39;y&#39;&lt;/script&gt;</p>`,
	},
	{"EntityTextEscaped", "&amp; &lt;b&gt;", nil, "<p>&amp;amp; &amp;lt;b&amp;gt;</p>"},
	{"ControlCharactersDropped", "a\x00b\x1bc", nil, "<p>abc</p>"},
	{"InvalidUTF8Replaced", "a\xffb", nil, "<p>a\uFFFDb</p>"},

	{"LocalMention", "hi @alice!", nil, "<p>hi " + aliceHTML + "!</p>"},
	{"MentionCaseInsensitive", "@ALICE", nil, `<p><span class="h-card" translate="no"><a href="https://starling.example/@alice" class="u-url mention">@<span>ALICE</span></a></span></p>`},
	{"RemoteMentionShowsUsername", "cc @bob@Example.org.", nil, "<p>cc " + bobHTML + ".</p>"},
	{"UnknownMention", "hi @carol@example.org", nil, "<p>hi @carol@example.org</p>"},
	{"EmailNotLinked", "bob@example.org", nil, "<p>bob@example.org</p>"},
	{
		"MentionURLNotHTTP",
		"@alice",
		&RenderOptions{MentionURL: func(Mention) (string, bool) { return "javascript:alert(1)", true }},
		"<p>@alice</p>",
	},
	{
		"MentionURLEscaped",
		"@alice",
		&RenderOptions{MentionURL: func(Mention) (string, bool) { return `https://example.org/@a"b?x=1&y=2`, true }},
		`<p><span class="h-card" translate="no"><a href="https://example.org/@a%22b?x=1&amp;y=2" class="u-url mention">@<span>alice</span></a></span></p>`,
	},

	{"Hashtag", "#Care", nil, "<p>" + careHTML + "</p>"},
	{"HashtagPunctuation", "#Care, then", nil, "<p>" + careHTML + ", then</p>"},
	{"UnicodeHashtag", "#Café", nil, `<p><a href="https://starling.example/tags/caf%C3%A9" class="mention hashtag" rel="tag">#<span>Café</span></a></p>`},
	{"NotHashtags", "#2024 C# a#b", nil, "<p>#2024 C# a#b</p>"},
	{"ZeroOptionsLinkOnlyURLs", "#care @alice https://example.org", &RenderOptions{}, "<p>#care @alice " + link("https://example.org", "https://", "example.org", "", "") + "</p>"},

	{"ShortLink", "https://example.org/a", nil, "<p>" + link("https://example.org/a", "https://", "example.org/a", "", "") + "</p>"},
	{"HTTPLink", "http://example.org", nil, "<p>" + link("http://example.org", "http://", "example.org", "", "") + "</p>"},
	{
		"LongLink",
		"https://www.example.org/2024/social-care/conference-programme", nil,
		"<p>" + link("https://www.example.org/2024/social-care/conference-programme", "https://www.", "example.org/2024/social-care/c", "ellipsis", "onference-programme") + "</p>",
	},
	{
		"LinkOfExactly30",
		"https://example.org/abcdefghijklmnopqr", nil,
		"<p>" + link("https://example.org/abcdefghijklmnopqr", "https://", "example.org/abcdefghijklmnopqr", "", "") + "</p>",
	},
	{
		"LinkQueryEscaped",
		"https://example.org/?a=1&b=2", nil,
		"<p>" + link("https://example.org/?a=1&amp;b=2", "https://", "example.org/?a=1&amp;b=2", "", "") + "</p>",
	},
	{
		"LinkQuotesInPath",
		`https://example.org/a'b"c`, nil,
		"<p>" + link("https://example.org/a&#39;b%22c", "https://", "example.org/a&#39;b&#34;c", "", "") + "</p>",
	},
	{
		"LinkInternationalHost",
		"https://café.fr/é", nil,
		"<p>" + link("https://xn--caf-dma.fr/%C3%A9", "https://", "café.fr/é", "", "") + "</p>",
	},
	{
		"LinkFragmentAndAt",
		"https://example.org/@alice#top", nil,
		"<p>" + link("https://example.org/@alice#top", "https://", "example.org/@alice#top", "", "") + "</p>",
	},
	{
		"LinkWikipedia",
		"(see https://en.wikipedia.org/wiki/Foo_(bar))", nil,
		"<p>(see " + link("https://en.wikipedia.org/wiki/Foo_(bar)", "https://", "en.wikipedia.org/wiki/Foo_(bar", "ellipsis", ")") + ")</p>",
	},
	{"LinkTrailingFullStop", "Read https://example.org.", nil, "<p>Read " + link("https://example.org", "https://", "example.org", "", "") + ".</p>"},

	{
		"Mixed",
		"Hi @alice and @bob@example.org!\n#Care update: https://example.org/a\n\nThanks <3",
		nil,
		"<p>Hi " + aliceHTML + " and " + bobHTML + "!<br />" + careHTML + " update: " +
			link("https://example.org/a", "https://", "example.org/a", "", "") + "</p><p>Thanks &lt;3</p>",
	},
}

func TestRender(t *testing.T) {
	for _, tt := range renderTests {
		t.Run(tt.name, func(t *testing.T) {
			opts := testOptions
			if tt.opts != nil {
				opts = *tt.opts
			}
			got := Render(tt.in, opts)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Render(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
			if clean := Sanitize(got); clean != got {
				t.Errorf("Sanitize(Render(%q)) changed the HTML:\n%s", tt.in, cmp.Diff(got, clean))
			}
		})
	}
}

// typicalPost is 280 characters with the entities a post usually has.
const typicalPost = "Great session at #ADASS2024 this morning with @alice and @bob@example.org on " +
	"joining up health and social care 🙌 Slides: https://www.example.org/2024/conference/sessions/joined-up-care?ref=social\n\n" +
	"Key point: listen to carers first. Who else is going tomorrow? #SocialCare #Carers"

func BenchmarkRender(b *testing.B) {
	b.ReportAllocs()
	b.SetBytes(int64(len(typicalPost)))
	for b.Loop() {
		Render(typicalPost, testOptions)
	}
}

func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	b.SetBytes(int64(len(typicalPost)))
	for b.Loop() {
		Parse(typicalPost)
	}
}

func BenchmarkLength(b *testing.B) {
	b.ReportAllocs()
	b.SetBytes(int64(len(typicalPost)))
	for b.Loop() {
		Length(typicalPost)
	}
}
