package message

import (
	"html"
	"strings"
)

// unsafeHref replaces, in an href, a link that is not http or https: a
// fragment that goes nowhere. It is the value html/template put in its
// place, so such an email reads as it did when templates rendered it.
const unsafeHref = "#ZgotmplZ"

// href returns link as the value of a double-quoted href attribute,
// escaped: link itself when it is an http or https URL (any case), with
// every byte that has no place in a URL percent-encoded (spaces, quotes,
// angle brackets, non-ASCII bytes; valid %XX escapes are kept), and
// unsafeHref otherwise (javascript:, data:, mailto:, relative links and
// the rest).
func href(link string) string {
	if !webURL(link) {
		return unsafeHref
	}
	return html.EscapeString(normalizeURL(link))
}

// webURL reports whether s names the http or https scheme.
func webURL(s string) bool {
	scheme, _, ok := strings.Cut(s, ":")
	return ok && (strings.EqualFold(scheme, "https") || strings.EqualFold(scheme, "http"))
}

// normalizeURL percent-encodes (in lower-case hex) every byte of s that
// is neither unreserved nor reserved in RFC 3986, and every '%' that does
// not start a valid escape; it leaves the rest as it is.
func normalizeURL(s string) string {
	const hex = "0123456789abcdef"
	var b strings.Builder
	written := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if urlByte(c) || c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			continue
		}
		if written == 0 {
			b.Grow(len(s) + 16)
		}
		b.WriteString(s[written:i])
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&0xf])
		written = i + 1
	}
	if written == 0 {
		return s
	}
	b.WriteString(s[written:])
	return b.String()
}

// urlByte reports whether c may stand in a URL as it is: a letter, a
// digit, one of the unreserved "-._~" or one of the reserved
// "!#$&*+,/:;=?@[]". Quote, parentheses and the rest of the sub-delims
// are left out so a URL never closes an attribute or a CSS url().
func urlByte(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("-._~!#$&*+,/:;=?@[]", c) >= 0
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
