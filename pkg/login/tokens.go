package login

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"io"
	"strings"
)

// Token kinds: the first field of every token says what it is, so a token
// of one kind is never accepted in another's place.
const (
	kindLink    = "l" // a contact's slot: l.<tenant>.<contact>.<purpose>.<redirect>[.<challenge>].<secret>
	kindMulti   = "m" // a several-tenant attempt: m.<identHash>.<redirect>.<secret>
	kindSession = "s" // a session: s.<tenant>.<contact>.<secret>
	kindPicker  = "p" // a tenant picker: p.<secret>
)

// Purpose is why a one-time link was issued; it decides the slot, the
// lifetime and the session's "via".
type Purpose string

// Purposes of one-time links.
const (
	PurposeLogin    Purpose = "l"
	PurposeInvite   Purpose = "i"
	PurposeRecovery Purpose = "r"
)

func (p Purpose) slot() SlotKind {
	if p == PurposeLogin {
		return SlotLogin
	}
	return SlotLink
}

func (p Purpose) via() string {
	switch p {
	case PurposeInvite:
		return "invite"
	case PurposeRecovery:
		return "recovery"
	}
	return "link"
}

// secretBytes is the size of every token's secret part: 256 bits.
const secretBytes = 32

// The shape checks are written out rather than regexps: compiling those
// at init cost a millisecond of every Lambda cold start.

// ValidTenantID reports whether s is a well-formed tenant id: 1-40
// lower-case letters, digits and dashes, not starting with a dash.
func ValidTenantID(s string) bool {
	if len(s) < 1 || len(s) > 40 || s[0] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// ValidContactID reports whether s is a well-formed contact id: "c" and
// 26 base32 characters.
func ValidContactID(s string) bool { return validID(s, 'c') }

func validID(s string, prefix byte) bool {
	if len(s) != 27 || s[0] != prefix {
		return false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; !(c >= 'a' && c <= 'z' || c >= '2' && c <= '7') {
			return false
		}
	}
	return true
}

// ValidB64Secret reports whether s is 43 base64url characters: 256 bits.
func ValidB64Secret(s string) bool {
	if len(s) != 43 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// HashToken returns the SHA-256 of a token, the only form stored.
func HashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

func hashCode(salt []byte, code string) []byte {
	h := sha256.New()
	h.Write(salt)
	h.Write([]byte(code))
	return h.Sum(nil)
}

// codeMatches compares a code with a stored hash in constant time.
func codeMatches(salt, want []byte, code string) bool {
	if len(want) == 0 {
		return false
	}
	return subtle.ConstantTimeCompare(hashCode(salt, code), want) == 1
}

func hashesEqual(a, b []byte) bool {
	return len(a) > 0 && subtle.ConstantTimeCompare(a, b) == 1
}

func randomBytes(r io.Reader, n int) ([]byte, error) {
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		return nil, fmt.Errorf("login: random: %w", err)
	}
	return b, nil
}

func newSecret(r io.Reader) (string, error) {
	b, err := randomBytes(r, secretBytes)
	if err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// newCode returns n uniformly random decimal digits.
func newCode(r io.Reader, n int) (string, error) {
	var sb strings.Builder
	buf := make([]byte, 1)
	for sb.Len() < n {
		if _, err := io.ReadFull(r, buf); err != nil {
			return "", fmt.Errorf("login: random: %w", err)
		}
		if buf[0] >= 250 { // reject to keep the digits uniform
			continue
		}
		sb.WriteByte('0' + buf[0]%10)
	}
	return sb.String(), nil
}

const idAlphabet = "abcdefghijklmnopqrstuvwxyz234567"

// newID returns a random id: prefix and 26 base32 characters (130 bits).
func newID(r io.Reader, prefix string) (string, error) {
	b, err := randomBytes(r, 26)
	if err != nil {
		return "", err
	}
	out := []byte(prefix)
	for _, c := range b {
		out = append(out, idAlphabet[c%32])
	}
	return string(out), nil
}

// linkToken is a parsed one-time link token of a contact's slot.
type linkToken struct {
	tenant, contact string
	purpose         Purpose
	redirect        string
}

func encodeRedirect(p string) string { return base64.RawURLEncoding.EncodeToString([]byte(p)) }

func decodeRedirect(s string) (string, bool) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	return string(b), err == nil
}

func formatLinkToken(t linkToken, secret string) string {
	return strings.Join([]string{kindLink, t.tenant, t.contact, string(t.purpose), encodeRedirect(t.redirect), secret}, ".")
}

// formatLinkTokenWith is formatLinkToken with the attempt's PKCE challenge
// bound to the token (by its hash, as the redirect is), so that redeeming
// the link knows it without a read. No challenge: formatLinkToken.
func formatLinkTokenWith(t linkToken, challenge, secret string) string {
	if challenge == "" {
		return formatLinkToken(t, secret)
	}
	return strings.Join([]string{kindLink, t.tenant, t.contact, string(t.purpose), encodeRedirect(t.redirect), challenge, secret}, ".")
}

func formatMultiToken(identHash, redirect, secret string) string {
	return strings.Join([]string{kindMulti, identHash, encodeRedirect(redirect), secret}, ".")
}

func formatSessionToken(tenant, contact, secret string) string {
	return strings.Join([]string{kindSession, tenant, contact, secret}, ".")
}

// parsedToken is any token, split by kind. Only fields of its kind are set.
type parsedToken struct {
	kind      string
	link      linkToken
	identHash string
	redirect  string
	challenge string // a link's PKCE challenge, "" when none
}

// parseToken splits a token. It checks shape only; the stored hash
// decides whether it is real.
func parseToken(s string) (parsedToken, bool) {
	if len(s) > 4096 {
		return parsedToken{}, false
	}
	f := strings.Split(s, ".")
	switch {
	case (len(f) == 6 || len(f) == 7) && f[0] == kindLink:
		p := Purpose(f[3])
		red, ok := decodeRedirect(f[4])
		challenge := ""
		if len(f) == 7 {
			challenge = f[5]
			ok = ok && ValidB64Secret(challenge)
		}
		if !ok || !ValidTenantID(f[1]) || !ValidContactID(f[2]) || !ValidB64Secret(f[len(f)-1]) ||
			(p != PurposeLogin && p != PurposeInvite && p != PurposeRecovery) {
			return parsedToken{}, false
		}
		return parsedToken{kind: kindLink, link: linkToken{f[1], f[2], p, red}, redirect: red, challenge: challenge}, true
	case len(f) == 4 && f[0] == kindMulti:
		red, ok := decodeRedirect(f[2])
		if !ok || !ValidB64Secret(f[1]) || !ValidB64Secret(f[3]) {
			return parsedToken{}, false
		}
		return parsedToken{kind: kindMulti, identHash: f[1], redirect: red}, true
	case len(f) == 4 && f[0] == kindSession:
		if !ValidTenantID(f[1]) || !ValidContactID(f[2]) || !ValidB64Secret(f[3]) {
			return parsedToken{}, false
		}
		return parsedToken{kind: kindSession, link: linkToken{tenant: f[1], contact: f[2]}}, true
	case len(f) == 2 && f[0] == kindPicker:
		if !ValidB64Secret(f[1]) {
			return parsedToken{}, false
		}
		return parsedToken{kind: kindPicker}, true
	}
	return parsedToken{}, false
}
