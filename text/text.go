// Package text turns the plain text of a post into mentions, hashtags, links, a Mastodon-style character count and sanitised HTML.
//
// Every function here is pure: no I/O, no globals that change, safe for
// concurrent use. The rules follow Mastodon's (app/lib/text_formatter.rb,
// lib/extractor.rb and the twitter-text regexes it overrides) so that clients
// and other servers see posts the way they would see a Mastodon post.
package text

import (
	"strings"

	"github.com/rivo/uniseg"
)

// Mention is an @mention found in text. Domain is "" for the local form "@user".
//
// Username is kept as written; whether it names an account is for the caller
// to decide (see RenderOptions.MentionURL).
type Mention struct {
	Username, Domain string
}

// Acct returns "user" or "user@domain" (as written, but domain lower-cased),
// the form Mastodon uses for the acct field and for WebFinger look-ups.
func (m Mention) Acct() string {
	if m.Domain == "" {
		return m.Username
	}
	return m.Username + "@" + strings.ToLower(m.Domain)
}

// key is the case-insensitive identity of a mention, used to de-duplicate.
func (m Mention) key() string {
	return strings.ToLower(m.Username) + "@" + strings.ToLower(m.Domain)
}

// Parsed is what Parse finds in a post's text.
//
// The zero value (all slices nil) means the text has no entities.
type Parsed struct {
	Mentions []Mention // in order of first appearance, de-duplicated case-insensitively on (username, domain)
	Tags     []string  // hashtag names without '#', as first written, de-duplicated case-insensitively
	URLs     []string  // http(s) links in order, de-duplicated exactly
}

// Parse finds the mentions, hashtags and links in s, so that the caller can
// store them with the post (notify mentioned accounts, index tags, fetch
// link previews). Entities never overlap: a '#' or '@' inside a link belongs
// to the link.
func Parse(s string) Parsed {
	var p Parsed
	seenMention := map[string]bool{}
	seenTag := map[string]bool{}
	seenURL := map[string]bool{}
	for _, e := range scan(s) {
		switch e.kind {
		case kindMention:
			if k := e.mention.key(); !seenMention[k] {
				seenMention[k] = true
				p.Mentions = append(p.Mentions, e.mention)
			}
		case kindTag:
			if k := strings.ToLower(e.tag); !seenTag[k] {
				seenTag[k] = true
				p.Tags = append(p.Tags, e.tag)
			}
		case kindURL:
			if u := s[e.start:e.end]; !seenURL[u] {
				seenURL[u] = true
				p.URLs = append(p.URLs, u)
			}
		}
	}
	return p
}

// urlLength is what every link counts for, however long it is, so that
// members are not punished for long addresses (Mastodon's
// StatusLengthValidator::URL_PLACEHOLDER).
const urlLength = 23

// Length counts s as Mastodon does for its character limit: grapheme clusters
// (so an emoji with skin tone or a ZWJ family counts 1), where every http(s)
// URL counts as 23 and a mention "@user@domain" counts as "@user".
//
// Length never panics; invalid UTF-8 counts one per bad byte.
func Length(s string) int {
	ents := scan(s)
	if len(ents) == 0 {
		return uniseg.GraphemeClusterCount(s)
	}
	// Count the rewritten text rather than adding numbers, so that a
	// combining mark right after an entity joins it exactly as in Mastodon.
	var b strings.Builder
	b.Grow(len(s))
	pos := 0
	for _, e := range ents {
		switch e.kind {
		case kindURL:
			b.WriteString(s[pos:e.start])
			b.WriteString(strings.Repeat("x", urlLength))
			pos = e.end
		case kindMention:
			b.WriteString(s[pos:e.start])
			b.WriteString("@")
			b.WriteString(e.mention.Username)
			pos = e.end
		}
	}
	b.WriteString(s[pos:])
	return uniseg.GraphemeClusterCount(b.String())
}
