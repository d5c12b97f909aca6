package text

import (
	"regexp"
	"slices"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"golang.org/x/net/html"
)

// policy is the allow-list for post content, built once: a bluemonday
// Policy is safe for concurrent use once built. It keeps the elements
// Mastodon keeps in statuses (Sanitize::Config::MASTODON_STRICT) and links
// only to http, https and mailto. Class, rel and target values are refined
// afterwards by tidyTag, which bluemonday's regexp-per-attribute model
// cannot express.
var policy = func() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements("p", "br", "span", "del", "pre", "code", "em", "strong", "b", "i", "u", "ul", "ol", "li", "blockquote")
	p.AllowAttrs("href", "rel", "target").OnElements("a")
	p.AllowAttrs("class").OnElements("a", "span")
	p.AllowAttrs("translate").Matching(regexp.MustCompile(`^(yes|no)$`)).OnElements("a", "span")
	p.AllowURLSchemes("http", "https", "mailto")
	p.RequireParseableURLs(true)
	return p
}()

// Sanitize cleans HTML that did not come from Render (e.g. from other servers
// later) down to the small set of elements and attributes Mastodon allows in
// post content: p, br, span, a, del, pre, code, em, strong, b, i, u, ul, ol,
// li and blockquote. Everything else is stripped, keeping its text, except
// script, style and similar elements, which go with their content.
//
// Classes are limited to the microformat (h-, p-, u-, dt-, e-) and
// mention, hashtag, ellipsis and invisible classes clients style. A link
// keeps its href only for http, https and mailto, and is dropped (keeping
// its text) without one. Links that are not mentions or hashtags (class
// "mention") open in a new tab with rel="nofollow noopener noreferrer", as
// does any link that asks for a target; mention and hashtag links are left
// for the client to open in place. <br> is written "<br />", as Render does,
// so Sanitize(Render(s)) == Render(s).
func Sanitize(s string) string {
	return tidy(policy.Sanitize(s))
}

// tidy rewrites the links, classes and line breaks of HTML that bluemonday
// has already cleaned. It keeps bluemonday's serialisation (x/net/html's
// Token.String), so a second Sanitize changes nothing.
func tidy(s string) string {
	z := html.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	b.Grow(len(s))
	var openLinks []bool // for each <a> still open, whether it was kept
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return b.String()
		}
		t := z.Token()
		switch {
		case t.Data == "br" && (tt == html.StartTagToken || tt == html.SelfClosingTagToken || tt == html.EndTagToken):
			b.WriteString("<br />")
		case t.Data == "a" && (tt == html.StartTagToken || tt == html.SelfClosingTagToken):
			// Browsers ignore "/>" on <a>, so it opens a link either way.
			t.Type = html.StartTagToken
			attrs, ok := linkAttrs(t.Attr)
			openLinks = append(openLinks, ok)
			if ok {
				t.Attr = attrs
				b.WriteString(t.String())
			}
		case t.Data == "a" && tt == html.EndTagToken:
			if len(openLinks) == 0 {
				continue
			}
			kept := openLinks[len(openLinks)-1]
			openLinks = openLinks[:len(openLinks)-1]
			if kept {
				b.WriteString(t.String())
			}
		case t.Data == "span" && (tt == html.StartTagToken || tt == html.SelfClosingTagToken):
			t.Attr = spanAttrs(t.Attr)
			b.WriteString(t.String())
		default:
			b.WriteString(t.String())
		}
	}
}

// spanAttrs returns the attributes of a span with duplicates and unknown
// classes removed.
func spanAttrs(attrs []html.Attribute) []html.Attribute {
	attrs = firstOfEach(attrs)
	for i := range attrs {
		if attrs[i].Key == "class" {
			attrs[i].Val = filterTokens(attrs[i].Val, allowedClass)
		}
	}
	return attrs
}

// linkRel is the rel every link that opens a new tab gets: no search-engine
// credit for spam, and no access to this page from the one opened.
var linkRel = []string{"nofollow", "noopener", "noreferrer"}

// linkAttrs returns the attributes of a link as Sanitize keeps them, and
// false if the link has no href and so is no link.
func linkAttrs(attrs []html.Attribute) ([]html.Attribute, bool) {
	attrs = firstOfEach(attrs)
	hasHref, hasTarget, inPlace := false, false, false
	for i := range attrs {
		switch attrs[i].Key {
		case "href":
			hasHref = true
		case "target":
			hasTarget = true
		case "class":
			attrs[i].Val = filterTokens(attrs[i].Val, allowedClass)
			inPlace = slices.Contains(strings.Fields(attrs[i].Val), "mention")
		case "rel":
			attrs[i].Val = filterTokens(attrs[i].Val, allowedRel)
		}
	}
	if !hasHref {
		return nil, false
	}
	if hasTarget || !inPlace {
		attrs = setAttr(attrs, "target", "_blank")
		rel := ""
		for _, a := range attrs {
			if a.Key == "rel" {
				rel = a.Val
			}
		}
		tokens := strings.Fields(rel)
		for _, want := range linkRel {
			if !slices.Contains(tokens, want) {
				tokens = append(tokens, want)
			}
		}
		attrs = setAttr(attrs, "rel", strings.Join(tokens, " "))
	}
	return slices.DeleteFunc(attrs, func(a html.Attribute) bool {
		return a.Key == "rel" && a.Val == ""
	}), true
}

// setAttr sets the attribute key to val where it is, or adds it at the end.
func setAttr(attrs []html.Attribute, key, val string) []html.Attribute {
	for i := range attrs {
		if attrs[i].Key == key {
			attrs[i].Val = val
			return attrs
		}
	}
	return append(attrs, html.Attribute{Key: key, Val: val})
}

// firstOfEach drops repeated attributes, keeping the first as browsers do,
// so that what is checked is what takes effect.
func firstOfEach(attrs []html.Attribute) []html.Attribute {
	out := attrs[:0:0]
	for _, a := range attrs {
		if !slices.ContainsFunc(out, func(o html.Attribute) bool { return o.Key == a.Key && o.Namespace == a.Namespace }) {
			out = append(out, a)
		}
	}
	return out
}

// filterTokens returns the space-separated tokens of val that allowed
// accepts, each once, in their order.
func filterTokens(val string, allowed func(string) bool) string {
	var kept []string
	for _, t := range strings.Fields(val) {
		if allowed(t) && !slices.Contains(kept, t) {
			kept = append(kept, t)
		}
	}
	return strings.Join(kept, " ")
}

// microformatClass matches the microformats classes Mastodon keeps
// (h-card, u-url, p-name, dt-published, e-content…).
var microformatClass = regexp.MustCompile(`^(h|p|u|dt|e)-[a-z0-9]+(-[a-z0-9]+)*$`)

// allowedClass reports whether a class may stay: the ones clients style.
func allowedClass(c string) bool {
	switch c {
	case "mention", "hashtag", "ellipsis", "invisible":
		return true
	}
	return microformatClass.MatchString(c)
}

// allowedRel reports whether a rel token may stay.
func allowedRel(r string) bool {
	switch r {
	case "nofollow", "noopener", "noreferrer", "tag", "me":
		return true
	}
	return false
}
