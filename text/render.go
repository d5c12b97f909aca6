package text

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"
)

// RenderOptions tells Render how to link entities.
//
// The zero value links only URLs: mentions and hashtags stay plain text.
type RenderOptions struct {
	// MentionURL returns the profile URL for a mention; ok=false leaves the mention as plain (escaped) text (unknown account).
	MentionURL func(m Mention) (url string, ok bool)
	// TagURL returns the URL of a hashtag page, e.g. https://example.org/tags/care
	TagURL func(tag string) string
}

// Render returns the post as HTML in the shape Mastodon clients expect
// (paragraphs, <br />, and the h-card, hashtag and shortened-link markup
// that their stylesheets and link handlers look for).
//
// The text is trimmed, split into paragraphs at blank lines, and every
// character of it is escaped. A URL that MentionURL or TagURL returns, or a
// link in the text, is only linked if it is an absolute http(s) URL;
// otherwise the entity stays plain text. Invalid UTF-8 becomes U+FFFD and
// control characters other than tab and newline are dropped, so the result
// is always valid UTF-8 and passes Sanitize unchanged. Empty text gives "".
func Render(s string, opts RenderOptions) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	var b strings.Builder
	b.Grow(len(s) + len(s)/2 + 16)
	inParagraph := false
	for line := range strings.SplitSeq(s, "\n") {
		if strings.TrimSpace(line) == "" {
			if inParagraph {
				b.WriteString("</p>")
				inParagraph = false
			}
			continue
		}
		if inParagraph {
			b.WriteString("<br />")
		} else {
			b.WriteString("<p>")
			inParagraph = true
		}
		renderLine(&b, line, opts)
	}
	b.WriteString("</p>")
	return b.String()
}

// renderLine writes one line of text with its entities linked. Scanning line
// by line finds the same entities as scanning the whole text, since no
// entity holds a newline and a newline may precede any entity.
func renderLine(b *strings.Builder, line string, opts RenderOptions) {
	pos := 0
	for _, e := range scan(line) {
		writeText(b, line[pos:e.start])
		raw := line[e.start:e.end]
		switch e.kind {
		case kindURL:
			writeLink(b, raw)
		case kindMention:
			writeMention(b, raw, e.mention, opts)
		case kindTag:
			writeTag(b, raw, e.tag, opts)
		}
		pos = e.end
	}
	writeText(b, line[pos:])
}

// writeText writes s escaped, without the control characters that have no
// place in HTML text (a NUL, for one, is a parse error).
func writeText(b *strings.Builder, s string) {
	if strings.IndexFunc(s, isDroppedControl) >= 0 {
		s = strings.Map(func(r rune) rune {
			if isDroppedControl(r) {
				return -1
			}
			return r
		}, s)
	}
	b.WriteString(html.EscapeString(s))
}

// isDroppedControl reports whether Render leaves r out of the HTML.
func isDroppedControl(r rune) bool {
	return r != '\t' && r != '\n' && unicode.IsControl(r)
}

// linkPreviewRunes is how much of a link Mastodon shows before cutting it
// off with an ellipsis (TextFormatter.shortened_link).
const linkPreviewRunes = 30

// writeLink writes a link in Mastodon's shortened form: the scheme and a
// leading "www." are hidden, then at most 30 characters are shown and the
// rest hidden behind an ellipsis.
func writeLink(b *strings.Builder, raw string) {
	href, ok := linkHref(raw)
	if !ok {
		writeText(b, raw)
		return
	}
	prefixLen := len("http://")
	if hasPrefixFold(raw, "https://") {
		prefixLen = len("https://")
	}
	if hasPrefixFold(raw[prefixLen:], "www.") {
		prefixLen += len("www.")
	}
	prefix, rest := raw[:prefixLen], raw[prefixLen:]
	shown, hidden, class := rest, "", ""
	if utf8.RuneCountInString(rest) > linkPreviewRunes {
		cut := 0
		for n := 0; n < linkPreviewRunes; n++ {
			_, size := utf8.DecodeRuneInString(rest[cut:])
			cut += size
		}
		shown, hidden, class = rest[:cut], rest[cut:], "ellipsis"
	}
	b.WriteString(`<a href="`)
	b.WriteString(html.EscapeString(href))
	b.WriteString(`" target="_blank" rel="nofollow noopener noreferrer" translate="no"><span class="invisible">`)
	writeText(b, prefix)
	b.WriteString(`</span><span class="`)
	b.WriteString(class)
	b.WriteString(`">`)
	writeText(b, shown)
	b.WriteString(`</span><span class="invisible">`)
	writeText(b, hidden)
	b.WriteString(`</span></a>`)
}

// writeMention writes a mention as an h-card linking to the profile, or as
// the text written if the account is unknown. Only the username is shown,
// as Mastodon does for a mention that is not ambiguous.
func writeMention(b *strings.Builder, raw string, m Mention, opts RenderOptions) {
	href, ok := "", false
	if opts.MentionURL != nil {
		if u, found := opts.MentionURL(m); found {
			href, ok = normalizeHref(u)
		}
	}
	if !ok {
		writeText(b, raw)
		return
	}
	b.WriteString(`<span class="h-card" translate="no"><a href="`)
	b.WriteString(html.EscapeString(href))
	b.WriteString(`" class="u-url mention">@<span>`)
	writeText(b, m.Username)
	b.WriteString(`</span></a></span>`)
}

// writeTag writes a hashtag linking to its page, with the name as written.
func writeTag(b *strings.Builder, raw, tag string, opts RenderOptions) {
	href, ok := "", false
	if opts.TagURL != nil {
		href, ok = normalizeHref(opts.TagURL(tag))
	}
	if !ok {
		writeText(b, raw)
		return
	}
	b.WriteString(`<a href="`)
	b.WriteString(html.EscapeString(href))
	b.WriteString(`" class="mention hashtag" rel="tag">#<span>`)
	writeText(b, tag)
	b.WriteString(`</span></a>`)
}
