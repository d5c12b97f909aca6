package safeguard

import "strings"

// A date of birth is a full date (day, month and year) within a few words
// after a cue. Dates are everywhere in care posts (meetings, visits,
// deadlines), so a date on its own is never reported; a cue on its own ("born
// and bred", "aged 82") is not personal enough either. Only a date that
// follows the cue is looked for: "12/03/1941 (DOB)" is rare, and looking
// back as well would let "…ends 12/03/2025. Born…" match.

// dobWindow bounds how far after a cue's end a date may start: at most
// dobWords words may come between ("born on the 3rd of March 1941",
// "DOB is: 12/03/1941"), within dobBytes bytes.
const (
	dobWords = 4
	dobBytes = 48
)

// dobAt returns the span of a date of birth cued by the word at i, or
// (0, 0).
func dobAt(text string, i int) (start, end int) {
	e := cueEnd(text, i)
	if e < 0 {
		return 0, 0
	}
	return dateAfter(text, e)
}

// cueEnd returns the end of a date-of-birth cue at the start of a word at
// i, or -1. The cues are "born", "DOB", "D.O.B.", "date of birth", "birth
// date", "birthdate", "birthday" and "age"/"aged" followed by a number (an
// age, as in "aged 82 (12/03/1941)") or directly by a date. "Age" alone is
// not a cue, because of Age UK, age groups and the like.
func cueEnd(text string, i int) int {
	s := text[i:]
	switch s[0] | 0x20 {
	case 'b':
		for _, w := range [...]string{"born", "birthdate", "birthday", "birth date"} {
			if wordFold(s, w) {
				return i + len(w)
			}
		}
	case 'd':
		if wordFold(s, "dob") {
			return i + 3
		}
		if wordFold(s, "d.o.b") {
			if strings.HasPrefix(s[5:], ".") {
				return i + 6
			}
			return i + 5
		}
		if wordFold(s, "date of birth") {
			return i + len("date of birth")
		}
	case 'a':
		var e int
		switch {
		case wordFold(s, "aged"):
			e = i + 4
		case wordFold(s, "age"):
			e = i + 3
		default:
			return -1
		}
		for e < len(text) && (text[e] == ' ' || text[e] == ':') {
			e++
		}
		if _, end := dateAt(text, e); end > 0 {
			return e
		}
		k := e
		for k < len(text) && k-e < 3 && isDigit(text[k]) {
			k++
		}
		if k == e || k < len(text) && (isDigit(text[k]) || !rightOK(text, k)) {
			return -1
		}
		return k
	}
	return -1
}

// wordFold reports whether s starts with the lower-case phrase w, in any
// case, not followed by a letter. A space in w matches one space.
func wordFold(s, w string) bool {
	return hasPrefixFold(s, w) && (len(s) == len(w) || !isLetter(s[len(w)]))
}

// dateAfter looks for a date within the window after a cue ending at e.
func dateAfter(text string, e int) (start, end int) {
	n := len(text)
	limit := min(n, e+dobBytes)
	j := e
	for words := 0; words <= dobWords && j < limit; words++ {
		for j < limit {
			if isSpaceByte(text[j]) || strings.IndexByte(`:-([=,"'#`, text[j]) >= 0 {
				j++
			} else if strings.HasPrefix(text[j:], "–") || strings.HasPrefix(text[j:], "—") {
				j += len("–")
			} else {
				break
			}
		}
		if j >= limit {
			break
		}
		if s, e := dateAt(text, j); e > 0 {
			return s, e
		}
		for j < limit && !isSpaceByte(text[j]) {
			j++
		}
		// A date in the next sentence is not this cue's.
		if c := text[j-1]; c == '.' || c == '!' || c == '?' || c == ';' {
			break
		}
	}
	return 0, 0
}

// dateAt returns the span of a full date starting at j, or (0, 0). It
// reads d/m/y, m/d/y and y-m-d with "/", "-" or "." (two- or four-digit
// years), "3 March 1941", "3rd of March, 1941", "3-Mar-41" and "March 3rd,
// 1941".
func dateAt(text string, j int) (start, end int) {
	n := len(text)
	if j >= n {
		return 0, 0
	}
	if isLetter(text[j]) {
		m, k := monthAt(text, j)
		if m == 0 {
			return 0, 0
		}
		k = dateSep(text, k)
		day, k := dayAt(text, k)
		if day == 0 {
			return 0, 0
		}
		if k < n && text[k] == ',' {
			k++
		}
		if e := yearAt(text, dateSep(text, k), true); e > 0 {
			return j, e
		}
		return 0, 0
	}
	v1, l1 := number(text, j)
	k := j + l1
	if l1 == 0 || k >= n {
		return 0, 0
	}
	if sep := text[k]; (sep == '/' || sep == '-' || sep == '.') && k+1 < n && isDigit(text[k+1]) {
		v2, l2 := number(text, k+1)
		k2 := k + 1 + l2
		if l2 == 0 || l2 > 2 || k2 >= n || text[k2] != sep {
			return 0, 0
		}
		v3, l3 := number(text, k2+1)
		e := k2 + 1 + l3
		switch {
		case l1 == 4 && l3 > 0 && l3 <= 2: // 1941-03-12
			if !yearOK(v1) || !dayMonth(v3, v2) {
				return 0, 0
			}
		case l1 <= 2 && (l3 == 2 || l3 == 4 && yearOK(v3)):
			if !dayMonth(v1, v2) && !dayMonth(v2, v1) {
				return 0, 0
			}
		default:
			return 0, 0
		}
		if !rightOK(text, e) {
			return 0, 0
		}
		return j, e
	}
	// 3 March 1941, 3rd of March 1941, 3-Mar-41
	day, k := dayAt(text, j)
	if day == 0 {
		return 0, 0
	}
	k = dateSep(text, k)
	if wordFold(text[k:], "of") {
		k = dateSep(text, k+2)
	}
	m, k := monthAt(text, k)
	if m == 0 {
		return 0, 0
	}
	if k < n && text[k] == ',' {
		k++
	}
	if e := yearAt(text, dateSep(text, k), true); e > 0 {
		return j, e
	}
	return 0, 0
}

// number reads up to four digits at j, returning 0 length if there are
// more (a longer number is not part of a date).
func number(text string, j int) (v, l int) {
	for j+l < len(text) && isDigit(text[j+l]) {
		if l == 4 {
			return 0, 0
		}
		v = v*10 + int(text[j+l]-'0')
		l++
	}
	return v, l
}

// dayAt reads a day of the month (1–31), with an ordinal ending if any.
func dayAt(text string, j int) (day, end int) {
	v, l := number(text, j)
	if l == 0 || l > 2 || v < 1 || v > 31 {
		return 0, j
	}
	k := j + l
	if k+2 <= len(text) {
		switch strings.ToLower(text[k : k+2]) {
		case "st", "nd", "rd", "th":
			k += 2
		}
	}
	if k < len(text) && isAlnum(text[k]) {
		return 0, j
	}
	return v, k
}

// yearAt reads a year at j (four digits, 1880–2099; or two, after an
// apostrophe or where twoOK) and returns its end, or 0.
func yearAt(text string, j int, twoOK bool) int {
	if j < len(text) && text[j] == '\'' {
		j++
		twoOK = true
	} else if strings.HasPrefix(text[j:], "’") {
		j += len("’")
		twoOK = true
	}
	v, l := number(text, j)
	if !(l == 4 && yearOK(v) || l == 2 && twoOK) || !rightOK(text, j+l) {
		return 0
	}
	return j + l
}

func yearOK(y int) bool { return y >= 1880 && y <= 2099 }

func dayMonth(d, m int) bool { return d >= 1 && d <= 31 && m >= 1 && m <= 12 }

// dateSep skips the one space or hyphen that may separate the parts of a
// written date.
func dateSep(text string, k int) int {
	if k < len(text) && (text[k] == ' ' || text[k] == '-') {
		return k + 1
	}
	return k
}

var months = [...]string{"january", "february", "march", "april", "may", "june",
	"july", "august", "september", "october", "november", "december"}

// monthAt reads a month's name or its three-letter abbreviation (or
// "sept"), with a full stop after an abbreviation, returning the month
// (1–12) and the end, or 0.
func monthAt(text string, j int) (int, int) {
	s := text[j:]
	for i, m := range months {
		if wordFold(s, m) {
			return i + 1, j + len(m)
		}
		if wordFold(s, m[:3]) || i == 8 && wordFold(s, "sept") {
			k := j + 3
			if i == 8 && hasPrefixFold(s, "sept") {
				k++
			}
			if k < len(text) && text[k] == '.' {
				k++
			}
			return i + 1, k
		}
	}
	return 0, j
}
