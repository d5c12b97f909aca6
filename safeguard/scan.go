package safeguard

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// The built-in rules are one hand-written pass over the bytes of the text
// rather than a regular expression each: the pass looks at each byte about
// once, allocates nothing unless it finds something, and can apply checks
// (check digits, postcode areas, issuer prefixes) that a regular expression
// cannot. Everything it compares is ASCII, so it never needs to decode the
// text except to classify a non-ASCII neighbour of a candidate.

// scanBuiltin appends the built-in rules' matches in text to ms.
func (d *Detector) scanBuiltin(text string, ms []Match) []Match {
	n := len(text)
	for i := 0; i < n; {
		c := text[i]
		switch {
		case isDigit(c):
			// Reached only at a digit not glued to a letter before it:
			// a letter-led run such as "NHS75" is skipped whole below.
			ms, i = d.scanNumber(text, i, ms)
		case isLetter(c):
			if !wordLeftOK(text, i) {
				i = skipWord(text, i)
				continue
			}
			var end int
			ms, end = d.scanWord(text, i, ms)
			if end > i {
				i = end
			} else {
				i = skipWord(text, i)
			}
		case c == '@':
			if d.enabled[bEmail] {
				if s, e, ok := emailAt(text, i); ok {
					ms = append(ms, d.match(bEmail, s, e))
					i = e
					continue
				}
			}
			// Whatever follows an @ is a mention or an address, not
			// a word of its own: skip it.
			i++
			for i < n && (isWordByte(text[i]) || text[i] == '.' || text[i] == '-') {
				i++
			}
		default:
			i++
		}
	}
	return ms
}

func (d *Detector) match(b, start, end int) Match {
	return Match{builtinRules[b].Name, builtinRules[b].Label, start, end}
}

// scanWord looks for a link, a National Insurance number, a postcode or a
// date-of-birth cue at i, the start of a word. It returns the end of the
// link or of what it reported, or i if there was nothing there.
func (d *Detector) scanWord(text string, i int, ms []Match) ([]Match, int) {
	// Most words are none of these; the length of the word's letters and
	// the byte after them rule most out at once.
	l := 0
	for i+l < len(text) && isLetter(text[i+l]) {
		l++
	}
	next := byte(0)
	if i+l < len(text) {
		next = text[i+l]
	}
	if next == ':' || next == '.' && l == 3 {
		if e := linkEnd(text, i); e > i {
			return ms, e
		}
	}
	if l <= 3 && (isDigit(next) || next == ' ' || next == '-') {
		if d.enabled[bNI] && l == 2 {
			if e := niAt(text, i); e > i {
				return append(ms, d.match(bNI, i, e)), e
			}
		}
		if d.enabled[bPostcode] {
			if e := postcodeAt(text, i); e > i {
				return append(ms, d.match(bPostcode, i, e)), e
			}
		}
	}
	if d.enabled[bDOB] {
		if s, e := dobAt(text, i); e > s {
			// The date is reported; scanning goes on from the cue, so
			// that the date's digits are still seen by the number rules
			// (the overlap is resolved in Scan).
			ms = append(ms, d.match(bDOB, s, e))
		}
	}
	return ms, i
}

// skipWord returns the end of the run of letters, digits and underscores
// at i.
func skipWord(text string, i int) int {
	for i < len(text) && isWordByte(text[i]) {
		i++
	}
	return i
}

// linkEnd returns the end of the link starting at i (a URL scheme followed
// by "://", or "www."), which runs to the next white space, or -1 if no
// link starts at i.
func linkEnd(text string, i int) int {
	j := i
	for j < len(text) && j-i <= 10 && isLetter(text[j]) {
		j++
	}
	if !(j-i >= 2 && strings.HasPrefix(text[j:], "://")) && !hasPrefixFold(text[i:], "www.") {
		return -1
	}
	for j < len(text) && !isSpaceByte(text[j]) {
		j++
	}
	return j
}

func isDigit(c byte) bool  { return '0' <= c && c <= '9' }
func isLetter(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }
func isUpper(c byte) bool  { return 'A' <= c && c <= 'Z' }
func isAlnum(c byte) bool  { return isDigit(c) || isLetter(c) }

func isWordByte(c byte) bool { return isAlnum(c) || c == '_' }

func isSpaceByte(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

func upper(c byte) byte {
	if 'a' <= c && c <= 'z' {
		return c - 32
	}
	return c
}

// hasPrefixFold reports whether s starts with the lower-case ASCII string
// p, in any case.
func hasPrefixFold(s, p string) bool {
	if len(s) < len(p) {
		return false
	}
	for i := 0; i < len(p); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 32
		}
		if c != p[i] {
			return false
		}
	}
	return true
}

// isGlue reports whether r, a non-ASCII rune next to a candidate, joins it
// to a longer token: a letter, a digit (full-width ones too) or a currency
// sign ("£9434765919" is an amount, not an identifier).
func isGlue(r rune) bool {
	return r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || unicode.Is(unicode.Sc, r))
}

// wordLeftOK reports whether a candidate starting with a letter at i stands
// on its own: it does not continue a word, a hashtag ("#SW1A1AA"), a
// mention, a path, a domain ("nhs.uk") or a hyphenated code.
func wordLeftOK(text string, i int) bool {
	if i == 0 {
		return true
	}
	c := text[i-1]
	if c >= utf8.RuneSelf {
		return !isGlue(decodeLast(text, i))
	}
	switch c {
	case '_', '#', '@', '/', '\\', '&', '=', '?', '+', '%', '$', '^':
		return false
	case '.', '-', '\'':
		return i < 2 || !isAlnum(text[i-2])
	}
	return !isAlnum(c)
}

// digitLeftOK reports whether a number starting at i stands on its own: it
// does not continue a word or code ("A12", "1-234"), a decimal or a
// thousands group ("1,234"), a time ("10:30"), a path ("p/123"), a hashtag,
// a mention, a query string ("?id=123"), an amount ("£12") or a percentage.
func digitLeftOK(text string, i int) bool {
	if i == 0 {
		return true
	}
	c := text[i-1]
	if c >= utf8.RuneSelf {
		return !isGlue(decodeLast(text, i))
	}
	switch c {
	case '_', '#', '@', '\\', '&', '=', '?', '+', '%', '$', '^':
		return false
	case '-':
		return i < 2 || !isAlnum(text[i-2])
	case '.', ',', ':', '\'':
		return i < 2 || !isDigit(text[i-2])
	case '/':
		// A path ("patients/9434765919") is glue; a slash between two
		// numbers ("0113 496 0000/07700 900123") lists alternatives.
		return i >= 2 && isDigit(text[i-2])
	}
	return !isAlnum(c)
}

// rightOK reports whether a candidate ending at k stands on its own: the
// next byte does not continue it with a letter or digit, directly or after
// one joining mark ("5919-A", "5919.5", "5919:2"), nor make it part of an
// address or percentage. A slash does not join: what follows one is
// another value ("0113 496 0000/0001", "SW1A 1AA/SW1A 2AA").
func rightOK(text string, k int) bool {
	if k >= len(text) {
		return true
	}
	c := text[k]
	if c >= utf8.RuneSelf {
		return !isGlue(decodeNext(text, k)) || unicode.Is(unicode.Sc, decodeNext(text, k))
	}
	switch c {
	case '_', '@', '%':
		return false
	case '.', ',', '-', ':', '\'', '+':
		return k+1 >= len(text) || !isAlnum(text[k+1])
	}
	return !isAlnum(c)
}
