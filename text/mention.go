package text

import (
	"unicode/utf8"
)

// maxUsernameLength is Mastodon's limit for local usernames
// (Account::USERNAME_LENGTH_LIMIT).
const maxUsernameLength = 30

// ValidUsername reports whether s is a valid local username: 1–30 chars of
// [A-Za-z0-9_] (Mastodon's rule), so sign-up and mention look-ups agree on
// what a local account can be called.
func ValidUsername(s string) bool {
	if len(s) == 0 || len(s) > maxUsernameLength {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isUsernameByte(s[i]) {
			return false
		}
	}
	return true
}

// isUsernameByte reports whether b may start or end a username.
func isUsernameByte(b byte) bool {
	return b == '_' || isASCIIAlnum(b)
}

// matchMention matches "@user" or "@user@domain" at s[i] (which is '@'),
// where prev is the rune before it (-1 at the start of the text).
//
// The rules are Mastodon's Account::MENTION_RE plus the check its extractor
// makes on what follows: a username may hold '.' and '-' inside (remote
// servers allow them) but not at its ends; the domain is word characters,
// '.' and '-', ending in a word character; and a match followed by '@', a
// Latin accented letter or "://" is no mention at all ("@bob@" or
// "@https://…").
func matchMention(s string, i int, prev rune) (entity, bool) {
	if prev != -1 && (isWord(prev) || prev == '/' || prev == '@' || prev == '=') {
		return entity{}, false
	}
	userStart := i + 1
	if userStart >= len(s) || !isUsernameByte(s[userStart]) {
		return entity{}, false
	}
	j := userStart
	for j < len(s) && (isUsernameByte(s[j]) || s[j] == '.' || s[j] == '-') {
		j++
	}
	for !isUsernameByte(s[j-1]) {
		j--
	}
	m := Mention{Username: s[userStart:j]}
	end := j
	if j < len(s) && s[j] == '@' {
		if d := domainAt(s, j+1); d != "" {
			m.Domain = d
			end = j + 1 + len(d)
		}
	}
	if !mentionMayEndBefore(s[end:]) {
		return entity{}, false
	}
	return entity{kind: kindMention, start: i, end: end, mention: m}, true
}

// domainAt returns the longest host name at the start of s[from:]: word
// characters, '.' and '-', starting and ending with a word character.
// It returns "" if there is none.
func domainAt(s string, from int) string {
	k := from
	last := from // end of the last word character seen
	for k < len(s) {
		r, size := utf8.DecodeRuneInString(s[k:])
		switch {
		case isWord(r):
			k += size
			last = k
		case (r == '.' || r == '-') && k > from:
			k += size
		default:
			return s[from:last]
		}
	}
	return s[from:last]
}

// mentionMayEndBefore reports whether a mention may be followed by rest.
func mentionMayEndBefore(rest string) bool {
	if rest == "" {
		return true
	}
	if rest[0] == '@' || len(rest) >= 3 && rest[:3] == "://" {
		return false
	}
	r, _ := utf8.DecodeRuneInString(rest)
	return r != '＠' && !isLatinAccent(r)
}

// isLatinAccent reports whether r is one of the accented Latin letters or
// combining diacritics that twitter-text refuses right after a mention:
// "@josé" must not mention "jos".
func isLatinAccent(r rune) bool {
	switch {
	case r == 0xD7 || r == 0xF7: // × and ÷ sit inside the Latin-1 letters
		return false
	case 0xC0 <= r && r <= 0x24F, // Latin-1 Supplement and Latin Extended-A/B letters
		0x250 <= r && r <= 0x2AF,   // IPA extensions
		r == 0x2BB,                 // ʻokina
		0x300 <= r && r <= 0x36F,   // combining diacritical marks
		0x1E00 <= r && r <= 0x1EFF: // Latin Extended Additional (Vietnamese)
		return true
	}
	return false
}
