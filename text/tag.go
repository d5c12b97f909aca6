package text

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// isTagSeparator reports whether r may join the words of a hashtag without
// being a word character itself: the middle dot (Catalan "l·l"), the
// katakana middle dot and the zero-width non-joiner (Persian and Indic
// scripts), as Mastodon's Tag::HASHTAG_SEPARATORS.
func isTagSeparator(r rune) bool {
	return r == '\u00B7' || r == '\u30FB' || r == '\u200C'
}

// NormalizeTag returns the lookup key for a hashtag name (lower-case; used
// for storage and /tags/:name URLs), so that #Care and #care are one tag.
// Returns "" if name is not a valid hashtag name; name has no leading '#'.
func NormalizeTag(name string) string {
	if !validTagName(name) {
		return ""
	}
	return strings.ToLower(name)
}

// validTagName reports whether all of name is a hashtag name: word
// characters and separators, starting with a letter, digit or '_', not
// ending with a separator, and holding at least one letter or separator,
// so that "#2024" and "#_" are not tags but "#adass2024" is.
func validTagName(name string) bool {
	if name == "" {
		return false
	}
	first, _ := utf8.DecodeRuneInString(name)
	if !isTagStart(first) {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(name)
	if isTagSeparator(last) {
		return false
	}
	hasLetter := false
	for _, r := range name {
		switch {
		case unicode.IsLetter(r) || isTagSeparator(r):
			hasLetter = true
		case !isWord(r):
			return false
		}
	}
	return hasLetter
}

// isTagStart reports whether a hashtag name may start with r. Marks are word
// characters but may not start a name, or "#️⃣" (a keycap emoji) would open one.
func isTagStart(r rune) bool {
	return isWord(r) && !unicode.IsMark(r)
}

// matchTag matches "#name" at s[i] (which is '#'), where prev is the rune
// before it (-1 at the start of the text).
//
// The '#' must not follow a word character, '/', ')', '#', '&' or '=', so
// that "C#", "foo/#bar", "&#39;" and "?a=#b" hold no tags. The name runs
// over word characters and separators; trailing separators and punctuation
// are not part of it. Like Mastodon's extractor, "#foohttps://…" is the
// tag "foo": the scheme glued to it is dropped.
func matchTag(s string, i int, prev rune) (entity, bool) {
	if prev != -1 && (isWord(prev) || strings.ContainsRune("/)#&=", prev)) {
		return entity{}, false
	}
	start := i + 1
	j := start
	for j < len(s) {
		r, size := utf8.DecodeRuneInString(s[j:])
		if !isWord(r) && !isTagSeparator(r) {
			break
		}
		j += size
	}
	if strings.HasPrefix(s[j:], "://") {
		switch {
		case j-start >= 5 && hasPrefixFold(s[j-5:j], "https"):
			j -= 5
		case j-start >= 4 && hasPrefixFold(s[j-4:j], "http"):
			j -= 4
		}
	}
	for j > start {
		r, size := utf8.DecodeLastRuneInString(s[start:j])
		if !isTagSeparator(r) {
			break
		}
		j -= size
	}
	name := s[start:j]
	if !validTagName(name) {
		return entity{}, false
	}
	return entity{kind: kindTag, start: i, end: j, tag: name}, true
}
