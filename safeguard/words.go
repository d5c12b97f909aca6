package safeguard

import "strings"

// niAt returns the end of a National Insurance number starting at i, or i
// if none does.
//
// The number is a two-letter prefix, six digits (together, or split 2-2-2,
// 2-4 or 4-2 by single spaces or hyphens) and a suffix A–D, which may be
// left off. The prefix follows HMRC's rules: the first letter is not D, F,
// I, Q, U or V; the second is not D, F, I, O, Q, U or V; BG, GB, KN, NK, NT,
// TN and ZZ are not allocated. So the example prefix QQ is not reported.
//
// The prefix must be upper case, or lower case with a suffix: "at 123456"
// and user names such as "ab123456" are too common to report.
func niAt(text string, i int) int {
	n := len(text)
	if i+8 > n || !isLetter(text[i]) || !isLetter(text[i+1]) {
		return i
	}
	up := isUpper(text[i])
	if isUpper(text[i+1]) != up || !niPrefixOK(upper(text[i]), upper(text[i+1])) {
		return i
	}
	j := i + 2
	if j < n && (text[j] == ' ' || text[j] == '-') {
		j++
	}
	for k := 0; k < 6; k++ {
		if (k == 2 || k == 4) && j+1 < n && (text[j] == ' ' || text[j] == '-') && isDigit(text[j+1]) {
			j++
		}
		if j >= n || !isDigit(text[j]) {
			return i
		}
		j++
	}
	if j < n && isDigit(text[j]) {
		return i
	}
	k := j
	if k < n && (text[k] == ' ' || text[k] == '-') {
		k++
	}
	if k < n && 'A' <= upper(text[k]) && upper(text[k]) <= 'D' && isUpper(text[k]) == up && rightOK(text, k+1) {
		return k + 1
	}
	if !up || !rightOK(text, j) {
		return i
	}
	return j
}

func niPrefixOK(a, b byte) bool {
	if strings.IndexByte("DFIQUV", a) >= 0 || strings.IndexByte("DFIOQUV", b) >= 0 {
		return false
	}
	switch string([]byte{a, b}) {
	case "BG", "GB", "KN", "NK", "NT", "TN", "ZZ":
		return false
	}
	return true
}

// postcodeAreas are the UK's postcode areas (with the Crown Dependencies'
// GY, JE and IM and the forces' BF). A postcode must start with one, which
// keeps out model numbers and codes such as "RX7 8GB" or "A5 4GB".
var postcodeAreas = func() (t [26][27]bool) {
	for _, a := range strings.Fields(`
		AB AL B BA BB BD BF BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW
		DA DD DE DG DH DL DN DT DY E EC EH EN EX FK FY G GL GU GY HA HD HG
		HP HR HS HU HX IG IM IP IV JE KA KT KW KY L LA LD LE LL LN LS LU M
		ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA
		SE SG SK SL SM SN SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W
		WA WC WD WF WN WR WS WV YO ZE`) {
		second := 26
		if len(a) == 2 {
			second = int(a[1] - 'A')
		}
		t[a[0]-'A'][second] = true
	}
	return t
}()

// postcodeAt returns the end of a full postcode starting at i, or i.
//
// A postcode is an outward code (area letters, a district digit, then
// possibly a second digit or a letter: A9, A99, A9A, AA9, AA99, AA9A) and an
// inward code (a digit and two letters, not C, I, K, M, O or V), with one
// space between or none, in any case. The letter ending an A9A district is
// one of ABCDEFGHJKPSTUW, of an AA9A district one of ABEHMNPRVWXY, as Royal
// Mail allocates them. A lower-case inward code after a space that reads as
// an ordinal ("B3 4th floor", "M1 1st") is not taken for one; written
// together ("b338th") it cannot be an ordinal.
func postcodeAt(text string, i int) int {
	n := len(text)
	j := i
	for j < n && j-i < 3 && isLetter(text[j]) {
		j++
	}
	al := j - i
	if al == 3 && hasPrefixFold(text[i:], "gir") {
		// Girobank's GIR 0AA, the one postcode outside the pattern.
		k := j
		if k < n && text[k] == ' ' {
			k++
		}
		if hasPrefixFold(text[k:], "0aa") && rightOK(text, k+3) {
			return k + 3
		}
		return i
	}
	if al == 0 || al > 2 || j >= n || !isDigit(text[j]) {
		return i
	}
	second := 26
	if al == 2 {
		second = int(upper(text[i+1]) - 'A')
	}
	if !postcodeAreas[upper(text[i])-'A'][second] {
		return i
	}
	j++ // the district's first digit
	for ext := 0; ext < 3; ext++ {
		o := j
		switch ext {
		case 1: // A99, AA99
			if o >= n || !isDigit(text[o]) {
				continue
			}
			o++
		case 2: // A9A, AA9A
			allowed := "ABCDEFGHJKPSTUW"
			if al == 2 {
				allowed = "ABEHMNPRVWXY"
			}
			if o >= n || !isLetter(text[o]) || strings.IndexByte(allowed, upper(text[o])) < 0 {
				continue
			}
			o++
		}
		spaced := o < n && text[o] == ' '
		if spaced {
			o++
		}
		if inwardAt(text, o, spaced) && rightOK(text, o+3) {
			return o + 3
		}
	}
	return i
}

// inwardAt reports whether an inward code (9AA) starts at o; spaced says
// a space comes before it, so that it could be an ordinal instead.
func inwardAt(text string, o int, spaced bool) bool {
	if o+3 > len(text) || !isDigit(text[o]) || !isLetter(text[o+1]) || !isLetter(text[o+2]) {
		return false
	}
	l1, l2 := text[o+1], text[o+2]
	if strings.IndexByte("CIKMOV", upper(l1)) >= 0 || strings.IndexByte("CIKMOV", upper(l2)) >= 0 {
		return false
	}
	if spaced && !isUpper(l1) && !isUpper(l2) {
		switch string([]byte{l1, l2}) {
		case "st", "nd", "rd", "th":
			return false
		}
	}
	return true
}

// emailAt finds an e-mail address around the "@" at text[at], returning
// its start and end. The local part is letters, digits and . _ % + -
// (at most 64 bytes); the domain is two or more labels of letters, digits
// and hyphens, the last all letters. A local part right after another "@"
// makes a fediverse handle ("@alice@example.social"), which is not
// reported: handles are public names, and how people are mentioned here.
func emailAt(text string, at int) (start, end int, ok bool) {
	s := at
	for s > 0 && isLocalByte(text[s-1]) {
		s--
		if at-s > 64 {
			return 0, 0, false
		}
	}
	for s < at && text[s] == '.' {
		s++
	}
	if s == at || text[at-1] == '.' || s > 0 && text[s-1] == '@' {
		return 0, 0, false
	}
	n := len(text)
	j, labels, last := at+1, 0, at+1
	for {
		ls := j
		for j < n && j-ls < 64 && (isAlnum(text[j]) || text[j] == '-') {
			j++
		}
		if j == ls || text[ls] == '-' || text[j-1] == '-' {
			break
		}
		labels++
		last, end = ls, j
		if j+1 < n && text[j] == '.' && isAlnum(text[j+1]) {
			j++
			continue
		}
		break
	}
	if labels < 2 || end-last < 2 {
		return 0, 0, false
	}
	for k := last; k < end; k++ {
		if !isLetter(text[k]) {
			return 0, 0, false
		}
	}
	if end < n && (text[end] == '@' || isWordByte(text[end]) || text[end] >= 0x80 && isGlue(decodeNext(text, end))) {
		return 0, 0, false
	}
	return s, end, true
}

func isLocalByte(c byte) bool {
	return isAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-'
}
