package text

import (
	"unicode"
	"unicode/utf8"
)

// entityKind says what an entity found by scan is.
type entityKind int

const (
	kindURL entityKind = iota + 1
	kindMention
	kindTag
)

// entity is one link, mention or hashtag in a text, as the byte range
// [start, end) of that text.
type entity struct {
	kind       entityKind
	start, end int
	mention    Mention // for kindMention
	tag        string  // for kindTag: the name without '#'
}

// scan finds every entity in s from left to right. Once an entity is found
// the scan resumes after it, so entities never overlap and the one that
// starts first wins, which is what Mastodon's remove_overlapping_entities
// does. The three kinds start with different characters ('h', '@', '#'), so
// at most one matcher applies at each position.
func scan(s string) []entity {
	var ents []entity
	prev := rune(-1) // -1 is the start of the text
	for i := 0; i < len(s); {
		var e entity
		ok := false
		switch s[i] {
		case 'h', 'H':
			e, ok = matchURL(s, i, prev)
		case '@':
			e, ok = matchMention(s, i, prev)
		case '#':
			e, ok = matchTag(s, i, prev)
		}
		if ok {
			ents = append(ents, e)
			prev, _ = utf8.DecodeLastRuneInString(s[:e.end])
			i = e.end
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		prev = r
		i += size
	}
	return ents
}

// isWord reports whether r is a word character as Ruby's [[:word:]] sees it:
// a letter, a mark, a decimal digit or a connector such as '_'.
func isWord(r rune) bool {
	if r < utf8.RuneSelf {
		return r == '_' || '0' <= r && r <= '9' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z'
	}
	return unicode.IsLetter(r) || unicode.IsMark(r) || unicode.Is(unicode.Nd, r) || unicode.Is(unicode.Pc, r)
}

// isASCIIAlnum reports whether b is an ASCII letter or digit.
func isASCIIAlnum(b byte) bool {
	return '0' <= b && b <= '9' || 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z'
}

// lowerASCII returns b lower-cased if it is an ASCII letter.
func lowerASCII(b byte) byte {
	if 'A' <= b && b <= 'Z' {
		return b + 'a' - 'A'
	}
	return b
}

// hasPrefixFold reports whether s starts with the lower-case ASCII prefix,
// ignoring ASCII case in s.
func hasPrefixFold(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		if lowerASCII(s[i]) != prefix[i] {
			return false
		}
	}
	return true
}
