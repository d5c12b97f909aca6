package text

import (
	"net/url"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// linkHref returns the href for raw, a link found by matchURL, in the one
// form that survives Sanitize unchanged: host in punycode, and path, query
// and fragment percent-encoded where browsers and net/url expect it. It
// reports false if raw cannot be made into such a URL; the link is then
// shown as plain text.
func linkHref(raw string) (string, bool) {
	scheme := "http://"
	if hasPrefixFold(raw, "https://") {
		scheme = "https://"
	}
	rest := raw[len(scheme):]
	hostEnd := strings.IndexAny(rest, ":/?")
	if hostEnd < 0 {
		hostEnd = len(rest)
	}
	host, ok := asciiHost(rest[:hostEnd])
	if !ok {
		return "", false
	}
	return normalizeHref(scheme + host + escapeURLRest(rest[hostEnd:]))
}

// asciiHost returns host as ASCII, converting an internationalised name to
// punycode so that the href does not depend on how a browser reads UTF-8
// in a host.
func asciiHost(host string) (string, bool) {
	if isASCII(host) {
		return host, true
	}
	if h, err := idna.Lookup.ToASCII(host); err == nil && isASCII(h) {
		return h, true
	}
	// Lookup refuses names that break IDNA rules (such as '_'); a plain
	// punycode conversion still gives an ASCII name a browser can try.
	if h, err := idna.Punycode.ToASCII(strings.ToLower(host)); err == nil && isASCII(h) {
		return h, true
	}
	return "", false
}

// isASCII reports whether s is all ASCII.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// escapeURLRest percent-encodes the bytes of a URL's port, path, query and
// fragment that are not allowed there as written: non-ASCII, space and
// controls, `"<>\^{|}` and a '%' that does not start an escape.
func escapeURLRest(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			b.WriteByte(c)
		case c <= ' ' || c >= 0x7F || c == '%' || strings.IndexByte("\"<>\\^`{|}", c) >= 0:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// isHex reports whether c is a hexadecimal digit.
func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// normalizeHref returns raw as net/url writes it, if raw is an absolute
// http(s) URL with a host and no user information. The sanitiser rewrites
// every href through net/url, so only a URL that is already in that form
// keeps Sanitize(Render(s)) == Render(s).
func normalizeHref(raw string) (string, bool) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return "", false
	}
	h := u.String()
	if again, err := url.Parse(h); err != nil || again.String() != h {
		return "", false
	}
	return h, true
}
