package login

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"io"
	"strings"
)

// The parts tokens and codes are made of: random secrets, ids and codes,
// the shape checks of ids, and the hashes that are all a store keeps.

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

func validID(s string, prefix byte) bool { return validIDLen(s, prefix, 27) }

// apiKeyIDLen is the length of an API key's id: "k" and 10 base32
// characters (the key's secret does the guarding).
const apiKeyIDLen = 11

// validIDLen reports whether s is prefix followed by n-1 base32 characters.
func validIDLen(s string, prefix byte, n int) bool {
	if len(s) != n || s[0] != prefix {
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
