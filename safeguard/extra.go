package safeguard

import (
	"regexp"
	"regexp/syntax"
	"unicode"
	"unicode/utf8"
)

// An instance's own patterns usually look like `\bCR-?\d{6}\b` or
// `(?i)\bmosaic id:? \d{7}\b`. Go's regexp package searches for such a
// pattern by trying it at every position (a leading \b or (?i) gives it no
// literal prefix to jump to), which costs 30–60 µs on a 500-byte post: more
// than all the built-in rules together. So each pattern is analysed once,
// in New, for the set of bytes a match can start with; Scan then tries the
// pattern, anchored, only at those bytes (and, for a leading \b, only where
// there is a word boundary). A pattern the analysis cannot bound (one that
// can start with any byte, with an assertion other than a leading \b, or
// can match the empty string) is searched for the ordinary way. Both ways
// find exactly the matches FindAllStringIndex finds (TestExtraFastPath and
// FuzzExtra check this).

type extraRule struct {
	Rule
	re *regexp.Regexp
	// When first is not nil, matches are found by trying anchored at each
	// byte in first (after a word boundary, if wordStart).
	first     *[256]bool
	wordStart bool
	anchored  *regexp.Regexp
}

// newExtra compiles p, and the fast path if it applies.
func newExtra(p Pattern) (extraRule, error) {
	re, err := regexp.Compile(p.Expr)
	if err != nil {
		return extraRule{}, err
	}
	e := extraRule{Rule: Rule{p.Name, p.Label}, re: re}
	tree, err := syntax.Parse(p.Expr, syntax.Perl)
	if err != nil {
		return e, nil // cannot happen: Compile parsed it
	}
	tree = tree.Simplify()
	rest := tree
	if tree.Op == syntax.OpConcat && len(tree.Sub) > 0 && tree.Sub[0].Op == syntax.OpWordBoundary {
		e.wordStart = true
		rest = &syntax.Regexp{Op: syntax.OpConcat, Flags: tree.Flags, Sub: tree.Sub[1:]}
	}
	var set [256]bool
	if nullable, ok := firstBytes(rest, &set); !ok || nullable {
		return e, nil
	}
	for b := 0x80; b < 0xC0; b++ {
		if set[b] {
			// Could start inside a character: leave it to regexp.
			return e, nil
		}
	}
	anchored, err := regexp.Compile(`^(?:` + rest.String() + `)`)
	if err != nil {
		return e, nil
	}
	e.first, e.anchored = &set, anchored
	return e, nil
}

// find appends to ms the non-empty matches of e in text.
func (e *extraRule) find(text string, ms []Match) []Match {
	if e.first == nil {
		for _, loc := range e.re.FindAllStringIndex(text, -1) {
			if loc[0] < loc[1] {
				ms = append(ms, Match{e.Name, e.Label, loc[0], loc[1]})
			}
		}
		return ms
	}
	n, budget := len(ms), 2*len(text)+attemptBytes
	for pos := 0; pos < len(text); pos++ {
		if !e.first[text[pos]] {
			continue
		}
		if e.wordStart && (pos > 0 && isWordByte(text[pos-1])) == isWordByte(text[pos]) {
			continue
		}
		// An attempt can read to the end of the text, so attempts at
		// many places in a long text could cost time quadratic in its
		// length; regexp's own search is linear. Once the attempts could
		// have read the text twice over (plus a margin that posts of
		// usual length never use up), fall back to it.
		if budget -= len(text) - pos; budget < 0 {
			e := *e
			e.first = nil
			return e.find(text, ms[:n])
		}
		if loc := e.anchored.FindStringIndex(text[pos:]); loc != nil && loc[1] > 0 {
			ms = append(ms, Match{e.Name, e.Label, pos, pos + loc[1]})
			pos += loc[1] - 1
		}
	}
	return ms
}

// attemptBytes is how many bytes find's anchored attempts may read, beyond
// twice the text's length, before it falls back to regexp's own search: a
// 500-byte post can have 130 attempts.
const attemptBytes = 64 << 10

// firstBytes adds to set the bytes a match of re can start with and
// reports whether re can match the empty string. ok is false if the set
// cannot be bounded: re can start with any character, or with a zero-width
// assertion (whose meaning would depend on text before the start).
func firstBytes(re *syntax.Regexp, set *[256]bool) (nullable, ok bool) {
	switch re.Op {
	case syntax.OpEmptyMatch:
		return true, true
	case syntax.OpLiteral:
		if len(re.Rune) == 0 {
			return true, true
		}
		r := re.Rune[0]
		if re.Flags&syntax.FoldCase == 0 {
			return false, addRune(set, r)
		}
		for f := unicode.SimpleFold(r); ; f = unicode.SimpleFold(f) {
			if !addRune(set, f) {
				return false, false
			}
			if f == r {
				return false, true
			}
		}
	case syntax.OpCharClass:
		for i := 0; i+1 < len(re.Rune); i += 2 {
			lo, hi := re.Rune[i], re.Rune[i+1]
			if lo <= utf8.RuneError && utf8.RuneError <= hi {
				return false, false // also matches invalid bytes
			}
			for r := lo; r <= hi && r < utf8.RuneSelf; r++ {
				set[r] = true
			}
			if hi >= utf8.RuneSelf {
				for b := 0xC2; b <= 0xF4; b++ {
					set[b] = true
				}
			}
		}
		return false, true
	case syntax.OpCapture:
		return firstBytes(re.Sub[0], set)
	case syntax.OpStar, syntax.OpQuest:
		_, ok := firstBytes(re.Sub[0], set)
		return true, ok
	case syntax.OpPlus:
		return firstBytes(re.Sub[0], set)
	case syntax.OpRepeat:
		nullable, ok := firstBytes(re.Sub[0], set)
		return nullable || re.Min == 0, ok
	case syntax.OpConcat:
		for _, sub := range re.Sub {
			nullable, ok := firstBytes(sub, set)
			if !ok {
				return false, false
			}
			if !nullable {
				return false, true
			}
		}
		return true, true
	case syntax.OpAlternate:
		any := false
		for _, sub := range re.Sub {
			nullable, ok := firstBytes(sub, set)
			if !ok {
				return false, false
			}
			any = any || nullable
		}
		return any, true
	}
	// Any character, or an assertion.
	return false, false
}

// addRune adds the first byte of r's UTF-8 form; it fails for U+FFFD, which
// also stands for invalid bytes.
func addRune(set *[256]bool, r rune) bool {
	if r == utf8.RuneError || r < 0 || r > unicode.MaxRune {
		return false
	}
	var buf [utf8.UTFMax]byte
	utf8.EncodeRune(buf[:], r)
	set[buf[0]] = true
	return true
}
