// Package safeguard finds personal data in the text of a post before the
// post is stored, so that the server can stop a care worker from publishing,
// by accident, a resident's NHS number, a client's address or a relative's
// phone number on a public timeline.
//
// # What is detected
//
// Each kind is a [Rule] with a stable machine name (for code, metrics and
// configuration) and a human label (for the message shown to the author):
//
//   - nhs_number: ten digits, written together or grouped 3-3-4, whose
//     modulus-11 check digit is right and which lie in a range that is issued
//     (England and Wales, Northern Ireland, Scotland's CHI numbers, and the
//     9xx numbers used in testing and training). A number of one digit
//     repeated passes the check but is a placeholder, and is not reported.
//   - ni_number: a National Insurance number: an allocatable two-letter
//     prefix, six digits (together or in pairs), and a suffix A–D, which may
//     be left off when the prefix is in capitals.
//   - postcode: a full unit postcode ("SW1A 1AA", "b338th") whose area is one
//     of the UK's postcode areas. An outward code alone ("SW1A", "M1") names a
//     district of thousands of homes, not a household, so it is not reported.
//   - phone: a UK mobile (07…), geographic (01…, 02…) or 03 number, written
//     nationally or with +44 or 0044, in usual groupings. Freephone, premium
//     and other non-geographic numbers (080x, 084x, 087x, 09x) belong to
//     organisations, so they are not reported.
//   - email: an e-mail address. Fediverse handles ("@alice@example.social")
//     are how people are mentioned here and are not reported.
//   - card: a payment card number: 13–19 digits, together or in the groups
//     cards print, with an issuer prefix and length a card scheme uses and a
//     correct Luhn check digit.
//   - date_of_birth: a full date (day, month and year) written within a few
//     words after a cue such as "born", "DOB", "D.O.B.", "date of birth" or
//     "aged 82". A date alone ("the meeting on 12/03/2025") is not a date of
//     birth, so it is not reported.
//
// The digits of numbers may be grouped with spaces (no-break spaces too),
// a hyphen or parentheses, never dots or commas, which make decimals,
// versions and thousands. The exact definitions are on the functions that
// check them (nhsAt, niAt, postcodeAt, phoneAt, emailAt, cardAt, cueEnd and
// dateAt).
//
// An instance can add its own rules (a council's case-record numbers, say)
// as regular expressions, switch built-in rules off, and allow-list values
// that are meant to be public, such as its own switchboard number or office
// postcode. See [Config].
//
// # What is deliberately not detected
//
// The detector is a guard against accidents, not a data-loss-prevention
// system that someone determined could not get around. So it does not try:
//
//   - names, street addresses, ages on their own, partial dates ("born in
//     1941", "DOB 12/03"): the false positives would make the warning noise;
//   - values inside links (anything from "https://" or "www." to the next
//     space): a link's digits are page and tracking identifiers, and a link
//     is an address the author chose to share;
//   - identifiers glued to other letters or digits ("REF943476591900",
//     "#NHS75"): those are reference codes, hashtags and the like;
//   - digits other than ASCII 0–9 (full-width "９４３", Arabic-Indic, …): UK
//     keyboards and forms produce ASCII digits, an identifier typed in
//     full-width digits has been disguised on purpose, and folding every post
//     to ASCII would cost an allocation and a pass on every post. Non-ASCII
//     digits next to ASCII ones count as glue, so "９943 476 5919" is not
//     reported either;
//   - spelled-out or obfuscated values ("jo at nhs dot net", "nine four
//     three…"), and phone numbers of other countries.
//
// # Values are never logged
//
// A [Match] holds the rule and the byte offsets of what was found, never a
// copy of the value. Nothing in this package logs, stores or puts a matched
// value in an error; [Match.Masked] shows at most the last two characters so
// that a message can say which value it means without repeating it.
// Allow-list values are kept only in a normalised form, in memory.
//
// # Input
//
// Scan accepts any string: invalid UTF-8, NUL bytes, emoji and very long
// text are all fine. The built-in rules work on bytes in time linear in the
// length of the text, and Scan allocates nothing when it finds nothing.
// Extra patterns are Go regular expressions, also linear (see extra.go for
// how they are kept fast). A 500-byte post takes a few microseconds.
package safeguard

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The names of the built-in rules. They are stable: configuration
// (Config.Disabled), metrics and stored moderation records use them.
const (
	NHSNumber   = "nhs_number"
	NINumber    = "ni_number"
	Postcode    = "postcode"
	Phone       = "phone"
	Email       = "email"
	Card        = "card"
	DateOfBirth = "date_of_birth"
)

// Rule is one kind of personal data the detector looks for.
type Rule struct {
	// Name is a stable machine name, such as "nhs_number".
	Name string
	// Label names the kind for a person, with its article, so that it fits
	// a sentence like "This post seems to contain an NHS number".
	Label string
}

// builtin indexes; the order is also the order Rules lists them in.
const (
	bNHS = iota
	bNI
	bPostcode
	bPhone
	bEmail
	bCard
	bDOB
	nBuiltin
)

var builtinRules = [nBuiltin]Rule{
	bNHS:      {NHSNumber, "an NHS number"},
	bNI:       {NINumber, "a National Insurance number"},
	bPostcode: {Postcode, "a postcode"},
	bPhone:    {Phone, "a phone number"},
	bEmail:    {Email, "an email address"},
	bCard:     {Card, "a payment card number"},
	bDOB:      {DateOfBirth, "a date of birth"},
}

// Builtin returns the built-in rules, in a fixed order.
func Builtin() []Rule { return slices.Clone(builtinRules[:]) }

// Pattern is an instance's own rule: a Go regular expression (RE2 syntax,
// see regexp/syntax) with a name and a label like a built-in [Rule]'s.
//
// The expression is matched as written, so it should carry its own word
// boundaries (`\b`) and, if wanted, `(?i)`. Matches inside links are
// dropped, as for the built-in rules.
type Pattern struct {
	// Name must be lower-case letters, digits and underscores, starting
	// with a letter, and differ from every other rule's name.
	Name  string
	Label string
	Expr  string
}

// Config is the per-instance configuration of a Detector. The zero Config
// gives the built-in rules, all enabled, with nothing allow-listed.
type Config struct {
	// Extra are rules of the instance's own, such as a council's
	// case-record number format.
	Extra []Pattern
	// Allow lists values that are never reported, such as the
	// organisation's own switchboard number, office postcode or contact
	// address. They are compared normalised: digits only for numbers (a
	// phone number's +44 or 0044 read as 0), upper case without spaces for
	// everything else, so "+44 (0)20 7946 0958" allows "020 7946 0958" and
	// "sw1a 1aa" allows "SW1A1AA".
	Allow []string
	// Disabled names rules (built-in or extra) to switch off.
	Disabled []string
}

// Match is one piece of personal data found by Scan. It says what was found
// and where, never what the value is: use Masked to show it.
type Match struct {
	// Rule is the rule's machine name, such as "nhs_number".
	Rule string
	// Label is the rule's label, such as "an NHS number".
	Label string
	// Start and End are the byte offsets of the value in the scanned text:
	// text[Start:End] is the value.
	Start, End int
}

// maskRune stands for each hidden character in Masked.
const maskRune = "•"

// Masked returns the value m found in text (the text that was scanned) with
// every letter and digit but the last two replaced by "•", so that a message
// can point at the value ("••• ••• ••19") without repeating it. Spaces and
// the punctuation that shows a value's shape (- / . @ ( ) + :) are kept;
// anything else is masked too. A value of fewer than six letters and digits
// is masked completely, since two characters would be a third of it. If m's
// offsets do not fit text, Masked returns "".
func (m Match) Masked(text string) string {
	if m.Start < 0 || m.End > len(text) || m.Start >= m.End {
		return ""
	}
	v := text[m.Start:m.End]
	n := 0
	for _, r := range v {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			n++
		}
	}
	show := 0
	if n >= 6 {
		show = 2
	}
	var b strings.Builder
	b.Grow(len(v) * 3)
	seen := 0
	for _, r := range v {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			seen++
			if seen > n-show {
				b.WriteRune(r)
			} else {
				b.WriteString(maskRune)
			}
		case strings.ContainsRune(" -/.@()+:", r):
			b.WriteRune(r)
		default:
			b.WriteString(maskRune)
		}
	}
	return b.String()
}

// Detector scans text for personal data. It is safe for concurrent use and
// does not change after New.
type Detector struct {
	enabled [nBuiltin]bool
	extra   []extraRule
	rules   []Rule
	// allowDigits holds allow-listed values as digits only (and, for
	// numbers written with +44 or 0044, the national form with a leading
	// 0); allowFolded holds them in upper case without white space.
	allowDigits map[string]bool
	allowFolded map[string]bool
}

// validName is the shape of a rule name.
var validName = regexp.MustCompile(`^[a-z][a-z0-9_]{0,63}$`)

// New returns a Detector for c. It fails if an extra pattern has a bad name
// or no label or does not compile, or Disabled names no rule; the error
// names the pattern (and never quotes an allow-list value).
func New(c Config) (*Detector, error) {
	d := &Detector{}
	names := make(map[string]bool)
	for i := range d.enabled {
		d.enabled[i] = true
		names[builtinRules[i].Name] = true
	}
	for i, p := range c.Extra {
		if !validName.MatchString(p.Name) {
			return nil, fmt.Errorf("safeguard: extra pattern %d: name %q must be lower-case letters, digits and _, starting with a letter", i, p.Name)
		}
		if names[p.Name] {
			return nil, fmt.Errorf("safeguard: extra pattern %q: a rule of that name already exists", p.Name)
		}
		if strings.TrimSpace(p.Label) == "" {
			return nil, fmt.Errorf("safeguard: extra pattern %q: no label", p.Name)
		}
		e, err := newExtra(p)
		if err != nil {
			return nil, fmt.Errorf("safeguard: extra pattern %q: %w", p.Name, err)
		}
		names[p.Name] = true
		d.extra = append(d.extra, e)
	}
	off := make(map[string]bool)
	for _, name := range c.Disabled {
		if !names[name] {
			return nil, fmt.Errorf("safeguard: cannot disable %q: no rule has that name", name)
		}
		off[name] = true
	}
	for i, r := range builtinRules {
		if off[r.Name] {
			d.enabled[i] = false
		} else {
			d.rules = append(d.rules, r)
		}
	}
	d.extra = slices.DeleteFunc(d.extra, func(e extraRule) bool { return off[e.Name] })
	for _, e := range d.extra {
		d.rules = append(d.rules, e.Rule)
	}
	for _, v := range c.Allow {
		if ds := digitsOnly(v); len(ds) >= 6 {
			if d.allowDigits == nil {
				d.allowDigits = make(map[string]bool)
			}
			d.allowDigits[ds] = true
			d.allowDigits[nationalPhone(ds)] = true
		}
		if f := fold(v); f != "" {
			if d.allowFolded == nil {
				d.allowFolded = make(map[string]bool)
			}
			d.allowFolded[f] = true
		}
	}
	return d, nil
}

// Rules returns the enabled rules, built-in first, then extra ones in the
// order configured.
func (d *Detector) Rules() []Rule { return slices.Clone(d.rules) }

// Scan returns the personal data found in text, ordered by position. Matches
// never overlap: where two rules claim the same characters, the match that
// starts first wins, then the longer, then an extra rule over a built-in
// one (it is the more specific), then the rule listed first.
// Scan returns nil, without allocating, when it finds nothing.
func (d *Detector) Scan(text string) []Match {
	ms := d.scanBuiltin(text, nil)
	if len(d.extra) > 0 {
		n := len(ms)
		for i := range d.extra {
			ms = d.extra[i].find(text, ms)
		}
		ms = append(ms[:n], slices.DeleteFunc(ms[n:], func(m Match) bool { return insideLink(text, m.Start, m.End) })...)
	}
	if len(ms) == 0 {
		return nil
	}
	if d.allowDigits != nil || d.allowFolded != nil {
		ms = slices.DeleteFunc(ms, func(m Match) bool { return d.allowed(m, text[m.Start:m.End]) })
	}
	if len(ms) > 1 {
		ms = resolve(d, ms)
	}
	if len(ms) == 0 {
		return nil
	}
	return ms
}

// resolve sorts ms by position and drops matches that overlap an earlier
// one (see Scan for which wins).
func resolve(d *Detector, ms []Match) []Match {
	// An instance's own rule is more specific than a built-in one ("a case
	// record number" rather than "a National Insurance number" for
	// "CR123456"), so extra rules rank first.
	rank := func(rule string) int {
		for i, e := range d.extra {
			if e.Name == rule {
				return i
			}
		}
		for i, r := range builtinRules {
			if r.Name == rule {
				return len(d.extra) + i
			}
		}
		return len(d.extra) + nBuiltin
	}
	slices.SortStableFunc(ms, func(a, b Match) int {
		if a.Start != b.Start {
			return a.Start - b.Start
		}
		if a.End != b.End {
			return b.End - a.End
		}
		return rank(a.Rule) - rank(b.Rule)
	})
	out := ms[:1]
	for _, m := range ms[1:] {
		if m.Start >= out[len(out)-1].End {
			out = append(out, m)
		}
	}
	return out
}

// allowed reports whether value, found by rule m.Rule, is allow-listed.
func (d *Detector) allowed(m Match, value string) bool {
	switch m.Rule {
	case NHSNumber, Card:
		return d.allowDigits[digitsOnly(value)]
	case Phone:
		return d.allowDigits[nationalPhone(digitsOnly(value))]
	}
	return d.allowFolded[fold(value)]
}

// digitsOnly returns the ASCII digits of s.
func digitsOnly(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			b = append(b, s[i])
		}
	}
	return string(b)
}

// nationalPhone turns the digits of an international UK number (44… or
// 0044…, with or without the "(0)") into the national form 0…; other digit
// strings are returned as they are.
func nationalPhone(ds string) string {
	var rest string
	switch {
	case strings.HasPrefix(ds, "0044"):
		rest = ds[4:]
	case strings.HasPrefix(ds, "44") && len(ds) >= 12:
		rest = ds[2:]
	default:
		return ds
	}
	if strings.HasPrefix(rest, "0") {
		return rest
	}
	return "0" + rest
}

// fold upper-cases s and removes its white space, so that "sw1a 1aa" and
// "SW1A1AA" compare equal.
func fold(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return unicode.ToUpper(r)
	}, s)
}

// insideLink reports whether [start, end) touches a token (a run of
// non-space bytes) that holds a link: "://" or "www.". It is only used for
// extra patterns' matches; the built-in scanner skips links as it goes.
func insideLink(text string, start, end int) bool {
	i := start
	for i > 0 && !isSpaceByte(text[i-1]) {
		i--
	}
	j := end
	for j < len(text) && !isSpaceByte(text[j]) {
		j++
	}
	tok := text[i:j]
	return strings.Contains(tok, "://") || containsFold(tok, "www.")
}

// containsFold reports whether s contains the lower-case ASCII word w in
// any case.
func containsFold(s, w string) bool {
	for i := 0; i+len(w) <= len(s); i++ {
		if hasPrefixFold(s[i:], w) {
			return true
		}
	}
	return false
}

// decodeLast and decodeNext give the rune before or at i; invalid UTF-8
// decodes as utf8.RuneError, which is neither a letter nor a digit.
func decodeLast(text string, i int) rune {
	r, _ := utf8.DecodeLastRuneInString(text[:i])
	return r
}

func decodeNext(text string, i int) rune {
	r, _ := utf8.DecodeRuneInString(text[i:])
	return r
}
