package text

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// matchURL matches an http(s) link at s[i], where prev is the rune before it
// (-1 at the start of the text).
//
// The rules are twitter-text's valid_url as Mastodon overrides it
// (config/initializers/twitter_regex.rb), with the protocol required:
//   - the link must not follow an ASCII letter or digit, '@', '$' or '#';
//   - the host is dot-separated labels of letters, digits, marks, '-' and
//     '_', ending in a top-level label of letters (or "xn--…");
//   - the path (or a fragment right after the host, which twitter-text
//     leaves out) runs to white space, '<', '>' or '?', may hold balanced
//     parentheses one level deep (Wikipedia links), and must not end in
//     punctuation such as ".,!:;'\"" or a closing quote, which is left as text;
//   - the query holds URL characters and must end in a letter, digit or one
//     of "-_&=#/".
func matchURL(s string, i int, prev rune) (entity, bool) {
	if prev != -1 && (prev < utf8.RuneSelf && isASCIIAlnum(byte(prev)) || strings.ContainsRune("@$#＠＃", prev)) {
		return entity{}, false
	}
	var p int
	switch {
	case hasPrefixFold(s[i:], "https://"):
		p = i + len("https://")
	case hasPrefixFold(s[i:], "http://"):
		p = i + len("http://")
	default:
		return entity{}, false
	}
	hostEnd, ok := hostAt(s, p)
	if !ok {
		return entity{}, false
	}
	p = hostEnd
	if p < len(s) && (s[p] == '@' || s[p] == '+') {
		// "https://user@host" is not linked: the part before '@' is no host.
		return entity{}, false
	}
	if p+1 < len(s) && s[p] == ':' && '0' <= s[p+1] && s[p+1] <= '9' {
		p++
		for p < len(s) && '0' <= s[p] && s[p] <= '9' {
			p++
		}
	}
	if p < len(s) && (s[p] == '/' || s[p] == '#') {
		p = pathEnd(s, p)
	}
	if p < len(s) && s[p] == '?' {
		p = queryEnd(s, p)
	}
	return entity{kind: kindURL, start: i, end: p}, true
}

// hostAt returns the end of the host name starting at s[from], and whether
// there is a valid one.
func hostAt(s string, from int) (int, bool) {
	k := from
	labelStart := from
	labels := 0
	lastLabel := ""
	for {
		for k < len(s) {
			r, size := utf8.DecodeRuneInString(s[k:])
			if !isHostRune(r) {
				break
			}
			k += size
		}
		label := s[labelStart:k]
		if label == "" || label[0] == '-' || label[len(label)-1] == '-' {
			return 0, false
		}
		labels++
		lastLabel = label
		// A dot continues the host only if another label follows, so the
		// full stop in "see https://example.org." stays text.
		if k+1 < len(s) && s[k] == '.' {
			if r, _ := utf8.DecodeRuneInString(s[k+1:]); isHostRune(r) {
				k++
				labelStart = k
				continue
			}
		}
		break
	}
	return k, labels >= 2 && validTLD(lastLabel)
}

// isHostRune reports whether r may appear in a label of a host name.
func isHostRune(r rune) bool {
	if r < utf8.RuneSelf {
		return r == '-' || r == '_' || isASCIIAlnum(byte(r))
	}
	return unicode.IsLetter(r) || unicode.IsMark(r) || unicode.Is(unicode.Nd, r)
}

// validTLD reports whether label can be a top-level domain: letters (and the
// marks some scripts need), or an ASCII "xn--" punycode label.
func validTLD(label string) bool {
	if hasPrefixFold(label, "xn--") && len(label) > 4 {
		for i := 0; i < len(label); i++ {
			if label[i] != '-' && !isASCIIAlnum(label[i]) {
				return false
			}
		}
		return true
	}
	n := 0
	for _, r := range label {
		if !unicode.IsLetter(r) && (n == 0 || !unicode.IsMark(r)) {
			return false
		}
		n++
	}
	return n >= 2
}

// pathEnd returns the end of the URL path starting at s[from] (which is
// '/', or '#' for a fragment right after the host): the longest run of path
// characters that ends in a character allowed at the end, or in a balanced
// parenthesis.
func pathEnd(s string, from int) int {
	end := from
	if s[from] == '/' {
		end++ // the '/' alone is a valid path, a '#' alone is no fragment
	}
	k := from + 1
	for k < len(s) {
		r, size := utf8.DecodeRuneInString(s[k:])
		switch {
		case r == '(':
			groupEnd, ok := parenGroupAt(s, k)
			if !ok {
				return end
			}
			k = groupEnd
			end = k
		case !isPathRune(r, size):
			return end
		default:
			k += size
			if isPathEndRune(r) {
				end = k
			}
		}
	}
	return end
}

// parenGroupAt matches "(…)" at s[from], with at most one nested "(…)"
// inside and no empty parentheses, and returns the end of the group.
func parenGroupAt(s string, from int) (int, bool) {
	k := pathRunEnd(s, from+1)
	if k < len(s) && s[k] == ')' && k > from+1 {
		return k + 1, true
	}
	if k >= len(s) || s[k] != '(' {
		return 0, false
	}
	inner := pathRunEnd(s, k+1)
	if inner == k+1 || inner >= len(s) || s[inner] != ')' {
		return 0, false
	}
	k = pathRunEnd(s, inner+1)
	if k >= len(s) || s[k] != ')' {
		return 0, false
	}
	return k + 1, true
}

// pathRunEnd returns the end of the run of path characters from s[from].
func pathRunEnd(s string, from int) int {
	k := from
	for k < len(s) {
		r, size := utf8.DecodeRuneInString(s[k:])
		if !isPathRune(r, size) {
			break
		}
		k += size
	}
	return k
}

// isPathRune reports whether r (of encoded size bytes) may appear in a URL
// path: anything but white space, controls, invisible characters, broken
// UTF-8 and "()?<>", which end the path or are handled apart.
func isPathRune(r rune, size int) bool {
	switch r {
	case '(', ')', '?', '<', '>', '\u200B', '\uFEFF':
		return false
	case utf8.RuneError:
		return size > 1
	}
	return !unicode.IsSpace(r) && !unicode.IsControl(r)
}

// isPathEndRune reports whether a path may end with r (already known to be a
// path rune): not with punctuation that is more likely the sentence's.
func isPathEndRune(r rune) bool {
	if r < utf8.RuneSelf {
		return !strings.ContainsRune("!*\"';:=,.$%[]~&|@", r)
	}
	return !unicode.IsPunct(r)
}

// queryEnd returns the end of the URL query starting at s[from] (which is
// '?'), or from itself if no valid query follows.
func queryEnd(s string, from int) int {
	end := from
	k := from + 1
	for k < len(s) {
		r, size := utf8.DecodeRuneInString(s[k:])
		if !isQueryRune(r) {
			break
		}
		k += size
		if isQueryEndRune(r) {
			end = k
		}
	}
	return end
}

// isQueryRune reports whether r may appear in a URL query. Letters and
// digits of any script are allowed so that "?q=café" links whole.
func isQueryRune(r rune) bool {
	if r < utf8.RuneSelf {
		return isASCIIAlnum(byte(r)) || strings.ContainsRune("!?*'();:&=+$/%#[]-_.,~|@", r)
	}
	return unicode.IsLetter(r) || unicode.IsMark(r) || unicode.Is(unicode.Nd, r)
}

// isQueryEndRune reports whether a query may end with r.
func isQueryEndRune(r rune) bool {
	if r < utf8.RuneSelf {
		return isASCIIAlnum(byte(r)) || strings.ContainsRune("-_&=#/", r)
	}
	return true
}
