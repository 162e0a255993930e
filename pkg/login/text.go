package login

import "unicode/utf8"

// msgText ends the message about a text field that holds a refused
// character; the field's name comes first.
const msgText = "must be text without control characters (tabs and line breaks included) or bidirectional formatting characters"

// CheckText returns the invalid_request error naming field when s is not
// text that may be stored and shown back (API.md: text fields refuse
// control and bidi characters), else nil. Names and refs end up in email
// headers, SMS, pages and audit logs: a line break there can forge a line,
// and a bidi control can make "invoice-42\u202Etxt.exe" read as something
// else.
func CheckText(field, s string) error {
	if validText(s) {
		return nil
	}
	return Errorf(CodeInvalidRequest, "%s %s", field, msgText)
}

// validText reports whether s is UTF-8 holding no C0 or C1 control
// character (TAB, CR and LF included), no DEL and no bidirectional
// formatting character: U+061C, U+200E, U+200F, U+202A–U+202E and
// U+2066–U+2069.
func validText(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f {
				return false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 || refusedRune(r) {
			return false
		}
		i += n
	}
	return true
}

// refusedRune reports whether a non-ASCII rune is a C1 control or a
// bidirectional formatting character.
func refusedRune(r rune) bool {
	switch {
	case 0x80 <= r && r <= 0x9f: // C1 controls
		return true
	case r == 0x061c, r == 0x200e, r == 0x200f: // ALM, LRM, RLM
		return true
	case 0x202a <= r && r <= 0x202e: // LRE, RLE, PDF, LRO, RLO
		return true
	case 0x2066 <= r && r <= 0x2069: // LRI, RLI, FSI, PDI
		return true
	}
	return false
}

// checkTextPtr is CheckText for a field a change may leave out (nil).
func checkTextPtr(field string, s *string) error {
	if s == nil {
		return nil
	}
	return CheckText(field, *s)
}
