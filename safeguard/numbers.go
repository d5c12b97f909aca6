package safeguard

import "strings"

// Numbers (NHS numbers, phone numbers, card numbers) are found in two steps.
// First the run of digit groups at a position is read: groups of ASCII
// digits joined by short separators (up to three of space, no-break space,
// one hyphen, one parenthesis), as people write "943 476 5919",
// "(0161) 496 0000" or "4111-1111-1111-1111". Then each group in turn is
// tried as the start of a number, so that "ring 2 07700 900123" still finds
// the mobile. Each rule accepts only the groupings people really use
// (3-3-4 for NHS numbers; fours for cards; an area code or mobile prefix,
// then groups of two or more, for phones), which keeps runs of unrelated
// numbers, such as scores or lottery draws, from lining up into a match.

// group is one run of digits, text[start:end], with flags for the
// separator before it (zero for the first group).
type group struct {
	start, end int
	sep        uint8
}

func (g group) len() int { return g.end - g.start }

const (
	sepSpace uint8 = 1 << iota
	sepHyphen
	sepOpen  // "("
	sepClose // ")"

	sepParen = sepOpen | sepClose
)

// lexGroups appends to g, up to its capacity, the digit groups of a run,
// starting with the digits at text[i], which follow a separator with the
// given flags. It returns the groups, the end of the last one, and where
// the run goes on (the next group's start and separator flags), or -1 if
// it has ended.
func lexGroups(text string, i int, flags uint8, g []group) (_ []group, end, next int, nextFlags uint8) {
	for {
		s := i
		for i < len(text) && isDigit(text[i]) {
			i++
		}
		g = append(g, group{s, i, flags})
		j, n, hyphens, parens := i, 0, 0, 0
		flags = 0
	sep:
		for j < len(text) && n < 3 {
			switch c := text[j]; {
			case c == ' ':
				flags |= sepSpace
				j++
			case c == '-':
				flags |= sepHyphen
				hyphens++
				j++
			case c == '(':
				flags |= sepOpen
				parens++
				j++
			case c == ')':
				flags |= sepClose
				parens++
				j++
			case c == 0xC2 && j+1 < len(text) && text[j+1] == 0xA0: // no-break space
				flags |= sepSpace
				j += 2
			default:
				break sep
			}
			n++
		}
		if n == 0 || hyphens > 1 || parens > 1 || j >= len(text) || !isDigit(text[j]) {
			return g, i, -1, 0
		}
		if len(g) == cap(g) {
			return g, i, j, flags
		}
		i = j
	}
}

// maxGroups is the most groups a number can span (a phone number: +44,
// (0), and four national groups), plus one to see what follows it.
const maxGroups = 7

// scanNumber reports the numbers in the run of digit groups at text[i] and
// returns the end of the run. A run can be as long as the text ("1 2 3 4
// …"), so it is read through a window of groups of fixed size: a number
// may start at a group once the window holds the groups after it that the
// number could span.
func (d *Detector) scanNumber(text string, i int, ms []Match) ([]Match, int) {
	var buf [32]group
	g, end, next, nextFlags := lexGroups(text, i, 0, buf[:0])
	first := true // g[0] is the run's first group
	a := 0
	for {
		limit := len(g)
		if next >= 0 {
			limit -= maxGroups
		}
		for a < limit {
			a = d.numberAt(text, g, a, first && a == 0, &ms)
		}
		if next < 0 {
			return ms, end
		}
		g = buf[:copy(buf[:], g[a:])]
		a, first = 0, false
		g, end, next, nextFlags = lexGroups(text, next, nextFlags, g)
	}
}

// numberAt reports a number starting at group a, if there is one, and
// returns the group to try next. runStart says g[a] is the first group of
// the run, so that what comes before it is not a separator.
func (d *Detector) numberAt(text string, g []group, a int, runStart bool, ms *[]Match) int {
	s := g[a].start
	var plain, plus bool // plain: NHS and card numbers may start here
	if runStart {
		plus = s > 0 && text[s-1] == '+' && digitLeftOK(text, s-1)
		plain = digitLeftOK(text, s)
	} else {
		// Not after a hyphen (a hyphenated code such as
		// "2024-9434765919") nor a closing parenthesis.
		plain = g[a].sep&(sepHyphen|sepClose) == 0
	}
	if !plain && !plus {
		return a + 1
	}
	if plain && d.enabled[bCard] {
		if b := cardAt(text, g, a); b >= 0 {
			*ms = append(*ms, d.match(bCard, s, g[b].end))
			return b + 1
		}
	}
	if d.enabled[bPhone] {
		if b := phoneAt(text, g, a, plus); b >= 0 {
			from := s
			if plus {
				from = s - 1
			}
			if from > 0 && text[from-1] == '(' && a+1 < len(g) && g[a+1].sep&sepClose != 0 {
				from-- // "(0161) 496 0000", "(+44) 7700 900123"
			}
			*ms = append(*ms, d.match(bPhone, from, g[b].end))
			return b + 1
		}
	}
	if plain && d.enabled[bNHS] {
		if b := nhsAt(text, g, a); b >= 0 {
			*ms = append(*ms, d.match(bNHS, s, g[b].end))
			return b + 1
		}
	}
	return a + 1
}

// endOK reports whether a number may end with group b: the run ends there
// and the next byte does not glue on, or the run goes on after a separator
// without a hyphen (so "943-476-5919-12" is one code, not an NHS number).
func endOK(text string, g []group, b int) bool {
	if b+1 < len(g) {
		return g[b+1].sep&sepHyphen == 0
	}
	return rightOK(text, g[b].end)
}

// appendDigits appends the digits of g to digs, if they fit in its
// capacity, and returns the result and whether they fitted.
func appendDigits(digs []byte, text string, g group) ([]byte, bool) {
	if len(digs)+g.len() > cap(digs) {
		return digs, false
	}
	return append(digs, text[g.start:g.end]...), true
}

// nhsAt returns the last group of a valid NHS number starting at group a,
// or -1. An NHS number is ten digits written together or as 3-3-4, whose
// check digit is right, in a range that is issued (see nhsRange), and not
// one digit repeated (0000000000 and 9999999999 pass the check but are
// placeholders).
func nhsAt(text string, g []group, a int) int {
	var arr [10]byte
	digs := arr[:0]
	b := -1
	switch {
	case g[a].len() == 10:
		b = a
	case g[a].len() == 3 && a+2 < len(g) && g[a+1].len() == 3 && g[a+2].len() == 4 &&
		(g[a+1].sep|g[a+2].sep)&sepParen == 0:
		b = a + 2
	default:
		return -1
	}
	for k := a; k <= b; k++ {
		digs, _ = appendDigits(digs, text, g[k])
	}
	if !nhsValid(digs) || repdigit(digs) || !nhsRange(digs) || !endOK(text, g, b) {
		return -1
	}
	return b
}

// nhsValid checks an NHS number's modulus-11 check digit: the first nine
// digits weighted 10 down to 2, summed; 11 minus the sum mod 11 is the check
// digit, 11 meaning 0; 10 means no number can have those nine digits.
func nhsValid(digs []byte) bool {
	if len(digs) != 10 {
		return false
	}
	sum := 0
	for k := 0; k < 9; k++ {
		sum += int(digs[k]-'0') * (10 - k)
	}
	check := 11 - sum%11
	if check == 11 {
		check = 0
	}
	return check != 10 && check == int(digs[9]-'0')
}

// nhsRange reports whether digs lies in a range of numbers that share the
// NHS number's format and check digit: 4xx and 6xx–7xx (NHS England and
// Wales), 32x–39x (Northern Ireland's Health and Care numbers), Scotland's
// CHI numbers, which start with the date of birth as DDMM (so 01–31 and
// 01–12), and 9xx, where the numbers used in testing and training (such as
// the NHS's own example 943 476 5919) are. 5xx and 8xx are not issued.
// About half of all ten-digit numbers lie in these ranges, so with the
// check digit about one random number in 21 passes instead of one in 11,
// which matters for counts and scores written with spaces ("123 456 7890").
func nhsRange(digs []byte) bool {
	switch digs[0] {
	case '4', '6', '7', '9':
		return true
	case '5', '8':
		return false
	case '3':
		if digs[1] >= '2' {
			return true
		}
	}
	dd := int(digs[0]-'0')*10 + int(digs[1]-'0')
	mm := int(digs[2]-'0')*10 + int(digs[3]-'0')
	return dayMonth(dd, mm)
}

func repdigit(digs []byte) bool {
	for _, c := range digs {
		if c != digs[0] {
			return false
		}
	}
	return true
}

// cardAt returns the last group of a payment card number starting at group
// a, or -1; the longest if several fit. A card number is 13–19 digits,
// written together or in the groups cards print (fours, the last group
// shorter; or 4-6-5 and 4-6-4 for American Express and Diners), with an
// issuer prefix and length that a card scheme uses, and a right Luhn
// check digit.
func cardAt(text string, g []group, a int) int {
	var arr [19]byte
	digs := arr[:0]
	switch l := g[a].len(); {
	case l >= 13:
		// Written together: no grouping can follow.
		digs, _ = appendDigits(digs, text, g[a])
		if len(digs) >= 13 && cardIssuer(digs) && luhn(digs) && endOK(text, g, a) {
			return a
		}
		return -1
	case l != 4:
		return -1
	}
	best := -1
	fours := true // every group before b has four digits
	for b := a; b < len(g); b++ {
		if b > a && g[b].sep&sepParen != 0 {
			break
		}
		var ok bool
		if digs, ok = appendDigits(digs, text, g[b]); !ok {
			break
		}
		if len(digs) >= 13 && (fours && g[b].len() <= 4 || amexGrouping(g, a, b)) &&
			cardIssuer(digs) && luhn(digs) && endOK(text, g, b) {
			best = b
		}
		fours = fours && g[b].len() == 4
		if !fours && b >= a+2 {
			break // only fours (or 4-6-x, seen by now) make a card
		}
	}
	return best
}

// amexGrouping reports whether groups a to b are grouped 4-6-5 (American
// Express) or 4-6-4 (Diners).
func amexGrouping(g []group, a, b int) bool {
	return b == a+2 && g[a].len() == 4 && g[a+1].len() == 6 && (g[b].len() == 5 || g[b].len() == 4)
}

// cardIssuer reports whether digs starts with an issuer prefix, and has a
// length, that a card scheme uses (Visa, Mastercard, Maestro, American
// Express, Diners, Discover, JCB, UnionPay). Most long numbers that are not
// cards (order numbers, tracking numbers, post IDs) fail this before Luhn,
// which on its own passes one number in ten.
func cardIssuer(digs []byte) bool {
	n := len(digs)
	p2 := int(digs[0]-'0')*10 + int(digs[1]-'0')
	p4 := p2*100 + int(digs[2]-'0')*10 + int(digs[3]-'0')
	switch {
	case digs[0] == '4': // Visa
		return n == 13 || n == 16 || n == 19
	case p2 >= 51 && p2 <= 55, p4 >= 2221 && p4 <= 2720: // Mastercard
		return n == 16
	case p2 == 50, p2 >= 56 && p2 <= 69: // Maestro, Discover, UnionPay
		return true
	case p2 == 34 || p2 == 37: // American Express
		return n == 15
	case p2 == 36, p2 == 38, p2 == 39, p4/10 >= 300 && p4/10 <= 305: // Diners
		return n >= 14
	case p4 >= 3528 && p4 <= 3589: // JCB
		return n >= 16
	}
	return false
}

// luhn checks the Luhn (mod 10) check digit.
func luhn(digs []byte) bool {
	sum := 0
	for k := len(digs) - 1; k >= 0; k-- {
		v := int(digs[k] - '0')
		if (len(digs)-1-k)%2 == 1 {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
	}
	return sum%10 == 0
}

// phoneAt returns the last group of a UK phone number starting at group a,
// or -1; plus says a "+" comes just before group a.
//
// The number, once any international prefix (+44 or 0044, and a "(0)"
// after it) is read as a leading 0, must be 11 digits starting 01, 02 with
// a used area (020, 023, 024, 028, 029), 03 (030, 033, 034, 037) or 07; or
// 10 digits starting 01 and grouped 5-5 or 6-4, as the few areas with
// shorter numbers write them. Freephone (080x), premium (09), shared-cost
// (084, 087) and other numbers belong to organisations and are left alone.
//
// It must be written together or as an area code or mobile prefix of three
// to six digits and then at most three groups of two or more.
func phoneAt(text string, g []group, a int, plus bool) int {
	var arr [11]byte // the national number, with its leading 0
	nat := arr[:0]
	var lens [4]int // its group lengths
	ng := 0
	add := func(digits string) bool {
		if len(nat)+len(digits) > cap(nat) || ng == len(lens) {
			return false
		}
		nat = append(nat, digits...)
		lens[ng] = len(digits)
		ng++
		return true
	}
	k := a + 1 // the next group to read
	first := text[g[a].start:g[a].end]
	switch {
	case plus || strings.HasPrefix(first, "0044"):
		if plus && !strings.HasPrefix(first, "44") {
			return -1
		}
		if plus {
			first = first[2:]
		} else {
			first = first[4:]
		}
		if first == "" {
			// "+44 20 …", "+44 (0)20 …"
			if k < len(g) && g[k].len() == 1 && text[g[k].start] == '0' {
				k++
			}
			if k >= len(g) {
				return -1
			}
			first = text[g[k].start:g[k].end]
			k++
		}
		// A national 0 written after +44 ("+44 020 …") is dropped, as a
		// caller would.
		first = strings.TrimPrefix(first, "0")
		nat = append(nat, '0')
		if !add(first) {
			return -1
		}
		lens[0]++
	case first[0] != '0' || strings.HasPrefix(first, "00"):
		return -1
	default:
		if !add(first) {
			return -1
		}
	}
	best := -1
	for {
		if len(nat) >= 10 && phoneOK(nat, lens[:ng]) && endOK(text, g, k-1) {
			best = k - 1
		}
		if k >= len(g) || len(nat) >= 11 || !add(text[g[k].start:g[k].end]) {
			return best
		}
		k++
	}
}

// hasPrefixDigits reports whether the digits of g start with p.
func hasPrefixDigits(text string, g group, p string) bool {
	return g.len() >= len(p) && text[g.start:g.start+len(p)] == p
}

// phoneOK checks a national number's length, prefix and grouping (lens,
// its group lengths).
func phoneOK(nat []byte, lens []int) bool {
	if len(nat) < 10 || nat[0] != '0' {
		return false
	}
	switch len(nat) {
	case 11:
		switch nat[1] {
		case '1', '7':
		case '2':
			if !strings.ContainsRune("03489", rune(nat[2])) {
				return false
			}
		case '3':
			if !strings.ContainsRune("0347", rune(nat[2])) {
				return false
			}
		default:
			return false
		}
	case 10:
		if nat[1] != '1' || len(lens) != 2 || !(lens[0] == 5 && lens[1] == 5 || lens[0] == 6 && lens[1] == 4) {
			return false
		}
	default:
		return false
	}
	if len(lens) == 1 {
		return true
	}
	if lens[0] < 3 || lens[0] > 6 {
		return false
	}
	for _, l := range lens[1:] {
		if l < 2 {
			return false
		}
	}
	return true
}
