package text

import (
	"regexp"
	"strings"
	"testing"
)

// addTextSeeds seeds f with every text from the table tests.
func addTextSeeds(f *testing.F) {
	for _, tt := range parseTests {
		f.Add(tt.in)
	}
	for _, tt := range lengthTests {
		f.Add(tt.in)
	}
	for _, tt := range renderTests {
		f.Add(tt.in)
	}
	f.Add(typicalPost)
}

func FuzzParse(f *testing.F) {
	addTextSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		checkParsed(t, s)
	})
}

func FuzzRender(f *testing.F) {
	addTextSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		checkRendered(t, s, Render(s, testOptions))
		checkRendered(t, s, Render(s, RenderOptions{}))
	})
}

// sanitizedTag matches one tag of an element Sanitize allows.
var sanitizedTag = regexp.MustCompile(`^</?(?:p|br|span|a|del|pre|code|em|strong|b|i|u|ul|ol|li|blockquote)(?:\s[^<>]*)?/?>`)

func FuzzSanitize(f *testing.F) {
	for _, tt := range sanitizeTests {
		f.Add(tt.in)
	}
	for _, tt := range renderTests {
		f.Add(tt.want)
	}
	f.Fuzz(func(t *testing.T, s string) {
		h := Sanitize(s)
		if strings.Contains(strings.ToLower(h), "<script") {
			t.Errorf("Sanitize(%q) = %q holds a script", s, h)
		}
		for i, c := range h {
			if c == '<' && !sanitizedTag.MatchString(h[i:]) {
				t.Errorf("Sanitize(%q) = %q: unexpected markup at %q", s, h, h[i:])
				break
			}
		}
		if again := Sanitize(h); again != h {
			t.Errorf("Sanitize is not idempotent on %q:\nonce:  %q\ntwice: %q", s, h, again)
		}
	})
}
