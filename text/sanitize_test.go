package text

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// sanitizeTests are shared with the fuzzers as seeds.
var sanitizeTests = []struct {
	name string
	in   string
	want string
}{
	{"Empty", "", ""},
	{"PlainText", "hello", "hello"},
	{"TextEscaped", "a < b & c", "a &lt; b &amp; c"},
	{"EntitiesKept", "&lt;script&gt;", "&lt;script&gt;"},
	{"ScriptRemovedWithContent", "<p>hi<script>alert(1)</script></p>", "<p>hi</p>"},
	{"StyleRemovedWithContent", "<style>p{color:red}</style>x", "x"},
	{"IframeRemovedWithContent", `<iframe src="https://evil.example"></iframe>x`, "x"},
	{"UnknownElementsKeepText", "<div><h1>Title</h1><font>x</font></div>", "Titlex"},
	{"ImageRemoved", `<img src="x" onerror="alert(1)">`, ""},
	{"CommentRemoved", "a<!-- x -->b", "ab"},
	{"EventAndStyleAttributesRemoved", `<p style="color:red" onclick="x()">x</p>`, "<p>x</p>"},
	{
		"FormattingKept",
		"<p><strong>a</strong> <em>b</em> <b>c</b> <i>d</i> <u>e</u> <del>f</del> <code>g</code></p><ul><li>h</li></ul><ol><li>i</li></ol><blockquote>j</blockquote><pre>k</pre>",
		"<p><strong>a</strong> <em>b</em> <b>c</b> <i>d</i> <u>e</u> <del>f</del> <code>g</code></p><ul><li>h</li></ul><ol><li>i</li></ol><blockquote>j</blockquote><pre>k</pre>",
	},
	{"LineBreaksNormalised", "a<br>b<br/>c<br />d</br>e", "a<br />b<br />c<br />d<br />e"},

	{"JavascriptHrefDropped", `<a href="javascript:alert(1)">x</a>`, "x"},
	{"DataHrefDropped", `<a href="data:text/html,hi">x</a>`, "x"},
	{"RelativeHrefDropped", `<a href="/x">x</a>`, "x"},
	{"LinkWithoutHrefDropped", `<a class="mention">x</a>`, "x"},
	{"StrayEndTagDropped", "x</a>", "x"},
	{
		"ExternalLinkOpensNewTab",
		`<a href="https://example.org">x</a>`,
		`<a href="https://example.org" target="_blank" rel="nofollow noopener noreferrer">x</a>`,
	},
	{
		"TargetAndRelForced",
		`<a href="https://example.org" target="_self" rel="opener me">x</a>`,
		`<a href="https://example.org" target="_blank" rel="me nofollow noopener noreferrer">x</a>`,
	},
	{
		"Mailto",
		`<a href="mailto:a@example.org">a</a>`,
		`<a href="mailto:a@example.org" target="_blank" rel="nofollow noopener noreferrer">a</a>`,
	},
	{
		"DuplicateAttributesKeepFirst",
		`<a href="https://a.example" href="https://b.example" class="x">x</a>`,
		`<a href="https://a.example" class="" target="_blank" rel="nofollow noopener noreferrer">x</a>`,
	},
	{
		"RemoteMentionKept",
		`<span class="h-card"><a href="https://example.org/@bob" class="u-url mention">@<span>bob</span></a></span>`,
		`<span class="h-card"><a href="https://example.org/@bob" class="u-url mention">@<span>bob</span></a></span>`,
	},
	{
		"RemoteHashtagKept",
		`<a href="https://example.org/tags/care" class="mention hashtag" rel="tag">#<span>care</span></a>`,
		`<a href="https://example.org/tags/care" class="mention hashtag" rel="tag">#<span>care</span></a>`,
	},
	{"ClassesFiltered", `<span class="invisible evil h-card p-name ellipsis">x</span>`, `<span class="invisible h-card p-name ellipsis">x</span>`},
	{"TranslateKept", `<span translate="no">x</span>`, `<span translate="no">x</span>`},
	{"BadTranslateDropped", `<span translate="maybe">x</span>`, `<span>x</span>`},
}

func TestSanitize(t *testing.T) {
	for _, tt := range sanitizeTests {
		t.Run(tt.name, func(t *testing.T) {
			got := Sanitize(tt.in)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Sanitize(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
			if again := Sanitize(got); again != got {
				t.Errorf("Sanitize is not idempotent on %q:\n%s", tt.in, cmp.Diff(got, again))
			}
		})
	}
}
