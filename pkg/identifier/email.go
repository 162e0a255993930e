package identifier

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/idna"
	"golang.org/x/text/unicode/norm"
)

const (
	// maxEmailInput bounds the raw input before any normalisation work.
	maxEmailInput = 1024
	// maxEmail and maxLocal are RFC 5321's limits, counted in bytes of the
	// normalised address (a path of 256 octets less the angle brackets).
	maxEmail = 254
	maxLocal = 64
)

// Messages for people about email addresses.
const (
	msgEmail       = "Enter a valid email address, like ana@example.com."
	msgEmailOne    = "Enter just one email address."
	msgEmailBare   = "Enter only the email address, without a name, quotes or brackets."
	msgEmailSpace  = "An email address cannot contain spaces, line breaks or invisible characters."
	msgEmailAt     = "Use a plain @ sign in the email address."
	msgEmailChar   = "The email address contains a character that is not allowed."
	msgEmailLocal  = "The part of the email address before the @ is not valid."
	msgEmailLong   = "That email address is too long."
	msgEmailDomain = "The part of the email address after the @ must be a domain name, like example.com."
)

// domainProfile converts a domain to ASCII: UTS #46 non-transitional
// mapping, STD3 rules (letters, digits, hyphens), hyphen and joiner checks,
// bidi rules and DNS lengths.
var domainProfile = idna.New(
	idna.MapForLookup(),
	idna.Transitional(false),
	idna.BidiRule(),
	idna.ValidateLabels(true),
	idna.StrictDomainName(true),
	idna.CheckHyphens(true),
	idna.CheckJoiners(true),
	idna.VerifyDNSLength(true),
)

// ParseEmail parses one bare email address and returns it normalised: the
// local part in Unicode NFC, the domain converted to ASCII by IDNA, the
// whole address lower-cased (ANA@Bücher.Example becomes
// ana@xn--bcher-kva.example).
//
// It rejects lists, display names, quotes, comments and angle brackets,
// spaces, control and invisible characters, look-alikes of @ such as U+FF20,
// a local part that is not a dot-atom of 1–64 bytes, IP-literal domains,
// domains without a dot and addresses longer than 254 bytes.
func ParseEmail(s string) (string, error) {
	if s == "" {
		return "", invalid(msgEmail, "email: empty")
	}
	if len(s) > maxEmailInput {
		return "", invalid(msgEmailLong, "email: input too long")
	}
	if !utf8.ValidString(s) {
		return "", invalid(msgEmailChar, "email: invalid UTF-8")
	}
	if err := checkRunes(s); err != nil {
		return "", err
	}
	at := strings.IndexByte(s, '@')
	if at < 0 {
		return "", invalid(msgEmail, "email: no @")
	}
	if strings.IndexByte(s[at+1:], '@') >= 0 {
		return "", invalid(msgEmailOne, "email: more than one @")
	}
	local, err := normLocal(s[:at])
	if err != nil {
		return "", err
	}
	domain, err := normDomain(s[at+1:])
	if err != nil {
		return "", err
	}
	if len(local)+1+len(domain) > maxEmail {
		return "", invalid(msgEmailLong, "email: address too long")
	}
	return local + "@" + domain, nil
}

// checkRunes rejects, anywhere in the address, the characters that have no
// place in one bare address. Where there are several, the message speaks of
// the most telling one: a list before a display name before a look-alike @
// before spaces and invisible characters.
func checkRunes(s string) error {
	worst := probNone
	for _, r := range s {
		if p := runeProblem(r); p < worst {
			worst = p
		}
	}
	if worst == probNone {
		return nil
	}
	return invalid(problems[worst].msg, problems[worst].reason)
}

// problem is a kind of character that checkRunes rejects; lower is more
// telling.
type problem int

const (
	probList problem = iota
	probBare
	probAt
	probSpace
	probChar
	probNone
)

var problems = [...]struct{ msg, reason string }{
	probList:  {msgEmailOne, "email: list separator"},
	probBare:  {msgEmailBare, "email: quote, comment, bracket or colon"},
	probAt:    {msgEmailAt, "email: look-alike @"},
	probSpace: {msgEmailSpace, "email: space, control or invisible character"},
	probChar:  {msgEmailChar, "email: look-alike of a special character"},
}

// runeProblem returns what is wrong with r anywhere in an address, or
// probNone.
func runeProblem(r rune) problem {
	if r < utf8.RuneSelf {
		switch {
		case r <= ' ' || r == 0x7f:
			return probSpace
		case r == ',' || r == ';':
			return probList
		case strings.ContainsRune(`"()<>[]\:`, r):
			return probBare
		}
		return probNone
	}
	switch {
	case isAtLookalike(r):
		return probAt
	case isInvisible(r):
		return probSpace
	case isSpecialLookalike(r):
		return probChar
	}
	return probNone
}

// isAtLookalike reports whether r, not being @, looks like one: U+FF20,
// U+FE6B, U+E0040 or any other character whose compatibility form holds @.
func isAtLookalike(r rune) bool {
	switch r {
	case '@':
		return false
	case '\uFF20', '\uFE6B', '\U000E0040':
		return true
	}
	return r >= utf8.RuneSelf && strings.IndexByte(string(compat(r)), '@') >= 0
}

// compat returns the compatibility decomposition of r (NFKD), or nil when r
// has none. Its ASCII bytes are the ASCII characters that NFKC would give.
func compat(r rune) []byte {
	var buf [utf8.UTFMax]byte
	return norm.NFKD.Properties(buf[:utf8.EncodeRune(buf[:], r)]).Decomposition()
}

// isSpecialLookalike reports whether the compatibility form of r holds a
// character that separates or decorates addresses (fullwidth comma,
// small less-than sign, ...), or a space or control character.
func isSpecialLookalike(r rune) bool {
	for _, c := range compat(r) {
		if c <= ' ' || c == 0x7f || strings.IndexByte(`@,;"()<>[]\:`, c) >= 0 {
			return true
		}
	}
	return false
}

// isInvisible reports whether r is not a visible character: control,
// format (zero-width joiner, bidi marks), private-use, unassigned, any
// space or separator, variation selectors and other default-ignorable
// characters (such as the Hangul filler).
func isInvisible(r rune) bool {
	return !unicode.IsGraphic(r) ||
		unicode.In(r, unicode.Zs, unicode.Cf, unicode.Variation_Selector, unicode.Other_Default_Ignorable_Code_Point)
}

// normLocal returns the local part in NFC, lower-cased, and checks it: a
// dot-atom of 1–64 bytes whose ASCII characters are RFC 5322 atext and
// whose other characters are visible.
func normLocal(s string) (string, error) {
	if s == "" {
		return "", invalid(msgEmail, "email: empty local part")
	}
	v := norm.NFC.String(strings.ToLower(norm.NFC.String(s)))
	if len(v) > maxLocal {
		return "", invalid(msgEmailLocal, "email: local part too long")
	}
	if v[0] == '.' || v[len(v)-1] == '.' || strings.Contains(v, "..") {
		return "", invalid(msgEmailLocal, "email: local part dots")
	}
	for _, r := range v {
		if r < utf8.RuneSelf {
			if !isAtext(byte(r)) && r != '.' {
				return "", invalid(msgEmailChar, "email: local part character")
			}
			continue
		}
		if isAtLookalike(r) || isInvisible(r) || isSpecialLookalike(r) {
			return "", invalid(msgEmailChar, "email: local part character")
		}
	}
	return v, nil
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

// isAtext reports whether c is RFC 5322 atext.
func isAtext(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("!#$%&'*+-/=?^_`{|}~", c) >= 0
}

// normDomain returns the domain converted to ASCII and lower-cased, and
// checks it: at least two labels, each of letters, digits and inner
// hyphens, no trailing dot, and a top-level label that is not all digits
// (so no IP addresses).
func normDomain(s string) (string, error) {
	if s == "" {
		return "", invalid(msgEmailDomain, "email: empty domain")
	}
	d, err := domainProfile.ToASCII(strings.ToLower(norm.NFC.String(s)))
	if err != nil {
		return "", invalid(msgEmailDomain, "email: domain rejected by IDNA")
	}
	d = strings.ToLower(d)
	// A Unicode domain is checked again in its ASCII form, as a stored
	// address will be when parsed again: the two can differ (U+2135 maps to
	// a Hebrew letter that only the second check sees beside a Latin one).
	if !isASCII(s) {
		if again, err := domainProfile.ToASCII(d); err != nil || again != d {
			return "", invalid(msgEmailDomain, "email: domain not stable under IDNA")
		}
	}
	last := strings.LastIndexByte(d, '.')
	if last <= 0 || last == len(d)-1 {
		return "", invalid(msgEmailDomain, "email: domain needs a dot")
	}
	for _, label := range strings.Split(d, ".") {
		if label == "" || label[0] == '-' || label[len(label)-1] == '-' {
			return "", invalid(msgEmailDomain, "email: domain label")
		}
		for i := 0; i < len(label); i++ {
			if c := label[i]; !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
				return "", invalid(msgEmailDomain, "email: domain character")
			}
		}
	}
	if strings.Trim(d[last+1:], "0123456789") == "" {
		return "", invalid(msgEmailDomain, "email: numeric top-level domain")
	}
	return d, nil
}
