package redirect

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/portalpass/portalpass/pkg/login"
)

// MaxLen is the longest redirect Check accepts, in bytes.
const MaxLen = 2048

// Messages for people.
const (
	msgShape        = "Redirect must be a path inside the portal, starting with a single /."
	msgBackslash    = "Redirect must not contain a backslash."
	msgEncodedSlash = "Redirect must not contain an encoded slash or backslash (%2F or %5C)."
	msgControl      = "Redirect must not contain whitespace or control characters."
	msgLong         = "Redirect must be at most 2048 characters long."
	msgEncoding     = "Redirect must be valid UTF-8 with valid percent-encoding."
	msgClimb        = "Redirect must not climb out of the portal with .. segments."
)

// Check reports whether p may be used as a redirect: "" (no redirect) or a
// path, with an optional query and fragment, that starts with a single /.
// It rejects a scheme, a leading //, any backslash, %2F and %5C in any case
// (encoded slash or backslash), control, format and whitespace characters
// whether raw or percent-encoded (%20 alone is allowed encoded), invalid
// UTF-8 and percent-encoding, more than MaxLen bytes, and a .. segment,
// raw or encoded, that climbs above the path's root.
func Check(p string) error {
	if p == "" {
		return nil
	}
	if len(p) > MaxLen {
		return invalid(msgLong, "too long")
	}
	if !utf8.ValidString(p) {
		return invalid(msgEncoding, "invalid UTF-8")
	}
	if p[0] != '/' || strings.HasPrefix(p, "//") {
		return invalid(msgShape, "not a single leading /")
	}
	for _, r := range p {
		switch {
		case r == '\\':
			return invalid(msgBackslash, "backslash")
		case isControlOrSpace(r):
			return invalid(msgControl, "control or whitespace character")
		}
	}
	if hasEncodedSlash(p) {
		return invalid(msgEncodedSlash, "encoded slash or backslash")
	}
	decoded, ok := unescape(p)
	if !ok || !utf8.ValidString(decoded) {
		return invalid(msgEncoding, "invalid percent-encoding")
	}
	for _, r := range decoded {
		if r != ' ' && isControlOrSpace(r) {
			return invalid(msgControl, "encoded control or whitespace character")
		}
	}
	if hasEncodedSlash(decoded) {
		return invalid(msgEncodedSlash, "double-encoded slash or backslash")
	}
	if climbs(p[:pathEnd(p)]) {
		return invalid(msgClimb, "dot segments climb above the root")
	}
	return nil
}

// isControlOrSpace reports whether r is a control or format character
// (Cc, Cf: NUL, DEL, C1 controls, bidi overrides, zero-width characters) or
// whitespace of any kind.
func isControlOrSpace(r rune) bool {
	if r < utf8.RuneSelf {
		return r <= ' ' || r == 0x7f
	}
	return unicode.IsSpace(r) || unicode.In(r, unicode.Cc, unicode.Cf, unicode.Z)
}

// hasEncodedSlash reports whether s holds %2F or %5C in any case.
func hasEncodedSlash(s string) bool {
	for i := 0; i+2 < len(s); i++ {
		if s[i] == '%' && (strings.EqualFold(s[i+1:i+3], "2f") || strings.EqualFold(s[i+1:i+3], "5c")) {
			return true
		}
	}
	return false
}

// unescape decodes every %XX of s; ok is false when a % is not followed by
// two hex digits.
func unescape(s string) (decoded string, ok bool) {
	if strings.IndexByte(s, '%') < 0 {
		return s, true
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			b = append(b, s[i])
			continue
		}
		if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
			return "", false
		}
		b = append(b, unhex(s[i+1])<<4|unhex(s[i+2]))
		i += 2
	}
	return string(b), true
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}

// pathEnd returns the index where p's path ends: at its query or fragment.
func pathEnd(p string) int {
	if i := strings.IndexAny(p, "?#"); i >= 0 {
		return i
	}
	return len(p)
}

// climbs reports whether the path's .. segments, after percent-decoding,
// climb above its root. A segment counts as .. also with ;parameters
// ("..;x"), as some servers read it so.
func climbs(path string) bool {
	depth := 0
	for rest := path[1:]; rest != ""; {
		seg := rest
		if i := strings.IndexByte(rest, '/'); i >= 0 {
			seg, rest = rest[:i], rest[i+1:]
		} else {
			rest = ""
		}
		if strings.IndexByte(seg, '%') >= 0 {
			seg, _ = unescape(seg)
		}
		if i := strings.IndexByte(seg, ';'); i >= 0 {
			seg = seg[:i]
		}
		switch seg {
		case "", ".":
		case "..":
			if depth--; depth < 0 {
				return true
			}
		default:
			depth++
		}
	}
	return false
}

// invalid returns the invalid_request error with a message for people and
// a reason for logs; neither holds the redirect.
func invalid(msg, reason string) error {
	e := login.Errorf(login.CodeInvalidRequest, "%s", msg)
	e.Err = errors.New("redirect: " + reason)
	return e
}
