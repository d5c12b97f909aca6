package text

import "testing"

func TestNormalizeTag(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"LowerCases", "SocialCare", "socialcare"},
		{"Unicode", "Café", "café"},
		{"CJK", "日本語", "日本語"},
		{"LettersAndDigits", "ADASS2024", "adass2024"},
		{"Underscore", "social_care", "social_care"},
		{"MiddleDot", "L·lengua", "l·lengua"},
		{"Empty", "", ""},
		{"DigitsOnly", "2024", ""},
		{"UnderscoresOnly", "__", ""},
		{"LeadingHash", "#care", ""},
		{"Space", "social care", ""},
		{"Punctuation", "care!", ""},
		{"TrailingSeparator", "care·", ""},
		{"LeadingSeparator", "·care", ""},
		{"LeadingMark", "\u0301care", ""},
		{"Emoji", "care😀", ""},
		{"InvalidUTF8", "care\xff", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NormalizeTag(tt.in); got != tt.want {
				t.Errorf("NormalizeTag(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestValidUsername(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want bool
	}{
		{"Letters", "alice", true},
		{"Mixed", "Alice_99", true},
		{"Underscore", "_", true},
		{"ThirtyChars", "abcdefghijabcdefghijabcdefghij", true},
		{"Empty", "", false},
		{"ThirtyOneChars", "abcdefghijabcdefghijabcdefghijk", false},
		{"Dot", "first.last", false},
		{"Dash", "a-b", false},
		{"At", "@alice", false},
		{"NonASCII", "josé", false},
		{"Space", "a b", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ValidUsername(tt.in); got != tt.want {
				t.Errorf("ValidUsername(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}
