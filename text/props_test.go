package text

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// checkParsed fails t unless everything Parse found in s is in s where it
// should be, and Length(s) stays within what the text and its links allow.
func checkParsed(t testing.TB, s string) {
	t.Helper()
	p := Parse(s)
	for _, tag := range p.Tags {
		if !strings.Contains(s, "#"+tag) {
			t.Errorf("Parse(%q): tag %q is not in the text after a '#'", s, tag)
		}
		if n := NormalizeTag(tag); n == "" || NormalizeTag(n) != n {
			t.Errorf("Parse(%q): tag %q normalises to %q, then to %q", s, tag, n, NormalizeTag(n))
		}
	}
	for _, m := range p.Mentions {
		written := "@" + m.Username
		if m.Domain != "" {
			written += "@" + m.Domain
		}
		if !strings.Contains(s, written) {
			t.Errorf("Parse(%q): mention %q is not in the text", s, written)
		}
	}
	occurrences := 0
	for _, u := range p.URLs {
		if !strings.Contains(s, u) {
			t.Errorf("Parse(%q): URL %q is not in the text", s, u)
		}
		if !hasPrefixFold(u, "http://") && !hasPrefixFold(u, "https://") {
			t.Errorf("Parse(%q): URL %q is not http(s)", s, u)
		}
		occurrences += strings.Count(s, u)
	}
	n := Length(s)
	if max := utf8.RuneCountInString(s) + urlLength*occurrences; n < 0 || n > max {
		t.Errorf("Length(%q) = %d, want 0…%d", s, n, max)
	}
	if (n == 0) != (s == "") {
		t.Errorf("Length(%q) = %d", s, n)
	}
}

// renderedTag matches one tag of the four elements Render writes.
var renderedTag = regexp.MustCompile(`^</?(?:p|br|span|a)(?:\s[^<>]*)?>`)

// checkRendered fails t unless h, which Render made from s, is well-formed
// HTML of the elements Render writes, and passes Sanitize unchanged.
func checkRendered(t testing.TB, s, h string) {
	t.Helper()
	if !utf8.ValidString(h) {
		t.Errorf("Render(%q) = %q, not valid UTF-8", s, h)
	}
	if strings.Contains(strings.ToLower(h), "<script") {
		t.Errorf("Render(%q) = %q holds a script", s, h)
	}
	for i := strings.IndexByte(h, '<'); i >= 0; {
		if !renderedTag.MatchString(h[i:]) {
			t.Errorf("Render(%q) = %q: unexpected markup at %q", s, h, h[i:])
			break
		}
		next := strings.IndexByte(h[i+1:], '<')
		if next < 0 {
			break
		}
		i += 1 + next
	}
	if _, err := html.Parse(strings.NewReader(h)); err != nil {
		t.Errorf("Render(%q) = %q does not parse: %v", s, h, err)
	}
	if clean := Sanitize(h); clean != h {
		t.Errorf("Sanitize(Render(%q)) changed it:\nrender:   %q\nsanitize: %q", s, h, clean)
	}
}
